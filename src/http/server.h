// The HTTP/1.1 server: Boost.Beast on Asio, over plain TCP or TLS. A few I/O
// threads read and write every connection; a separate pool of worker threads
// runs the handler, which may block (database work). Start, Port, Stop, Wait
// and DrainedRequests are safe from any thread except the server's own (a
// handler must not Stop or Wait for its server). The handler is called from
// many worker threads at once and must be safe for that.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>

#include "domain/error.h"
#include "http/message.h"
#include "http/parse.h"

namespace trellis::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address or a name that resolves
  uint16_t port = 8080;            // 0: any free port (see Server::Port)
  int io_threads = 2;
  int worker_threads = 8;
  Limits limits;
  // From a request's first byte to its last; also how long a new connection
  // may stay silent, and how long writing one answer may take.
  std::chrono::seconds read_timeout{30};
  // How long a kept-alive connection may wait for its next request.
  std::chrono::seconds idle_timeout{60};
  // How long Stop waits for requests in flight before closing them anyway.
  std::chrono::seconds drain_timeout{30};
  // Both PEM files for TLS, or both empty for plain HTTP.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
};

// Answers one request. It is given a complete, decoded request with
// request_id, remote and tls filled in; an exception it throws becomes a 500.
using Handler = std::function<Response(const Request&)>;

// The server answers each request with the handler's Response plus the
// headers every answer carries: X-Request-Id (an incoming one of 1 to 64
// characters [A-Za-z0-9._-] is kept, otherwise a new random one),
// Cache-Control: no-store (unless the handler set Cache-Control),
// X-Content-Type-Options: nosniff, Date and Server: Trellis. HEAD answers
// carry no body. Keep-alive follows HTTP/1.1 and HTTP/1.0 rules.
// What it answers itself, with a JSON error body (message.h) and then closing
// the connection: 400 for a malformed request, 413 for too large a body (the
// handler is not called), 431 for too large headers, 408 when a request began
// but did not arrive within read_timeout.
// A connection that sends nothing within its timeout is closed silently.
// Every answer is logged as one "request" line (log.h): method, path (never
// the query, which can hold personal data), status, duration_ms, bytes_out,
// remote, request_id.
class Server {
 public:
  // Listens on options.host:options.port and starts serving with `handler`,
  // which must stay callable until the server is destroyed.
  // kInvalidArgument for options that cannot work (no threads, only one of the
  // TLS files, a TLS file that cannot be read or a key that does not match),
  // or a host that does not resolve; kUnavailable when the address cannot be
  // listened on (in use, not local, not permitted). Messages name host:port.
  [[nodiscard]] static std::expected<std::unique_ptr<Server>, Error> Start(
      ServerOptions options, Handler handler);

  // Stops (see Stop), then waits for handlers still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port listened on: options.port, or the one chosen for 0.
  uint16_t Port() const;

  // Graceful stop: new connections are refused at once; requests being read
  // or handled run to completion and are answered with Connection: close;
  // idle connections are closed. Returns when every connection is closed, or
  // after drain_timeout, when the rest are closed unanswered. Calling it again,
  // or from two threads, waits for the first call.
  void Stop();

  // Blocks until Stop has returned.
  void Wait();

  // How many answers were sent after Stop began.
  uint64_t DrainedRequests() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

// Blocks until the process receives SIGTERM or SIGINT, then stops `server`,
// logging "stopping" and then "shutdown" with how many requests were drained.
void RunUntilSignalled(Server& server);

}  // namespace trellis::http
