// The roll-out plan file and its capacity: the shipped Newcastle plan
// reproduces [000]'s table (784, 504, 504, 728, 728, 504; cumulative 784 ...
// 3752 against 4,000 users), its slips are named with their lines (phase 2
// dated 2020, a forward plan that ends before it starts), and the real
// calendar says which phase's stated weeks do not fit its dates.
#include "plan/capacity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace trellis::plan {
namespace {

using ::testing::HasSubstr;

Date Day(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

std::string ShippedPlan() {
  std::ifstream in(std::string(TRELLIS_SOURCE_DIR) +
                   "/plans/newcastle-contactpoint-2009.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Messages(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(FormatFinding(f));
  return out;
}

TEST(BankHolidaysTest, TheShippedCalendarIsReadWithItsYears) {
  const auto& holidays = BankHolidays::EnglandAndWales();
  ASSERT_NE(holidays.On(Day(2011, 4, 29)), nullptr);
  EXPECT_EQ(holidays.On(Day(2011, 4, 29))->name, "Royal wedding");
  EXPECT_EQ(holidays.On(Day(2026, 12, 28))->name,
            "Boxing Day (substitute day)");
  EXPECT_EQ(holidays.On(Day(2011, 4, 28)), nullptr);
  EXPECT_TRUE(holidays.Covers(std::chrono::year(2010)));
  EXPECT_FALSE(holidays.Covers(std::chrono::year(2020)));
  EXPECT_FALSE(BankHolidays::FromCsv("when,what\n2010-01-01,x\n"));
  EXPECT_FALSE(BankHolidays::FromCsv("date,name\n2010-13-01,x\n"));
}

TEST(CapacityTest, TheNewcastlePlanReproducesTheDocumentsTable) {
  const PlanLoad load = LoadPlanFromText(ShippedPlan(), "newcastle.yaml");
  ASSERT_TRUE(load.plan.has_value())
      << ::testing::PrintToString(Messages(load.findings));
  const CapacityReport report =
      WorkOutCapacity(*load.plan, BankHolidays::EnglandAndWales());
  EXPECT_EQ(report.sessions_per_week, 4);
  EXPECT_DOUBLE_EQ(report.people_per_week, 56);
  std::vector<int> trained;
  std::vector<int> cumulative;
  for (const auto& p : report.phases) {
    trained.push_back(p.trained);
    cumulative.push_back(p.cumulative);
  }
  EXPECT_EQ(trained, (std::vector<int>{784, 504, 504, 728, 728, 504}));
  EXPECT_EQ(cumulative, (std::vector<int>{784, 1288, 1792, 2520, 3248, 3752}));
  EXPECT_EQ(report.total, 3752);
  EXPECT_EQ(report.workforce, 4000);
  const std::string text = FormatCapacity(*load.plan, report);
  EXPECT_THAT(text, HasSubstr("trained by the end: 3752 of 4000 (248 short)"));
}

TEST(CapacityTest, TheDocumentsSlipsAreNamedWithTheirLines) {
  const PlanLoad load = LoadPlanFromText(ShippedPlan(), "newcastle.yaml");
  EXPECT_TRUE(load.HasErrors());
  const auto messages = Messages(load.findings);
  ASSERT_EQ(messages.size(), 2U) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0], HasSubstr("newcastle.yaml:"));
  EXPECT_THAT(messages[0], HasSubstr("phases[1].to: Phase 2 ends 2010-04-30 "
                                     "before it starts 2020-02-01"));
  EXPECT_THAT(messages[1],
              HasSubstr("forward_plan: ends 2010-03-31 before it starts "
                        "2011-10-01"));
}

TEST(CapacityTest, TheCalendarSaysWhichPhasesWeeksDoNotFit) {
  const PlanLoad load = LoadPlanFromText(ShippedPlan(), "newcastle.yaml");
  ASSERT_TRUE(load.plan.has_value());
  const CapacityReport report =
      WorkOutCapacity(*load.plan, BankHolidays::EnglandAndWales());
  ASSERT_EQ(report.phases.size(), 6U);
  // Phase 5, 1 February to 30 April 2011: 12 Mondays and 13 Fridays, less
  // Good Friday, Easter Monday and the royal wedding: 22 days, 11 weeks.
  const PhaseCapacity& five = report.phases[4];
  EXPECT_EQ(five.delivery_days, 22);
  EXPECT_DOUBLE_EQ(five.calendar_weeks, 11);
  EXPECT_FALSE(five.fits);
  ASSERT_EQ(five.holidays.size(), 3U);
  EXPECT_EQ(five.holidays[2].name, "Royal wedding");
  // Phase 1: 17 Mondays and 18 Fridays, less Christmas, Boxing Day
  // (substitute) and New Year's Day: 32 days, 16 weeks; 14 fit.
  EXPECT_EQ(report.phases[0].delivery_days, 32);
  EXPECT_TRUE(report.phases[0].fits);
  for (std::size_t i : {2U, 3U, 5U}) {
    EXPECT_TRUE(report.phases[i].fits) << report.phases[i].name;
  }
  const auto messages = Messages(report.findings);
  ASSERT_EQ(messages.size(), 1U) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0],
              HasSubstr("Phase 5: 13 delivery weeks are stated, but 1 "
                        "February 2011 to 30 April 2011 holds 22 delivery "
                        "days, 11 weeks (bank holidays: Good Friday 22 April "
                        "2011, Easter Monday 25 April 2011, Royal wedding 29 "
                        "April 2011)"));
}

// A what-if sets one value and the forecast follows; a bad setting is named
// and changes nothing.
TEST(CapacityTest, AWhatIfChangesTheForecast) {
  const PlanLoad load = LoadPlanFromText(ShippedPlan(), "newcastle.yaml");
  ASSERT_TRUE(load.plan.has_value());
  RollOutPlan plan = *load.plan;
  // 16 PCs instead of 12 [000]: 64 a week of delivery.
  EXPECT_EQ(SetInPlan(plan, "delivery.people_per_session=16"), std::nullopt);
  EXPECT_EQ(WorkOutCapacity(plan, BankHolidays::EnglandAndWales()).total, 4288);
  // A third delivery day.
  EXPECT_EQ(SetInPlan(plan, "delivery.days=monday,wednesday,friday"),
            std::nullopt);
  const CapacityReport three =
      WorkOutCapacity(plan, BankHolidays::EnglandAndWales());
  EXPECT_EQ(three.sessions_per_week, 6);
  EXPECT_EQ(three.total, 6432);
  // Phase 5 stated as the 11 weeks its dates hold: it fits the calendar.
  EXPECT_EQ(SetInPlan(plan, "phases[4].delivery_weeks=11"), std::nullopt);
  EXPECT_TRUE(
      WorkOutCapacity(plan, BankHolidays::EnglandAndWales()).phases[4].fits);
  const RollOutPlan kept = plan;
  for (const char* bad :
       {"delivery.people_per_session", "delivery.people_per_session=many",
        "delivery.non_attendance=0.95", "delivery.days=moonday",
        "phases[6].delivery_weeks=3", "phases[x].delivery_weeks=3",
        "venue.seat=16"}) {
    auto problem = SetInPlan(plan, bad);
    ASSERT_TRUE(problem.has_value()) << bad;
    EXPECT_THAT(*problem, HasSubstr("--set")) << bad;
  }
  EXPECT_EQ(plan.delivery.people_per_session, kept.delivery.people_per_session);
  EXPECT_EQ(plan.delivery.days, kept.delivery.days);
  EXPECT_THAT(*SetInPlan(plan, "delivery.people_per_sesion=16"),
              HasSubstr("did you mean 'delivery.people_per_session'?"));
}

TEST(CapacityTest, ABadPlanFileIsNamedAndNeverCrashes) {
  for (const char* text :
       {"", "plan: [", "- a\n- b\n", "plan: x\nworkforce: lots\n",
        "plan: x\nworkforce: 10\ndelivery: {days: [moonday], "
        "sessions_per_day: 2, people_per_session: 14}\nphases: []\n",
        "plan: x\nworkforce: 10\ndelivery: {days: [monday], "
        "sessions_per_day: 1, people_per_session: 10}\nphases:\n  - {from: "
        "2010-01-01, to: 2010-02-01, delivery_weeks: 2}\n  - {from: "
        "2010-01-15, to: 2010-03-01}\nphasez: 1\n"}) {
    const PlanLoad load = LoadPlanFromText(text, "bad.yaml");
    EXPECT_TRUE(load.HasErrors()) << text;
    for (const auto& f : load.findings) {
      EXPECT_EQ(f.pos.file, "bad.yaml");
      EXPECT_FALSE(f.message.empty());
    }
  }
  const PlanLoad typo = LoadPlanFromText(
      "plan: x\nworkforce: 10\ndelivery: {days: [monday], sessions_per_day: "
      "1, people_per_session: 10}\nphases:\n  - {from: 2010-01-01, to: "
      "2010-02-01}\n  - {from: 2010-01-15, to: 2010-03-01}\nphasez: 1\n",
      "typo.yaml");
  const auto messages = Messages(typo.findings);
  ASSERT_EQ(messages.size(), 2U) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0], HasSubstr("Phase 2 starts 2010-01-15, before "
                                     "Phase 1 ends 2010-02-01"));
  EXPECT_THAT(messages[1], HasSubstr("typo.yaml:7:1: error: 'phasez' is not "
                                     "a plan key; did you mean 'phases'?"));
  // A year slipped by centuries is named, and the calendar is not walked.
  const PlanLoad long_phase = LoadPlanFromText(
      "plan: x\nworkforce: 10\ndelivery: {days: [monday], sessions_per_day: "
      "1, people_per_session: 10}\nphases:\n  - {from: 2010-01-01, to: "
      "9010-02-01}\n",
      "long.yaml");
  ASSERT_TRUE(long_phase.plan.has_value());
  EXPECT_THAT(Messages(long_phase.findings),
              ::testing::ElementsAre(HasSubstr(
                  "phases[0].to: Phase 1 runs from 2010-01-01 to 9010-02-01: "
                  "more than ten years")));
  EXPECT_EQ(WorkOutCapacity(*long_phase.plan, BankHolidays::EnglandAndWales())
                .phases[0]
                .delivery_days,
            0);
}

}  // namespace
}  // namespace trellis::plan
