// Internal to trellis_http: the Beast side of reading a request, shared by
// ParseRequest and the server so both take the same path. Not thread-safe per
// parser; the functions themselves are pure.
#pragma once

#include <expected>
#include <string_view>

#include "http/beast.h"
#include "http/message.h"
#include "http/parse.h"

namespace trellis::http::internal {

using BeastRequest =
    boost::beast::http::request<boost::beast::http::string_body>;
using BeastParser =
    boost::beast::http::request_parser<boost::beast::http::string_body>;

// Applies `limits` to a fresh parser.
void ApplyLimits(BeastParser& parser, const Limits& limits);

// The answer for a parser error: 413 body_limit, 431 header_limit, otherwise
// 400.
ParseError ParseErrorFor(const boost::system::error_code& error,
                         const Limits& limits);

// Turns a parsed message into a Request: splits and decodes the target, lower-
// cases header names, keeps a safe X-Request-Id. Fails as ParseRequest does
// for a bad target or Host.
[[nodiscard]] std::expected<Request, ParseError> ConvertRequest(
    BeastRequest&& message);

// An incoming X-Request-Id worth keeping: 1 to 64 of [A-Za-z0-9._-].
bool IsSafeRequestId(std::string_view id);

inline std::string_view ToStd(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

}  // namespace trellis::http::internal
