// The pages against a real server on a free port, as a browser without
// JavaScript uses them: forms posted as application/x-www-form-urlencoded,
// redirects, the sign-in cookie and the sign-out form's CSRF token, error
// summaries, and the home page of each role.
#include "web/site.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "api/test_client.h"
#include "engine/test_frameworks.h"
#include "http/server.h"
#include "service/credentials.h"
#include "store/store_test_support.h"
#include "web/pages.h"
#include "web/site_test_support.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

TEST(PageTemplatesTest, EveryTemplateParses) {
  ASSERT_FALSE(web::Templates().empty());
  for (const auto& [name, text] : web::Templates()) {
    kainjow::mustache::mustache page{text};
    EXPECT_TRUE(page.is_valid()) << name << ": " << page.error_message();
  }
}

TEST_F(SiteTest, SigningInAndOutWorksWithoutJavaScript) {
  // Not signed in: the home page sends you to sign in.
  auto home = Get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.headers["location"], "/sign-in");
  auto form = Get("/sign-in");
  ASSERT_EQ(form.status, 200);
  EXPECT_EQ(form.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_THAT(form.body, HasSubstr(R"(<form method="post" action="/sign-in")"));
  EXPECT_THAT(form.body, HasSubstr("<title>Sign in – Trellis</title>"));
  EXPECT_THAT(form.headers["content-security-policy"],
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(form.headers["content-security-policy"],
              Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(form.body, Not(HasSubstr("<script>")))
      << "no inline script: the policy would refuse it";

  // Nothing filled in: both fields named, in the summary and at the field.
  auto empty = Post("/sign-in", "email=&password=");
  EXPECT_EQ(empty.status, 422);
  EXPECT_THAT(empty.body, HasSubstr("<title>Error: Sign in – Trellis</title>"));
  EXPECT_THAT(empty.body,
              HasSubstr(R"(<a href="#email">Enter your email address</a>)"));
  EXPECT_THAT(empty.body,
              HasSubstr(R"(<a href="#password">Enter your password</a>)"));
  EXPECT_THAT(empty.body, HasSubstr(R"(aria-describedby="email-error")"));

  // A wrong password: said, and the email kept in the field.
  auto wrong = Post("/sign-in", "email=learner%40example.org&password=nope");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body,
              HasSubstr("The email address or password is not right"));
  EXPECT_THAT(wrong.body, HasSubstr(R"(value="learner@example.org")"));
  EXPECT_TRUE(wrong.headers["set-cookie"].empty());

  // Right: a cookie, and back to where you were going (this site only).
  auto right = Post("/sign-in",
                    "email=LEARNER%40example.org&password=correct+horse+battery"
                    "&next=%2F%2Fevil.example%2F");
  ASSERT_EQ(right.status, 303) << right.body;
  EXPECT_EQ(right.headers["location"], "/");
  EXPECT_THAT(right.headers["set-cookie"], HasSubstr("HttpOnly"));
  EXPECT_THAT(right.headers["set-cookie"], HasSubstr("SameSite=Lax"));
  const std::string cookie = right.headers["set-cookie"].substr(
      0, right.headers["set-cookie"].find(';'));
  auto signed_in = Get("/", cookie);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  // Names are escaped, never markup.
  EXPECT_THAT(signed_in.body,
              HasSubstr("Hello, Ann &lt;b&gt;Learner&lt;/b&gt;"));
  EXPECT_THAT(signed_in.body, Not(HasSubstr("<b>Learner</b>")));
  EXPECT_EQ(Get("/sign-in", cookie).status, 303) << "already signed in";

  // Signing out needs the page's CSRF token.
  EXPECT_EQ(Post("/sign-out", "csrf_token=forged", cookie).status, 403);
  EXPECT_EQ(Get("/", cookie).status, 200) << "a forged sign-out did nothing";
  const std::string marker = R"(name="csrf_token" value=")";
  const auto at = signed_in.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string token = signed_in.body.substr(
      at + marker.size(),
      signed_in.body.find('"', at + marker.size()) - (at + marker.size()));
  auto out = Post("/sign-out", "csrf_token=" + token, cookie);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.headers["location"], "/sign-in");
  EXPECT_THAT(out.headers["set-cookie"], HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get("/", cookie).status, 303) << "the old cookie no longer works";
}

TEST_F(SiteTest, RepeatedFailedSignInsAreHeldBackOnThePage) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Post("/sign-in", "email=manager%40example.org&password=x").status,
              401);
  }
  auto held = Post(
      "/sign-in", "email=manager%40example.org&password=correct+horse+battery");
  EXPECT_EQ(held.status, 429);
  EXPECT_THAT(held.body, HasSubstr("too many failed attempts"));
  EXPECT_FALSE(held.headers["retry-after"].empty());
}

TEST_F(SiteTest, TheHomePageShowsEachRoleWhatToDoNext) {
  const std::string booked = AddSession(12, /*approval=*/false);
  const std::string asked = AddSession(19, /*approval=*/true);
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{booked, "PA", false, false, false, Day(2027, 1, 5)},
      kSetup));
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{asked, "PA", false, false, false, Day(2027, 1, 5)},
      kSetup));

  auto learner = Get("/", SignIn("learner")).body;
  EXPECT_THAT(learner, HasSubstr("Your training"));
  EXPECT_THAT(learner, HasSubstr("Your sessions to come"));
  EXPECT_THAT(learner, HasSubstr("Tuesday 12 January 2027"));
  EXPECT_THAT(learner, HasSubstr("Waiting for approval"));
  EXPECT_THAT(learner, HasSubstr(course_.name.substr(0, 20)));

  auto manager = Get("/", SignIn("manager")).body;
  EXPECT_THAT(manager, HasSubstr("Requests waiting for your decision"));
  EXPECT_THAT(manager,
              HasSubstr("Ann &lt;b&gt;Learner&lt;/b&gt;</a> asks for a place"));
  EXPECT_THAT(manager, HasSubstr("Tuesday 19 January 2027"));

  auto trainer = Get("/", SignIn("trainer")).body;
  EXPECT_THAT(trainer, HasSubstr("Sessions you train"));
  EXPECT_THAT(trainer, HasSubstr(booked));
  EXPECT_THAT(trainer, HasSubstr(asked));

  auto coordinator = Get("/", SignIn("coordinator")).body;
  EXPECT_THAT(coordinator, HasSubstr("Sessions in the next 4 weeks"));
  EXPECT_THAT(coordinator,
              HasSubstr("2 sessions starting by Tuesday 2 February 2027"));
  EXPECT_THAT(coordinator, Not(HasSubstr("Your training")))
      << "a coordinator's account has no person, so no plan";
}

// The plan lists what the framework asks of the person, where each stands,
// and for what is still to do, whether it can be booked or why not yet.
TEST_F(SiteTest, MyPlanSaysWhereEachModuleStandsAndWhyNotYetBookable) {
  const std::string cookie = SignIn("learner");
  auto plan = Get("/plan", cookie);
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_THAT(plan.body,
              HasSubstr("<h1 class=\"govuk-heading-l\">My plan</h1>"));
  EXPECT_THAT(plan.body, HasSubstr(R"(aria-current="page")"));
  // Ann has no records: everything asked is to do, the first steps bookable
  // and a later one held back by what comes before it.
  const std::string learner_needs = plan.body;
  EXPECT_THAT(learner_needs, HasSubstr("govuk-tag--blue\">To do</strong>"));
  EXPECT_THAT(learner_needs, HasSubstr("You can book it now."));
  EXPECT_THAT(learner_needs, HasSubstr("Not yet bookable:"));
  EXPECT_THAT(learner_needs, Not(HasSubstr("govuk-tag--green")));

  // A module done shows as done, with its date.
  RecordFirstNeedDone();
  auto after = Get("/plan", cookie).body;
  EXPECT_THAT(after, HasSubstr("govuk-tag--green\">Done</strong>"));
  EXPECT_THAT(after, HasSubstr("Done on Tuesday 1 December 2026."));

  // A coordinator's account is no one's: no plan, said so.
  auto none = Get("/plan", SignIn("coordinator"));
  EXPECT_EQ(none.status, 404);
  EXPECT_THAT(none.body, HasSubstr("You have no plan of your own"));
  EXPECT_THAT(none.body, Not(HasSubstr("href=\"/plan\"")));
  // Not signed in: sign in first, then back here.
  auto out = Get("/plan");
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.headers["location"], "/sign-in?next=%2Fplan");
}

TEST_F(SiteTest, AssetsAreServedAndUnknownPagesAnswerAsPages) {
  auto css = Get("/assets/trellis.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.headers["content-type"], "text/css; charset=utf-8");
  EXPECT_THAT(css.headers["cache-control"], HasSubstr("immutable"));
  EXPECT_THAT(css.body, HasSubstr("govuk-generic-header"));
  EXPECT_THAT(css.body, Not(HasSubstr("GDS Transport")))
      << "GOV.UK's typeface is not ours to use";
  auto script = Get("/assets/trellis.mjs");
  EXPECT_EQ(script.headers["content-type"], "text/javascript; charset=utf-8");
  // Gzipped for browsers that accept it; pages never (they hold a token).
  TestClient client(server_->Port());
  auto packed = client.Send("GET", "/assets/trellis.css", "",
                            {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(packed.headers["content-encoding"], "gzip");
  EXPECT_EQ(packed.headers["vary"], "Accept-Encoding");
  EXPECT_LT(packed.body.size(), css.body.size() / 4);
  EXPECT_TRUE(css.headers["content-encoding"].empty());
  TestClient page_client(server_->Port());
  auto page =
      page_client.Send("GET", "/sign-in", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_TRUE(page.headers["content-encoding"].empty());

  for (const std::string target :
       {"/assets/missing.css", "/assets/..%2FCMakeCache.txt", "/nowhere"}) {
    auto answer = Get(target);
    EXPECT_EQ(answer.status, 404) << target;
    EXPECT_EQ(answer.headers["content-type"], "text/html; charset=utf-8")
        << target;
    EXPECT_THAT(answer.body, HasSubstr("Page not found")) << target;
  }
  auto wrong_method = Post("/", "");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers["content-type"], "text/html; charset=utf-8");
}

// A learner finds a session, books it by the form (never by a forged one),
// is told so, cannot book twice, and cancels it after a confirmation page.
TEST_F(SiteTest, ALearnerBooksAndCancelsByForm) {
  const std::string id = AddSession(12, /*approval=*/false);
  const std::string cookie = SignIn("learner");
  auto list = Get("/sessions", cookie);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_THAT(list.body, HasSubstr("href=\"/sessions/" + id + "\""));
  EXPECT_THAT(list.body, HasSubstr("Tuesday 12 January 2027, 9am to 12pm"));
  EXPECT_THAT(list.body, HasSubstr("IT suite, Civic Centre"));

  auto page = Get("/sessions/" + id, cookie);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("12 of 12 left"));
  EXPECT_THAT(page.body, HasSubstr(">Book a place</button>"));
  const std::string token = TokenOf(page.body);
  ASSERT_FALSE(token.empty());

  auto forged = Post("/sessions/" + id + "/bookings",
                     "csrf_token=forged&person=PA", cookie);
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(BookingsOf(*store_, id).empty()) << "a forged form books nothing";
  // A learner books for themselves only.
  auto for_other = Post("/sessions/" + id + "/bookings",
                        "csrf_token=" + token + "&person=PM", cookie);
  EXPECT_EQ(for_other.status, 403) << for_other.body;
  EXPECT_TRUE(BookingsOf(*store_, id).empty());

  auto booked = Post("/sessions/" + id + "/bookings",
                     "csrf_token=" + token + "&person=", cookie);
  ASSERT_EQ(booked.status, 303) << booked.body;
  EXPECT_EQ(booked.headers["location"], "/sessions/" + id + "?done=booked");
  const auto bookings = BookingsOf(*store_, id);
  ASSERT_EQ(bookings.size(), 1U);
  EXPECT_EQ(bookings[0].person, "PA");
  EXPECT_EQ(bookings[0].status, BookingStatus::kBooked);
  auto told = Get(booked.headers["location"], cookie);
  EXPECT_THAT(told.body, HasSubstr("The place is booked."));
  EXPECT_THAT(told.body, HasSubstr("govuk-tag--green\">Booked</strong>"));
  EXPECT_THAT(told.body, HasSubstr("11 of 12 left"));

  auto twice = Post("/sessions/" + id + "/bookings",
                    "csrf_token=" + token + "&person=", cookie);
  EXPECT_EQ(twice.status, 409);
  EXPECT_THAT(twice.body,
              HasSubstr("There is already a booking on this session"));
  EXPECT_THAT(twice.body, HasSubstr("govuk-error-summary"));
  EXPECT_EQ(BookingsOf(*store_, id).size(), 1U);

  // A booked session is not offered as bookable.
  auto bookable = Get("/sessions?bookable=yes", cookie);
  EXPECT_THAT(bookable.body, Not(HasSubstr("href=\"/sessions/" + id + "\"")));

  const std::string cancel = "/bookings/" + bookings[0].id + "/cancel";
  auto confirm = Get(cancel, cookie);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_THAT(confirm.body, HasSubstr("Cancel your place"));
  EXPECT_EQ(Post(cancel, "csrf_token=forged", cookie).status, 403);
  auto cancelled =
      Post(cancel, "csrf_token=" + token + "&reason=A+case+conference", cookie);
  ASSERT_EQ(cancelled.status, 303) << cancelled.body;
  EXPECT_EQ(cancelled.headers["location"],
            "/sessions/" + id + "?done=cancelled");
  auto after = BookingsOf(*store_, id);
  EXPECT_EQ(after[0].status, BookingStatus::kCancelled);
  EXPECT_EQ(after[0].note, "A case conference");
  EXPECT_EQ(after[0].decided_by, "learner@example.org") << "attributed";

  // Another person's booking is not theirs to cancel.
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{id, "PM", false, true, false, Day(2027, 1, 5)}, kSetup));
  const std::string theirs = BookingsOf(*store_, id).back().id;
  EXPECT_EQ(Get("/bookings/" + theirs + "/cancel", cookie).status, 403);
  EXPECT_EQ(
      Post("/bookings/" + theirs + "/cancel", "csrf_token=" + token, cookie)
          .status,
      403);
  EXPECT_EQ(BookingsOf(*store_, id).back().status, BookingStatus::kBooked);
}

// A request on a session that asks for approval waits for the manager, who
// approves or declines it from their home page; a learner cannot decide.
TEST_F(SiteTest, AManagerDecidesOnTheirTeamsRequests) {
  const std::string first = AddSession(12, /*approval=*/true);
  const std::string second = AddSession(19, /*approval=*/true);
  const std::string learner = SignIn("learner");
  const std::string learner_token = TokenOf(Get("/", learner).body);
  for (const auto& id : {first, second}) {
    auto page = Get("/sessions/" + id, learner);
    EXPECT_THAT(page.body, HasSubstr(">Ask for a place</button>"));
    auto asked = Post("/sessions/" + id + "/bookings",
                      "csrf_token=" + learner_token, learner);
    ASSERT_EQ(asked.status, 303) << asked.body;
    EXPECT_EQ(asked.headers["location"], "/sessions/" + id + "?done=requested");
  }
  const std::string asked_first = BookingsOf(*store_, first)[0].id;
  const std::string asked_second = BookingsOf(*store_, second)[0].id;
  EXPECT_EQ(Post("/bookings/" + asked_first + "/decision",
                 "csrf_token=" + learner_token + "&decision=approve", learner)
                .status,
            403);
  EXPECT_EQ(BookingsOf(*store_, first)[0].status, BookingStatus::kRequested);

  const std::string manager = SignIn("manager");
  auto home = Get("/", manager);
  EXPECT_THAT(home.body, HasSubstr("/bookings/" + asked_first + "/decision"));
  EXPECT_THAT(home.body, HasSubstr("/bookings/" + asked_second + "/decision"));
  const std::string token = TokenOf(home.body);
  auto unread = Post("/bookings/" + asked_first + "/decision",
                     "csrf_token=" + token + "&decision=maybe", manager);
  EXPECT_EQ(unread.status, 400);
  auto approved = Post("/bookings/" + asked_first + "/decision",
                       "csrf_token=" + token + "&decision=approve", manager);
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(approved.headers["location"], "/?done=approved");
  EXPECT_EQ(BookingsOf(*store_, first)[0].status, BookingStatus::kBooked);
  auto declined = Post(
      "/bookings/" + asked_second + "/decision",
      "csrf_token=" + token + "&decision=decline&note=Not+this+month", manager);
  ASSERT_EQ(declined.status, 303) << declined.body;
  const Booking no = BookingsOf(*store_, second)[0];
  EXPECT_EQ(no.status, BookingStatus::kDeclined);
  EXPECT_EQ(no.note, "Not this month");
  auto after = Get("/?done=declined", manager).body;
  EXPECT_THAT(after, HasSubstr("The request is declined."));
  EXPECT_THAT(after,
              HasSubstr("No one in your team is waiting for a decision"));
}

// A manager sees their team at a glance, goes through a person's plan with
// them and books for them (a nomination, approved by being made); they see
// no one outside their team.
TEST_F(SiteTest, AManagerSeesTheirTeamAndNominates) {
  const std::string id = AddSession(12, /*approval=*/true);
  const std::string manager = SignIn("manager");
  auto team = Get("/team", manager);
  ASSERT_EQ(team.status, 200) << team.body;
  EXPECT_THAT(team.body, HasSubstr("href=\"/people/PA\""));
  EXPECT_THAT(team.body, Not(HasSubstr("/people/PT")));
  auto person = Get("/people/PA", manager);
  ASSERT_EQ(person.status, 200) << person.body;
  EXPECT_THAT(person.body, HasSubstr("Their plan"));
  EXPECT_THAT(person.body, HasSubstr("It can be booked now."));
  EXPECT_THAT(person.body, HasSubstr("for=PA"));
  EXPECT_EQ(Get("/people/PT", manager).status, 403);
  EXPECT_EQ(Get("/team", SignIn("learner")).status, 403);
  EXPECT_EQ(Get("/people/PM", SignIn("learner")).status, 403);

  auto page = Get("/sessions/" + id + "?for=PA", manager);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body,
              HasSubstr("A place for Ann &lt;b&gt;Learner&lt;/b&gt;"));
  EXPECT_THAT(page.body, HasSubstr(">Book a place</button>"))
      << "a manager's nomination needs no approval";
  auto booked =
      Post("/sessions/" + id + "/bookings",
           "csrf_token=" + TokenOf(page.body) + "&person=PA", manager);
  ASSERT_EQ(booked.status, 303) << booked.body;
  EXPECT_EQ(booked.headers["location"],
            "/sessions/" + id + "?done=booked&for=PA");
  const Booking made = BookingsOf(*store_, id)[0];
  EXPECT_EQ(made.status, BookingStatus::kBooked);
  EXPECT_TRUE(made.nominated);
  EXPECT_EQ(made.requested_by, "manager@example.org");
}

// Who sees which sessions: open ones for everyone; planned ones for those
// who run the area; the filters narrow the list; a person who may not book
// a session is told every reason, with no button.
TEST_F(SiteTest, FindingASessionFiltersAndExplains) {
  const std::string open = AddSession(12, false);
  CourseSession planned;
  planned.course = course_.id;
  planned.status = SessionStatus::kPlanned;
  planned.room = "it1";
  planned.seats = 12;
  planned.parts = {{LocalTime{Day(2027, 1, 14), 9 * 60},
                    LocalTime{Day(2027, 1, 14), 12 * 60}}};
  auto added = store_->AddSession(planned, kSetup);
  ASSERT_TRUE(added.has_value());
  CourseSession others = planned;
  others.status = SessionStatus::kOpen;
  others.audiences = {"managers"};
  others.parts = {{LocalTime{Day(2027, 1, 15), 9 * 60},
                   LocalTime{Day(2027, 1, 15), 12 * 60}}};
  auto not_for_them = store_->AddSession(others, kSetup);
  ASSERT_TRUE(not_for_them.has_value()) << Describe(not_for_them);

  const std::string learner = SignIn("learner");
  auto list = Get("/sessions", learner).body;
  EXPECT_THAT(list, HasSubstr("/sessions/" + open));
  EXPECT_THAT(list, Not(HasSubstr("/sessions/" + added->id)));
  EXPECT_THAT(list, HasSubstr("Not yet bookable"));
  auto bookable = Get("/sessions?bookable=yes", learner).body;
  EXPECT_THAT(bookable, HasSubstr("/sessions/" + open));
  EXPECT_THAT(bookable, Not(HasSubstr("/sessions/" + not_for_them->id)));
  auto other_course = Get("/sessions?course=no-such-course-here", learner);
  EXPECT_EQ(other_course.status, 200) << "an unknown course filters nothing";
  auto two_weeks = Get("/sessions?when=2&page=abc", learner);
  EXPECT_EQ(two_weeks.status, 200);

  auto coordinator = Get("/sessions", SignIn("coordinator")).body;
  EXPECT_THAT(coordinator, HasSubstr("/sessions/" + added->id));
  EXPECT_THAT(coordinator, HasSubstr("Planned"));

  auto refused = Get("/sessions/" + not_for_them->id, learner);
  ASSERT_EQ(refused.status, 200);
  EXPECT_THAT(refused.body, HasSubstr("You cannot book this session yet:"));
  EXPECT_THAT(refused.body, HasSubstr("the session is for managers"));
  EXPECT_THAT(refused.body, Not(HasSubstr("action=\"/sessions/" +
                                          not_for_them->id + "/bookings\"")))
      << "no button to book";
  auto forced = Post("/sessions/" + not_for_them->id + "/bookings",
                     "csrf_token=" + TokenOf(refused.body), learner);
  EXPECT_EQ(forced.status, 409);
  EXPECT_THAT(forced.body, HasSubstr("This place cannot be booked"));
  EXPECT_TRUE(BookingsOf(*store_, not_for_them->id).empty());
  EXPECT_EQ(Get("/sessions/S999999", learner).status, 404);
}

TEST_F(SiteTest, MyRecordsListWhatIsOnRecordNewestFirst) {
  const Framework& framework = service_->framework();
  const Module& module = framework.modules.front();
  for (const auto& [id, day] :
       std::vector<std::pair<std::string, unsigned>>{{"R1", 3}, {"R2", 20}}) {
    TrainingRecord record;
    record.id = id;
    record.person = "PA";
    record.module = module.ref;
    record.module_version = module.version;
    record.date = Day(2026, 11, day);
    ASSERT_TRUE(store_->AddRecord(record, kSetup));
  }
  auto page = Get("/records", SignIn("learner"));
  ASSERT_EQ(page.status, 200) << page.body;
  const auto newer = page.body.find("20 November 2026");
  const auto older = page.body.find("3 November 2026");
  ASSERT_NE(newer, std::string::npos);
  ASSERT_NE(older, std::string::npos);
  EXPECT_LT(newer, older);
  EXPECT_EQ(Get("/records", SignIn("coordinator")).status, 404);
}

// The trainer keeps the register by form: ticks are saved (a clear box an
// absence; a mark standing is not written again), a part not yet started cannot
// be ticked, and closing turns the marks into outcomes and records. Learners
// may not see it.
TEST_F(SiteTest, ATrainerKeepsTheRegisterByForm) {
  const std::string run = AddSession(4, /*approval=*/false);  // yesterday
  for (const std::string person : {"PA", "PM"}) {
    ASSERT_TRUE(store_->RequestBooking(
        BookingRequest{run, person, false, true, false, Day(2027, 1, 4)},
        kSetup));
  }
  const std::string trainer = SignIn("trainer");
  auto home = Get("/", trainer).body;
  EXPECT_THAT(home, HasSubstr("Registers to complete"));
  EXPECT_THAT(home, HasSubstr("/sessions/" + run + "/register"));
  auto page = Get("/sessions/" + run + "/register", trainer);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr(R"(name="present-PA-0")"));
  EXPECT_THAT(page.body, HasSubstr(R"(name="present-PM-0")"));
  EXPECT_EQ(Get("/sessions/" + run + "/register", SignIn("learner")).status,
            403);
  const std::string token = TokenOf(page.body);
  EXPECT_EQ(Post("/sessions/" + run + "/register",
                 "csrf_token=forged&present-PA-0=yes", trainer)
                .status,
            403);
  auto saved = Post("/sessions/" + run + "/register",
                    "csrf_token=" + token + "&present-PA-0=yes", trainer);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"],
            "/sessions/" + run + "/register?done=saved");
  auto reg = store_->ReadRegister(run);
  ASSERT_TRUE(reg.has_value());
  for (const auto& entry : reg->entries) {
    if (entry.person == "PA") {
      EXPECT_EQ(entry.present, std::vector<bool>{true});
      EXPECT_EQ(entry.marked_by, "trainer@example.org");
    } else {
      EXPECT_EQ(entry.present, std::vector<bool>{false}) << "a clear box";
    }
  }
  // Saved again unchanged: nothing is written.
  const long long version = store_->DataVersion().value_or(-1);
  ASSERT_EQ(Post("/sessions/" + run + "/register",
                 "csrf_token=" + token + "&present-PA-0=yes", trainer)
                .status,
            303);
  EXPECT_EQ(store_->DataVersion().value_or(-2), version);
  EXPECT_THAT(
      Get("/sessions/" + run + "/register", trainer).body,
      HasSubstr(
          R"(id="present-PA-0" name="present-PA-0" type="checkbox" value="yes" checked)"));

  // A session still to come: nobody is present at it yet.
  const std::string later = AddSession(12, false);
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{later, "PA", false, true, false, Day(2027, 1, 5)},
      kSetup));
  auto early = Post("/sessions/" + later + "/register",
                    "csrf_token=" + token + "&present-PA-0=yes", trainer);
  EXPECT_EQ(early.status, 409);
  EXPECT_THAT(early.body, HasSubstr("nobody is present at it yet"));
  EXPECT_THAT(early.body, HasSubstr(R"(href="#present-PA-0")"));
  auto not_yet = Post("/sessions/" + later + "/register/close",
                      "csrf_token=" + token, trainer);
  EXPECT_EQ(not_yet.status, 409);
  EXPECT_THAT(not_yet.body,
              HasSubstr("close the register once it has taken place"));

  auto closed = Post("/sessions/" + run + "/register/close",
                     "csrf_token=" + token, trainer);
  ASSERT_EQ(closed.status, 303) << closed.body;
  for (const auto& b : BookingsOf(*store_, run)) {
    EXPECT_EQ(b.status, b.person == "PA" ? BookingStatus::kAttended
                                         : BookingStatus::kNoShow)
        << b.person;
  }
  EXPECT_FALSE(store_->RecordsOf("PA")->empty()) << "attendance is recorded";
  auto after = Get("/sessions/" + run + "/register?done=closed", trainer).body;
  EXPECT_THAT(after, HasSubstr("The register is closed"));
  EXPECT_THAT(after, Not(HasSubstr("type=\"checkbox\"")));
  EXPECT_THAT(after, HasSubstr("Did not attend"));
  EXPECT_THAT(Get("/", trainer).body, Not(HasSubstr("Registers to complete")));
}

// The dashboard: coordinators and auditors; its tables follow every change
// (kept only while the data version stands); each downloads as CSV and XLSX.
TEST_F(SiteTest, TheDashboardShowsTheAreaAndDownloads) {
  const std::string coordinator = SignIn("coordinator");
  auto board = Get("/dashboard", coordinator);
  ASSERT_EQ(board.status, 200) << board.body;
  for (const std::string table :
       {"needs-by-sector", "needs-by-organisation", "compliance", "take-up"}) {
    EXPECT_THAT(board.body, HasSubstr("id=\"" + table + "-table\"")) << table;
    EXPECT_THAT(board.body, HasSubstr("/dashboard/" + table + ".csv")) << table;
  }
  EXPECT_THAT(board.body, HasSubstr("chart.umd.min.js"));
  EXPECT_THAT(board.body, HasSubstr("Newcastle City Council"));
  EXPECT_EQ(Get("/dashboard", SignIn("learner")).status, 403);
  EXPECT_EQ(Get("/dashboard/compliance.csv", SignIn("manager")).status, 403);
  EXPECT_EQ(Get("/dashboard", SignIn("coordinator")).status, 200);

  auto csv = Get("/dashboard/needs-by-organisation.csv", coordinator);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_THAT(csv.headers["content-disposition"],
              HasSubstr("trellis-needs-by-organisation-2027-01-05.csv"));
  EXPECT_THAT(csv.body, HasSubstr("Organisation,People,Done,Refresher due soon,"
                                  "Out of date,To do,% in date\r\n"));
  // Three people, nothing done: everything asked is to do.
  const auto line = csv.body.substr(csv.body.find("Newcastle City Council"));
  EXPECT_THAT(line, HasSubstr("Newcastle City Council,3,0,0,0,"));

  // A record moves the figures at once.
  RecordFirstNeedDone();
  auto moved = Get("/dashboard/needs-by-organisation.csv", coordinator).body;
  EXPECT_THAT(moved.substr(moved.find("Newcastle City Council")),
              HasSubstr("Newcastle City Council,3,1,0,0,"));

  auto xlsx = Get("/dashboard/take-up.xlsx", coordinator);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_THAT(xlsx.headers["content-type"], HasSubstr("spreadsheetml"));
  ASSERT_GT(xlsx.body.size(), 100U);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK") << "a zip: an XLSX workbook";
  EXPECT_EQ(Get("/dashboard/compliance.pdf", coordinator).status, 404);
  EXPECT_EQ(Get("/dashboard/nothing.csv", coordinator).status, 404);
  EXPECT_EQ(Get("/dashboard/compliance.xlsx", SignIn("auditor")).status, 200);
}

// The audit trail: auditors and coordinators read it, newest first; one
// record's history; the chain checked on request.
TEST_F(SiteTest, TheAuditTrailIsReadOnlyAndChecksItsChain) {
  const std::string id = AddSession(12, false);
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{id, "PA", false, true, false, Day(2027, 1, 5)}, kSetup));
  const std::string auditor = SignIn("auditor");
  auto trail = Get("/audit", auditor);
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_THAT(trail.body, HasSubstr("entity=booking&amp;id=B000001"));
  const auto booking = trail.body.find("booking B000001");
  const auto session = trail.body.find("session " + id);
  ASSERT_NE(booking, std::string::npos);
  ASSERT_NE(session, std::string::npos);
  EXPECT_LT(booking, session) << "newest first";
  auto history = Get("/audit?entity=booking&id=B000001", auditor).body;
  EXPECT_THAT(history, HasSubstr("This is the history of booking B000001"));
  EXPECT_THAT(history, Not(HasSubstr("session " + id + "</a>")));
  EXPECT_THAT(Get("/audit?verify=yes", auditor).body,
              HasSubstr("The chain is intact"));
  EXPECT_EQ(Get("/audit?entity=booking", auditor).status, 400);
  EXPECT_EQ(Get("/audit", SignIn("learner")).status, 403);
  EXPECT_EQ(Get("/audit", SignIn("coordinator")).status, 200);
}

// The framework browser: everyone signed in reads the framework, its
// modules and courses; an unknown one is a 404 page.
TEST_F(SiteTest, TheFrameworkCanBeBrowsed) {
  const std::string learner = SignIn("learner");
  auto overview = Get("/framework", learner);
  ASSERT_EQ(overview.status, 200) << overview.body;
  const Framework& framework = service_->framework();
  EXPECT_THAT(overview.body, HasSubstr("Who takes what"));
  const Module& module = framework.modules.front();
  EXPECT_THAT(overview.body,
              HasSubstr("href=\"/framework/modules/" + module.ref + "\""));
  auto page = Get("/framework/modules/" + module.ref, learner);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Module " + module.ref));
  auto course = Get("/framework/courses/" + course_.id, learner);
  ASSERT_EQ(course.status, 200) << course.body;
  EXPECT_THAT(course.body, HasSubstr("Course check"));
  EXPECT_EQ(Get("/framework/modules/NO-SUCH", learner).status, 404);
  EXPECT_EQ(Get("/framework/courses/no-such", learner).status, 404);
  EXPECT_EQ(Get("/framework?audience=%3Cscript%3E", learner).status, 200);
  EXPECT_EQ(Get("/framework").status, 303) << "signed in first";
}

// Organisations are the partnership's own list, read by everyone; people
// by those who run or read the area, page by page, or by id.
TEST_F(SiteTest, OrganisationsAndPeople) {
  const std::string learner = SignIn("learner");
  auto orgs = Get("/organisations", learner);
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  EXPECT_THAT(orgs.body, HasSubstr("href=\"/organisations/NCC\""));
  auto org = Get("/organisations/NCC", learner);
  ASSERT_EQ(org.status, 200) << org.body;
  EXPECT_THAT(org.body, HasSubstr("Newcastle City Council"));
  EXPECT_THAT(org.body, Not(HasSubstr("/people?organisation=NCC")))
      << "a learner is not shown the people";
  EXPECT_EQ(Get("/organisations/NOPE", learner).status, 404);

  EXPECT_EQ(Get("/people", learner).status, 403);
  EXPECT_EQ(Get("/people", SignIn("manager")).status, 403);
  const std::string coordinator = SignIn("coordinator");
  auto people = Get("/people?organisation=NCC", coordinator);
  ASSERT_EQ(people.status, 200) << people.body;
  for (const std::string id : {"PA", "PM", "PT"}) {
    EXPECT_THAT(people.body, HasSubstr("href=\"/people/" + id + "\"")) << id;
  }
  EXPECT_THAT(people.body, HasSubstr("Ann &lt;b&gt;Learner&lt;/b&gt;"));
  auto by_id = Get("/people?id=+PA+", coordinator);
  EXPECT_EQ(by_id.status, 303);
  EXPECT_EQ(by_id.headers["location"], "/people/PA");
  EXPECT_EQ(Get("/people?page=-3", coordinator).status, 200);
  EXPECT_EQ(Get("/people", SignIn("auditor")).status, 200);
}

// The calendar: a month or a week of the sessions the reader would find,
// by day; a month or week asked for badly shows this one.
TEST_F(SiteTest, TheCalendarLaysSessionsOutByDay) {
  const std::string open = AddSession(12, false);
  const std::string learner = SignIn("learner");
  auto month = Get("/calendar?month=2027-01", learner);
  ASSERT_EQ(month.status, 200) << month.body;
  EXPECT_THAT(month.body, HasSubstr("January 2027"));
  EXPECT_THAT(month.body, HasSubstr("href=\"/sessions/" + open + "\""));
  EXPECT_THAT(month.body, HasSubstr("Tuesday 12 January 2027"));
  EXPECT_THAT(month.body, HasSubstr("Tuesday 5 January 2027, today"));
  EXPECT_THAT(month.body, HasSubstr("month=2027-02"));
  EXPECT_THAT(month.body, HasSubstr("month=2026-12"));
  auto week = Get("/calendar?view=week&week=2027-01-13", learner);
  ASSERT_EQ(week.status, 200);
  EXPECT_THAT(week.body, HasSubstr("Week of Monday 11 January 2027"));
  EXPECT_THAT(week.body, HasSubstr("/sessions/" + open));
  auto other_week = Get("/calendar?view=week&week=2027-01-20", learner);
  EXPECT_THAT(other_week.body, Not(HasSubstr("/sessions/" + open)));
  auto bad = Get("/calendar?month=2027-13&week=x", learner);
  EXPECT_EQ(bad.status, 200);
  EXPECT_THAT(bad.body, HasSubstr("January 2027"));
}

// The browser journeys check every page listed in tests/e2e/pages.json
// with axe-core; a page route added without being listed there fails here.
TEST_F(SiteTest, EveryPageIsInTheBrowserJourneys) {
  std::ifstream in(std::string(TRELLIS_SOURCE_DIR) + "/tests/e2e/pages.json");
  ASSERT_TRUE(in) << "tests/e2e/pages.json";
  const auto listed = nlohmann::json::parse(in)["pages"];
  std::set<std::string> pages;
  for (const auto& [method, pattern] : site_->Routes()) {
    // Files (assets, downloads) are not pages.
    if (method == "GET" && !pattern.ends_with("/{file}")) {
      pages.insert(pattern);
    }
  }
  std::set<std::string> in_journeys(listed.begin(), listed.end());
  EXPECT_EQ(pages, in_journeys)
      << "list every page route in tests/e2e/pages.json and visit it in "
         "tests/e2e/journeys.mjs";
}

}  // namespace
}  // namespace trellis
