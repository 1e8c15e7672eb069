// The plain-TCP connection, instantiated here so that it compiles beside the
// TLS one (tls_connection.cc) rather than after it.
#include <memory>
#include <string>
#include <utility>

#include "http/connection.h"
#include "http/server_internal.h"

namespace trellis::http::internal {

void StartPlainConnection(Socket socket, std::shared_ptr<Shared> shared,
                          std::string remote) {
  std::make_shared<Connection<false>>(std::move(socket), std::move(shared),
                                      nullptr, std::move(remote))
      ->Start();
}

}  // namespace trellis::http::internal
