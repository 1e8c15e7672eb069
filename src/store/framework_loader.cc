#include "store/framework_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <set>
#include <span>
#include <sstream>

#include "domain/text.h"

namespace trellis {
namespace {

namespace fs = std::filesystem;

// Limits that keep hostile input from exhausting the stack or memory. A real
// framework is far inside them: hundreds of modules, nesting of ten or so.
constexpr size_t kMaxFileBytes = size_t{8} * 1024 * 1024;
constexpr int kMaxNesting = 64;
constexpr long kMaxNodeVisits = 500'000;
constexpr int kMaxConditionDepth = 32;

// Thrown inside the loader only, when the node-visit budget is spent (YAML
// aliases can make a small file expand exponentially); caught in LoadText.
struct BudgetExhausted {};

// Estimates how deeply the YAML nests before yaml-cpp sees it: yaml-cpp's
// parser recurses once per level and can overflow the stack on inputs such as
// ten thousand '['. Counts flow brackets outside quotes and comments, block
// indentation, and "- " / "? " indicators that open a level on one line.
std::optional<int> TooDeepAt(std::string_view text) {
  int line = 1;
  int flow = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(i, end - i);
    size_t indent = 0;
    while (indent < row.size() && (row[indent] == ' ' || row[indent] == '\t'))
      ++indent;
    int indicators = 0;
    for (size_t k = indent; k + 1 < row.size() &&
                            (row[k] == '-' || row[k] == '?') &&
                            (row[k + 1] == ' ' || row[k + 1] == '\t');) {
      ++indicators;
      k += 2;
      while (k < row.size() && row[k] == ' ') ++k;
    }
    if (static_cast<int>(indent) / 2 + indicators > 4 * kMaxNesting)
      return line;
    char quote = 0;
    for (size_t k = 0; k < row.size(); ++k) {
      const char c = row[k];
      if (quote != 0) {
        if (c == quote) quote = 0;
        continue;
      }
      // A quote opens a quoted scalar only where a scalar can start, so the
      // apostrophe in a plain "don't" does not hide the brackets after it.
      const bool scalar_start = k == 0 || row[k - 1] == ' ' ||
                                row[k - 1] == '[' || row[k - 1] == '{' ||
                                row[k - 1] == ',' || row[k - 1] == ':';
      if ((c == '\'' || c == '"') && scalar_start) {
        quote = c;
      } else if (c == '#' && (k == 0 || row[k - 1] == ' ')) {
        break;
      } else if (c == '[' || c == '{') {
        if (++flow > kMaxNesting) return line;
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    i = end + 1;
    ++line;
  }
  return std::nullopt;
}

// The line of a document marker ("---" at the start of a line, alone or
// followed by a space) that comes after content: the start of a second YAML
// document. A "---" before any content opens the first document.
std::optional<int> SecondDocumentAt(std::string_view text) {
  int line = 1;
  bool content = false;
  size_t i = 0;
  while (i <= text.size()) {
    size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(i, end - i);
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    const bool marker = row.starts_with("---") &&
                        (row.size() == 3 || row[3] == ' ' || row[3] == '\t');
    if (marker && content) return line;
    const std::string_view trimmed = Trim(row);
    if (!marker && !trimmed.empty() && !trimmed.starts_with('#') &&
        !trimmed.starts_with('%')) {
      content = true;
    }
    if (end == text.size()) break;
    i = end + 1;
    ++line;
  }
  return std::nullopt;
}

bool IsUnknown(const YAML::Node& node) {
  return node && node.IsScalar() && ToLower(Trim(node.Scalar())) == "unknown";
}

// Reads one YAML file's sections into a Framework, appending findings.
class Loader {
 public:
  Loader(Framework& framework, std::vector<Finding>& findings, std::string file,
         bool& saw_header)
      : fw_(framework),
        findings_(findings),
        file_(std::move(file)),
        saw_header_(saw_header) {}

  void LoadDocument(const YAML::Node& root);

 private:
  // The keys of one YAML mapping, checked against the keys a construct allows.
  class Fields {
   public:
    Fields(Loader& loader, const YAML::Node& map, std::string_view what,
           std::initializer_list<std::string_view> allowed)
        : Fields(loader, map, what,
                 std::span<const std::string_view>(allowed.begin(),
                                                   allowed.size())) {}
    Fields(Loader& loader, const YAML::Node& map, std::string_view what,
           std::span<const std::string_view> allowed) {
      loader.Spend();
      std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
      for (const auto& entry : map) {
        loader.Spend();
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
          loader.Error(key, std::string(what) + ": a key must be a plain word");
          continue;
        }
        const std::string name = key.Scalar();
        // Any item may cite where its facts come from
        // (docs/framework-format.md).
        if (name != "source" &&
            std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
          std::string message =
              std::string(what) + ": unknown field '" + name + "'";
          if (auto near = SuggestClosest(name, allowed_list)) {
            message += "; did you mean '" + *near + "'?";
          } else {
            message += "; expected one of: " + Join(allowed_list, ", ");
          }
          loader.Error(key, message);
          continue;
        }
        if (std::any_of(values_.begin(), values_.end(),
                        [&](const auto& kv) { return kv.first == name; })) {
          loader.Error(
              key, std::string(what) + ": field '" + name + "' is given twice");
          continue;
        }
        values_.emplace_back(name, entry.second);
      }
    }
    YAML::Node Get(std::string_view key) const {
      for (const auto& [name, value] : values_) {
        if (name == key) return value;
      }
      return YAML::Node(YAML::NodeType::Undefined);
    }
    bool Has(std::string_view key) const { return Get(key).IsDefined(); }

   private:
    std::vector<std::pair<std::string, YAML::Node>> values_;
  };

  void Spend() {
    if (++visits_ > kMaxNodeVisits) throw BudgetExhausted{};
  }

  SourcePos Pos(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return SourcePos{file_, 0, 0};
    return SourcePos{file_, mark.line + 1, mark.column + 1};
  }
  void Error(const YAML::Node& node, std::string message) {
    findings_.push_back({Severity::kError, Pos(node), std::move(message)});
  }
  void Warn(const SourcePos& pos, std::string message) {
    findings_.push_back({Severity::kWarning, pos, std::move(message)});
  }

  // Text of a scalar field; empty when absent. `unknown` reads as empty and,
  // when `unknown_list` is given, is recorded there.
  std::string Text(const Fields& f, std::string_view key, std::string_view what,
                   std::vector<std::string>* unknown_list = nullptr) {
    YAML::Node node = f.Get(key);
    if (!node.IsDefined() || node.IsNull()) {
      if (unknown_list != nullptr) unknown_list->emplace_back(key);
      return {};
    }
    if (!node.IsScalar()) {
      Error(node,
            std::string(what) + ": '" + std::string(key) + "' must be text");
      return {};
    }
    if (IsUnknown(node)) {
      if (unknown_list != nullptr) unknown_list->emplace_back(key);
      return {};
    }
    return std::string(Trim(node.Scalar()));
  }

  std::string RequiredText(const Fields& f, const YAML::Node& map,
                           std::string_view key, std::string_view what) {
    std::string value = Text(f, key, what);
    if (value.empty() && !f.Get(key).IsDefined()) {
      Error(map, std::string(what) + ": missing required field '" +
                     std::string(key) + "'");
    } else if (value.empty() && f.Get(key).IsScalar()) {
      Error(f.Get(key), std::string(what) + ": '" + std::string(key) +
                            "' must not be empty");
    }
    return value;
  }

  // A list of texts; a single scalar counts as a one-item list.
  std::vector<std::string> TextList(
      const Fields& f, std::string_view key, std::string_view what,
      std::vector<std::string>* unknown_list = nullptr) {
    std::vector<std::string> out;
    YAML::Node node = f.Get(key);
    if (!node.IsDefined() || node.IsNull() || IsUnknown(node)) {
      if (unknown_list != nullptr) unknown_list->emplace_back(key);
      return out;
    }
    if (node.IsScalar()) {
      out.emplace_back(Trim(node.Scalar()));
      return out;
    }
    if (!node.IsSequence()) {
      Error(node,
            std::string(what) + ": '" + std::string(key) + "' must be a list");
      return out;
    }
    for (const auto& item : node) {
      Spend();
      if (!item.IsScalar()) {
        Error(item, std::string(what) + ": each item of '" + std::string(key) +
                        "' must be text");
        continue;
      }
      out.emplace_back(Trim(item.Scalar()));
    }
    return out;
  }

  std::vector<Ref> RefList(const YAML::Node& node, std::string_view what,
                           std::string_view key) {
    std::vector<Ref> out;
    if (!node.IsDefined() || node.IsNull()) return out;
    if (node.IsScalar()) {
      out.push_back({std::string(Trim(node.Scalar())), Pos(node)});
      return out;
    }
    if (!node.IsSequence()) {
      Error(node, std::string(what) + ": '" + std::string(key) +
                      "' must be a list of ids");
      return out;
    }
    for (const auto& item : node) {
      Spend();
      if (!item.IsScalar() || Trim(item.Scalar()).empty()) {
        Error(item, std::string(what) + ": each item of '" + std::string(key) +
                        "' must be an id");
        continue;
      }
      out.push_back({std::string(Trim(item.Scalar())), Pos(item)});
    }
    return out;
  }
  std::vector<Ref> RefList(const Fields& f, std::string_view key,
                           std::string_view what) {
    return RefList(f.Get(key), what, key);
  }

  std::optional<Ref> OptionalRef(const Fields& f, std::string_view key,
                                 std::string_view what) {
    YAML::Node node = f.Get(key);
    if (!node.IsDefined() || node.IsNull() || IsUnknown(node))
      return std::nullopt;
    if (!node.IsScalar() || Trim(node.Scalar()).empty()) {
      Error(node,
            std::string(what) + ": '" + std::string(key) + "' must be an id");
      return std::nullopt;
    }
    return Ref{std::string(Trim(node.Scalar())), Pos(node)};
  }

  std::optional<Date> OptionalDate(const YAML::Node& node,
                                   std::string_view what,
                                   std::string_view key) {
    if (!node.IsDefined() || node.IsNull() || IsUnknown(node))
      return std::nullopt;
    if (!node.IsScalar()) {
      Error(node,
            std::string(what) + ": '" + std::string(key) + "' must be a date");
      return std::nullopt;
    }
    auto date = ParseIsoDate(node.Scalar());
    if (!date) {
      Error(node, std::string(what) + ": '" + std::string(key) + "': value '" +
                      node.Scalar() + "': " + date.error());
      return std::nullopt;
    }
    return *date;
  }
  std::optional<Date> OptionalDate(const Fields& f, std::string_view key,
                                   std::string_view what) {
    return OptionalDate(f.Get(key), what, key);
  }

  DateRange Range(const Fields& f, std::string_view key,
                  std::string_view what) {
    YAML::Node node = f.Get(key);
    DateRange range;
    if (!node.IsDefined() || node.IsNull()) return range;
    if (!node.IsMap()) {
      Error(node, std::string(what) + ": '" + std::string(key) +
                      "' must be {from: DATE, to: DATE}");
      return range;
    }
    Fields r(*this, node, std::string(what) + " " + std::string(key),
             {"from", "to"});
    range.from = OptionalDate(r, "from", what);
    range.to = OptionalDate(r, "to", what);
    return range;
  }

  std::optional<Period> OptionalPeriod(const YAML::Node& node,
                                       std::string_view what,
                                       std::string_view key) {
    if (!node.IsDefined() || node.IsNull() || IsUnknown(node))
      return std::nullopt;
    if (!node.IsScalar()) {
      Error(node, std::string(what) + ": '" + std::string(key) +
                      "' must be a period");
      return std::nullopt;
    }
    auto period = ParsePeriod(node.Scalar());
    if (period && period->count == 0) {
      period = std::unexpected("a period must be more than zero");
    }
    if (!period) {
      Error(node, std::string(what) + ": '" + std::string(key) + "': value '" +
                      node.Scalar() + "': " + period.error());
      return std::nullopt;
    }
    return *period;
  }
  std::optional<Period> OptionalPeriod(const Fields& f, std::string_view key,
                                       std::string_view what) {
    return OptionalPeriod(f.Get(key), what, key);
  }

  std::optional<int> OptionalInt(const Fields& f, std::string_view key,
                                 std::string_view what, int min, int max) {
    YAML::Node node = f.Get(key);
    if (!node.IsDefined() || node.IsNull() || IsUnknown(node))
      return std::nullopt;
    if (node.IsScalar()) {
      const std::string text(Trim(node.Scalar()));
      try {
        size_t used = 0;
        const long value = std::stol(text, &used);
        if (used == text.size() && value >= min && value <= max)
          return static_cast<int>(value);
      } catch (const std::exception&) {
        // Falls through to the error below.
      }
    }
    Error(node, std::string(what) + ": '" + std::string(key) +
                    "' must be a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) +
                    (node.IsScalar() ? ", not '" + node.Scalar() + "'" : ""));
    return std::nullopt;
  }

  bool Flag(const Fields& f, std::string_view key, std::string_view what) {
    YAML::Node node = f.Get(key);
    if (!node.IsDefined() || node.IsNull()) return false;
    if (node.IsScalar()) {
      const std::string v = ToLower(Trim(node.Scalar()));
      if (v == "true" || v == "yes") return true;
      if (v == "false" || v == "no") return false;
    }
    Error(node, std::string(what) + ": '" + std::string(key) +
                    "' must be true or false");
    return false;
  }

  // Iterates a list section, calling `each` for every mapping in it.
  template <typename Each>
  void ForEachMap(const YAML::Node& node, std::string_view section, Each each) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsSequence()) {
      Error(node, "'" + std::string(section) + "' must be a list");
      return;
    }
    for (const auto& item : node) {
      Spend();
      if (!item.IsMap()) {
        Error(item, "each item of '" + std::string(section) +
                        "' must be a mapping of fields");
        continue;
      }
      each(item);
    }
  }

  void LoadHeader(const YAML::Node& node);
  void LoadModule(const YAML::Node& node);
  void LoadCourse(const YAML::Node& node);
  void LoadRequirement(const YAML::Node& node);
  Who ParseWho(const YAML::Node& node, const YAML::Node& owner,
               std::string_view what);
  Coverage ParseCoverage(const YAML::Node& node, std::string_view what);
  std::optional<Assessment> ParseAssessment(const YAML::Node& node,
                                            std::string_view what);
  std::optional<Condition> ParseCondition(const YAML::Node& node,
                                          std::string_view what, int depth = 0);
  std::vector<ItemGroup> ParseGroups(const YAML::Node& node,
                                     std::string_view what);
  void LoadCompetencyFramework(const YAML::Node& node);
  void LoadCommonCore(const YAML::Node& node);
  void LoadStandard(const YAML::Node& node);

  Framework& fw_;
  std::vector<Finding>& findings_;
  std::string file_;
  bool& saw_header_;
  long visits_ = 0;
};

constexpr std::array<std::string_view, 20> kSections = {"framework",
                                                        "audiences",
                                                        "sectors",
                                                        "roles",
                                                        "processes",
                                                        "programmes",
                                                        "common_messages",
                                                        "course_content",
                                                        "modules",
                                                        "courses",
                                                        "checks",
                                                        "readiness",
                                                        "requirements",
                                                        "priority_groups",
                                                        "certifications",
                                                        "competency_frameworks",
                                                        "common_core",
                                                        "learning_outcomes",
                                                        "trainer_competencies",
                                                        "standards"};

void Loader::LoadDocument(const YAML::Node& root) {
  if (!root.IsDefined() || root.IsNull()) {
    Warn(SourcePos{file_, 1, 1}, "the file is empty");
    return;
  }
  if (!root.IsMap()) {
    Error(root,
          "a framework file must be a mapping of sections such as 'framework:' "
          "and 'modules:'");
    return;
  }
  Fields sections(*this, root, "framework file", kSections);
  if (YAML::Node header = sections.Get("framework"); header.IsDefined())
    LoadHeader(header);

  ForEachMap(sections.Get("audiences"), "audiences", [&](const YAML::Node& n) {
    Fields f(*this, n, "audience", {"id", "name", "description", "source"});
    fw_.audiences.push_back({RequiredText(f, n, "id", "audience"),
                             RequiredText(f, n, "name", "audience"),
                             Text(f, "description", "audience"), Pos(n)});
  });
  ForEachMap(sections.Get("sectors"), "sectors", [&](const YAML::Node& n) {
    Fields f(*this, n, "sector", {"id", "name", "source"});
    fw_.sectors.push_back({RequiredText(f, n, "id", "sector"),
                           RequiredText(f, n, "name", "sector"), Pos(n)});
  });
  ForEachMap(sections.Get("roles"), "roles", [&](const YAML::Node& n) {
    Fields f(*this, n, "role",
             {"id", "name", "description", "audiences", "source"});
    fw_.roles.push_back({RequiredText(f, n, "id", "role"),
                         RequiredText(f, n, "name", "role"),
                         Text(f, "description", "role"),
                         RefList(f, "audiences", "role"), Pos(n)});
  });
  ForEachMap(sections.Get("processes"), "processes", [&](const YAML::Node& n) {
    Fields f(*this, n, "process",
             {"id", "name", "abbreviation", "description", "source"});
    fw_.processes.push_back({RequiredText(f, n, "id", "process"),
                             RequiredText(f, n, "name", "process"),
                             Text(f, "abbreviation", "process"),
                             Text(f, "description", "process"), Pos(n)});
  });
  ForEachMap(
      sections.Get("programmes"), "programmes", [&](const YAML::Node& n) {
        Fields f(*this, n, "programme",
                 {"id", "name", "description", "processes", "period", "phases",
                  "source"});
        Programme p;
        p.id = RequiredText(f, n, "id", "programme");
        const std::string what = "programme '" + p.id + "'";
        p.name = RequiredText(f, n, "name", what);
        p.description = Text(f, "description", what);
        p.processes = RefList(f, "processes", what);
        p.period = Range(f, "period", what);
        p.pos = Pos(n);
        ForEachMap(f.Get("phases"), "phases", [&](const YAML::Node& pn) {
          Fields pf(*this, pn, what + " phase",
                    {"id", "name", "from", "to", "target", "source"});
          Phase phase;
          phase.id = RequiredText(pf, pn, "id", what + " phase");
          phase.name = Text(pf, "name", what);
          phase.dates.from =
              OptionalDate(pf, "from", what + " phase '" + phase.id + "'");
          phase.dates.to =
              OptionalDate(pf, "to", what + " phase '" + phase.id + "'");
          phase.target = OptionalInt(
              pf, "target", what + " phase '" + phase.id + "'", 0, 10'000'000);
          phase.pos = Pos(pn);
          p.phases.push_back(std::move(phase));
        });
        fw_.programmes.push_back(std::move(p));
      });
  ForEachMap(sections.Get("common_messages"), "common_messages",
             [&](const YAML::Node& n) {
               Fields f(*this, n, "common message", {"id", "text", "source"});
               fw_.common_messages.push_back(
                   {RequiredText(f, n, "id", "common message"),
                    RequiredText(f, n, "text", "common message"), Pos(n)});
             });
  ForEachMap(
      sections.Get("course_content"), "course_content",
      [&](const YAML::Node& n) {
        Fields f(*this, n, "course content section", {"id", "text", "source"});
        fw_.course_content.push_back(
            {RequiredText(f, n, "id", "course content section"),
             RequiredText(f, n, "text", "course content section"), Pos(n)});
      });
  ForEachMap(sections.Get("modules"), "modules",
             [&](const YAML::Node& n) { LoadModule(n); });
  ForEachMap(sections.Get("courses"), "courses",
             [&](const YAML::Node& n) { LoadCourse(n); });
  ForEachMap(sections.Get("checks"), "checks", [&](const YAML::Node& n) {
    Fields f(*this, n, "check",
             {"id", "name", "description", "evidence", "valid_for", "source"});
    Check c;
    c.id = RequiredText(f, n, "id", "check");
    const std::string what = "check '" + c.id + "'";
    c.name = RequiredText(f, n, "name", what);
    c.description = Text(f, "description", what);
    c.evidence = TextList(f, "evidence", what);
    c.valid_for = OptionalPeriod(f, "valid_for", what);
    if (IsUnknown(f.Get("valid_for"))) {
      Warn(Pos(f.Get("valid_for")),
           what + ": the source leaves unknown: valid_for");
    }
    c.source = Text(f, "source", what);
    c.pos = Pos(n);
    fw_.checks.push_back(std::move(c));
  });
  ForEachMap(sections.Get("readiness"), "readiness", [&](const YAML::Node& n) {
    Fields f(
        *this, n, "readiness checklist",
        {"id", "name", "programme", "condition_count", "conditions", "source"});
    ReadinessChecklist r;
    r.id = RequiredText(f, n, "id", "readiness checklist");
    const std::string what = "readiness checklist '" + r.id + "'";
    r.name = RequiredText(f, n, "name", what);
    if (auto programme = OptionalRef(f, "programme", what)) {
      r.programme = *programme;
    } else {
      Error(n, what + ": missing required field 'programme'");
    }
    r.condition_count = OptionalInt(f, "condition_count", what, 0, 10'000);
    std::vector<std::string> unknown;
    r.conditions = TextList(f, "conditions", what, &unknown);
    r.source = Text(f, "source", what);
    r.pos = Pos(n);
    if (!unknown.empty() && r.condition_count) {
      Warn(r.pos, what + ": the source does not name its " +
                      std::to_string(*r.condition_count) + " conditions");
    }
    if (r.condition_count && !r.conditions.empty() &&
        static_cast<int>(r.conditions.size()) != *r.condition_count) {
      Error(f.Get("conditions"), what + ": lists " +
                                     std::to_string(r.conditions.size()) +
                                     " conditions but condition_count says " +
                                     std::to_string(*r.condition_count));
    }
    fw_.readiness.push_back(std::move(r));
  });
  ForEachMap(sections.Get("requirements"), "requirements",
             [&](const YAML::Node& n) { LoadRequirement(n); });
  ForEachMap(sections.Get("priority_groups"), "priority_groups",
             [&](const YAML::Node& n) {
               Fields f(*this, n, "priority group",
                        {"id", "name", "who", "applies_to", "note", "source"});
               PriorityGroup g;
               g.id = RequiredText(f, n, "id", "priority group");
               const std::string what = "priority group '" + g.id + "'";
               g.name = Text(f, "name", what);
               g.who = ParseWho(f.Get("who"), n, what);
               g.applies_to = RefList(f, "applies_to", what);
               g.note = Text(f, "note", what);
               g.pos = Pos(n);
               fw_.priority_groups.push_back(std::move(g));
             });
  ForEachMap(sections.Get("certifications"), "certifications",
             [&](const YAML::Node& n) {
               Fields f(*this, n, "certification",
                        {"id", "name", "by", "roles", "minimum_per_role",
                         "note", "source"});
               Certification c;
               c.id = RequiredText(f, n, "id", "certification");
               const std::string what = "certification '" + c.id + "'";
               c.name = RequiredText(f, n, "name", what);
               c.by = OptionalRef(f, "by", what);
               c.roles = RefList(f, "roles", what);
               c.minimum_per_role =
                   OptionalInt(f, "minimum_per_role", what, 0, 1000);
               c.note = Text(f, "note", what);
               c.pos = Pos(n);
               fw_.certifications.push_back(std::move(c));
             });
  ForEachMap(sections.Get("competency_frameworks"), "competency_frameworks",
             [&](const YAML::Node& n) { LoadCompetencyFramework(n); });
  ForEachMap(sections.Get("common_core"), "common_core",
             [&](const YAML::Node& n) { LoadCommonCore(n); });
  ForEachMap(
      sections.Get("learning_outcomes"), "learning_outcomes",
      [&](const YAML::Node& n) {
        Fields f(*this, n, "learning outcomes",
                 {"id", "name", "description", "audiences", "outcomes",
                  "topics", "source"});
        TargetGroupOutcomes t;
        t.id = RequiredText(f, n, "id", "learning outcomes");
        const std::string what = "learning outcomes '" + t.id + "'";
        t.name = RequiredText(f, n, "name", what);
        t.description = Text(f, "description", what);
        t.audiences = RefList(f, "audiences", what);
        t.outcomes = TextList(f, "outcomes", what);
        t.source = Text(f, "source", what);
        t.pos = Pos(n);
        YAML::Node topics = f.Get("topics");
        if (topics.IsDefined() && !topics.IsNull()) {
          if (!topics.IsSequence()) {
            Error(topics, what + ": 'topics' must be a list");
          } else {
            for (const auto& item : topics) {
              Spend();
              if (item.IsScalar()) {
                t.topics.push_back({"", std::string(Trim(item.Scalar()))});
              } else if (item.IsMap()) {
                Fields tf(*this, item, what + " topic", {"ref", "text"});
                t.topics.push_back(
                    {Text(tf, "ref", what),
                     RequiredText(tf, item, "text", what + " topic")});
              } else {
                Error(item, what + ": each topic must be text or {ref, text}");
              }
            }
          }
        }
        fw_.learning_outcomes.push_back(std::move(t));
      });
  ForEachMap(sections.Get("trainer_competencies"), "trainer_competencies",
             [&](const YAML::Node& n) {
               Fields f(*this, n, "trainer competency",
                        {"id", "name", "knowledge", "skills", "experience",
                         "measured_by", "minimum_years_experience", "source"});
               TrainerCompetency c;
               c.id = RequiredText(f, n, "id", "trainer competency");
               const std::string what = "trainer competency '" + c.id + "'";
               c.name = RequiredText(f, n, "name", what);
               c.knowledge = TextList(f, "knowledge", what);
               c.skills = TextList(f, "skills", what);
               c.experience = TextList(f, "experience", what);
               c.measured_by = TextList(f, "measured_by", what);
               c.minimum_years_experience =
                   OptionalInt(f, "minimum_years_experience", what, 0, 60);
               c.pos = Pos(n);
               fw_.trainer_competencies.push_back(std::move(c));
             });
  ForEachMap(sections.Get("standards"), "standards",
             [&](const YAML::Node& n) { LoadStandard(n); });
}

void Loader::LoadHeader(const YAML::Node& node) {
  if (!node.IsMap()) {
    Error(node, "'framework' must be a mapping with id, title and version");
    return;
  }
  if (saw_header_) {
    Error(node, "a second 'framework:' header; a framework has exactly one");
    return;
  }
  saw_header_ = true;
  Fields f(*this, node, "framework",
           {"id", "title", "version", "source", "description", "published",
            "approved", "next_review", "period"});
  FrameworkInfo& info = fw_.info;
  info.id = RequiredText(f, node, "id", "framework");
  info.title = RequiredText(f, node, "title", "framework");
  info.version = RequiredText(f, node, "version", "framework");
  info.source = Text(f, "source", "framework");
  info.description = Text(f, "description", "framework");
  info.published = OptionalDate(f, "published", "framework");
  info.approved = OptionalDate(f, "approved", "framework");
  info.next_review = OptionalDate(f, "next_review", "framework");
  info.period = Range(f, "period", "framework");
  info.pos = Pos(node);
}

void Loader::LoadModule(const YAML::Node& n) {
  Fields f(*this, n, "module",
           {"ref",
            "version",
            "name",
            "process",
            "description",
            "audiences",
            "optional_audiences",
            "audience_note",
            "separate_audiences",
            "system_specific",
            "objectives",
            "content",
            "delivery",
            "delivery_note",
            "duration",
            "development",
            "sequencing",
            "prerequisites",
            "validity",
            "assessment",
            "covers",
            "notes",
            "source"});
  Module m;
  m.pos = Pos(n);
  m.ref = RequiredText(f, n, "ref", "module");
  const std::string what =
      "module " + (m.ref.empty() ? std::string("(no ref)") : m.ref);
  m.version = Text(f, "version", what);
  m.name = RequiredText(f, n, "name", what);
  if (auto process = OptionalRef(f, "process", what)) {
    m.process = *process;
  } else if (!f.Has("process")) {
    Error(n, what + ": missing required field 'process'");
  } else if (IsUnknown(f.Get("process"))) {
    Error(f.Get("process"),
          what + ": 'process' cannot be unknown: each belongs to one process");
  }
  m.description = Text(f, "description", what, &m.unknown);
  YAML::Node audiences = f.Get("audiences");
  if (audiences.IsScalar() && ToLower(Trim(audiences.Scalar())) == "all") {
    m.all_audiences = true;
  } else if (!audiences.IsDefined() || audiences.IsNull() ||
             IsUnknown(audiences)) {
    m.unknown.emplace_back("audiences");
  } else {
    m.audiences = RefList(audiences, what, "audiences");
  }
  m.optional_audiences = RefList(f, "optional_audiences", what);
  m.audience_note = Text(f, "audience_note", what);
  m.separate_audiences = Flag(f, "separate_audiences", what);
  m.system_specific = Flag(f, "system_specific", what);
  m.objectives = TextList(f, "objectives", what, &m.unknown);
  m.content = TextList(f, "content", what, &m.unknown);
  std::vector<std::string> delivery_unknown;
  for (const auto& word : TextList(f, "delivery", what, &delivery_unknown)) {
    if (auto d = ParseDelivery(ToLower(word))) {
      m.delivery.push_back(*d);
    } else {
      static const std::vector<std::string> kAllowed(DeliveryNames().begin(),
                                                     DeliveryNames().end());
      std::string message = what;
      message += ": delivery: value '" + word + "' is not a delivery mechanism";
      if (auto near = SuggestClosest(word, kAllowed))
        message += "; did you mean '" + *near + "'?";
      Error(f.Get("delivery"), message);
    }
  }
  m.unknown.insert(m.unknown.end(), delivery_unknown.begin(),
                   delivery_unknown.end());
  m.delivery_note = Text(f, "delivery_note", what);
  YAML::Node duration = f.Get("duration");
  if (!duration.IsDefined() || duration.IsNull() || IsUnknown(duration)) {
    m.unknown.emplace_back("duration");
  } else if (!duration.IsScalar()) {
    Error(duration, what + ": 'duration' must be text such as '2-3 hours'");
  } else {
    m.duration_text = std::string(Trim(duration.Scalar()));
    auto parsed = ParseDuration(m.duration_text);
    if (!parsed) {
      Error(duration, what + ": duration: value '" + m.duration_text +
                          "': " + parsed.error());
    } else {
      m.duration = *parsed;
    }
  }
  m.development = Text(f, "development", what, &m.unknown);
  if (YAML::Node s = f.Get("sequencing"); s.IsDefined() && !s.IsNull()) {
    m.sequencing = ParseCondition(s, what + ": sequencing");
  }
  if (YAML::Node p = f.Get("prerequisites"); p.IsDefined() && !p.IsNull()) {
    m.prerequisites = ParseCondition(p, what + ": prerequisites");
  }
  m.validity = OptionalPeriod(f, "validity", what);
  if (YAML::Node a = f.Get("assessment"); a.IsDefined() && !a.IsNull()) {
    m.assessment = ParseAssessment(a, what);
  }
  m.covers = ParseCoverage(f.Get("covers"), what);
  m.notes = TextList(f, "notes", what);
  m.source = Text(f, "source", what);
  if (!m.unknown.empty()) {
    Warn(m.pos, what + (m.name.empty() ? "" : " '" + m.name + "'") +
                    ": the source leaves unknown: " + Join(m.unknown, ", "));
  }
  fw_.modules.push_back(std::move(m));
}

void Loader::LoadCourse(const YAML::Node& n) {
  Fields f(*this, n, "course",
           {"id", "name", "process", "description", "modules", "audiences",
            "covers", "prerequisites", "materials", "source"});
  Course c;
  c.pos = Pos(n);
  c.id = RequiredText(f, n, "id", "course");
  const std::string what =
      "course " + (c.id.empty() ? std::string("(no id)") : c.id);
  c.name = RequiredText(f, n, "name", what);
  if (auto process = OptionalRef(f, "process", what)) {
    c.process = *process;
  } else if (!f.Has("process")) {
    Error(n, what + ": missing required field 'process'");
  } else if (IsUnknown(f.Get("process"))) {
    Error(f.Get("process"),
          what + ": 'process' cannot be unknown: each belongs to one process");
  }
  c.description = Text(f, "description", what);
  c.modules = RefList(f, "modules", what);
  if (c.modules.empty() && !f.Has("modules")) {
    Error(n, what + ": missing required field 'modules'");
  } else if (c.modules.empty()) {
    Error(f.Get("modules"), what + ": a course has at least one module");
  }
  c.audiences = RefList(f, "audiences", what);
  c.covers = ParseCoverage(f.Get("covers"), what);
  if (YAML::Node p = f.Get("prerequisites"); p.IsDefined() && !p.IsNull()) {
    c.prerequisites = ParseCondition(p, what + ": prerequisites");
  }
  ForEachMap(f.Get("materials"), "materials", [&](const YAML::Node& mn) {
    Fields mf(*this, mn, what + " material", {"kind", "version", "file"});
    Material material{RequiredText(mf, mn, "kind", what + " material"),
                      Text(mf, "version", what), Text(mf, "file", what),
                      Pos(mn)};
    static const std::vector<std::string> kKinds = {
        "outline", "specification", "training-materials", "trainer-guide"};
    if (!material.kind.empty() && std::find(kKinds.begin(), kKinds.end(),
                                            material.kind) == kKinds.end()) {
      Error(mf.Get("kind"), what + ": material kind '" + material.kind +
                                "' is not one of: " + Join(kKinds, ", "));
    }
    c.materials.push_back(std::move(material));
  });
  c.source = Text(f, "source", what);
  fw_.courses.push_back(std::move(c));
}

void Loader::LoadRequirement(const YAML::Node& n) {
  Fields f(*this, n, "requirement",
           {"id", "who", "level", "take", "refresh", "source"});
  Requirement r;
  r.pos = Pos(n);
  r.id = RequiredText(f, n, "id", "requirement");
  const std::string what = "requirement '" + r.id + "'";
  r.who = ParseWho(f.Get("who"), n, what);
  const std::string level = Text(f, "level", what);
  if (level == "required") {
    r.level = RequirementLevel::kRequired;
  } else if (level == "recommended" || level.empty()) {
    r.level = RequirementLevel::kRecommended;
  } else {
    Error(f.Get("level"), what + ": level: value '" + level +
                              "': expected 'required' or 'recommended'");
  }
  YAML::Node take = f.Get("take");
  if (!take.IsDefined() || take.IsNull()) {
    Error(n, what + ": missing required field 'take'");
  } else if (auto condition = ParseCondition(take, what + ": take")) {
    r.take = std::move(*condition);
  }
  r.refresh = OptionalPeriod(f, "refresh", what);
  r.source = Text(f, "source", what);
  fw_.requirements.push_back(std::move(r));
}

Who Loader::ParseWho(const YAML::Node& node, const YAML::Node& owner,
                     std::string_view what) {
  Who who;
  who.pos = Pos(node);
  const std::string context = std::string(what) + ": who";
  if (!node.IsDefined() || node.IsNull()) {
    Error(node.IsDefined() ? node : owner,
          std::string(what) +
              ": missing 'who' (audiences, roles, sectors or everyone)");
    return who;
  }
  if (node.IsScalar()) {
    const std::string v = ToLower(Trim(node.Scalar()));
    if (v == "everyone" || v == "all") {
      who.everyone = true;
    } else {
      Error(node, context + ": value '" + node.Scalar() +
                      "': expected 'everyone' or {audiences, roles, sectors}");
    }
    return who;
  }
  if (!node.IsMap()) {
    Error(node,
          context + ": expected 'everyone' or {audiences, roles, sectors}");
    return who;
  }
  Fields f(*this, node, context, {"audiences", "roles", "sectors"});
  who.audiences = RefList(f, "audiences", context);
  who.roles = RefList(f, "roles", context);
  who.sectors = RefList(f, "sectors", context);
  if (who.audiences.empty() && who.roles.empty() && who.sectors.empty()) {
    Error(node, context + ": names nobody; give audiences, roles or sectors");
  }
  return who;
}

Coverage Loader::ParseCoverage(const YAML::Node& node, std::string_view what) {
  Coverage coverage;
  if (!node.IsDefined() || node.IsNull()) return coverage;
  if (!node.IsMap()) {
    Error(node, std::string(what) +
                    ": 'covers' must be {course_content: [...], "
                    "common_messages: [...]}");
    return coverage;
  }
  Fields f(*this, node, std::string(what) + " covers",
           {"course_content", "common_messages"});
  coverage.course_content = RefList(f, "course_content", what);
  coverage.common_messages = RefList(f, "common_messages", what);
  return coverage;
}

std::optional<Assessment> Loader::ParseAssessment(const YAML::Node& node,
                                                  std::string_view what) {
  if (!node.IsMap()) {
    Error(node, std::string(what) + ": 'assessment' must be a mapping");
    return std::nullopt;
  }
  const std::string context = std::string(what) + " assessment";
  Fields f(*this, node, context,
           {"kind", "questions", "minutes", "pass_percent", "certifies"});
  Assessment a;
  a.pos = Pos(node);
  a.kind = RequiredText(f, node, "kind", context);
  a.questions = OptionalInt(f, "questions", context, 1, 1000);
  a.minutes = OptionalInt(f, "minutes", context, 1, 24 * 60);
  a.pass_percent = OptionalInt(f, "pass_percent", context, 0, 100);
  a.certifies = OptionalRef(f, "certifies", context);
  std::vector<std::string> unknown;
  if (!a.minutes) unknown.emplace_back("time limit");
  if (!a.pass_percent) unknown.emplace_back("pass mark");
  if (!unknown.empty())
    Warn(a.pos,
         context + ": the source leaves unknown: " + Join(unknown, ", "));
  return a;
}

std::optional<Condition> Loader::ParseCondition(const YAML::Node& node,
                                                std::string_view what,
                                                int depth) {
  Spend();
  if (depth > kMaxConditionDepth) {
    Error(node, std::string(what) + ": condition nested more than " +
                    std::to_string(kMaxConditionDepth) + " levels deep");
    return std::nullopt;
  }
  Condition c;
  c.pos = Pos(node);
  if (node.IsScalar()) {
    const std::string ref(Trim(node.Scalar()));
    if (ref.empty()) {
      Error(node, std::string(what) + ": an empty reference");
      return std::nullopt;
    }
    c.kind = ConditionKind::kCompleted;
    c.ref = {ref, c.pos};
    return c;
  }
  auto parse_list = [&](const YAML::Node& list,
                        ConditionKind kind) -> std::optional<Condition> {
    Condition group;
    group.kind = kind;
    group.pos = Pos(list);
    if (!list.IsSequence() || list.size() == 0) {
      Error(list, std::string(what) + ": '" +
                      (kind == ConditionKind::kAnyOf ? "any_of" : "all_of") +
                      "' must be a non-empty list of conditions");
      return std::nullopt;
    }
    for (const auto& item : list) {
      if (auto child = ParseCondition(item, what, depth + 1))
        group.children.push_back(std::move(*child));
    }
    if (group.children.empty()) return std::nullopt;
    return group;
  };
  if (node.IsSequence()) return parse_list(node, ConditionKind::kAllOf);
  if (!node.IsMap()) {
    Error(node, std::string(what) +
                    ": a condition must be a reference, a list, or a mapping");
    return std::nullopt;
  }
  Fields f(
      *this, node, what,
      {"after", "completed", "within", "at_least", "in_last", "all_of",
       "any_of", "experience", "check", "organisation_ready", "target_group"});
  std::vector<std::string> kinds;
  for (const char* k : {"after", "completed", "all_of", "any_of", "experience",
                        "check", "organisation_ready", "target_group"}) {
    if (f.Has(k)) kinds.emplace_back(k);
  }
  if (kinds.size() != 1) {
    Error(node,
          std::string(what) +
              ": a condition needs exactly one of after, completed, all_of, "
              "any_of, experience, check, organisation_ready, target_group" +
              (kinds.empty() ? std::string() : "; found " + Join(kinds, ", ")));
    return std::nullopt;
  }
  const std::string& kind = kinds.front();
  const bool completed = kind == "after" || kind == "completed";
  for (const char* modifier : {"within", "at_least"}) {
    if (f.Has(modifier) && !completed) {
      Error(f.Get(modifier), std::string(what) + ": '" + modifier +
                                 "' applies only to after/completed");
    }
  }
  if (f.Has("in_last") && !completed && kind != "check") {
    Error(f.Get("in_last"),
          std::string(what) +
              ": 'in_last' applies only to after/completed/check");
  }
  const auto within = OptionalPeriod(f, "within", what);
  const auto at_least = OptionalPeriod(f, "at_least", what);
  const auto in_last = OptionalPeriod(f, "in_last", what);
  if (completed) {
    YAML::Node target = f.Get(kind);
    auto make = [&](const YAML::Node& ref_node) -> std::optional<Condition> {
      if (!ref_node.IsScalar() || Trim(ref_node.Scalar()).empty()) {
        Error(ref_node, std::string(what) + ": '" + kind +
                            "' must name a module or course");
        return std::nullopt;
      }
      Condition atom;
      atom.kind = ConditionKind::kCompleted;
      atom.pos = Pos(ref_node);
      atom.ref = {std::string(Trim(ref_node.Scalar())), atom.pos};
      atom.within = within;
      atom.at_least = at_least;
      atom.in_last = in_last;
      return atom;
    };
    if (target.IsSequence()) {  // {after: [A, B]}: every one, each with the
                                // modifiers
      c.kind = ConditionKind::kAllOf;
      for (const auto& item : target) {
        Spend();
        if (auto atom = make(item)) c.children.push_back(std::move(*atom));
      }
      if (c.children.empty()) {
        if (target.size() == 0) {
          Error(target, std::string(what) + ": '" + kind +
                            "' names no module or course");
        }
        return std::nullopt;
      }
      return c;
    }
    return make(target);
  }
  if (kind == "all_of") return parse_list(f.Get(kind), ConditionKind::kAllOf);
  if (kind == "any_of") return parse_list(f.Get(kind), ConditionKind::kAnyOf);
  if (kind == "check" || kind == "organisation_ready") {
    YAML::Node target = f.Get(kind);
    if (!target.IsScalar() || Trim(target.Scalar()).empty()) {
      Error(target,
            std::string(what) + ": '" + kind + "' must name " +
                (kind == "check" ? "a check" : "a readiness checklist"));
      return std::nullopt;
    }
    c.kind = kind == "check" ? ConditionKind::kCheck
                             : ConditionKind::kOrganisationReady;
    c.ref = {std::string(Trim(target.Scalar())), Pos(target)};
    c.in_last = in_last;
    return c;
  }
  if (kind == "experience") {
    YAML::Node e = f.Get(kind);
    if (!e.IsMap()) {
      Error(e, std::string(what) +
                   ": 'experience' must be {area, level, years, attested_by}");
      return std::nullopt;
    }
    Fields ef(*this, e, std::string(what) + " experience",
              {"area", "level", "years", "attested_by"});
    c.kind = ConditionKind::kExperience;
    c.area = Text(ef, "area", what);
    c.level = Text(ef, "level", what);
    c.years = OptionalInt(ef, "years", what, 0, 60);
    c.attested_by = Text(ef, "attested_by", what);
    if (c.area.empty() && c.level.empty() && !c.years) {
      Error(e, std::string(what) +
                   ": 'experience' needs an area, a level or years");
    }
    return c;
  }
  // target_group
  YAML::Node t = f.Get(kind);
  if (!t.IsMap()) {
    Error(t, std::string(what) +
                 ": 'target_group' must be {audiences, roles, sectors}");
    return std::nullopt;
  }
  Fields tf(*this, t, std::string(what) + " target_group",
            {"audiences", "roles", "sectors"});
  c.kind = ConditionKind::kTargetGroup;
  c.audiences = RefList(tf, "audiences", what);
  c.roles = RefList(tf, "roles", what);
  c.sectors = RefList(tf, "sectors", what);
  if (c.audiences.empty() && c.roles.empty() && c.sectors.empty()) {
    Error(t, std::string(what) + ": 'target_group' names nobody");
  }
  return c;
}

std::vector<ItemGroup> Loader::ParseGroups(const YAML::Node& node,
                                           std::string_view what) {
  std::vector<ItemGroup> groups;
  ForEachMap(node, what, [&](const YAML::Node& g) {
    Fields f(*this, g, what, {"name", "items"});
    groups.push_back(
        {RequiredText(f, g, "name", what), TextList(f, "items", what)});
  });
  return groups;
}

void Loader::LoadCompetencyFramework(const YAML::Node& n) {
  Fields f(*this, n, "competency framework",
           {"id", "name", "source", "stages"});
  CompetencyFramework cf;
  cf.id = RequiredText(f, n, "id", "competency framework");
  const std::string what = "competency framework '" + cf.id + "'";
  cf.name = RequiredText(f, n, "name", what);
  cf.source = Text(f, "source", what);
  cf.pos = Pos(n);
  static const std::vector<std::string> kStages = {
      "novice", "advanced-beginner", "competent", "proficient", "expert"};
  ForEachMap(f.Get("stages"), "stages", [&](const YAML::Node& sn) {
    Fields sf(*this, sn, what + " stage",
              {"stage", "name", "core_skills", "courses"});
    CompetencyStage stage;
    stage.pos = Pos(sn);
    const std::string id = RequiredText(sf, sn, "stage", what + " stage");
    auto it = std::find(kStages.begin(), kStages.end(), id);
    if (it == kStages.end()) {
      if (!id.empty()) {
        std::string message = what + ": stage '" + id +
                              "' is not a Dreyfus stage (" +
                              Join(kStages, ", ") + ")";
        if (auto near = SuggestClosest(id, kStages))
          message += "; did you mean '" + *near + "'?";
        Error(sf.Get("stage"), message);
      }
      return;
    }
    stage.stage = static_cast<DreyfusStage>(it - kStages.begin());
    stage.name = Text(sf, "name", what);
    stage.core_skills = TextList(sf, "core_skills", what);
    stage.courses = RefList(sf, "courses", what);
    cf.stages.push_back(std::move(stage));
  });
  fw_.competency_frameworks.push_back(std::move(cf));
}

void Loader::LoadCommonCore(const YAML::Node& n) {
  Fields f(*this, n, "common core", {"id", "name", "source", "areas"});
  CommonCore cc;
  cc.id = RequiredText(f, n, "id", "common core");
  const std::string what = "common core '" + cc.id + "'";
  cc.name = RequiredText(f, n, "name", what);
  cc.source = Text(f, "source", what);
  cc.pos = Pos(n);
  ForEachMap(f.Get("areas"), "areas", [&](const YAML::Node& an) {
    Fields af(*this, an, what + " area",
              {"id", "name", "description", "skills", "knowledge"});
    CommonCoreArea area;
    area.id = RequiredText(af, an, "id", what + " area");
    area.name = RequiredText(af, an, "name", what + " area");
    area.description = Text(af, "description", what);
    area.skills = ParseGroups(af.Get("skills"), what + " skills");
    area.knowledge = ParseGroups(af.Get("knowledge"), what + " knowledge");
    area.pos = Pos(an);
    cc.areas.push_back(std::move(area));
  });
  fw_.common_core.push_back(std::move(cc));
}

void Loader::LoadStandard(const YAML::Node& n) {
  Fields f(*this, n, "standard",
           {"id", "name", "applies_to", "items", "source"});
  Standard s;
  s.id = RequiredText(f, n, "id", "standard");
  const std::string what = "standard '" + s.id + "'";
  s.name = RequiredText(f, n, "name", what);
  s.applies_to = Text(f, "applies_to", what);
  s.source = Text(f, "source", what);
  s.pos = Pos(n);
  YAML::Node items = f.Get("items");
  if (items.IsDefined() && !items.IsNull()) {
    if (!items.IsSequence()) {
      Error(items, what + ": 'items' must be a list");
    } else {
      for (const auto& item : items) {
        Spend();
        if (item.IsScalar()) {
          s.items.push_back(
              {"", std::string(Trim(item.Scalar())), std::nullopt});
          continue;
        }
        if (!item.IsMap()) {
          Error(item,
                what + ": each item must be text or {id, text, condition}");
          continue;
        }
        Fields itf(*this, item, what + " item", {"id", "text", "condition"});
        StandardItem standard_item{
            Text(itf, "id", what),
            RequiredText(itf, item, "text", what + " item"), std::nullopt};
        if (YAML::Node c = itf.Get("condition"); c.IsDefined() && !c.IsNull()) {
          standard_item.condition = ParseCondition(c, what + " item condition");
        }
        s.items.push_back(std::move(standard_item));
      }
    }
  }
  fw_.standards.push_back(std::move(s));
}

// Parses one file's text into `framework`, appending findings. Returns false
// when the file could not be read as YAML at all (too large, not text, too
// deep, a syntax error), so callers do not add a misleading "no header".
bool LoadText(std::string_view text, const std::string& file,
              Framework& framework, std::vector<Finding>& findings,
              bool& saw_header) {
  if (text.size() > kMaxFileBytes) {
    findings.push_back(
        {Severity::kError, SourcePos{file, 0, 0},
         "the file is larger than " +
             std::to_string(kMaxFileBytes / (size_t{1024} * 1024)) +
             " MiB; a framework file is far smaller"});
    return false;
  }
  if (text.find('\0') != std::string_view::npos) {
    findings.push_back({Severity::kError, SourcePos{file, 0, 0},
                        "the file contains a NUL byte; it is not a text file"});
    return false;
  }
  if (auto bad = InvalidUtf8At(text)) {
    auto [line, column] = LineAndColumn(text, *bad);
    findings.push_back({Severity::kError, SourcePos{file, line, column},
                        "the file is not UTF-8 text here; save it as UTF-8"});
    return false;
  }
  if (auto line = TooDeepAt(text)) {
    findings.push_back(
        {Severity::kError, SourcePos{file, *line, 1},
         "the YAML nests more than " + std::to_string(kMaxNesting) +
             " levels deep here; a framework file never needs that"});
    return false;
  }
  // YAML::Load reads the first document only, so a second one would be
  // ignored without a word. (YAML::LoadAll is no answer: yaml-cpp 0.7 loops
  // forever on some malformed input there, as the fuzzer found.)
  if (auto line = SecondDocumentAt(text)) {
    findings.push_back({Severity::kError, SourcePos{file, *line, 1},
                        "a second YAML document ('---'); put each framework "
                        "file's sections in one document"});
    return false;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    findings.push_back({Severity::kError,
                        SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                        "YAML syntax: " + e.msg});
    return false;
  }
  const size_t findings_before = findings.size();
  try {
    Loader(framework, findings, file, saw_header).LoadDocument(root);
  } catch (const BudgetExhausted&) {
    findings.resize(findings_before);
    findings.push_back({Severity::kError, SourcePos{file, 0, 0},
                        "the file expands to more than " +
                            std::to_string(kMaxNodeVisits) +
                            " YAML nodes (aliases?); refusing to load it"});
  } catch (const YAML::Exception& e) {
    findings.push_back({Severity::kError,
                        SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                        "YAML: " + e.msg});
  }
  return true;
}

bool IsYamlFile(const fs::path& path) {
  const auto ext = path.extension();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

bool LoadResult::HasErrors() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.severity == Severity::kError;
  });
}

LoadResult LoadFrameworkFromText(std::string_view text,
                                 const std::string& file_name) {
  LoadResult result;
  Framework framework;
  bool saw_header = false;
  const bool read =
      LoadText(text, file_name, framework, result.findings, saw_header);
  if (!saw_header) {
    if (read) {
      result.findings.push_back({Severity::kError, SourcePos{file_name, 1, 1},
                                 "no 'framework:' header with the framework's "
                                 "id, title and version"});
    }
    return result;
  }
  result.framework = std::move(framework);
  return result;
}

LoadResult LoadFramework(const fs::path& path) {
  LoadResult result;
  std::error_code ec;
  std::vector<fs::path> files;
  const bool is_directory = fs::is_directory(path, ec);
  if (is_directory) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file(ec) && IsYamlFile(entry.path()))
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      result.findings.push_back({Severity::kError,
                                 SourcePos{path.string(), 0, 0},
                                 "no *.yaml files in this folder"});
      return result;
    }
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    result.findings.push_back({Severity::kError, SourcePos{path.string(), 0, 0},
                               "no such file or folder"});
    return result;
  }

  Framework framework;
  framework.directory = path.string();
  bool saw_header = false;
  bool syntax_failed = false;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      result.findings.push_back(
          {Severity::kError, SourcePos{file.string(), 0, 0}, "cannot be read"});
      syntax_failed = true;
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!LoadText(buffer.str(), file.string(), framework, result.findings,
                  saw_header)) {
      syntax_failed = true;
    }
  }
  if (!saw_header) {
    if (!syntax_failed) {
      result.findings.push_back({Severity::kError,
                                 SourcePos{files.front().string(), 1, 1},
                                 "no 'framework:' header with the framework's "
                                 "id, title and version"});
    }
    return result;
  }
  if (is_directory && !framework.info.id.empty() &&
      framework.info.id != path.filename().string() &&
      !(path.filename().empty() &&
        framework.info.id == path.parent_path().filename().string())) {
    result.findings.push_back({Severity::kError, framework.info.pos,
                               "framework id '" + framework.info.id +
                                   "' differs from its folder name '" +
                                   path.filename().string() + "'"});
  }
  result.framework = std::move(framework);
  return result;
}

std::vector<fs::path> DiscoverFrameworks(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  bool has_yaml = false;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_regular_file(ec) && IsYamlFile(entry.path())) has_yaml = true;
    if (entry.is_directory(ec)) {
      for (const auto& inner : fs::directory_iterator(entry.path(), ec)) {
        if (inner.is_regular_file(ec) && IsYamlFile(inner.path())) {
          out.push_back(entry.path());
          break;
        }
      }
    }
  }
  if (has_yaml) return {root};
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace trellis
