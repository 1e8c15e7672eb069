#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "http/log.h"

namespace trellis::http {
namespace {

using ::testing::HasSubstr;

Request Get(std::string target, std::string method = "GET") {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.path = request.target.substr(0, request.target.find('?'));
  request.request_id = "test-id";
  return request;
}

// A handler answering with its route's name and its parameters.
RouteHandler Named(std::string name) {
  return [name](const Request&, const Params& params) {
    Response response;
    response.content_type = "text/plain";
    response.body = name;
    for (const auto& [key, value] : params.values())
      response.body += " " + key + "=" + value;
    return response;
  };
}

class HttpRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The handler exceptions below are logged; keep the test output short.
    ASSERT_TRUE(InitLogging("json", "off").has_value());
    router_.Add("GET", "/", Named("home"));
    router_.Add("GET", "/api/v1/sessions", Named("list"));
    router_.Add("POST", "/api/v1/sessions", Named("create"));
    router_.Add("GET", "/api/v1/sessions/new", Named("new-form"));
    router_.Add("GET", "/api/v1/sessions/{id}", Named("one"));
    router_.Add("DELETE", "/api/v1/sessions/{id}", Named("cancel"));
    router_.Add("GET", "/api/v1/sessions/{id}/bookings/{booking}",
                Named("booking"));
  }
  void TearDown() override {
    ASSERT_TRUE(InitLogging("json", "info").has_value());
  }

  Router router_;
};

TEST_F(HttpRouterTest, DispatchesByMethodAndPath) {
  EXPECT_EQ(router_.Dispatch(Get("/")).body, "home");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions")).body, "list");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions", "POST")).body, "create");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions?from=2024-01-01")).body,
            "list");
}

TEST_F(HttpRouterTest, GivesPathParametersDecoded) {
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/S%2012")).body,
            "one id=S 12");
  // An escaped slash stays inside its segment.
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/a%2Fb/bookings/B1")).body,
            "booking id=a/b booking=B1");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/caf%C3%A9")).body,
            "one id=caf\xC3\xA9");
}

TEST_F(HttpRouterTest, PrefersALiteralSegmentToAParameter) {
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/new")).body, "new-form");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/news")).body, "one id=news");
}

TEST_F(HttpRouterTest, AnswersAnUnknownPathWith404) {
  for (const char* target :
       {"/nowhere", "/api/v1/sessions/", "/api/v1//sessions", "/api/v1"}) {
    const Response response = router_.Dispatch(Get(target));
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_THAT(response.body, HasSubstr(R"("code":"not_found")")) << target;
  }
}

TEST_F(HttpRouterTest, AnswersAKnownPathWithAnotherMethodWith405AndAllow) {
  const Response response = router_.Dispatch(Get("/api/v1/sessions/S1", "PUT"));
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.body, HasSubstr(R"("code":"method_not_allowed")"));
  ASSERT_EQ(response.headers.size(), 1U);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "DELETE, GET, HEAD");
  // Methods are case-sensitive (RFC 9110 9.1).
  EXPECT_EQ(router_.Dispatch(Get("/", "get")).status, 405);
}

TEST_F(HttpRouterTest, AnswersHeadWithTheGetRoute) {
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions/S1", "HEAD")).body,
            "one id=S1");
  EXPECT_EQ(router_.Dispatch(Get("/api/v1/sessions", "HEAD")).body, "list");
}

TEST_F(HttpRouterTest, TurnsAHandlerExceptionInto500WithTheRequestId) {
  router_.Add("GET", "/boom", [](const Request&, const Params&) -> Response {
    throw std::runtime_error("database went away");
  });
  router_.Add("GET", "/boom-int",
              [](const Request&, const Params&) -> Response { throw 42; });
  for (const char* target : {"/boom", "/boom-int"}) {
    const Response response = router_.Dispatch(Get(target));
    EXPECT_EQ(response.status, 500);
    EXPECT_THAT(response.body, HasSubstr(R"("code":"internal")"));
    EXPECT_THAT(response.body, HasSubstr("test-id"));
    // What went wrong inside is for the log, not for the client.
    EXPECT_THAT(response.body, ::testing::Not(HasSubstr("database")));
  }
}

TEST_F(HttpRouterTest, MatchesAHandBuiltRequestOnItsPath) {
  Request request;
  request.method = "GET";
  request.path = "/api/v1/sessions/S 1";
  EXPECT_EQ(router_.Dispatch(request).body, "one id=S 1");
}

TEST(HttpRouterAddTest, RefusesBadPatternsAndDuplicates) {
  Router router;
  router.Add("GET", "/a/{id}", Named("a"));
  EXPECT_THROW(router.Add("GET", "/a/{other}", Named("b")),
               std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "a", Named("b")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "", Named("b")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/b/{id", Named("b")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/b/x{id}", Named("b")),
               std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/b/{}", Named("b")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/b/{id}/{id}", Named("b")),
               std::invalid_argument);
  EXPECT_THROW(router.Add("", "/c", Named("b")), std::invalid_argument);
  // The same pattern with another method, or another literal, is fine.
  router.Add("POST", "/a/{id}", Named("c"));
  router.Add("GET", "/a/new", Named("d"));
}

}  // namespace
}  // namespace trellis::http
