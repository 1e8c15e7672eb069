// A roll-out built from a plan file and the area's data [MISSION E2]: the
// needs engine says who needs which of the plan's courses, Information
// Sharing comes before ContactPoint because the framework says so, someone
// who has done Information Sharing needs ContactPoint alone, people on one
// system train together, bank holidays are not delivery days, and a course
// or trainer the plan cannot have is named.
#include "plan/roll_out.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/test_frameworks.h"

namespace trellis::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::trellis::testing::Shipped;

Date On(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

RollOutPlan Plan(const std::string& extra = "") {
  const std::string text = R"(plan: test
workforce: 3
delivery: {days: [monday, friday], sessions_per_day: 2, people_per_session: 12}
mix: {period_weeks: 2, sessions: {practitioners: 6, operational-managers: 1}}
phases:
  - {name: Phase 1, from: 2009-12-21, to: 2010-01-08, target: 3}
courses:
  - module: IS-PRACTICE
  - module: CP-USER
venues:
  - {name: Springfield ICT suite, seats: 12}
trainers:
  - {name: Trainer, count: 2, days_per_month: 2.5}
)" + extra;
  PlanLoad load = LoadPlanFromText(text, "test.yaml");
  EXPECT_FALSE(load.HasErrors());
  return *load.plan;
}

Person Practitioner(const std::string& id, const std::string& organisation) {
  Person person;
  person.id = id;
  person.name = id;
  person.organisation = organisation;
  person.role = "contactpoint-user";  // who ContactPoint asks of [000]
  person.audiences = {"practitioners"};
  return person;
}

Workforce Area() {
  Workforce area;
  Organisation social_care;
  social_care.id = "csc";
  social_care.name = "Children's Social Care";
  social_care.sector = "social-family-community-support";
  social_care.case_management_system = "Care First";
  Organisation health = social_care;
  health.id = "health";
  health.name = "Health";
  health.sector = "health";
  health.case_management_system = "Web browser";
  area.organisations = {social_care, health};
  area.people = {Practitioner("A", "csc"), Practitioner("B", "health"),
                 Practitioner("C", "csc")};
  TrainingRecord done;
  done.id = "R1";
  done.person = "C";
  done.module = "IS-PRACTICE";
  done.date = On(2009, 11, 2);
  area.records = {done};
  return area;
}

TEST(RollOutTest, TheAreaNeedsBecomeTheLearnersOfThePlan) {
  const auto built =
      BuildRollOut(Plan(), Shipped("newcastle-2009"), Area(),
                   BankHolidays::EnglandAndWales(), On(2009, 12, 1));
  ASSERT_TRUE(built.has_value()) << built.error();
  const Instance& in = built->instance;
  ASSERT_EQ(in.courses.size(), 2U);
  EXPECT_EQ(in.courses[1].id, "CP-USER");
  EXPECT_EQ(in.courses[1].after, 0);  // from CP-USER's pre-requisites
  EXPECT_TRUE(in.courses[1].system_specific);
  ASSERT_EQ(in.learners.size(), 3U);
  EXPECT_EQ(in.learners[0].courses, (std::vector<int>{0, 1}));
  EXPECT_EQ(in.learners[2].person, "C");
  EXPECT_EQ(in.learners[2].courses, (std::vector<int>{1}));
  EXPECT_EQ(in.systems,
            (std::vector<std::string>{"Care First", "Web browser"}));
  EXPECT_NE(in.learners[0].system, in.learners[1].system);
  EXPECT_EQ(in.trainers.size(), 2U);
  EXPECT_EQ(in.trainers[1].id, "Trainer 2");
  // Nobody has the checks ContactPoint asks for: they are planned, and
  // counted as what to mend before booking.
  EXPECT_FALSE(built->not_ready.empty());
  // 21 Dec to 8 Jan: Mondays and Fridays less Christmas Day, the Boxing Day
  // substitute (28 Dec) and New Year's Day, two sessions each.
  std::vector<std::string> days;
  for (const PlanSlot& slot : in.slots) {
    if (slot.part == 0)
      days.push_back(FormatIsoDate(DateOfDayNumber(slot.day)));
  }
  EXPECT_THAT(days, ElementsAre("2009-12-21", "2010-01-04", "2010-01-08"));
  EXPECT_EQ(in.slots.size(), 6U);

  const RollOutResult result = PlanRollOut(Plan(), *built);
  EXPECT_THAT(CheckSchedule(in, result.schedule), IsEmpty());
  EXPECT_EQ(result.objective.unplaced, 0);
  ASSERT_EQ(result.phases.size(), 1U);
  EXPECT_EQ(result.phases[0].trained, 5);
  EXPECT_EQ(result.phases[0].rag, "green");
  const std::string text = FormatRollOutText(Plan(), *built, result);
  EXPECT_THAT(text, HasSubstr("3 people need 5 places on 2 courses"));
  EXPECT_THAT(
      FormatRollOutCsv(*built, result),
      HasSubstr("2009-12-21,morning,Springfield ICT suite,IS-PRACTICE"));
}

TEST(RollOutTest, ACourseOrTrainerThePlanCannotHaveIsNamed) {
  RollOutPlan plan = Plan();
  plan.courses[1].module = "CP-USR";
  auto built = BuildRollOut(plan, Shipped("newcastle-2009"), Area(),
                            BankHolidays::EnglandAndWales(), On(2009, 12, 1));
  ASSERT_FALSE(built.has_value());
  EXPECT_THAT(built.error(), HasSubstr("test.yaml:"));
  EXPECT_THAT(built.error(),
              HasSubstr("courses: 'CP-USR' is not a module of newcastle-2009"));
  plan = Plan();
  plan.trainers[0].courses = {"CAF-WORKSHOP"};
  built = BuildRollOut(plan, Shipped("newcastle-2009"), Area(),
                       BankHolidays::EnglandAndWales(), On(2009, 12, 1));
  ASSERT_FALSE(built.has_value());
  EXPECT_THAT(built.error(), HasSubstr("trainers: Trainer deliver "
                                       "'CAF-WORKSHOP', which is not a course "
                                       "of the plan"));
  plan = Plan();
  plan.horizon = DateSpan{On(2009, 1, 1), On(2109, 1, 1), "", {}};
  EXPECT_THAT(BuildRollOut(plan, Shipped("newcastle-2009"), Area(),
                           BankHolidays::EnglandAndWales(), On(2009, 12, 1))
                  .error(),
              HasSubstr("more than 10 years to plan"));
  plan = Plan();
  plan.venues.clear();
  EXPECT_THAT(BuildRollOut(plan, Shipped("newcastle-2009"), Area(),
                           BankHolidays::EnglandAndWales(), On(2009, 12, 1))
                  .error(),
              HasSubstr("venues: the plan names no venues"));
}

TEST(RollOutTest, BadPlanKeysAreNamedWithTheirLines) {
  const PlanLoad load = LoadPlanFromText(R"(plan: test
workforce: 3
delivery: {days: [monday], sessions_per_day: 2, people_per_session: 12}
phases:
  - {name: Phase 1, from: 2009-12-21, to: 2010-01-08}
courses:
  - {module: CP-USER, min_gap_days: 14, max_gap_days: 7}
venues:
  - {name: Suite, seats: 0}
trainers:
  - {name: T, days_per_month: 2.5, unavailable: [2009-13-01]}
rules: {max_organisation_share: 2}
)",
                                         "bad.yaml");
  std::vector<std::string> messages;
  for (const Finding& f : load.findings) messages.push_back(FormatFinding(f));
  EXPECT_THAT(
      messages,
      ElementsAre(HasSubstr("bad.yaml:7:"), HasSubstr("bad.yaml:9:"),
                  HasSubstr("bad.yaml:11:"), HasSubstr("bad.yaml:12:")));
  EXPECT_THAT(messages[0], HasSubstr("max_gap_days: 7 is less than "
                                     "min_gap_days 14"));
  EXPECT_THAT(messages[1], HasSubstr("venues[0].seats: '0' must be a whole "
                                     "number from 1"));
  EXPECT_THAT(messages[2], HasSubstr("unavailable: '2009-13-01'"));
  EXPECT_THAT(messages[3], HasSubstr("rules.max_organisation_share: '2'"));
}

TEST(RollOutTest, WhatIfsSetVenuesTrainersAndRules) {
  RollOutPlan plan = Plan();
  EXPECT_EQ(SetInPlan(plan, "venue.seats=16"), std::nullopt);
  EXPECT_EQ(plan.venues[0].seats, 16);
  EXPECT_EQ(SetInPlan(plan, "trainers.days_per_month=3"), std::nullopt);
  EXPECT_EQ(plan.trainers[0].days_per_month, 3);
  EXPECT_EQ(SetInPlan(plan, "trainers[0].count=5"), std::nullopt);
  EXPECT_EQ(plan.trainers[0].count, 5);
  EXPECT_EQ(SetInPlan(plan, "rules.max_organisation_share=0.5"), std::nullopt);
  EXPECT_EQ(plan.max_organisation_share, 0.5);
  EXPECT_THAT(SetInPlan(plan, "venues[3].seats=16").value_or(""),
              HasSubstr("the plan has venues[0] to venues[0]"));
  EXPECT_THAT(SetInPlan(plan, "venue.seats=0").value_or(""),
              HasSubstr("must be a whole number of seats"));
}

}  // namespace
}  // namespace trellis::plan
