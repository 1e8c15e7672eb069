#include "http/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace trellis::http {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

class HttpLogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    ASSERT_TRUE(InitLogging("json", "info").has_value());
  }
};

TEST_F(HttpLogTest, JsonLinesCarryTimeLevelEventAndFields) {
  ASSERT_TRUE(InitLogging("json", "info").has_value());
  ::testing::internal::CaptureStderr();
  LogEvent(spdlog::level::info, "shutdown",
           {{"drained_requests", 3}, {"event", "ignored"}});
  LogRequest({{"method", "GET"}, {"path", "/a b"}, {"status", 200}});
  const std::string out = ::testing::internal::GetCapturedStderr();

  const size_t newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos) << out;
  const auto first = nlohmann::json::parse(out.substr(0, newline));
  EXPECT_THAT(first["ts"].get<std::string>(),
              MatchesRegex(R"(....-..-..T..:..:..\....Z)"));
  EXPECT_EQ(first["level"], "info");
  EXPECT_EQ(first["event"], "shutdown");
  EXPECT_EQ(first["drained_requests"], 3);
  const auto second = nlohmann::json::parse(out.substr(newline + 1));
  EXPECT_EQ(second["event"], "request");
  EXPECT_EQ(second["path"], "/a b");
  EXPECT_EQ(second["status"], 200);
}

TEST_F(HttpLogTest, TextLinesQuoteValuesThatNeedIt) {
  ASSERT_TRUE(InitLogging("text", "info").has_value());
  ::testing::internal::CaptureStderr();
  LogEvent(spdlog::level::warn, "drain_timeout",
           {{"open_connections", 2}, {"note", "two words"}, {"host", "h"}});
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, HasSubstr(" warning drain_timeout "));
  EXPECT_THAT(out, HasSubstr(R"(note="two words")"));
  EXPECT_THAT(out, HasSubstr(" host=h"));
  EXPECT_THAT(out, HasSubstr(" open_connections=2"));
}

TEST_F(HttpLogTest, DropsEventsBelowTheLevel) {
  ASSERT_TRUE(InitLogging("json", "warn").has_value());
  ::testing::internal::CaptureStderr();
  LogEvent(spdlog::level::info, "quiet", {});
  LogRequest({{"status", 200}});
  LogEvent(spdlog::level::err, "loud", {});
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, StartsWith("{\"ts\""));
  EXPECT_THAT(out, HasSubstr("loud"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("quiet")));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("request")));
}

TEST_F(HttpLogTest, RefusesUnknownFormatsAndLevels) {
  auto format = InitLogging("xml", "info");
  ASSERT_FALSE(format.has_value());
  EXPECT_EQ(format.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(format.error().message, HasSubstr("'xml'"));
  auto level = InitLogging("json", "verbose");
  ASSERT_FALSE(level.has_value());
  EXPECT_THAT(level.error().message, HasSubstr("'verbose'"));
}

}  // namespace
}  // namespace trellis::http
