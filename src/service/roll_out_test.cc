// A roll-out plan committed to the area: the planned calendar becomes open
// sessions of the framework's courses in the plan's room at the plan's
// times, and the people placed are booked through the service as a
// coordinator books them (eligibility, seats, audit). A place on an
// Information Sharing session that ends first lets a person book
// ContactPoint. Nothing is written for a plan that cannot be committed, and
// committing again adds only what is missing.
#include "service/roll_out.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "engine/demo_area.h"
#include "engine/test_frameworks.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace)

const Date kToday{std::chrono::year{2027} / 1 / 5};

constexpr const char* kPlan = R"(plan: trial
name: Trial roll-out
workforce: 600
delivery:
  days: [monday, friday]
  sessions_per_day: 2
  people_per_session: 12
  times: ["09:00-12:00", "13:00-16:00"]
mix:
  period_weeks: 2
  sessions:
    practitioners: 6
    operational-managers: 1
    admin-staff: 1
phases:
  - name: Phase 1
    from: 2027-03-01
    to: 2027-06-30
    target: 100
  - name: Phase 2
    from: 2027-07-01
    to: 2027-12-31
    target: 200
framework: newcastle-2009
courses:
  - module: IS-PRACTICE
  - module: CP-USER
    audiences_apart: true
venues:
  - name: Springfield ICT suite
    seats: 12
    room: ict-suite
trainers:
  - name: Trainer
    people: [TRAINER1, TRAINER2]
    days_per_month: 3
)";

class RollOutCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Framework& framework = trellis::testing::Shipped("newcastle-2009");
    DemoOptions options;
    options.people = 600;
    options.seed = 3;
    options.today = kToday;
    Workforce area = GenerateDemoArea(framework, options);
    // Every organisation ready, so that what refuses a booking is the
    // person's own state.
    for (auto& organisation : area.organisations) {
      for (auto& readiness : organisation.readiness) {
        for (auto& condition : readiness.conditions) {
          condition.met = true;
          condition.evidence = "signed off";
          condition.date =
              Date{std::chrono::sys_days(kToday) - std::chrono::days(30)};
        }
      }
    }
    for (const char* id : {"TRAINER1", "TRAINER2"}) {
      Person trainer;
      trainer.id = id;
      trainer.name = std::string("Trainer ") + id;
      trainer.organisation = area.organisations.front().id;
      trainer.role = "trainer";
      area.people.push_back(trainer);
    }
    auto opened = OpenStore(Sqlite().fresh(dir_.path()), OpenMode::kCreate);
    ASSERT_TRUE(opened.has_value());
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Fill(area, Actor{"demo"}));
    ASSERT_TRUE(store_->AddVenue(Venue{.id = "springfield",
                                       .name = "Springfield ICT",
                                       .address = "",
                                       .notes = "",
                                       .rooms = {}},
                                 Actor{"setup"}));
    ASSERT_TRUE(store_->AddRoom(Room{.id = "ict-suite",
                                     .venue = "springfield",
                                     .name = "IT suite",
                                     .seats = 12,
                                     .it_suite = true,
                                     .accessibility = ""},
                                Actor{"setup"}));
    service::ServiceOptions service_options;
    service_options.now = [] {
      return std::chrono::sys_days(kToday) + std::chrono::hours(9);
    };
    service_ = std::make_shared<service::AreaService>(
        std::make_shared<const Framework>(framework), service_options);
    coordinator_.user.email = "coordinator@area.example";
    coordinator_.user.role = UserRole::kCoordinator;
    coordinator_.via = "test";
  }

  service::PlannedRollOut Plan(const std::string& text,
                               const std::vector<std::string>& settings = {},
                               Date on = kToday) {
    auto planned = service::PlanOnArea(
        service_->framework(), *store_,
        plan::LoadPlanFromText(text, "trial.yaml"), settings, on);
    EXPECT_TRUE(planned.has_value()) << planned.error().message;
    return std::move(*planned);
  }

  std::vector<CourseSession> Sessions() {
    SessionFilter all;
    all.window.limit = 10000;
    return *store_->ListSessions(all);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<service::AreaService> service_;
  service::Caller coordinator_;
};

TEST_F(RollOutCommitTest, ThePlannedCalendarBecomesSessionsAndBookings) {
  const auto planned = Plan(kPlan);
  ASSERT_FALSE(planned.result.schedule.sessions.empty());
  auto report =
      service::CommitRollOut(*service_, *store_, coordinator_, planned);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  const auto& schedule = planned.result.schedule;
  EXPECT_EQ(report->sessions_added, static_cast<int>(schedule.sessions.size()));
  EXPECT_EQ(report->sessions_kept, 0);

  const auto sessions = Sessions();
  ASSERT_EQ(sessions.size(), schedule.sessions.size());
  std::map<std::string, const CourseSession*> by_id;
  for (const auto& s : sessions) {
    by_id[s.id] = &s;
    EXPECT_EQ(s.status, SessionStatus::kOpen);
    EXPECT_EQ(s.room, "ict-suite");
    EXPECT_EQ(s.seats, 12);
    ASSERT_EQ(s.parts.size(), 1U);
    const int starts = s.parts.front().starts.minute;
    EXPECT_TRUE(starts == 9 * 60 || starts == 13 * 60) << starts;
    EXPECT_EQ(s.parts.front().ends.minute - starts, 180);
    ASSERT_EQ(s.trainers.size(), 1U);
    EXPECT_TRUE(s.trainers.front() == "TRAINER1" ||
                s.trainers.front() == "TRAINER2");
    if (s.course == "contactpoint-user-training") {
      // ContactPoint keeps its audiences apart [000]: one a session, and
      // one case-management system.
      EXPECT_EQ(s.audiences.size(), 1U);
      EXPECT_FALSE(s.case_management_system.empty());
    } else {
      EXPECT_EQ(s.course, "information-sharing-in-practice");
    }
  }

  // Every place the planner gave is booked, refused with its reasons, or
  // left for the coordinator with what to mend.
  int placed = 0;
  for (const int p : schedule.placed) placed += p >= 0 ? 1 : 0;
  int not_booked = 0;
  for (const auto& [why, count] : report->not_booked) not_booked += count;
  int refused_people = 0;
  for (const auto& r : report->refused) {
    EXPECT_FALSE(r.person.empty()) << r.why;  // no session was refused
    EXPECT_FALSE(r.why.empty());
    ++refused_people;
  }
  EXPECT_EQ(report->booked + refused_people + not_booked, placed);
  EXPECT_GT(report->booked, refused_people);

  // Booked through the service: by the coordinator, in the audit trail's
  // terms, never over a session's seats; and a person booked on ContactPoint
  // without Information Sharing on record holds a place on an Information
  // Sharing session that ends before it.
  int cp_on_a_held_place = 0;
  for (const auto& s : sessions) {
    auto bookings = store_->BookingsOfSession(s.id);
    ASSERT_TRUE(bookings.has_value());
    EXPECT_LE(static_cast<int>(bookings->size()), s.seats);
    for (const auto& b : *bookings) {
      EXPECT_EQ(b.status, BookingStatus::kBooked);
      EXPECT_EQ(b.requested_by, "coordinator@area.example");
      if (s.course != "contactpoint-user-training") continue;
      auto records = store_->RecordsOf(b.person);
      // CP-USER asks for one of the three Information Sharing modules.
      const bool has_is = std::ranges::any_of(
          *records,
          [](const TrainingRecord& r) { return r.module.starts_with("IS-"); });
      if (has_is) continue;
      auto theirs = store_->BookingsOfPerson(b.person);
      const bool held = std::ranges::any_of(*theirs, [&](const Booking& o) {
        const CourseSession* other = by_id[o.session];
        return other != nullptr &&
               other->course == "information-sharing-in-practice" &&
               other->parts.back().ends <= s.parts.front().starts;
      });
      EXPECT_TRUE(held) << b.person << " on " << s.id;
      ++cp_on_a_held_place;
    }
  }
  EXPECT_GT(cp_on_a_held_place, 0);

  // Again: nothing new, everything found.
  auto again =
      service::CommitRollOut(*service_, *store_, coordinator_, planned);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->sessions_added, 0);
  EXPECT_EQ(again->sessions_kept, report->sessions_added);
  EXPECT_EQ(again->booked, 0);
  EXPECT_EQ(again->already_booked, report->booked);
  EXPECT_EQ(Sessions().size(), sessions.size());
}

// Someone booked by hand on an Information Sharing session before the plan
// is committed is counted in the plan as already booked, and commit does
// not book them on a second session of it.
TEST_F(RollOutCommitTest, APlaceHeldElsewhereIsNotBookedTwice) {
  const auto first = Plan(kPlan);
  EXPECT_EQ(first.instance.already_held, 0);
  const auto proposals =
      plan::ProposeSessions(first.plan, first.instance, first.result);
  std::string person;
  for (const auto& p : proposals.sessions) {
    if (p.session.course == "information-sharing-in-practice" &&
        !p.people.empty()) {
      person = p.people.front();
      break;
    }
  }
  ASSERT_FALSE(person.empty());
  CourseSession by_hand;
  by_hand.course = "information-sharing-in-practice";
  by_hand.status = SessionStatus::kOpen;
  by_hand.room = "ict-suite";
  by_hand.seats = 12;
  const Date day{std::chrono::year{2027} / 2 / 16};
  by_hand.parts = {{.starts = {day, 9 * 60}, .ends = {day, 12 * 60}}};
  auto added = service_->AddSession(*store_, coordinator_, by_hand);
  ASSERT_TRUE(added.has_value()) << added.error().message;
  ASSERT_TRUE(service_->Book(*store_, coordinator_, added->id, person));

  const auto planned = Plan(kPlan);
  EXPECT_EQ(planned.instance.already_held, 1);
  auto report =
      service::CommitRollOut(*service_, *store_, coordinator_, planned);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->held_elsewhere, 1);
  auto theirs = store_->BookingsOfPerson(person);
  ASSERT_TRUE(theirs.has_value());
  int information_sharing = 0;
  for (const auto& b : *theirs) {
    auto session = store_->FindSession(b.session);
    ASSERT_TRUE(session.has_value() && session->has_value());
    if ((*session)->course == "information-sharing-in-practice") {
      ++information_sharing;
      EXPECT_EQ(b.session, added->id);
    }
  }
  EXPECT_EQ(information_sharing, 1);
}

// A place held on an Information Sharing session that ends first counts
// for ContactPoint when the waiting list moves, as it does for a booking.
TEST_F(RollOutCommitTest, AWaiterWhosePreRequisiteIsBookedIsPromoted) {
  const auto planned = Plan(kPlan);
  const auto proposals =
      plan::ProposeSessions(planned.plan, planned.instance, planned.result);
  // Two people on one ContactPoint session who take Information Sharing
  // first (they have none on record).
  std::set<std::string> sharing_first;
  for (const auto& p : proposals.sessions) {
    if (p.session.course == "information-sharing-in-practice") {
      sharing_first.insert(p.people.begin(), p.people.end());
    }
  }
  const plan::SessionProposal* contact_point = nullptr;
  std::vector<std::string> pair;
  for (const auto& p : proposals.sessions) {
    if (p.session.course != "contactpoint-user-training") continue;
    pair.clear();
    for (const auto& person : p.people) {
      if (sharing_first.contains(person)) pair.push_back(person);
    }
    if (pair.size() >= 2) {
      contact_point = &p;
      break;
    }
  }
  ASSERT_NE(contact_point, nullptr);
  const std::string first = pair[0];
  const std::string second = pair[1];
  // Without the place held, neither may book ContactPoint.
  auto early =
      service_->AddSession(*store_, coordinator_, contact_point->session);
  ASSERT_TRUE(early.has_value()) << early.error().message;
  ASSERT_FALSE(service_->Book(*store_, coordinator_, early->id, first));
  const auto day = [](unsigned d) {
    return Date{std::chrono::year{2027} / 2 / d};
  };
  CourseSession sharing;
  sharing.course = "information-sharing-in-practice";
  sharing.status = SessionStatus::kOpen;
  sharing.room = "ict-suite";
  sharing.seats = 12;
  sharing.parts = {{.starts = {day(1), 9 * 60}, .ends = {day(1), 12 * 60}}};
  auto is = service_->AddSession(*store_, coordinator_, sharing);
  ASSERT_TRUE(is.has_value()) << is.error().message;
  CourseSession one_seat = contact_point->session;
  one_seat.seats = 1;
  one_seat.parts = {{.starts = {day(15), 9 * 60}, .ends = {day(15), 12 * 60}}};
  auto cp = service_->AddSession(*store_, coordinator_, one_seat);
  ASSERT_TRUE(cp.has_value()) << cp.error().message;
  for (const auto& person : {first, second}) {
    auto booked = service_->Book(*store_, coordinator_, is->id, person);
    ASSERT_TRUE(booked.has_value()) << booked.error().message;
  }
  auto taken = service_->Book(*store_, coordinator_, cp->id, second);
  ASSERT_TRUE(taken.has_value()) << taken.error().message;
  auto waiting = service_->Book(*store_, coordinator_, cp->id, first);
  ASSERT_TRUE(waiting.has_value()) << waiting.error().message;
  ASSERT_EQ(waiting->status, BookingStatus::kWaiting);

  auto freed = service_->Cancel(*store_, coordinator_, taken->id, "");
  ASSERT_TRUE(freed.has_value()) << freed.error().message;
  ASSERT_EQ(freed->promotions.promoted.size(), 1U);
  EXPECT_EQ(freed->promotions.promoted.front().person, first);
  EXPECT_TRUE(freed->promotions.passed_over.empty());
}

TEST_F(RollOutCommitTest, NothingIsWrittenForAPlanThatCannotBeCommitted) {
  // A venue without a room of the area.
  std::string no_room = kPlan;
  no_room.replace(no_room.find("    room: ict-suite\n"), 20, "");
  auto refused =
      service::CommitRollOut(*service_, *store_, coordinator_, Plan(no_room));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_FALSE(refused.error().fields.empty());
  EXPECT_NE(refused.error().fields.front().message.find("venues[0].room"),
            std::string::npos);

  // Sessions that would start in the past: planned as if judged in
  // September, committed in January.
  auto past = service::CommitRollOut(
      *service_, *store_, coordinator_,
      Plan(kPlan, {"start=2026-09-07"}, Date{std::chrono::year{2026} / 9 / 1}));
  ASSERT_FALSE(past.has_value());
  EXPECT_NE(past.error().message.find("has passed"), std::string::npos);

  // Errors in the file: a phase that ends before it starts.
  std::string slipped = kPlan;
  slipped.replace(slipped.find("to: 2027-12-31"), 14, "to: 2026-12-31");
  auto broken =
      service::CommitRollOut(*service_, *store_, coordinator_, Plan(slipped));
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().fields.front().message.find("trial.yaml:"),
            std::string::npos);

  // Only a coordinator commits.
  service::Caller auditor = coordinator_;
  auditor.user.role = UserRole::kAuditor;
  auto forbidden =
      service::CommitRollOut(*service_, *store_, auditor, Plan(kPlan));
  ASSERT_FALSE(forbidden.has_value());
  EXPECT_EQ(forbidden.error().code, ErrorCode::kPermissionDenied);

  EXPECT_TRUE(Sessions().empty());
}

TEST_F(RollOutCommitTest, AStartWhatIfMovesTheWholePlan) {
  const auto stated = Plan(kPlan);
  const auto moved = Plan(kPlan, {"start=2027-03-08"});
  ASSERT_EQ(moved.plan.phases.size(), 2U);
  EXPECT_EQ(moved.plan.phases[0].from, Date{std::chrono::year{2027} / 3 / 8});
  EXPECT_EQ(moved.plan.phases[1].to, Date{std::chrono::year{2028} / 1 / 7});
  ASSERT_TRUE(moved.stated_result.has_value());
  const auto first = [](const service::PlannedRollOut& p) {
    return p.instance.instance.slots[p.result.schedule.sessions.front().slot]
        .day;
  };
  EXPECT_EQ(first(moved) - first(stated), 7);
}

}  // namespace
}  // namespace trellis
