// The demo area's training calendar on Newcastle's framework: written
// through the service's normal paths, so every session keeps the rules a
// coordinator's would (no seat over the room's, no trainer in two places)
// and every booking a person's (eligible on the day, never over the seats,
// a waiting list in order); and reproducible for a seed.
#include "service/demo_sessions.h"

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

Date Day(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y} / m / d};
}
const Date kToday = Day(2027, 1, 5);

struct Calendar {
  std::vector<CourseSession> sessions;
  std::vector<Booking> bookings;
  service::DemoSessionCounts counts;
};

class DemoSessionsTest : public ::testing::Test {
 protected:
  // A demo area of `people` with its calendar, in a fresh database.
  Calendar Make(int people, std::uint64_t seed, const std::string& name) {
    const Framework& framework = trellis::testing::Shipped("newcastle-2009");
    DemoOptions area_options;
    area_options.people = people;
    area_options.seed = seed;
    area_options.today = kToday;
    area_ = GenerateDemoArea(framework, area_options);
    std::filesystem::create_directory(dir_.path() / name);
    auto opened =
        OpenStore(Sqlite().fresh(dir_.path() / name), OpenMode::kCreate);
    EXPECT_TRUE(opened.has_value());
    store_ = std::move(*opened);
    EXPECT_TRUE(store_->Fill(area_, Actor{"demo"}));
    service::ServiceOptions service_options;
    service_options.now = [] {
      return std::chrono::sys_days(kToday) + std::chrono::hours(9);
    };
    service_ = std::make_shared<service::AreaService>(
        std::make_shared<const Framework>(framework), service_options);
    caller_.user.email = "demo";
    caller_.user.role = UserRole::kCoordinator;
    caller_.via = "test";
    service::DemoSessionOptions options;
    options.seed = seed;
    options.today = kToday;
    Calendar calendar;
    auto counts =
        service::AddDemoSessions(*service_, *store_, caller_, area_, options);
    EXPECT_TRUE(counts.has_value()) << counts.error().message;
    calendar.counts = *counts;
    SessionFilter all;
    all.window.limit = 10000;
    calendar.sessions = *store_->ListSessions(all);
    for (const auto& s : calendar.sessions) {
      auto bookings = store_->BookingsOfSession(s.id);
      calendar.bookings.insert(calendar.bookings.end(), bookings->begin(),
                               bookings->end());
    }
    return calendar;
  }

  TempDir dir_;
  Workforce area_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<service::AreaService> service_;
  service::Caller caller_;
};

TEST_F(DemoSessionsTest, KeepsEveryRuleOfSessionsAndBookings) {
  const Calendar calendar = Make(1200, 1, "a");
  EXPECT_EQ(calendar.counts.venues, 2);
  EXPECT_EQ(calendar.counts.rooms, 3);
  ASSERT_GT(calendar.counts.sessions, 10);
  ASSERT_EQ(static_cast<int>(calendar.sessions.size()),
            calendar.counts.sessions);
  ASSERT_EQ(static_cast<int>(calendar.bookings.size()),
            calendar.counts.bookings);

  std::map<std::string, const CourseSession*> by_id;
  int closed_sessions = 0;
  int left_open = 0;
  for (const auto& s : calendar.sessions) {
    by_id[s.id] = &s;
    // From the Monday three weeks before this week's (14 December 2026) to
    // eight weeks after it, on weekdays, none over Christmas and New Year.
    ASSERT_FALSE(s.parts.empty());
    const Date day = s.parts.front().starts.date;
    EXPECT_GE(day, Day(2026, 12, 14));
    EXPECT_LT(day, Day(2027, 3, 8));
    EXPECT_FALSE(day >= Day(2026, 12, 24) && day <= Day(2027, 1, 1)) << s.id;
    // Those run before the last day they ran (Monday 4 January) are closed,
    // with their registers; the last day's are left to their trainers.
    const bool closed = day < Day(2027, 1, 4);
    EXPECT_EQ(s.status, closed ? SessionStatus::kClosed : SessionStatus::kOpen)
        << s.id;
    EXPECT_EQ(s.register_closed_at.empty(), !closed) << s.id;
    if (closed) ++closed_sessions;
    if (day == Day(2027, 1, 4)) ++left_open;
    const std::chrono::weekday weekday{std::chrono::sys_days(day)};
    EXPECT_NE(weekday, std::chrono::Saturday);
    EXPECT_NE(weekday, std::chrono::Sunday);
    ASSERT_EQ(s.trainers.size(), 1U);
    // A course trained per system names one.
    const Course* course =
        trellis::testing::Shipped("newcastle-2009").FindCourse(s.course);
    ASSERT_NE(course, nullptr);
    const bool per_system =
        std::ranges::any_of(course->modules, [](const Ref& m) {
          const Module* module =
              trellis::testing::Shipped("newcastle-2009").FindModule(m.id);
          return module != nullptr && module->system_specific;
        });
    EXPECT_EQ(per_system, !s.case_management_system.empty()) << s.id;
  }
  EXPECT_GT(closed_sessions, 0);
  EXPECT_GT(left_open, 0);
  EXPECT_EQ(calendar.counts.registers_closed, closed_sessions);
  EXPECT_GT(calendar.counts.records, 0);
  // Seats: never more booked than offered; the waiting list only when full.
  std::map<std::string, int> booked;
  std::map<std::string, int> waiting;
  std::set<std::pair<std::string, std::string>> person_session;
  for (const auto& b : calendar.bookings) {
    if (b.status != BookingStatus::kWaiting &&
        b.status != BookingStatus::kRequested &&
        b.status != BookingStatus::kCancelled &&
        b.status != BookingStatus::kDeclined) {
      ++booked[b.session];
    }
    if (b.status == BookingStatus::kWaiting) ++waiting[b.session];
    EXPECT_TRUE(person_session.insert({b.person, b.session}).second)
        << b.person << " twice on " << b.session;
    const CourseSession& s = *by_id.at(b.session);
    if (s.status == SessionStatus::kClosed) {
      // The register turned every place into an outcome.
      EXPECT_TRUE(b.status == BookingStatus::kAttended ||
                  b.status == BookingStatus::kPartlyAttended ||
                  b.status == BookingStatus::kNoShow)
          << b.id << " " << BookingStatusName(b.status);
    }
    EXPECT_EQ(std::ranges::count(s.trainers, b.person), 0)
        << "a trainer booked on their own session";
    // Everyone booked was eligible: the service would have refused.
    auto candidate =
        service_->CandidateOf(*store_, **store_->FindPerson(b.person));
    ASSERT_TRUE(candidate.has_value());
    EXPECT_TRUE(service_->Ineligibility(*candidate, s, kToday).empty())
        << b.person << " on " << b.session;
  }
  int full = 0;
  for (const auto& [id, session] : by_id) {
    EXPECT_LE(booked[id], session->seats) << id;
    if (waiting[id] > 0) {
      ++full;
      EXPECT_EQ(booked[id] + session->reserved_seats >= session->seats, true)
          << id << " has a waiting list with places free";
    }
  }
  EXPECT_GT(full, 0) << "some sessions are over full, with a waiting list";
  // Some ask for approval, leaving requests with managers.
  EXPECT_TRUE(std::ranges::any_of(calendar.bookings, [](const Booking& b) {
    return b.status == BookingStatus::kRequested;
  }));
}

TEST_F(DemoSessionsTest, TheSameSeedGivesTheSameCalendar) {
  const Calendar first = Make(400, 7, "a");
  const Calendar second = Make(400, 7, "b");
  ASSERT_EQ(first.sessions.size(), second.sessions.size());
  for (std::size_t i = 0; i < first.sessions.size(); ++i) {
    EXPECT_EQ(first.sessions[i].course, second.sessions[i].course);
    EXPECT_EQ(first.sessions[i].parts.front().starts,
              second.sessions[i].parts.front().starts);
    EXPECT_EQ(first.sessions[i].trainers, second.sessions[i].trainers);
  }
  ASSERT_EQ(first.bookings.size(), second.bookings.size());
  for (std::size_t i = 0; i < first.bookings.size(); ++i) {
    EXPECT_EQ(first.bookings[i].person, second.bookings[i].person);
    EXPECT_EQ(first.bookings[i].status, second.bookings[i].status);
  }
}

TEST_F(DemoSessionsTest, AddedTwiceIsRefusedAndChangesNothing) {
  const Calendar calendar = Make(300, 1, "a");
  service::DemoSessionOptions options;
  options.today = kToday;
  auto again =
      service::AddDemoSessions(*service_, *store_, caller_, area_, options);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  SessionFilter all;
  all.window.limit = 10000;
  EXPECT_EQ(store_->ListSessions(all)->size(), calendar.sessions.size());
}

}  // namespace
}  // namespace trellis
