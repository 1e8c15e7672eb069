// Moving people between the sessions of a chosen calendar [MISSION E2]:
// a seat traded when that lets someone in sooner, every rule kept.
#include "plan/allocation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trellis::plan {
namespace {

using ::testing::IsEmpty;

DayNumber Day(int y, unsigned m, unsigned d) {
  return DayNumberOf(
      Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)});
}

constexpr int kInformationSharing = 0;
constexpr int kContactPoint = 1;

// Information Sharing, then ContactPoint at least a week later [000];
// Monday and Friday mornings for ten weeks at one venue of 12 seats; the
// first priority group's twelve need Information Sharing alone, the second
// group's twelve both courses, on one system.
Instance Area() {
  Instance in;
  in.courses.resize(2);
  in.courses[kInformationSharing].id = "IS01";
  in.courses[kContactPoint].id = "CP01";
  in.courses[kContactPoint].system_specific = true;
  in.courses[kContactPoint].after = kInformationSharing;
  in.courses[kContactPoint].min_gap_days = 7;
  in.audiences = {"practitioners"};
  in.systems = {"Care First"};
  in.organisations = {"Social Care", "Health"};
  in.venues = {"Springfield ICT suite"};
  for (int w = 0; w < 10; ++w) {
    for (int offset : {0, 4}) {
      in.slots.push_back({.day = Day(2010, 1, 4) + (7 * w) + offset,
                          .part = 0,
                          .venue = 0,
                          .seats = 12});
    }
  }
  in.period_start = Day(2010, 1, 4);
  in.max_organisation_share = 0.5;
  in.priority_groups = 2;
  for (int i = 0; i < 24; ++i) {
    const bool first_group = i < 12;
    in.learners.push_back(
        {.person = "P" + std::to_string(i),
         .organisation = i % 2,
         .audience = 0,
         .system = 0,
         .priority = first_group ? 0 : 1,
         .earliest = Day(2010, 1, 4),
         .courses = first_group ? std::vector<int>{kInformationSharing}
                                : std::vector<int>{kInformationSharing,
                                                   kContactPoint}});
  }
  return in;
}

// The calendar: Information Sharing on Monday 4 and Friday 8 January,
// ContactPoint on Monday 11th, a week after the first only. First group
// first: they fill Monday's Information Sharing, so the second group take
// it on Friday, too late for Monday's ContactPoint.
Schedule FirstGroupFirst(const Instance& in) {
  Schedule schedule;
  schedule.sessions = {{.slot = 0, .course = kInformationSharing},
                       {.slot = 1, .course = kInformationSharing},
                       {.slot = 2, .course = kContactPoint, .system = 0}};
  const RequestIndex requests = IndexRequests(in);
  schedule.placed.assign(requests.Count(), -1);
  for (int l = 0; l < 24; ++l) {
    schedule.placed[requests.first[l]] = l < 12 ? 0 : 1;
  }
  return schedule;
}

TEST(AllocationTest, ASeatIsTradedWhenThatLetsSomeoneFollowOnSooner) {
  const Instance in = Area();
  const RequestIndex requests = IndexRequests(in);
  Schedule schedule = FirstGroupFirst(in);
  ASSERT_THAT(CheckSchedule(in, schedule), IsEmpty());
  const Objective before = Evaluate(in, requests, schedule);
  EXPECT_EQ(before.unplaced, 12);

  ImproveAllocation(in, schedule, 1'000'000);

  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  const Objective after = Evaluate(in, requests, schedule);
  EXPECT_EQ(after.unplaced, 0);
  EXPECT_LT(after.value, before.value);
  // The second group on Monday 4th then ContactPoint on the 11th; the
  // first group on Friday the 8th, a half-day later than they were.
  for (int l = 12; l < 24; ++l) {
    const int first = requests.first[l];
    EXPECT_EQ(schedule.sessions[schedule.placed[first]].slot, 0);
    EXPECT_EQ(schedule.sessions[schedule.placed[first + 1]].slot, 2);
  }
  for (int l = 0; l < 12; ++l) {
    EXPECT_EQ(schedule.sessions[schedule.placed[requests.first[l]]].slot, 1);
  }
}

TEST(AllocationTest, NothingMovesWithoutBudgetAndEmptySessionsGo) {
  const Instance in = Area();
  const Schedule schedule = FirstGroupFirst(in);
  Schedule unchanged = schedule;
  ImproveAllocation(in, unchanged, 0);
  EXPECT_EQ(unchanged.placed, schedule.placed);
  EXPECT_EQ(unchanged.sessions.size(), 3U);

  // Nobody needs ContactPoint: its session is dropped, and nobody moves
  // later than they were.
  Instance alone = in;
  for (Learner& learner : alone.learners) {
    learner.courses = {kInformationSharing};
  }
  const RequestIndex one = IndexRequests(alone);
  Schedule plan = FirstGroupFirst(alone);
  const Objective before = Evaluate(alone, one, plan);
  ImproveAllocation(alone, plan, 1'000'000);
  EXPECT_THAT(CheckSchedule(alone, plan), IsEmpty());
  EXPECT_EQ(plan.sessions.size(), 2U);
  EXPECT_LE(Evaluate(alone, one, plan).value, before.value);
}

}  // namespace
}  // namespace trellis::plan
