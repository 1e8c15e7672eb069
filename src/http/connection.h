// Internal to trellis_http: one client connection, over a plain socket or TLS.
// ConnectionCore holds what does not depend on the stream (reading the
// request's fields, building the answer, the log line) and is compiled once,
// in connection.cc; Connection<kTls> adds the I/O and is instantiated once
// per file, plain_connection.cc and tls_connection.cc. Every member is touched
// only on the connection's strand: the I/O handlers run there, and the worker
// pool hands the answer back through it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "http/beast.h"
#include "http/beast_request.h"
#include "http/message.h"
#include "http/parse.h"
#include "http/server.h"
#include "http/server_internal.h"

namespace trellis::http::internal {

// How long a closing connection keeps reading what the client still sends
// before closing. Closing a socket with unread input makes the kernel send a
// reset, which can destroy the answer (a 413, say) before the client reads it.
inline constexpr std::chrono::seconds kLingerTime{5};
inline constexpr size_t kReadChunk = 4096;

// Runs the handler on a worker thread, turning what it throws into a 500.
Response RunHandler(const Handler& handler, const Request& request);

class ConnectionCore : public ConnectionBase {
 public:
  ~ConnectionCore() override;
  ConnectionCore(const ConnectionCore&) = delete;
  ConnectionCore& operator=(const ConnectionCore&) = delete;

 protected:
  enum class Phase {
    kHandshake,  // TLS handshake
    kIdle,       // waiting for the first byte of a request
    kReading,    // a request has begun
    kHandling,   // the handler runs on a worker
    kWriting,
    kClosing,  // answered; reading what is left before closing
    kClosed,
  };

  ConnectionCore(std::shared_ptr<Shared> shared, std::string remote);

  const ServerOptions& options() const { return shared_->options; }

  // A fresh parser, with the limits, for the next request.
  void NewParser();
  // Whether the client waits for "100 Continue" before sending its body.
  bool ExpectsContinue() const;
  // The complete request the parser holds, with remote, tls and request_id
  // filled in, remembered for the log line; or why it cannot be served.
  std::expected<Request, ParseError> TakeRequest(bool tls);
  // True when a failed read means the client left or the connection is
  // closing, rather than a request to refuse.
  bool IsQuietEnd(const boost::system::error_code& ec) const;
  // What to answer for a request that could not be read, for SendError.
  ParseError ReadError(const boost::system::error_code& ec) const;
  // Prepares the answer for a request that cannot be served, and marks the
  // connection to close after it.
  Response ErrorAnswer(const ParseError& error);
  // response_ from the handler's answer plus the server's own headers.
  void Build(Response response);
  // Logs the answer just written and forgets the request.
  void LogAnswer(size_t bytes_out);

  std::shared_ptr<Shared> shared_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  std::optional<BeastParser> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::optional<
      boost::beast::http::response_serializer<boost::beast::http::string_body>>
      serializer_;
  std::array<char, kReadChunk> drain_{};

  Phase phase_ = Phase::kIdle;
  uint64_t timer_generation_ = 0;
  bool timed_out_ = false;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  std::chrono::steady_clock::time_point started_ =
      std::chrono::steady_clock::now();
  // For the request's log line.
  std::string method_;
  std::string path_;
  std::string request_id_;
  int status_ = 0;
};

template <bool kTls>
class Connection final : public ConnectionCore,
                         public std::enable_shared_from_this<Connection<kTls>> {
 public:
  using Stream =
      std::conditional_t<kTls, boost::asio::ssl::stream<Socket>, Socket>;
  using Timer = boost::asio::basic_waitable_timer<
      std::chrono::steady_clock,
      boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;
  using error_code = boost::system::error_code;

  // `tls` is used, and must outlive the connection, only when kTls.
  Connection(Socket socket, std::shared_ptr<Shared> shared,
             boost::asio::ssl::context* tls, std::string remote)
      : ConnectionCore(std::move(shared), std::move(remote)),
        stream_(MakeStream(std::move(socket), tls)),
        timer_(stream_.get_executor()) {}

  ~Connection() override = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    if (!shared_->Register(this, this->weak_from_this())) return;
    boost::asio::dispatch(stream_.get_executor(),
                          [self = this->shared_from_this()] { self->Begin(); });
  }

  void OnServerStop() override {
    boost::asio::post(
        stream_.get_executor(), [self = this->shared_from_this()] {
          // Only a connection waiting for its next request is dropped; one
          // reading or handling a request will answer it and then close.
          if (self->phase_ == Phase::kHandshake || self->phase_ == Phase::kIdle)
            self->Close();
        });
  }

  void ForceClose() override {
    boost::asio::post(stream_.get_executor(),
                      [self = this->shared_from_this()] { self->Close(); });
  }

 private:
  static Stream MakeStream(Socket socket, boost::asio::ssl::context* tls) {
    if constexpr (kTls)
      return Stream(std::move(socket), *tls);
    else
      return socket;
  }

  Socket& socket() {
    if constexpr (kTls)
      return stream_.next_layer();
    else
      return stream_;
  }

  // One deadline for every step: reading a request (a request that has begun
  // is owed a 408, so the read is cancelled rather than the socket closed),
  // writing an answer, and lingering before the close.
  void Arm(std::chrono::steady_clock::duration timeout) {
    timed_out_ = false;
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait(
        [self = this->shared_from_this(), generation](const error_code& ec) {
          if (ec || generation != self->timer_generation_) return;
          self->timed_out_ = true;
          error_code ignored;
          self->socket().cancel(ignored);  // the pending I/O ends, aborted
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
          boost::asio::ssl::stream_base::server,
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
    NewParser();
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
    started_ = std::chrono::steady_clock::now();
    Arm(options().read_timeout);  // the whole request, from its first byte
    boost::beast::http::async_read_header(
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
    // A client that asked to be told before sending its body (curl does for
    // large ones) would otherwise wait a second or more for nothing.
    if (ExpectsContinue()) {
      static constexpr std::string_view kContinue =
          "HTTP/1.1 100 Continue\r\n\r\n";
      boost::asio::async_write(
          stream_, boost::asio::buffer(kContinue.data(), kContinue.size()),
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
    boost::beast::http::async_read(
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
    if (!timed_out_ && IsQuietEnd(ec)) {
      Close();
      return;
    }
    SendError(ReadError(ec));
  }

  void OnRequest() {
    auto request = TakeRequest(kTls);
    if (!request) {
      SendError(request.error());
      return;
    }
    phase_ = Phase::kHandling;
    boost::asio::post(*shared_->workers, [self = this->shared_from_this(),
                                          executor = stream_.get_executor(),
                                          request = std::move(*request)] {
      Response response = RunHandler(self->shared_->handler, request);
      boost::asio::post(executor,
                        [self, response = std::move(response)]() mutable {
                          self->Answer(std::move(response));
                        });
    });
  }

  // An answer the server gives itself: the request cannot be served, and
  // what follows it on the connection cannot be trusted to start a request.
  void SendError(const ParseError& error) { Answer(ErrorAnswer(error)); }

  void Answer(Response response) {
    if (phase_ == Phase::kClosed) return;  // force-closed while handling
    if (shared_->stopping) keep_alive_ = false;
    Build(std::move(response));
    phase_ = Phase::kWriting;
    Arm(options().read_timeout);
    auto on_write = [self = this->shared_from_this()](const error_code& ec,
                                                      size_t bytes) {
      self->OnWritten(ec, bytes);
    };
    if (head_) {
      // The headers a GET would have had, Content-Length included, and no
      // body (RFC 9110 9.3.2).
      serializer_.emplace(response_);
      boost::beast::http::async_write_header(stream_, *serializer_,
                                             std::move(on_write));
    } else {
      boost::beast::http::async_write(stream_, response_, std::move(on_write));
    }
  }

  void OnWritten(const error_code& ec, size_t bytes) {
    Disarm();
    serializer_.reset();
    LogAnswer(bytes);
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
    Arm(kLingerTime);
    if constexpr (kTls) {
      // close_notify, then wait a little for the client's.
      stream_.async_shutdown([self = this->shared_from_this()](
                                 const error_code&) { self->Close(); });
    } else {
      error_code ignored;
      socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }

  void Drain() {
    stream_.async_read_some(
        boost::asio::buffer(drain_),
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
    socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  Stream stream_;
  Timer timer_;
};

}  // namespace trellis::http::internal
