#include "store/framework_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/condition.h"
#include "domain/duration.h"

namespace trellis {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

LoadResult Load(std::string_view text) {
  return LoadFrameworkFromText(text, "t.yaml");
}

std::vector<Finding> OfSeverity(const LoadResult& result, Severity severity) {
  std::vector<Finding> out;
  for (const Finding& f : result.findings) {
    if (f.severity == severity) out.push_back(f);
  }
  return out;
}

// Every finding on one line each, for failure messages.
std::string Listed(const LoadResult& result) {
  std::string out;
  for (const Finding& f : result.findings) out += "\n  " + FormatFinding(f);
  return out.empty() ? " (no findings)" : out;
}

// The first error whose message holds `fragment`, or nullptr.
const Finding* ErrorWith(const LoadResult& result, std::string_view fragment) {
  for (const Finding& f : result.findings) {
    if (f.severity == Severity::kError &&
        f.message.find(fragment) != std::string::npos)
      return &f;
  }
  return nullptr;
}

// Lines 1-4 of most examples below.
constexpr std::string_view kHeader =
    "framework:\n"
    "  id: t\n"
    "  title: T\n"
    "  version: \"1\"\n";

// Lines 5-8 of the module examples; the line under test is line 9.
std::string ModuleWith(std::string_view line9) {
  return std::string(kHeader) +
         "modules:\n"
         "  - ref: A\n"
         "    name: N\n"
         "    process: p\n" +
         std::string(line9) + "\n";
}

constexpr std::string_view kMinimal = R"yaml(framework:
  id: t
  title: Test framework
  version: "1"
  published: 2009-04-01
audiences:
  - id: practitioners
    name: Practitioners
processes:
  - id: information-sharing
    name: Information sharing
    abbreviation: IS
modules:
  - ref: IS01
    name: Introduction to information sharing
    process: information-sharing
    description: Why and when to share.
    audiences: [practitioners]
    objectives: [Know the guidance.]
    content: [The seven golden rules.]
    delivery: [classroom, self-study]
    duration: "30 minutes plus optional discussion"
    development: IS Policy Team
  - ref: IS02
    name: Information sharing in practice
    process: information-sharing
    description: Day-to-day practice.
    audiences: [practitioners]
    objectives: [Share well.]
    content: [Consent and who can give it.]
    delivery: [workshop]
    duration: "5 hours (2 x 2.5 hours)"
    development: IS Policy Team
    sequencing: {after: IS01, within: 2 weeks}
    validity: 3 years
courses:
  - id: is-practitioners
    name: Information sharing for practitioners
    process: information-sharing
    modules: [IS01, IS02]
    audiences: [practitioners]
requirements:
  - id: practitioners-outline
    who: {audiences: [practitioners]}
    level: required
    take: [is-practitioners]
)yaml";

TEST(LoadFrameworkFromText, LoadsAMinimalFrameworkWithoutFindings) {
  const LoadResult result = Load(kMinimal);
  EXPECT_THAT(result.findings, IsEmpty()) << Listed(result);
  EXPECT_FALSE(result.HasErrors());
  ASSERT_TRUE(result.framework.has_value());
  const Framework& fw = *result.framework;

  EXPECT_EQ(fw.info.id, "t");
  EXPECT_EQ(fw.info.title, "Test framework");
  EXPECT_EQ(fw.info.version, "1");
  ASSERT_TRUE(fw.info.published.has_value());
  EXPECT_EQ(FormatIsoDate(*fw.info.published), "2009-04-01");
  EXPECT_EQ(fw.info.pos.file, "t.yaml");

  ASSERT_EQ(fw.modules.size(), 2U);
  const Module& is01 = fw.modules[0];
  EXPECT_EQ(is01.ref, "IS01");
  EXPECT_EQ(is01.process.id, "information-sharing");
  EXPECT_EQ(is01.pos.line, 14);
  EXPECT_EQ(is01.pos.column, 5);
  EXPECT_THAT(is01.delivery,
              ElementsAre(Delivery::kClassroom, Delivery::kSelfStudy));
  ASSERT_TRUE(is01.duration.has_value());
  EXPECT_DOUBLE_EQ(is01.duration->low, 30);
  EXPECT_EQ(is01.duration->extra, "plus optional discussion");
  EXPECT_THAT(is01.unknown, IsEmpty());

  const Module& is02 = fw.modules[1];
  ASSERT_TRUE(is02.duration.has_value());
  EXPECT_EQ(is02.duration->parts, 2);
  ASSERT_TRUE(is02.sequencing.has_value());
  EXPECT_EQ(DescribeCondition(*is02.sequencing),
            "IS01 no more than 2 weeks before");
  EXPECT_EQ(is02.sequencing->ref.pos.line, 34);
  ASSERT_TRUE(is02.validity.has_value());
  EXPECT_EQ(*is02.validity, (Period{3, PeriodUnit::kYears}));

  ASSERT_EQ(fw.courses.size(), 1U);
  EXPECT_EQ(fw.courses[0].modules.size(), 2U);
  ASSERT_EQ(fw.requirements.size(), 1U);
  EXPECT_EQ(fw.requirements[0].level, RequirementLevel::kRequired);
  EXPECT_EQ(DescribeCondition(fw.requirements[0].take), "is-practitioners");
}

struct Located {
  std::string name;
  std::string text;
  int line;
  int column;
  std::vector<std::string> message;  // fragments the message must hold
};

// Each problem, where the loader must point, and what it must say there.
std::vector<Located> LocatedErrors() {
  const std::string h(kHeader);
  return {
      {"unknown field with a suggestion",
       ModuleWith("    nmae: N2"),
       9,
       5,
       {"unknown field 'nmae'", "did you mean 'name'?"}},
      {"unknown field without a near match",
       ModuleWith("    colour: red"),
       9,
       5,
       {"unknown field 'colour'", "expected one of: ref, version, name"}},
      {"unknown section",
       h + "moduels: []\n",
       5,
       1,
       {"unknown field 'moduels'", "did you mean 'modules'?"}},
      {"YAML syntax",
       "framework:\n  id: t\n   title: T\n",
       3,
       9,
       {"YAML syntax"}},
      {"malformed duration",
       ModuleWith("    duration: five hours"),
       9,
       15,
       {"duration", "'five hours'", "expected a number"}},
      {"duration parts that do not add up",
       ModuleWith("    duration: 5 hours (2 x 2 hours)"),
       9,
       15,
       {"'5 hours (2 x 2 hours)'", "do not add up"}},
      {"bad date",
       h + "  published: 2010-02-30\n",
       5,
       14,
       {"published", "'2010-02-30'", "no such day"}},
      {"date in another format",
       h + "  period: {from: 1/2/2020, to: 2011-09-30}\n",
       5,
       18,
       {"'1/2/2020'", "yyyy-mm-dd"}},
      {"bad period",
       ModuleWith("    validity: 3 fortnights"),
       9,
       15,
       {"validity", "'3 fortnights'", "'3 years'"}},
      {"field given twice",
       ModuleWith("    name: M"),
       9,
       5,
       {"field 'name' is given twice"}},
      {"second header in one file",
       h + "framework:\n  id: u\n",
       5,
       1,
       {"field 'framework' is given twice"}},
      {"a list where text is wanted",
       "framework:\n  id: t\n  title: [a, b]\n  version: \"1\"\n",
       3,
       10,
       {"'title' must be text"}},
      {"a mapping where a list is wanted",
       h + "modules:\n  ref: A\n",
       6,
       3,
       {"'modules' must be a list"}},
      {"a mapping where a list of texts is wanted",
       ModuleWith("    objectives: {a: b}"),
       9,
       17,
       {"'objectives' must be a list"}},
      {"a delivery that is not one",
       ModuleWith("    delivery: [clasroom]"),
       9,
       15,
       {"'clasroom' is not a delivery mechanism", "did you mean 'classroom'?"}},
      {"condition with two kinds",
       ModuleWith("    sequencing: {after: B, check: identity}"),
       9,
       17,
       {"exactly one of", "found after, check"}},
      {"within on a check",
       ModuleWith("    prerequisites: {check: identity, within: 2 weeks}"),
       9,
       46,
       {"'within' applies only to after/completed"}},
      {"experience out of range",
       ModuleWith("    prerequisites: {experience: {years: 100}}"),
       9,
       41,
       {"'years' must be a whole number from 0 to 60, not '100'"}},
      {"missing required field",
       h + "audiences:\n  - id: a\n",
       6,
       5,
       {"missing required field 'name'"}},
  };
}

TEST(LoadFrameworkFromText, PointsAtEachProblemAndSaysWhatIsWrong) {
  for (const Located& want : LocatedErrors()) {
    SCOPED_TRACE(want.name);
    const LoadResult result = Load(want.text);
    ASSERT_TRUE(result.HasErrors()) << Listed(result);
    const Finding* error = ErrorWith(result, want.message.front());
    ASSERT_NE(error, nullptr) << Listed(result);
    EXPECT_EQ(error->pos.file, "t.yaml");
    EXPECT_EQ(error->pos.line, want.line) << FormatFinding(*error);
    EXPECT_EQ(error->pos.column, want.column) << FormatFinding(*error);
    for (const std::string& fragment : want.message) {
      EXPECT_THAT(error->message, HasSubstr(fragment));
    }
  }
}

TEST(LoadFrameworkFromText, AFileWithoutAHeaderIsNoFramework) {
  const LoadResult result =
      Load("modules:\n  - ref: A\n    name: N\n    process: p\n");
  EXPECT_FALSE(result.framework.has_value());
  const Finding* error = ErrorWith(result, "no 'framework:' header");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 1);
  EXPECT_EQ(error->pos.column, 1);

  const LoadResult empty = Load("");
  EXPECT_FALSE(empty.framework.has_value());
  EXPECT_NE(ErrorWith(empty, "no 'framework:' header"), nullptr)
      << Listed(empty);
}

TEST(LoadFrameworkFromText, ASyntaxErrorIsNoFramework) {
  const LoadResult result = Load("framework:\n  id: t\n   title: T\n");
  EXPECT_FALSE(result.framework.has_value());
  ASSERT_EQ(result.findings.size(), 1U)
      << "no second, confusing finding" << Listed(result);
}

TEST(LoadFrameworkFromText, UnknownValuesAreWarningsNamingTheField) {
  const LoadResult result = Load(ModuleWith("    duration: unknown"));
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  const std::vector<Finding> warnings = OfSeverity(result, Severity::kWarning);
  ASSERT_EQ(warnings.size(), 1U) << Listed(result);
  EXPECT_THAT(warnings[0].message, HasSubstr("duration"));
  EXPECT_EQ(warnings[0].pos.line, 6);  // the module

  ASSERT_TRUE(result.framework.has_value());
  ASSERT_EQ(result.framework->modules.size(), 1U);
  const Module& m = result.framework->modules[0];
  EXPECT_FALSE(m.duration.has_value())
      << "an unknown duration must not become a number";
  EXPECT_THAT(m.unknown, ::testing::Contains("duration"));
}

TEST(LoadFrameworkFromText, UnknownAssessmentFieldsAreWarnings) {
  const LoadResult result =
      Load(ModuleWith("    assessment: {kind: timed-multiple-choice, "
                      "questions: 30, minutes: unknown, "
                      "pass_percent: unknown}"));
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  bool named = false;
  for (const Finding& w : OfSeverity(result, Severity::kWarning)) {
    if (w.message.find("time limit, pass mark") != std::string::npos)
      named = true;
  }
  EXPECT_TRUE(named) << Listed(result);
  ASSERT_TRUE(result.framework.has_value());
  const auto& assessment = result.framework->modules[0].assessment;
  ASSERT_TRUE(assessment.has_value());
  EXPECT_EQ(assessment->questions, 30);
  EXPECT_FALSE(assessment->minutes.has_value());
  EXPECT_FALSE(assessment->pass_percent.has_value());
}

// `valid_for: unknown` on a check is a warning naming the field, as
// docs/framework-format.md says.
TEST(LoadFrameworkFromText, AnUnknownCheckValidityIsAWarning) {
  const LoadResult result = Load(std::string(kHeader) +
                                 "checks:\n"
                                 "  - id: enhanced-dbs\n"
                                 "    name: Enhanced CRB/DBS check\n"
                                 "    valid_for: unknown\n");
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  const std::vector<Finding> warnings = OfSeverity(result, Severity::kWarning);
  ASSERT_EQ(warnings.size(), 1U) << Listed(result);
  EXPECT_THAT(warnings[0].message, HasSubstr("valid_for"));
}

// Hostile input: each gives findings, and neither crashes nor hangs.

TEST(LoadFrameworkFromText, RefusesDeepFlowNesting) {
  const LoadResult result = Load(std::string(100000, '['));
  EXPECT_FALSE(result.framework.has_value());
  const Finding* error = ErrorWith(result, "nests more than");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 1);
}

TEST(LoadFrameworkFromText, RefusesDeepBlockNestingOnOneLine) {
  std::string text = std::string(kHeader) + "modules:\n  ";
  for (int i = 0; i < 100000; ++i) text += "- ";
  text += "x\n";
  const LoadResult result = Load(text);
  const Finding* error = ErrorWith(result, "nests more than");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 6);
}

TEST(LoadFrameworkFromText, RefusesDeepBlockNestingByIndentation) {
  std::string text = std::string(kHeader) + "modules:\n";
  for (int i = 0; i < 2000; ++i) text += std::string(2 * i, ' ') + "-\n";
  const LoadResult result = Load(text);
  EXPECT_TRUE(result.HasErrors()) << Listed(result);
}

TEST(LoadFrameworkFromText, ModerateBlockNestingIsAnOrdinaryError) {
  std::string text = std::string(kHeader) + "modules:\n  ";
  for (int i = 0; i < 200; ++i) text += "- ";
  text += "x\n";
  const LoadResult result = Load(text);
  const Finding* error = ErrorWith(result, "must be a mapping of fields");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 6);
}

TEST(LoadFrameworkFromText, RefusesConditionsNestedTooDeep) {
  const LoadResult result =
      Load(std::string(kHeader) +
           "requirements:\n"
           "  - id: r\n"
           "    who: everyone\n"
           "    take: " +
           std::string(40, '[') + "IS01" + std::string(40, ']') + "\n");
  const Finding* error = ErrorWith(result, "condition nested more than");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 8);
}

// "Billion laughs": each anchor is a list of ten of the one before, so the last
// names 10^10 modules in a file of a few hundred bytes.
TEST(LoadFrameworkFromText, RefusesAnAliasExpansion) {
  std::string text = std::string(kHeader) + "requirements:\n";
  for (int level = 0; level < 10; ++level) {
    const std::string item =
        level == 0 ? "IS01" : "*a" + std::to_string(level - 1);
    text += "  - id: r" + std::to_string(level) +
            "\n    who: everyone\n    take: &a" + std::to_string(level) + " [" +
            item;
    for (int k = 1; k < 10; ++k) text += ", " + item;
    text += "]\n";
  }
  ASSERT_LT(text.size(), 2000U);
  const LoadResult result = Load(text);
  const Finding* error = ErrorWith(result, "aliases");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_THAT(error->message, HasSubstr("refusing to load it"));
}

TEST(LoadFrameworkFromText, RefusesANulByte) {
  std::string text(kMinimal);
  text.insert(20, 1, '\0');
  const LoadResult result = Load(text);
  EXPECT_FALSE(result.framework.has_value());
  EXPECT_NE(ErrorWith(result, "NUL byte"), nullptr) << Listed(result);
}

TEST(LoadFrameworkFromText, RefusesAHugeFile) {
  std::string text(kMinimal);
  text.resize(9 * 1024 * 1024, '\n');
  const LoadResult result = Load(text);
  EXPECT_FALSE(result.framework.has_value());
  EXPECT_NE(ErrorWith(result, "larger than 8 MiB"), nullptr) << Listed(result);
}

TEST(LoadFrameworkFromText, SurvivesBytesThatAreNotUtf8) {
  for (std::string_view bad :
       {"\xFF\xFE", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\x80\x80\x80"}) {
    SCOPED_TRACE(testing::PrintToString(bad));
    // In a value, in a key, and before everything.
    const LoadResult in_value =
        Load(ModuleWith(std::string("    description: x") + std::string(bad)));
    EXPECT_TRUE(in_value.framework.has_value() || in_value.HasErrors());
    const LoadResult in_key =
        Load(ModuleWith(std::string("    ") + std::string(bad) + ": x"));
    EXPECT_TRUE(in_key.HasErrors()) << Listed(in_key);
    const LoadResult first = Load(std::string(bad) + std::string(kMinimal));
    EXPECT_TRUE(first.framework.has_value() || first.HasErrors());
  }
}

// Bytes that are not UTF-8 (a file saved as Latin-1) are an error at their
// line; they would otherwise reach JSON output, which refuses them.
TEST(LoadFrameworkFromText, ReportsBytesThatAreNotUtf8) {
  const LoadResult result = Load(std::string(kHeader) +
                                 "audiences:\n"
                                 "  - id: practitioners\n"
                                 "    name: Caf\xE9 staff\n");
  const Finding* finding = nullptr;
  for (const Finding& f : result.findings) {
    if (f.pos.line == 7) finding = &f;
  }
  EXPECT_NE(finding, nullptr)
      << "expected a finding on line 7" << Listed(result);
}

// Random damage to a good file: whatever comes back is either a framework or
// an explanation, never a crash.
TEST(LoadFrameworkFromText, SurvivesRandomDamage) {
  std::mt19937 random(2009);  // fixed: a failure must be reproducible
  const std::string good(kMinimal);
  std::uniform_int_distribution<size_t> where(0, good.size() - 1);
  std::uniform_int_distribution<int> byte(1, 255);
  for (int round = 0; round < 300; ++round) {
    std::string text = good;
    const int edits = 1 + round % 8;
    for (int e = 0; e < edits; ++e)
      text[where(random)] = static_cast<char>(byte(random));
    const LoadResult result = Load(text);
    if (!result.framework.has_value()) {
      EXPECT_TRUE(result.HasErrors()) << "no framework and no reason why:\n"
                                      << text;
    }
    for (const Finding& f : result.findings) {
      EXPECT_FALSE(f.message.empty());
      EXPECT_EQ(f.pos.file, "t.yaml");
    }
  }
}

// LoadFramework reads folders and files from disk.

const fs::path kDcsf =
    fs::path(TRELLIS_SOURCE_DIR) / "frameworks" / "dcsf-2006";

TEST(LoadFramework, LoadsTheShippedDcsfFrameworkWithoutErrors) {
  const LoadResult result = LoadFramework(kDcsf);
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  ASSERT_TRUE(result.framework.has_value()) << Listed(result);
  const Framework& fw = *result.framework;
  EXPECT_EQ(fw.info.id, "dcsf-2006");
  // Counted in the files: framework.yaml, modules.yaml, courses.yaml,
  // rules.yaml.
  EXPECT_EQ(fw.audiences.size(), 6U);
  EXPECT_EQ(fw.processes.size(), 5U);
  EXPECT_EQ(fw.programmes.size(), 1U);
  EXPECT_EQ(fw.common_messages.size(), 10U);
  EXPECT_EQ(fw.course_content.size(), 8U);
  EXPECT_EQ(fw.modules.size(), 26U);  // 16 of App. 2, LP03 and ISI01-ISI10
  EXPECT_EQ(fw.courses.size(), 24U);
  EXPECT_EQ(fw.requirements.size(), 6U);

  const Module* iw03 = fw.FindModule("IW03");
  ASSERT_NE(iw03, nullptr);
  ASSERT_TRUE(iw03->sequencing.has_value());
  EXPECT_EQ(DescribeCondition(*iw03->sequencing),
            "IW02, or IS01 and CAF01 and LP01");
  EXPECT_THAT(iw03->sequencing->pos.file, HasSubstr("modules.yaml"));

  const Module* is02 = fw.FindModule("IS02");
  ASSERT_NE(is02, nullptr);
  ASSERT_TRUE(is02->duration.has_value());
  EXPECT_EQ(is02->duration->parts, 2);
  EXPECT_EQ(is02->duration_text, "5 hours (2 x 2.5 hours)");

  // The IS Index modules are named only: their unknowns are warnings.
  const Module* isi01 = fw.FindModule("ISI01");
  ASSERT_NE(isi01, nullptr);
  EXPECT_FALSE(isi01->duration.has_value());
  EXPECT_THAT(isi01->unknown, ::testing::Contains("duration"));
  EXPECT_FALSE(OfSeverity(result, Severity::kWarning).empty());
}

TEST(LoadFramework, ANonexistentPathIsAFinding) {
  const fs::path missing =
      fs::path(TRELLIS_SOURCE_DIR) / "frameworks" / "no-such-framework";
  const LoadResult result = LoadFramework(missing);
  EXPECT_FALSE(result.framework.has_value());
  ASSERT_EQ(result.findings.size(), 1U) << Listed(result);
  EXPECT_EQ(result.findings[0].severity, Severity::kError);
  EXPECT_THAT(result.findings[0].message, HasSubstr("no such file or folder"));
  EXPECT_EQ(result.findings[0].pos.file, missing.string());
}

// A folder under the system's temporary directory, removed at the end of the
// test.
class TempFolder {
 public:
  explicit TempFolder(const std::string& name) {
    const auto* test = testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("trellis-" + std::string(test->name()) + "-" +
             std::to_string(std::random_device{}())) /
            name;
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_.parent_path(), ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const fs::path& path() const { return path_; }
  void Write(const std::string& file, std::string_view text) const {
    std::ofstream out(path_ / file, std::ios::binary);
    out << text;
  }

 private:
  fs::path path_;
};

TEST(LoadFramework, MergesTheFilesOfAFolderInNameOrder) {
  TempFolder folder("t");
  folder.Write("b-modules.yaml",
               "modules:\n  - ref: B\n    name: N\n    process: p\n");
  folder.Write("a-framework.yaml", std::string(kHeader));
  folder.Write("notes.txt", "not yaml, not read: [[[");
  const LoadResult result = LoadFramework(folder.path());
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  ASSERT_TRUE(result.framework.has_value());
  ASSERT_EQ(result.framework->modules.size(), 1U);
  EXPECT_EQ(result.framework->modules[0].pos.file,
            (folder.path() / "b-modules.yaml").string());
}

TEST(LoadFramework, ASecondHeaderInAnotherFileIsAnError) {
  TempFolder folder("t");
  folder.Write("a.yaml", std::string(kHeader));
  folder.Write(
      "b.yaml",
      "# another header\nframework:\n  id: t\n  title: U\n  version: \"2\"\n");
  const LoadResult result = LoadFramework(folder.path());
  const Finding* error = ErrorWith(result, "a second 'framework:' header");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.file, (folder.path() / "b.yaml").string());
  EXPECT_EQ(error->pos.line, 3);
  ASSERT_TRUE(result.framework.has_value());
  EXPECT_EQ(result.framework->info.title, "T") << "the first header stands";
}

TEST(LoadFramework, AnIdThatDiffersFromTheFolderIsAnError) {
  TempFolder folder("other-name");
  folder.Write("framework.yaml", std::string(kHeader));
  const LoadResult result = LoadFramework(folder.path());
  const Finding* error =
      ErrorWith(result, "differs from its folder name 'other-name'");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 2);
}

TEST(LoadFramework, AFolderWithoutYamlIsAFinding) {
  TempFolder folder("t");
  folder.Write("readme.txt", "nothing here");
  const LoadResult result = LoadFramework(folder.path());
  EXPECT_FALSE(result.framework.has_value());
  EXPECT_NE(ErrorWith(result, "no *.yaml files"), nullptr) << Listed(result);
}

TEST(LoadFramework, ReadsASingleFile) {
  TempFolder folder("t");
  folder.Write("whole.yaml", kMinimal);
  const LoadResult result = LoadFramework(folder.path() / "whole.yaml");
  EXPECT_FALSE(result.HasErrors()) << Listed(result);
  ASSERT_TRUE(result.framework.has_value());
  EXPECT_EQ(result.framework->modules.size(), 2U);
}

// Input that reads as something but says nothing is an error, never dropped.
TEST(LoadFrameworkFromText, RefusesEmptyOrUnknowableEssentials) {
  const LoadResult result =
      Load(std::string(kHeader) +
           "processes: [{id: p, name: P}]\n"
           "modules:\n"
           "  - {ref: M1, name: A, process: unknown}\n"
           "  - {ref: M2, name: B, process: p, sequencing: {after: []}}\n"
           "  - {ref: M3, name: C, process: p, validity: 0 years}\n"
           "courses:\n"
           "  - {id: c1, name: C, process: p, modules: []}\n");
  EXPECT_NE(ErrorWith(result, "'process' cannot be unknown"), nullptr)
      << Listed(result);
  EXPECT_NE(ErrorWith(result, "'after' names no module or course"), nullptr)
      << Listed(result);
  EXPECT_NE(ErrorWith(result, "a period must be more than zero"), nullptr)
      << Listed(result);
  EXPECT_NE(ErrorWith(result, "a course has at least one module"), nullptr)
      << Listed(result);
}

TEST(LoadFrameworkFromText, RefusesASecondDocument) {
  const LoadResult result =
      Load(std::string(kHeader) +
           "---\nmodules: [{ref: M1, name: A, process: p}]\n");
  const Finding* error = ErrorWith(result, "a second YAML document");
  ASSERT_NE(error, nullptr) << Listed(result);
  EXPECT_EQ(error->pos.line, 5);  // the '---' line
  EXPECT_EQ(result.findings.size(), 1U) << Listed(result);
}

// A file that cannot be read as YAML at all gets one finding, not a second
// "no framework header" on top of it.
TEST(LoadFrameworkFromText, ExplainsAnUnreadableFileOnce) {
  for (const std::string& text :
       {std::string("name: Caf\xE9\n"), std::string(100, '['),
        std::string("a: \"unterminated\n  [")}) {
    const LoadResult result = Load(text);
    EXPECT_EQ(result.findings.size(), 1U) << Listed(result);
  }
}

}  // namespace
}  // namespace trellis
