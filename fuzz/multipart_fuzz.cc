// libFuzzer target: any bytes, as a Content-Type line and a form body, give
// the form's parts or an error saying what is wrong, and never crash, hang or
// leak. The first line of the input is the Content-Type, the rest the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/text.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string_view content_type = input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos
                                    ? std::string_view()
                                    : input.substr(eol + 1);
  auto parts = trellis::http::ParseMultipart(content_type, body);
  if (!parts) {
    // The message may reach a page or a JSON answer: never empty, always
    // UTF-8.
    const std::string& message = parts.error().message;
    if (parts.error().code != trellis::ErrorCode::kInvalidArgument ||
        message.empty() || trellis::InvalidUtf8At(message))
      __builtin_trap();
    return 0;
  }
  // What a handler relies on: at most the limit of parts, UTF-8 names, file
  // names and types, and bodies that are pieces of the body sent.
  if (parts->size() > trellis::http::kMaxFormParts) __builtin_trap();
  size_t total = 0;
  for (const auto& part : *parts) {
    if (trellis::InvalidUtf8At(part.name) ||
        trellis::InvalidUtf8At(part.filename) ||
        trellis::InvalidUtf8At(part.content_type))
      __builtin_trap();
    if (!part.is_file && !part.filename.empty()) __builtin_trap();
    total += part.body.size();
  }
  if (total > body.size()) __builtin_trap();
  return 0;
}
