#include "engine/needs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/test_frameworks.h"

namespace trellis {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// ------------------------------------------------------------------ helpers

Date Day(std::string_view iso) { return ParseIsoDate(iso).value(); }

std::optional<std::string> Iso(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return FormatIsoDate(*date);
}

// An organisation of a sector, with its standing on readiness checklists.
Organisation Employer(std::string sector,
                      std::vector<Readiness> readiness = {}) {
  Organisation organisation;
  organisation.id = "org-1";
  organisation.name = "Westgate Family Centre";
  organisation.sector = std::move(sector);
  organisation.readiness = std::move(readiness);
  return organisation;
}

// A readiness checklist with the given conditions, each (number, met).
Readiness Standing(std::string checklist,
                   std::vector<std::pair<int, bool>> conditions) {
  Readiness readiness;
  readiness.checklist = std::move(checklist);
  for (const auto& [number, met] : conditions) {
    ReadinessCondition condition;
    condition.number = number;
    condition.met = met;
    if (met) condition.evidence = "seen by the training coordinator";
    readiness.conditions.push_back(std::move(condition));
  }
  return readiness;
}

// One member of the workforce and everything the engine is told about them,
// built up a fact at a time so that each table row reads as a sentence.
struct Subject {
  Person person;
  std::optional<Organisation> organisation;
  std::vector<TrainingRecord> records;

  Subject() {
    person.id = "p-1";
    person.name = "Sam Carter";
  }

  Subject As(std::string role, std::vector<std::string> audiences) const {
    Subject s = *this;
    s.person.role = std::move(role);
    s.person.audiences = std::move(audiences);
    return s;
  }
  Subject At(Organisation employer) const {
    Subject s = *this;
    s.person.organisation = employer.id;
    s.organisation = std::move(employer);
    return s;
  }
  Subject Took(std::string module, std::string_view date,
               TrainingOutcome outcome = TrainingOutcome::kCompleted) const {
    Subject s = *this;
    TrainingRecord record;
    record.id = "r-" + std::to_string(s.records.size() + 1);
    record.person = s.person.id;
    record.module = std::move(module);
    record.module_version = "1";
    record.date = Day(date);
    record.outcome = outcome;
    s.records.push_back(std::move(record));
    return s;
  }
  // A correction: a new record that supersedes the latest one.
  Subject Corrected(TrainingOutcome outcome, std::string reason) const {
    Subject s = *this;
    TrainingRecord record = s.records.back();
    record.supersedes = record.id;
    record.id = "r-" + std::to_string(s.records.size() + 1);
    record.outcome = outcome;
    record.recorded_by = "coordinator";
    record.reason = std::move(reason);
    s.records.push_back(std::move(record));
    return s;
  }
  Subject Checked(std::string check, std::string_view date) const {
    Subject s = *this;
    s.person.checks.push_back(CheckRecord{
        .check = std::move(check), .date = Day(date), .detail = ""});
    return s;
  }
  Subject Experienced(std::string area, std::string level,
                      std::string attested_by) const {
    Subject s = *this;
    s.person.experience.push_back(
        Experience{.area = std::move(area),
                   .level = std::move(level),
                   .years = std::nullopt,
                   .attested_by = std::move(attested_by)});
    return s;
  }

  // What a caller hands the engine: only the records still in force.
  PersonContext Context() const {
    PersonContext context;
    context.person = &person;
    context.organisation = organisation ? &*organisation : nullptr;
    context.records = CurrentRecords(records);
    return context;
  }
};

// Loads an inline framework, failing the test on any loader error.
const Framework& Load(const LoadResult& loaded) {
  for (const auto& finding : loaded.findings) {
    EXPECT_NE(finding.severity, Severity::kError) << FormatFinding(finding);
  }
  EXPECT_TRUE(loaded.framework.has_value());
  static const Framework kEmpty;
  return loaded.framework ? *loaded.framework : kEmpty;
}

const Need* FindNeed(const std::vector<Need>& needs, std::string_view ref) {
  for (const auto& need : needs) {
    if (need.module != nullptr && need.module->ref == ref) return &need;
  }
  return nullptr;
}

std::vector<std::string> Refs(const std::vector<Need>& needs) {
  std::vector<std::string> refs;
  for (const auto& need : needs) refs.push_back(need.module->ref);
  return refs;
}

// Where `ref` stands among the needs; needs.size() when absent.
size_t Position(const std::vector<Need>& needs, std::string_view ref) {
  size_t i = 0;
  while (i < needs.size() && needs[i].module->ref != ref) ++i;
  return i;
}

std::vector<std::string> Refs(const std::vector<const Module*>& modules) {
  std::vector<std::string> refs;
  for (const auto* module : modules) refs.push_back(module->ref);
  return refs;
}

// Names, so that a failing expectation reads "due-soon", not a byte dump.
std::string Named(NeedStatus status) { return NeedStatusName(status); }
std::string Named(RequirementLevel level) {
  return level == RequirementLevel::kRequired ? "required" : "recommended";
}
std::string Named(ReasonKind kind) { return ReasonKindName(kind); }

std::vector<std::string> Named(const std::vector<ReasonKind>& kinds) {
  std::vector<std::string> names;
  for (ReasonKind kind : kinds) names.push_back(Named(kind));
  return names;
}

std::vector<std::string> Kinds(const Eligibility& eligibility) {
  std::vector<std::string> kinds;
  for (const auto& reason : eligibility.reasons) {
    kinds.push_back(Named(reason.kind));
  }
  return kinds;
}

const Reason* FindReason(const Eligibility& eligibility, ReasonKind kind) {
  for (const auto& reason : eligibility.reasons) {
    if (reason.kind == kind) return &reason;
  }
  return nullptr;
}

NeedsOptions On(std::string_view iso) {
  NeedsOptions options;
  options.on = Day(iso);
  return options;
}

// A test name from a row's description: "done, in date" -> "done__in_date".
std::string TestName(std::string_view description) {
  std::string name;
  for (char c : description) {
    name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  }
  return name;
}

// The gtest name of a table row.
template <typename Row>
std::string RowName(const ::testing::TestParamInfo<Row>& row) {
  return TestName(row.param.description);
}

// ------------------------------------------------------------ 1. NeedStatus

constexpr const char* kStatusFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences: [{id: practitioners, name: Practitioners}]
processes: [{id: p, name: P}]
modules:
  - {ref: BASIC, name: Basic, process: p, duration: unknown}
  - {ref: VALID, name: Valid three years, process: p, duration: unknown, validity: 3 years}
  - {ref: REFRESHED, name: Refreshed by its rule, process: p, duration: unknown, validity: 1 year}
  - {ref: CAF-1DAY, name: CAF one day, process: p, duration: 1 day}
  - {ref: CAF-ONLINE, name: CAF online, process: p, duration: unknown}
  - {ref: CAF-WORKSHOP, name: CAF workshop, process: p, duration: half a day,
     sequencing: {after: CAF-ONLINE, within: 2 weeks}}
  - {ref: SG-COURSE, name: Safeguarding, process: p, duration: unknown}
  - {ref: SG-REFRESHER, name: Safeguarding refresher, process: p, duration: unknown}
requirements:
  - {id: basic, who: everyone, level: required, take: BASIC}
  - {id: valid, who: everyone, level: required, take: VALID}
  - {id: refreshed, who: everyone, level: required, take: REFRESHED, refresh: 3 years}
  - id: caf
    who: everyone
    level: required
    take: {any_of: [CAF-1DAY, [CAF-ONLINE, CAF-WORKSHOP]]}
  - id: safeguarding
    who: everyone
    level: required
    take: {any_of: [SG-COURSE, SG-REFRESHER]}
    refresh: 3 years
)";

const Framework& StatusFramework() {
  static const LoadResult loaded = testing::Inline(kStatusFramework);
  return Load(loaded);
}

struct StatusRow {
  std::string description;
  Subject subject;
  std::string on;
  std::optional<Period> due_soon;  // the default window when absent
  std::string module;
  NeedStatus status;
  std::optional<std::string> completed;
  std::optional<std::string> expires;
};
void PrintTo(const StatusRow& row, std::ostream* os) { *os << row.description; }

class ComputeNeedsStatusTest : public ::testing::TestWithParam<StatusRow> {};

TEST_P(ComputeNeedsStatusTest, StatusOfOneModule) {
  const StatusRow& row = GetParam();
  const Framework& framework = StatusFramework();
  NeedsOptions options = On(row.on);
  if (row.due_soon) options.due_soon = *row.due_soon;
  const Subject& subject = row.subject;
  std::vector<Need> needs = ComputeNeeds(framework, subject.Context(), options);

  const Need* need = FindNeed(needs, row.module);
  ASSERT_NE(need, nullptr) << row.module << " is not among the needs";
  EXPECT_EQ(Named(need->status), Named(row.status));
  EXPECT_EQ(Iso(need->completed), row.completed);
  EXPECT_EQ(Iso(need->expires), row.expires);
  EXPECT_EQ(Named(need->level), Named(RequirementLevel::kRequired));
}

const Period kSixMonths{.count = 6, .unit = PeriodUnit::kMonths};
const Period kTwoWeeks{.count = 2, .unit = PeriodUnit::kWeeks};

INSTANTIATE_TEST_SUITE_P(
    Statuses, ComputeNeedsStatusTest,
    ::testing::Values(
        // Done.
        StatusRow{"done without validity never expires",
                  Subject().Took("BASIC", "2010-03-01"), "2026-01-10",
                  std::nullopt, "BASIC", NeedStatus::kDone, "2010-03-01",
                  std::nullopt},
        StatusRow{
            "passed counts as done",
            Subject().Took("BASIC", "2024-05-01", TrainingOutcome::kPassed),
            "2026-01-10", std::nullopt, "BASIC", NeedStatus::kDone,
            "2024-05-01", std::nullopt},
        StatusRow{"done with validity far from expiry",
                  Subject().Took("VALID", "2023-01-01"), "2025-06-01",
                  std::nullopt, "VALID", NeedStatus::kDone, "2023-01-01",
                  "2026-01-01"},
        // Due soon: expires 2026-01-01; the default window opens 2025-10-01.
        StatusRow{"due soon inside the default three month window",
                  Subject().Took("VALID", "2023-01-01"), "2025-11-01",
                  std::nullopt, "VALID", NeedStatus::kDueSoon, "2023-01-01",
                  "2026-01-01"},
        StatusRow{"due soon on the day before expiry",
                  Subject().Took("VALID", "2023-01-01"), "2025-12-31",
                  std::nullopt, "VALID", NeedStatus::kDueSoon, "2023-01-01",
                  "2026-01-01"},
        StatusRow{"done four months before expiry with the default window",
                  Subject().Took("VALID", "2023-01-01"), "2025-09-01",
                  std::nullopt, "VALID", NeedStatus::kDone, "2023-01-01",
                  "2026-01-01"},
        StatusRow{"due soon four months before expiry with a six month window",
                  Subject().Took("VALID", "2023-01-01"), "2025-09-01",
                  kSixMonths, "VALID", NeedStatus::kDueSoon, "2023-01-01",
                  "2026-01-01"},
        StatusRow{"done two months before expiry with a two week window",
                  Subject().Took("VALID", "2023-01-01"), "2025-11-01",
                  kTwoWeeks, "VALID", NeedStatus::kDone, "2023-01-01",
                  "2026-01-01"},
        // Expired: on or after completed + validity.
        StatusRow{"expired exactly on the expiry date",
                  Subject().Took("VALID", "2023-01-01"), "2026-01-01",
                  std::nullopt, "VALID", NeedStatus::kExpired, "2023-01-01",
                  "2026-01-01"},
        StatusRow{"expired long after the expiry date",
                  Subject().Took("VALID", "2015-06-30"), "2026-01-10",
                  std::nullopt, "VALID", NeedStatus::kExpired, "2015-06-30",
                  "2018-06-30"},
        // Outstanding.
        StatusRow{"outstanding without a record", Subject(), "2026-01-10",
                  std::nullopt, "BASIC", NeedStatus::kOutstanding, std::nullopt,
                  std::nullopt},
        StatusRow{
            "a failed outcome leaves it outstanding",
            Subject().Took("BASIC", "2025-05-01", TrainingOutcome::kFailed),
            "2026-01-10", std::nullopt, "BASIC", NeedStatus::kOutstanding,
            std::nullopt, std::nullopt},
        StatusRow{"partly attended leaves it outstanding",
                  Subject().Took("BASIC", "2025-05-01",
                                 TrainingOutcome::kPartlyAttended),
                  "2026-01-10", std::nullopt, "BASIC", NeedStatus::kOutstanding,
                  std::nullopt, std::nullopt},
        StatusRow{"a completion corrected to failed is outstanding",
                  Subject()
                      .Took("BASIC", "2025-05-01")
                      .Corrected(TrainingOutcome::kFailed,
                                 "left after the first hour"),
                  "2026-01-10", std::nullopt, "BASIC", NeedStatus::kOutstanding,
                  std::nullopt, std::nullopt},
        StatusRow{"a record of another module does not count",
                  Subject().Took("VALID", "2025-05-01"), "2026-01-10",
                  std::nullopt, "BASIC", NeedStatus::kOutstanding, std::nullopt,
                  std::nullopt},
        // The latest record that counts wins, wherever it is listed.
        StatusRow{
            "the latest record wins when listed first",
            Subject().Took("VALID", "2023-01-01").Took("VALID", "2019-01-01"),
            "2025-06-01", std::nullopt, "VALID", NeedStatus::kDone,
            "2023-01-01", "2026-01-01"},
        StatusRow{
            "the latest record wins when listed last",
            Subject().Took("VALID", "2019-01-01").Took("VALID", "2023-01-01"),
            "2025-06-01", std::nullopt, "VALID", NeedStatus::kDone,
            "2023-01-01", "2026-01-01"},
        StatusRow{"a later failed attempt does not replace a pass",
                  Subject()
                      .Took("VALID", "2023-01-01", TrainingOutcome::kPassed)
                      .Took("VALID", "2024-06-01", TrainingOutcome::kFailed),
                  "2025-06-01", std::nullopt, "VALID", NeedStatus::kDone,
                  "2023-01-01", "2026-01-01"},
        // The requirement's refresh (3 years) overrides the module's validity
        // (1 year).
        StatusRow{"refresh overrides validity: in date",
                  Subject().Took("REFRESHED", "2024-01-01"), "2025-06-01",
                  std::nullopt, "REFRESHED", NeedStatus::kDone, "2024-01-01",
                  "2027-01-01"},
        StatusRow{"refresh overrides validity: expired",
                  Subject().Took("REFRESHED", "2022-01-01"), "2025-06-01",
                  std::nullopt, "REFRESHED", NeedStatus::kExpired, "2022-01-01",
                  "2025-01-01"},
        // Alternatives: CAF-1DAY, or CAF-ONLINE and CAF-WORKSHOP.
        StatusRow{"one day course done",
                  Subject().Took("CAF-1DAY", "2025-03-01"), "2026-01-10",
                  std::nullopt, "CAF-1DAY", NeedStatus::kDone, "2025-03-01",
                  std::nullopt},
        StatusRow{"one day course done makes the online module not applicable",
                  Subject().Took("CAF-1DAY", "2025-03-01"), "2026-01-10",
                  std::nullopt, "CAF-ONLINE", NeedStatus::kNotApplicable,
                  std::nullopt, std::nullopt},
        StatusRow{"one day course done makes the workshop not applicable",
                  Subject().Took("CAF-1DAY", "2025-03-01"), "2026-01-10",
                  std::nullopt, "CAF-WORKSHOP", NeedStatus::kNotApplicable,
                  std::nullopt, std::nullopt},
        StatusRow{"online route done makes the one day course not applicable",
                  Subject()
                      .Took("CAF-ONLINE", "2025-03-01")
                      .Took("CAF-WORKSHOP", "2025-03-10"),
                  "2026-01-10", std::nullopt, "CAF-1DAY",
                  NeedStatus::kNotApplicable, std::nullopt, std::nullopt},
        StatusRow{"online route done: the workshop is done",
                  Subject()
                      .Took("CAF-ONLINE", "2025-03-01")
                      .Took("CAF-WORKSHOP", "2025-03-10"),
                  "2026-01-10", std::nullopt, "CAF-WORKSHOP", NeedStatus::kDone,
                  "2025-03-10", std::nullopt},
        // Half the online route: that route is the one to finish.
        StatusRow{"half the online route: the online module is done",
                  Subject().Took("CAF-ONLINE", "2025-03-01"), "2026-01-10",
                  std::nullopt, "CAF-ONLINE", NeedStatus::kDone, "2025-03-01",
                  std::nullopt},
        StatusRow{"half the online route leaves the workshop outstanding",
                  Subject().Took("CAF-ONLINE", "2025-03-01"), "2026-01-10",
                  std::nullopt, "CAF-WORKSHOP", NeedStatus::kOutstanding,
                  std::nullopt, std::nullopt},
        // An alternative due soon still meets the requirement; an expired one
        // does not. Safeguarding is refreshed every 3 years.
        StatusRow{"safeguarding due soon",
                  Subject().Took("SG-COURSE", "2023-03-01"), "2026-01-10",
                  std::nullopt, "SG-COURSE", NeedStatus::kDueSoon, "2023-03-01",
                  "2026-03-01"},
        StatusRow{"safeguarding due soon makes the refresher not applicable",
                  Subject().Took("SG-COURSE", "2023-03-01"), "2026-01-10",
                  std::nullopt, "SG-REFRESHER", NeedStatus::kNotApplicable,
                  std::nullopt, std::nullopt},
        StatusRow{"safeguarding expired",
                  Subject().Took("SG-COURSE", "2020-01-01"), "2026-01-10",
                  std::nullopt, "SG-COURSE", NeedStatus::kExpired, "2020-01-01",
                  "2023-01-01"},
        StatusRow{"a refresher in date makes the expired course not applicable",
                  Subject()
                      .Took("SG-COURSE", "2020-01-01")
                      .Took("SG-REFRESHER", "2024-01-01"),
                  "2026-01-10", std::nullopt, "SG-COURSE",
                  NeedStatus::kNotApplicable, "2020-01-01", "2023-01-01"},
        StatusRow{"a refresher in date is done",
                  Subject()
                      .Took("SG-COURSE", "2020-01-01")
                      .Took("SG-REFRESHER", "2024-01-01"),
                  "2026-01-10", std::nullopt, "SG-REFRESHER", NeedStatus::kDone,
                  "2024-01-01", "2027-01-01"}),
    RowName<StatusRow>);

// Every other way to meet the need, in one line, whatever the separators.
std::string AllAlternatives(const Need& need) {
  std::string all;
  for (const auto& alternative : need.alternatives) all += alternative + "; ";
  return all;
}

TEST(ComputeNeedsTest, EachNeedNamesTheOtherAlternatives) {
  // Nothing done: the preferred route, naming the other one.
  std::vector<Need> needs =
      ComputeNeeds(StatusFramework(), Subject().Context(), On("2026-01-10"));
  const Need* one_day = FindNeed(needs, "CAF-1DAY");
  const Need* basic = FindNeed(needs, "BASIC");
  ASSERT_NE(one_day, nullptr);
  ASSERT_NE(basic, nullptr);
  EXPECT_EQ(Named(one_day->status), Named(NeedStatus::kOutstanding));
  EXPECT_EQ(one_day->requirement, "caf");
  EXPECT_THAT(AllAlternatives(*one_day),
              AllOf(HasSubstr("CAF-ONLINE"), HasSubstr("CAF-WORKSHOP"),
                    Not(HasSubstr("CAF-1DAY"))));
  EXPECT_THAT(basic->alternatives, IsEmpty());

  // Half the online route done: the workshop is what is left, and the one day
  // course is the other way; the workshop's own route is not "another".
  const Subject halfway = Subject().Took("CAF-ONLINE", "2025-03-01");
  needs = ComputeNeeds(StatusFramework(), halfway.Context(), On("2026-01-10"));
  const Need* workshop = FindNeed(needs, "CAF-WORKSHOP");
  ASSERT_NE(workshop, nullptr);
  EXPECT_EQ(Named(workshop->status), Named(NeedStatus::kOutstanding));
  EXPECT_THAT(AllAlternatives(*workshop),
              AllOf(HasSubstr("CAF-1DAY"), Not(HasSubstr("CAF-ONLINE"))));

  // Safeguarding expired: the refresher is the other way to bring it in date.
  const Subject lapsed = Subject().Took("SG-COURSE", "2020-01-01");
  needs = ComputeNeeds(StatusFramework(), lapsed.Context(), On("2026-01-10"));
  const Need* safeguarding = FindNeed(needs, "SG-COURSE");
  ASSERT_NE(safeguarding, nullptr);
  EXPECT_THAT(AllAlternatives(*safeguarding), HasSubstr("SG-REFRESHER"));
}

TEST(ComputeNeedsTest, StatusNames) {
  EXPECT_STREQ(NeedStatusName(NeedStatus::kDone), "done");
  EXPECT_STREQ(NeedStatusName(NeedStatus::kDueSoon), "due-soon");
  EXPECT_STREQ(NeedStatusName(NeedStatus::kExpired), "expired");
  EXPECT_STREQ(NeedStatusName(NeedStatus::kOutstanding), "outstanding");
  EXPECT_STREQ(NeedStatusName(NeedStatus::kNotApplicable), "not-applicable");
}

// ------------------------------------------------------------- 2. Applies()

constexpr const char* kWhoFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences:
  - {id: practitioners, name: Practitioners}
  - {id: admin-staff, name: Admin staff}
  - {id: managers, name: Managers}
sectors:
  - {id: health, name: Health}
  - {id: education, name: Education}
roles:
  - {id: caf-lp, name: CAF assessor, audiences: [practitioners]}
  - {id: cp-user, name: ContactPoint user}
processes: [{id: p, name: P}]
modules:
  - {ref: M, name: M, process: p, duration: unknown}
requirements:
  - {id: all, who: everyone, take: M}
  - {id: practitioners, who: {audiences: [practitioners]}, take: M}
  - {id: admin-or-managers, who: {audiences: [admin-staff, managers]}, take: M}
  - {id: cp-users, who: {roles: [cp-user]}, take: M}
  - {id: health, who: {sectors: [health]}, take: M}
  - {id: cp-practitioners, who: {roles: [cp-user], audiences: [practitioners]}, take: M}
  - {id: health-managers, who: {sectors: [health], audiences: [managers]}, take: M}
)";

const Framework& WhoFramework() {
  static const LoadResult loaded = testing::Inline(kWhoFramework);
  return Load(loaded);
}

struct AppliesRow {
  std::string description;
  std::string requirement;
  Subject subject;
  bool applies;
};
void PrintTo(const AppliesRow& row, std::ostream* os) {
  *os << row.description;
}

class AppliesTest : public ::testing::TestWithParam<AppliesRow> {};

TEST_P(AppliesTest, WhoMatchesThePerson) {
  const AppliesRow& row = GetParam();
  const Framework& framework = WhoFramework();
  const auto it = std::find_if(
      framework.requirements.begin(), framework.requirements.end(),
      [&](const Requirement& r) { return r.id == row.requirement; });
  ASSERT_NE(it, framework.requirements.end()) << row.requirement;
  const Subject& subject = row.subject;
  EXPECT_EQ(Applies(framework, it->who, subject.Context()), row.applies);
}

INSTANTIATE_TEST_SUITE_P(
    Who, AppliesTest,
    ::testing::Values(
        AppliesRow{"everyone includes a person with no role or audience", "all",
                   Subject(), true},
        AppliesRow{"own audience matches", "practitioners",
                   Subject().As("", {"practitioners"}), true},
        AppliesRow{"another audience does not match", "practitioners",
                   Subject().As("", {"admin-staff"}), false},
        AppliesRow{"the role brings its audiences", "practitioners",
                   Subject().As("caf-lp", {}), true},
        AppliesRow{"a role without audiences brings none", "practitioners",
                   Subject().As("cp-user", {}), false},
        AppliesRow{"any one of the audiences matches", "admin-or-managers",
                   Subject().As("", {"practitioners", "managers"}), true},
        AppliesRow{"the role matches", "cp-users", Subject().As("cp-user", {}),
                   true},
        AppliesRow{"another role does not match", "cp-users",
                   Subject().As("caf-lp", {"practitioners"}), false},
        AppliesRow{"the organisation's sector matches", "health",
                   Subject().At(Employer("health")), true},
        AppliesRow{"another sector does not match", "health",
                   Subject().At(Employer("education")), false},
        AppliesRow{"no organisation matches no sector", "health", Subject(),
                   false},
        AppliesRow{"role and audience both match", "cp-practitioners",
                   Subject().As("cp-user", {"practitioners"}), true},
        AppliesRow{"the right audience with the wrong role", "cp-practitioners",
                   Subject().As("caf-lp", {"practitioners"}), false},
        AppliesRow{"role matches but audience does not", "cp-practitioners",
                   Subject().As("cp-user", {"admin-staff"}), false},
        AppliesRow{"audience matches but role does not", "cp-practitioners",
                   Subject().As("", {"practitioners"}), false},
        AppliesRow{"sector and audience both match", "health-managers",
                   Subject().As("", {"managers"}).At(Employer("health")), true},
        AppliesRow{"sector matches but audience does not", "health-managers",
                   Subject().As("", {"practitioners"}).At(Employer("health")),
                   false},
        AppliesRow{"audience matches but there is no organisation",
                   "health-managers", Subject().As("", {"managers"}), false}),
    RowName<AppliesRow>);

// ----------------------------------------- 3. ComputeNeeds order and strength

constexpr const char* kOrderFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences:
  - {id: practitioners, name: Practitioners}
  - {id: admin-staff, name: Admin staff}
processes: [{id: p, name: P}]
modules:
  - {ref: A, name: A, process: p, duration: unknown}
  - {ref: B, name: B, process: p, duration: unknown, sequencing: {after: A}}
  - {ref: C, name: C, process: p, duration: unknown}
  - {ref: D, name: D, process: p, duration: unknown}
  - {ref: E, name: E, process: p, duration: unknown}
  - {ref: X, name: X, process: p, duration: unknown}
  - {ref: Y, name: Y, process: p, duration: unknown}
  - {ref: Z, name: Z, process: p, duration: unknown}
  - {ref: W, name: W, process: p, duration: unknown}
requirements:
  - {id: b-recommended, who: everyone, level: recommended, take: B}
  - {id: c-recommended, who: everyone, level: recommended, take: C}
  - {id: e-required, who: everyone, level: required, take: E}
  - {id: ab-required, who: everyone, level: required, take: [B, A]}
  - {id: e-recommended, who: everyone, level: recommended, take: E}
  - {id: admins-d, who: {audiences: [admin-staff]}, level: required, take: D}
  - {id: xy-either, who: everyone, level: recommended, take: {any_of: [X, Y]}}
  - {id: y-required, who: everyone, level: required, take: Y}
  - {id: zw-required, who: everyone, level: required, take: {any_of: [Z, W]}}
  - {id: w-recommended, who: everyone, level: recommended, take: W}
)";

const Framework& OrderFramework() {
  static const LoadResult loaded = testing::Inline(kOrderFramework);
  return Load(loaded);
}

TEST(ComputeNeedsTest, EachModuleOnceAndOnlyFromRequirementsThatApply) {
  const Subject practitioner = Subject().As("", {"practitioners"});
  std::vector<Need> needs =
      ComputeNeeds(OrderFramework(), practitioner.Context(), On("2026-01-10"));
  // D is asked only of admin staff.
  EXPECT_THAT(Refs(needs),
              UnorderedElementsAre("A", "B", "C", "E", "X", "Y", "Z", "W"));

  const Subject admin = Subject().As("", {"admin-staff"});
  needs = ComputeNeeds(OrderFramework(), admin.Context(), On("2026-01-10"));
  EXPECT_THAT(Refs(needs), UnorderedElementsAre("A", "B", "C", "D", "E", "X",
                                                "Y", "Z", "W"));
}

TEST(ComputeNeedsTest, TheStrongestRequirementWins) {
  const Subject practitioner = Subject().As("", {"practitioners"});
  std::vector<Need> needs =
      ComputeNeeds(OrderFramework(), practitioner.Context(), On("2026-01-10"));
  struct Row {
    const char* module;
    RequirementLevel level;
    const char* requirement;
  };
  for (const Row& row : {
           // Asked by a recommended requirement first, then a required one.
           Row{"B", RequirementLevel::kRequired, "ab-required"},
           // Asked by a required requirement first, then a recommended one.
           Row{"E", RequirementLevel::kRequired, "e-required"},
           Row{"A", RequirementLevel::kRequired, "ab-required"},
           Row{"C", RequirementLevel::kRecommended, "c-recommended"},
       }) {
    SCOPED_TRACE(row.module);
    const Need* need = FindNeed(needs, row.module);
    ASSERT_NE(need, nullptr);
    EXPECT_EQ(Named(need->level), Named(row.level));
    EXPECT_EQ(need->requirement, row.requirement);
    EXPECT_EQ(Named(need->status), Named(NeedStatus::kOutstanding));
  }
}

TEST(ComputeNeedsTest, NotApplicableForOneRequirementIsStillRequiredByAnother) {
  // X done meets xy-either, so Y is not needed for it; y-required still asks
  // for Y.
  const Subject subject =
      Subject().As("", {"practitioners"}).Took("X", "2025-01-01");
  std::vector<Need> needs =
      ComputeNeeds(OrderFramework(), subject.Context(), On("2026-01-10"));
  const Need* y = FindNeed(needs, "Y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(Named(y->status), Named(NeedStatus::kOutstanding));
  EXPECT_EQ(Named(y->level), Named(RequirementLevel::kRequired));
  EXPECT_EQ(y->requirement, "y-required");
  const Need* x = FindNeed(needs, "X");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(Named(x->status), Named(NeedStatus::kDone));
  EXPECT_EQ(Named(x->level), Named(RequirementLevel::kRecommended));
}

TEST(ComputeNeedsTest, AMetRequirementDoesNotLendItsStrength) {
  // Z done meets zw-required, so zw-required does not ask for W; only
  // w-recommended still does.
  // A requirement met another way lends no strength: W is outstanding under the
  // recommended rule alone, not under the required rule that Z has met.
  const Subject subject =
      Subject().As("", {"practitioners"}).Took("Z", "2025-01-01");
  std::vector<Need> needs =
      ComputeNeeds(OrderFramework(), subject.Context(), On("2026-01-10"));
  const Need* w = FindNeed(needs, "W");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(Named(w->status), Named(NeedStatus::kOutstanding));
  EXPECT_EQ(Named(w->level), Named(RequirementLevel::kRecommended));
  EXPECT_EQ(w->requirement, "w-recommended");
}

TEST(ComputeNeedsTest, NeedsComeInRouteOrder) {
  const Subject practitioner = Subject().As("", {"practitioners"});
  std::vector<Need> needs =
      ComputeNeeds(OrderFramework(), practitioner.Context(), On("2026-01-10"));
  ASSERT_LT(Position(needs, "A"), needs.size());
  ASSERT_LT(Position(needs, "B"), needs.size());
  // B is asked before A by every requirement, but is sequenced after it.
  EXPECT_LT(Position(needs, "A"), Position(needs, "B"))
      << ::testing::PrintToString(Refs(needs));
}

TEST(ComputeNeedsTest, TheOtherAlternativeAlsoComesInRouteOrder) {
  auto loaded = testing::Inline(R"(
framework: {id: t, title: T, version: "1"}
audiences: [{id: practitioners, name: Practitioners}]
processes: [{id: p, name: P}]
modules:
  - {ref: P, name: P, process: p, duration: unknown}
  - {ref: Q1, name: Q1, process: p, duration: unknown}
  - {ref: Q2, name: Q2, process: p, duration: unknown, sequencing: {after: Q1}}
requirements:
  - {id: p-or-q, who: everyone, level: required, take: {any_of: [P, [Q2, Q1]]}}
)");
  const Framework& framework = Load(loaded);
  // Q1 done: the second alternative is the one to finish.
  const Subject subject = Subject().Took("Q1", "2025-01-01");
  std::vector<Need> needs =
      ComputeNeeds(framework, subject.Context(), On("2026-01-10"));
  ASSERT_LT(Position(needs, "Q1"), needs.size());
  ASSERT_LT(Position(needs, "Q2"), needs.size());
  // Needs follow the route of the alternative the person is on: Q2 comes after
  // Q1 even though the requirement's first alternative is P.
  EXPECT_LT(Position(needs, "Q1"), Position(needs, "Q2"))
      << ::testing::PrintToString(Refs(needs));
}

// ------------------------------------------------------ 4. CheckEligibility

constexpr const char* kEligibilityFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences:
  - {id: practitioners, name: Practitioners}
  - {id: admin-staff, name: Admin staff}
processes:
  - {id: p, name: P}
  - {id: information-sharing, name: Information sharing}
modules:
  - {ref: IW01, name: IW01, process: p, duration: unknown}
  - {ref: IW02, name: IW02, process: p, duration: unknown}
  - {ref: IS01, name: IS01, process: information-sharing, duration: unknown}
  - {ref: IS02, name: IS02, process: information-sharing, duration: unknown}
  - {ref: IS03, name: IS03, process: information-sharing, duration: unknown}
  - {ref: CAF01, name: CAF01, process: p, duration: unknown}
  - {ref: LP01, name: LP01, process: p, duration: unknown}
  - ref: IW03
    name: IW03
    process: p
    duration: unknown
    prerequisites: {any_of: [IW02, [IS01, CAF01, LP01]]}
  - ref: IW03-LOCAL
    name: IW03 as a local variant
    process: p
    duration: unknown
    prerequisites: {any_of: [[IW01, IW02], [IS01, CAF01, LP01]]}
  - ref: IS05
    name: IS05
    process: information-sharing
    duration: unknown
    prerequisites:
      any_of:
        - experience: {area: information-sharing, level: very experienced, attested_by: manager}
        - [IS01, IS02, IS03]
  - {ref: ID-ONLY, name: Identity only, process: p, duration: unknown,
     prerequisites: {check: identity}}
  - {ref: DBS-3Y, name: DBS in the last 3 years, process: p, duration: unknown,
     prerequisites: {check: enhanced-dbs, in_last: 3 years}}
  - {ref: CRB-VALID, name: CRB in date, process: p, duration: unknown,
     prerequisites: {check: crb}}
  - {ref: LSCB, name: LSCB course, process: p, duration: unknown,
     prerequisites: {check: application-form}}
  - {ref: READY-ONLY, name: Readiness only, process: p, duration: unknown,
     prerequisites: {organisation_ready: cp-accreditation}}
  - ref: CP
    name: ContactPoint style
    process: p
    duration: unknown
    prerequisites:
      - organisation_ready: cp-accreditation
      - check: identity
      - IS01
  - {ref: CAF-ONLINE, name: CAF online, process: p, duration: unknown}
  - {ref: CAF-WORKSHOP, name: CAF workshop, process: p, duration: unknown,
     sequencing: {after: CAF-ONLINE, within: 2 weeks}}
  - {ref: SG, name: Safeguarding, process: p, duration: unknown}
  - {ref: AFTER-SG, name: Needs recent safeguarding, process: p, duration: unknown,
     prerequisites: {completed: SG, in_last: 3 years}}
  - {ref: REFLECT, name: Reflective session, process: p, duration: unknown,
     sequencing: {after: CAF-ONLINE, at_least: 1 week}}
  - {ref: ADMIN-ONLY, name: Admin only, process: p, duration: unknown,
     prerequisites: {target_group: {audiences: [admin-staff]}}}
checks:
  - {id: identity, name: Identity check}
  - {id: enhanced-dbs, name: Enhanced DBS check}
  - {id: crb, name: CRB check, valid_for: 3 years}
  - {id: application-form, name: Application form}
readiness:
  - id: cp-accreditation
    name: Accreditation
    programme: p
    condition_count: 3
    conditions: [Signed protocol, Named manager, Secure network]
)";

const Framework& EligibilityFramework() {
  static const LoadResult loaded = testing::Inline(kEligibilityFramework);
  return Load(loaded);
}

const Module& ModuleOf(const Framework& framework, std::string_view ref) {
  const Module* module = framework.FindModule(ref);
  EXPECT_NE(module, nullptr) << ref;
  static const Module kNone;
  return module != nullptr ? *module : kNone;
}

const Organisation kAllReady =
    Employer("health",
             {Standing("cp-accreditation", {{1, true}, {2, true}, {3, true}})});
// Condition 1 met, 2 not met, 3 not on record.
const Organisation kPartlyReady =
    Employer("health", {Standing("cp-accreditation", {{1, true}, {2, false}})});

struct EligibilityRow {
  std::string description;
  std::string module;
  Subject subject;
  std::string on;
  std::vector<ReasonKind> reasons;  // empty: eligible
};
void PrintTo(const EligibilityRow& row, std::ostream* os) {
  *os << row.description;
}

class CheckEligibilityTest : public ::testing::TestWithParam<EligibilityRow> {};

TEST_P(CheckEligibilityTest, ReasonKinds) {
  const EligibilityRow& row = GetParam();
  const Framework& framework = EligibilityFramework();
  const Subject& subject = row.subject;
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, row.module), On(row.on));
  EXPECT_EQ(eligibility.eligible, row.reasons.empty());
  EXPECT_THAT(Kinds(eligibility),
              UnorderedElementsAreArray(Named(row.reasons)));
  for (const auto& reason : eligibility.reasons) {
    EXPECT_THAT(reason.text, Not(IsEmpty())) << ReasonKindName(reason.kind);
  }
}

using RK = ReasonKind;

INSTANTIATE_TEST_SUITE_P(
    Reasons, CheckEligibilityTest,
    ::testing::Values(
        // Training, with alternatives.
        EligibilityRow{"nothing done",
                       "IW03",
                       Subject(),
                       "2026-01-10",
                       {RK::kTrainingMissing}},
        EligibilityRow{"only IS01 of the second alternative",
                       "IW03",
                       Subject().Took("IS01", "2025-01-01"),
                       "2026-01-10",
                       {RK::kTrainingMissing}},
        EligibilityRow{"the first alternative",
                       "IW03",
                       Subject().Took("IW02", "2025-01-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"the second alternative",
                       "IW03",
                       Subject()
                           .Took("IS01", "2025-01-01")
                           .Took("CAF01", "2025-02-01")
                           .Took("LP01", "2025-03-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{
            "a failed prerequisite does not count",
            "IW03",
            Subject().Took("IW02", "2025-01-01", TrainingOutcome::kFailed),
            "2026-01-10",
            {RK::kTrainingMissing}},
        EligibilityRow{"training older than in_last",
                       "AFTER-SG",
                       Subject().Took("SG", "2020-01-01"),
                       "2026-01-10",
                       {RK::kTrainingMissing}},
        EligibilityRow{"training inside in_last",
                       "AFTER-SG",
                       Subject().Took("SG", "2024-01-01"),
                       "2026-01-10",
                       {}},
        // Recognised prior learning.
        EligibilityRow{"attested experience",
                       "IS05",
                       Subject().Experienced("information-sharing",
                                             "very experienced", "mgr-7"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"unattested experience",
                       "IS05",
                       Subject().Experienced("information-sharing",
                                             "very experienced", ""),
                       "2026-01-10",
                       {RK::kExperienceNotAttested}},
        EligibilityRow{
            "attested experience in another area",
            "IS05",
            Subject().Experienced("safeguarding", "very experienced", "mgr-7"),
            "2026-01-10",
            {RK::kExperienceNotAttested}},
        EligibilityRow{"no experience but IS01 to IS03",
                       "IS05",
                       Subject()
                           .Took("IS01", "2025-01-01")
                           .Took("IS02", "2025-02-01")
                           .Took("IS03", "2025-03-01"),
                       "2026-01-10",
                       {}},
        // Checks.
        EligibilityRow{"identity not checked",
                       "ID-ONLY",
                       Subject(),
                       "2026-01-10",
                       {RK::kCheckMissing}},
        EligibilityRow{"identity checked",
                       "ID-ONLY",
                       Subject().Checked("identity", "2025-11-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"another check is not identity",
                       "ID-ONLY",
                       Subject().Checked("enhanced-dbs", "2025-11-01"),
                       "2026-01-10",
                       {RK::kCheckMissing}},
        EligibilityRow{"DBS older than in_last",
                       "DBS-3Y",
                       Subject().Checked("enhanced-dbs", "2015-06-01"),
                       "2026-01-10",
                       {RK::kCheckOutOfDate}},
        EligibilityRow{"DBS inside in_last",
                       "DBS-3Y",
                       Subject().Checked("enhanced-dbs", "2024-06-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"no DBS at all",
                       "DBS-3Y",
                       Subject(),
                       "2026-01-10",
                       {RK::kCheckMissing}},
        EligibilityRow{"CRB older than the check's valid_for",
                       "CRB-VALID",
                       Subject().Checked("crb", "2015-06-01"),
                       "2026-01-10",
                       {RK::kCheckOutOfDate}},
        EligibilityRow{"CRB inside the check's valid_for",
                       "CRB-VALID",
                       Subject().Checked("crb", "2024-06-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"application form missing",
                       "LSCB",
                       Subject(),
                       "2026-01-10",
                       {RK::kApplicationFormIncomplete}},
        EligibilityRow{"application form on record",
                       "LSCB",
                       Subject().Checked("application-form", "2025-12-01"),
                       "2026-01-10",
                       {}},
        // Organisation readiness.
        EligibilityRow{"organisation partly ready",
                       "READY-ONLY",
                       Subject().At(kPartlyReady),
                       "2026-01-10",
                       {RK::kOrganisationNotReady}},
        EligibilityRow{"organisation ready",
                       "READY-ONLY",
                       Subject().At(kAllReady),
                       "2026-01-10",
                       {}},
        EligibilityRow{"no organisation",
                       "READY-ONLY",
                       Subject(),
                       "2026-01-10",
                       {RK::kOrganisationNotReady}},
        EligibilityRow{"organisation without that checklist",
                       "READY-ONLY",
                       Subject().At(Employer("health")),
                       "2026-01-10",
                       {RK::kOrganisationNotReady}},
        // Time windows: CAF-ONLINE completed 2026-01-01.
        EligibilityRow{"workshop nine days after the online module",
                       "CAF-WORKSHOP",
                       Subject().Took("CAF-ONLINE", "2026-01-01"),
                       "2026-01-10",
                       {}},
        EligibilityRow{"workshop exactly two weeks after the online module",
                       "CAF-WORKSHOP",
                       Subject().Took("CAF-ONLINE", "2026-01-01"),
                       "2026-01-15",
                       {}},
        EligibilityRow{"workshop nineteen days after the online module",
                       "CAF-WORKSHOP",
                       Subject().Took("CAF-ONLINE", "2026-01-01"),
                       "2026-01-20",
                       {RK::kOutsideTimeWindow}},
        EligibilityRow{"workshop without the online module",
                       "CAF-WORKSHOP",
                       Subject(),
                       "2026-01-10",
                       {RK::kTrainingMissing}},
        EligibilityRow{"reflection four days after the online module",
                       "REFLECT",
                       Subject().Took("CAF-ONLINE", "2026-01-01"),
                       "2026-01-05",
                       {RK::kOutsideTimeWindow}},
        EligibilityRow{"reflection a week after the online module",
                       "REFLECT",
                       Subject().Took("CAF-ONLINE", "2026-01-01"),
                       "2026-01-08",
                       {}},
        // Target group.
        EligibilityRow{"a practitioner is not in the admin target group",
                       "ADMIN-ONLY",
                       Subject().As("", {"practitioners"}),
                       "2026-01-10",
                       {RK::kNotInTargetGroup}},
        EligibilityRow{"admin staff are in the admin target group",
                       "ADMIN-ONLY",
                       Subject().As("", {"admin-staff"}),
                       "2026-01-10",
                       {}},
        // Several reasons at once.
        EligibilityRow{"identity readiness and training all missing",
                       "CP",
                       Subject().At(kPartlyReady),
                       "2026-01-10",
                       {RK::kOrganisationNotReady, RK::kCheckMissing,
                        RK::kTrainingMissing}},
        EligibilityRow{"identity readiness and training all there",
                       "CP",
                       Subject()
                           .At(kAllReady)
                           .Checked("identity", "2025-11-01")
                           .Took("IS01", "2025-06-01"),
                       "2026-01-10",
                       {}}),
    RowName<EligibilityRow>);

TEST(CheckEligibilityDetailTest, MissingModuleComesFromTheNearestAlternative) {
  const Framework& framework = EligibilityFramework();
  // IW02 is one module short; IS01, CAF01 and LP01 are two short. The nearest
  // alternative (fewest unmet conditions) is IW02; the other way is named.
  const Subject subject = Subject().Took("IS01", "2025-01-01");
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "IW03"), On("2026-01-10"));
  EXPECT_FALSE(eligibility.eligible);
  ASSERT_THAT(eligibility.reasons, SizeIs(1));
  const Reason& reason = eligibility.reasons[0];
  EXPECT_EQ(Named(reason.kind), "training-missing");
  EXPECT_EQ(reason.missing, "IW02");
  EXPECT_THAT(reason.text, HasSubstr("IW02"));
  EXPECT_THAT(reason.alternatives, Contains(HasSubstr("LP01")));
  EXPECT_THAT(reason.alternatives, Contains(HasSubstr("CAF01")));
}

TEST(CheckEligibilityDetailTest, MissingModuleNamesTheFirstAlternativeInstead) {
  const Framework& framework = EligibilityFramework();
  // [IW01, IW02] is two short; [IS01, CAF01, LP01] only LP01 short.
  const Subject subject =
      Subject().Took("IS01", "2025-01-01").Took("CAF01", "2025-02-01");
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "IW03-LOCAL"), On("2026-01-10"));
  EXPECT_FALSE(eligibility.eligible);
  ASSERT_THAT(eligibility.reasons, SizeIs(1));
  const Reason& reason = eligibility.reasons[0];
  EXPECT_EQ(Named(reason.kind), "training-missing");
  EXPECT_EQ(reason.missing, "LP01");
  EXPECT_THAT(reason.alternatives, Contains(HasSubstr("IW02")));
}

TEST(CheckEligibilityDetailTest, UnattestedExperienceIsNearerThanThreeModules) {
  const Framework& framework = EligibilityFramework();
  const Subject subject =
      Subject().Experienced("information-sharing", "very experienced", "");
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "IS05"), On("2026-01-10"));
  EXPECT_FALSE(eligibility.eligible);
  // Only the reasons of the nearest alternative: not IS01, IS02 and IS03.
  EXPECT_THAT(Kinds(eligibility), ElementsAre("experience-not-attested"));
}

TEST(CheckEligibilityDetailTest, UnmetReadinessConditionsAreListed) {
  const Framework& framework = EligibilityFramework();
  const Subject subject = Subject().At(kPartlyReady);
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "READY-ONLY"), On("2026-01-10"));
  const Reason* reason =
      FindReason(eligibility, ReasonKind::kOrganisationNotReady);
  ASSERT_NE(reason, nullptr);
  // Condition 2 is recorded as not met; condition 3 is not recorded at all.
  EXPECT_THAT(reason->unmet_conditions,
              ElementsAre(AllOf(HasSubstr("2"), HasSubstr("Named manager")),
                          AllOf(HasSubstr("3"), HasSubstr("Secure network"))));
}

TEST(CheckEligibilityDetailTest, SeveralReasonsNameWhatIsMissing) {
  const Framework& framework = EligibilityFramework();
  const Subject subject = Subject().At(kPartlyReady);
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(), ModuleOf(framework, "CP"),
                       On("2026-01-10"));
  EXPECT_FALSE(eligibility.eligible);
  const Reason* training =
      FindReason(eligibility, ReasonKind::kTrainingMissing);
  const Reason* check = FindReason(eligibility, ReasonKind::kCheckMissing);
  const Reason* ready =
      FindReason(eligibility, ReasonKind::kOrganisationNotReady);
  ASSERT_NE(training, nullptr);
  ASSERT_NE(check, nullptr);
  ASSERT_NE(ready, nullptr);
  EXPECT_EQ(training->missing, "IS01");
  EXPECT_THAT(check->text, HasSubstr("dentity"));
  EXPECT_THAT(ready->unmet_conditions, SizeIs(2));
}

TEST(CheckEligibilityDetailTest, ReasonKindNames) {
  EXPECT_STREQ(ReasonKindName(ReasonKind::kTrainingMissing),
               "training-missing");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kCheckMissing), "check-missing");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kCheckOutOfDate),
               "check-out-of-date");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kOrganisationNotReady),
               "organisation-not-ready");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kApplicationFormIncomplete),
               "application-form-incomplete");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kOutsideTimeWindow),
               "outside-time-window");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kNotInTargetGroup),
               "not-in-target-group");
  EXPECT_STREQ(ReasonKindName(ReasonKind::kExperienceNotAttested),
               "experience-not-attested");
}

// ----------------------------------------------------------- 5. BookableNext

constexpr const char* kBookableFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences:
  - {id: practitioners, name: Practitioners}
  - {id: admin-staff, name: Admin staff}
processes: [{id: p, name: P}]
modules:
  - {ref: A, name: A, process: p, duration: unknown}
  - {ref: B, name: B, process: p, duration: unknown, sequencing: {after: A}}
  - {ref: C, name: C, process: p, duration: unknown, prerequisites: {check: identity}}
  - {ref: D, name: D, process: p, duration: unknown, validity: 1 year}
  - {ref: E, name: E, process: p, duration: unknown, validity: 1 year}
  - {ref: F, name: F, process: p, duration: unknown, sequencing: {after: B}}
  - {ref: G, name: G, process: p, duration: unknown}
checks: [{id: identity, name: Identity check}]
requirements:
  - {id: route, who: everyone, level: required, take: [A, B, C, D, E, F]}
  - {id: admins, who: {audiences: [admin-staff]}, level: recommended, take: G}
)";

const Framework& BookableFramework() {
  static const LoadResult loaded = testing::Inline(kBookableFramework);
  return Load(loaded);
}

struct BookableRow {
  std::string description;
  Subject subject;
  std::vector<std::string> bookable;  // in route order
};
void PrintTo(const BookableRow& row, std::ostream* os) {
  *os << row.description;
}

class BookableNextTest : public ::testing::TestWithParam<BookableRow> {};

TEST_P(BookableNextTest, InRouteOrder) {
  const BookableRow& row = GetParam();
  const Subject& subject = row.subject;
  // Judged on 2026-01-10: D (done 2024-01-01) expired on 2025-01-01; E (done
  // 2025-02-01) falls due on 2026-02-01.
  EXPECT_THAT(Refs(BookableNext(BookableFramework(), subject.Context(),
                                On("2026-01-10"))),
              ElementsAreArray(row.bookable));
}

const Subject kPractitioner = Subject().As("", {"practitioners"});

INSTANTIATE_TEST_SUITE_P(
    Next, BookableNextTest,
    ::testing::Values(
        BookableRow{"nothing done, no checks", kPractitioner, {"A", "D", "E"}},
        BookableRow{"A done, D expired, E due soon",
                    kPractitioner.Took("A", "2025-01-01")
                        .Took("D", "2024-01-01")
                        .Took("E", "2025-02-01"),
                    {"B", "D", "E"}},
        BookableRow{"identity checked opens C",
                    kPractitioner.Took("A", "2025-01-01")
                        .Took("D", "2024-01-01")
                        .Took("E", "2025-02-01")
                        .Checked("identity", "2025-12-01"),
                    {"B", "C", "D", "E"}},
        BookableRow{"B done opens F",
                    kPractitioner.Took("A", "2025-01-01")
                        .Took("B", "2025-02-01")
                        .Took("D", "2025-06-01")
                        .Took("E", "2025-06-01"),
                    {"F"}},
        BookableRow{"everything done and in date",
                    kPractitioner.Took("A", "2025-01-01")
                        .Took("B", "2025-02-01")
                        .Took("C", "2025-03-01")
                        .Took("D", "2025-06-01")
                        .Took("E", "2025-06-01")
                        .Took("F", "2025-07-01"),
                    {}},
        BookableRow{"admin staff may also book G",
                    Subject().As("", {"admin-staff"}),
                    {"A", "D", "E", "G"}}),
    RowName<BookableRow>);

// ------------------------------------------- 6. The shipped newcastle-2009

// A ContactPoint user who is admin staff, at an accredited organisation, with
// every check ContactPoint training asks for.
Subject NewcastleContactPointUser(int conditions_met = 28) {
  std::vector<std::pair<int, bool>> conditions;
  for (int number = 1; number <= 28; ++number) {
    conditions.emplace_back(number, number <= conditions_met);
  }
  return Subject()
      .As("contactpoint-user", {"admin-staff"})
      .At(Employer("social-family-community-support",
                   {Standing("contactpoint-accreditation", conditions)}))
      .Checked("identity", "2009-11-02")
      .Checked("enhanced-crb", "2009-06-15")
      .Checked("it-competence", "2009-11-02");
}

TEST(NewcastleNeedsTest, ContactPointUserWithInformationSharingIsEligible) {
  const Framework& framework = testing::Shipped("newcastle-2009");
  const Subject subject =
      NewcastleContactPointUser().Took("IS-CONFIDENTIAL", "2009-12-01");
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "CP-USER"), On("2010-02-15"));
  EXPECT_TRUE(eligibility.eligible);
  EXPECT_THAT(eligibility.reasons, IsEmpty());
}

TEST(NewcastleNeedsTest, ContactPointUserWithoutInformationSharingIsNot) {
  const Framework& framework = testing::Shipped("newcastle-2009");
  const Subject subject = NewcastleContactPointUser();
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "CP-USER"), On("2010-02-15"));
  EXPECT_FALSE(eligibility.eligible);
  ASSERT_THAT(Kinds(eligibility), ElementsAre("training-missing"));
  const Reason& reason = eligibility.reasons[0];
  // The three IS modules are equally near; whichever is named, the other two
  // are the alternatives.
  const std::vector<std::string> is_modules = {"IS-PRACTICE", "IS-ADVICE",
                                               "IS-CONFIDENTIAL"};
  ASSERT_THAT(is_modules, Contains(reason.missing));
  for (const auto& other : is_modules) {
    if (other == reason.missing) continue;
    EXPECT_THAT(reason.alternatives, Contains(HasSubstr(other)));
  }
}

TEST(NewcastleNeedsTest, OneUnmetAccreditationConditionIsNamed) {
  const Framework& framework = testing::Shipped("newcastle-2009");
  const Subject subject =
      NewcastleContactPointUser(27).Took("IS-CONFIDENTIAL", "2009-12-01");
  Eligibility eligibility =
      CheckEligibility(framework, subject.Context(),
                       ModuleOf(framework, "CP-USER"), On("2010-02-15"));
  EXPECT_FALSE(eligibility.eligible);
  ASSERT_THAT(Kinds(eligibility), ElementsAre("organisation-not-ready"));
  EXPECT_THAT(eligibility.reasons[0].unmet_conditions,
              ElementsAre(HasSubstr("28")));
}

TEST(NewcastleNeedsTest, ContactPointUserNeedsAndWhatTheyMayBookNext) {
  const Framework& framework = testing::Shipped("newcastle-2009");
  const Subject subject =
      NewcastleContactPointUser().Took("IS-CONFIDENTIAL", "2009-12-01");
  std::vector<Need> needs =
      ComputeNeeds(framework, subject.Context(), On("2010-02-15"));
  struct Row {
    const char* module;
    NeedStatus status;
  };
  for (const Row& row : {
           Row{"CP-USER", NeedStatus::kOutstanding},
           Row{"IS-CONFIDENTIAL", NeedStatus::kDone},
           // The admin staff's IS course meets the users' IS requirement.
           Row{"IS-PRACTICE", NeedStatus::kNotApplicable},
           Row{"IS-ADVICE", NeedStatus::kNotApplicable},
           Row{"SG-COURSE", NeedStatus::kOutstanding},
       }) {
    SCOPED_TRACE(row.module);
    const Need* need = FindNeed(needs, row.module);
    ASSERT_NE(need, nullptr);
    EXPECT_EQ(Named(need->status), Named(row.status));
    EXPECT_EQ(Named(need->level), Named(RequirementLevel::kRequired));
  }
  // Practitioners' and managers' induction is not asked of admin staff.
  EXPECT_EQ(FindNeed(needs, "IW-CAPTIVATE"), nullptr);

  std::vector<std::string> next =
      Refs(BookableNext(framework, subject.Context(), On("2010-02-15")));
  EXPECT_THAT(next, Contains("CP-USER"));
  EXPECT_THAT(next, Contains("SG-COURSE"));
  EXPECT_THAT(next, Not(Contains("IS-CONFIDENTIAL")));
  EXPECT_THAT(next, Not(Contains("IS-PRACTICE")));
}

}  // namespace
}  // namespace trellis
