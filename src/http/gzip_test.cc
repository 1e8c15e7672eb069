#include "http/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace trellis::http {
namespace {

std::string Gunzip(const std::string& bytes) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

Request With(const std::string& accept) {
  Request request;
  request.headers.emplace_back("accept-encoding", accept);
  return request;
}

TEST(GzipTest, RoundTripsAndShrinksText) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "<tr><td>Newcastle</td></tr>\n";
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size() / 10);
  EXPECT_EQ(packed.substr(0, 2), std::string("\x1f\x8b")) << "gzip magic";
  EXPECT_EQ(Gunzip(packed), text);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

TEST(GzipTest, ReadsAcceptEncodingAsBrowsersSendIt) {
  EXPECT_TRUE(AcceptsGzip(With("gzip, deflate, br")));
  EXPECT_TRUE(AcceptsGzip(With("br;q=1.0, gzip;q=0.8, *;q=0.1")));
  EXPECT_TRUE(AcceptsGzip(With("x-gzip")));
  EXPECT_FALSE(AcceptsGzip(With("gzip;q=0")));
  EXPECT_FALSE(AcceptsGzip(With("gzip ; q=0.000")));
  EXPECT_FALSE(AcceptsGzip(With("deflate, br")));
  EXPECT_FALSE(AcceptsGzip(With("gzipped")));
  EXPECT_FALSE(AcceptsGzip(Request{}));
}

}  // namespace
}  // namespace trellis::http
