#include "engine/framework_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/test_frameworks.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;

// Loader and validator findings for inline YAML, formatted as the CLI prints
// them.
std::vector<std::string> Findings(const std::string& yaml) {
  LoadResult loaded = testing::Inline(yaml);
  std::vector<Finding> all = loaded.findings;
  if (loaded.framework) {
    auto more = ValidateFramework(*loaded.framework);
    all.insert(all.end(), more.begin(), more.end());
  }
  std::vector<std::string> out;
  for (const auto& f : all) {
    if (f.severity == Severity::kError) out.push_back(FormatFinding(f));
  }
  return out;
}

constexpr const char* kHeader = R"(framework: {id: t, title: T, version: "1"}
audiences: [{id: a, name: A}, {id: b, name: B}]
processes: [{id: p, name: P}]
)";

TEST(FrameworkValidatorTest, ShippedFrameworksHaveNoErrors) {
  for (const char* id : {"dcsf-2006", "newcastle-2009", "north-lincs-lscb-2017",
                         "is-learning-outcomes"}) {
    const Framework& fw = testing::Shipped(id);
    for (const auto& f : ValidateFramework(fw)) {
      EXPECT_NE(f.severity, Severity::kError) << FormatFinding(f);
    }
  }
}

TEST(FrameworkValidatorTest, UnknownReferenceSuggestsTheClosestId) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: CAF01, name: C, process: p, duration: unknown}
  - {ref: IW03, name: I, process: p, duration: unknown, sequencing: [CA01]}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0],
            "t.yaml:6:70: error: module IW03: sequencing: unknown module or "
            "course 'CA01'; "
            "did you mean 'CAF01'?");
}

TEST(FrameworkValidatorTest, DuplicateIdNamesTheFirstDefinition) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: M1, name: A, process: p, duration: unknown}
courses:
  - {id: M1, name: B, process: p, modules: [M1]}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0], HasSubstr("t.yaml:7:5: error: duplicate module or "
                                     "course 'M1'; first defined at t.yaml:5"));
}

TEST(FrameworkValidatorTest, CycleIsPrintedInDeliveryOrder) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: A1, name: A, process: p, duration: unknown, sequencing: C1}
  - {ref: B1, name: B, process: p, duration: unknown, sequencing: A1}
  - {ref: C1, name: C, process: p, duration: unknown, sequencing: B1}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0],
              HasSubstr("error: cycle in sequencing: A1 -> B1 -> C1 -> A1"));
}

TEST(FrameworkValidatorTest, AnyOfIsNotACycleWhileOneBranchCanBeMet) {
  // A, then B after A or C, then C after B: the order A, B, C satisfies all.
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: A1, name: A, process: p, duration: unknown}
  - {ref: B1, name: B, process: p, duration: unknown, sequencing: {any_of: [A1, C1]}}
  - {ref: C1, name: C, process: p, duration: unknown, sequencing: B1}
)");
  EXPECT_THAT(findings, ::testing::IsEmpty());
}

TEST(FrameworkValidatorTest, EveryBranchIntoACycleIsReported) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: A1, name: A, process: p, duration: unknown, sequencing: {any_of: [B1, C1]}}
  - {ref: B1, name: B, process: p, duration: unknown, sequencing: A1}
  - {ref: C1, name: C, process: p, duration: unknown, sequencing: A1}
)");
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(findings);
  EXPECT_THAT(findings[0], HasSubstr("cycle in sequencing: A1 -> B1 -> A1"));
}

TEST(FrameworkValidatorTest, DuplicatePhase) {
  auto findings = Findings(std::string(kHeader) + R"(programmes:
  - id: cp
    name: Roll-out
    phases:
      - {id: phase-1, from: 2009-10-01, to: 2010-01-31}
      - {id: phase-1, from: 2010-02-01, to: 2010-04-30}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0],
              HasSubstr("t.yaml:9:9: error: programme cp: duplicate phase "
                        "'phase-1'; first defined at t.yaml:8"));
}

TEST(FrameworkValidatorTest, RuleTheAudienceCannotSatisfyWithinItsRoute) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: M1, name: A, process: p, duration: unknown}
  - {ref: M2, name: B, process: p, duration: unknown, sequencing: M1}
requirements:
  - {id: r, who: {audiences: [a]}, take: M2}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(
      findings[0],
      HasSubstr("t.yaml:6:67: error: audience a takes M2 but no alternative"));
  EXPECT_THAT(findings[0], HasSubstr("M1 not in the route"));
}

TEST(FrameworkValidatorTest, ExperienceAlternativeSatisfiesOutsideTheRoute) {
  auto findings = Findings(std::string(kHeader) + R"(modules:
  - {ref: M1, name: A, process: p, duration: unknown}
  - ref: M2
    name: B
    process: p
    duration: unknown
    prerequisites: {any_of: [{experience: {level: very experienced}}, M1]}
requirements:
  - {id: r, who: {audiences: [a]}, take: M2}
)");
  EXPECT_THAT(findings, ::testing::IsEmpty());
}

TEST(FrameworkValidatorTest, PhaseEndingBeforeItStartsAndOutsideItsPlan) {
  // [000] prints phase 2 as 1/2/2020 - 30/4/2010 inside a 2009-2011 plan.
  auto findings = Findings(std::string(kHeader) + R"(programmes:
  - id: cp
    name: ContactPoint roll-out
    period: {from: 2009-10-01, to: 2011-08-01}
    phases:
      - {id: phase-2, from: 2020-02-01, to: 2010-04-30, target: 504}
)");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_THAT(findings[0],
              HasSubstr("t.yaml:9:9: error: programme cp phase phase-2 ends "
                        "(2010-04-30) before it starts (2020-02-01)"));
  EXPECT_THAT(findings[1], HasSubstr("2020-02-01 lies outside its plan's years "
                                     "(2009-10-01 to 2011-08-01)"));
}

TEST(FrameworkValidatorTest, FrameworkPeriodEndingBeforeItStarts) {
  auto findings = Findings(R"(framework:
  id: t
  title: T
  version: "1"
  period: {from: 2011-10-01, to: 2010-03-31}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0],
              HasSubstr("t.yaml:2:3: error: framework t period ends "
                        "(2010-03-31) before it starts (2011-10-01)"));
}

TEST(FrameworkValidatorTest, DreyfusStagesOutOfOrder) {
  auto findings = Findings(std::string(kHeader) + R"(competency_frameworks:
  - id: d
    name: D
    stages:
      - {stage: competent}
      - {stage: novice}
)");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0],
              HasSubstr("stage 'novice' comes after a later stage"));
}

TEST(FrameworkValidatorTest, ReferencesOfEveryKindAreChecked) {
  auto findings = Findings(std::string(kHeader) +
                           R"(roles: [{id: r, name: R, audiences: [x-audience]}]
modules:
  - {ref: M1, name: A, process: nope, duration: unknown, prerequisites: {check: nocheck}}
requirements:
  - {id: q, who: {roles: [nobody]}, take: M9}
priority_groups:
  - {id: g, who: {audiences: [a]}, applies_to: [M7]}
certifications:
  - {id: c, name: C, by: M8, roles: [r]}
)");
  const std::string all = ::testing::PrintToString(findings);
  for (const char* expected :
       {"unknown audience 'x-audience'", "unknown process 'nope'",
        "unknown check 'nocheck'", "unknown role 'nobody'",
        "unknown module or course 'M9'", "unknown module or course 'M7'",
        "unknown module 'M8'"}) {
    EXPECT_THAT(all, HasSubstr(expected));
  }
}

}  // namespace
}  // namespace trellis
