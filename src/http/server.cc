#include "http/server.h"

#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "http/beast.h"
#include "http/log.h"
#include "http/server_internal.h"

namespace trellis::http {
namespace internal {

bool Shared::Register(const ConnectionBase* key,
                      std::weak_ptr<ConnectionBase> c) {
  const std::lock_guard lock(mutex);
  if (stopping) return false;
  connections.emplace(key, std::move(c));
  return true;
}

void Shared::Deregister(const ConnectionBase* key) {
  {
    const std::lock_guard lock(mutex);
    connections.erase(key);
  }
  connections_changed.notify_all();
}

std::vector<std::shared_ptr<ConnectionBase>> Shared::OpenConnections() {
  std::vector<std::shared_ptr<ConnectionBase>> open;
  const std::lock_guard lock(mutex);
  for (const auto& [key, weak] : connections)
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  return open;
}

bool Shared::WaitForNoConnections(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex);
  return connections_changed.wait_for(lock, timeout,
                                      [&] { return connections.empty(); });
}

}  // namespace internal

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using internal::Shared;

std::string Endpoint(const std::string& host, uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

struct Server::Impl {
  explicit Impl(std::shared_ptr<Shared> shared_state)
      : shared(std::move(shared_state)),
        workers(static_cast<size_t>(shared->options.worker_threads)),
        acceptor(asio::make_strand(io)) {
    shared->workers = &workers;
  }

  ~Impl() {
    if (!io_threads.empty()) Stop();
    // Only now, with no I/O thread left to hand it work: a handler still
    // running after the drain timeout is waited for here.
    workers.stop();
    workers.join();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::expected<void, Error> Listen() {
    const ServerOptions& options = shared->options;
    const std::string where = Endpoint(options.host, options.port);
    error_code ec;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(
        options.host, std::to_string(options.port),
        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty())
      return std::unexpected(Error{
          ErrorCode::kInvalidArgument,
          "cannot listen on " + where + ": the host does not resolve (" +
              (ec ? ec.message() : "no addresses") + ")",
          {{"host", "use an IP address or a name this machine resolves"}}});
    const tcp::endpoint endpoint = results.begin()->endpoint();
    auto fail = [&](std::string_view step) {
      return std::unexpected(Error{ErrorCode::kUnavailable,
                                   "cannot listen on " + where + ": " +
                                       std::string(step) +
                                       " failed: " + ec.message(),
                                   {}});
    };
    if (acceptor.open(endpoint.protocol(), ec); ec) return fail("open");
    // So a restarted server can listen while the old one's connections are
    // in TIME_WAIT. On Linux it does not let two servers share a port.
    if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec)
      return fail("setsockopt");
    if (acceptor.bind(endpoint, ec); ec) return fail("bind");
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
      return fail("listen");
    port = acceptor.local_endpoint(ec).port();
    if (ec) return fail("getsockname");
    return {};
  }

  std::expected<void, Error> LoadTls() {
    const ServerOptions& options = shared->options;
    if (options.tls_certificate_file.empty() &&
        options.tls_private_key_file.empty())
      return {};
    if (options.tls_certificate_file.empty() ||
        options.tls_private_key_file.empty())
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "TLS needs both a certificate file and a private key file",
                {{options.tls_certificate_file.empty() ? "tls_certificate_file"
                                                       : "tls_private_key_file",
                  "give both files, or neither for plain HTTP"}}});
    tls.emplace(ssl::context::tls_server);
    error_code ec;
    // TLS 1.2 and later only: the older versions have known breaks.
    tls->set_options(ssl::context::default_workarounds |
                         ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                         ssl::context::single_dh_use,
                     ec);
    if (!ec) tls->use_certificate_chain_file(options.tls_certificate_file, ec);
    if (ec)
      return std::unexpected(Error{
          ErrorCode::kInvalidArgument,
          "cannot use TLS certificate file " + options.tls_certificate_file +
              ": " + ec.message(),
          {{"tls_certificate_file", "a PEM certificate (chain) is needed"}}});
    tls->use_private_key_file(options.tls_private_key_file, ssl::context::pem,
                              ec);
    if (ec)
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "cannot use TLS private key file " +
                    options.tls_private_key_file + ": " + ec.message(),
                {{"tls_private_key_file",
                  "a PEM private key matching the certificate is needed"}}});
    return {};
  }

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](const error_code& ec,
                                                        internal::Socket s) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open())
        return;  // Stop closed the acceptor
      if (ec) {
        // Out of file descriptors, most likely: pause rather than spin.
        LogEvent(spdlog::level::err, "accept_failed",
                 {{"error", ec.message()}});
        auto pause = std::make_shared<asio::steady_timer>(
            acceptor.get_executor(), std::chrono::milliseconds(100));
        pause->async_wait([this, pause](const error_code&) { Accept(); });
        return;
      }
      StartConnection(std::move(s));
      Accept();
    });
  }

  void StartConnection(internal::Socket socket) {
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    const auto peer = socket.remote_endpoint(ec);
    std::string remote = ec ? "" : peer.address().to_string();
    if (tls)
      internal::StartTlsConnection(std::move(socket), shared, *tls,
                                   std::move(remote));
    else
      internal::StartPlainConnection(std::move(socket), shared,
                                     std::move(remote));
  }

  void RunIo() {
    // Handlers catch what they can throw; this is the last line, so that an
    // exception escaping Asio or Beast costs one connection, not the process.
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        LogEvent(spdlog::level::critical, "io_exception",
                 {{"error", e.what()}});
      } catch (...) {
        LogEvent(spdlog::level::critical, "io_exception",
                 {{"error", "an exception not derived from std::exception"}});
      }
    }
  }

  void Stop() {
    {
      std::unique_lock lock(stop_mutex);
      if (stop_begun) {
        stop_done_changed.wait(lock, [&] { return stop_done; });
        return;
      }
      stop_begun = true;
    }
    {
      // Under the registry's lock, so a connection either registered before
      // and is told below, or sees `stopping` and does not start.
      const std::lock_guard lock(shared->mutex);
      shared->stopping = true;
    }
    // Waited for, so that once Stop returns a connect is refused rather than
    // left in the listen queue.
    std::promise<void> closed;
    asio::post(acceptor.get_executor(), [this, &closed] {
      error_code ignored;
      acceptor.close(ignored);
      closed.set_value();
    });
    closed.get_future().wait();
    for (const auto& connection : shared->OpenConnections())
      connection->OnServerStop();
    if (!shared->WaitForNoConnections(shared->options.drain_timeout)) {
      const auto open = shared->OpenConnections();
      LogEvent(spdlog::level::warn, "drain_timeout",
               {{"open_connections", open.size()}});
      for (const auto& connection : open) connection->ForceClose();
      (void)shared->WaitForNoConnections(std::chrono::seconds(2));
    }
    work.reset();
    io.stop();
    for (std::thread& thread : io_threads) thread.join();
    {
      const std::lock_guard lock(stop_mutex);
      stop_done = true;
    }
    stop_done_changed.notify_all();
  }

  std::shared_ptr<Shared> shared;
  // Declared before the I/O objects so it outlives the connections that
  // io's destructor releases.
  std::optional<ssl::context> tls;
  asio::io_context io;
  asio::thread_pool workers;
  asio::executor_work_guard<asio::io_context::executor_type> work =
      asio::make_work_guard(io);
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
  uint16_t port = 0;

  std::mutex stop_mutex;
  std::condition_variable stop_done_changed;
  bool stop_begun = false;
  bool stop_done = false;
};

std::expected<std::unique_ptr<Server>, Error> Server::Start(
    ServerOptions options, Handler handler) {
  if (options.io_threads < 1 || options.worker_threads < 1)
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "the server needs at least one I/O thread and one worker thread",
              {{options.io_threads < 1 ? "io_threads" : "worker_threads",
                "must be at least 1"}}});
  if (!handler)
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument, "the server needs a handler", {}});
  auto shared = std::make_shared<Shared>();
  shared->options = std::move(options);
  shared->handler = std::move(handler);
  auto impl = std::make_unique<Impl>(shared);
  if (auto loaded = impl->LoadTls(); !loaded)
    return std::unexpected(loaded.error());
  if (auto listening = impl->Listen(); !listening)
    return std::unexpected(listening.error());
  impl->Accept();
  for (int i = 0; i < shared->options.io_threads; ++i)
    impl->io_threads.emplace_back([raw = impl.get()] { raw->RunIo(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() = default;

uint16_t Server::Port() const { return impl_->port; }

void Server::Stop() { impl_->Stop(); }

void Server::Wait() {
  std::unique_lock lock(impl_->stop_mutex);
  impl_->stop_done_changed.wait(lock, [&] { return impl_->stop_done; });
}

uint64_t Server::DrainedRequests() const { return impl_->shared->drained; }

void RunUntilSignalled(Server& server) {
  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait(
      [&](const error_code& ec, int signal) { received = ec ? 0 : signal; });
  signals_io.run();
  const char* name = received == SIGINT ? "SIGINT" : "SIGTERM";
  LogEvent(spdlog::level::info, "stopping", {{"signal", name}});
  server.Stop();
  LogEvent(spdlog::level::info, "shutdown",
           {{"signal", name}, {"drained_requests", server.DrainedRequests()}});
}

}  // namespace trellis::http
