// The JSON API, /api/v1/..., with /healthz and /readyz: routes requests to
// the area's services, with who is asking checked on every route. Every
// answer is JSON; every error is {"code", "message", "fields"} with the
// status of http::StatusOf (400 for a body that is not JSON). Thread-safe:
// each request borrows its own Store from the pool.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/store_pool.h"
#include "http/message.h"
#include "http/router.h"
#include "service/area_service.h"
#include "service/version_cache.h"

namespace trellis::api {

struct ApiOptions {
  // Mark the sign-in cookie Secure: the server speaks TLS, or sits behind a
  // proxy that does.
  bool secure_cookies = false;
  // The folder of the area's roll-out plan files (docs/plan-format.md).
  std::string plans = "plans";
};

// The cookie a browser's sign-in travels in.
inline constexpr const char* kSignInCookie = "trellis_session";

// The Set-Cookie value that carries a sign-in (HttpOnly, SameSite=Lax,
// Secure when `secure`); an empty value with max_age 0 ends it.
std::string SignInCookie(const std::string& value, int max_age, bool secure);

class Api {
 public:
  Api(std::shared_ptr<service::AreaService> service,
      std::shared_ptr<StorePool> pool, ApiOptions options);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  http::Response Handle(const http::Request& request) const {
    return router_.Dispatch(request);
  }

  // Every route's method and pattern, in the order added: what
  // docs/openapi.yaml must describe.
  const std::vector<std::pair<std::string, std::string>>& Routes() const {
    return routes_;
  }

 private:
  struct Context;
  using Body = std::function<std::expected<http::Response, Error>(Context&)>;

  // A route for signed-in callers: borrows a store, finds the caller (an
  // API token, or a sign-in cookie with its CSRF token on changes), honours
  // Idempotency-Key on POST, and turns an Error into its answer.
  void Route(const std::string& method, const std::string& pattern, Body body);
  // A route as it is, for those that find their caller themselves or need
  // none (health, sign-in).
  void Open(const std::string& method, const std::string& pattern,
            http::RouteHandler handler);
  http::Response Run(const http::Request& request, const http::Params& params,
                     const Body& body) const;
  void AddRoutes();

  std::shared_ptr<service::AreaService> service_;
  std::shared_ptr<StorePool> pool_;
  ApiOptions options_;
  http::Router router_;
  std::vector<std::pair<std::string, std::string>> routes_;
  // Session lists by request target (GET /api/v1/sessions?...), kept while
  // the data version stands.
  mutable service::VersionCache<std::string> session_lists_{32U << 20};
  // A person's needs by request target and day, kept the same way.
  mutable service::VersionCache<std::string> person_needs_{64U << 20};
};

}  // namespace trellis::api
