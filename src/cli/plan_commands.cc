#include "cli/plan_commands.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/framework_set.h"
#include "domain/text.h"
#include "plan/capacity.h"
#include "plan/roll_out.h"
#include "service/roll_out.h"

namespace trellis::cli {
namespace {

nlohmann::json CapacityJson(const plan::RollOutPlan& p,
                            const plan::CapacityReport& report,
                            const std::vector<Finding>& findings) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& c : report.phases) {
    nlohmann::json holidays = nlohmann::json::array();
    for (const auto& h : c.holidays) {
      holidays.push_back({{"date", FormatIsoDate(h.date)}, {"name", h.name}});
    }
    phases.push_back(
        {{"name", c.name},
         {"from", FormatIsoDate(c.from)},
         {"to", FormatIsoDate(c.to)},
         {"delivery_weeks", c.stated_weeks ? nlohmann::json(*c.stated_weeks)
                                           : nlohmann::json(nullptr)},
         {"trained", c.trained},
         {"cumulative", c.cumulative},
         {"target",
          c.target ? nlohmann::json(*c.target) : nlohmann::json(nullptr)},
         {"calendar_delivery_days", c.delivery_days},
         {"calendar_weeks", c.calendar_weeks},
         {"fits", c.fits},
         {"bank_holidays", holidays}});
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& f : findings) {
    problems.push_back(
        {{"severity", f.severity == Severity::kError ? "error" : "warning"},
         {"line", f.pos.line},
         {"message", f.message}});
  }
  return {{"plan", p.id},
          {"name", p.name},
          {"sessions_per_week", report.sessions_per_week},
          {"people_per_week", report.people_per_week},
          {"phases", phases},
          {"total", report.total},
          {"workforce", report.workforce},
          {"findings", problems}};
}

// A what-if's heading and what it changed phase by phase: capacity's
// phases and the planner's both have a name and people trained.
template <typename Phases>
void PhaseChanges(std::ostream& out, const std::vector<std::string>& settings,
                  const Phases& before, const Phases& after) {
  out << "\nwhat-if (" << Join(settings, ", ") << "):\n";
  for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
    const int change = after[i].trained - before[i].trained;
    if (change == 0) continue;
    out << "  " << after[i].name << ": " << before[i].trained << " -> "
        << after[i].trained << " trained (" << (change > 0 ? "+" : "") << change
        << ")\n";
  }
}

// What the settings changed, phase by phase and in all.
std::string WhatIf(const std::vector<std::string>& settings,
                   const plan::CapacityReport& before,
                   const plan::CapacityReport& after) {
  std::ostringstream out;
  PhaseChanges(out, settings, before.phases, after.phases);
  const int change = after.total - before.total;
  out << "  by the end: " << before.total << " -> " << after.total << " of "
      << after.workforce << " (" << (change > 0 ? "+" : "") << change << ")\n";
  return out.str();
}

int Capacity(const std::string& file, const std::vector<std::string>& settings,
             const std::string& format, std::ostream& out, std::ostream& err) {
  const auto text = ReadTextFile(file, err);
  if (!text) return kUsage;
  const plan::PlanLoad load = plan::LoadPlanFromText(*text, file);
  if (!load.plan) {
    for (const auto& f : load.findings) err << FormatFinding(f) << "\n";
    return kRefused;
  }
  const auto& holidays = plan::BankHolidays::EnglandAndWales();
  const plan::CapacityReport stated =
      plan::WorkOutCapacity(*load.plan, holidays);
  plan::RollOutPlan changed = *load.plan;
  for (const auto& setting : settings) {
    if (auto problem = plan::SetInPlan(changed, setting)) {
      err << "trellis: " << *problem << "\n";
      return kUsage;
    }
    // Capacity counts delivery.people_per_session, not the venues' seats or
    // the trainers: those what-ifs are the planner's (`trellis plan`).
    if (setting.starts_with("venue") || setting.starts_with("trainers") ||
        setting.starts_with("rules.")) {
      err << "trellis: --set " << setting.substr(0, setting.find('='))
          << ": capacity does not use it; `trellis plan` does (capacity "
             "counts delivery.people_per_session)\n";
      return kUsage;
    }
  }
  const plan::CapacityReport report =
      settings.empty() ? stated : plan::WorkOutCapacity(changed, holidays);
  std::vector<Finding> findings = load.findings;
  findings.insert(findings.end(), report.findings.begin(),
                  report.findings.end());
  if (format == "json") {
    nlohmann::json answer = CapacityJson(changed, report, findings);
    if (!settings.empty()) {
      answer["what_if"] = {{"settings", settings},
                           {"total_before", stated.total},
                           {"total_after", report.total}};
    }
    out << answer.dump(2) << "\n";
  } else {
    out << plan::FormatCapacity(changed, report);
    if (!settings.empty()) out << WhatIf(settings, stated, report);
    if (!findings.empty()) out << "\n";
    for (const auto& f : findings) out << FormatFinding(f) << "\n";
  }
  return load.HasErrors() ? kRefused : 0;
}

std::string ForecastText(const plan::RollOutResult& result) {
  if (result.objective.unplaced > 0) {
    return std::to_string(result.objective.unplaced) + " places not given";
  }
  return result.forecast
             ? FormatIsoDate(plan::DateOfDayNumber(*result.forecast))
             : std::string("none");
}

// What the settings changed in the planned roll-out.
std::string PlanWhatIf(const std::vector<std::string>& settings,
                       const plan::RollOutResult& before,
                       const plan::RollOutResult& after) {
  std::ostringstream out;
  PhaseChanges(out, settings, before.phases, after.phases);
  out << "  everyone placed by: " << ForecastText(before) << " -> "
      << ForecastText(after) << "\n";
  return out.str();
}

struct PlanRequest {
  std::string file;
  std::vector<std::string> settings;
  std::string format = "text";
  std::string framework;
  std::string on;
};

// A plan file planned on the area's data, as `plan` and `plan commit` both
// start: the file read (its findings printed), --on, the store and the
// framework, then the service's planning with the what-ifs. The framework
// is the area's for `area_framework` (a plan naming another is refused);
// else request.framework, the plan's, or the area's, in that order. The
// exit status when it fails.
struct AreaPlan {
  std::unique_ptr<Store> store;
  std::shared_ptr<const Framework> framework;
  service::PlannedRollOut planned;
};
std::expected<AreaPlan, int> PlanOnTheArea(const GlobalOptions& global,
                                           const PlanRequest& request,
                                           bool area_framework,
                                           std::ostream& err) {
  const auto text = ReadTextFile(request.file, err);
  if (!text) return std::unexpected(kUsage);
  plan::PlanLoad load = plan::LoadPlanFromText(*text, request.file);
  for (const auto& f : load.findings) err << FormatFinding(f) << "\n";
  if (!load.plan) return std::unexpected(kRefused);
  Date on = Today();
  if (!request.on.empty()) {
    auto date = ParseIsoDate(request.on);
    if (!date) {
      err << "trellis: --on '" << request.on << "': " << date.error() << "\n";
      return std::unexpected(kUsage);
    }
    on = *date;
  }
  AreaPlan out;
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store) {
    return std::unexpected(
        ReportError(err, store.error(), StoreStatus(store.error())));
  }
  out.store = std::move(*store);
  const std::string asked = area_framework               ? std::string()
                            : !request.framework.empty() ? request.framework
                                                         : load.plan->framework;
  auto fw = AreaFramework(global, *out.store, asked);
  if (!fw) return std::unexpected(ReportError(err, fw.error(), kUsage));
  out.framework = std::make_shared<const Framework>(*fw->framework);
  if (!area_framework) load.plan->framework = out.framework->info.id;
  auto planned = service::PlanOnArea(*out.framework, *out.store, load,
                                     request.settings, on);
  if (!planned) {
    const Error& e = planned.error();
    const bool setting = !e.fields.empty() && e.fields.front().field == "set";
    return std::unexpected(ReportError(err, e, setting ? kUsage : kRefused));
  }
  out.planned = std::move(*planned);
  return out;
}

// `trellis plan PLANFILE`: the roll-out planned on the area's data.
int PlanRollOut(const GlobalOptions& global, const PlanRequest& request,
                std::ostream& out, std::ostream& err) {
  auto area = PlanOnTheArea(global, request, /*area_framework=*/false, err);
  if (!area) return area.error();
  const service::PlannedRollOut& p = area->planned;
  if (request.format == "json") {
    out << plan::FormatRollOutJson(p.plan, p.instance, p.result);
  } else if (request.format == "csv") {
    out << plan::FormatRollOutCsv(p.instance, p.result);
  } else {
    out << plan::FormatRollOutText(p.plan, p.instance, p.result);
    if (p.stated_result) {
      out << PlanWhatIf(request.settings, *p.stated_result, p.result);
    }
  }
  const bool errors = std::ranges::any_of(p.findings, [](const Finding& f) {
    return f.severity == Severity::kError;
  });
  return errors ? kRefused : 0;
}

// `trellis plan commit PLANFILE`: the planned calendar made the area's
// sessions, and the people placed booked, as a coordinator at the command
// line; what the service refused is listed.
int CommitPlan(const GlobalOptions& global, const PlanRequest& request,
               std::ostream& out, std::ostream& err) {
  // The area's own framework: the sessions are of its courses.
  auto area_plan = PlanOnTheArea(global, request, /*area_framework=*/true, err);
  if (!area_plan) return area_plan.error();
  service::AreaService area(area_plan->framework, service::ServiceOptions{});
  const service::PlannedRollOut* planned = &area_plan->planned;
  const std::unique_ptr<Store>& store = area_plan->store;
  service::Caller coordinator;
  coordinator.user.email = CommandLineActor();
  coordinator.user.name = "Command line";
  coordinator.user.role = UserRole::kCoordinator;
  coordinator.via = "command line";
  auto report = service::CommitRollOut(area, *store, coordinator, *planned);
  if (!report) return ReportError(err, report.error(), kRefused);
  out << "Committed plan " << planned->plan.id << ": " << report->sessions_added
      << " sessions added, " << report->sessions_kept << " already there; "
      << report->booked << " people booked, " << report->already_booked
      << " already booked; " << report->refused.size() << " refused.\n";
  if (report->held_elsewhere > 0) {
    out << report->held_elsewhere
        << " people were not booked: they already hold a place for the "
           "module on another session.\n";
  }
  if (!report->sessions.empty()) {
    out << "Sessions " << report->sessions.front() << " to "
        << report->sessions.back() << "\n";
  }
  for (const auto& [why, count] : report->not_booked) {
    out << "  not booked until mended: " << count << " places (" << why
        << ")\n";
  }
  for (const auto& r : report->refused) {
    out << "  refused: " << r.session
        << (r.person.empty() ? "" : " " + r.person) << ": " << r.why << "\n";
  }
  return report->refused.empty() ? 0 : kRefused;
}

}  // namespace

void AddPlanCommands(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status) {
  CLI::App* plan_cmd = app.add_subcommand(
      "plan",
      "Roll-out plans (docs/plan-format.md): `plan PLANFILE` plans the "
      "sessions and who goes, on the area's data; `plan capacity PLANFILE` "
      "what the plan can deliver as it states it");
  auto request = std::make_shared<PlanRequest>();
  plan_cmd->add_option("PLANFILE", request->file, "The plan file (YAML)");
  plan_cmd->add_option("--format", request->format, "text, json or csv")
      ->check(CLI::IsMember(std::set<std::string>{"text", "json", "csv"}))
      ->capture_default_str();
  plan_cmd->add_option(
      "--set", request->settings,
      "What if: KEY=VALUE, e.g. venue.seats=16 or trainers.days_per_month=3 "
      "(repeatable)");
  plan_cmd->add_option("--framework", request->framework,
                       "The framework (default: the plan's, else the area's)");
  plan_cmd->add_option("--on", request->on,
                       "The day needs are judged on (default: today)");
  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto settings = std::make_shared<std::vector<std::string>>();
  CLI::App* capacity = plan_cmd->add_subcommand(
      "capacity",
      "The people a plan trains per phase as it states them, and whether its "
      "stated delivery weeks fit its dates once bank holidays are out; exit 1 "
      "when the plan file has errors");
  capacity->add_option("PLANFILE", *file, "The plan file (YAML)")->required();
  capacity->add_option("--format", *format, "text or json")
      ->check(CLI::IsMember(std::set<std::string>{"text", "json"}))
      ->capture_default_str();
  capacity->add_option(
      "--set", *settings,
      "What if: KEY=VALUE, e.g. delivery.people_per_session=16 (repeatable)");
  capacity->callback([file, settings, format, &out, &err, status] {
    *status = Capacity(*file, *settings, *format, out, err);
  });
  auto commit_request = std::make_shared<PlanRequest>();
  CLI::App* commit = plan_cmd->add_subcommand(
      "commit",
      "Create the planned sessions in the area (open for booking) and book "
      "the people placed on them, as a coordinator would: refusals are "
      "listed (exit 1); running it again adds only what is missing");
  commit->add_option("PLANFILE", commit_request->file, "The plan file (YAML)")
      ->required();
  commit->add_option("--set", commit_request->settings,
                     "What if: KEY=VALUE, e.g. start=2027-01-04 (repeatable)");
  commit->add_option("--on", commit_request->on,
                     "The day needs are judged on (default: today)");
  commit->callback([commit_request, &global, &out, &err, status] {
    *status = CommitPlan(global, *commit_request, out, err);
  });
  plan_cmd->callback(
      [plan_cmd, capacity, commit, request, &global, &out, &err, status] {
        if (capacity->parsed() || commit->parsed()) return;
        if (request->file.empty()) {
          err << plan_cmd->help();
          *status = kUsage;
          return;
        }
        *status = PlanRollOut(global, *request, out, err);
      });
}

}  // namespace trellis::cli
