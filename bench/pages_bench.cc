// How fast the pages render and how much a first visit downloads [issue 5
// "Speed"], on the 4,000-person demo area with its training calendar:
//
//   dashboard  the coordinator's dashboard (needs by sector and organisation,
//              compliance, take-up), the area's heaviest page;
//   plan       a learner's plan (their needs, each module's eligibility);
//   sign-in    the baseline: the layout around a form and nothing read from
//              the area, measured in the same run through the same code.
//
// Each page is asked for through web::Site::Handle, as the server would (the
// sign-in cookie checked, the store read, the templates rendered), once cold
// and then --requests times; p50 and p99 of the warm requests are printed,
// and the ratio of each page's p50 to the baseline's. The first-load weight
// is what a first visit downloads: the page's HTML as sent (pages are not
// compressed: see http/gzip.h) and every asset it names (stylesheet,
// scripts) as the server sends them to a browser that accepts gzip; the
// HTML gzipped is printed beside. Targets: p50 under 5 ms, weight under
// 150 KB.
//
// Usage: pages_bench [--people N] [--requests N]. Last line:
//   pages-bench: dashboard_p50_ms=A dashboard_p99_ms=B plan_p50_ms=C
//   plan_p99_ms=D dashboard_kb=E plan_kb=F dashboard_vs_sign_in=G
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api/store_pool.h"
#include "engine/demo_area.h"
#include "http/gzip.h"
#include "machine.h"
#include "service/area_service.h"
#include "service/credentials.h"
#include "service/demo_sessions.h"
#include "store/framework_loader.h"
#include "store/store.h"
#include "web/site.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using trellis::Actor;
using trellis::Error;

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "pages_bench: " << what << "\n";
  std::exit(1);
}

template <typename T>
T Must(std::expected<T, Error> value, const std::string& what) {
  if (!value) Fail(what + ": " + value.error().message);
  return std::move(*value);
}

struct Timing {
  double cold_ms = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::size_t html = 0;
  std::size_t html_gzipped = 0;
  std::size_t weight = 0;  // as sent: the HTML, and the assets gzipped
};

trellis::http::Request Get(const std::string& target,
                           const std::string& cookie) {
  trellis::http::Request request;
  request.method = "GET";
  request.target = target;
  request.path = target;
  if (!cookie.empty()) request.headers.emplace_back("cookie", cookie);
  return request;
}

Timing Measure(const trellis::web::Site& site, const std::string& target,
               const std::string& cookie, int requests) {
  Timing timing;
  auto start = Clock::now();
  auto first = site.Handle(Get(target, cookie));
  timing.cold_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (first.status != 200) {
    Fail(target + " answered " + std::to_string(first.status) + ": " +
         first.body.substr(0, 300));
  }
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(requests));
  for (int i = 0; i < requests; ++i) {
    start = Clock::now();
    auto answer = site.Handle(Get(target, cookie));
    times.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start)
            .count());
    if (answer.status != 200) Fail(target + " failed on a warm request");
  }
  std::ranges::sort(times);
  timing.p50_ms = times[times.size() / 2];
  timing.p99_ms = times[std::min(times.size() - 1, times.size() * 99 / 100)];
  timing.html = first.body.size();
  // The page and every asset it names, as a first visit downloads them.
  timing.weight = first.body.size();
  timing.html_gzipped = trellis::http::Gzip(first.body, 6).size();
  std::set<std::string> seen;
  for (const std::string marker : {"src=\"/assets/", "href=\"/assets/"}) {
    for (auto at = first.body.find(marker); at != std::string::npos;
         at = first.body.find(marker, at + 1)) {
      const auto from = at + marker.size() - std::string("/assets/").size();
      const auto end = first.body.find_first_of("?\"", from);
      const std::string path = first.body.substr(from, end - from);
      if (!seen.insert(path).second) continue;
      auto request = Get(path, "");
      request.headers.emplace_back("accept-encoding", "gzip, deflate, br");
      auto file = site.Handle(request);
      if (file.status != 200) Fail("asset " + path + " is missing");
      timing.weight += file.body.size();
    }
  }
  return timing;
}

}  // namespace

int main(int argc, char** argv) {
  int people = 4000;
  int requests = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--people") people = std::atoi(argv[i + 1]);
    if (flag == "--requests") requests = std::atoi(argv[i + 1]);
  }
  const fs::path dir = fs::temp_directory_path() /
                       ("trellis-pages-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const trellis::DatabaseUrl url{trellis::DatabaseUrl::Kind::kSqlite,
                                 (dir / "area.db").string()};

  auto loaded = trellis::LoadFramework(fs::path(TRELLIS_SOURCE_DIR) /
                                       "frameworks" / "newcastle-2009");
  if (!loaded.framework) Fail("the Newcastle framework did not load");
  auto framework =
      std::make_shared<const trellis::Framework>(*loaded.framework);
  auto service = std::make_shared<trellis::service::AreaService>(
      framework, trellis::service::ServiceOptions{});

  std::cout << "Setting up a demo area of " << people
            << " people with its calendar...\n";
  std::string coordinator_cookie;
  std::string learner_cookie;
  {
    auto store = Must(trellis::OpenStore(url, trellis::OpenMode::kCreate),
                      "open the database");
    trellis::DemoOptions options;
    options.people = people;
    options.today = service->Today();
    const auto area = trellis::GenerateDemoArea(*framework, options);
    Must(store->Fill(area, Actor{"demo"}), "fill the area");
    trellis::service::Caller demo;
    demo.user.email = "demo";
    demo.user.role = trellis::UserRole::kCoordinator;
    trellis::service::DemoSessionOptions calendar;
    calendar.today = options.today;
    Must(trellis::service::AddDemoSessions(*service, *store, demo, area,
                                           calendar),
         "add the calendar");
    // A learner with a manager, as most are.
    std::string person;
    for (const auto& p : area.people) {
      if (!p.manager.empty()) {
        person = p.id;
        break;
      }
    }
    const std::string hash =
        Must(trellis::service::HashPassword("a bench password, long enough"),
             "hash");
    for (const auto& [email, role, whose] :
         std::vector<std::tuple<std::string, trellis::UserRole, std::string>>{
             {"coordinator@bench", trellis::UserRole::kCoordinator, ""},
             {"learner@bench", trellis::UserRole::kLearner, person}}) {
      trellis::User user;
      user.email = email;
      user.name = email;
      user.role = role;
      user.person = whose;
      auto added = Must(store->AddUser(user, hash, Actor{"bench"}), "user");
      trellis::service::Caller caller;
      caller.user = added;
      auto started = Must(service->StartSignIn(*store, caller), "sign in");
      (role == trellis::UserRole::kCoordinator ? coordinator_cookie
                                               : learner_cookie) =
          std::string(trellis::api::kSignInCookie) + "=" + started.secret;
    }
  }

  trellis::web::SiteOptions site_options;
  site_options.assets = TRELLIS_ASSETS_DIR;
  auto site = Must(trellis::web::Site::Make(
                       service, std::make_shared<trellis::api::StorePool>(url),
                       site_options),
                   "make the site");

  const Timing sign_in = Measure(*site, "/sign-in", "", requests);
  const Timing dashboard =
      Measure(*site, "/dashboard", coordinator_cookie, requests);
  const Timing plan = Measure(*site, "/plan", learner_cookie, requests);
  std::error_code ignored;
  fs::remove_all(dir, ignored);

  std::printf("Machine: %s; %d people, %d warm requests each\n",
              trellis::bench::Machine().c_str(), people, requests);
  std::printf("%-10s %9s %9s %9s %10s %10s %14s %9s\n", "page", "cold ms",
              "p50 ms", "p99 ms", "html KB", "html gz KB", "first load KB",
              "vs base");
  for (const auto& [name, t] :
       std::vector<std::pair<std::string, const Timing*>>{
           {"sign-in", &sign_in}, {"dashboard", &dashboard}, {"plan", &plan}}) {
    std::printf(
        "%-10s %9.2f %9.3f %9.3f %10.1f %10.1f %14.1f %9.2f\n", name.c_str(),
        t->cold_ms, t->p50_ms, t->p99_ms, static_cast<double>(t->html) / 1024.0,
        static_cast<double>(t->html_gzipped) / 1024.0,
        static_cast<double>(t->weight) / 1024.0, t->p50_ms / sign_in.p50_ms);
  }
  std::printf(
      "pages-bench: dashboard_p50_ms=%.3f dashboard_p99_ms=%.3f "
      "plan_p50_ms=%.3f plan_p99_ms=%.3f dashboard_kb=%.1f plan_kb=%.1f "
      "dashboard_vs_sign_in=%.2f\n",
      dashboard.p50_ms, dashboard.p99_ms, plan.p50_ms, plan.p99_ms,
      static_cast<double>(dashboard.weight) / 1024.0,
      static_cast<double>(plan.weight) / 1024.0,
      dashboard.p50_ms / sign_in.p50_ms);
  return 0;
}
