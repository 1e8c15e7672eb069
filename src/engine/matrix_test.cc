#include "engine/matrix.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "engine/test_frameworks.h"

namespace trellis {
namespace {

// [001] Appendix 1, cell by cell, as the document prints it, except that IS04
// stands under information sharing (its own process) rather than in the
// integrated-working cell of the admin staff row.
const std::map<std::pair<std::string, std::string>, std::vector<std::string>>
    kAppendix1 = {
        {{"practitioners", "integrated-working"}, {"IW01"}},
        {{"practitioners", "information-sharing"}, {"IS01", "IS02"}},
        {{"practitioners", "caf"}, {"CAF01", "CAF02"}},
        {{"practitioners", "lead-professional"}, {"LP01", "LP02"}},
        {{"practitioners", "is-index"}, {"ISI01", "ISI02", "ISI03", "ISI04"}},
        {{"trainers", "integrated-working"}, {"IW01", "IW02", "IW05"}},
        {{"trainers", "information-sharing"}, {"IS01", "IS02", "IS03", "IS05"}},
        {{"trainers", "caf"}, {"CAF01", "CAF02", "CAF03"}},
        {{"trainers", "lead-professional"}, {"LP01", "LP02", "LP03"}},
        {{"trainers", "is-index"},
         {"ISI01", "ISI02", "ISI03", "ISI04", "ISI10"}},
        {{"operational-managers", "integrated-working"}, {"IW01", "IW03"}},
        {{"operational-managers", "information-sharing"},
         {"IS01", "IS02", "IS03"}},
        {{"operational-managers", "caf"}, {"CAF01", "CAF02"}},
        {{"operational-managers", "lead-professional"}, {"LP01", "LP02"}},
        {{"operational-managers", "is-index"}, {"ISI01", "ISI06"}},
        {{"strategic-managers", "integrated-working"},
         {"IW01", "IW02", "IW04"}},
        {{"strategic-managers", "is-index"},
         {"ISI01", "ISI07", "ISI08", "ISI09"}},
        {{"is-advisors", "integrated-working"}, {"IW01"}},
        {{"is-advisors", "information-sharing"}, {"IS01", "IS02", "IS03"}},
        {{"is-advisors", "caf"}, {"CAF01", "CAF02"}},
        {{"is-advisors", "lead-professional"}, {"LP01", "LP02"}},
        {{"is-advisors", "is-index"}, {"ISI01", "ISI05"}},
        {{"admin-staff", "integrated-working"}, {"IW01", "IW02"}},
        {{"admin-staff", "information-sharing"}, {"IS04"}},
        {{"admin-staff", "is-index"}, {"ISI01", "ISI08", "ISI09"}},
};

TEST(MatrixTest, ReproducesAppendix1FromTheData) {
  const Matrix matrix = BuildMatrix(testing::Shipped("dcsf-2006"));
  ASSERT_EQ(matrix.audiences.size(), 6u);
  ASSERT_EQ(matrix.processes.size(), 5u);
  size_t non_empty = 0;
  for (const auto& cell : matrix.cells) {
    std::vector<std::string> refs;
    for (const Module* m : cell.modules) refs.push_back(m->ref);
    auto it = kAppendix1.find({cell.audience->id, cell.process->id});
    const std::vector<std::string> expected =
        it == kAppendix1.end() ? std::vector<std::string>{} : it->second;
    EXPECT_EQ(refs, expected) << cell.audience->id << " x " << cell.process->id;
    if (!refs.empty()) ++non_empty;
  }
  EXPECT_EQ(non_empty, kAppendix1.size());
}

TEST(MatrixTest, EachModuleStandsUnderItsOwnProcess) {
  const Matrix matrix = BuildMatrix(testing::Shipped("dcsf-2006"));
  for (const auto& cell : matrix.cells) {
    for (const Module* m : cell.modules)
      EXPECT_EQ(m->process.id, cell.process->id) << m->ref;
  }
}

}  // namespace
}  // namespace trellis
