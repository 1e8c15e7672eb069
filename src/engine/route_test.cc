#include "engine/route.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/test_frameworks.h"

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Refs(const Route& route) {
  std::vector<std::string> refs;
  for (const auto& s : route.steps) refs.push_back(s.module->ref);
  return refs;
}

size_t Position(const Route& route, const std::string& ref) {
  auto refs = Refs(route);
  return static_cast<size_t>(std::find(refs.begin(), refs.end(), ref) -
                             refs.begin());
}

const RouteStep& Step(const Route& route, const std::string& ref) {
  return route.steps.at(Position(route, ref));
}

TEST(RouteTest, OperationalManagersTakeIw03AfterIs01Caf01AndLp01) {
  auto route =
      BuildRoute(testing::Shipped("dcsf-2006"), "operational-managers");
  ASSERT_TRUE(route.has_value());
  EXPECT_THAT(route->problems, IsEmpty());
  // They take no IW02, so the second alternative of IW03's sequencing applies
  // [001].
  EXPECT_EQ(Position(*route, "IW02"), route->steps.size());
  const RouteStep& iw03 = Step(*route, "IW03");
  EXPECT_THAT(iw03.after, ElementsAre("IS01", "CAF01", "LP01"));
  for (const char* before : {"IS01", "CAF01", "LP01"}) {
    EXPECT_LT(Position(*route, before), Position(*route, "IW03")) << before;
  }
  EXPECT_THAT(iw03.why, ::testing::HasSubstr("second alternative"));
  EXPECT_THAT(iw03.why, ::testing::HasSubstr("IW02 not in this route"));
}

TEST(RouteTest, TrainersTakeIs05AfterIs01Is02AndIs03) {
  auto route = BuildRoute(testing::Shipped("dcsf-2006"), "trainers");
  ASSERT_TRUE(route.has_value());
  const RouteStep& is05 = Step(*route, "IS05");
  EXPECT_THAT(is05.after, ElementsAre("IS01", "IS02", "IS03"));
  for (const char* before : {"IS01", "IS02", "IS03"}) {
    EXPECT_LT(Position(*route, before), Position(*route, "IS05")) << before;
  }
  // Recognised prior learning comes first in [001] but is met outside training.
  EXPECT_THAT(is05.why, ::testing::HasSubstr("met only outside training"));
}

TEST(RouteTest, EveryModuleComesAfterWhatItChose) {
  const Framework& fw = testing::Shipped("dcsf-2006");
  for (const auto& audience : fw.audiences) {
    auto route = BuildRoute(fw, audience.id);
    ASSERT_TRUE(route.has_value());
    for (const auto& step : route->steps) {
      for (const auto& before : step.after) {
        EXPECT_LT(Position(*route, before), Position(*route, step.module->ref))
            << audience.id << ": " << step.module->ref << " after " << before;
      }
    }
  }
}

TEST(RouteTest, UnknownAudienceIsNotFoundWithSuggestion) {
  auto route = BuildRoute(testing::Shipped("dcsf-2006"), "operational-manager");
  ASSERT_FALSE(route.has_value());
  EXPECT_EQ(route.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(route.error().message,
              ::testing::HasSubstr("did you mean 'operational-managers'"));
}

TEST(RouteTest, NeitherAudienceNorRoleIsInvalid) {
  auto route = BuildRoute(testing::Shipped("dcsf-2006"), "", "");
  ASSERT_FALSE(route.has_value());
  EXPECT_EQ(route.error().code, ErrorCode::kInvalidArgument);
}

constexpr const char* kRoleFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences:
  - {id: practitioners, name: Practitioners}
  - {id: admin-staff, name: Admin}
roles:
  - {id: cp-user, name: ContactPoint user}
processes: [{id: p, name: P}]
modules:
  - {ref: IS, name: IS, process: p, duration: unknown}
  - {ref: CP, name: CP, process: p, duration: unknown, prerequisites: [IS, {check: identity}]}
  - {ref: SG, name: SG, process: p, duration: unknown}
checks: [{id: identity, name: Identity}]
requirements:
  - {id: everyone-sg, who: everyone, level: required, take: SG}
  - {id: cp-users, who: {roles: [cp-user]}, level: required, take: [IS, CP]}
  - {id: cp-practitioners, who: {roles: [cp-user], audiences: [practitioners]}, take: IS}
  - {id: sector-only, who: {sectors: [health]}, take: CP}
)";

TEST(RouteTest, RolesAndAudiencesCombineWithAnd) {
  auto loaded = testing::Inline(kRoleFramework);
  ASSERT_TRUE(loaded.framework.has_value());
  const Framework& fw = *loaded.framework;
  EXPECT_THAT(AudienceModules(fw, "practitioners"),
              ::testing::SizeIs(1));  // SG only
  auto by_role = BuildRoute(fw, "", "cp-user");
  ASSERT_TRUE(by_role.has_value());
  EXPECT_THAT(Refs(*by_role), ElementsAre("SG", "IS", "CP"));
  EXPECT_THAT(Step(*by_role, "CP").after, ElementsAre("IS"));
  EXPECT_THAT(Step(*by_role, "CP").why, ::testing::HasSubstr("check identity"));
}

TEST(RouteTest, ModuleWhoseSequencingCannotBeMetIsReported) {
  auto loaded = testing::Inline(R"(
framework: {id: t, title: T, version: "1"}
audiences: [{id: a, name: A}]
processes: [{id: p, name: P}]
modules:
  - {ref: M1, name: M1, process: p, duration: unknown}
  - {ref: M2, name: M2, process: p, duration: unknown, sequencing: {any_of: [M1, M3]}}
  - {ref: M3, name: M3, process: p, duration: unknown}
requirements: [{id: r, who: {audiences: [a]}, take: M2}]
)");
  ASSERT_TRUE(loaded.framework.has_value());
  auto route = BuildRoute(*loaded.framework, "a");
  ASSERT_TRUE(route.has_value());
  ASSERT_THAT(route->problems, ::testing::SizeIs(1));
  EXPECT_FALSE(route->steps.at(0).satisfiable);
  EXPECT_THAT(route->problems[0].message,
              ::testing::HasSubstr(
                  "audience a takes M2 but no alternative of 'M1, or M3'"));
}

}  // namespace
}  // namespace trellis
