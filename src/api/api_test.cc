// The JSON API against a real server on a free port, on every backend: who
// may do what (every route as every role), bookings under concurrency over
// HTTP, Idempotency-Key, the waiting list, sign-in with cookies and CSRF, and
// bad input answered with the field named and nothing changed.
#include "api/api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/test_client.h"
#include "engine/test_frameworks.h"
#include "http/server.h"
#include "service/credentials.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

const Actor kSetup{"test-setup"};

// The area: Ann (PA) reports to Mo (PM) at the council (Care First); Bea
// (PB) works for the trust; Tom (PT) trains. 200 more practitioners at the
// council (P001...) for the concurrency test. Everyone has the identity and
// DBS checks [000] so that eligibility turns on the rules under test.
Workforce TestArea() {
  Workforce area;
  Organisation council;
  council.id = "NCC";
  council.name = "Newcastle City Council";
  council.sector = "social-family-community-support";
  council.type = "Local authority";
  council.case_management_system = "Care First";
  council.locality = "City";
  Organisation trust = council;
  trust.id = "NHS";
  trust.name = "Newcastle Hospitals";
  trust.sector = "health";
  area.organisations = {council, trust};
  auto person = [](std::string id, std::string name, std::string org,
                   std::string manager) {
    Person p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.email = p.id + "@example.org";
    p.organisation = std::move(org);
    p.audiences = {"practitioners"};
    p.manager = std::move(manager);
    p.locality = "City";
    return p;
  };
  area.people.push_back(person("PM", "Mo", "NCC", ""));
  area.people.push_back(person("PA", "Ann", "NCC", "PM"));
  area.people.push_back(person("PB", "Bea", "NHS", ""));
  area.people.push_back(person("PT", "Tom", "NCC", ""));
  for (int i = 1; i <= 200; ++i) {
    std::string n = std::to_string(i);
    n.insert(0, 3 - n.size(), '0');
    area.people.push_back(person("P" + n, "Person " + n, "NCC", "PM"));
  }
  return area;
}

class ApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    url_ = GetParam().fresh(dir_.path());
    auto opened = OpenStore(url_, OpenMode::kCreate);
    ASSERT_TRUE(opened.has_value()) << Describe(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Fill(TestArea(), kSetup));
    ASSERT_TRUE(
        store_->AddVenue(Venue{"civic", "Civic Centre", "", "", {}}, kSetup));
    ASSERT_TRUE(store_->AddRoom(
        Room{"it1", "civic", "IT suite", 14, true, "step-free"}, kSetup));
    ASSERT_TRUE(
        store_->AddRoom(Room{"hall", "civic", "Hall", 40, false, ""}, kSetup));

    struct Account {
      std::string role_name;
      UserRole role;
      std::string person;
      std::string organisation;
    };
    const std::vector<Account> accounts = {
        {"coordinator", UserRole::kCoordinator, "", ""},
        {"auditor", UserRole::kAuditor, "", ""},
        {"manager", UserRole::kManager, "PM", ""},
        {"learner", UserRole::kLearner, "PA", ""},
        {"trainer", UserRole::kTrainer, "PT", ""},
        {"organisation-lead", UserRole::kOrganisationLead, "", "NCC"},
        {"other-learner", UserRole::kLearner, "PB", ""},
    };
    for (const auto& a : accounts) {
      auto user =
          store_->AddUser(User{"", a.role_name + "@example.org", a.role_name,
                               a.role, a.person, a.organisation, false},
                          "", kSetup);
      ASSERT_TRUE(user.has_value()) << Describe(user);
      const auto parts = service::NewApiToken();
      ASSERT_TRUE(
          store_->AddApiToken(ApiToken{parts.id, user->id, "test", "", ""},
                              service::SecretHash(parts.secret), kSetup));
      tokens_[a.role_name] = service::FormatApiToken(parts);
    }
    ASSERT_TRUE(store_->SetPassword(
        store_->FindUserByEmail("coordinator@example.org")->value().first.id,
        service::HashPassword("correct horse battery").value(), kSetup));

    auto framework =
        std::make_shared<const Framework>(testing::Shipped("dcsf-2006"));
    service::ServiceOptions options;
    service_ = std::make_shared<service::AreaService>(framework, options);
    api_ = std::make_shared<api::Api>(
        service_, std::make_shared<api::StorePool>(url_), api::ApiOptions{});
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 8;
    auto server = http::Server::Start(
        server_options,
        [api = api_](const http::Request& r) { return api->Handle(r); });
    ASSERT_TRUE(server.has_value()) << Describe(server);
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  // Sends a request as `role` ("" for nobody) on a connection of its own.
  ClientResponse As(
      const std::string& role, const std::string& method,
      const std::string& target, const std::string& body = "",
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (!role.empty()) {
      headers.emplace_back("Authorization", "Bearer " + tokens_.at(role));
    }
    TestClient client(server_->Port());
    return client.Send(method, target, body, headers);
  }

  // An open session of the framework's `course` in the IT suite.
  std::string AddSession(const std::string& course, int day = 10,
                         int seats = 14) {
    CourseSession s;
    s.course = course;
    s.status = SessionStatus::kOpen;
    s.room = "it1";
    s.seats = seats;
    s.parts = {{LocalTime{Day(2027, 1, static_cast<unsigned>(day)), 9 * 60},
                LocalTime{Day(2027, 1, static_cast<unsigned>(day)), 12 * 60}}};
    s.trainers = {"PT"};
    auto added = store_->AddSession(s, kSetup);
    EXPECT_TRUE(added.has_value()) << Describe(added);
    return added ? added->id : "";
  }

  int AuditEntries() {
    auto verified = store_->VerifyAudit();
    return verified ? static_cast<int>(verified->entries) : -1;
  }

  TempDir dir_;
  DatabaseUrl url_;
  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> tokens_;
  std::shared_ptr<service::AreaService> service_;
  std::shared_ptr<api::Api> api_;
  std::unique_ptr<http::Server> server_;
};

// A course of the national outline [001] anyone in practitioners may book
// with no pre-requisite: found from the framework, not assumed.
std::string OpenCourse() {
  const Framework& fw = testing::Shipped("dcsf-2006");
  for (const auto& course : fw.courses) {
    bool ok = true;
    for (const auto& ref : course.modules) {
      const Module* m = fw.FindModule(ref.id);
      if (m == nullptr || m->prerequisites || m->sequencing ||
          m->system_specific) {
        ok = false;
      }
    }
    bool practitioners = course.audiences.empty();
    for (const auto& a : course.audiences) {
      if (a.id == "practitioners") practitioners = true;
    }
    if (ok && practitioners && !course.modules.empty()) return course.id;
  }
  return "";
}

enum class Answer { kAllowed, kForbidden, kUnauthenticated };

Answer Classify(int status) {
  if (status == 401) return Answer::kUnauthenticated;
  if (status == 403) return Answer::kForbidden;
  return Answer::kAllowed;
}

const char* Name(Answer a) {
  switch (a) {
    case Answer::kAllowed:
      return "allowed";
    case Answer::kForbidden:
      return "forbidden";
    case Answer::kUnauthenticated:
      return "unauthenticated";
  }
  return "?";
}

// Every route as every role [MISSION I1]. Allowed means neither 401 nor 403
// (the answer may still be 404 or 409 for other reasons); the table says
// which roles are allowed, everyone else is forbidden, nobody is
// unauthenticated.
TEST_P(ApiTest, EveryRouteAnswersEveryRoleAsTheRolesAllow) {
  const std::string course = OpenCourse();
  ASSERT_FALSE(course.empty());
  const std::string session = AddSession(course);
  auto booking =
      store_->RequestBooking(BookingRequest{.session = session,
                                            .person = "PA",
                                            .nominated = false,
                                            .approved = true,
                                            .priority = false,
                                            .today = Day(2026, 11, 30)},
                             kSetup);
  ASSERT_TRUE(booking.has_value()) << Describe(booking);
  // A request waiting for approval, for the approve and decline routes.
  CourseSession approval;
  approval.course = course;
  approval.status = SessionStatus::kOpen;
  approval.room = "hall";
  approval.approval_required = true;
  approval.parts = {{LocalTime{Day(2027, 1, 20), 9 * 60},
                     LocalTime{Day(2027, 1, 20), 12 * 60}}};
  auto approval_session = store_->AddSession(approval, kSetup);
  ASSERT_TRUE(approval_session.has_value());
  auto requested =
      store_->RequestBooking(BookingRequest{.session = approval_session->id,
                                            .person = "PA",
                                            .nominated = false,
                                            .approved = false,
                                            .priority = false,
                                            .today = Day(2026, 11, 30)},
                             kSetup);
  ASSERT_TRUE(requested.has_value());

  const std::string all =
      "coordinator auditor manager learner trainer organisation-lead";
  const std::string new_session =
      R"({"course":")" + course +
      R"(","room":"hall","parts":[{"starts":"2027-02-01T09:00","ends":"2027-02-01T12:00"}]})";
  struct Row {
    std::string method;
    std::string target;
    std::string body;
    std::string allowed;  // roles, space-separated
  };
  const std::vector<Row> table = {
      {"GET", "/api/v1/me", "", all},
      {"GET", "/api/v1/framework", "", all},
      {"GET", "/api/v1/organisations", "", all},
      {"GET", "/api/v1/organisations/NCC", "", all},
      {"GET", "/api/v1/people", "", all},
      {"GET", "/api/v1/people/PA", "", all},
      {"GET", "/api/v1/people/PA/records", "", all},
      {"GET", "/api/v1/people/PA/needs", "", all},
      {"GET", "/api/v1/people/PA/bookings", "", all},
      {"GET", "/api/v1/people/PA/notifications", "", all},
      // One learner asking for another's records, needs and bookings.
      {"GET", "/api/v1/people/PB", "", "coordinator auditor"},
      {"GET", "/api/v1/people/PB/records", "", "coordinator auditor"},
      {"GET", "/api/v1/people/PB/needs", "", "coordinator auditor"},
      {"GET", "/api/v1/people/PB/bookings", "", "coordinator auditor"},
      {"GET", "/api/v1/venues", "", all},
      {"POST", "/api/v1/venues", R"({"id":"v2","name":"Library"})",
       "coordinator"},
      {"POST", "/api/v1/venues/civic/rooms",
       R"({"id":"r9","name":"Room 9","seats":10})", "coordinator"},
      {"GET", "/api/v1/sessions", "", all},
      {"GET", "/api/v1/sessions/" + session, "", all},
      {"POST", "/api/v1/sessions", new_session, "coordinator"},
      {"PUT", "/api/v1/sessions/" + session,
       R"({"course":")" + course +
           R"(","room":"it1","status":"open","trainers":["PT"],"parts":[{"starts":"2027-01-10T09:00","ends":"2027-01-10T12:00"}]})",
       "coordinator"},
      {"GET", "/api/v1/sessions/" + session + "/bookings", "", all},
      {"GET", "/api/v1/bookings/" + booking->id, "", all},
      {"POST", "/api/v1/sessions/" + session + "/bookings",
       R"({"person":"PA"})", "coordinator manager learner"},
      {"POST", "/api/v1/sessions/" + session + "/bookings",
       R"({"person":"PB"})", "coordinator"},
      {"POST", "/api/v1/bookings/" + requested->id + "/decline",
       R"({"note":"not now"})", "coordinator manager"},
      {"POST", "/api/v1/bookings/" + requested->id + "/approve", "",
       "coordinator manager"},
      // Registers: Tom trains the session; its time has not come, so the
      // allowed answers are refusals of another kind (409).
      {"GET", "/api/v1/sessions/" + session + "/register", "",
       "coordinator auditor trainer"},
      {"PUT", "/api/v1/sessions/" + session + "/register/PA",
       R"({"present":[false]})", "coordinator trainer"},
      {"POST", "/api/v1/sessions/" + session + "/register/close", "",
       "coordinator trainer"},
      {"POST", "/api/v1/sessions/" + session + "/register/PA/correction",
       R"({"present":[false],"reason":"was not there"})", "coordinator"},
      {"POST", "/api/v1/bookings/" + booking->id + "/cancel", "",
       "coordinator manager learner"},
      {"GET", "/api/v1/audit", "", "coordinator auditor"},
      {"GET", "/api/v1/users", "", "coordinator auditor"},
  };
  const std::vector<std::string> roles = {"coordinator", "auditor",
                                          "manager",     "learner",
                                          "trainer",     "organisation-lead"};
  for (const auto& row : table) {
    // Changes are tried by the roles that may not make them first, so an
    // allowed change does not change what the next role finds.
    std::vector<std::string> order;
    for (const auto& role : roles) {
      if (row.allowed.find(role) == std::string::npos) order.push_back(role);
    }
    for (const auto& role : roles) {
      if (row.allowed.find(role) != std::string::npos) order.push_back(role);
    }
    for (const auto& role : order) {
      const bool allowed =
          (" " + row.allowed + " ").find(" " + role + " ") != std::string::npos;
      const auto response = As(role, row.method, row.target, row.body);
      ASSERT_NE(response.status, 0) << response.error;
      EXPECT_EQ(Name(Classify(response.status)),
                Name(allowed ? Answer::kAllowed : Answer::kForbidden))
          << role << " " << row.method << " " << row.target << " -> "
          << response.status << " " << response.body;
      EXPECT_NE(response.status, 500) << response.body;
    }
    const auto nobody = As("", row.method, row.target, row.body);
    EXPECT_EQ(nobody.status, 401) << row.method << " " << row.target;
  }
}

TEST_P(ApiTest, TwoHundredBookingRequestsAtOnceFillFourteenPlaces) {
  const std::string session = AddSession(OpenCourse());
  constexpr int kPeople = 200;
  std::atomic<int> ready = 0;
  std::atomic<bool> go = false;
  std::mutex mutex;
  std::map<int, int> statuses;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int i = 1; i <= kPeople; ++i) {
    threads.emplace_back([&, i] {
      std::string n = std::to_string(i);
      n.insert(0, 3 - n.size(), '0');
      TestClient client(server_->Port());
      ++ready;
      while (!go) std::this_thread::yield();
      auto response = client.Send(
          "POST", "/api/v1/sessions/" + session + "/bookings",
          R"({"person":"P)" + n + R"("})",
          {{"Authorization", "Bearer " + tokens_.at("coordinator")}});
      std::scoped_lock lock(mutex);
      ++statuses[response.status];
      if (response.status != 201) failures.push_back(response.body);
    });
  }
  while (ready < kPeople) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(statuses[201], kPeople);

  auto response = As("coordinator", "GET", "/api/v1/sessions/" + session);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = json::parse(response.body);
  EXPECT_EQ(body["booked"], 14);
  EXPECT_EQ(body["waiting"], kPeople - 14);
  auto bookings = store_->BookingsOfSession(session);
  ASSERT_TRUE(bookings.has_value());
  int seen_waiting = 0;
  for (const auto& b : *bookings) {
    if (b.status == BookingStatus::kWaiting) ++seen_waiting;
    if (b.status == BookingStatus::kBooked) {
      EXPECT_EQ(seen_waiting, 0) << "booked after someone waited: " << b.id;
    }
  }
}

TEST_P(ApiTest, ARetriedPostWithTheSameIdempotencyKeyBooksOnce) {
  const std::string session = AddSession(OpenCourse());
  const std::vector<std::pair<std::string, std::string>> key = {
      {"Idempotency-Key", "book-PA-1"}};
  auto first = As("learner", "POST",
                  "/api/v1/sessions/" + session + "/bookings", "{}", key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = As("learner", "POST",
                  "/api/v1/sessions/" + session + "/bookings", "{}", key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  auto bookings = store_->BookingsOfSession(session);
  EXPECT_EQ(bookings->size(), 1U);
  // The same key with another body is a mistake, said so.
  auto other =
      As("learner", "POST", "/api/v1/sessions/" + session + "/bookings",
         R"({"person":"PA","x":1})", key);
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_THAT(other.body, HasSubstr("Idempotency-Key"));
}

TEST_P(ApiTest, ACancelledPlaceGoesToTheFirstOnTheWaitingListWhoIsTold) {
  const std::string session = AddSession(OpenCourse(), 12, /*seats=*/1);
  auto ann = As("learner", "POST", "/api/v1/sessions/" + session + "/bookings");
  ASSERT_EQ(ann.status, 201) << ann.body;
  auto p1 =
      As("coordinator", "POST", "/api/v1/sessions/" + session + "/bookings",
         R"({"person":"P001"})");
  auto p2 =
      As("coordinator", "POST", "/api/v1/sessions/" + session + "/bookings",
         R"({"person":"P002"})");
  EXPECT_EQ(json::parse(p1.body)["status"], "waiting");
  EXPECT_EQ(json::parse(p2.body)["status"], "waiting");
  const std::string id = json::parse(ann.body)["id"];
  auto cancelled = As("learner", "POST", "/api/v1/bookings/" + id + "/cancel",
                      R"({"note":"on leave"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  const auto body = json::parse(cancelled.body);
  EXPECT_EQ(body["status"], "cancelled");
  ASSERT_EQ(body["promotions"]["promoted"].size(), 1U);
  EXPECT_EQ(body["promotions"]["promoted"][0]["person"], "P001");
  auto told = As("coordinator", "GET", "/api/v1/people/P001/notifications");
  EXPECT_THAT(told.body, HasSubstr("you are booked"));
}

TEST_P(ApiTest, APersonsListsComeAPageAtATimeAndFilter) {
  auto all =
      json::parse(As("coordinator", "GET", "/api/v1/people/P001/needs").body);
  const auto total = all["items"].size();
  ASSERT_GE(total, 3U) << all.dump();
  EXPECT_TRUE(all["next_offset"].is_null());
  auto page = json::parse(
      As("coordinator", "GET", "/api/v1/people/P001/needs?limit=2&offset=1")
          .body);
  ASSERT_EQ(page["items"].size(), 2U);
  EXPECT_EQ(page["items"][0], all["items"][1]);
  EXPECT_EQ(page["next_offset"], total > 3 ? json(3) : json(nullptr));
  EXPECT_EQ(page["offset"], 1);
  EXPECT_EQ(page["person"], "P001");

  const std::string status = all["items"][0]["status"];
  auto only = json::parse(
      As("coordinator", "GET", "/api/v1/people/P001/needs?status=" + status)
          .body);
  ASSERT_FALSE(only["items"].empty());
  for (const auto& need : only["items"]) EXPECT_EQ(need["status"], status);
  EXPECT_EQ(
      As("coordinator", "GET", "/api/v1/people/P001/needs?status=soon").status,
      422);

  // Two bookings: one page of one holds the first asked for.
  const std::string first = AddSession(OpenCourse(), 12, /*seats=*/1);
  const std::string second = AddSession(OpenCourse(), 13, /*seats=*/1);
  for (const auto& s : {first, second}) {
    ASSERT_EQ(As("coordinator", "POST", "/api/v1/sessions/" + s + "/bookings",
                 R"({"person":"P001"})")
                  .status,
              201);
  }
  auto bookings = json::parse(
      As("coordinator", "GET", "/api/v1/people/P001/bookings?limit=1").body);
  ASSERT_EQ(bookings["items"].size(), 1U);
  EXPECT_EQ(bookings["items"][0]["session"], first);
  EXPECT_EQ(bookings["next_offset"], 1);
  auto waiting = json::parse(
      As("coordinator", "GET", "/api/v1/people/P001/bookings?status=waiting")
          .body);
  EXPECT_TRUE(waiting["items"].empty()) << waiting.dump();
  EXPECT_EQ(
      As("coordinator", "GET", "/api/v1/people/P001/bookings?status=maybe")
          .status,
      422);
}

// Session lists and checked tokens are kept in memory while the data version
// stands; a change made elsewhere (here the test's own store, as another
// server process on the database would) is seen by the very next request.
TEST_P(ApiTest, AnswersKeptInMemoryFollowChangesMadeByAnyProcess) {
  const std::string session = AddSession(OpenCourse(), 14);
  auto first = As("learner", "GET", "/api/v1/sessions");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(As("learner", "GET", "/api/v1/sessions").body, first.body);
  EXPECT_EQ(json::parse(first.body)["items"][0]["seats"], 14);

  auto kept = store_->FindSession(session);
  ASSERT_TRUE(kept && *kept) << Describe(kept);
  CourseSession changed = **kept;
  changed.seats = 12;
  ASSERT_TRUE(store_->UpdateSession(changed, nullptr, kSetup));
  auto after = As("learner", "GET", "/api/v1/sessions");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(json::parse(after.body)["items"][0]["seats"], 12);

  // Another filter is another answer, kept apart.
  auto none = As("learner", "GET", "/api/v1/sessions?status=cancelled");
  EXPECT_TRUE(json::parse(none.body)["items"].empty()) << none.body;

  // A person's needs: a record added elsewhere is counted at once.
  const std::string needs_target = "/api/v1/people/PA/needs?status=done";
  auto done_before = json::parse(As("learner", "GET", needs_target).body);
  auto outstanding = json::parse(
      As("learner", "GET", "/api/v1/people/PA/needs?status=outstanding").body);
  ASSERT_FALSE(outstanding["items"].empty()) << outstanding.dump();
  const std::string module = outstanding["items"][0]["module"];
  TrainingRecord record;
  record.id = "R-PA-1";
  record.person = "PA";
  record.module = module;
  record.module_version =
      testing::Shipped("dcsf-2006").FindModule(module)->version;
  record.date = Day(2026, 11, 2);
  ASSERT_TRUE(store_->AddRecord(record, kSetup));
  auto done_after = json::parse(As("learner", "GET", needs_target).body);
  EXPECT_EQ(done_after["items"].size(), done_before["items"].size() + 1)
      << done_after.dump();

  // HEAD is answered as GET is, from the same kept answers.
  for (const std::string target :
       {"/api/v1/sessions", "/api/v1/people/PA/needs?status=done"}) {
    http::Request head;
    head.method = "HEAD";
    head.target = target;
    head.path = target.substr(0, target.find('?'));
    if (target.find('?') != std::string::npos)
      head.query = {{"status", "done"}};
    head.headers = {{"authorization", "Bearer " + tokens_.at("learner")}};
    const http::Response answer = api_->Handle(head);
    EXPECT_EQ(answer.status, 200) << target << " " << answer.body;
    EXPECT_EQ(answer.body, As("learner", "GET", target).body) << target;
  }

  // A token revoked elsewhere stops working at once.
  const std::string token_id =
      service::ParseApiToken(tokens_.at("learner"))->id;
  ASSERT_TRUE(store_->RevokeApiToken(token_id, kSetup));
  EXPECT_EQ(As("learner", "GET", "/api/v1/sessions").status, 401);
}

TEST_P(ApiTest, SignInSetsACookieAndChangesNeedItsCsrfToken) {
  auto wrong =
      As("", "POST", "/api/v1/sign-in",
         R"({"email":"coordinator@example.org","password":"nope nope nope"})");
  EXPECT_EQ(wrong.status, 401);
  auto nobody =
      As("", "POST", "/api/v1/sign-in",
         R"({"email":"nobody@example.org","password":"nope nope nope"})");
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(json::parse(nobody.body)["message"],
            json::parse(wrong.body)["message"])
      << "a wrong email and a wrong password answer alike";

  auto signed_in = As(
      "", "POST", "/api/v1/sign-in",
      R"({"email":"Coordinator@Example.org","password":"correct horse battery"})");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie = signed_in.headers["set-cookie"];
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Lax"));
  const std::string session_cookie = cookie.substr(0, cookie.find(';'));
  const std::string csrf = json::parse(signed_in.body)["csrf_token"];

  auto me = As("", "GET", "/api/v1/me", "", {{"Cookie", session_cookie}});
  EXPECT_EQ(me.status, 200) << me.body;
  const std::string venue = R"({"id":"lib","name":"Library"})";
  auto no_token =
      As("", "POST", "/api/v1/venues", venue, {{"Cookie", session_cookie}});
  EXPECT_EQ(no_token.status, 403);
  EXPECT_THAT(no_token.body, HasSubstr("X-CSRF-Token"));
  auto with_token = As("", "POST", "/api/v1/venues", venue,
                       {{"Cookie", session_cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with_token.status, 201) << with_token.body;

  auto out = As("", "POST", "/api/v1/sign-out", "",
                {{"Cookie", session_cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 200);
  auto after = As("", "GET", "/api/v1/me", "", {{"Cookie", session_cookie}});
  EXPECT_EQ(after.status, 401);
}

TEST_P(ApiTest, RepeatedFailedSignInsAreSlowedWith429) {
  int last = 0;
  for (int i = 0; i < 11; ++i) {
    last =
        As("", "POST", "/api/v1/sign-in",
           R"({"email":"coordinator@example.org","password":"wrong wrong wrong"})")
            .status;
  }
  EXPECT_EQ(last, 429);
  auto right = As(
      "", "POST", "/api/v1/sign-in",
      R"({"email":"coordinator@example.org","password":"correct horse battery"})");
  EXPECT_EQ(right.status, 429) << "blocked for the window, right or wrong";
}

// Bad input of every kind gets a 4xx naming what is wrong, and changes
// nothing [MISSION I3].
TEST_P(ApiTest, BadInputIsNamedAndChangesNothing) {
  const int before = AuditEntries();
  struct Case {
    std::string method;
    std::string target;
    std::string body;
    int status;
    std::string names;  // in the answer
  };
  const std::string open = OpenCourse();
  const std::vector<Case> cases = {
      {"POST", "/api/v1/venues", "{\"id\": ", 400, "not well-formed JSON"},
      {"POST", "/api/v1/venues", "[1,2]", 422, "JSON object"},
      {"POST", "/api/v1/venues", R"({"id":"x","name":"X","colour":"red"})", 422,
       "colour"},
      {"POST", "/api/v1/venues", R"({"id":7,"name":"X"})", 422, "\"id\""},
      {"POST", "/api/v1/venues/civic/rooms",
       R"({"id":"r","name":"R","seats":"twelve"})", 422, "seats"},
      {"POST", "/api/v1/venues/nowhere/rooms",
       R"({"id":"r","name":"R","seats":12})", 404, "nowhere"},
      {"POST", "/api/v1/sessions",
       R"({"course":")" + open +
           R"(","room":"it1","parts":[{"starts":"2027-02-30T09:00","ends":"2027-02-30T12:00"}]})",
       422, "parts[0].starts"},
      {"POST", "/api/v1/sessions",
       R"({"course":"no-such-course","room":"it1","parts":[{"starts":"2027-02-03T09:00","ends":"2027-02-03T12:00"}]})",
       422, "course"},
      {"POST", "/api/v1/sessions",
       R"({"course":")" + open +
           R"(","room":"it1","seats":15,"parts":[{"starts":"2027-02-03T09:00","ends":"2027-02-03T12:00"}]})",
       422, "seats"},
      {"POST", "/api/v1/sessions/S999999/bookings", R"({"person":"PA"})", 404,
       "S999999"},
      {"POST", "/api/v1/bookings/B999999/cancel", "", 404, "B999999"},
      {"GET", "/api/v1/people/NOBODY", "", 404, "NOBODY"},
      {"GET", "/api/v1/sessions?limit=0", "", 422, "limit"},
      {"GET", "/api/v1/sessions?from=2027-13-01", "", 422, "from"},
      {"GET", "/api/v1/sessions?status=maybe", "", 422, "status"},
      {"GET", "/api/v1/nothing-here", "", 404, "not_found"},
      {"DELETE", "/api/v1/sessions", "", 405, "method_not_allowed"},
  };
  for (const auto& c : cases) {
    auto response = As("coordinator", c.method, c.target, c.body);
    EXPECT_EQ(response.status, c.status) << c.method << " " << c.target << " "
                                         << c.body << " -> " << response.body;
    EXPECT_THAT(response.body, HasSubstr(c.names)) << c.target;
    const auto parsed = json::parse(response.body, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << response.body;
    EXPECT_TRUE(parsed.contains("code") && parsed.contains("message") &&
                parsed.contains("fields"))
        << response.body;
  }
  EXPECT_EQ(AuditEntries(), before) << "a refused request changed something";
}

TEST_P(ApiTest, ARefusedBookingGivesEveryReason) {
  // A system-specific ContactPoint course needs the identity check and the
  // organisation's readiness; Ann has neither on record.
  const Framework& fw = testing::Shipped("dcsf-2006");
  std::string course;
  for (const auto& c : fw.courses) {
    for (const auto& ref : c.modules) {
      const Module* m = fw.FindModule(ref.id);
      if (m != nullptr && m->prerequisites && course.empty()) course = c.id;
    }
  }
  ASSERT_FALSE(course.empty());
  CourseSession s;
  s.course = course;
  s.status = SessionStatus::kOpen;
  s.room = "hall";
  s.case_management_system = "Care First";
  s.parts = {{LocalTime{Day(2027, 3, 1), 9 * 60},
              LocalTime{Day(2027, 3, 1), 12 * 60}}};
  auto session = store_->AddSession(s, kSetup);
  ASSERT_TRUE(session.has_value()) << Describe(session);
  auto refused =
      As("learner", "POST", "/api/v1/sessions/" + session->id + "/bookings");
  ASSERT_EQ(refused.status, 409) << refused.body;
  const auto body = json::parse(refused.body);
  EXPECT_EQ(body["code"], "failed_precondition");
  EXPECT_FALSE(body["fields"].empty());
  for (const auto& f : body["fields"]) EXPECT_EQ(f["field"], "person");
}

// A session under way takes no more requests; a coordinator still adds
// someone who came without a place, so the register has them.
TEST_P(ApiTest, ASessionUnderWayIsBookedByACoordinatorOnly) {
  CourseSession s;
  s.course = OpenCourse();
  s.status = SessionStatus::kOpen;
  s.room = "it1";
  s.seats = 14;
  s.parts = {{LocalTime{Day(2026, 10, 5), 9 * 60},
              LocalTime{Day(2026, 10, 5), 12 * 60}}};
  auto added = store_->AddSession(s, kSetup);
  ASSERT_TRUE(added.has_value()) << Describe(added);
  const std::string bookings = "/api/v1/sessions/" + added->id + "/bookings";
  auto refused = As("learner", "POST", bookings);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("takes no more bookings"));
  EXPECT_EQ(json::parse(refused.body)["fields"][0]["field"], "session");
  EXPECT_TRUE(store_->BookingsOfSession(added->id).value().empty());
  auto walk_in = As("coordinator", "POST", bookings, R"({"person":"PA"})");
  EXPECT_EQ(walk_in.status, 201) << walk_in.body;
}

// The register of a two-part session that verifies identity [000 venue]:
// the trainer marks it, a token goes to one person only, closing waits for
// everyone present to have identity and token, then writes the records and
// the no-shows; only a coordinator corrects it after, with a reason.
TEST_P(ApiTest, ARegisterIsMarkedClosedIntoRecordsAndCorrectedWithAReason) {
  const std::string course = OpenCourse();
  CourseSession s;
  s.course = course;
  s.status = SessionStatus::kOpen;
  s.room = "it1";
  s.seats = 14;
  s.verify_identity = true;
  s.trainers = {"PT"};
  s.parts = {{LocalTime{Day(2026, 10, 5), 9 * 60},
              LocalTime{Day(2026, 10, 5), 12 * 60}},
             {LocalTime{Day(2026, 10, 6), 9 * 60},
              LocalTime{Day(2026, 10, 6), 12 * 60}}};
  auto added = store_->AddSession(s, kSetup);
  ASSERT_TRUE(added.has_value()) << Describe(added);
  const std::string id = added->id;
  std::map<std::string, std::string> booking_of;
  for (const char* person : {"PA", "P001", "P002"}) {
    auto booked =
        store_->RequestBooking(BookingRequest{.session = id,
                                              .person = person,
                                              .nominated = false,
                                              .approved = true,
                                              .priority = false,
                                              .today = Day(2026, 10, 1)},
                               kSetup);
    ASSERT_TRUE(booked.has_value()) << Describe(booked);
    booking_of[person] = booked->id;
  }
  const std::string reg = "/api/v1/sessions/" + id + "/register";
  // Under way, a place is not given up: the register says who came.
  auto too_late = As("coordinator", "POST",
                     "/api/v1/bookings/" + booking_of["PA"] + "/cancel");
  EXPECT_EQ(too_late.status, 409) << too_late.body;
  // Nobody is marked yet: closing now would make three no-shows.
  auto unmarked = As("trainer", "POST", reg + "/close");
  ASSERT_EQ(unmarked.status, 409) << unmarked.body;
  EXPECT_EQ(json::parse(unmarked.body)["fields"].size(), 3U) << unmarked.body;
  auto mark = As("trainer", "PUT", reg + "/PA",
                 R"({"present":[true,true],"identity_verified":true,)"
                 R"("identity_evidence":"photo ID","security_token":"T-1"})");
  ASSERT_EQ(mark.status, 200) << mark.body;
  auto reused = As("trainer", "PUT", reg + "/P001",
                   R"({"present":[true,false],"identity_verified":true,)"
                   R"("security_token":"T-1"})");
  EXPECT_EQ(reused.status, 409) << reused.body;
  EXPECT_THAT(reused.body, HasSubstr("security_token"));
  auto wrong_parts =
      As("trainer", "PUT", reg + "/P001", R"({"present":[true]})");
  EXPECT_EQ(wrong_parts.status, 422) << wrong_parts.body;
  ASSERT_EQ(As("trainer", "PUT", reg + "/P001",
               R"({"present":[true,false],"identity_verified":true,)"
               R"("security_token":"T-2"})")
                .status,
            200);
  ASSERT_EQ(
      As("trainer", "PUT", reg + "/P002", R"({"present":[true,true]})").status,
      200);
  auto not_on_it =
      As("trainer", "PUT", reg + "/PB", R"({"present":[true,true]})");
  EXPECT_EQ(not_on_it.status, 404) << not_on_it.body;

  // P002 is marked present without identity: closing names them.
  auto gap = As("trainer", "POST", reg + "/close");
  ASSERT_EQ(gap.status, 409) << gap.body;
  auto gap_body = json::parse(gap.body);
  ASSERT_EQ(gap_body["fields"].size(), 1U) << gap.body;
  EXPECT_EQ(gap_body["fields"][0]["field"], "P002");
  EXPECT_EQ(As("learner", "POST", reg + "/close").status, 403);
  ASSERT_EQ(As("trainer", "PUT", reg + "/P002", R"({"present":[false,false]})")
                .status,
            200);
  const int audit_before_close = AuditEntries();
  auto closed = As("trainer", "POST", reg + "/close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto closing = json::parse(closed.body);
  EXPECT_EQ(closing["attended"], 1);
  EXPECT_EQ(closing["partly_attended"], 1);
  EXPECT_EQ(closing["no_shows"], 1);
  const Course* c = testing::Shipped("dcsf-2006").FindCourse(course);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(closing["records"].size(), 2 * c->modules.size());
  EXPECT_GT(AuditEntries(), audit_before_close);
  EXPECT_EQ(As("trainer", "POST", reg + "/close").status, 409);

  auto statuses = [&] {
    std::map<std::string, std::string> out;
    auto bookings = store_->BookingsOfSession(id);
    EXPECT_TRUE(bookings.has_value());
    for (const auto& b : bookings.value_or(std::vector<Booking>{})) {
      out[b.person] = BookingStatusName(b.status);
    }
    return out;
  };
  EXPECT_EQ(statuses(),
            (std::map<std::string, std::string>{{"P001", "partly-attended"},
                                                {"P002", "no-show"},
                                                {"PA", "attended"}}));
  const std::string module = c->modules.front().id;
  auto record = store_->FindRecord("session:" + id + ":PA:" + module);
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->outcome, TrainingOutcome::kCompleted);
  EXPECT_EQ((*record)->date, Day(2026, 10, 6));
  EXPECT_EQ((*record)->source, RecordSource::kSession);
  auto partly = store_->FindRecord("session:" + id + ":P001:" + module);
  ASSERT_TRUE(partly && *partly);
  EXPECT_EQ((*partly)->outcome, TrainingOutcome::kPartlyAttended);
  EXPECT_EQ((*partly)->date, Day(2026, 10, 5));
  auto none = store_->FindRecord("session:" + id + ":P002:" + module);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  // After closing: the trainer may not change it; a coordinator may, with a
  // reason, and the record is superseded by a withdrawal, not rewritten.
  EXPECT_EQ(
      As("trainer", "PUT", reg + "/PA", R"({"present":[false,false]})").status,
      409);
  EXPECT_EQ(As("trainer", "POST", reg + "/PA/correction",
               R"({"present":[false,false],"reason":"x"})")
                .status,
            403);
  auto no_reason = As("coordinator", "POST", reg + "/PA/correction",
                      R"({"present":[false,false]})");
  EXPECT_EQ(no_reason.status, 422) << no_reason.body;
  EXPECT_THAT(no_reason.body, HasSubstr("reason"));
  auto corrected =
      As("coordinator", "POST", reg + "/PA/correction",
         R"({"present":[false,false],"reason":"signed in, then left"})");
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(statuses()["PA"], "no-show");
  auto kept = store_->FindRecord("session:" + id + ":PA:" + module);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->outcome, TrainingOutcome::kCompleted);  // as it was
  auto withdrawal =
      store_->FindRecord("session:" + id + ":PA:" + module + "#2");
  ASSERT_TRUE(withdrawal && *withdrawal);
  EXPECT_EQ((*withdrawal)->outcome, TrainingOutcome::kWithdrawn);
  EXPECT_EQ((*withdrawal)->supersedes, "session:" + id + ":PA:" + module);
  auto trail =
      As("auditor", "GET", "/api/v1/audit?entity=register&id=" + id + "%2FPA");
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_THAT(trail.body, HasSubstr("signed in, then left"));
  ASSERT_TRUE(store_->VerifyAudit());
  EXPECT_EQ(store_->VerifyAudit()->first_broken, 0);
}

INSTANTIATE_TEST_SUITE_P(, ApiTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param.name;
                         });

}  // namespace
}  // namespace trellis
