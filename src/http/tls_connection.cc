// The TLS connection, instantiated here so that it compiles beside the plain
// one (plain_connection.cc) rather than after it.
#include <memory>
#include <string>
#include <utility>

#include "http/connection.h"
#include "http/server_internal.h"

namespace trellis::http::internal {

void StartTlsConnection(Socket socket, std::shared_ptr<Shared> shared,
                        boost::asio::ssl::context& tls, std::string remote) {
  std::make_shared<Connection<true>>(std::move(socket), std::move(shared), &tls,
                                     std::move(remote))
      ->Start();
}

}  // namespace trellis::http::internal
