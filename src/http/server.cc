#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/text.h"
#include "http/beast.h"
#include "http/beast_request.h"
#include "http/log.h"

namespace trellis::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

using internal::ToStd;

// How long a closing connection keeps reading what the client still sends
// before closing. Closing a socket with unread input makes the kernel send a
// reset, which can destroy the answer (a 413, say) before the client reads it.
constexpr std::chrono::seconds kLingerTime{5};
constexpr size_t kReadChunk = 4096;

// The headers the server writes itself; a handler's are dropped.
bool IsServerOwned(std::string_view lower_name) {
  static constexpr std::array<std::string_view, 10> kOwned = {
      "connection",
      "content-length",
      "transfer-encoding",
      "keep-alive",
      "upgrade",
      "content-type",
      "date",
      "server",
      "x-request-id",
      "x-content-type-options"};
  return std::ranges::find(kOwned, lower_name) != kOwned.end();
}

// RFC 9110 5.1 and 5.5: a name is a token; a value has no CR, LF or NUL,
// which would end the header early and let a value write headers of its own.
bool IsValidHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool token = (u > 0x20 && u < 0x7F) &&
                       std::string_view("\"(),/:;<=>?@[\\]{}").find(c) ==
                           std::string_view::npos;
    if (!token) return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) ==
         std::string_view::npos;
}

// IMF-fixdate (RFC 9110 5.6.7), written by hand because strftime's names
// follow the locale.
std::string HttpDate() {
  static constexpr std::array<const char*, 7> kDays = {
      "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 40> text{};
  const int n = std::snprintf(
      text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
      kDays.at(static_cast<size_t>(tm.tm_wday)), tm.tm_mday,
      kMonths.at(static_cast<size_t>(tm.tm_mon)), tm.tm_year + 1900, tm.tm_hour,
      tm.tm_min, tm.tm_sec);
  return {text.data(), static_cast<size_t>(n)};
}

// Request ids only tie log lines to answers; they grant nothing, so they need
// to be unique rather than secret.
std::string NewRequestId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016" PRIx64,
                static_cast<uint64_t>(generator()));
  return {text.data(), 16};
}

std::string Endpoint(const std::string& host, uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Response RunHandler(const Handler& handler, const Request& request) {
  // A handler's exception is a bug, but one request's bug must not take the
  // server down or leave the client without an answer.
  try {
    return handler(request);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "handler_exception",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"path", request.path},
              {"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "handler_exception",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"path", request.path},
              {"error", "an exception not derived from std::exception"}});
  }
  return InternalErrorResponse(request.request_id);
}

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
  asio::thread_pool* workers = nullptr;  // joined only after the I/O threads

  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> drained{0};

  std::mutex mutex;  // guards `connections`
  std::condition_variable connections_changed;
  std::unordered_map<const ConnectionBase*, std::weak_ptr<ConnectionBase>>
      connections;

  // False, and nothing is kept, once the server is stopping.
  bool Register(const ConnectionBase* key, std::weak_ptr<ConnectionBase> c) {
    const std::lock_guard lock(mutex);
    if (stopping) return false;
    connections.emplace(key, std::move(c));
    return true;
  }
  void Deregister(const ConnectionBase* key) {
    {
      const std::lock_guard lock(mutex);
      connections.erase(key);
    }
    connections_changed.notify_all();
  }
  std::vector<std::shared_ptr<ConnectionBase>> OpenConnections() {
    std::vector<std::shared_ptr<ConnectionBase>> open;
    const std::lock_guard lock(mutex);
    for (const auto& [key, weak] : connections)
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    return open;
  }
  // True when every connection closed within `timeout`.
  bool WaitForNoConnections(std::chrono::steady_clock::duration timeout) {
    std::unique_lock lock(mutex);
    return connections_changed.wait_for(lock, timeout,
                                        [&] { return connections.empty(); });
  }
};

// One client connection. Every member is touched only on the connection's
// strand: the I/O handlers run there, and the worker pool hands the answer
// back through it.
template <bool kTls>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>,
                                    beast::tcp_stream>;

  Connection(tcp::socket socket, std::shared_ptr<Shared> shared,
             ssl::context* tls, std::string remote)
      : stream_(MakeStream(std::move(socket), tls)),
        timer_(stream_.get_executor()),
        shared_(std::move(shared)),
        remote_(std::move(remote)) {}

  ~Connection() override { shared_->Deregister(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    if (!shared_->Register(this, this->weak_from_this())) return;
    asio::dispatch(stream_.get_executor(),
                   [self = this->shared_from_this()] { self->Begin(); });
  }

  void OnServerStop() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // Only a connection waiting for its next request is dropped; one
      // reading or handling a request will answer it and then close.
      if (self->phase_ == Phase::kHandshake || self->phase_ == Phase::kIdle)
        self->Close();
    });
  }

  void ForceClose() override {
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this()] { self->Close(); });
  }

 private:
  enum class Phase {
    kHandshake,  // TLS handshake
    kIdle,       // waiting for the first byte of a request
    kReading,    // a request has begun
    kHandling,   // the handler runs on a worker
    kWriting,
    kClosing,  // answered; reading what is left before closing
    kClosed,
  };

  static Stream MakeStream(tcp::socket socket, ssl::context* tls) {
    if constexpr (kTls)
      return Stream(std::move(socket), *tls);
    else
      return Stream(std::move(socket));
  }

  const ServerOptions& options() const { return shared_->options; }
  tcp::socket& socket() { return beast::get_lowest_layer(stream_).socket(); }

  // Our own deadline rather than tcp_stream's, which closes the socket when
  // it expires: a request that has begun is owed a 408 first.
  void Arm(std::chrono::steady_clock::duration timeout) {
    timed_out_ = false;
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait(
        [self = this->shared_from_this(), generation](const error_code& ec) {
          if (ec || generation != self->timer_generation_) return;
          self->timed_out_ = true;
          error_code ignored;
          self->socket().cancel(ignored);  // the pending read ends, aborted
        });
  }

  void Disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  void Begin() {
    if (phase_ == Phase::kClosed) return;  // the server stopped first
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      Arm(options().read_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          [self = this->shared_from_this()](const error_code& ec) {
            self->Disarm();
            if (ec) {
              self->Close();
              return;
            }
            self->WaitForRequest();
          });
    } else {
      WaitForRequest();
    }
  }

  void WaitForRequest() {
    if (shared_->stopping || phase_ == Phase::kClosed) {
      Close();
      return;
    }
    phase_ = Phase::kIdle;
    parser_.emplace();
    internal::ApplyLimits(*parser_, options().limits);
    if (buffer_.size() > 0) {  // the next request came with the last one
      ReadHeader();
      return;
    }
    // A new connection gets read_timeout to say something; a kept-alive one
    // the longer idle_timeout between requests.
    Arm(first_request_ ? options().read_timeout : options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = this->shared_from_this()](const error_code& ec, size_t n) {
          self->Disarm();
          if (ec) {  // silence, the client left, or the server is stopping
            self->Close();
            return;
          }
          self->buffer_.commit(n);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    phase_ = Phase::kReading;
    started_ = Clock::now();
    Arm(options().read_timeout);  // the whole request, from its first byte
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](const error_code& ec, size_t) {
          if (ec) {
            self->Disarm();
            self->OnReadError(ec);
            return;
          }
          self->OnHeader();
        });
  }

  void OnHeader() {
    const auto& header = parser_->get();
    // A client that asked to be told before sending its body (curl does for
    // large ones) would otherwise wait a second or more for nothing.
    if (header.version() == 11 && !parser_->is_done() &&
        beast::iequals(header[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue =
          "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(
          stream_, asio::buffer(kContinue.data(), kContinue.size()),
          [self = this->shared_from_this()](const error_code& ec, size_t) {
            if (ec) {
              self->Disarm();
              self->Close();
              return;
            }
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) {
      Disarm();
      OnRequest();
      return;
    }
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](const error_code& ec, size_t) {
          self->Disarm();
          if (ec) {
            self->OnReadError(ec);
            return;
          }
          self->OnRequest();
        });
  }

  void OnReadError(const error_code& ec) {
    if (timed_out_) {
      SendError(ParseError{408, "request_timeout",
                           "The request did not arrive within " +
                               std::to_string(options().read_timeout.count()) +
                               " seconds."});
      return;
    }
    if (phase_ == Phase::kClosed || ec == asio::error::operation_aborted ||
        ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset ||
        ec == ssl::error::stream_truncated) {
      Close();
      return;
    }
    SendError(internal::ParseErrorFor(ec, options().limits));
  }

  void OnRequest() {
    const auto& header = parser_->get();
    version_ = header.version();
    keep_alive_ = header.keep_alive();
    auto converted = internal::ConvertRequest(parser_->release());
    parser_.reset();
    if (!converted) {
      SendError(converted.error());
      return;
    }
    Request request = std::move(*converted);
    request.remote = remote_;
    request.tls = kTls;
    if (request.request_id.empty()) request.request_id = NewRequestId();
    method_ = request.method;
    path_ = request.path;
    request_id_ = request.request_id;
    head_ = request.method == "HEAD";

    phase_ = Phase::kHandling;
    asio::post(*shared_->workers, [self = this->shared_from_this(),
                                   executor = stream_.get_executor(),
                                   request = std::move(request)] {
      Response response = RunHandler(self->shared_->handler, request);
      asio::post(executor, [self, response = std::move(response)]() mutable {
        self->Answer(std::move(response));
      });
    });
  }

  // An answer the server gives itself: the request cannot be served, and
  // what follows it on the connection cannot be trusted to start a request.
  void SendError(const ParseError& error) {
    if (parser_ && parser_->is_header_done()) {
      const auto& header = parser_->get();
      method_ = std::string(ToStd(header.method_string()));
      const std::string_view target = ToStd(header.target());
      path_ = std::string(target.substr(0, target.find('?')));
      const std::string_view id = ToStd(header["x-request-id"]);
      if (internal::IsSafeRequestId(id)) request_id_ = std::string(id);
      head_ = method_ == "HEAD";
    }
    if (request_id_.empty()) request_id_ = NewRequestId();
    version_ = 11;
    keep_alive_ = false;
    Answer(ErrorResponse(error.status, error.code, error.message));
  }

  void Answer(Response response) {
    if (phase_ == Phase::kClosed) return;  // force-closed while handling
    if (shared_->stopping) keep_alive_ = false;
    Build(std::move(response));
    phase_ = Phase::kWriting;
    beast::get_lowest_layer(stream_).expires_after(options().read_timeout);
    auto on_write = [self = this->shared_from_this()](const error_code& ec,
                                                      size_t bytes) {
      self->OnWritten(ec, bytes);
    };
    if (head_) {
      // The headers a GET would have had, Content-Length included, and no
      // body (RFC 9110 9.3.2).
      serializer_.emplace(response_);
      bhttp::async_write_header(stream_, *serializer_, std::move(on_write));
    } else {
      bhttp::async_write(stream_, response_, std::move(on_write));
    }
  }

  void Build(Response response) {
    if (response.status < 200 || response.status > 599) {
      LogEvent(spdlog::level::err, "bad_status",
               {{"request_id", request_id_}, {"status", response.status}});
      response = InternalErrorResponse(request_id_);
    }
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(response.status));
    bool cache_control = false;
    for (auto& [name, value] : response.headers) {
      const std::string lower = ToLower(name);
      if (IsServerOwned(lower) || !IsValidHeader(name, value)) {
        LogEvent(spdlog::level::warn, "dropped_header",
                 {{"request_id", request_id_}, {"header", name}});
        continue;
      }
      cache_control = cache_control || lower == "cache-control";
      response_.insert(name, value);
    }
    if (!cache_control) response_.set(bhttp::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    response_.set("X-Request-Id", request_id_);
    response_.set(bhttp::field::date, HttpDate());
    response_.set(bhttp::field::server, "Trellis");
    status_ = response.status;
    // RFC 9110 15.3.5 and 15.4.5: 204 and 304 have no content.
    const bool no_content = response.status == 204 || response.status == 304;
    if (!no_content) {
      if (!response.content_type.empty() &&
          IsValidHeader("content-type", response.content_type))
        response_.set(bhttp::field::content_type, response.content_type);
      response_.body() = std::move(response.body);
    }
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();
  }

  void OnWritten(const error_code& ec, size_t bytes) {
    beast::get_lowest_layer(stream_).expires_never();
    serializer_.reset();
    const double ms =
        std::chrono::duration<double, std::milli>(Clock::now() - started_)
            .count();
    LogRequest({{"method", method_},
                {"path", path_},
                {"status", status_},
                {"duration_ms", std::round(ms * 1000.0) / 1000.0},
                {"bytes_out", bytes},
                {"remote", remote_},
                {"request_id", request_id_}});
    method_.clear();
    path_.clear();
    request_id_.clear();
    if (ec) {
      Close();
      return;
    }
    if (shared_->stopping) ++shared_->drained;
    first_request_ = false;
    if (!keep_alive_) {
      Linger();
      return;
    }
    WaitForRequest();
  }

  void Linger() {
    phase_ = Phase::kClosing;
    if constexpr (kTls) {
      // close_notify, then wait a little for the client's.
      beast::get_lowest_layer(stream_).expires_after(kLingerTime);
      stream_.async_shutdown([self = this->shared_from_this()](
                                 const error_code&) { self->Close(); });
    } else {
      error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      Arm(kLingerTime);
      Drain();
    }
  }

  void Drain() {
    stream_.async_read_some(
        asio::buffer(drain_),
        [self = this->shared_from_this()](const error_code& ec, size_t) {
          if (ec) {  // the client closed, or kLingerTime passed
            self->Close();
            return;
          }
          self->Drain();
        });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    Disarm();
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  Stream stream_;
  asio::steady_timer timer_;
  std::shared_ptr<Shared> shared_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<internal::BeastParser> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
  std::array<char, kReadChunk> drain_{};

  Phase phase_ = Phase::kIdle;
  uint64_t timer_generation_ = 0;
  bool timed_out_ = false;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  Clock::time_point started_ = Clock::now();
  // For the request's log line.
  std::string method_;
  std::string path_;
  std::string request_id_;
  int status_ = 0;
};

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
    acceptor.async_accept(
        asio::make_strand(io), [this](const error_code& ec, tcp::socket s) {
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

  void StartConnection(tcp::socket socket) {
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    const auto peer = socket.remote_endpoint(ec);
    std::string remote = ec ? "" : peer.address().to_string();
    if (tls)
      std::make_shared<Connection<true>>(std::move(socket), shared, &*tls,
                                         std::move(remote))
          ->Start();
    else
      std::make_shared<Connection<false>>(std::move(socket), shared, nullptr,
                                          std::move(remote))
          ->Start();
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
