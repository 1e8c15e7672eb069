// Functional tests of the commands that hold an area's data: db, import,
// needs, eligible, records, record correct and demo, each against a real
// SQLite database in a fresh folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using trellis::testing::Lines;
using trellis::testing::Outcome;
using trellis::testing::Trellis;

// A database in a folder of its own, removed afterwards.
class DataCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trellis-data-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "area.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // trellis --db <this test's database> ARGS, as the actor cli:tester.
  Outcome Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return Trellis(args, {"TRELLIS_ACTOR=cli:tester"});
  }

  // Writes `bytes` to a file in the folder and returns its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  void Init() {
    Outcome init = Run({"db", "init", "--framework", "newcastle-2009"});
    ASSERT_EQ(init.status, 0) << init.err;
  }

  // The organisations, people and records of a small area, written as a
  // spreadsheet exports them: a byte-order mark, CRLF, quoted commas, doubled
  // quotes and a line break inside a field, spaces around fields, and both
  // date forms.
  void ImportSmallArea() {
    Init();
    const std::string orgs = Write(
        "orgs.csv",
        "\xEF\xBB\xBForg_id,name,sector,type,case_management_system,locality,"
        "isp_signed_date\r\n"
        " NCC , \"Newcastle City Council, Children's Services\" ,"
        "social-family-community-support,Local authority,CareFirst,Newcastle,"
        "01/04/2009\r\n"
        "NUTH,\"Newcastle \"\"Acute\"\" Trust\",health,NHS "
        "trust,,\"Newcastle\r\n"
        "upon Tyne\",2009-05-12\r\n");
    const std::string people = Write(
        "people.csv",
        "person_id,name,email,org_id,role,audiences,manager_id,locality,"
        "start_date,id_check_date,dbs_date,it_competent\n"
        "P1,Ann Example,ann@ncc.example.org,NCC,contactpoint-user,"
        "practitioners,P2,Newcastle,01/09/2005,12/01/2009,03/02/2009,yes\n"
        "P2,Bob Example,bob@ncc.example.org,NCC,,"
        "operational-managers;practitioners,,Newcastle,2001-01-01,,,no\n"
        "P3,Cath Example,cath@nuth.example.org,NUTH,,practitioners,,"
        "Newcastle,2003-03-03,,,\n");
    const std::string records = Write(
        "records.csv",
        "person_id,module,date,outcome,source,evidence\n"
        "P1,IS-PRACTICE,10/02/2009,completed,session,\"register 12, room 3\"\n"
        "P1,CP-USER,2009-03-01,passed,session,\n"
        "P3,IS-PRACTICE,2009-02-11,partly attended,session,\n");
    for (const auto& [kind, file] :
         {std::pair{"organisations", orgs}, std::pair{"people", people},
          std::pair{"records", records}}) {
      Outcome run = Run({"import", kind, file});
      ASSERT_EQ(run.status, 0) << kind << ": " << run.out << run.err;
    }
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(DataCliTest, DbInitCreatesTheSchemaAndStatusReportsIt) {
  Outcome before = Run({"db", "status"});
  EXPECT_EQ(before.status, 2);
  EXPECT_THAT(before.err, HasSubstr("no database at"));
  EXPECT_THAT(before.err, HasSubstr("trellis db init"));
  EXPECT_FALSE(fs::exists(dir_ / "area.db")) << "status must not create it";

  Init();
  Outcome status = Run({"db", "status"});
  ASSERT_EQ(status.status, 0) << status.err;
  // The latest migration shipped is the version a new database is at.
  int latest = 0;
  for (const auto& file : fs::directory_iterator(
           fs::path(TRELLIS_SOURCE_DIR) / "src" / "store" / "migrations")) {
    latest = std::max(latest, std::stoi(file.path().filename().string()));
  }
  EXPECT_THAT(status.out,
              HasSubstr("schema version: " + std::to_string(latest)));
  EXPECT_THAT(status.out, HasSubstr("framework:      newcastle-2009"));
  EXPECT_THAT(status.out, HasSubstr("people:         0"));

  // A second init is harmless.
  Outcome again = Run({"db", "init"});
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(Run({"db", "status"}).out,
              HasSubstr("framework:      newcastle-2009"));
}

TEST_F(DataCliTest, ImportReadsSpreadsheetCsvAndTheSecondImportChangesNothing) {
  ImportSmallArea();
  Outcome status = Run({"db", "status"});
  EXPECT_THAT(status.out, HasSubstr("organisations:  2"));
  EXPECT_THAT(status.out, HasSubstr("people:         3"));
  EXPECT_THAT(status.out, HasSubstr("records:        3"));

  for (const char* kind : {"organisations", "people", "records"}) {
    SCOPED_TRACE(kind);
    const std::string file =
        (dir_ /
         (std::string(kind == std::string("organisations") ? "orgs" : kind) +
          ".csv"))
            .string();
    Outcome again = Run({"import", kind, file});
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_THAT(again.out, HasSubstr(": 0 added, 0 changed, "));
  }

  // The quoted comma, the doubled quotes and the line break survived, and the
  // record names who imported it.
  Outcome records = Run({"records", "P1", "--format", "csv"});
  ASSERT_EQ(records.status, 0) << records.err;
  EXPECT_THAT(records.out, HasSubstr("\"register 12, room 3\""));
  EXPECT_THAT(records.out, HasSubstr("cli:tester"));
  Outcome needs = Run({"needs", "P3", "--format", "json"});
  ASSERT_EQ(needs.status, 0) << needs.err;
  EXPECT_THAT(needs.out, HasSubstr("Newcastle \\\"Acute\\\" Trust"));
}

TEST_F(DataCliTest, AChangedRowIsUpdatedOnTheSecondImport) {
  ImportSmallArea();
  const std::string people =
      Write("people2.csv",
            "person_id,name,email,org_id,role,audiences\n"
            "P2,Bob Example,bob@ncc.example.org,NCC,,operational-managers\n");
  Outcome run = Run({"import", "people", people});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("people: 0 added, 1 changed, 0 unchanged"));
  Outcome needs = Run({"needs", "P2", "--format", "json"});
  EXPECT_THAT(needs.out, Not(HasSubstr("\"practitioners\"")));
}

TEST_F(DataCliTest, OneBadRowWritesNothingAndEveryBadRowIsNamed) {
  Init();
  const std::string orgs =
      Write("orgs.csv",
            "org_id,name,sector\nNCC,Newcastle City Council,"
            "social-family-community-support\n");
  ASSERT_EQ(Run({"import", "organisations", orgs}).status, 0);
  const std::string people = Write(
      "people.csv",
      "person_id,name,email,org_id,audiences,dbs_date\n"
      "P1,Ann Example,ann@ncc.example.org,NCC,practitioners,\n"
      "P2,Bob Example,bob@ncc.example.org,NCC,practitioner,\n"
      "P3,Cath Example,cath@ncc.example.org,NCC,practitioners,31/02/2009\n"
      "P4,Dan Example,dan@ncc.example.org,NOPE,practitioners,\n");
  Outcome run = Run({"import", "people", people});
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(
      run.err,
      HasSubstr(people + ":3: field 'audiences': value 'practitioner': "));
  EXPECT_THAT(run.err, HasSubstr("did you mean 'practitioners'?"));
  EXPECT_THAT(run.err,
              HasSubstr(people + ":4: field 'dbs_date': value '31/02/2009': "));
  EXPECT_THAT(run.err,
              HasSubstr(people + ":5: field 'org_id': value 'NOPE': "));
  EXPECT_THAT(run.err, HasSubstr("nothing written"));
  EXPECT_THAT(Run({"db", "status"}).out, HasSubstr("people:         0"));
}

TEST_F(DataCliTest, DryRunReportsWithoutWriting) {
  Init();
  const std::string orgs =
      Write("orgs.csv",
            "org_id,name,sector\nNCC,Newcastle City Council,"
            "social-family-community-support\nX,X,education\n");
  Outcome dry = Run({"import", "organisations", orgs, "--dry-run"});
  EXPECT_EQ(dry.status, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("dry run, nothing written"));
  EXPECT_THAT(dry.out, HasSubstr("organisations: 2 added"));
  EXPECT_THAT(Run({"db", "status"}).out, HasSubstr("organisations:  0"));

  const std::string bad = Write("bad.csv", "org_id,name,sector\nNCC,N,moon\n");
  Outcome dry_bad = Run({"import", "organisations", bad, "--dry-run"});
  EXPECT_EQ(dry_bad.status, 1);
  EXPECT_THAT(dry_bad.err, HasSubstr(bad + ":2: field 'sector': value 'moon'"));
}

TEST_F(DataCliTest, MapReadsAFieldFromAnotherColumn) {
  Init();
  const std::string orgs =
      Write("orgs.csv",
            "Agency Code,Agency,Sector\nNCC,Newcastle City Council,"
            "social-family-community-support\n");
  Outcome run = Run({"import", "organisations", orgs, "--map",
                     "Agency Code=org_id", "--map", "Agency=name"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("organisations: 1 added"));

  Outcome bad = Run({"import", "organisations", orgs, "--map", "Agency Code"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.err, HasSubstr("--map"));
}

TEST_F(DataCliTest, NeedsAndEligibilityAnswerFromTheRecords) {
  ImportSmallArea();
  Outcome needs = Run({"needs", "P1", "--on", "2009-06-01"});
  ASSERT_EQ(needs.status, 0) << needs.err;
  EXPECT_THAT(needs.out, HasSubstr("Ann Example"));
  EXPECT_THAT(needs.out, HasSubstr("done 2009-02-10"));
  for (const auto& line : Lines(needs.out)) {
    EXPECT_FALSE(!line.empty() && line.back() == ' ') << "'" << line << "'";
  }

  // A partly attended course does not count.
  Outcome p3 = Run({"needs", "P3", "--format", "json", "--on", "2009-06-01"});
  EXPECT_THAT(p3.out, HasSubstr("\"status\": \"outstanding\""));

  // ContactPoint waits for the employer's accreditation [000].
  Outcome not_yet = Run({"eligible", "P1", "CP-USER"});
  EXPECT_EQ(not_yet.status, 1);
  EXPECT_THAT(not_yet.out, HasSubstr("may not book CP-USER"));
  EXPECT_THAT(not_yet.out, HasSubstr("is not yet ready"));
  Outcome json = Run({"eligible", "P1", "CP-USER", "--format", "json"});
  EXPECT_EQ(json.status, 1);
  EXPECT_THAT(json.out, HasSubstr("\"eligible\": false"));
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"organisation-not-ready\""));

  Outcome yes = Run({"eligible", "P2", "IS-PRACTICE"});
  EXPECT_EQ(yes.status, 0) << yes.out << yes.err;
  EXPECT_THAT(yes.out, HasSubstr("P2 may book IS-PRACTICE"));

  EXPECT_EQ(Run({"needs", "P404"}).status, 2);
  Outcome unknown = Run({"eligible", "P1", "NO-SUCH"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_THAT(unknown.err, HasSubstr("NO-SUCH"));
}

TEST_F(DataCliTest, ACorrectionSupersedesARecordAndNeverRewritesIt) {
  ImportSmallArea();
  const std::string id = "import:P1:CP-USER:2009-03-01:passed";
  Outcome no_reason = Run({"record", "correct", id, "--outcome", "failed"});
  EXPECT_EQ(no_reason.status, 2);
  EXPECT_THAT(no_reason.err, HasSubstr("--reason"));

  Outcome fix = Run({"record", "correct", id, "--outcome", "failed", "--reason",
                     "the register shows a fail"});
  ASSERT_EQ(fix.status, 0) << fix.err;
  Outcome records = Run({"records", "P1", "--format", "csv"});
  EXPECT_THAT(records.out, HasSubstr(id + ",CP-USER,"));  // still there
  EXPECT_THAT(records.out,
              HasSubstr(id + "#2,CP-USER,"));  // and its correction
  EXPECT_THAT(records.out, HasSubstr("the register shows a fail"));

  Outcome twice = Run(
      {"record", "correct", id, "--outcome", "passed", "--reason", "again"});
  EXPECT_NE(twice.status, 0);
  EXPECT_THAT(twice.err, HasSubstr("already superseded"));

  // Importing the original file again does not bring the superseded record
  // back into force.
  Outcome again = Run({"import", "records", (dir_ / "records.csv").string()});
  EXPECT_EQ(again.status, 0) << again.err;
  Outcome needs =
      Run({"needs", "P1", "--format", "json", "--on", "2009-06-01"});
  EXPECT_THAT(needs.out, Not(HasSubstr("\"completed\": \"2009-03-01\"")));
}

TEST_F(DataCliTest, DemoFillsAnEmptyDatabaseAndTheSummaryRollsItUp) {
  Init();
  Outcome demo = Run({"demo", "--people", "300", "--seed", "5"});
  ASSERT_EQ(demo.status, 0) << demo.err;
  EXPECT_THAT(demo.out, HasSubstr("300 people"));

  Outcome csv = Run({"needs", "--summary", "--by", "sector", "--format", "csv",
                     "--on", "2011-03-31"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  const auto lines = Lines(csv.out);
  ASSERT_GT(lines.size(), 10u);
  EXPECT_EQ(lines[0],
            "sector,module,people,done,due_soon,expired,outstanding,"
            "places_needed");
  EXPECT_THAT(csv.out, HasSubstr("\nhealth,"));
  EXPECT_THAT(csv.out, HasSubstr("\neducation,"));

  for (const char* by : {"organisation", "locality", "audience"}) {
    Outcome text = Run({"needs", "--summary", "--by", by});
    EXPECT_EQ(text.status, 0) << by << text.err;
    EXPECT_THAT(text.out, HasSubstr("(300 people)"));
  }
  Outcome bad_by = Run({"needs", "--summary", "--by", "planet"});
  EXPECT_EQ(bad_by.status, 2);
  EXPECT_THAT(bad_by.err, HasSubstr("planet"));

  // A demo goes only into an empty database.
  Outcome again = Run({"demo"});
  EXPECT_NE(again.status, 0);
  EXPECT_THAT(again.err, HasSubstr("empty database"));
}

// `trellis plan PLANFILE` [MISSION E2]: the shipped Newcastle plan planned
// on a demo area, judged on the day the roll-out starts. Everyone who needs
// Information Sharing or ContactPoint is placed, in sessions the planner
// checks against every rule; what must be mended before booking is counted;
// a what-if changes the forecast; the calendar comes as CSV.
TEST_F(DataCliTest, PlanPlacesEveryoneWhoNeedsThePlansCourses) {
  Init();
  ASSERT_EQ(Run({"demo", "--people", "300", "--seed", "5"}).status, 0);
  const std::string file = std::string(TRELLIS_SOURCE_DIR) +
                           "/plans/newcastle-contactpoint-2009.yaml";
  Outcome plan = Run({"plan", file, "--on", "2009-10-01"});
  // The plan file's own slips (phase 2 dated 2020) make the exit status 1;
  // the roll-out is planned all the same.
  EXPECT_EQ(plan.status, 1) << plan.err;
  EXPECT_THAT(plan.err, HasSubstr("Phase 2 ends 2010-04-30 before it starts"));
  EXPECT_THAT(plan.out, HasSubstr("people need"));
  EXPECT_THAT(plan.out, HasSubstr("at 1 venues, 8 trainers"));
  EXPECT_THAT(plan.out, HasSubstr("forecast: everyone placed by 2009-"));
  EXPECT_THAT(plan.out, HasSubstr("lower bound: 2009-"));
  EXPECT_THAT(plan.out, HasSubstr("Phase 1   2009-10-01 - 2010-01-31"));

  Outcome csv = Run({"plan", file, "--on", "2009-10-01", "--format", "csv"});
  const auto rows = Lines(csv.out);
  ASSERT_GT(rows.size(), 2u) << csv.err;
  EXPECT_EQ(rows[0],
            "date,part,venue,course,audience,system,trainer,seats,"
            "places");
  EXPECT_THAT(csv.out, HasSubstr(",Springfield ICT suite,IS-PRACTICE,"));
  EXPECT_THAT(csv.out, HasSubstr(",CP-USER,"));
  // Information Sharing comes before ContactPoint: the first session is IS.
  EXPECT_THAT(rows[1], HasSubstr("IS-PRACTICE"));

  Outcome json = Run({"plan", file, "--on", "2009-10-01", "--format", "json"});
  EXPECT_THAT(json.out, HasSubstr("\"unplaced\": 0"));
  EXPECT_THAT(json.out, HasSubstr("\"limits\": ["));
  EXPECT_THAT(json.out, HasSubstr("\"course\": \"CP-USER\""));

  // Fewer trainer-days: the forecast moves later.
  Outcome what_if = Run({"plan", file, "--on", "2009-10-01", "--set",
                         "trainers.days_per_month=0.5"});
  EXPECT_THAT(what_if.out, HasSubstr("what-if (trainers.days_per_month=0.5)"));
  EXPECT_THAT(what_if.out, HasSubstr("everyone placed by: 2009-"));
  EXPECT_THAT(what_if.out, HasSubstr("binding: trainer-days"));

  Outcome bad = Run({"plan", file, "--set", "trainers.day_per_month=3"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.err, HasSubstr("did you mean 'trainers.days_per_month'?"));
}

TEST_F(DataCliTest, CommandsNeedAnInitialisedDatabase) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"needs", "P1"},
        std::vector<std::string>{"import", "people", "/dev/null"},
        std::vector<std::string>{"record", "correct", "R", "--reason", "x"}}) {
    Outcome run = Run(args);
    EXPECT_EQ(run.status, 2) << args[0];
    EXPECT_THAT(run.err, HasSubstr("trellis db init")) << args[0];
  }
  EXPECT_FALSE(fs::exists(dir_ / "area.db"));

  // The demo is the one command that creates the database it fills.
  Outcome demo = Run({"demo", "--people", "10"});
  EXPECT_EQ(demo.status, 0) << demo.err;
  EXPECT_THAT(Run({"db", "status"}).out, HasSubstr("people:         10"));

  Outcome bad_url = Trellis({"--db", "mysql://x", "db", "status"});
  EXPECT_EQ(bad_url.status, 2);
  EXPECT_THAT(bad_url.err, HasSubstr("mysql://x"));
}

}  // namespace
