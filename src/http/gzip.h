// gzip for responses whose bytes carry no secret (built assets): compressed
// once and sent to clients that accept it. Pages are not compressed: they
// carry a CSRF token beside text from the request, which a compressed length
// would leak (BREACH).
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace trellis::http {

// Whether the request's Accept-Encoding names gzip (and not with q=0).
bool AcceptsGzip(const Request& request);

// `bytes` in the gzip format at zlib's `level` (1 fastest .. 9 smallest).
std::string Gzip(std::string_view bytes, int level = 9);

}  // namespace trellis::http
