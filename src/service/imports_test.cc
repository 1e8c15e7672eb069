// Importing a CSV file as the command line and the upload page both do: good
// files are counted on a dry run and written otherwise; a file with problems
// names every bad row and writes nothing.
#include "service/imports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/test_frameworks.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

const Date kToday = Day(2010, 3, 1);
const Actor kBy{"cli:test"};

const std::string kOrganisationsCsv =
    "org_id,name,sector\n"
    "NCC,Newcastle City Council,social-family-community-support\n"
    "NHS,Newcastle PCT,health\n";
const std::string kPeopleHeader =
    "person_id,name,email,org_id,audiences,manager_id\n";
// Ann's manager (P3) comes later in the file than she does.
const std::string kPeopleCsv =
    kPeopleHeader +
    "P1,Ann Smith,ann@ncc.example.org,NCC,practitioners,P3\r\n"
    "P2,Bob Jones,bob@nhs.example.org,NHS,practitioners,\r\n"
    "P3,Cat Lee,cat@ncc.example.org,NCC,operational-managers,\r\n";

std::vector<int> Lines(const std::vector<ImportProblem>& problems) {
  std::vector<int> lines;
  for (const auto& p : problems) lines.push_back(p.line);
  return lines;
}

class ImportCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenStore(Sqlite().fresh(dir_.path()), OpenMode::kCreate);
    ASSERT_TRUE(opened.has_value()) << Describe(opened);
    store_ = std::move(*opened);
    auto orgs = Import(ImportKind::kOrganisations, kOrganisationsCsv,
                       /*dry_run=*/false);
    ASSERT_TRUE(orgs.Good());
    ASSERT_EQ(orgs.counts.added, 2);
  }

  service::ImportReport Import(ImportKind kind, const std::string& csv,
                               bool dry_run, const ColumnMap& columns = {}) {
    auto report =
        service::ImportCsv(*store_, testing::Shipped("newcastle-2009"), kind,
                           csv, columns, kToday, kBy, dry_run);
    EXPECT_TRUE(report.has_value()) << Describe(report);
    return report.value_or(service::ImportReport{});
  }

  std::int64_t People() {
    auto counts = store_->Count();
    EXPECT_TRUE(counts.has_value()) << Describe(counts);
    return counts.value_or(RowCounts{}).people;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ImportCsvTest, ADryRunCountsTheAdditionsAndWritesNothing) {
  const auto report = Import(ImportKind::kPeople, kPeopleCsv, /*dry_run=*/true);
  EXPECT_TRUE(report.Good());
  EXPECT_EQ(report.kind, ImportKind::kPeople);
  EXPECT_EQ(report.rows, 3);
  EXPECT_EQ(report.counts.added, 3);
  EXPECT_EQ(report.counts.changed, 0);
  EXPECT_TRUE(report.dry_run);
  EXPECT_FALSE(report.written);
  EXPECT_EQ(People(), 0);
}

TEST_F(ImportCsvTest, AGoodFileIsWrittenAndASecondImportChangesNothing) {
  const auto report =
      Import(ImportKind::kPeople, kPeopleCsv, /*dry_run=*/false);
  EXPECT_TRUE(report.Good());
  EXPECT_EQ(report.counts.added, 3);
  EXPECT_TRUE(report.written);
  EXPECT_EQ(People(), 3);
  auto person = store_->FindPerson("P1");
  ASSERT_TRUE(person.has_value() && person->has_value());
  EXPECT_EQ((*person)->manager, "P3");

  const auto again = Import(ImportKind::kPeople, kPeopleCsv, /*dry_run=*/false);
  EXPECT_TRUE(again.Good());
  EXPECT_EQ(again.counts.added, 0);
  EXPECT_EQ(again.counts.unchanged, 3);
}

TEST_F(ImportCsvTest, ColumnsAreReadThroughTheMap) {
  const auto report = Import(
      ImportKind::kPeople,
      "Staff No,Full name,email,org_id\n"
      "P1,Ann Smith,ann@ncc.example.org,NCC\n",
      /*dry_run=*/false, {{"person_id", "Staff No"}, {"name", "Full name"}});
  EXPECT_TRUE(report.Good());
  EXPECT_EQ(report.counts.added, 1);
  EXPECT_EQ(People(), 1);
}

TEST_F(ImportCsvTest, ABadRowAndAnUnknownOrganisationAreBothNamed) {
  // Line 2 is well formed but names an organisation the area does not have;
  // line 4's email is wrong in itself. Both are named, in line order, and
  // the good row on line 3 is not written either.
  const std::string csv = kPeopleHeader +
                          "P1,Ann Smith,ann@ncc.example.org,XYZ,,\n"
                          "P2,Bob Jones,bob@nhs.example.org,NHS,,\n"
                          "P3,Cat Lee,cat.example.org,NCC,,\n";
  for (const bool dry_run : {true, false}) {
    const auto report = Import(ImportKind::kPeople, csv, dry_run);
    EXPECT_FALSE(report.Good());
    EXPECT_EQ(report.rows, 3);
    ASSERT_THAT(Lines(report.problems), ElementsAre(2, 4)) << dry_run;
    EXPECT_EQ(report.problems[0].field, "org_id");
    EXPECT_EQ(report.problems[0].value, "XYZ");
    EXPECT_EQ(report.problems[1].field, "email");
    EXPECT_EQ(report.counts.added, 0);
    EXPECT_FALSE(report.written);
    EXPECT_EQ(People(), 0);
  }
}

TEST_F(ImportCsvTest, AnUnknownReferenceAloneIsNamedAndNothingIsWritten) {
  const std::string csv = kPeopleHeader +
                          "P1,Ann Smith,ann@ncc.example.org,NCC,,P9\n"
                          "P2,Bob Jones,bob@nhs.example.org,NHS,,\n";
  const auto report = Import(ImportKind::kPeople, csv, /*dry_run=*/false);
  ASSERT_THAT(Lines(report.problems), ElementsAre(2));
  EXPECT_EQ(report.problems[0].field, "manager_id");
  EXPECT_FALSE(report.written);
  EXPECT_EQ(People(), 0);
}

TEST_F(ImportCsvTest, AnUnreadableFileIsReportedWithItsLine) {
  const auto report = Import(ImportKind::kPeople,
                             kPeopleHeader +
                                 "P1,Ann Smith,ann@ncc.example.org,NCC,,\n"
                                 "P2,\"Bob Jones,bob@nhs.example.org,NHS,,\n",
                             /*dry_run=*/false);
  EXPECT_FALSE(report.Good());
  ASSERT_TRUE(report.unreadable.has_value());
  EXPECT_EQ(report.unreadable->line, 3);
  EXPECT_EQ(report.unreadable->column, 4);
  EXPECT_THAT(report.unreadable->message, HasSubstr("never closed"));
  EXPECT_EQ(report.rows, 0);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_FALSE(report.written);
  EXPECT_EQ(People(), 0);
}

}  // namespace
}  // namespace trellis
