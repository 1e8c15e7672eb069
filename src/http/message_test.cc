#include "http/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace trellis::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(HttpMessageTest, EachErrorCodeHasItsStatus) {
  const std::vector<std::pair<ErrorCode, int>> table = {
      {ErrorCode::kInvalidArgument, 422},
      {ErrorCode::kNotFound, 404},
      {ErrorCode::kAlreadyExists, 409},
      {ErrorCode::kFailedPrecondition, 409},
      {ErrorCode::kPermissionDenied, 403},
      {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kConflict, 409},
      {ErrorCode::kUnavailable, 503},
      {ErrorCode::kInternal, 500},
  };
  for (const auto& [code, status] : table)
    EXPECT_EQ(StatusOf(code), status) << ErrorCodeName(code);
}

TEST(HttpMessageTest, ErrorResponseIsTheDocumentedJson) {
  const Response response = ErrorResponse(
      422, Error{ErrorCode::kInvalidArgument,
                 "The booking cannot be made.",
                 {{"session", "is full"}, {"person", "unknown"}}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body,
            R"({"code":"invalid_argument","message":"The booking cannot be )"
            R"(made.","fields":[{"field":"session","message":"is full"},)"
            R"({"field":"person","message":"unknown"}]})");
}

TEST(HttpMessageTest, ErrorResponseAlwaysHasFields) {
  EXPECT_EQ(
      ErrorResponse(404, Error{ErrorCode::kNotFound, "No such page.", {}}).body,
      R"({"code":"not_found","message":"No such page.","fields":[]})");
  EXPECT_EQ(
      ErrorResponse(405, "method_not_allowed", "Use GET.").body,
      R"({"code":"method_not_allowed","message":"Use GET.","fields":[]})");
}

TEST(HttpMessageTest, ErrorResponseSurvivesTextThatIsNotUtf8) {
  const Response response = ErrorResponse(400, "bad_request", "bad \xFF byte");
  EXPECT_THAT(response.body, HasSubstr("bad \xEF\xBF\xBD byte"));  // U+FFFD
}

TEST(HttpMessageTest, InternalErrorQuotesTheRequestId) {
  const Response response = InternalErrorResponse("req-42");
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, HasSubstr(R"("code":"internal")"));
  EXPECT_THAT(response.body, HasSubstr("req-42"));
}

TEST(HttpMessageTest, HeaderAndQueryGiveTheFirstValue) {
  Request request;
  request.headers = {{"accept", "text/html"}, {"x-a", "1"}, {"x-a", "2"}};
  request.query = {{"page", "2"}, {"page", "3"}, {"name", ""}};
  EXPECT_EQ(request.Header("x-a"), "1");
  EXPECT_EQ(request.Header("missing"), std::nullopt);
  EXPECT_EQ(request.Query("page"), "2");
  EXPECT_EQ(request.Query("name"), "");
  EXPECT_EQ(request.Query("missing"), std::nullopt);
}

TEST(HttpMessageTest, CookiesComeFromEveryCookieHeader) {
  Request request;
  request.headers = {{"cookie", "session=abc; theme=\"dark\" ;broken; =x"},
                     {"accept", "*/*"},
                     {"cookie", "lang=en"}};
  EXPECT_THAT(request.Cookies(),
              ElementsAre(Pair("session", "abc"), Pair("theme", "dark"),
                          Pair("lang", "en")));
  EXPECT_THAT(Request{}.Cookies(), IsEmpty());
}

TEST(HttpMessageTest, PercentEncodeKeepsOnlyUnreservedBytes) {
  EXPECT_EQ(PercentEncode("/people/A&B c"), "%2Fpeople%2FA%26B%20c");
  EXPECT_EQ(PercentEncode("a-z.0_9~"), "a-z.0_9~");
  const std::string odd = "/x?y=1#z%\xC3\xA9";
  EXPECT_EQ(PercentDecode(PercentEncode(odd), true), odd);
}

TEST(HttpMessageTest, PercentDecodeDecodesEscapes) {
  EXPECT_EQ(PercentDecode("Ann%20Lee", false), "Ann Lee");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%2b%2F", true), "+/");
  EXPECT_EQ(PercentDecode("caf%C3%A9", false), "caf\xC3\xA9");
  EXPECT_EQ(PercentDecode("", false), "");
}

TEST(HttpMessageTest, PercentDecodeRejectsBadEscapesNulAndBadUtf8) {
  // Cut short, not hex, NUL escaped, a lone continuation byte, an overlong
  // '/', a surrogate, a byte that is never UTF-8.
  for (const char* bad : {"%", "%4", "a%zz", "%G0", "%00", "%C3%28", "%C0%AF",
                          "%ED%A0%80", "\xFF"}) {
    auto decoded = PercentDecode(bad, true);
    ASSERT_FALSE(decoded.has_value()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(PercentDecode(std::string("a\0b", 3), false).has_value());
}

TEST(HttpMessageTest, ParseQueryKeepsOrderAndRepeats) {
  auto query = ParseQuery("b=2&a=1+2&&b=three%20&flag&=empty-name");
  ASSERT_TRUE(query.has_value()) << query.error().message;
  EXPECT_THAT(*query,
              ElementsAre(Pair("b", "2"), Pair("a", "1 2"), Pair("b", "three "),
                          Pair("flag", ""), Pair("", "empty-name")));
  EXPECT_THAT(*ParseQuery(""), IsEmpty());
}

TEST(HttpMessageTest, ParseQueryNamesTheParameterThatDoesNotDecode) {
  auto query = ParseQuery("ok=1&name=%zz");
  ASSERT_FALSE(query.has_value());
  EXPECT_THAT(query.error().message, HasSubstr("'name'"));
  EXPECT_FALSE(ParseQuery("%00=1").has_value());
}

}  // namespace
}  // namespace trellis::http
