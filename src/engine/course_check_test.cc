#include "engine/course_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/test_frameworks.h"

namespace trellis {
namespace {

const CoverageLine& Line(const std::vector<CoverageLine>& lines,
                         const std::string& id) {
  for (const auto& l : lines) {
    if (l.id == id) return l;
  }
  static const CoverageLine kMissing{"(absent)", "", {}};
  ADD_FAILURE() << "no line " << id;
  return kMissing;
}

TEST(CourseCheckTest, CoverageComesFromTheCourseAndItsModules) {
  auto check = CheckCourse(testing::Shipped("dcsf-2006"), "is-practitioners");
  ASSERT_TRUE(check.has_value());
  EXPECT_THAT(check->modules, ::testing::ElementsAre("IS01", "IS02"));
  EXPECT_THAT(Line(check->course_content, "process-introduction").covered_by,
              ::testing::ElementsAre("IS01"));
  EXPECT_THAT(Line(check->course_content, "recap").covered_by,
              ::testing::ElementsAre("is-practitioners"));
  EXPECT_THAT(Line(check->common_messages, "share-information").covered_by,
              ::testing::ElementsAre("IS01", "IS02"));
  EXPECT_FALSE(Line(check->common_messages, "own-service-resources").Covered());
  EXPECT_EQ(check->course_content.size(), 8u);
  EXPECT_EQ(check->common_messages.size(), 10u);
  EXPECT_GT(check->MissingCount(), 0u);
}

TEST(CourseCheckTest, UnknownCourseSuggests) {
  auto check = CheckCourse(testing::Shipped("dcsf-2006"), "is-practitioner");
  ASSERT_FALSE(check.has_value());
  EXPECT_EQ(check.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(check.error().message,
              ::testing::HasSubstr("did you mean 'is-practitioners'"));
}

}  // namespace
}  // namespace trellis
