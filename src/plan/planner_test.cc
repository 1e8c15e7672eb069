// The roll-out planner keeps every rule [MISSION E2], and the schedule
// check catches each one broken: a session over its seats, two systems in
// one session, a trainer over their days, ContactPoint before Information
// Sharing, an organisation over its share, audiences mixed where a course
// keeps them apart, the session mix, a trainer's day off, a learner before
// they may attend, a workshop past its gap. The lower bound names what binds.
#include "plan/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plan/integer_program.h"
#include "plan/lower_bound.h"

namespace trellis::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

DayNumber Day(int y, unsigned m, unsigned d) {
  return DayNumberOf(
      Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)});
}

constexpr int kInformationSharing = 0;
constexpr int kContactPoint = 1;

// Information Sharing, then ContactPoint on the learner's own system at
// least a week later [000]; Monday and Friday mornings and afternoons at
// one venue of 12 seats for `weeks` weeks from Monday 4 January 2010.
Instance TwoCourses(int weeks) {
  Instance in;
  in.courses.resize(2);
  in.courses[kInformationSharing].id = "IS01";
  in.courses[kContactPoint].id = "CP01";
  in.courses[kContactPoint].system_specific = true;
  in.courses[kContactPoint].after = kInformationSharing;
  in.courses[kContactPoint].min_gap_days = 7;
  in.audiences = {"practitioners", "managers"};
  in.systems = {"Care First", "Web browser"};
  in.organisations = {"Children's Social Care", "Health", "Schools"};
  in.venues = {"Springfield ICT suite"};
  for (int w = 0; w < weeks; ++w) {
    for (int offset : {0, 4}) {
      for (int part : {0, 1}) {
        in.slots.push_back({.day = Day(2010, 1, 4) + (7 * w) + offset,
                            .part = part,
                            .venue = 0,
                            .seats = 12});
      }
    }
  }
  in.period_start = Day(2010, 1, 4);
  return in;
}

PlanTrainer Trainer(const std::string& id, std::vector<int> courses,
                    double days_per_month,
                    std::vector<DayNumber> unavailable = {}) {
  PlanTrainer trainer;
  trainer.id = id;
  trainer.courses = std::move(courses);
  trainer.days_per_month = days_per_month;
  trainer.unavailable = std::move(unavailable);
  return trainer;
}

PlannedSession Session(int slot, int course, int audience, int trainer) {
  PlannedSession session;
  session.slot = slot;
  session.course = course;
  session.audience = audience;
  session.trainer = trainer;
  return session;
}

Learner Person(const std::string& id, int organisation, int system,
               std::vector<int> courses, int audience = 0) {
  return {.person = id,
          .organisation = organisation,
          .audience = audience,
          .system = system,
          .priority = 0,
          .earliest = Day(2010, 1, 1),
          .courses = std::move(courses)};
}

void AddPeople(Instance& in, int count) {
  for (int i = 0; i < count; ++i) {
    in.learners.push_back(Person("P" + std::to_string(i), i % 3, i % 2,
                                 {kInformationSharing, kContactPoint}));
  }
}

int SessionOf(const Instance& in, const Schedule& schedule,
              const std::string& person, int position) {
  const RequestIndex requests = IndexRequests(in);
  for (std::size_t l = 0; l < in.learners.size(); ++l) {
    if (in.learners[l].person == person) {
      return schedule.placed[requests.first[l] + position];
    }
  }
  return -1;
}

TEST(PlannerTest, EveryoneIsPlacedWithinEveryRule) {
  Instance in = TwoCourses(8);
  in.trainers = {Trainer("T1", {0, 1}, 2.5), Trainer("T2", {0, 1}, 2.5)};
  in.max_organisation_share = 0.5;
  AddPeople(in, 40);
  const Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  const Objective objective = Evaluate(in, IndexRequests(in), schedule);
  EXPECT_EQ(objective.unplaced, 0);
  // Every person's ContactPoint is a week or more after Information Sharing.
  const int is = SessionOf(in, schedule, "P7", 0);
  const int cp = SessionOf(in, schedule, "P7", 1);
  ASSERT_GE(is, 0);
  ASSERT_GE(cp, 0);
  EXPECT_GE(in.slots[schedule.sessions[cp].slot].day -
                in.slots[schedule.sessions[is].slot].day,
            7);
}

TEST(PlannerTest, ASessionIsNeverOverItsSeats) {
  Instance in = TwoCourses(1);
  in.slots.resize(1);
  in.courses[kContactPoint].after = -1;
  for (int i = 0; i < 13; ++i) {
    in.learners.push_back(
        Person("P" + std::to_string(i), i % 3, 0, {kInformationSharing}));
  }
  Schedule schedule = Solve(in);
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 1);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  for (int& session : schedule.placed) session = 0;
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("has 13 people for 12 seats")));
}

TEST(PlannerTest, OneSystemASession) {
  Instance in = TwoCourses(1);
  in.slots.resize(1);
  in.courses[kContactPoint].after = -1;
  in.learners = {Person("A", 0, 0, {kContactPoint}),
                 Person("B", 1, 1, {kContactPoint})};
  Schedule schedule = Solve(in);
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 1);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  schedule.placed = {0, 0};
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("is on another system than CP01")));
}

TEST(PlannerTest, ATrainerIsNeverOverTheirDaysAMonth) {
  Instance in = TwoCourses(2);  // 8 slots in January
  in.trainers = {Trainer("T1", {0}, 1)};
  AddPeople(in, 48);
  for (Learner& learner : in.learners) learner.courses = {kInformationSharing};
  Schedule schedule = Solve(in);
  EXPECT_EQ(schedule.sessions.size(), 2U);  // two half days in a day
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 24);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  schedule.sessions.push_back(Session(5, 0, 0, 0));
  schedule.placed.back() = 2;
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("T1 trains over 1 days in the month")));
}

TEST(PlannerTest, ATrainerDeliversOnlyTheirCoursesAndNotOnDaysOff) {
  Instance in = TwoCourses(1);
  in.courses[kContactPoint].after = -1;
  in.trainers = {Trainer("T1", {kContactPoint}, 5, {Day(2010, 1, 4)})};
  in.learners = {Person("A", 0, 0, {kContactPoint}),
                 Person("B", 0, 0, {kInformationSharing})};
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  ASSERT_EQ(schedule.sessions.size(), 1U);  // no one delivers IS01
  EXPECT_EQ(in.slots[schedule.sessions[0].slot].day, Day(2010, 1, 8));
  schedule.sessions[0].slot = 0;
  schedule.sessions[0].course = kInformationSharing;
  schedule.placed = {-1, 0};
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("T1 does not deliver IS01"),
                          HasSubstr("T1 is not available for IS01")));
}

TEST(PlannerTest, ContactPointComesAfterInformationSharing) {
  Instance in = TwoCourses(3);
  in.learners = {Person("A", 0, 0, {kInformationSharing, kContactPoint})};
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  ASSERT_EQ(schedule.sessions.size(), 2U);
  EXPECT_EQ(in.slots[schedule.sessions[0].slot].day, Day(2010, 1, 4));
  EXPECT_EQ(in.slots[schedule.sessions[1].slot].day, Day(2010, 1, 11));
  std::swap(schedule.sessions[0].course, schedule.sessions[1].course);
  schedule.sessions[0].system = 0;
  schedule.placed = {1, 0};
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("A takes CP01 on 2010-01-04 morning at "
                                    "Springfield ICT suite, not after IS01")));
  schedule.placed = {-1, 0};
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("without a place on IS01")));
  schedule = Solve(in);
  schedule.sessions[1].slot = 2;  // Friday the same week: 4 days on
  EXPECT_THAT(
      CheckSchedule(in, schedule),
      ElementsAre(HasSubstr("4 days after IS01; it must be at least 7")));
}

TEST(PlannerTest, AWorkshopWithinItsGapOrNotAtAll) {
  Instance in = TwoCourses(4);
  in.courses[kContactPoint].system_specific = false;
  in.courses[kContactPoint].max_gap_days = 10;
  in.learners = {Person("A", 0, 0, {kInformationSharing, kContactPoint})};
  // The trainer is away the whole second week.
  in.trainers = {Trainer("T1", {0, 1}, 10)};
  for (int d = 7; d < 14; ++d) {
    in.trainers[0].unavailable.push_back(Day(2010, 1, 4) + d);
  }
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 0);
  // Information Sharing waits for the Friday so that ContactPoint can
  // follow within 10 days, on the Monday after the trainer's week away.
  const int is = schedule.placed[0];
  const int cp = schedule.placed[1];
  ASSERT_GE(is, 0);
  ASSERT_GE(cp, 0);
  EXPECT_EQ(in.slots[schedule.sessions[is].slot].day, Day(2010, 1, 8));
  const int gap = in.slots[schedule.sessions[cp].slot].day -
                  in.slots[schedule.sessions[is].slot].day;
  EXPECT_GE(gap, 7);
  EXPECT_LE(gap, 10);
  schedule.sessions[cp].slot = 15;  // Friday of week 4: 25 days on
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("it must be within 10")));
}

TEST(PlannerTest, AgenciesShareEachSession) {
  Instance in = TwoCourses(1);
  in.slots.resize(2);
  in.max_organisation_share = 0.5;  // 6 of 12 seats
  for (int i = 0; i < 12; ++i) {
    in.learners.push_back(Person("S" + std::to_string(i), i < 9 ? 0 : 1, 0,
                                 {kInformationSharing}));
  }
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  EXPECT_EQ(schedule.sessions.size(), 2U);  // 6 + 3 from one, 3 from another
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 0);
  schedule.placed.assign(12, 0);
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("has 9 people from Children's Social "
                                    "Care; at most 6 of its 12 seats")));
}

TEST(PlannerTest, AudiencesApartAndTheMix) {
  Instance in = TwoCourses(1);  // 4 slots in one fortnight's period
  in.courses[kInformationSharing].audiences_apart = true;
  in.mix = {3, 1};  // practitioners, managers
  for (int i = 0; i < 24; ++i) {
    in.learners.push_back(
        Person("M" + std::to_string(i), i % 3, 0, {kInformationSharing}, 1));
  }
  in.learners.push_back(Person("P", 0, 0, {kInformationSharing}, 0));
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  // One managers' session in the period, one practitioners' for P alone.
  EXPECT_EQ(schedule.sessions.size(), 2U);
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 12);
  schedule.sessions.push_back(Session(3, 0, 1, -1));
  schedule.placed[0] = 2;
  schedule.placed.back() = 2;
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("the mix allows 1 managers sessions a "
                                    "period"),
                          HasSubstr("P is not of the audience managers")));
}

TEST(PlannerTest, NobodyBeforeTheyMayAttend) {
  Instance in = TwoCourses(2);
  in.learners = {Person("A", 0, 0, {kInformationSharing})};
  in.learners[0].earliest = Day(2010, 1, 9);
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  EXPECT_EQ(in.slots[schedule.sessions[0].slot].day, Day(2010, 1, 11));
  schedule.sessions[0].slot = 0;
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("before they may attend, 2010-01-09")));
}

TEST(PlannerTest, OnlyTheSessionsOfferedRun) {
  Instance in = TwoCourses(1);  // Monday and Friday, morning and afternoon
  in.courses[kContactPoint].after = -1;
  CandidateSession friday;
  friday.slot = 2;  // Friday morning
  friday.course = kInformationSharing;
  in.candidates = {friday};
  in.learners = {Person("A", 0, 0, {kInformationSharing}),
                 Person("B", 0, 0, {kContactPoint})};
  Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  ASSERT_EQ(schedule.sessions.size(), 1U);
  EXPECT_EQ(schedule.sessions[0].slot, 2);
  EXPECT_EQ(Evaluate(in, IndexRequests(in), schedule).unplaced, 1);
  schedule.sessions[0].slot = 0;
  EXPECT_THAT(CheckSchedule(in, schedule),
              ElementsAre(HasSubstr("IS01 on 2010-01-04 morning at "
                                    "Springfield ICT suite is not one of the "
                                    "sessions offered")));
}

TEST(PlannerTest, TheBoundNamesWhatBinds) {
  Instance in = TwoCourses(26);
  in.trainers = {Trainer("T1", {0, 1}, 2)};
  AddPeople(in, 96);  // 8 IS sessions, 8 CP (4 a system): 16 sessions
  const Bound bound = LowerBound(in);
  ASSERT_FALSE(bound.limits.empty());
  EXPECT_EQ(bound.limits.front().name, "trainer-days");
  EXPECT_THAT(bound.limits.front().words,
              HasSubstr("16 sessions need 8 trainer-days; 1 trainers give 2 "
                        "a month (4 sessions)"));
  // Four sessions a month: the sixteenth in April.
  ASSERT_TRUE(bound.date.has_value());
  EXPECT_EQ(DateOfDayNumber(*bound.date).month(), std::chrono::April);
  const Schedule schedule = Solve(in);
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  const auto forecast = ForecastDay(in, schedule);
  ASSERT_TRUE(forecast.has_value());
  EXPECT_GE(*forecast, *bound.date);
  const auto gap = Gap(in, forecast, bound);
  ASSERT_TRUE(gap.has_value());
  EXPECT_LT(*gap, 0.1);
}

// [000]'s fortnight of 6 practitioner, 1 manager and 1 admin sessions,
// every slot in it: ContactPoint for managers and admin staff, one system a
// session, can run only twice a fortnight between them. If their people take
// Information Sharing last, their ContactPoint sessions bunch at the end,
// each waiting a fortnight for the mix; the planner feeds every follow-on
// group in step and runs a group's last session once no one else will
// join it, so the forecast stays near the bound.
TEST(PlannerTest, TheSmallAudiencesDoNotBunchAtTheEnd) {
  Instance in = TwoCourses(60);
  in.courses[kContactPoint].audiences_apart = true;
  in.audiences = {"practitioners", "managers", "admin"};
  in.mix = {6, 1, 1};
  in.period_weeks = 2;
  in.trainers = {Trainer("T1", {0, 1}, 10), Trainer("T2", {0, 1}, 10)};
  for (int i = 0; i < 1000; ++i) {
    const int audience = i % 8 < 6 ? 0 : i % 8 - 5;
    std::vector<int> courses = {kInformationSharing};
    if (i % 5 != 0) courses.push_back(kContactPoint);
    in.learners.push_back(
        Person("P" + std::to_string(i), i % 3, (i / 8) % 2, courses, audience));
  }
  // The greedy plan alone: improving it is not what keeps the tail short.
  const Schedule schedule = Solve(in, {.improvement_budget = 0});
  EXPECT_THAT(CheckSchedule(in, schedule), IsEmpty());
  const Bound bound = LowerBound(in);
  const auto gap = Gap(in, ForecastDay(in, schedule), bound);
  ASSERT_TRUE(gap.has_value());
  EXPECT_LE(*gap, 0.05) << "forecast "
                        << FormatIsoDate(DateOfDayNumber(
                               ForecastDay(in, schedule).value_or(0)))
                        << ", bound "
                        << FormatIsoDate(DateOfDayNumber(*bound.date));
}

// The exact reference: the instance as an integer program, solved by
// COIN-OR CBC (Debian's coinor-cbc, which ./test installs). Its optimum
// keeps every rule the schedule check knows, its objective is the planner's,
// and the planner is never better than it (here it is as good).
TEST(IntegerProgramTest, CbcsOptimumKeepsEveryRuleAndThePlannerMatchesIt) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/cbc"))
      << "COIN-OR CBC is missing: apt-get install coinor-cbc";
  Instance in = TwoCourses(3);
  in.trainers = {Trainer("T1", {0, 1}, 2), Trainer("T2", {0}, 1.5)};
  in.max_organisation_share = 0.5;
  in.mix = {5, 1};
  in.courses[kContactPoint].audiences_apart = true;
  AddPeople(in, 30);
  in.learners[3].audience = 1;
  in.learners[5].audience = 1;
  in.learners[9].earliest = Day(2010, 1, 12);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("trellis-ip-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string stem = (dir / "plan").string();
  std::ofstream(stem + ".lp") << WriteIntegerProgram(in);
  const std::string command = "/usr/bin/cbc " + stem +
                              ".lp -sec 120 -solve -solu " + stem + ".sol > " +
                              stem + ".log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "see " << stem << ".log";
  std::stringstream text;
  text << std::ifstream(stem + ".sol").rdbuf();
  const auto solved = ReadCbcSolution(in, text.str());
  ASSERT_TRUE(solved.has_value()) << solved.error();
  EXPECT_TRUE(solved->optimal);
  EXPECT_THAT(CheckSchedule(in, solved->schedule), IsEmpty());
  const RequestIndex requests = IndexRequests(in);
  const Objective theirs = Evaluate(in, requests, solved->schedule);
  EXPECT_EQ(theirs.value, static_cast<std::int64_t>(solved->objective + 0.5));
  const Objective mine = Evaluate(in, requests, Solve(in));
  EXPECT_GE(mine.value, theirs.value);
  EXPECT_EQ(mine.value, theirs.value);
  std::filesystem::remove_all(dir);
}

TEST(IntegerProgramTest, ASolutionFileThatIsNotOneIsNamed) {
  const Instance in = TwoCourses(1);
  EXPECT_THAT(ReadCbcSolution(in, "nonsense\n").error(),
              HasSubstr("line 1: no objective value"));
  EXPECT_THAT(ReadCbcSolution(in, "Optimal - objective value x\n").error(),
              HasSubstr("line 1: the objective value is not a number"));
  EXPECT_THAT(ReadCbcSolution(in, "Optimal - objective value 3\n0 x\n").error(),
              HasSubstr("line 2: not \"index name value\""));
  EXPECT_THAT(
      ReadCbcSolution(in, "Optimal - objective value 3\n0 zz_1 1 0\n").error(),
      HasSubstr("a variable Trellis did not write: zz_1"));
  EXPECT_THAT(ReadCbcSolution(in, "Optimal - objective value 3\n0 x0_1_0 1 0\n")
                  .error(),
              HasSubstr("a placement in a slot with no session"));
}

}  // namespace
}  // namespace trellis::plan
