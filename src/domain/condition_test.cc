#include "domain/condition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Condition Completed(std::string id) {
  Condition c;
  c.kind = ConditionKind::kCompleted;
  c.ref.id = std::move(id);
  return c;
}

Condition Check(std::string id) {
  Condition c;
  c.kind = ConditionKind::kCheck;
  c.ref.id = std::move(id);
  return c;
}

Condition AllOf(std::vector<Condition> children) {
  Condition c;
  c.kind = ConditionKind::kAllOf;
  c.children = std::move(children);
  return c;
}

Condition AnyOf(std::vector<Condition> children) {
  Condition c;
  c.kind = ConditionKind::kAnyOf;
  c.children = std::move(children);
  return c;
}

// IW03's sequencing [001]: after IW02, or after IS01, CAF01 and LP01.
Condition Iw03Sequencing() {
  return AnyOf({Completed("IW02"), AllOf({Completed("IS01"), Completed("CAF01"),
                                          Completed("LP01")})});
}

// IS05's pre-requisite [001]: very experienced in this area, or IS01, IS02 and
// IS03.
Condition Is05Prerequisites() {
  Condition experience;
  experience.kind = ConditionKind::kExperience;
  experience.area = "information-sharing";
  experience.level = "very experienced";
  experience.attested_by = "manager";
  return AnyOf({experience, AllOf({Completed("IS01"), Completed("IS02"),
                                   Completed("IS03")})});
}

// Each alternative as the atoms a reader would see.
std::vector<std::vector<std::string>> Described(
    const std::vector<Alternative>& alternatives) {
  std::vector<std::vector<std::string>> out;
  for (const Alternative& alternative : alternatives) {
    std::vector<std::string> atoms;
    for (const Condition* atom : alternative)
      atoms.push_back(DescribeAtom(*atom));
    out.push_back(std::move(atoms));
  }
  return out;
}

using Atoms = std::vector<std::string>;

TEST(Alternatives, AnAtomIsOneAlternativeOfItself) {
  const Condition iw01 = Completed("IW01");
  auto alternatives = Alternatives(iw01);
  ASSERT_TRUE(alternatives.has_value());
  ASSERT_EQ(alternatives->size(), 1U);
  EXPECT_THAT((*alternatives)[0], ElementsAre(&iw01));
}

TEST(Alternatives, AnyOfGivesEachRouteInOrder) {
  const Condition iw03 = Iw03Sequencing();
  auto alternatives = Alternatives(iw03);
  ASSERT_TRUE(alternatives.has_value());
  EXPECT_THAT(Described(*alternatives),
              ElementsAre(Atoms{"IW02"}, Atoms{"IS01", "CAF01", "LP01"}));
  // The atoms point into the condition, so callers can read their windows and
  // positions.
  EXPECT_EQ((*alternatives)[0][0], &iw03.children[0]);
  EXPECT_EQ((*alternatives)[1][2], &iw03.children[1].children[2]);
}

TEST(Alternatives, AllOfMultipliesOut) {
  const Condition c =
      AllOf({AnyOf({Completed("A"), Completed("B")}), Completed("X"),
             AnyOf({Completed("C"), Completed("D")})});
  auto alternatives = Alternatives(c);
  ASSERT_TRUE(alternatives.has_value());
  EXPECT_THAT(Described(*alternatives),
              ElementsAre(Atoms{"A", "X", "C"}, Atoms{"A", "X", "D"},
                          Atoms{"B", "X", "C"}, Atoms{"B", "X", "D"}));
}

TEST(Alternatives, NestedGroupsOfOneKindFlatten) {
  // The alternatives point into the condition: it must outlive them.
  const Condition any_of =
      AnyOf({Completed("A"), AnyOf({Completed("B"), Completed("C")})});
  auto any = Alternatives(any_of);
  ASSERT_TRUE(any.has_value());
  EXPECT_THAT(Described(*any), ElementsAre(Atoms{"A"}, Atoms{"B"}, Atoms{"C"}));

  const Condition all_of =
      AllOf({Completed("A"), AllOf({Completed("B"), Completed("C")})});
  auto all = Alternatives(all_of);
  ASSERT_TRUE(all.has_value());
  EXPECT_THAT(Described(*all), ElementsAre(Atoms{"A", "B", "C"}));
}

TEST(Alternatives, KeepsNonTrainingAtoms) {
  const Condition is05 = Is05Prerequisites();
  auto alternatives = Alternatives(is05);
  ASSERT_TRUE(alternatives.has_value());
  ASSERT_EQ(alternatives->size(), 2U);
  ASSERT_EQ((*alternatives)[0].size(), 1U);
  EXPECT_EQ((*alternatives)[0][0]->kind, ConditionKind::kExperience);
  EXPECT_THAT(Described(*alternatives)[1], ElementsAre("IS01", "IS02", "IS03"));

  const Condition checked = AllOf({Check("identity"), Completed("IS01")});
  auto with_check = Alternatives(checked);
  ASSERT_TRUE(with_check.has_value());
  EXPECT_THAT(Described(*with_check),
              ElementsAre(Atoms{"check identity", "IS01"}));
}

TEST(Alternatives, EmptyGroups) {
  // Nothing to do is one way that needs nothing; no options is no way at all.
  auto all = Alternatives(AllOf({}));
  ASSERT_TRUE(all.has_value());
  EXPECT_THAT(*all, ElementsAre(IsEmpty()));

  auto any = Alternatives(AnyOf({}));
  ASSERT_TRUE(any.has_value());
  EXPECT_THAT(*any, IsEmpty());

  auto all_with_impossible = Alternatives(AllOf({Completed("A"), AnyOf({})}));
  ASSERT_TRUE(all_with_impossible.has_value());
  EXPECT_THAT(*all_with_impossible, IsEmpty());
}

// n independent choices of two: 2^n alternatives.
Condition Choices(int n) {
  std::vector<Condition> pairs;
  for (int i = 0; i < n; ++i) {
    pairs.push_back(AnyOf({Completed("A" + std::to_string(i)),
                           Completed("B" + std::to_string(i))}));
  }
  return AllOf(std::move(pairs));
}

Condition OneOf(int n) {
  std::vector<Condition> atoms;
  for (int i = 0; i < n; ++i)
    atoms.push_back(Completed("M" + std::to_string(i)));
  return AnyOf(std::move(atoms));
}

TEST(Alternatives, StopsAtTheCap) {
  auto at_cap = Alternatives(Choices(8));
  ASSERT_TRUE(at_cap.has_value());
  EXPECT_EQ(at_cap->size(), 256U) << "exactly the default cap is allowed";
  EXPECT_FALSE(Alternatives(Choices(9)).has_value());
  EXPECT_FALSE(Alternatives(Choices(40)).has_value())
      << "2^40 must not be attempted";

  ASSERT_TRUE(Alternatives(OneOf(256)).has_value());
  EXPECT_FALSE(Alternatives(OneOf(257)).has_value());

  EXPECT_TRUE(Alternatives(OneOf(3), 3).has_value());
  EXPECT_FALSE(Alternatives(OneOf(4), 3).has_value());
  EXPECT_TRUE(Alternatives(Choices(2), 4).has_value());
  EXPECT_FALSE(Alternatives(Choices(3), 4).has_value());
  // Within a larger expression too: the cap applies to the whole, not each
  // part.
  EXPECT_FALSE(Alternatives(AllOf({OneOf(3), OneOf(3)}), 8).has_value());
}

Condition Chain(int depth) {
  Condition c = Completed("DEEP");
  for (int i = 0; i < depth; ++i) {
    Condition outer;
    outer.kind = ConditionKind::kAllOf;
    outer.children.push_back(std::move(c));
    c = std::move(outer);
  }
  return c;
}

TEST(Alternatives, FollowsNestingAsDeepAsTheLoaderAllows) {
  const Condition c = Chain(32);
  auto alternatives = Alternatives(c);
  ASSERT_TRUE(alternatives.has_value());
  EXPECT_THAT(Described(*alternatives), ElementsAre(Atoms{"DEEP"}));
}

TEST(Alternatives, SurvivesAbsurdNesting) {
  const Condition c = Chain(5000);
  auto alternatives = Alternatives(c);
  // Giving up is fine; a wrong answer or a crash is not.
  if (alternatives.has_value()) {
    EXPECT_THAT(Described(*alternatives), ElementsAre(Atoms{"DEEP"}));
  }
  std::vector<const Ref*> refs;
  CollectCompletedRefs(c, refs);
  EXPECT_LE(refs.size(), 1U);
  EXPECT_FALSE(DescribeCondition(c).empty());
}

TEST(CollectCompletedRefs, ListsTrainingRefsInOrderOfAppearance) {
  const Condition iw03 = Iw03Sequencing();
  std::vector<const Ref*> refs;
  CollectCompletedRefs(iw03, refs);
  std::vector<std::string> ids;
  for (const Ref* ref : refs) ids.push_back(ref->id);
  EXPECT_THAT(ids, ElementsAre("IW02", "IS01", "CAF01", "LP01"));
  ASSERT_FALSE(refs.empty());
  EXPECT_EQ(refs[0], &iw03.children[0].ref)
      << "the refs point into the condition";
}

TEST(CollectCompletedRefs, SkipsChecksExperienceAndReadiness) {
  Condition ready;
  ready.kind = ConditionKind::kOrganisationReady;
  ready.ref.id = "contactpoint-accreditation";
  const Condition c = AllOf(
      {Check("enhanced-dbs"), ready, Is05Prerequisites(), Completed("CP-L1")});
  std::vector<const Ref*> refs;
  CollectCompletedRefs(c, refs);
  std::vector<std::string> ids;
  for (const Ref* ref : refs) ids.push_back(ref->id);
  EXPECT_THAT(ids, ElementsAre("IS01", "IS02", "IS03", "CP-L1"));

  std::vector<const Ref*> none;
  CollectCompletedRefs(Check("identity"), none);
  EXPECT_THAT(none, IsEmpty());
}

TEST(DescribeCondition, ReadsAsTheSourceWordsIt) {
  Condition within = Completed("CAF-ONLINE");
  within.within = Period{2, PeriodUnit::kWeeks};
  Condition at_least = Completed("IS02");
  at_least.at_least = Period{1, PeriodUnit::kWeeks};
  Condition in_last = Completed("SG01");
  in_last.in_last = Period{3, PeriodUnit::kYears};
  Condition dbs = Check("enhanced-dbs");
  dbs.in_last = Period{3, PeriodUnit::kYears};
  Condition ready;
  ready.kind = ConditionKind::kOrganisationReady;
  ready.ref.id = "contactpoint-accreditation";
  Condition years;
  years.kind = ConditionKind::kExperience;
  years.years = 2;
  years.area = "children and families";
  Condition group;
  group.kind = ConditionKind::kTargetGroup;
  group.audiences = {{"practitioners", {}}};
  group.roles = {{"contactpoint-user", {}}};
  group.sectors = {{"health", {}}};

  struct Case {
    Condition condition;
    std::string text;
  };
  const Case cases[] = {
      {Completed("IW01"), "IW01"},
      {Iw03Sequencing(), "IW02, or IS01 and CAF01 and LP01"},
      {Is05Prerequisites(),
       "recognised prior learning: very experienced in information-sharing, "
       "attested by "
       "manager, or IS01 and IS02 and IS03"},
      {AllOf({AnyOf({Completed("A"), Completed("B")}), Completed("C")}),
       "(A, or B) and C"},
      {AnyOf(
           {Completed("A"),
            AllOf({Completed("B"), AnyOf({Completed("C"), Completed("D")})})}),
       "A, or B and (C, or D)"},
      {within, "CAF-ONLINE no more than 2 weeks before"},
      {at_least, "IS02 at least 1 week before"},
      {in_last, "SG01 completed within the last 3 years"},
      {dbs, "check enhanced-dbs within the last 3 years"},
      {ready, "organisation ready for contactpoint-accreditation"},
      {years,
       "recognised prior learning: experience (at least 2 years) in children "
       "and families"},
      {group, "in the target group (practitioners, contactpoint-user, health)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(DescribeCondition(c.condition), c.text);
  }
}

TEST(DescribeAtom, DescribesAGroupAsAWhole) {
  EXPECT_EQ(DescribeAtom(Iw03Sequencing()), "IW02, or IS01 and CAF01 and LP01");
}

}  // namespace
}  // namespace trellis
