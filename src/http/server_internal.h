// Internal to trellis_http: what the server and its connections share, and
// how the server hands a new connection over. The connections live in files
// of their own (plain_connection.cc, tls_connection.cc) so that the two
// instantiations of the Beast and Asio machinery compile in parallel. Shared
// is safe for concurrent use.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/beast.h"
#include "http/server.h"

namespace trellis::http::internal {

// Every connection runs on a strand of the server's io_context. Naming the
// executor's type, rather than Asio's type-erased any_io_executor, spares the
// compiler the type erasure for every operation and handler.
using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // The server is stopping: close now if idle, else answer and close.
  virtual void OnServerStop() = 0;
  // The drain timed out: close now, answered or not.
  virtual void ForceClose() = 0;
};

// What the server and its connections share. Connections hold it by
// shared_ptr, so it outlives whichever side ends last.
struct Shared {
  ServerOptions options;
  Handler handler;
  boost::asio::thread_pool* workers = nullptr;  // joined after the I/O threads

  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> drained{0};

  std::mutex mutex;  // guards `connections`
  std::condition_variable connections_changed;
  std::unordered_map<const ConnectionBase*, std::weak_ptr<ConnectionBase>>
      connections;

  // False, and nothing is kept, once the server is stopping.
  bool Register(const ConnectionBase* key, std::weak_ptr<ConnectionBase> c);
  void Deregister(const ConnectionBase* key);
  std::vector<std::shared_ptr<ConnectionBase>> OpenConnections();
  // True when every connection closed within `timeout`.
  bool WaitForNoConnections(std::chrono::steady_clock::duration timeout);
};

// Serve `socket` until either side closes it; `remote` is the peer's address
// for the log. The TLS one begins with the handshake, using `tls`, which must
// outlive the connection.
void StartPlainConnection(Socket socket, std::shared_ptr<Shared> shared,
                          std::string remote);
void StartTlsConnection(Socket socket, std::shared_ptr<Shared> shared,
                        boost::asio::ssl::context& tls, std::string remote);

}  // namespace trellis::http::internal
