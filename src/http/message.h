// HTTP requests and responses as plain values, the one mapping from error
// codes to HTTP statuses, and the JSON error body every answer uses. Plain
// types and pure functions; safe to use from many threads.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.h"

namespace trellis::http {

// A request as a handler sees it. The server fills every field; tests and
// tools may build one by hand.
struct Request {
  std::string method;  // as sent: "GET", "POST"; methods are case-sensitive
  std::string target;  // as sent: "/api/v1/people?name=Ann%20Lee"
  std::string path;    // percent-decoded, without the query: "/api/v1/people"
  // Decoded ('+' is a space), in the order sent; a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  // Names lower-cased, values as sent without surrounding white space, in the
  // order sent; a name may repeat.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;      // the peer's IP address
  std::string request_id;  // also sent back as X-Request-Id and logged
  bool tls = false;        // the request came over TLS

  // The first header named `lower_name` (which must be lower case).
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // The first query parameter named `name`.
  std::optional<std::string_view> Query(std::string_view name) const;
  // The cookies of every Cookie header, in order, as name and value; a value
  // in double quotes loses them. Pieces without '=' are skipped.
  std::vector<std::pair<std::string, std::string>> Cookies() const;
};

// What a handler answers. The server adds Date, Server, X-Request-Id,
// X-Content-Type-Options and, unless set here, Cache-Control: no-store; it
// owns the framing headers (Connection, Content-Length, Transfer-Encoding),
// and Content-Type comes from `content_type`, so those in `headers` are
// dropped.
struct Response {
  int status = 200;
  std::string content_type = "application/json";  // empty: none is sent
  std::string body;
  // Extra headers, e.g. Set-Cookie, Location, Retry-After; a name may repeat.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The HTTP status for an error code: the one place this mapping is made.
// Malformed input the server or a handler cannot read at all (bad HTTP, bad
// JSON) is 400 and decided by the caller, not by a code.
int StatusOf(ErrorCode code);

// `status` with the JSON body
//   {"code": "not_found", "message": "...", "fields": [{"field": "...",
//    "message": "..."}]}
// where "code" is ErrorCodeName(error.code) and "fields" is always present.
Response ErrorResponse(int status, const Error& error);
// The same body with a code outside ErrorCode, for what HTTP itself reports:
// "bad_request", "payload_too_large", "headers_too_large", "request_timeout",
// "method_not_allowed". "fields" is empty.
Response ErrorResponse(int status, std::string_view code,
                       std::string_view message);

// The 500 answer for a bug: code "internal" and a message that quotes
// `request_id` (when there is one) so a report can be matched to the log.
Response InternalErrorResponse(std::string_view request_id);

// Decodes %XX escapes, and '+' to a space when `plus_is_space` (query
// strings). kInvalidArgument when a '%' is not followed by two hex digits, or
// the result holds a NUL or is not well-formed UTF-8.
// `text` fit for a query value: every byte but the unreserved (letters,
// digits, '-', '.', '_', '~') as %XX. PercentDecode(PercentEncode(t)) == t.
std::string PercentEncode(std::string_view text);

[[nodiscard]] std::expected<std::string, Error> PercentDecode(
    std::string_view text, bool plus_is_space);

// Splits a query string ("a=1&b=two+words") into decoded pairs, in order.
// Empty pieces ("a=1&&b=2") are skipped; a piece without '=' has an empty
// value. kInvalidArgument, naming the parameter, when a piece does not decode.
[[nodiscard]] std::expected<std::vector<std::pair<std::string, std::string>>,
                            Error>
ParseQuery(std::string_view query);

}  // namespace trellis::http
