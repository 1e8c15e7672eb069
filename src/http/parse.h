// Reading one HTTP/1.x request from bytes: the same parser, limits and
// conversion the server uses on a connection, callable on a buffer so tests
// and the fuzzer reach them without a socket. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "http/message.h"

namespace trellis::http {

struct Limits {
  // The request line and headers together.
  size_t max_header_bytes = size_t{16} * 1024;
  size_t max_body_bytes = size_t{1024} * 1024;
};

// Why a request could not be read, as the answer the server gives for it.
struct ParseError {
  int status = 400;  // see ParseRequest
  std::string code;  // for the JSON body: "bad_request", "payload_too_large"...
  std::string message;
};

// Parses the first request in `raw`; bytes after it (a pipelined request) are
// ignored. Fails with 400 when the request is malformed or cut short, its
// target is not a path ("/..."), a percent-escape in the path or query is bad
// or decodes to NUL or invalid UTF-8, or an HTTP/1.1 request has no single
// Host; 413 when the body is longer than `limits.max_body_bytes`; 431 when the
// request line and headers are longer than `limits.max_header_bytes`. Beast
// reads HTTP/1.0 and HTTP/1.1 only; another version is malformed (400).
// `remote`, `request_id` and `tls` are left empty; the request id is taken
// from an X-Request-Id header when it is safe (see server.h).
[[nodiscard]] std::expected<Request, ParseError> ParseRequest(
    std::string_view raw, const Limits& limits);

}  // namespace trellis::http
