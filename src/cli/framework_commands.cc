#include "cli/framework_commands.h"

#include <cstdlib>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/common.h"
#include "cli/framework_set.h"
#include "domain/text.h"
#include "engine/course_check.h"
#include "engine/matrix.h"
#include "engine/route.h"
#include "store/framework_loader.h"

namespace trellis::cli {
namespace {

std::string RefIds(const std::vector<Ref>& refs) {
  std::vector<std::string> ids;
  for (const auto& r : refs) ids.push_back(r.id);
  return Join(ids, ", ");
}

const char* kNotKnown = "not known";

// "1 module", "3 modules", "2 processes".
std::string Count(size_t n, const std::string& one,
                  const std::string& many = "") {
  return std::to_string(n) + " " +
         (n == 1         ? one
          : many.empty() ? one + "s"
                         : many);
}

void PrintField(std::ostream& out, std::string_view label,
                const std::string& value) {
  out << "  " << std::left << std::setw(15) << (std::string(label) + ":")
      << (value.empty() ? kNotKnown : value) << "\n";
}
void PrintList(std::ostream& out, std::string_view label,
               const std::vector<std::string>& items,
               const char* when_empty = kNotKnown) {
  if (items.empty()) {
    out << "  " << std::left << std::setw(15) << (std::string(label) + ":")
        << when_empty << "\n";
    return;
  }
  out << "  " << std::string(label) << ":\n";
  for (const auto& item : items) out << "    - " << item << "\n";
}

void ShowModule(std::ostream& out, const Framework& fw, const Module& m) {
  out << m.ref << "  " << m.name << "\n";
  out << "  module of " << fw.info.id << " " << fw.info.version
      << (m.version.empty() ? "" : ", module version " + m.version) << "\n";
  const Process* process = fw.FindProcess(m.process.id);
  PrintField(
      out, "process",
      m.process.id + (process != nullptr ? " (" + process->name + ")" : ""));
  PrintField(out, "description", m.description);
  std::string audiences =
      m.all_audiences ? std::string("all") : RefIds(m.audiences);
  if (!m.optional_audiences.empty()) {
    audiences += (audiences.empty() ? "" : "; ") + std::string("optional: ") +
                 RefIds(m.optional_audiences);
  }
  PrintField(out, "audiences", audiences);
  if (!m.audience_note.empty())
    PrintField(out, "  as written", m.audience_note);
  if (m.separate_audiences)
    PrintField(out, "sessions", "keep the audiences in separate sessions");
  if (m.system_specific)
    PrintField(out, "sessions", "one case-management system per session");
  PrintList(out, "objectives", m.objectives);
  PrintList(out, "content", m.content);
  std::vector<std::string> delivery;
  for (Delivery d : m.delivery) delivery.emplace_back(DeliveryName(d));
  std::string delivery_text = Join(delivery, ", ");
  if (!m.delivery_note.empty()) delivery_text += " (" + m.delivery_note + ")";
  PrintField(out, "delivery",
             delivery.empty() && m.delivery_note.empty() ? "" : delivery_text);
  PrintField(out, "duration", m.duration ? FormatDuration(*m.duration) : "");
  PrintField(out, "development", m.development);
  PrintField(out, "sequencing",
             m.sequencing ? DescribeCondition(*m.sequencing) : "none stated");
  PrintField(
      out, "prerequisites",
      m.prerequisites ? DescribeCondition(*m.prerequisites) : "none stated");
  PrintField(out, "validity",
             m.validity ? FormatPeriod(*m.validity) : "none stated");
  if (m.assessment) {
    const Assessment& a = *m.assessment;
    std::string text = a.kind;
    text +=
        ", " +
        (a.questions ? std::to_string(*a.questions) : std::string(kNotKnown)) +
        " questions";
    text +=
        ", time limit " + (a.minutes ? std::to_string(*a.minutes) + " minutes"
                                     : std::string(kNotKnown));
    text +=
        ", pass mark " + (a.pass_percent ? std::to_string(*a.pass_percent) + "%"
                                         : std::string(kNotKnown));
    if (a.certifies) text += "; certifies " + a.certifies->id;
    PrintField(out, "assessment", text);
  }
  std::vector<std::string> covers;
  for (const auto& r : m.covers.course_content)
    covers.push_back("content " + r.id);
  for (const auto& r : m.covers.common_messages)
    covers.push_back("message " + r.id);
  PrintField(out, "covers",
             covers.empty() ? "nothing stated" : Join(covers, ", "));
  std::vector<std::string> courses;
  for (const auto& c : fw.courses) {
    for (const auto& r : c.modules) {
      if (r.id == m.ref) courses.push_back(c.id);
    }
  }
  PrintField(out, "in courses", courses.empty() ? "none" : Join(courses, ", "));
  std::vector<std::string> taken_by;
  for (const auto& a : fw.audiences) {
    for (const Module* taken : AudienceModules(fw, a.id)) {
      if (taken == &m) taken_by.push_back(a.id);
    }
  }
  PrintField(out, "in routes of",
             taken_by.empty() ? "none" : Join(taken_by, ", "));
  for (const auto& note : m.notes) PrintField(out, "note", note);
  PrintField(out, "source", m.source);
  if (!m.unknown.empty()) PrintField(out, "unknown", Join(m.unknown, ", "));
}

void ShowCourse(std::ostream& out, const Framework& fw, const Course& c) {
  out << c.id << "  " << c.name << "\n";
  out << "  course of " << fw.info.id << " " << fw.info.version << "\n";
  const Process* process = fw.FindProcess(c.process.id);
  PrintField(
      out, "process",
      c.process.id + (process != nullptr ? " (" + process->name + ")" : ""));
  PrintField(out, "description", c.description);
  std::vector<std::string> modules;
  for (const auto& r : c.modules) {
    const Module* m = fw.FindModule(r.id);
    std::string line = r.id + (m != nullptr ? "  " + m->name : "");
    if (m != nullptr)
      line += " (" +
              (m->duration ? FormatDuration(*m->duration)
                           : std::string("duration not known")) +
              ")";
    modules.push_back(line);
  }
  PrintList(out, "modules", modules);
  if (!c.audiences.empty()) {
    PrintField(out, "audiences", RefIds(c.audiences));
  } else {
    // Who a course is for follows from the requirements that ask for it.
    std::vector<std::string> wanted_by;
    for (const auto& r : fw.requirements) {
      std::vector<const Ref*> refs;
      CollectCompletedRefs(r.take, refs);
      const bool takes =
          std::any_of(refs.begin(), refs.end(),
                      [&](const Ref* x) { return x->id == c.id; });
      if (!takes) continue;
      for (const auto& a : r.who.audiences) wanted_by.push_back(a.id);
      for (const auto& role : r.who.roles)
        wanted_by.push_back("role " + role.id);
      if (r.who.everyone) wanted_by.emplace_back("everyone");
    }
    PrintField(out, "audiences",
               wanted_by.empty()
                   ? ""
                   : Join(wanted_by, ", ") + " (from the requirements)");
  }
  PrintField(
      out, "prerequisites",
      c.prerequisites ? DescribeCondition(*c.prerequisites) : "none stated");
  std::vector<std::string> materials;
  for (const auto& m : c.materials) {
    materials.push_back(m.kind +
                        (m.version.empty() ? "" : " version " + m.version) +
                        (m.file.empty() ? "" : " (" + m.file + ")"));
  }
  PrintList(out, "materials", materials, "none recorded");
  PrintField(out, "source", c.source);
}

int Validate(const GlobalOptions& global, const std::vector<std::string>& paths,
             std::ostream& out, std::ostream& err) {
  std::vector<std::filesystem::path> targets;
  if (paths.empty()) {
    targets = DiscoverFrameworks(FrameworksRoot(global.frameworks_root));
    if (targets.empty()) {
      err << "trellis: no frameworks found under "
          << FrameworksRoot(global.frameworks_root).string() << "\n";
      return 1;
    }
  } else {
    for (const auto& p : paths) {
      auto found = DiscoverFrameworks(p);
      // A folder of framework folders stands for each of them; anything else is
      // one.
      if (std::filesystem::is_directory(p) && !found.empty()) {
        targets.insert(targets.end(), found.begin(), found.end());
      } else {
        targets.emplace_back(p);
      }
    }
  }
  size_t errors = 0;
  size_t warnings = 0;
  for (const auto& target : targets) {
    LoadedFramework loaded = LoadAndValidate(target);
    for (const auto& f : loaded.findings) out << FormatFinding(f) << "\n";
    errors += loaded.Errors();
    warnings += loaded.Warnings();
  }
  err << targets.size() << (targets.size() == 1 ? " framework" : " frameworks")
      << " checked: " << errors << (errors == 1 ? " error, " : " errors, ")
      << warnings << (warnings == 1 ? " warning" : " warnings") << "\n";
  return errors > 0 ? 1 : 0;
}

int List(const GlobalOptions& global, std::ostream& out) {
  auto loaded = LoadAll(FrameworksRoot(global.frameworks_root));
  int status = 0;
  for (const auto& l : loaded) {
    if (!l.framework) {
      out << l.path.string() << ": could not be loaded (" << l.Errors()
          << " errors)\n";
      status = 1;
      continue;
    }
    const Framework& fw = *l.framework;
    out << fw.info.id << "  " << fw.info.version << "  " << fw.info.title
        << "\n";
    out << "  " << Count(fw.modules.size(), "module") << ", "
        << Count(fw.courses.size(), "course") << ", "
        << Count(fw.audiences.size(), "audience") << ", "
        << Count(fw.processes.size(), "process", "processes") << ", "
        << Count(fw.requirements.size(), "requirement") << ", "
        << Count(fw.competency_frameworks.size(), "competency framework")
        << ", " << Count(fw.learning_outcomes.size(), "target group") << "\n";
    out << "  " << Count(l.Errors(), "error") << ", "
        << Count(l.Warnings(), "warning");
    if (l.Warnings() > 0)
      out << " (trellis framework validate " << l.path.string() << ")";
    out << "\n";
    if (l.Errors() > 0) status = 1;
  }
  return status;
}

int Show(const GlobalOptions& global, const std::string& ref, std::ostream& out,
         std::ostream& err) {
  auto loaded = LoadAll(FrameworksRoot(global.frameworks_root));
  // "framework:REF" picks one framework; a bare REF is looked up in all of
  // them.
  std::string framework_id;
  std::string wanted = ref;
  if (auto colon = ref.find(':'); colon != std::string::npos) {
    framework_id = ref.substr(0, colon);
    wanted = ref.substr(colon + 1);
  }
  int shown = 0;
  std::vector<std::string> all_ids;
  for (const auto& l : loaded) {
    if (!l.framework ||
        (!framework_id.empty() && l.framework->info.id != framework_id))
      continue;
    const Framework& fw = *l.framework;
    if (const Module* m = fw.FindModule(wanted)) {
      if (shown++ > 0) out << "\n";
      ShowModule(out, fw, *m);
    } else if (const Course* c = fw.FindCourse(wanted)) {
      if (shown++ > 0) out << "\n";
      ShowCourse(out, fw, *c);
    }
    for (const auto& m : fw.modules) all_ids.push_back(m.ref);
    for (const auto& c : fw.courses) all_ids.push_back(c.id);
  }
  if (!framework_id.empty() &&
      std::none_of(loaded.begin(), loaded.end(), [&](const LoadedFramework& l) {
        return l.framework && l.framework->info.id == framework_id;
      })) {
    std::vector<std::string> ids;
    for (const auto& l : loaded) {
      if (l.framework) ids.push_back(l.framework->info.id);
    }
    std::string message = "no framework '" + framework_id + "'";
    if (auto near = SuggestClosest(framework_id, ids)) {
      message += "; did you mean '" + *near + "'?";
    }
    return ReportError(err, Error{ErrorCode::kNotFound, message, {}});
  }
  if (shown == 0) {
    std::string message = "no module or course '" + ref + "'";
    if (auto near = SuggestClosest(wanted, all_ids))
      message += "; did you mean '" + *near + "'?";
    return ReportError(err, Error{ErrorCode::kNotFound, message, {}});
  }
  return 0;
}

int MatrixCommand(const GlobalOptions& global, const std::string& framework_id,
                  const std::string& format, std::ostream& out,
                  std::ostream& err) {
  auto selected =
      LoadSelected(FrameworksRoot(global.frameworks_root), framework_id);
  if (!selected) return ReportError(err, selected.error());
  const Framework& fw = *selected->framework;
  const Matrix matrix = BuildMatrix(fw);
  auto refs = [](const MatrixCell& cell) {
    std::vector<std::string> ids;
    for (const Module* m : cell.modules) ids.push_back(m->ref);
    return ids;
  };
  if (format == "csv") {
    out << "audience,process,modules\n";
    for (const auto& cell : matrix.cells) {
      auto ids = refs(cell);
      out << Csv(cell.audience->id) << "," << Csv(cell.process->id) << ","
          << Csv(Join(ids, " ")) << "\n";
    }
  } else if (format == "json") {
    nlohmann::json json;
    json["framework"] = fw.info.id;
    json["version"] = fw.info.version;
    json["cells"] = nlohmann::json::array();
    for (const auto& cell : matrix.cells) {
      json["cells"].push_back({{"audience", cell.audience->id},
                               {"process", cell.process->id},
                               {"modules", refs(cell)}});
    }
    out << json.dump(2) << "\n";
  } else {
    out << "Audience x process in " << fw.info.id << " " << fw.info.version
        << " (modules in route order)\n";
    size_t width = 0;
    for (const Process* p : matrix.processes)
      width = std::max(width, p->name.size());
    for (size_t a = 0; a < matrix.audiences.size(); ++a) {
      out << "\n"
          << matrix.audiences[a]->name << " (" << matrix.audiences[a]->id
          << ")\n";
      for (size_t p = 0; p < matrix.processes.size(); ++p) {
        auto ids = refs(matrix.At(a, p));
        out << "  " << std::left << std::setw(static_cast<int>(width + 2))
            << matrix.processes[p]->name << (ids.empty() ? "-" : Join(ids, " "))
            << "\n";
      }
    }
  }
  return 0;
}

int RouteCommand(const GlobalOptions& global, const std::string& framework_id,
                 const std::string& audience, const std::string& role,
                 const std::string& format, bool why, std::ostream& out,
                 std::ostream& err) {
  auto selected =
      LoadSelected(FrameworksRoot(global.frameworks_root), framework_id);
  if (!selected) return ReportError(err, selected.error());
  const Framework& fw = *selected->framework;
  auto route = BuildRoute(fw, audience, role);
  if (!route) return ReportError(err, route.error());
  if (format == "csv") {
    out << "position,module,name,process,after" << (why ? ",why" : "") << "\n";
    for (size_t i = 0; i < route->steps.size(); ++i) {
      const auto& s = route->steps[i];
      out << i + 1 << "," << Csv(s.module->ref) << "," << Csv(s.module->name)
          << "," << Csv(s.module->process.id) << "," << Csv(Join(s.after, " "));
      if (why) out << "," << Csv(s.why);
      out << "\n";
    }
  } else if (format == "json") {
    nlohmann::json json;
    json["framework"] = fw.info.id;
    if (route->audience != nullptr) json["audience"] = route->audience->id;
    if (route->role != nullptr) json["role"] = route->role->id;
    json["steps"] = nlohmann::json::array();
    for (const auto& s : route->steps) {
      nlohmann::json step = {{"module", s.module->ref},
                             {"name", s.module->name},
                             {"process", s.module->process.id},
                             {"after", s.after},
                             {"satisfiable", s.satisfiable}};
      if (why) step["why"] = s.why;
      json["steps"].push_back(step);
    }
    out << json.dump(2) << "\n";
  } else {
    std::vector<std::string> subject;
    if (route->audience != nullptr) {
      subject.push_back(route->audience->name + " (" + route->audience->id +
                        ")");
    }
    if (route->role != nullptr)
      subject.push_back("role " + route->role->name + " (" + route->role->id +
                        ")");
    out << "Suggested route for " << Join(subject, ", ") << " in " << fw.info.id
        << " " << fw.info.version << "\n";
    size_t ref_width = 4;
    for (const auto& s : route->steps)
      ref_width = std::max(ref_width, s.module->ref.size());
    for (size_t i = 0; i < route->steps.size(); ++i) {
      const auto& s = route->steps[i];
      out << std::right << std::setw(3) << i + 1 << ". " << std::left
          << std::setw(static_cast<int>(ref_width + 2)) << s.module->ref
          << s.module->name;
      if (!s.after.empty()) out << "  (after " << Join(s.after, ", ") << ")";
      if (!s.satisfiable) out << "  [cannot be met in this route]";
      out << "\n";
      if (why && !s.why.empty()) out << "       why: " << s.why << "\n";
    }
  }
  for (const auto& p : route->problems) err << FormatFinding(p) << "\n";
  return route->problems.empty() ? 0 : 1;
}

int CheckCourseCommand(const GlobalOptions& global,
                       const std::string& framework_id, const std::string& ref,
                       std::ostream& out, std::ostream& err) {
  auto selected =
      LoadSelected(FrameworksRoot(global.frameworks_root), framework_id);
  if (!selected) return ReportError(err, selected.error());
  const Framework& fw = *selected->framework;
  auto check = CheckCourse(fw, ref);
  if (!check) return ReportError(err, check.error());
  out << check->ref << "  " << check->name
      << "  (modules: " << Join(check->modules, ", ") << ")\n";
  auto print = [&](const char* title, const std::vector<CoverageLine>& lines) {
    out << "\n" << title << "\n";
    if (lines.empty()) out << "  (the framework defines none)\n";
    for (const auto& line : lines) {
      out << (line.Covered() ? "  covered  " : "  MISSING  ") << std::left
          << std::setw(28) << line.id
          << (line.Covered() ? "by " + Join(line.covered_by, ", ") : line.text)
          << "\n";
    }
  };
  print("Standard course content [001 2.5]", check->course_content);
  print("Common messages [001 3.2]", check->common_messages);
  const size_t missing = check->MissingCount();
  out << "\n"
      << (missing == 0 ? std::string("Nothing missing.")
                       : std::to_string(missing) + " missing.")
      << "\n";
  return missing == 0 ? 0 : 1;
}

}  // namespace

void AddFrameworkCommands(CLI::App& app, const GlobalOptions& global,
                          std::ostream& out, std::ostream& err, int* status) {
  CLI::App* framework = app.add_subcommand(
      "framework", "Load, validate and explain training frameworks");
  framework->require_subcommand(1);
  framework->fallthrough();  // --frameworks after `framework ...`

  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = framework->add_subcommand(
      "validate",
      "Check frameworks; one line per finding, exit 1 on any error");
  validate->add_option(
      "PATH", *paths,
      "Framework folders or files (default: every shipped framework)");
  validate->callback([&global, paths, &out, &err, status] {
    *status = Validate(global, *paths, out, err);
  });

  CLI::App* list =
      framework->add_subcommand("list", "Summarise every shipped framework");
  list->callback([&global, &out, status] { *status = List(global, out); });

  auto ref = std::make_shared<std::string>();
  CLI::App* show = framework->add_subcommand(
      "show", "Everything known about a module or course; unknowns are marked");
  show->add_option("REF", *ref,
                   "Module or course, e.g. IS02 or newcastle-2009:CP-USER")
      ->required();
  show->callback([&global, ref, &out, &err, status] {
    *status = Show(global, *ref, out, err);
  });

  auto framework_id = std::make_shared<std::string>(DefaultFramework());
  auto format = std::make_shared<std::string>("text");
  const std::set<std::string> kFormats = {"text", "csv", "json"};

  CLI::App* matrix = framework->add_subcommand(
      "matrix", "The audience x process table, derived from the requirements");
  matrix->add_option("--framework", *framework_id, "Framework id")
      ->capture_default_str();
  matrix->add_option("--format", *format, "text, csv or json")
      ->check(CLI::IsMember(kFormats))
      ->capture_default_str();
  matrix->callback([&global, framework_id, format, &out, &err, status] {
    *status = MatrixCommand(global, *framework_id, *format, out, err);
  });

  auto audience = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  auto why = std::make_shared<bool>(false);
  CLI::App* route = framework->add_subcommand(
      "route",
      "The suggested sequence of modules for an audience, a role, or both");
  route->add_option("--audience", *audience,
                    "Audience id, e.g. operational-managers");
  route->add_option(
      "--role", *role,
      "Role id, e.g. contactpoint-user (brings the role's audiences)");
  route->add_option("--framework", *framework_id, "Framework id")
      ->capture_default_str();
  route->add_option("--format", *format, "text, csv or json")
      ->check(CLI::IsMember(kFormats))
      ->capture_default_str();
  route->add_flag(
      "--why", *why,
      "Say which alternative of each module's sequencing was followed");
  route->callback(
      [&global, framework_id, audience, role, format, why, &out, &err, status] {
        if (audience->empty() && role->empty()) {
          throw CLI::RequiredError("--audience or --role");
        }
        *status = RouteCommand(global, *framework_id, *audience, *role, *format,
                               *why, out, err);
      });

  CLI::App* check = framework->add_subcommand(
      "check-course",
      "A course against the standard course content and the common messages; "
      "exit 1 if anything is missing");
  check->add_option("REF", *ref, "Course (or module) id")->required();
  check->add_option("--framework", *framework_id, "Framework id")
      ->capture_default_str();
  check->callback([&global, framework_id, ref, &out, &err, status] {
    *status = CheckCourseCommand(global, *framework_id, *ref, out, err);
  });
}

}  // namespace trellis::cli
