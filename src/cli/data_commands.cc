#include "cli/data_commands.h"

#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/framework_set.h"
#include "domain/text.h"
#include "engine/demo_area.h"
#include "engine/needs.h"
#include "engine/needs_index.h"
#include "service/area_service.h"
#include "service/demo_sessions.h"
#include "service/imports.h"
#include "store/import.h"
#include "store/store.h"

namespace trellis::cli {
namespace {

// The demo area is Newcastle's [000], so it works to Newcastle's framework.
constexpr const char* kDemoFramework = "newcastle-2009";

std::expected<Date, Error> ParseOn(const std::string& on) {
  if (on.empty()) return Today();
  auto date = ParseUkOrIsoDate(on);
  if (!date) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "--on '" + on + "': " + date.error(),
                                 {{"on", date.error()}}});
  }
  return *date;
}

std::expected<NeedsOptions, Error> MakeNeedsOptions(
    const std::string& on, const std::string& due_soon) {
  NeedsOptions options;
  auto date = ParseOn(on);
  if (!date) return std::unexpected(date.error());
  options.on = *date;
  if (!due_soon.empty()) {
    auto period = ParsePeriod(due_soon);
    if (!period) {
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "--due-soon '" + due_soon + "': " + period.error(),
                {{"due-soon", period.error()}}});
    }
    options.due_soon = *period;
  }
  return options;
}

std::string WriteCountsText(const WriteCounts& c) {
  return std::to_string(c.added) + " added, " + std::to_string(c.changed) +
         " changed, " + std::to_string(c.unchanged) + " unchanged";
}

// One person with everything the engine needs about them, kept alive here.
struct LoadedPerson {
  Person person;
  std::optional<Organisation> organisation;
  std::vector<TrainingRecord> records;
  PersonContext context;
};

std::expected<std::unique_ptr<LoadedPerson>, Error> LoadPerson(
    Store& store, const std::string& id) {
  auto person = store.FindPerson(id);
  if (!person) return std::unexpected(person.error());
  if (!*person) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no person '" + id + "' in the database",
                                 {{"person", "not known"}}});
  }
  auto loaded = std::make_unique<LoadedPerson>();
  loaded->person = std::move(**person);
  auto org = store.FindOrganisation(loaded->person.organisation);
  if (!org) return std::unexpected(org.error());
  loaded->organisation = std::move(*org);
  auto records = store.RecordsOf(id);
  if (!records) return std::unexpected(records.error());
  loaded->records = std::move(*records);
  loaded->context.person = &loaded->person;
  loaded->context.organisation =
      loaded->organisation ? &*loaded->organisation : nullptr;
  loaded->context.records = CurrentRecords(loaded->records);
  return loaded;
}

int DbInit(const GlobalOptions& global, const std::string& framework_id,
           std::ostream& out, std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kCreate);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  if (!framework_id.empty()) {
    auto fw =
        LoadSelected(FrameworksRoot(global.frameworks_root), framework_id);
    if (!fw) return ReportError(err, fw.error(), kUsage);
    auto set = (*store)->SetSetting("framework", framework_id,
                                    Actor{CommandLineActor()});
    if (!set) return ReportError(err, set.error());
  }
  auto setting = (*store)->Setting("framework");
  if (!setting) return ReportError(err, setting.error());
  out << "Database " << RedactedUrl(global.db) << " is at schema version "
      << CurrentSchemaVersion() << "; the area works to "
      << setting->value_or(DefaultFramework() + " (the default)") << ".\n";
  return 0;
}

int DbStatus(const GlobalOptions& global, std::ostream& out,
             std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto version = (*store)->SchemaVersion();
  auto setting = (*store)->Setting("framework");
  auto counts = (*store)->Count();
  if (!version) return ReportError(err, version.error());
  if (!setting) return ReportError(err, setting.error());
  if (!counts) return ReportError(err, counts.error());
  out << "database:       " << RedactedUrl(global.db) << "\n"
      << "schema version: " << *version << "\n"
      << "framework:      "
      << setting->value_or(DefaultFramework() + " (the default)") << "\n"
      << "organisations:  " << counts->organisations << "\n"
      << "people:         " << counts->people << "\n"
      << "records:        " << counts->records << "\n";
  return 0;
}

int Import(const GlobalOptions& global, const std::string& kind_name,
           const std::string& file, const std::vector<std::string>& maps,
           const std::string& framework_flag, bool dry_run, std::ostream& out,
           std::ostream& err) {
  const auto kind = ParseImportKind(kind_name);
  if (!kind) {
    err << "trellis: import '" << kind_name
        << "': expected organisations, people or records\n";
    return kUsage;
  }
  ColumnMap columns;
  const auto& fields = ImportFields(*kind);
  for (const auto& map : maps) {
    const std::string_view text = map;
    const auto eq = text.find('=');
    const std::string column(Trim(text.substr(0, eq)));
    const std::string field(eq == std::string_view::npos
                                ? std::string_view()
                                : Trim(text.substr(eq + 1)));
    if (column.empty() || field.empty()) {
      err << "trellis: --map '" << map << "': expected COLUMN=FIELD\n";
      return kUsage;
    }
    if (std::ranges::find(fields, field) == fields.end()) {
      auto near = SuggestClosest(field, fields);
      err << "trellis: --map '" << map << "': " << kind_name
          << " have no field '" << field << "'"
          << (near ? "; did you mean '" + *near + "'?" : "")
          << " (fields: " << Join(fields, ", ") << ")\n";
      return kUsage;
    }
    columns[field] = column;
  }
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto fw = AreaFramework(global, **store, framework_flag);
  if (!fw) return ReportError(err, fw.error(), kUsage);
  const auto text = ReadTextFile(file, err);
  if (!text) return kUsage;
  auto report =
      service::ImportCsv(**store, *fw->framework, *kind, *text, columns,
                         Today(), Actor{CommandLineActor()}, dry_run);
  if (!report) return ReportError(err, report.error());
  if (const auto& csv = report->unreadable) {
    err << file << ":" << csv->line << ":" << csv->column << ": "
        << csv->message << "\nnothing written\n";
    return kRefused;
  }
  if (const auto& problems = report->problems; !problems.empty()) {
    for (const auto& p : problems) err << FormatImportProblem(file, p) << "\n";
    err << "nothing written: " << problems.size()
        << (problems.size() == 1 ? " problem" : " problems") << " in " << file
        << "\n";
    return kRefused;
  }
  out << (dry_run ? "dry run, nothing written: " : "") << kind_name << ": "
      << WriteCountsText(report->counts) << "\n";
  return 0;
}

nlohmann::json NeedJson(const Need& n) {
  nlohmann::json j = {
      {"module", n.module->ref},
      {"name", n.module->name},
      {"status", NeedStatusName(n.status)},
      {"level",
       n.level == RequirementLevel::kRequired ? "required" : "recommended"},
      {"requirement", n.requirement},
      {"alternatives", n.alternatives}};
  j["completed"] = n.completed ? nlohmann::json(FormatIsoDate(*n.completed))
                               : nlohmann::json(nullptr);
  j["expires"] = n.expires ? nlohmann::json(FormatIsoDate(*n.expires))
                           : nlohmann::json(nullptr);
  return j;
}

int NeedsOfPerson(const GlobalOptions& global, const std::string& person_id,
                  const std::string& framework_flag,
                  const NeedsOptions& options, const std::string& format,
                  std::ostream& out, std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto fw = AreaFramework(global, **store, framework_flag);
  if (!fw) return ReportError(err, fw.error(), kUsage);
  auto loaded = LoadPerson(**store, person_id);
  if (!loaded)
    return ReportError(err, loaded.error(), StoreStatus(loaded.error()));
  const Framework& framework = *fw->framework;
  const PersonContext& context = (*loaded)->context;
  const Person& person = (*loaded)->person;
  const auto needs = ComputeNeeds(framework, context, options);
  const auto next = BookableNext(framework, context, options);
  if (format == "json") {
    nlohmann::json j;
    j["person"] = person.id;
    j["name"] = person.name;
    j["organisation"] = person.organisation;
    j["organisation_name"] = context.organisation != nullptr
                                 ? context.organisation->name
                                 : std::string();
    j["audiences"] = person.audiences;
    j["role"] = person.role;
    j["framework"] = framework.info.id;
    j["on"] = FormatIsoDate(options.on);
    j["needs"] = nlohmann::json::array();
    for (const auto& n : needs) j["needs"].push_back(NeedJson(n));
    j["bookable_next"] = nlohmann::json::array();
    for (const Module* m : next) j["bookable_next"].push_back(m->ref);
    out << j.dump(2) << "\n";
    return 0;
  }
  out << person.id << "  " << person.name;
  if (context.organisation != nullptr)
    out << "  (" << context.organisation->name << ")";
  out << "\n  audiences: "
      << (person.audiences.empty() ? "none" : Join(person.audiences, ", "))
      << (person.role.empty() ? "" : "; role: " + person.role)
      << "\n  needs in " << framework.info.id << " on "
      << FormatIsoDate(options.on) << ":\n";
  if (needs.empty()) out << "    none: the framework asks nothing of them\n";
  size_t width = 6;
  for (const auto& n : needs) width = std::max(width, n.module->ref.size());
  for (const auto& n : needs) {
    std::string line;
    if (n.completed) line = "done " + FormatIsoDate(*n.completed);
    if (n.expires) {
      line += (n.completed ? ", in date to " : "in date to ") +
              FormatIsoDate(*n.expires);
    }
    out << "    " << std::left << std::setw(static_cast<int>(width + 2))
        << n.module->ref << std::setw(16) << NeedStatusName(n.status)
        << (n.level == RequirementLevel::kRequired ? "required"
                                                   : "recommended");
    // No trailing spaces: the line ends where its text does.
    if (!line.empty()) {
      out << (n.level == RequirementLevel::kRequired ? "     " : "  ") << line;
    }
    out << "\n";
  }
  std::vector<std::string> refs;
  for (const Module* m : next) refs.push_back(m->ref);
  out << "  may book next: " << (refs.empty() ? "nothing" : Join(refs, ", "))
      << "\n";
  return 0;
}

int NeedsSummary(const GlobalOptions& global, const std::string& by_name,
                 const std::string& framework_flag, const NeedsOptions& options,
                 const std::string& format, std::ostream& out,
                 std::ostream& err) {
  const auto by = ParseGroupBy(by_name);
  if (!by) {
    err << "trellis: --by '" << by_name
        << "': expected sector, organisation, locality or audience\n";
    return kUsage;
  }
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto fw = AreaFramework(global, **store, framework_flag);
  if (!fw) return ReportError(err, fw.error(), kUsage);
  auto area = (*store)->LoadWorkforce();
  if (!area) return ReportError(err, area.error());
  const auto contexts = ContextsOf(*area);
  // The compact index gives SummariseNeeds's rows at a fraction of its cost.
  NeedsIndex index(*fw->framework, options);
  index.PutAll(contexts);
  const auto rows = index.Summarise(*by);
  if (format == "csv") {
    out << by_name
        << ",module,people,done,due_soon,expired,outstanding,places_needed\n";
    for (const auto& r : rows) {
      out << Csv(r.group) << "," << Csv(r.module) << "," << r.people << ","
          << r.done << "," << r.due_soon << "," << r.expired << ","
          << r.outstanding << "," << r.PlacesNeeded() << "\n";
    }
    return 0;
  }
  if (format == "json") {
    nlohmann::json j;
    j["framework"] = fw->framework->info.id;
    j["on"] = FormatIsoDate(options.on);
    j["by"] = by_name;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rows) {
      j["rows"].push_back({{"group", r.group},
                           {"module", r.module},
                           {"people", r.people},
                           {"done", r.done},
                           {"due_soon", r.due_soon},
                           {"expired", r.expired},
                           {"outstanding", r.outstanding},
                           {"places_needed", r.PlacesNeeded()}});
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  size_t width = by_name.size();
  for (const auto& r : rows) width = std::max(width, r.group.size());
  size_t module_width = 6;
  for (const auto& r : rows)
    module_width = std::max(module_width, r.module.size());
  out << "Training needs by " << by_name << " in " << fw->framework->info.id
      << " on " << FormatIsoDate(options.on) << " (" << contexts.size()
      << " people)\n";
  out << std::left << std::setw(static_cast<int>(width + 2)) << by_name
      << std::setw(static_cast<int>(module_width + 2)) << "module" << std::right
      << std::setw(8) << "people" << std::setw(8) << "done" << std::setw(10)
      << "due soon" << std::setw(9) << "expired" << std::setw(13)
      << "outstanding" << std::setw(8) << "places"
      << "\n";
  for (const auto& r : rows) {
    out << std::left << std::setw(static_cast<int>(width + 2)) << r.group
        << std::setw(static_cast<int>(module_width + 2)) << r.module
        << std::right << std::setw(8) << r.people << std::setw(8) << r.done
        << std::setw(10) << r.due_soon << std::setw(9) << r.expired
        << std::setw(13) << r.outstanding << std::setw(8) << r.PlacesNeeded()
        << "\n";
  }
  return 0;
}

int Eligible(const GlobalOptions& global, const std::string& person_id,
             const std::string& module_ref, const std::string& framework_flag,
             const NeedsOptions& options, const std::string& format,
             std::ostream& out, std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto fw = AreaFramework(global, **store, framework_flag);
  if (!fw) return ReportError(err, fw.error(), kUsage);
  const Framework& framework = *fw->framework;
  const Module* module = framework.FindModule(module_ref);
  if (module == nullptr) {
    std::vector<std::string> refs;
    for (const auto& m : framework.modules) refs.push_back(m.ref);
    auto near = SuggestClosest(module_ref, refs);
    err << "trellis: no module '" << module_ref << "' in " << framework.info.id
        << (near ? "; did you mean '" + *near + "'?" : "") << "\n";
    return kUsage;
  }
  auto loaded = LoadPerson(**store, person_id);
  if (!loaded)
    return ReportError(err, loaded.error(), StoreStatus(loaded.error()));
  const auto result =
      CheckEligibility(framework, (*loaded)->context, *module, options);
  if (format == "json") {
    nlohmann::json j;
    j["person"] = person_id;
    j["module"] = module->ref;
    j["on"] = FormatIsoDate(options.on);
    j["eligible"] = result.eligible;
    j["reasons"] = nlohmann::json::array();
    for (const auto& r : result.reasons) {
      nlohmann::json reason = {{"kind", ReasonKindName(r.kind)},
                               {"text", r.text}};
      if (!r.missing.empty()) reason["missing"] = r.missing;
      if (!r.alternatives.empty()) reason["alternatives"] = r.alternatives;
      if (!r.unmet_conditions.empty())
        reason["unmet_conditions"] = r.unmet_conditions;
      j["reasons"].push_back(reason);
    }
    out << j.dump(2) << "\n";
  } else if (result.eligible) {
    out << person_id << " may book " << module->ref << " (" << module->name
        << ") on " << FormatIsoDate(options.on) << "\n";
  } else {
    out << person_id << " may not book " << module->ref << " (" << module->name
        << ") on " << FormatIsoDate(options.on) << ":\n";
    for (const auto& r : result.reasons) out << "  - " << r.text << "\n";
  }
  return result.eligible ? 0 : kRefused;
}

struct CorrectOptions {
  std::string record;
  std::string reason;
  std::string date;
  std::string outcome;
  std::string module;
  std::string source;
  std::string evidence;
  bool evidence_given = false;
};

int CorrectRecord(const GlobalOptions& global, const CorrectOptions& o,
                  std::ostream& out, std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto old = (*store)->FindRecord(o.record);
  if (!old) return ReportError(err, old.error());
  if (!*old) {
    err << "trellis: no training record '" << o.record << "'\n";
    return kUsage;
  }
  TrainingRecord fixed = **old;
  if (!o.date.empty()) {
    auto date = ParseUkOrIsoDate(o.date);
    if (!date) {
      err << "trellis: --date '" << o.date << "': " << date.error() << "\n";
      return kUsage;
    }
    if (*date > Today()) {
      err << "trellis: --date '" << o.date << "': is in the future\n";
      return kUsage;
    }
    fixed.date = *date;
  }
  if (!o.outcome.empty()) {
    auto outcome = ParseTrainingOutcome(o.outcome);
    if (!outcome) {
      err << "trellis: --outcome '" << o.outcome
          << "': expected completed, passed, failed, partly-attended or "
             "withdrawn\n";
      return kUsage;
    }
    fixed.outcome = *outcome;
  }
  if (!o.source.empty()) {
    auto source = ParseRecordSource(o.source);
    if (!source) {
      err << "trellis: --source '" << o.source
          << "': expected session, e-learning, external, single-agency or "
             "import\n";
      return kUsage;
    }
    fixed.source = *source;
  }
  if (!o.module.empty()) {
    auto fw = AreaFramework(global, **store, "");
    if (!fw) return ReportError(err, fw.error(), kUsage);
    const Module* m = fw->framework->FindModule(o.module);
    if (m == nullptr) {
      err << "trellis: --module '" << o.module << "': no such module in "
          << fw->framework->info.id << "\n";
      return kUsage;
    }
    fixed.module = m->ref;
    fixed.module_version = m->version;
  }
  if (o.evidence_given) fixed.evidence = o.evidence;
  auto saved = (*store)->SupersedeRecord(o.record, fixed, o.reason,
                                         Actor{CommandLineActor()});
  if (!saved)
    return ReportError(err, saved.error(), StoreStatus(saved.error()));
  out << "record " << saved->id << " supersedes " << o.record << "\n";
  return 0;
}

int ListRecords(const GlobalOptions& global, const std::string& person_id,
                const std::string& format, std::ostream& out,
                std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto person = (*store)->FindPerson(person_id);
  if (!person) return ReportError(err, person.error());
  if (!*person) {
    err << "trellis: no person '" << person_id << "' in the database\n";
    return kUsage;
  }
  auto records = (*store)->RecordsOf(person_id);
  if (!records) return ReportError(err, records.error());
  std::map<std::string, std::string> superseded_by;
  for (const auto& r : *records) {
    if (!r.supersedes.empty()) superseded_by[r.supersedes] = r.id;
  }
  size_t module_width = 6;
  for (const auto& r : *records)
    module_width = std::max(module_width, r.module.size());
  if (format == "csv") {
    out << "id,module,version,date,outcome,source,evidence,supersedes,"
           "superseded_by,recorded_by,reason\n";
  }
  for (const auto& r : *records) {
    const std::string later =
        superseded_by.contains(r.id) ? superseded_by[r.id] : "";
    if (format == "csv") {
      out << Csv(r.id) << "," << Csv(r.module) << "," << Csv(r.module_version)
          << "," << FormatIsoDate(r.date) << ","
          << TrainingOutcomeName(r.outcome) << "," << RecordSourceName(r.source)
          << "," << Csv(r.evidence) << "," << Csv(r.supersedes) << ","
          << Csv(later) << "," << Csv(r.recorded_by) << "," << Csv(r.reason)
          << "\n";
      continue;
    }
    out << FormatIsoDate(r.date) << "  " << std::left
        << std::setw(static_cast<int>(module_width + 2)) << r.module
        << std::setw(17) << TrainingOutcomeName(r.outcome) << std::setw(15)
        << RecordSourceName(r.source) << r.id << "  by " << r.recorded_by;
    if (!later.empty()) out << "  [superseded by " << later << "]";
    if (!r.supersedes.empty())
      out << "  [corrects " << r.supersedes << ": " << r.reason << "]";
    out << "\n";
  }
  return 0;
}

int Demo(const GlobalOptions& global, int people, std::uint64_t seed,
         const std::string& framework_flag, std::ostream& out,
         std::ostream& err) {
  if (people < 1 || people > 1'000'000) {
    err << "trellis: --people " << people << ": expected 1 to 1000000\n";
    return kUsage;
  }
  auto store = OpenArea(global, OpenMode::kCreate);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  std::string id = framework_flag;
  if (id.empty()) {
    auto setting = (*store)->Setting("framework");
    if (!setting) return ReportError(err, setting.error());
    id = setting->value_or(kDemoFramework);
  }
  auto fw = LoadSelected(FrameworksRoot(global.frameworks_root), id);
  if (!fw) return ReportError(err, fw.error(), kUsage);
  DemoOptions options;
  options.people = people;
  options.seed = seed;
  options.today = Today();
  const Workforce area = GenerateDemoArea(*fw->framework, options);
  const Actor demo{"demo"};
  auto filled = (*store)->Fill(area, demo);
  if (!filled)
    return ReportError(err, filled.error(), StoreStatus(filled.error()));
  auto set = (*store)->SetSetting("framework", id, demo);
  if (!set) {
    err << "trellis: the demo area was written, but not the framework it works "
           "to; set it with 'trellis db init --framework "
        << id << "'\n";
    return ReportError(err, set.error());
  }
  // The training calendar, through the service as a coordinator would
  // schedule and people would book.
  auto service = std::make_shared<service::AreaService>(
      std::make_shared<const Framework>(*fw->framework),
      service::ServiceOptions{});
  service::Caller coordinator;
  coordinator.user.email = demo.id;
  coordinator.user.name = "Demo";
  coordinator.user.role = UserRole::kCoordinator;
  coordinator.via = "command line";
  service::DemoSessionOptions calendar;
  calendar.seed = seed;
  calendar.today = service->Today();
  auto sessions =
      service::AddDemoSessions(*service, **store, coordinator, area, calendar);
  if (!sessions) {
    err << "trellis: the demo area was written, but not its training "
           "calendar\n";
    return ReportError(err, sessions.error(), StoreStatus(sessions.error()));
  }
  out << "Demo area in " << RedactedUrl(global.db) << " (framework " << id
      << ", seed " << seed << "): " << filled->organisations
      << " organisations, " << filled->people << " people, " << filled->records
      << " training records; " << sessions->venues << " venues, "
      << sessions->rooms << " rooms, " << sessions->sessions
      << " sessions from " << calendar.weeks_back << " weeks back to "
      << calendar.weeks << " weeks ahead, " << sessions->bookings
      << " bookings, " << sessions->registers_closed
      << " registers closed with " << sessions->records << " records.\n";
  return 0;
}

}  // namespace

void AddDataCommands(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status) {
  const auto formats = CLI::IsMember({"text", "json"});
  const auto table_formats = CLI::IsMember({"text", "csv", "json"});

  CLI::App* db = app.add_subcommand("db", "Create and inspect the database");
  db->require_subcommand(1);
  db->fallthrough();
  auto init_framework = std::make_shared<std::string>();
  CLI::App* init = db->add_subcommand(
      "init", "Create the database, or bring its schema up to date");
  init->add_option("--framework", *init_framework,
                   "The framework the area works to (stored in the database)");
  init->callback([&global, init_framework, &out, &err, status] {
    *status = DbInit(global, *init_framework, out, err);
  });
  CLI::App* db_status =
      db->add_subcommand("status", "Schema version, framework and row counts");
  db_status->callback(
      [&global, &out, &err, status] { *status = DbStatus(global, out, err); });

  struct ImportArgs {
    std::string kind;
    std::string file;
    std::vector<std::string> maps;
    std::string framework;
    bool dry_run = false;
  };
  auto import_args = std::make_shared<ImportArgs>();
  CLI::App* import = app.add_subcommand(
      "import",
      "Import organisations, people or training records from a CSV file, all "
      "or nothing");
  import
      ->add_option("KIND", import_args->kind,
                   "organisations, people or records")
      ->required();
  import->add_option("FILE", import_args->file, "The CSV file")->required();
  import->add_flag("--dry-run", import_args->dry_run,
                   "Check and count, write nothing");
  import->add_option("--map", import_args->maps,
                     "COLUMN=FIELD: read FIELD from the file's COLUMN");
  import->add_option("--framework", import_args->framework,
                     "Framework id (default: the area's)");
  import->callback([&global, import_args, &out, &err, status] {
    const auto& a = *import_args;
  *status =
      Import(global, a.kind, a.file, a.maps, a.framework, a.dry_run, out, err);
});

struct NeedsArgs {
  std::string person;
  bool summary = false;
  std::string by = "sector";
  std::string on;
  std::string due_soon;
  std::string framework;
  std::string format = "text";
};
auto needs_args = std::make_shared<NeedsArgs>();
CLI::App* needs = app.add_subcommand(
    "needs", "A person's training needs, or a summary for the whole area");
needs->add_option("PERSON", needs_args->person, "Person id");
needs->add_flag("--summary", needs_args->summary,
                "Places needed and compliance per group and module");
needs
    ->add_option("--by", needs_args->by,
                 "sector, organisation, locality or audience (--summary)")
    ->check(CLI::IsMember({"sector", "organisation", "locality", "audience"}));
needs->add_option("--on", needs_args->on,
                  "The day to judge on (default: today)");
needs->add_option("--due-soon", needs_args->due_soon,
                  "Refresher window, e.g. '3 months' (the default)");
needs->add_option("--framework", needs_args->framework,
                  "Framework id (default: the area's)");
needs->add_option("--format", needs_args->format, "text, csv or json")
    ->check(table_formats);
needs->callback([&global, needs_args, &out, &err, status] {
  const auto& a = *needs_args;
  auto options = MakeNeedsOptions(a.on, a.due_soon);
  if (!options) {
    *status = ReportError(err, options.error(), kUsage);
    return;
  }
  if (a.summary == !a.person.empty()) {
    err << "trellis: needs: give a PERSON or --summary\n";
    *status = kUsage;
    return;
  }
  if (a.summary) {
    *status =
        NeedsSummary(global, a.by, a.framework, *options, a.format, out, err);
  } else if (a.format == "csv") {
    err << "trellis: needs PERSON: --format is text or json\n";
    *status = kUsage;
  } else {
    *status = NeedsOfPerson(global, a.person, a.framework, *options, a.format,
                            out, err);
  }
});

struct EligibleArgs {
  std::string person;
  std::string module;
  std::string on;
  std::string framework;
  std::string format = "text";
};
auto eligible_args = std::make_shared<EligibleArgs>();
CLI::App* eligible = app.add_subcommand(
    "eligible",
    "Whether a person may book a module, or every reason they may not (exit "
    "0 or 1)");
eligible->add_option("PERSON", eligible_args->person, "Person id")->required();
eligible->add_option("MODULE", eligible_args->module, "Module ref")->required();
eligible->add_option("--on", eligible_args->on,
                     "The day to judge on (default: today)");
eligible->add_option("--framework", eligible_args->framework,
                     "Framework id (default: the area's)");
eligible->add_option("--format", eligible_args->format, "text or json")
    ->check(formats);
eligible->callback([&global, eligible_args, &out, &err, status] {
  const auto& a = *eligible_args;
  auto options = MakeNeedsOptions(a.on, "");
  if (!options) {
    *status = ReportError(err, options.error(), kUsage);
    return;
  }
  *status = Eligible(global, a.person, a.module, a.framework, *options,
                     a.format, out, err);
});

auto records_args = std::make_shared<std::pair<std::string, std::string>>(
    std::string(), "text");
CLI::App* records = app.add_subcommand(
    "records", "A person's training records, corrections included");
records->add_option("PERSON", records_args->first, "Person id")->required();
records->add_option("--format", records_args->second, "text or csv")
    ->check(CLI::IsMember({"text", "csv"}));
records->callback([&global, records_args, &out, &err, status] {
  *status =
      ListRecords(global, records_args->first, records_args->second, out, err);
});

auto correct_args = std::make_shared<CorrectOptions>();
CLI::App* record = app.add_subcommand("record", "Correct a training record");
record->require_subcommand(1);
record->fallthrough();
CLI::App* correct = record->add_subcommand(
    "correct",
    "Record a correction: a new record that supersedes RECORD, with why");
correct->add_option("RECORD", correct_args->record, "Record id")->required();
correct->add_option("--reason", correct_args->reason, "Why it is corrected")
    ->required();
correct->add_option("--date", correct_args->date, "The right date");
correct->add_option("--outcome", correct_args->outcome,
                    "completed, passed, failed or partly-attended");
correct->add_option("--module", correct_args->module, "The right module");
correct->add_option("--source", correct_args->source,
                    "session, e-learning, external, single-agency, import");
CLI::Option* evidence = correct->add_option(
    "--evidence", correct_args->evidence, "The right evidence");
correct->callback([&global, correct_args, evidence, &out, &err, status] {
  correct_args->evidence_given = evidence->count() > 0;
  *status = CorrectRecord(global, *correct_args, out, err);
});

struct DemoArgs {
  int people = 4000;
  std::uint64_t seed = 1;
  std::string framework;
};
auto demo_args = std::make_shared<DemoArgs>();
CLI::App* demo = app.add_subcommand(
    "demo", "Fill an empty database with a realistic, reproducible area");
demo->add_option("--people", demo_args->people, "How many people (4000)");
demo->add_option("--seed", demo_args->seed, "Random seed (1)");
demo->add_option("--framework", demo_args->framework,
                 "Framework id (default: the area's, else newcastle-2009)");
demo->callback([&global, demo_args, &out, &err, status] {
  *status = Demo(global, demo_args->people, demo_args->seed,
                 demo_args->framework, out, err);
});
}  // namespace trellis::cli

}  // namespace trellis::cli
