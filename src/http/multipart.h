// Reading a form a browser posts as multipart/form-data (RFC 7578 over RFC
// 2046's multipart syntax), such as a CSV file chosen in a file input. Pure
// functions over bytes; thread-safe. Work is linear in the body's size.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"

namespace trellis::http {

// One field of the form, in the order sent.
struct FormPart {
  std::string name;          // the field's name, as sent
  std::string filename;      // a file input's file name, as sent; may be empty
  std::string content_type;  // the part's Content-Type; empty when not sent
  std::string body;          // the bytes exactly as sent (CRLF kept)
  bool is_file = false;      // the part had a filename parameter (a file
                             // input, even with no file chosen)
};

// More parts than this is not a form Trellis serves.
inline constexpr size_t kMaxFormParts = 100;

// The boundary of a Content-Type header value such as
//   multipart/form-data; boundary="----Boundary7MA4YWxk"
// (the type and parameter names in any case, the boundary quoted or not).
// kInvalidArgument, saying what is wrong, when the type is not
// multipart/form-data, the parameters cannot be read, or the boundary is
// missing, given twice, longer than 70 characters or holds a character RFC
// 2046 does not allow.
[[nodiscard]] std::expected<std::string, Error> MultipartBoundary(
    std::string_view content_type);

// The parts of a multipart/form-data `body` sent with `content_type`. Text
// before the first boundary line and after the closing one is ignored. Lines
// outside part bodies end in CRLF. Each part needs a Content-Disposition of
// form-data with a name; `filename*` and headers other than
// Content-Disposition and Content-Type are ignored. kInvalidArgument, saying
// what is wrong, for a bad content type (see MultipartBoundary), no boundary
// line, a header line without a colon or with a bad name, a part without its
// blank line or Content-Disposition, a name or filename that is not UTF-8,
// more than kMaxFormParts parts, or a body without its closing
// `--boundary--` line (a form cut short). The `fields` of the error are empty.
[[nodiscard]] std::expected<std::vector<FormPart>, Error> ParseMultipart(
    std::string_view content_type, std::string_view body);

}  // namespace trellis::http
