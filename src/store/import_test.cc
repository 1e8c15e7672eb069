#include "store/import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/framework_loader.h"

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Framework& Newcastle() {
  static const Framework framework = [] {
    LoadResult r = LoadFramework(std::string(TRELLIS_SOURCE_DIR) +
                                 "/frameworks/newcastle-2009");
    return r.framework.value_or(Framework{});
  }();
  return framework;
}

const Date kToday{std::chrono::year{2010}, std::chrono::month{3},
                  std::chrono::day{1}};

ImportBatch Read(ImportKind kind, const std::string& csv,
                 const ColumnMap& columns = {}) {
  auto table = ParseCsv(csv);
  EXPECT_TRUE(table.has_value()) << table.error().message;
  return ReadImport(kind, table.value_or(CsvTable{}), columns, Newcastle(),
                    kToday);
}

std::vector<std::string> Problems(const ImportBatch& batch) {
  std::vector<std::string> out;
  for (const auto& p : batch.problems)
    out.push_back(FormatImportProblem("f.csv", p));
  return out;
}

TEST(ReadImport, PeopleAsAnHrSystemSendsThem) {
  auto batch =
      Read(ImportKind::kPeople,
           "\xEF\xBB\xBFperson_id,name,email,org_id,role,audiences,manager_id,"
           "locality,"
           "start_date,id_check_date,dbs_date,it_competent\r\n"
           "P1,\"Smith, Ann\",ann@ncc.example.org,NCC,contactpoint-user,"
           "practitioners;operational-managers,P9,West,01/09/2008,14/10/2009,"
           "2009-06-30,yes\r\n");
  ASSERT_THAT(Problems(batch), ::testing::IsEmpty());
  ASSERT_EQ(batch.people.size(), 1u);
  const Person& p = batch.people[0];
  EXPECT_EQ(p.name, "Smith, Ann");
  EXPECT_THAT(p.audiences,
              ElementsAre("practitioners", "operational-managers"));
  EXPECT_EQ(p.manager, "P9");
  ASSERT_EQ(p.checks.size(), 3u);
  EXPECT_EQ(p.checks[0].check, "identity");
  EXPECT_EQ(FormatIsoDate(p.checks[0].date), "2009-10-14");
  EXPECT_EQ(p.checks[1].check,
            "enhanced-crb");  // the framework's own id for it
  EXPECT_EQ(p.checks[2].check, "it-competence");
}

struct BadRow {
  const char* name;
  ImportKind kind;
  std::string csv;
  std::string expected;  // a fragment of the one problem reported
};

TEST(ReadImport, NamesEveryBadRow) {
  const std::string people =
      "person_id,name,email,org_id,audiences,dbs_date,it_competent\n";
  const std::string records = "person_id,module,date,outcome,source\n";
  const std::vector<BadRow> rows = {
      {"missing name", ImportKind::kPeople, people + "P1,,a@b.org,NCC,,,\n",
       "f.csv:2: field 'name': value '': is required"},
      {"bad email", ImportKind::kPeople,
       people + "P1,Ann,ann.example.org,NCC,,,\n",
       "field 'email': value 'ann.example.org': is not an email address"},
      {"unknown audience", ImportKind::kPeople,
       people + "P1,Ann,a@b.org,NCC,practitioner,,\n",
       "did you mean 'practitioners'?"},
      {"bad date", ImportKind::kPeople,
       people + "P1,Ann,a@b.org,NCC,,31/02/2009,\n",
       "field 'dbs_date': value '31/02/2009': no such day"},
      {"bad yes/no", ImportKind::kPeople,
       people + "P1,Ann,a@b.org,NCC,,,maybe\n",
       "field 'it_competent': value 'maybe': expected yes or no"},
      {"id twice", ImportKind::kPeople,
       people + "P1,Ann,a@b.org,NCC,,,\nP1,Bob,b@b.org,NCC,,,\n",
       "f.csv:3: field 'person_id': value 'P1': given twice; first on line 2"},
      {"unknown module", ImportKind::kRecords,
       records + "P1,IS-PRACTISE,01/02/2010,completed,\n",
       "did you mean 'IS-PRACTICE'?"},
      {"future date", ImportKind::kRecords,
       records + "P1,IS-PRACTICE,01/02/2011,completed,\n",
       "field 'date': value '01/02/2011': is in the future"},
      {"bad outcome", ImportKind::kRecords,
       records + "P1,IS-PRACTICE,01/02/2010,attended,\n",
       "field 'outcome': value 'attended'"},
      {"bad source", ImportKind::kRecords,
       records + "P1,IS-PRACTICE,01/02/2010,passed,webinar\n",
       "field 'source': value 'webinar'"},
      {"too many fields", ImportKind::kRecords,
       records + "P1,IS-PRACTICE,01/02/2010,passed,session,extra\n",
       "more fields than the header"},
      {"missing column", ImportKind::kRecords,
       "person_id,module,date\nP1,IS-PRACTICE,01/02/2010\n",
       "f.csv:1: field 'outcome': value '': the file has no column 'outcome'"},
      {"misspelt column", ImportKind::kRecords,
       "person_id,module,date,outcome,sourse\nP1,IS-PRACTICE,01/02/"
       "2010,passed,session\n",
       "column 'sourse' looks like 'source'"},
  };
  for (const auto& row : rows) {
    auto batch = Read(row.kind, row.csv);
    auto problems = Problems(batch);
    ASSERT_EQ(problems.size(), 1u)
        << row.name << ": " << ::testing::PrintToString(problems);
    EXPECT_THAT(problems[0], HasSubstr(row.expected)) << row.name;
  }
}

TEST(ReadImport, RecordsGetTheSameIdEachTime) {
  const std::string csv =
      "person_id,module,date,outcome,source,evidence\n"
      "P1,IS-PRACTICE,1/2/2010,Passed,Session,register 12\n"
      "P1,CAF-1DAY,2009-11-30,partly attended,,\n";
  auto first = Read(ImportKind::kRecords, csv);
  auto second = Read(ImportKind::kRecords, csv);
  ASSERT_THAT(Problems(first), ::testing::IsEmpty());
  ASSERT_EQ(first.records.size(), 2u);
  EXPECT_EQ(first.records[0].id, second.records[0].id);
  EXPECT_EQ(first.records[0].id, "import:P1:IS-PRACTICE:2010-02-01:passed");
  EXPECT_EQ(first.records[0].source, RecordSource::kSession);
  EXPECT_EQ(first.records[1].outcome, TrainingOutcome::kPartlyAttended);
  EXPECT_EQ(first.records[1].source, RecordSource::kImport);
}

TEST(ReadImport, MapsColumnsAndSectorNames) {
  auto batch =
      Read(ImportKind::kOrganisations,
           "Agency Code,Agency,Sector\nNCC,Newcastle City Council,Education\n",
           {{"org_id", "Agency Code"}, {"name", "Agency"}});
  ASSERT_THAT(Problems(batch), ::testing::IsEmpty());
  ASSERT_EQ(batch.organisations.size(), 1u);
  EXPECT_EQ(batch.organisations[0].sector, "education");
  auto unknown =
      Read(ImportKind::kOrganisations, "org_id,name,sector\nX,Y,Helth\n");
  ASSERT_EQ(unknown.problems.size(), 1u);
  EXPECT_THAT(unknown.problems[0].reason, HasSubstr("did you mean 'health'?"));
}

TEST(ParseUkOrIsoDate, ReadsBothForms) {
  EXPECT_EQ(FormatIsoDate(ParseUkOrIsoDate("1/2/2010").value()), "2010-02-01");
  EXPECT_EQ(FormatIsoDate(ParseUkOrIsoDate(" 31/01/2010 ").value()),
            "2010-01-31");
  EXPECT_EQ(FormatIsoDate(ParseUkOrIsoDate("2010-02-01").value()),
            "2010-02-01");
  for (const char* bad :
       {"2/1/10", "1/2/2010/3", "01-02-2010", "32/01/2010", "", "//2010"}) {
    EXPECT_FALSE(ParseUkOrIsoDate(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace trellis
