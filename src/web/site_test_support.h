// The pages' test fixture: a real server on a free port over a fresh SQLite
// area (Mo manages Ann, Tom trains; one venue with a 12-seat IT suite), an
// account for each role, and a client that posts forms as a browser without
// JavaScript does. Today is Tuesday 5 January 2027.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "api/test_client.h"
#include "engine/test_frameworks.h"
#include "http/server.h"
#include "service/credentials.h"
#include "store/store_test_support.h"
#include "web/site.h"

namespace trellis::testing_support {

inline const Actor kSetup{"test-setup"};
inline constexpr const char* kPassword = "correct horse battery";

// Mo manages Ann; Tom trains. Today is Tuesday 5 January 2027.
class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = Sqlite().fresh(dir_.path());
    auto opened = OpenStore(url_, OpenMode::kCreate);
    ASSERT_TRUE(opened.has_value()) << Describe(opened);
    store_ = std::move(*opened);
    Workforce area;
    Organisation council;
    council.id = "NCC";
    council.name = "Newcastle City Council";
    council.sector = "social-family-community-support";
    area.organisations = {council};
    auto person = [](std::string id, std::string name, std::string manager) {
      Person p;
      p.id = std::move(id);
      p.name = std::move(name);
      p.organisation = "NCC";
      p.audiences = {"practitioners"};
      p.manager = std::move(manager);
      return p;
    };
    area.people = {person("PM", "Mo Manager", ""),
                   person("PA", "Ann <b>Learner</b>", "PM"),
                   person("PT", "Tom Trainer", "")};
    ASSERT_TRUE(store_->Fill(area, kSetup));
    ASSERT_TRUE(
        store_->AddVenue(Venue{"civic", "Civic Centre", "", "", {}}, kSetup));
    ASSERT_TRUE(store_->AddRoom(Room{"it1", "civic", "IT suite", 12, true, ""},
                                kSetup));

    const std::vector<std::tuple<std::string, UserRole, std::string>> accounts =
        {{"coordinator", UserRole::kCoordinator, ""},
         {"manager", UserRole::kManager, "PM"},
         {"learner", UserRole::kLearner, "PA"},
         {"trainer", UserRole::kTrainer, "PT"},
         {"auditor", UserRole::kAuditor, ""}};
    for (const auto& [role_name, role, person_id] : accounts) {
      auto user = store_->AddUser(
          User{"", role_name + "@example.org",
               role_name == "learner" ? "Ann <b>Learner</b>" : role_name, role,
               person_id, "", false},
          service::HashPassword(kPassword).value(), kSetup);
      ASSERT_TRUE(user.has_value()) << Describe(user);
    }

    const Framework& framework = testing::Shipped(FrameworkId());
    course_ = framework.courses.front();
    service::ServiceOptions options;
    options.now = [] {
      return std::chrono::sys_days(Day(2027, 1, 5)) + std::chrono::hours(10);
    };
    options.sign_in_failures = 3;
    service_ = std::make_shared<service::AreaService>(
        std::make_shared<const Framework>(framework), options);
    web::SiteOptions site_options;
    site_options.assets = TRELLIS_ASSETS_DIR;
    auto site = web::Site::Make(
        service_, std::make_shared<api::StorePool>(url_), site_options);
    ASSERT_TRUE(site.has_value()) << Describe(site);
    site_ = std::move(*site);
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 2;
    auto server = http::Server::Start(
        server_options,
        [site = site_](const http::Request& r) { return site->Handle(r); });
    ASSERT_TRUE(server.has_value()) << Describe(server);
    server_ = std::move(*server);
  }

  // The shipped framework the area uses.
  virtual std::string FrameworkId() const { return "dcsf-2006"; }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  ClientResponse Get(const std::string& target,
                     const std::string& cookie = "") {
    TestClient client(server_->Port());
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    return client.Send("GET", target, "", headers);
  }

  ClientResponse Post(const std::string& target, const std::string& form,
                      const std::string& cookie = "") {
    TestClient client(server_->Port());
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    return client.Send("POST", target, form, headers);
  }

  // Signs in through the form; the cookie to send after.
  std::string SignIn(const std::string& role) {
    auto answer = Post("/sign-in", "email=" + role +
                                       "%40example.org&password=correct+horse+"
                                       "battery&next=%2F");
    EXPECT_EQ(answer.status, 303) << answer.body;
    const std::string set = answer.headers["set-cookie"];
    return set.substr(0, set.find(';'));
  }

  // An open session of the course on `day` January 2027.
  std::string AddSession(unsigned day, bool approval) {
    CourseSession s;
    s.course = course_.id;
    s.status = SessionStatus::kOpen;
    s.room = "it1";
    s.seats = 12;
    s.approval_required = approval;
    s.parts = {{LocalTime{Day(2027, 1, day), 9 * 60},
                LocalTime{Day(2027, 1, day), 12 * 60}}};
    s.trainers = {"PT"};
    auto added = store_->AddSession(s, kSetup);
    EXPECT_TRUE(added.has_value()) << Describe(added);
    return added ? added->id : "";
  }

  // Ann's first need, done on 1 December 2026 (record R1).
  void RecordFirstNeedDone() {
    const Framework& framework = service_->framework();
    auto needs = service_->NeedsOf(*store_, store_->FindPerson("PA")->value(),
                                   Day(2027, 1, 5));
    ASSERT_TRUE(needs && !needs->empty()) << Describe(needs);
    TrainingRecord record;
    record.id = "R1";
    record.person = "PA";
    record.module = needs->front().module->ref;
    record.module_version = framework.FindModule(record.module)->version;
    record.date = Day(2026, 12, 1);
    ASSERT_TRUE(store_->AddRecord(record, kSetup));
  }

  TempDir dir_;
  DatabaseUrl url_;
  std::unique_ptr<Store> store_;
  Course course_;
  std::shared_ptr<service::AreaService> service_;
  std::shared_ptr<const web::Site> site_;
  std::unique_ptr<http::Server> server_;
};

// The CSRF token a page's forms carry.
inline std::string TokenOf(const std::string& page) {
  const std::string marker = R"(name="csrf_token" value=")";
  const auto at = page.find(marker);
  if (at == std::string::npos) return "";
  const auto from = at + marker.size();
  return page.substr(from, page.find('"', from) - from);
}

inline std::vector<Booking> BookingsOf(Store& store,
                                       const std::string& session) {
  auto bookings = store.BookingsOfSession(session);
  EXPECT_TRUE(bookings.has_value());
  return bookings.value_or(std::vector<Booking>{});
}

}  // namespace trellis::testing_support
