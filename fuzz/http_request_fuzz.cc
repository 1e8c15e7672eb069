// libFuzzer target: any bytes, as what a client sends, give a request or the
// answer the server would refuse it with, and never crash, hang or leak. Small
// limits so that short inputs also reach the 413 and 431 paths.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/text.h"
#include "http/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const trellis::http::Limits limits{.max_header_bytes = 2048,
                                     .max_body_bytes = 4096};
  auto request = trellis::http::ParseRequest(raw, limits);
  if (!request) {
    const int status = request.error().status;
    if (status != 400 && status != 413 && status != 431) __builtin_trap();
    if (request.error().message.empty()) __builtin_trap();
    return 0;
  }
  // What a handler relies on: a decoded path that is a path, decoded text
  // that is UTF-8 without NUL, lower-case header names, a bounded body.
  if (request->path.empty() || request->path.front() != '/') __builtin_trap();
  if (trellis::InvalidUtf8At(request->path) ||
      request->path.find('\0') != std::string::npos)
    __builtin_trap();
  for (const auto& [name, value] : request->query)
    if (trellis::InvalidUtf8At(name) || trellis::InvalidUtf8At(value))
      __builtin_trap();
  for (const auto& [name, value] : request->headers)
    for (const char c : name)
      if (c >= 'A' && c <= 'Z') __builtin_trap();
  if (request->body.size() > limits.max_body_bytes) __builtin_trap();
  return 0;
}
