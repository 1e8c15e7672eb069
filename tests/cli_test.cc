// Functional tests: drive the built `trellis` binary as a coordinator would and
// check exit statuses and output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using trellis::testing::Lines;
using trellis::testing::Outcome;
using trellis::testing::ReadFile;
using trellis::testing::Trellis;

TEST(CliTest, ValidateShippedFrameworksHasNoErrors) {
  Outcome run = Trellis({"framework", "validate"});
  EXPECT_EQ(run.status, 0) << run.out << run.err;
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr(": error: ")));
  EXPECT_THAT(run.err, HasSubstr("4 frameworks checked: 0 errors"));
}

// Each broken file under tests/data states its expected findings in
// "# expect: LINE:COL: error: MESSAGE" comments; all must appear, and validate
// must exit 1.
TEST(CliTest, BrokenFrameworkFilesGiveTheirFindings) {
  int files = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TRELLIS_SOURCE_DIR) / "tests/data")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string relative =
        "tests/data/" + entry.path().filename().string();
    Outcome run = Trellis({"framework", "validate", relative});
    EXPECT_EQ(run.status, 1) << relative << "\n" << run.out << run.err;
    int expectations = 0;
    int expected_errors = 0;
    for (const auto& line : Lines(ReadFile(entry.path()))) {
      const std::string kMarker = "# expect: ";
      if (!line.starts_with(kMarker)) continue;
      ++expectations;
      if (line.find(": error: ") != std::string::npos) ++expected_errors;
      const std::string expected = relative + ":" + line.substr(kMarker.size());
      EXPECT_THAT(run.out, HasSubstr(expected)) << relative;
    }
    EXPECT_GT(expectations, 0) << relative << " states no expected finding";
    // Nothing else may be an error: no finding repeated, none invented.
    int errors = 0;
    for (const auto& line : Lines(run.out)) {
      if (line.find(": error: ") != std::string::npos) ++errors;
    }
    EXPECT_EQ(errors, expected_errors) << relative << "\n" << run.out;
  }
  EXPECT_GE(files, 7);
}

TEST(CliTest, MatrixCsvPutsEachModuleUnderItsOwnProcess) {
  Outcome run = Trellis({"framework", "matrix", "--format", "csv"});
  ASSERT_EQ(run.status, 0) << run.err;
  auto lines = Lines(run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "audience,process,modules");
  EXPECT_EQ(lines.size(), 1u + 6 * 5);
  EXPECT_THAT(lines,
              ::testing::Contains("admin-staff,integrated-working,IW01 IW02"));
  EXPECT_THAT(lines,
              ::testing::Contains("admin-staff,information-sharing,IS04"));
  EXPECT_THAT(lines, ::testing::Contains(
                         "operational-managers,integrated-working,IW01 IW03"));
  EXPECT_THAT(lines, ::testing::Contains(
                         "trainers,information-sharing,IS01 IS02 IS03 IS05"));
  EXPECT_THAT(lines, ::testing::Contains("strategic-managers,caf,"));
}

TEST(CliTest, MatrixJsonAndText) {
  Outcome json = Trellis({"framework", "matrix", "--format", "json"});
  ASSERT_EQ(json.status, 0);
  EXPECT_THAT(json.out, HasSubstr("\"framework\": \"dcsf-2006\""));
  Outcome text = Trellis({"framework", "matrix"});
  ASSERT_EQ(text.status, 0);
  EXPECT_THAT(text.out, HasSubstr("Practitioner admin staff (admin-staff)"));
}

TEST(CliTest, RouteForOperationalManagersPlacesIw03AfterItsAlternative) {
  Outcome run = Trellis({"framework", "route", "--audience",
                         "operational-managers", "--format", "csv", "--why"});
  ASSERT_EQ(run.status, 0) << run.err;
  auto lines = Lines(run.out);
  auto position = [&](const std::string& ref) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].find("," + ref + ",") != std::string::npos) return i;
    }
    return lines.size();
  };
  ASSERT_LT(position("IW03"), lines.size());
  for (const char* before : {"IS01", "CAF01", "LP01"})
    EXPECT_LT(position(before), position("IW03"));
  EXPECT_EQ(position("IW02"), lines.size());
  EXPECT_THAT(lines[position("IW03")], HasSubstr("IS01 CAF01 LP01"));
  EXPECT_THAT(lines[position("IW03")], HasSubstr("second alternative"));
}

TEST(CliTest, RouteForTrainersWithWhy) {
  Outcome run =
      Trellis({"framework", "route", "--audience", "trainers", "--why"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("IS05   Train-the-Trainer for Information "
                                 "Sharing  (after IS01, IS02, IS03)"));
  EXPECT_THAT(run.out, HasSubstr("recognised prior learning"));
}

// [000]: admin staff who will use ContactPoint take Handling Confidential
// Information, which must come before ContactPoint training; not IS in
// Practice.
TEST(CliTest, RouteByRoleAndAudienceInALocalFramework) {
  Outcome run = Trellis({"framework", "route", "--framework", "newcastle-2009",
                         "--role", "contactpoint-user", "--audience",
                         "admin-staff", "--format", "csv"});
  ASSERT_EQ(run.status, 0) << run.out << run.err;
  auto lines = Lines(run.out);
  auto position = [&](const std::string& ref) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].find("," + ref + ",") != std::string::npos) return i;
    }
    return lines.size();
  };
  ASSERT_LT(position("CP-USER"), lines.size());
  EXPECT_LT(position("IS-CONFIDENTIAL"), position("CP-USER"));
  EXPECT_EQ(position("IS-PRACTICE"), lines.size());
  EXPECT_THAT(lines[position("CP-USER")], HasSubstr(",IS-CONFIDENTIAL"));
}

TEST(CliTest, UnknownFrameworkIsNamedWithSuggestion) {
  Outcome run = Trellis({"framework", "matrix", "--framework", "dcsf-2060"});
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("no framework 'dcsf-2060'"));
  EXPECT_THAT(run.err, HasSubstr("did you mean 'dcsf-2006'?"));
}

TEST(CliTest, ShowMarksUnknowns) {
  Outcome iw03 = Trellis({"framework", "show", "IW03"});
  ASSERT_EQ(iw03.status, 0) << iw03.err;
  EXPECT_THAT(iw03.out,
              HasSubstr("sequencing:    IW02, or IS01 and CAF01 and LP01"));
  EXPECT_THAT(iw03.out, HasSubstr("duration:      2-3 hours"));
  Outcome isi01 = Trellis({"framework", "show", "dcsf-2006:ISI01"});
  ASSERT_EQ(isi01.status, 0) << isi01.err;
  EXPECT_THAT(isi01.out, HasSubstr("duration:      not known"));
  EXPECT_THAT(isi01.out, HasSubstr("description:   not known"));
  Outcome course = Trellis({"framework", "show", "is-trainers"});
  ASSERT_EQ(course.status, 0);
  EXPECT_THAT(
      course.out,
      HasSubstr("IS05  Train-the-Trainer for Information Sharing (5 hours)"));
}

TEST(CliTest, ShowUnknownReferenceSuggests) {
  Outcome run = Trellis({"framework", "show", "IW99"});
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("no module or course 'IW99'"));
}

TEST(CliTest, CheckCourseListsWhatIsMissing) {
  Outcome run = Trellis({"framework", "check-course", "is-practitioners"});
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.out, HasSubstr("MISSING  own-service-resources"));
  EXPECT_THAT(run.out,
              HasSubstr("covered  process-detail              by IS02"));
}

TEST(CliTest, WrongArgumentsGiveOneLineAndExit2) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{},
        {"framework"},
        {"framework", "nosuch"},
        {"framework", "matrix", "--format", "xml"},
        {"framework", "route"},
        {"framework", "route", "--audience"},
        {"framework", "show"},
        {"--nosuch"}}) {
    Outcome run = Trellis(args);
    EXPECT_EQ(run.status, 2) << ::testing::PrintToString(args) << run.err;
    EXPECT_EQ(Lines(run.err).size(), 1u)
        << ::testing::PrintToString(args) << run.err;
  }
}

TEST(CliTest, HelpOnEveryCommand) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"},
        {"framework", "--help"},
        {"framework", "validate", "--help"},
        {"framework", "show", "--help"},
        {"framework", "matrix", "--help"},
        {"framework", "route", "--help"},
        {"framework", "check-course", "--help"},
        {"framework", "list", "--help"}}) {
    Outcome run = Trellis(args);
    EXPECT_EQ(run.status, 0) << ::testing::PrintToString(args);
    EXPECT_THAT(run.out, HasSubstr("Usage:")) << ::testing::PrintToString(args);
  }
}

TEST(CliTest, ListSummarisesEveryFramework) {
  Outcome run = Trellis({"framework", "list"});
  EXPECT_EQ(run.status, 0);
  for (const char* id : {"dcsf-2006", "newcastle-2009", "north-lincs-lscb-2017",
                         "is-learning-outcomes"}) {
    EXPECT_THAT(run.out, HasSubstr(id));
  }
}

// The shipped Newcastle plan reproduces its document's table, and the
// slips and the phase that does not fit the calendar are named (exit 1: the
// file has errors).
TEST(CliTest, PlanCapacityReproducesTheNewcastleTable) {
  Outcome run =
      Trellis({"plan", "capacity", "plans/newcastle-contactpoint-2009.yaml"});
  EXPECT_EQ(run.status, 1) << run.out << run.err;
  for (const char* row :
       {"Phase 1    2009-10-01  2010-01-31     14      784         784",
        "Phase 2    2020-02-01  2010-04-30      9      504        1288",
        "Phase 3    2010-05-01  2010-08-01      9      504        1792",
        "Phase 4    2010-09-01  2010-12-31     13      728        2520",
        "Phase 5    2011-02-01  2011-04-30     13      728        3248",
        "Phase 6    2011-05-01  2011-08-01      9      504        3752",
        "trained by the end: 3752 of 4000 (248 short)",
        "error: phases[1].to: Phase 2 ends 2010-04-30 before it starts "
        "2020-02-01",
        "error: forward_plan: ends 2010-03-31 before it starts 2011-10-01",
        "warning: Phase 5: 13 delivery weeks are stated"}) {
    EXPECT_THAT(run.out, HasSubstr(row));
  }
  Outcome json = Trellis({"plan", "capacity", "--format", "json",
                          "plans/newcastle-contactpoint-2009.yaml"});
  EXPECT_EQ(json.status, 1);
  EXPECT_THAT(json.out, HasSubstr("\"total\": 3752"));
  Outcome what_if =
      Trellis({"plan", "capacity", "plans/newcastle-contactpoint-2009.yaml",
               "--set", "delivery.people_per_session=16"});
  EXPECT_THAT(what_if.out,
              HasSubstr("by the end: 3752 -> 4288 of 4000 (+536)"));
  Outcome bad_set =
      Trellis({"plan", "capacity", "plans/newcastle-contactpoint-2009.yaml",
               "--set", "venue.seatz=16"});
  EXPECT_EQ(bad_set.status, 2);
  EXPECT_THAT(bad_set.err, HasSubstr("--set venue.seatz: not a key a what-if "
                                     "can set; did you mean 'venue.seats'?"));
  Outcome not_capacity =
      Trellis({"plan", "capacity", "plans/newcastle-contactpoint-2009.yaml",
               "--set", "venue.seats=16"});
  EXPECT_EQ(not_capacity.status, 2);
  EXPECT_THAT(not_capacity.err,
              HasSubstr("--set venue.seats: capacity does not use it"));
  Outcome missing = Trellis({"plan", "capacity", "no-such-plan.yaml"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot read 'no-such-plan.yaml'"));
}

}  // namespace
