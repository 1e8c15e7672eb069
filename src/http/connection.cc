#include "http/connection.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <random>
#include <string_view>

#include "domain/text.h"
#include "http/log.h"

namespace trellis::http::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

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

}  // namespace

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

ConnectionCore::ConnectionCore(std::shared_ptr<Shared> shared,
                               std::string remote)
    : shared_(std::move(shared)), remote_(std::move(remote)) {}

ConnectionCore::~ConnectionCore() { shared_->Deregister(this); }

void ConnectionCore::NewParser() {
  parser_.emplace();
  ApplyLimits(*parser_, options().limits);
}

bool ConnectionCore::ExpectsContinue() const {
  const auto& header = parser_->get();
  return header.version() == 11 && !parser_->is_done() &&
         beast::iequals(header[bhttp::field::expect], "100-continue");
}

std::expected<Request, ParseError> ConnectionCore::TakeRequest(bool tls) {
  const auto& header = parser_->get();
  version_ = header.version();
  keep_alive_ = header.keep_alive();
  auto converted = ConvertRequest(parser_->release());
  parser_.reset();
  if (!converted) return converted;
  Request& request = *converted;
  request.remote = remote_;
  request.tls = tls;
  if (request.request_id.empty()) request.request_id = NewRequestId();
  method_ = request.method;
  path_ = request.path;
  request_id_ = request.request_id;
  head_ = request.method == "HEAD";
  return converted;
}

bool ConnectionCore::IsQuietEnd(const error_code& ec) const {
  return phase_ == Phase::kClosed || ec == asio::error::operation_aborted ||
         ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset ||
         ec == ssl::error::stream_truncated;
}

ParseError ConnectionCore::ReadError(const error_code& ec) const {
  if (timed_out_)
    return ParseError{408, "request_timeout",
                      "The request did not arrive within " +
                          std::to_string(options().read_timeout.count()) +
                          " seconds."};
  return ParseErrorFor(ec, options().limits);
}

Response ConnectionCore::ErrorAnswer(const ParseError& error) {
  if (parser_ && parser_->is_header_done()) {
    const auto& header = parser_->get();
    method_ = std::string(ToStd(header.method_string()));
    const std::string_view target = ToStd(header.target());
    path_ = std::string(target.substr(0, target.find('?')));
    const std::string_view id = ToStd(header["x-request-id"]);
    if (IsSafeRequestId(id)) request_id_ = std::string(id);
    head_ = method_ == "HEAD";
  }
  if (request_id_.empty()) request_id_ = NewRequestId();
  version_ = 11;
  keep_alive_ = false;
  return ErrorResponse(error.status, error.code, error.message);
}

void ConnectionCore::Build(Response response) {
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

void ConnectionCore::LogAnswer(size_t bytes_out) {
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
  LogRequest({{"method", method_},
              {"path", path_},
              {"status", status_},
              {"duration_ms", std::round(ms * 1000.0) / 1000.0},
              {"bytes_out", bytes_out},
              {"remote", remote_},
              {"request_id", request_id_}});
  method_.clear();
  path_.clear();
  request_id_.clear();
}

}  // namespace trellis::http::internal
