// The repository test suite: one set of tests, run against every backend the
// build has (SQLite now; PostgreSQL later, by adding a Backend to the
// instantiation at the end). Each test gets a fresh, empty database of its own.
#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/test_frameworks.h"
#include "store/csv.h"
#include "store/import.h"
#include "store/sql_store.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

// ---------------------------------------------------------------------------
// Helpers

std::string Iso(const std::optional<Date>& date) {
  return date ? FormatIsoDate(*date) : "(none)";
}

std::string Text(const WriteCounts& counts) {
  return "added " + std::to_string(counts.added) + ", changed " +
         std::to_string(counts.changed) + ", unchanged " +
         std::to_string(counts.unchanged);
}

std::string Text(const RowCounts& counts) {
  return std::to_string(counts.organisations) + " organisations, " +
         std::to_string(counts.people) + " people, " +
         std::to_string(counts.records) + " records";
}

std::string Text(const std::vector<ImportProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += FormatImportProblem("f.csv", p) + "\n";
  return out;
}

const Actor kCli{"cli:test"};

// The day the import files below are read on.
const Date kToday = Day(2010, 3, 1);

// An area's three import files, as an HR system and a training database send
// them. Ann's manager (P3) comes later in the file than she does.
const std::string kOrganisationsCsv =
    "org_id,name,sector,type,case_management_system,locality,isp_signed_date\n"
    "NCC,Newcastle City Council,social-family-community-support,"
    "Local authority,Care First,City,01/04/2009\n"
    "NHS,Newcastle PCT,Health,NHS trust,Web browser,West,\n";
const std::string kPeopleHeader =
    "person_id,name,email,org_id,role,audiences,manager_id,locality,"
    "start_date,id_check_date,dbs_date,it_competent\n";
const std::string kPeopleCsv =
    kPeopleHeader +
    "P1,Ann Smith,ann@ncc.example.org,NCC,contactpoint-user,"
    "practitioners;admin-staff,P3,West,01/09/2008,14/10/2009,30/06/2009,yes\n"
    "P2,Bob Jones,bob@nhs.example.org,NHS,,practitioners,,East,,,,\n"
    "P3,Cat Lee,cat@ncc.example.org,NCC,,operational-managers,,City,,,,no\n";
const std::string kRecordsHeader =
    "person_id,module,date,outcome,source,evidence\n";
const std::string kRecordsCsv =
    kRecordsHeader +
    "P1,CP-USER,12/11/2009,completed,session,register of 12 November\n"
    "P2,IS-ONLINE,2010-01-05,passed,e-learning,certificate 77\n";
// The id ReadImport gives Ann's record.
const std::string kAnnsRecord = "import:P1:CP-USER:2009-11-12:completed";

ImportBatch Read(ImportKind kind, const std::string& csv,
                 const Date& today = kToday) {
  auto table = ParseCsv(csv);
  EXPECT_TRUE(table.has_value()) << table.error().message;
  return ReadImport(kind, table.value_or(CsvTable{}), {},
                    testing::Shipped("newcastle-2009"), today);
}

// Reads and imports one file that must import cleanly.
ImportResult MustImport(Store& store, ImportKind kind, const std::string& csv,
                        const Date& today = kToday) {
  const ImportBatch batch = Read(kind, csv, today);
  EXPECT_THAT(batch.problems, IsEmpty()) << Text(batch.problems);
  auto result = store.Import(batch, kCli, /*dry_run=*/false);
  EXPECT_TRUE(result.has_value()) << Describe(result);
  if (!result) return {};
  EXPECT_THAT(result->problems, IsEmpty()) << Text(result->problems);
  return *result;
}

RowCounts MustCount(Store& store) {
  auto counts = store.Count();
  EXPECT_TRUE(counts.has_value()) << Describe(counts);
  return counts.value_or(RowCounts{});
}

std::optional<Person> MustFindPerson(Store& store, const std::string& id) {
  auto person = store.FindPerson(id);
  EXPECT_TRUE(person.has_value()) << Describe(person);
  return person.value_or(std::nullopt);
}

std::vector<TrainingRecord> MustRecordsOf(Store& store,
                                          const std::string& person) {
  auto records = store.RecordsOf(person);
  EXPECT_TRUE(records.has_value()) << Describe(records);
  return records.value_or(std::vector<TrainingRecord>{});
}

Workforce MustLoad(Store& store) {
  auto area = store.LoadWorkforce();
  EXPECT_TRUE(area.has_value()) << Describe(area);
  return area.value_or(Workforce{});
}

TrainingRecord Record(std::string id, std::string person, std::string module,
                      const Date& date, TrainingOutcome outcome,
                      RecordSource source, std::string evidence) {
  TrainingRecord r;
  r.id = std::move(id);
  r.person = std::move(person);
  r.module = std::move(module);
  r.module_version = "2009.1";
  r.date = date;
  r.outcome = outcome;
  r.source = source;
  r.evidence = std::move(evidence);
  return r;
}

// A small area built by hand, in the order LoadWorkforce returns an area:
// organisations and people by id, records by person then date. Ann (P1) is
// managed by Bob (P2), who comes after her; one of her records corrects
// another; Cat (P3) has no records.
Workforce SmallArea() {
  Workforce area;

  Organisation a;
  a.id = "ORG-A";
  a.name = "Newcastle City Council";
  a.sector = "social-family-community-support";
  a.type = "Local authority";
  a.case_management_system = "Care First";
  a.locality = "City";
  a.isp_signed = Day(2009, 4, 1);
  a.readiness = {Readiness{
      "contactpoint-accreditation",
      {ReadinessCondition{1, "A named ContactPoint lead", true,
                          "letter of 3 May", Day(2009, 5, 3)},
       ReadinessCondition{2, "Users have enhanced CRB checks", false, "",
                          std::nullopt},
       ReadinessCondition{3, "", true, "audit report", std::nullopt}}}};
  area.organisations.push_back(a);

  Organisation b;
  b.id = "ORG-B";
  b.name = "Newcastle PCT";
  b.sector = "health";
  b.type = "NHS trust";
  b.case_management_system = "Web browser";
  b.locality = "West";
  b.isp_signed = std::nullopt;
  b.readiness = {
      Readiness{"contactpoint-accreditation",
                {ReadinessCondition{1, "A named ContactPoint lead", false, "",
                                    std::nullopt},
                 ReadinessCondition{2, "Users have enhanced CRB checks", true,
                                    "HR listing", Day(2009, 6, 1)},
                 ReadinessCondition{3, "Security policy", true, "policy v2",
                                    Day(2009, 7, 15)}}}};
  area.organisations.push_back(b);

  Person ann;
  ann.id = "P1";
  ann.name = "Ann Smith";
  ann.email = "ann@a.example.org";
  ann.organisation = "ORG-A";
  ann.role = "contactpoint-user";
  ann.audiences = {"practitioners", "admin-staff"};  // not in name order
  ann.manager = "P2";
  ann.locality = "City";
  ann.start_date = Day(2008, 9, 1);
  ann.checks = {CheckRecord{"enhanced-crb", Day(2009, 6, 30), "issue date"},
                CheckRecord{"identity", Day(2009, 10, 14),
                            "photo ID, utility bill, nomination form"}};
  ann.experience = {
      Experience{"information-sharing", "very experienced", 5, "P2"},
      Experience{"caf", "some", std::nullopt, "P2"}};
  area.people.push_back(ann);

  Person bob;
  bob.id = "P2";
  bob.name = "Bob Jones";
  bob.email = "bob@a.example.org";
  bob.organisation = "ORG-A";
  bob.audiences = {"operational-managers"};
  bob.locality = "City";
  area.people.push_back(bob);

  Person cat;
  cat.id = "P3";
  cat.name = "Cat Lee";
  cat.email = "cat@b.example.org";
  cat.organisation = "ORG-B";
  cat.manager = "P2";
  cat.locality = "West";
  cat.start_date = Day(2009, 1, 5);
  cat.checks = {CheckRecord{"it-competence", Day(2010, 1, 4),
                            std::string(kUndatedCheckDetail)}};
  area.people.push_back(cat);

  TrainingRecord r1 =
      Record("R1", "P1", "CP-USER", Day(2009, 11, 12),
             TrainingOutcome::kCompleted, RecordSource::kSession, "register");
  r1.recorded_by = "trainer@a.example.org";
  area.records.push_back(r1);
  TrainingRecord r2 =
      Record("R1#2", "P1", "CP-USER", Day(2009, 11, 19),
             TrainingOutcome::kCompleted, RecordSource::kSession, "register");
  r2.supersedes = "R1";
  r2.reason = "the session was a week later";
  r2.recorded_by = "admin@a.example.org";
  area.records.push_back(r2);
  TrainingRecord r3 =
      Record("R3", "P2", "IS-ONLINE", Day(2010, 1, 5), TrainingOutcome::kPassed,
             RecordSource::kELearning, "certificate 77");
  r3.recorded_by = "import";
  area.records.push_back(r3);
  TrainingRecord r4 =
      Record("R4", "P2", "CAF-1DAY", Day(2010, 2, 1),
             TrainingOutcome::kPartlyAttended, RecordSource::kExternal, "");
  r4.recorded_by = "cli:ann";
  area.records.push_back(r4);
  TrainingRecord r5 = Record("R5", "P2", "SG-COURSE", Day(2010, 2, 10),
                             TrainingOutcome::kFailed,
                             RecordSource::kSingleAgency, "assessor's note");
  r5.recorded_by = "cli:ann";
  area.records.push_back(r5);
  return area;
}

void ExpectSameOrganisation(const Organisation& want, const Organisation& got) {
  SCOPED_TRACE("organisation " + want.id);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.sector, want.sector);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.case_management_system, want.case_management_system);
  EXPECT_EQ(got.locality, want.locality);
  EXPECT_EQ(Iso(got.isp_signed), Iso(want.isp_signed));
  ASSERT_EQ(got.readiness.size(), want.readiness.size());
  for (size_t i = 0; i < want.readiness.size(); ++i) {
    const Readiness& w = want.readiness[i];
    const Readiness& g = got.readiness[i];
    EXPECT_EQ(g.checklist, w.checklist);
    ASSERT_EQ(g.conditions.size(), w.conditions.size()) << w.checklist;
    for (size_t j = 0; j < w.conditions.size(); ++j) {
      SCOPED_TRACE(w.checklist + " condition " +
                   std::to_string(w.conditions[j].number));
      EXPECT_EQ(g.conditions[j].number, w.conditions[j].number);
      EXPECT_EQ(g.conditions[j].text, w.conditions[j].text);
      EXPECT_EQ(g.conditions[j].met, w.conditions[j].met);
      EXPECT_EQ(g.conditions[j].evidence, w.conditions[j].evidence);
      EXPECT_EQ(Iso(g.conditions[j].date), Iso(w.conditions[j].date));
    }
  }
}

void ExpectSamePerson(const Person& want, const Person& got) {
  SCOPED_TRACE("person " + want.id);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.email, want.email);
  EXPECT_EQ(got.organisation, want.organisation);
  EXPECT_EQ(got.role, want.role);
  EXPECT_EQ(got.audiences, want.audiences);
  EXPECT_EQ(got.manager, want.manager);
  EXPECT_EQ(got.locality, want.locality);
  EXPECT_EQ(Iso(got.start_date), Iso(want.start_date));
  ASSERT_EQ(got.checks.size(), want.checks.size());
  for (size_t i = 0; i < want.checks.size(); ++i) {
    EXPECT_EQ(got.checks[i].check, want.checks[i].check);
    EXPECT_EQ(FormatIsoDate(got.checks[i].date),
              FormatIsoDate(want.checks[i].date));
    EXPECT_EQ(got.checks[i].detail, want.checks[i].detail);
  }
  ASSERT_EQ(got.experience.size(), want.experience.size());
  for (size_t i = 0; i < want.experience.size(); ++i) {
    EXPECT_EQ(got.experience[i].area, want.experience[i].area);
    EXPECT_EQ(got.experience[i].level, want.experience[i].level);
    EXPECT_EQ(got.experience[i].years, want.experience[i].years);
    EXPECT_EQ(got.experience[i].attested_by, want.experience[i].attested_by);
  }
}

void ExpectSameRecord(const TrainingRecord& want, const TrainingRecord& got) {
  SCOPED_TRACE("record " + want.id);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.person, want.person);
  EXPECT_EQ(got.module, want.module);
  EXPECT_EQ(got.module_version, want.module_version);
  EXPECT_EQ(FormatIsoDate(got.date), FormatIsoDate(want.date));
  EXPECT_STREQ(TrainingOutcomeName(got.outcome),
               TrainingOutcomeName(want.outcome));
  EXPECT_STREQ(RecordSourceName(got.source), RecordSourceName(want.source));
  EXPECT_EQ(got.evidence, want.evidence);
  EXPECT_EQ(got.supersedes, want.supersedes);
  EXPECT_EQ(got.recorded_by, want.recorded_by);
  EXPECT_EQ(got.reason, want.reason);
}

void ExpectSameWorkforce(const Workforce& want, const Workforce& got) {
  ASSERT_EQ(got.organisations.size(), want.organisations.size());
  for (size_t i = 0; i < want.organisations.size(); ++i)
    ExpectSameOrganisation(want.organisations[i], got.organisations[i]);
  ASSERT_EQ(got.people.size(), want.people.size());
  for (size_t i = 0; i < want.people.size(); ++i)
    ExpectSamePerson(want.people[i], got.people[i]);
  ASSERT_EQ(got.records.size(), want.records.size());
  for (size_t i = 0; i < want.records.size(); ++i)
    ExpectSameRecord(want.records[i], got.records[i]);
}

// ---------------------------------------------------------------------------
// The suite every backend runs.

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { url_ = GetParam().fresh(dir_.path()); }

  // Opens the test's database, failing the test (and answering nullptr) when
  // it cannot.
  std::unique_ptr<Store> MustOpen(OpenMode mode = OpenMode::kCreate) {
    auto store = OpenStore(url_, mode);
    EXPECT_TRUE(store.has_value()) << Describe(store);
    if (!store) return nullptr;
    return std::move(*store);
  }

  // Opens a new database holding SmallArea().
  std::unique_ptr<Store> MustOpenSmallArea() {
    auto store = MustOpen();
    if (!store) return nullptr;
    auto filled = store->Fill(SmallArea(), kCli);
    EXPECT_TRUE(filled.has_value()) << Describe(filled);
    return store;
  }

  TempDir dir_;
  DatabaseUrl url_;
};

// A SQLite file that is not there is not found; a PostgreSQL database that a
// server administrator created is there but empty, and waits for db init.
// Either way nothing is created.
TEST_P(StoreTest, OpeningAMissingDatabaseFindsNothingAndCreatesNothing) {
  auto store = OpenStore(url_, OpenMode::kExisting);
  ASSERT_FALSE(store.has_value());
  if (url_.kind == DatabaseUrl::Kind::kSqlite) {
    EXPECT_EQ(store.error().code, ErrorCode::kNotFound) << Describe(store);
    EXPECT_FALSE(std::filesystem::exists(url_.target));
  } else {
    EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition)
        << Describe(store);
    EXPECT_THAT(store.error().message, HasSubstr("trellis db init"));
    auto created = OpenStore(url_, OpenMode::kCreate);
    ASSERT_TRUE(created.has_value()) << Describe(created);
    EXPECT_EQ(*(*created)->SchemaVersion(), CurrentSchemaVersion());
  }
}

TEST_P(StoreTest, CreateMakesTheCurrentSchemaAndExistingOpensIt) {
  {
    auto store = MustOpen(OpenMode::kCreate);
    ASSERT_NE(store, nullptr);
    auto version = store->SchemaVersion();
    ASSERT_TRUE(version.has_value()) << Describe(version);
    EXPECT_EQ(*version, CurrentSchemaVersion());
    EXPECT_GE(CurrentSchemaVersion(), 1);
    EXPECT_EQ(Text(MustCount(*store)), Text(RowCounts{}));
  }
  {
    auto store = MustOpen(OpenMode::kExisting);
    ASSERT_NE(store, nullptr);
    auto version = store->SchemaVersion();
    ASSERT_TRUE(version.has_value()) << Describe(version);
    EXPECT_EQ(*version, CurrentSchemaVersion());
  }
}

TEST_P(StoreTest, CreatingTwiceKeepsWhatTheFirstWrote) {
  {
    auto store = MustOpen(OpenMode::kCreate);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->SetSetting("framework", "newcastle-2009", kCli));
  }
  auto store = MustOpen(OpenMode::kCreate);
  ASSERT_NE(store, nullptr);
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version.has_value()) << Describe(version);
  EXPECT_EQ(*version, CurrentSchemaVersion());
  auto framework = store->Setting("framework");
  ASSERT_TRUE(framework.has_value()) << Describe(framework);
  EXPECT_EQ(*framework, "newcastle-2009");
}

TEST_P(StoreTest, SettingsAreUnsetThenSetThenOverwritten) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  auto unset = store->Setting("framework");
  ASSERT_TRUE(unset.has_value()) << Describe(unset);
  EXPECT_EQ(*unset, std::nullopt);

  auto set = store->SetSetting("framework", "newcastle-2009", kCli);
  ASSERT_TRUE(set.has_value()) << Describe(set);
  auto first = store->Setting("framework");
  ASSERT_TRUE(first.has_value()) << Describe(first);
  EXPECT_EQ(*first, "newcastle-2009");

  set = store->SetSetting("framework", "dcsf-2006", Actor{"cli:other"});
  ASSERT_TRUE(set.has_value()) << Describe(set);
  auto second = store->Setting("framework");
  ASSERT_TRUE(second.has_value()) << Describe(second);
  EXPECT_EQ(*second, "dcsf-2006");
  auto other = store->Setting("another-key");
  ASSERT_TRUE(other.has_value()) << Describe(other);
  EXPECT_EQ(*other, std::nullopt);
}

TEST_P(StoreTest, ImportAddsThenImportingAgainChangesNothing) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(
      Text(MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv)
               .organisations),
      "added 2, changed 0, unchanged 0");
  EXPECT_EQ(Text(MustImport(*store, ImportKind::kPeople, kPeopleCsv).people),
            "added 3, changed 0, unchanged 0");
  EXPECT_EQ(Text(MustImport(*store, ImportKind::kRecords, kRecordsCsv).records),
            "added 2, changed 0, unchanged 0");
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 3 people, 2 records");
  const Workforce first = MustLoad(*store);

  // What the files said is what is kept.
  auto ann = MustFindPerson(*store, "P1");
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->name, "Ann Smith");
  EXPECT_EQ(ann->organisation, "NCC");
  EXPECT_THAT(ann->audiences, ElementsAre("practitioners", "admin-staff"));
  EXPECT_EQ(ann->manager, "P3");  // later in the same file
  EXPECT_EQ(Iso(ann->start_date), "2008-09-01");
  ASSERT_EQ(ann->checks.size(), 3u);  // by check id
  EXPECT_EQ(ann->checks[0].check, "enhanced-crb");
  EXPECT_EQ(FormatIsoDate(ann->checks[0].date), "2009-06-30");
  EXPECT_EQ(ann->checks[1].check, "identity");
  EXPECT_EQ(ann->checks[2].check, "it-competence");
  EXPECT_EQ(FormatIsoDate(ann->checks[2].date), "2010-03-01");
  auto records = MustRecordsOf(*store, "P1");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].id, kAnnsRecord);
  EXPECT_EQ(records[0].evidence, "register of 12 November");

  EXPECT_EQ(
      Text(MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv)
               .organisations),
      "added 0, changed 0, unchanged 2");
  EXPECT_EQ(Text(MustImport(*store, ImportKind::kPeople, kPeopleCsv).people),
            "added 0, changed 0, unchanged 3");
  EXPECT_EQ(Text(MustImport(*store, ImportKind::kRecords, kRecordsCsv).records),
            "added 0, changed 0, unchanged 2");
  ExpectSameWorkforce(first, MustLoad(*store));
}

TEST_P(StoreTest, ImportingAChangedNameChangesThatPersonOnly) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  MustImport(*store, ImportKind::kPeople, kPeopleCsv);

  std::string renamed = kPeopleCsv;
  renamed.replace(renamed.find("Bob Jones"), 9, "Robert Jones");
  EXPECT_EQ(Text(MustImport(*store, ImportKind::kPeople, renamed).people),
            "added 0, changed 1, unchanged 2");
  auto bob = MustFindPerson(*store, "P2");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->name, "Robert Jones");
  EXPECT_THAT(bob->audiences, ElementsAre("practitioners"));
}

TEST_P(StoreTest, PersonOfAnUnknownOrganisationIsAProblemAndNothingIsWritten) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  const ImportBatch batch = Read(
      ImportKind::kPeople,
      kPeopleHeader +
          "P1,Ann Smith,ann@ncc.example.org,NCC,,practitioners,,West,,,,\n"
          "P2,Bob Jones,bob@x.example.org,NOPE,,practitioners,,East,,,,\n");
  ASSERT_THAT(batch.problems, IsEmpty()) << Text(batch.problems);

  auto result = store->Import(batch, kCli, /*dry_run=*/false);
  ASSERT_TRUE(result.has_value()) << Describe(result);
  ASSERT_EQ(result->problems.size(), 1u) << Text(result->problems);
  EXPECT_EQ(result->problems[0].line, 3);
  EXPECT_EQ(result->problems[0].field, "org_id");
  EXPECT_EQ(result->problems[0].value, "NOPE");
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 0 people, 0 records");
  EXPECT_EQ(MustFindPerson(*store, "P1"), std::nullopt);  // a good row
}

TEST_P(StoreTest, ManagerLaterInTheSameFileIsFound) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  EXPECT_EQ(
      Text(MustImport(*store, ImportKind::kPeople,
                      kPeopleHeader +
                          "P1,Ann Smith,ann@ncc.example.org,NCC,,,P2,West,,,,\n"
                          "P2,Bob Jones,bob@ncc.example.org,NCC,,,,West,,,,\n")
               .people),
      "added 2, changed 0, unchanged 0");
  auto ann = MustFindPerson(*store, "P1");
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->manager, "P2");
}

TEST_P(StoreTest, UnknownManagerIsAProblemAndNothingIsWritten) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  const ImportBatch batch =
      Read(ImportKind::kPeople,
           kPeopleHeader +
               "P1,Ann Smith,ann@ncc.example.org,NCC,,,,West,,,,\n"
               "P2,Bob Jones,bob@ncc.example.org,NCC,,,P404,West,,,,\n");
  ASSERT_THAT(batch.problems, IsEmpty()) << Text(batch.problems);

  auto result = store->Import(batch, kCli, /*dry_run=*/false);
  ASSERT_TRUE(result.has_value()) << Describe(result);
  ASSERT_EQ(result->problems.size(), 1u) << Text(result->problems);
  EXPECT_EQ(result->problems[0].line, 3);
  EXPECT_EQ(result->problems[0].field, "manager_id");
  EXPECT_EQ(result->problems[0].value, "P404");
  EXPECT_EQ(MustCount(*store).people, 0);
}

TEST_P(StoreTest, RecordOfAnUnknownPersonIsAProblemAndNothingIsWritten) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  MustImport(*store, ImportKind::kPeople, kPeopleCsv);
  const ImportBatch batch =
      Read(ImportKind::kRecords,
           kRecordsHeader +
               "P1,CP-USER,12/11/2009,completed,session,register\n"
               "P404,CP-USER,12/11/2009,completed,session,register\n");
  ASSERT_THAT(batch.problems, IsEmpty()) << Text(batch.problems);

  auto result = store->Import(batch, kCli, /*dry_run=*/false);
  ASSERT_TRUE(result.has_value()) << Describe(result);
  ASSERT_EQ(result->problems.size(), 1u) << Text(result->problems);
  EXPECT_EQ(result->problems[0].line, 3);
  EXPECT_EQ(result->problems[0].field, "person_id");
  EXPECT_EQ(result->problems[0].value, "P404");
  EXPECT_EQ(MustCount(*store).records, 0);
  EXPECT_THAT(MustRecordsOf(*store, "P1"), IsEmpty());
}

TEST_P(StoreTest, DryRunCountsButWritesNothing) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  const ImportBatch organisations =
      Read(ImportKind::kOrganisations, kOrganisationsCsv);
  auto dry = store->Import(organisations, kCli, /*dry_run=*/true);
  ASSERT_TRUE(dry.has_value()) << Describe(dry);
  EXPECT_THAT(dry->problems, IsEmpty()) << Text(dry->problems);
  EXPECT_EQ(Text(dry->organisations), "added 2, changed 0, unchanged 0");
  EXPECT_EQ(Text(MustCount(*store)), Text(RowCounts{}));

  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  dry = store->Import(Read(ImportKind::kPeople, kPeopleCsv), kCli,
                      /*dry_run=*/true);
  ASSERT_TRUE(dry.has_value()) << Describe(dry);
  EXPECT_EQ(Text(dry->people), "added 3, changed 0, unchanged 0");
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 0 people, 0 records");
}

TEST_P(StoreTest, BatchWithProblemsOfItsOwnIsRefused) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  const ImportBatch batch =
      Read(ImportKind::kPeople,
           kPeopleHeader + "P1,Ann Smith,not-an-email,NCC,,,,West,,,,\n");
  ASSERT_THAT(batch.problems, Not(IsEmpty()));

  auto result = store->Import(batch, kCli, /*dry_run=*/false);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument)
      << Describe(result);
  EXPECT_EQ(MustCount(*store).people, 0);
}

TEST_P(StoreTest, RecordImportedAgainWithOtherEvidenceIsAProblem) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  MustImport(*store, ImportKind::kPeople, kPeopleCsv);
  MustImport(*store, ImportKind::kRecords, kRecordsCsv);
  const ImportBatch batch = Read(
      ImportKind::kRecords,
      kRecordsHeader +
          "P3,CP-USER,01/02/2010,completed,session,register\n"
          "P1,CP-USER,12/11/2009,completed,session,a different register\n");
  ASSERT_THAT(batch.problems, IsEmpty()) << Text(batch.problems);

  auto result = store->Import(batch, kCli, /*dry_run=*/false);
  ASSERT_TRUE(result.has_value()) << Describe(result);
  ASSERT_EQ(result->problems.size(), 1u) << Text(result->problems);
  EXPECT_EQ(result->problems[0].line, 3);
  EXPECT_EQ(result->problems[0].value, kAnnsRecord);
  EXPECT_THAT(result->problems[0].reason, HasSubstr("trellis record correct"));
  EXPECT_EQ(MustCount(*store).records, 2);
  EXPECT_THAT(MustRecordsOf(*store, "P3"), IsEmpty());  // the good row
  auto records = MustRecordsOf(*store, "P1");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].evidence, "register of 12 November");
}

TEST_P(StoreTest, CheckStatedWithoutADateKeepsTheDayItWasFirstImported) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
  const Date first_day = Day(2010, 3, 1);
  const Date later_day = Day(2010, 6, 1);
  MustImport(*store, ImportKind::kPeople, kPeopleCsv, first_day);

  EXPECT_EQ(Text(MustImport(*store, ImportKind::kPeople, kPeopleCsv, later_day)
                     .people),
            "added 0, changed 0, unchanged 3");
  auto ann = MustFindPerson(*store, "P1");
  ASSERT_TRUE(ann.has_value());
  ASSERT_EQ(ann->checks.size(), 3u);
  EXPECT_EQ(ann->checks[2].check, "it-competence");
  EXPECT_EQ(FormatIsoDate(ann->checks[2].date), "2010-03-01");
}

TEST_P(StoreTest, ImportSurvivesReopening) {
  Workforce written;
  {
    auto store = MustOpen();
    ASSERT_NE(store, nullptr);
    MustImport(*store, ImportKind::kOrganisations, kOrganisationsCsv);
    MustImport(*store, ImportKind::kPeople, kPeopleCsv);
    MustImport(*store, ImportKind::kRecords, kRecordsCsv);
    written = MustLoad(*store);
  }
  auto store = MustOpen(OpenMode::kExisting);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 3 people, 2 records");
  ExpectSameWorkforce(written, MustLoad(*store));
}

TEST_P(StoreTest, FillWritesAnAreaThatLoadsBackExactly) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  const Workforce area = SmallArea();
  auto filled = store->Fill(area, kCli);
  ASSERT_TRUE(filled.has_value()) << Describe(filled);
  EXPECT_EQ(Text(*filled), "2 organisations, 3 people, 5 records");
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 3 people, 5 records");
  ExpectSameWorkforce(area, MustLoad(*store));

  // The single reads agree with the whole.
  auto org = store->FindOrganisation("ORG-A");
  ASSERT_TRUE(org.has_value()) << Describe(org);
  ASSERT_TRUE(org->has_value());
  ExpectSameOrganisation(area.organisations[0], **org);
  auto ann = MustFindPerson(*store, "P1");
  ASSERT_TRUE(ann.has_value());
  ExpectSamePerson(area.people[0], *ann);
  auto nobody = store->FindOrganisation("ORG-Z");
  ASSERT_TRUE(nobody.has_value()) << Describe(nobody);
  EXPECT_EQ(*nobody, std::nullopt);
  EXPECT_EQ(MustFindPerson(*store, "P9"), std::nullopt);
}

TEST_P(StoreTest, FillRefusesADatabaseThatHoldsPeople) {
  auto store = MustOpenSmallArea();
  ASSERT_NE(store, nullptr);
  auto again = store->Fill(SmallArea(), kCli);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition)
      << Describe(again);
  EXPECT_EQ(Text(MustCount(*store)), "2 organisations, 3 people, 5 records");
}

TEST_P(StoreTest, FillWithADanglingReferenceWritesNothing) {
  // The database's foreign keys are in force: nothing else stops a person of
  // an organisation that is not there.
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  Workforce area = SmallArea();
  area.people[2].organisation = "ORG-Z";
  auto filled = store->Fill(area, kCli);
  EXPECT_FALSE(filled.has_value());
  EXPECT_EQ(Text(MustCount(*store)), Text(RowCounts{}));

  // A manager is checked when the transaction commits.
  area = SmallArea();
  area.people[2].manager = "P9";
  filled = store->Fill(area, kCli);
  EXPECT_FALSE(filled.has_value());
  EXPECT_EQ(Text(MustCount(*store)), Text(RowCounts{}));
}

TEST_P(StoreTest, FillTakesACorrectionListedBeforeTheRecordItCorrects) {
  // LoadWorkforce lists records by date, so a correction that moves a record
  // to an earlier day comes before it; Fill must take back what it gave.
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  Workforce area = SmallArea();
  area.records[1].date = Day(2009, 11, 5);
  std::swap(area.records[0], area.records[1]);
  auto filled = store->Fill(area, kCli);
  ASSERT_TRUE(filled.has_value()) << Describe(filled);
  ExpectSameWorkforce(area, MustLoad(*store));
}

TEST_P(StoreTest, SetReadinessReplacesTheConditionsOfThatChecklist) {
  auto store = MustOpenSmallArea();
  ASSERT_NE(store, nullptr);
  const Readiness now_met{
      "contactpoint-accreditation",
      {ReadinessCondition{1, "A named ContactPoint lead", true, "letter",
                          Day(2010, 1, 10)},
       ReadinessCondition{2, "Users have enhanced CRB checks", true,
                          "HR listing", Day(2010, 1, 11)}}};
  auto set = store->SetReadiness("ORG-B", now_met, kCli);
  ASSERT_TRUE(set.has_value()) << Describe(set);

  auto org = store->FindOrganisation("ORG-B");
  ASSERT_TRUE(org.has_value()) << Describe(org);
  ASSERT_TRUE(org->has_value());
  Organisation want = SmallArea().organisations[1];
  want.readiness = {now_met};
  ExpectSameOrganisation(want, **org);
  // The other organisation's standing is its own.
  ExpectSameOrganisation(SmallArea().organisations[0],
                         MustLoad(*store).organisations[0]);

  auto unknown = store->SetReadiness("ORG-Z", now_met, kCli);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound) << Describe(unknown);
}

TEST_P(StoreTest, SupersedeRecordKeepsTheOldAndChainsCorrections) {
  auto store = MustOpenSmallArea();
  ASSERT_NE(store, nullptr);
  const Actor trainer{"cli:trainer"};
  const Actor admin{"cli:admin"};
  ASSERT_TRUE(store->AddRecord(
      Record("OLD", "P3", "CP-USER", Day(2010, 1, 12),
             TrainingOutcome::kCompleted, RecordSource::kSession, "register"),
      trainer));

  TrainingRecord fixed =
      Record("", "", "CP-USER", Day(2010, 1, 19), TrainingOutcome::kCompleted,
             RecordSource::kSession, "register");
  auto second = store->SupersedeRecord("OLD", fixed, "wrong date", admin);
  ASSERT_TRUE(second.has_value()) << Describe(second);
  EXPECT_EQ(second->id, "OLD#2");
  EXPECT_EQ(second->person, "P3");
  EXPECT_EQ(second->supersedes, "OLD");
  EXPECT_EQ(second->reason, "wrong date");
  EXPECT_EQ(second->recorded_by, "cli:admin");

  auto records = MustRecordsOf(*store, "P3");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "OLD");
  EXPECT_EQ(records[0].recorded_by, "cli:trainer");
  ExpectSameRecord(*second, records[1]);
  auto current = CurrentRecords(records);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0]->id, "OLD#2");

  auto twice = store->SupersedeRecord("OLD", fixed, "again", admin);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition)
      << Describe(twice);

  fixed.evidence = "register, signed";
  auto third = store->SupersedeRecord("OLD#2", fixed, "unsigned", admin);
  ASSERT_TRUE(third.has_value()) << Describe(third);
  EXPECT_EQ(third->id, "OLD#3");
  EXPECT_EQ(third->supersedes, "OLD#2");

  auto no_reason = store->SupersedeRecord("OLD#3", fixed, "", admin);
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().code, ErrorCode::kInvalidArgument)
      << Describe(no_reason);
  auto unknown = store->SupersedeRecord("NOPE", fixed, "why", admin);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound) << Describe(unknown);
  TrainingRecord someone_else = fixed;
  someone_else.person = "P1";
  auto other = store->SupersedeRecord("OLD#3", someone_else, "why", admin);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument) << Describe(other);

  records = MustRecordsOf(*store, "P3");
  ASSERT_EQ(records.size(), 3u);
  current = CurrentRecords(records);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0]->id, "OLD#3");
  EXPECT_EQ(current[0]->evidence, "register, signed");
}

TEST_P(StoreTest, AddRecordNeedsAKnownPersonAndANewId) {
  auto store = MustOpenSmallArea();
  ASSERT_NE(store, nullptr);
  const TrainingRecord record =
      Record("E1", "P3", "IS-ONLINE", Day(2010, 2, 2), TrainingOutcome::kPassed,
             RecordSource::kELearning, "certificate 91");
  auto added = store->AddRecord(record, kCli);
  ASSERT_TRUE(added.has_value()) << Describe(added);
  auto records = MustRecordsOf(*store, "P3");
  ASSERT_EQ(records.size(), 1u);
  TrainingRecord want = record;
  want.recorded_by = kCli.id;  // the actor, when the record names nobody
  ExpectSameRecord(want, records[0]);

  auto again = store->AddRecord(record, kCli);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << Describe(again);

  TrainingRecord stranger = record;
  stranger.id = "E2";
  stranger.person = "P404";
  auto unknown = store->AddRecord(stranger, kCli);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound) << Describe(unknown);
  EXPECT_EQ(MustCount(*store).records, 6);
}

// A writer that cannot get its turn in time is told to try again, and its
// connection is fit to try: nothing of the failed attempt is left open.
TEST_P(StoreTest, AWriterKeptWaitingGivesUpCleanlyAndCanWriteLater) {
  auto store = MustOpenSmallArea();
  ASSERT_NE(store, nullptr);
  // Another program holds the writers' turn.
  sqlite3* lite = nullptr;
  PGconn* pg = nullptr;
  if (url_.kind == DatabaseUrl::Kind::kSqlite) {
    ASSERT_EQ(sqlite3_open(url_.target.c_str(), &lite), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(lite, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
              SQLITE_OK);
  } else {
    pg = PQconnectdb(url_.target.c_str());
    ASSERT_EQ(PQstatus(pg), CONNECTION_OK) << PQerrorMessage(pg);
    PQclear(PQexec(pg, "SELECT pg_advisory_lock(7277345001)"));
  }
  const auto record =
      Record("late", "P1", "IS-ONLINE", Day(2010, 2, 1),
             TrainingOutcome::kPassed, RecordSource::kELearning, "certificate");
  auto refused = store->AddRecord(record, kCli);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << Describe(refused);

  if (lite != nullptr) {
    sqlite3_exec(lite, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(lite);
  }
  if (pg != nullptr) PQfinish(pg);  // its locks go with it
  auto added = store->AddRecord(record, kCli);
  EXPECT_TRUE(added.has_value()) << Describe(added);
  EXPECT_EQ(MustRecordsOf(*store, "P1").size(), 3u);
}

TEST_P(StoreTest, TwoWritersInTwoThreadsBothSucceed) {
  ASSERT_NE(MustOpenSmallArea(), nullptr);
  auto first = MustOpen(OpenMode::kExisting);
  auto second = MustOpen(OpenMode::kExisting);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);

  constexpr int kEach = 50;
  auto write = [](Store& store, const std::string& prefix,
                  const std::string& person, std::vector<std::string>& errors) {
    for (int i = 0; i < kEach; ++i) {
      auto added = store.AddRecord(
          Record(prefix + std::to_string(i), person, "IS-ONLINE",
                 Day(2010, 2, 1), TrainingOutcome::kPassed,
                 RecordSource::kELearning, "certificate"),
          Actor{"cli:" + prefix});
      if (!added) errors.push_back(Describe(added));
    }
  };
  std::vector<std::string> first_errors;
  std::vector<std::string> second_errors;
  std::thread one(write, std::ref(*first), "A", "P1", std::ref(first_errors));
  std::thread two(write, std::ref(*second), "B", "P3", std::ref(second_errors));
  one.join();
  two.join();

  EXPECT_THAT(first_errors, IsEmpty());
  EXPECT_THAT(second_errors, IsEmpty());
  EXPECT_EQ(MustCount(*first).records, 5 + 2 * kEach);
  EXPECT_EQ(MustRecordsOf(*first, "P3").size(), size_t{kEach});
  EXPECT_EQ(MustRecordsOf(*second, "P1").size(), size_t{kEach + 2});
}

TEST_P(StoreTest, ProgramsCreatingTheSameDatabaseAtOnceAllSucceed) {
  // `trellis db init` run twice at once, or two servers starting together.
  constexpr int kPrograms = 4;
  std::vector<std::string> errors(kPrograms);
  std::vector<std::thread> programs;
  for (int i = 0; i < kPrograms; ++i) {
    programs.emplace_back([this, &errors, i] {
      auto store = OpenStore(url_, OpenMode::kCreate);
      if (!store) {
        errors[i] = Describe(store);
        return;
      }
      auto version = (*store)->SchemaVersion();
      if (!version || *version != CurrentSchemaVersion())
        errors[i] = "schema version " + std::to_string(version.value_or(-1));
    });
  }
  for (auto& program : programs) program.join();
  EXPECT_THAT(errors, ::testing::Each(""));
}

// No prefix, so the names read StoreTest.Name/SQLite (or /PostgreSQL) and
// --gtest_filter=Store* selects them.
INSTANTIATE_TEST_SUITE_P(, StoreTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param.name;
                         });

// ---------------------------------------------------------------------------
// SQLite only: what another program (the sqlite3 C API) sees of the file.

// Runs `sql` on the SQLite file at `path` and answers the first column of the
// last row it returns, as another program would see it.
std::string RunSqlite(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return "";
  }
  std::string answer;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        if (columns > 0 && values[0] != nullptr)
          *static_cast<std::string*>(out) = values[0];
        return 0;
      },
      &answer, &error);
  if (rc != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (error ? error : "error");
  }
  sqlite3_free(error);
  sqlite3_close(db);
  return answer;
}

class StoreSqliteTest : public ::testing::Test {
 protected:
  std::string Path() const { return (dir_.path() / "trellis.db").string(); }
  DatabaseUrl Url() const {
    return DatabaseUrl{DatabaseUrl::Kind::kSqlite, Path()};
  }

  TempDir dir_;
};

TEST_F(StoreSqliteTest, DatabaseOfANewerTrellisIsRefused) {
  ASSERT_TRUE(OpenStore(Url(), OpenMode::kCreate).has_value());
  RunSqlite(Path(),
            "INSERT INTO schema_migrations VALUES (999, 'future', 'x')");
  for (OpenMode mode : {OpenMode::kExisting, OpenMode::kCreate}) {
    auto store = OpenStore(Url(), mode);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition)
        << Describe(store);
    EXPECT_THAT(store.error().message, HasSubstr("newer"));
  }
}

TEST_F(StoreSqliteTest, DatabaseWithoutTheSchemaIsRefusedUntilInit) {
  RunSqlite(Path(), "CREATE TABLE their_own (x INTEGER)");
  auto store = OpenStore(Url(), OpenMode::kExisting);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition)
      << Describe(store);
  EXPECT_THAT(store.error().message, HasSubstr("trellis db init"));
  EXPECT_EQ(RunSqlite(Path(),
                      "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                      "'schema_migrations'"),
            "0");

  store = OpenStore(Url(), OpenMode::kCreate);
  ASSERT_TRUE(store.has_value()) << Describe(store);
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version.has_value()) << Describe(version);
  EXPECT_EQ(*version, CurrentSchemaVersion());
}

// A process killed in the middle of a write loses nothing it had committed,
// and what it had not committed never appears.
TEST_F(StoreSqliteTest, AKillMidWriteLosesNothingCommitted) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto store = OpenStore(Url(), OpenMode::kCreate);
    if (!store) _exit(2);
    MustImport(**store, ImportKind::kOrganisations, kOrganisationsCsv);
    // A second writer's transaction, begun and never committed.
    sqlite3* db = nullptr;
    sqlite3_open(Path().c_str(), &db);
    sqlite3_exec(db,
                 "BEGIN IMMEDIATE; INSERT INTO settings VALUES ('x', 'y', "
                 "'2026-01-01T00:00:00Z', 'test');",
                 nullptr, nullptr, nullptr);
    raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child should have been killed";

  auto store = OpenStore(Url(), OpenMode::kExisting);
  ASSERT_TRUE(store.has_value()) << Describe(store);
  EXPECT_EQ(Text(MustCount(**store)), "2 organisations, 0 people, 0 records");
  auto x = (*store)->Setting("x");
  ASSERT_TRUE(x.has_value()) << Describe(x);
  EXPECT_EQ(*x, std::nullopt);
  // The dead writer's lock went with it.
  EXPECT_TRUE((*store)->SetSetting("x", "z", kCli).has_value());
}

TEST_F(StoreSqliteTest, EmptyFileIsRefusedUntilInit) {
  std::fclose(std::fopen(Path().c_str(), "w"));
  ASSERT_TRUE(std::filesystem::exists(Path()));
  auto store = OpenStore(Url(), OpenMode::kExisting);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition)
      << Describe(store);
  EXPECT_THAT(store.error().message, HasSubstr("trellis db init"));
}

TEST_F(StoreSqliteTest, FileIsInWalMode) {
  auto store = OpenStore(Url(), OpenMode::kCreate);
  ASSERT_TRUE(store.has_value()) << Describe(store);
  ASSERT_TRUE((*store)->SetSetting("framework", "newcastle-2009", kCli));
  EXPECT_TRUE(std::filesystem::exists(Path() + "-wal"));
  EXPECT_EQ(RunSqlite(Path(), "PRAGMA journal_mode"), "wal");
}

TEST_F(StoreSqliteTest, PathWithAQuoteIsRefused) {
  auto store = OpenStore(DatabaseUrl{DatabaseUrl::Kind::kSqlite,
                                     (dir_.path() / "o'neil.db").string()},
                         OpenMode::kCreate);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument) << Describe(store);
}

TEST_F(StoreSqliteTest, PathWithASpaceIsOpened) {
  const DatabaseUrl url{DatabaseUrl::Kind::kSqlite,
                        (dir_.path() / "my area.db").string()};
  {
    auto store = OpenStore(url, OpenMode::kCreate);
    ASSERT_TRUE(store.has_value()) << Describe(store);
  }
  EXPECT_TRUE(std::filesystem::exists(url.target));
  auto store = OpenStore(url, OpenMode::kExisting);
  EXPECT_TRUE(store.has_value()) << Describe(store);
}

TEST_F(StoreSqliteTest, FolderThatIsNotThereIsUnavailable) {
  auto store = OpenStore(
      DatabaseUrl{DatabaseUrl::Kind::kSqlite,
                  (dir_.path() / "no-such-folder" / "trellis.db").string()},
      OpenMode::kCreate);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << Describe(store);
}

// ---------------------------------------------------------------------------
// Without a database.

struct UrlCase {
  std::string url;
  bool ok;
  DatabaseUrl::Kind kind;
  std::string target;
};

TEST(StoreParseDatabaseUrl, ReadsSqliteAndPostgresqlAndRefusesTheRest) {
  using Kind = DatabaseUrl::Kind;
  const std::vector<UrlCase> cases = {
      {"sqlite:trellis.db", true, Kind::kSqlite, "trellis.db"},
      {"sqlite:/abs/x.db", true, Kind::kSqlite, "/abs/x.db"},
      {"sqlite:///abs/x.db", true, Kind::kSqlite, "/abs/x.db"},
      {"postgresql://h/db", true, Kind::kPostgresql, "postgresql://h/db"},
      {"postgres://h/db", true, Kind::kPostgresql, "postgres://h/db"},
      {"sqlite:", false, Kind::kSqlite, ""},
      {"mysql://x", false, Kind::kSqlite, ""},
      {"", false, Kind::kSqlite, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("'" + c.url + "'");
    auto url = ParseDatabaseUrl(c.url);
    ASSERT_EQ(url.has_value(), c.ok) << Describe(url);
    if (c.ok) {
      EXPECT_EQ(url->kind, c.kind);
      EXPECT_EQ(url->target, c.target);
    } else {
      EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
      EXPECT_THAT(url.error().message, HasSubstr("'" + c.url + "'"));
    }
  }
}

std::string Trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

TEST(StoreRedactedUrl, HidesAPasswordAndNothingElse) {
  EXPECT_EQ(RedactedUrl("postgresql://ann:s3cr@t@db.example.org:5432/area"),
            "postgresql://ann:***@db.example.org:5432/area");
  EXPECT_EQ(RedactedUrl("postgresql://ann@db/area"),
            "postgresql://ann@db/area");
  EXPECT_EQ(RedactedUrl("postgresql://trellis@/area?host=/tmp/x"),
            "postgresql://trellis@/area?host=/tmp/x");
  EXPECT_EQ(RedactedUrl("sqlite:trellis.db"), "sqlite:trellis.db");
  EXPECT_EQ(RedactedUrl("postgresql://db:5432/area"),
            "postgresql://db:5432/area");
  EXPECT_EQ(RedactedUrl("postgresql://u@h/db?password=s3cret&sslmode=require"),
            "postgresql://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(RedactedUrl("postgresql:///db?host=/tmp&password=x"),
            "postgresql:///db?host=/tmp&password=***");
}

TEST(StoreSplitStatements, SplitsAtASemicolonEndingALine) {
  const std::string sql =
      "-- 0009: a migration\n"
      "\n"
      "CREATE TABLE a (\n"
      "  -- why x is here\n"
      "  x INTEGER,\n"
      "  y TEXT\n"
      ");\n"
      "CREATE INDEX a_by_x ON a (x);  \r\n"
      "INSERT INTO a VALUES (1,\n"
      "  'one');\n"
      "INSERT INTO a VALUES (2, 'x; y')";
  std::vector<std::string> statements;
  for (const auto& s : store_internal::SplitStatements(sql))
    statements.push_back(Trimmed(s));
  EXPECT_THAT(statements,
              ElementsAre("CREATE TABLE a (\n  x INTEGER,\n  y TEXT\n)",
                          "CREATE INDEX a_by_x ON a (x)",
                          "INSERT INTO a VALUES (1,\n  'one')",
                          "INSERT INTO a VALUES (2, 'x; y')"));
  EXPECT_THAT(store_internal::SplitStatements("-- only a comment\n\n"),
              IsEmpty());
}

TEST(StoreMigrations, NumberedFromOneWithoutGaps) {
  const auto& migrations = store_internal::Migrations();
  ASSERT_THAT(migrations, Not(IsEmpty()));
  for (size_t i = 0; i < migrations.size(); ++i) {
    const auto& m = migrations[i];
    SCOPED_TRACE(m.name);
    EXPECT_EQ(m.version, static_cast<int>(i) + 1);
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%04d", m.version);
    EXPECT_TRUE(m.name.starts_with(prefix)) << prefix;
    EXPECT_THAT(store_internal::SplitStatements(m.sql), Not(IsEmpty()));
  }
  EXPECT_EQ(CurrentSchemaVersion(), migrations.back().version);
}

}  // namespace
}  // namespace trellis
