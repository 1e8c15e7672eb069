#include "http/parse.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "domain/text.h"
#include "http/beast_request.h"

namespace trellis::http {
namespace internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

ParseError BadRequest(std::string message) {
  return ParseError{400, "bad_request", std::move(message)};
}

}  // namespace

void ApplyLimits(BeastParser& parser, const Limits& limits) {
  // Beast counts the limit in 32 bits; anything larger is no limit at all.
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(limits.max_header_bytes, UINT32_MAX)));
  parser.body_limit(static_cast<std::uint64_t>(limits.max_body_bytes));
}

ParseError ParseErrorFor(const boost::system::error_code& error,
                         const Limits& limits) {
  if (error == bhttp::error::body_limit)
    return ParseError{413, "payload_too_large",
                      "The request body is larger than the " +
                          std::to_string(limits.max_body_bytes) +
                          " bytes this server accepts."};
  if (error == bhttp::error::header_limit ||
      error == bhttp::error::buffer_overflow)
    return ParseError{431, "headers_too_large",
                      "The request line and headers are larger than the " +
                          std::to_string(limits.max_header_bytes) +
                          " bytes this server accepts."};
  if (error == bhttp::error::partial_message)
    return BadRequest("The request ended before it was complete.");
  return BadRequest("The request is not valid HTTP/1.1: " + error.message() +
                    ".");
}

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::expected<Request, ParseError> ConvertRequest(BeastRequest&& message) {
  Request request;
  request.method = std::string(ToStd(message.method_string()));
  request.target = std::string(ToStd(message.target()));

  // Only origin-form ("/path?query"): nothing in front of Trellis sends the
  // absolute or authority forms, and "*" is for OPTIONS, which we do not
  // serve. A fragment is never part of a request target (RFC 9112 3.2).
  const std::string_view target = request.target;
  if (target.empty() || target.front() != '/')
    return std::unexpected(
        BadRequest("The request target must be a path starting with '/'."));
  if (target.find('#') != std::string_view::npos)
    return std::unexpected(
        BadRequest("The request target must not hold a fragment ('#')."));
  const size_t question = target.find('?');
  auto path = PercentDecode(target.substr(0, question), false);
  if (!path)
    return std::unexpected(BadRequest(
        "The request path cannot be read: " + path.error().message + "."));
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    auto query = ParseQuery(target.substr(question + 1));
    if (!query)
      return std::unexpected(BadRequest("The request's query cannot be read: " +
                                        query.error().message + "."));
    request.query = std::move(*query);
  }

  int hosts = 0;
  for (const auto& field : message) {
    std::string name = ToLower(ToStd(field.name_string()));
    if (name == "host") ++hosts;
    request.headers.emplace_back(std::move(name),
                                 std::string(ToStd(field.value())));
  }
  // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without
  // exactly one Host.
  if (message.version() >= 11 && hosts != 1)
    return std::unexpected(
        BadRequest("An HTTP/1.1 request must carry exactly one Host header."));

  if (const auto id = request.Header("x-request-id");
      id && IsSafeRequestId(*id))
    request.request_id = std::string(*id);
  request.body = std::move(message.body());
  return request;
}

}  // namespace internal

std::expected<Request, ParseError> ParseRequest(std::string_view raw,
                                                const Limits& limits) {
  internal::BeastParser parser;
  internal::ApplyLimits(parser, limits);
  parser.eager(true);
  boost::system::error_code error;
  std::string_view rest = raw;
  while (!parser.is_done()) {
    // A const_buffer itself, not asio::buffer()'s sequence type: Beast then
    // parses in place instead of copying into a buffer of its own.
    const size_t used =
        parser.put(boost::asio::const_buffer(rest.data(), rest.size()), error);
    rest.remove_prefix(used);
    if (error == boost::beast::http::error::need_more) {
      error = {};
      if (used > 0 && !rest.empty()) continue;
      // All there is has been given: the message either ends here (a request
      // without a body ends with its headers) or was cut short.
      parser.put_eof(error);
      if (!error && !parser.is_done())
        error = boost::beast::http::error::partial_message;
      break;
    }
    if (error) break;
    // A parser that took nothing and asked for nothing more cannot progress.
    if (used == 0 && !parser.is_done()) {
      error = boost::beast::http::error::partial_message;
      break;
    }
  }
  if (error) return std::unexpected(internal::ParseErrorFor(error, limits));
  return internal::ConvertRequest(parser.release());
}

}  // namespace trellis::http
