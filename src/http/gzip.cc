#include "http/gzip.h"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include "domain/text.h"

namespace trellis::http {

bool AcceptsGzip(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "accept-encoding") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view()
                                             : rest.substr(comma + 1);
      item = Trim(item);
      const std::size_t semi = item.find(';');
      const std::string_view coding = Trim(item.substr(0, semi));
      if (coding != "gzip" && coding != "x-gzip") continue;
      if (semi == std::string_view::npos) return true;
      // "gzip;q=0" refuses it; any other weight accepts it.
      std::string params(item.substr(semi + 1));
      std::erase_if(params, [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0;
      });
      return !(params == "q=0" || params == "q=0." || params == "q=0.0" ||
               params == "q=0.00" || params == "q=0.000");
    }
  }
  return false;
}

std::string Gzip(std::string_view bytes, int level) {
  z_stream stream{};
  // 15 + 16: the largest window, with a gzip header and trailer.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib would not start");
  }
  std::string out(deflateBound(&stream, bytes.size()) + 32, '\0');
  // zlib's interface is not const-correct; it only reads next_in.
  stream.next_in = reinterpret_cast<Bytef*>(  // NOLINT
      const_cast<char*>(bytes.data()));       // NOLINT
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(out.size());
  const int done = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (done != Z_STREAM_END) throw std::runtime_error("zlib did not finish");
  return out;
}

}  // namespace trellis::http
