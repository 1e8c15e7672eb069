#include "http/parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace trellis::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// The status a request is refused with, or 0 when it parses.
int StatusOfParsing(const std::string& raw, const Limits& limits = {}) {
  auto request = ParseRequest(raw, limits);
  return request ? 0 : request.error().status;
}

TEST(HttpParseTest, ReadsARequestLineHeadersAndQuery) {
  auto request = ParseRequest(
      "GET /api/v1/people/Ann%20Lee?name=Ann+Lee&tag=a&tag=b%26c HTTP/1.1\r\n"
      "Host: trellis.example\r\n"
      "Accept: application/json\r\n"
      "X-Custom:  spaced value  \r\n"
      "\r\n",
      Limits{});
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->target,
            "/api/v1/people/Ann%20Lee?name=Ann+Lee&tag=a&tag=b%26c");
  EXPECT_EQ(request->path, "/api/v1/people/Ann Lee");
  EXPECT_THAT(request->query,
              ElementsAre(Pair("name", "Ann Lee"), Pair("tag", "a"),
                          Pair("tag", "b&c")));
  EXPECT_THAT(request->headers, ElementsAre(Pair("host", "trellis.example"),
                                            Pair("accept", "application/json"),
                                            Pair("x-custom", "spaced value")));
  EXPECT_EQ(request->body, "");
  EXPECT_EQ(request->request_id, "");  // the server makes one
}

TEST(HttpParseTest, ReadsBodiesByLengthAndChunked) {
  auto by_length = ParseRequest(
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
      Limits{});
  ASSERT_TRUE(by_length.has_value()) << by_length.error().message;
  EXPECT_EQ(by_length->body, "hello");

  auto chunked = ParseRequest(
      "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
      Limits{});
  ASSERT_TRUE(chunked.has_value()) << chunked.error().message;
  EXPECT_EQ(chunked->body, "hello");
}

TEST(HttpParseTest, KeepsASafeRequestIdOnly) {
  auto safe = ParseRequest(
      "GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: abc-123_x.Y\r\n\r\n", {});
  ASSERT_TRUE(safe.has_value());
  EXPECT_EQ(safe->request_id, "abc-123_x.Y");
  for (const std::string& id :
       {std::string("has space"), std::string("semi;colon"),
        std::string(65, 'a')}) {
    auto unsafe = ParseRequest(
        "GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: " + id + "\r\n\r\n", {});
    ASSERT_TRUE(unsafe.has_value()) << id;
    EXPECT_EQ(unsafe->request_id, "") << id;
  }
}

TEST(HttpParseTest, ReadsOnlyTheFirstOfPipelinedRequests) {
  auto request = ParseRequest(
      "GET /first HTTP/1.1\r\nHost: h\r\n\r\nGET /second HTTP/1.1\r\n", {});
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/first");
}

TEST(HttpParseTest, AcceptsHttp10WithoutHost) {
  EXPECT_EQ(StatusOfParsing("GET / HTTP/1.0\r\n\r\n"), 0);
}

TEST(HttpParseTest, RefusesMalformedRequestsWith400) {
  for (const std::string& raw : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n"),
           std::string("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\n\r\n"),  // no Host
           std::string("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
           std::string("GET http://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a%C3%28 HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a?q=%2 HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                       "Content-Length: 2\r\n\r\nab"),
           std::string("GET / HTTP/1.1\r\nHost: h\r\n"),  // cut short
           std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n"
                       "\r\nshort"),
           std::string(""),
       }) {
    auto request = ParseRequest(raw, {});
    ASSERT_FALSE(request.has_value()) << raw;
    EXPECT_EQ(request.error().status, 400) << raw;
    EXPECT_EQ(request.error().code, "bad_request") << raw;
    EXPECT_FALSE(request.error().message.empty());
  }
}

TEST(HttpParseTest, SaysWhichPartOfTheTargetIsBad) {
  auto path = ParseRequest("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", {});
  ASSERT_FALSE(path.has_value());
  EXPECT_THAT(path.error().message, HasSubstr("path"));
  auto query = ParseRequest("GET /a?who=%zz HTTP/1.1\r\nHost: h\r\n\r\n", {});
  ASSERT_FALSE(query.has_value());
  EXPECT_THAT(query.error().message, HasSubstr("'who'"));
}

TEST(HttpParseTest, RefusesTooLargeABodyWith413) {
  const Limits limits{.max_header_bytes = 1024, .max_body_bytes = 10};
  EXPECT_EQ(StatusOfParsing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
                            "10\r\n\r\n0123456789",
                            limits),
            0);
  auto too_long = ParseRequest(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n01234567890",
      limits);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().status, 413);
  EXPECT_EQ(too_long.error().code, "payload_too_large");
  // Chunks are counted as they come, without a length to go by.
  EXPECT_EQ(StatusOfParsing("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                            "chunked\r\n\r\n6\r\n012345\r\n6\r\n012345\r\n0\r\n"
                            "\r\n",
                            limits),
            413);
}

TEST(HttpParseTest, RefusesTooLargeHeadersWith431) {
  const Limits limits{.max_header_bytes = 256, .max_body_bytes = 1024};
  const std::string big(300, 'a');
  auto request = ParseRequest(
      "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n", limits);
  ASSERT_FALSE(request.has_value());
  EXPECT_EQ(request.error().status, 431);
  EXPECT_EQ(request.error().code, "headers_too_large");
  // Also when the headers never end.
  EXPECT_EQ(StatusOfParsing("GET / HTTP/1.1\r\nX-Big: " + big, limits), 431);
}

TEST(HttpParseTest, RefusesOtherHttpVersionsWith400) {
  EXPECT_EQ(StatusOfParsing("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), 400);
  EXPECT_EQ(StatusOfParsing("GET / HTTP/0.9\r\nHost: h\r\n\r\n"), 400);
}

}  // namespace
}  // namespace trellis::http
