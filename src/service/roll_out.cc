#include "service/roll_out.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "domain/text.h"

namespace trellis::service {
namespace {

namespace fs = std::filesystem;

// A plan file is at most this big: the Newcastle plan is 4 KB.
constexpr std::uintmax_t kMostPlanBytes = 1 << 20;

bool IsPlanId(const std::string& id) {
  return !id.empty() && id.size() <= 100 && std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::expected<std::string, Error> ReadPlanText(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMostPlanBytes) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "plan file " + path.filename().string() +
                  (ec ? " cannot be read: " + ec.message() : " is over 1 MiB"),
              {{"plan", "not readable"}}});
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    return std::unexpected(
        Error{ErrorCode::kUnavailable,
              "plan file " + path.filename().string() + " cannot be read",
              {{"plan", "not readable"}}});
  }
  return text.str();
}

Error PlanError(const std::string& message, const std::string& field,
                const std::string& why) {
  return Error{ErrorCode::kInvalidArgument, message, {{field, why}}};
}

// The places held on sessions not yet over at `after`, by person.
std::expected<std::map<std::string, std::vector<HeldPlace>>, Error> HeldBy(
    Store& store, LocalTime after) {
  auto places = store.PlacesHeld(after);
  if (!places) return std::unexpected(places.error());
  std::map<std::string, std::vector<HeldPlace>> by;
  for (auto& p : *places) by[p.person].push_back(std::move(p.place));
  return by;
}

// Whether framework course `course` teaches `module`.
bool Teaches(const Framework& framework, const std::string& course,
             const std::string& module) {
  const Course* found = framework.FindCourse(course);
  return found != nullptr &&
         std::ranges::any_of(found->modules,
                             [&](const Ref& ref) { return ref.id == module; });
}

}  // namespace

std::expected<std::vector<PlanSummary>, Error> ListPlans(
    const Caller& caller, const std::string& folder) {
  if (!MayReadEverything(caller)) {
    return std::unexpected(Forbidden(caller, "read roll-out plans"));
  }
  std::vector<PlanSummary> plans;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path& path = entry.path();
    const std::string id = path.stem().string();
    if (path.extension() != ".yaml" || !IsPlanId(id)) continue;
    PlanSummary summary;
    summary.id = id;
    summary.name = id;
    auto text = ReadPlanText(path);
    if (!text) {
      summary.errors = 1;
    } else {
      const auto load = plan::LoadPlanFromText(*text, path.filename().string());
      summary.errors = static_cast<int>(std::ranges::count_if(
          load.findings,
          [](const Finding& f) { return f.severity == Severity::kError; }));
      if (load.plan) {
        summary.name = load.plan->name;
        if (!load.plan->phases.empty()) {
          summary.from = load.plan->phases.front().from;
          summary.to = load.plan->phases.back().to;
        }
      }
    }
    plans.push_back(std::move(summary));
  }
  std::ranges::sort(plans, {}, &PlanSummary::id);
  return plans;
}

std::expected<PlannedRollOut, Error> PlanOnArea(
    const Framework& framework, Store& store, const plan::PlanLoad& load,
    const std::vector<std::string>& settings, Date on) {
  if (!load.plan) {
    Error error{
        ErrorCode::kInvalidArgument, "the plan file cannot be read", {}};
    for (const auto& f : load.findings) {
      if (f.severity == Severity::kError) {
        error.fields.push_back({"plan", FormatFinding(f)});
      }
    }
    return std::unexpected(std::move(error));
  }
  if (!load.plan->framework.empty() &&
      load.plan->framework != framework.info.id) {
    return std::unexpected(PlanError(
        "plan " + load.plan->id + " is for framework " + load.plan->framework +
            "; the area works to " + framework.info.id,
        "framework", "not the area's"));
  }
  PlannedRollOut out;
  out.stated = *load.plan;
  out.plan = *load.plan;
  out.settings = settings;
  out.findings = load.findings;
  out.on = on;
  for (const auto& setting : settings) {
    if (auto problem = plan::SetInPlan(out.plan, setting)) {
      return std::unexpected(PlanError(*problem, "set", *problem));
    }
  }
  auto area = store.LoadWorkforce();
  if (!area) return std::unexpected(area.error());
  const auto& holidays = plan::BankHolidays::EnglandAndWales();
  auto instance = plan::BuildRollOut(out.plan, framework, *area, holidays, on);
  if (!instance) {
    return std::unexpected(PlanError(instance.error(), "plan", "cannot plan"));
  }
  out.instance = std::move(*instance);
  auto held = HeldBy(store, LocalTime{on, 0});
  if (!held) return std::unexpected(held.error());
  const plan::Instance& in = out.instance.instance;
  for (const plan::Learner& learner : in.learners) {
    const auto places = held->find(learner.person);
    if (places == held->end()) continue;
    for (int c : learner.courses) {
      out.instance.already_held += static_cast<int>(
          std::ranges::any_of(places->second, [&](const HeldPlace& place) {
            return Teaches(framework, place.course, in.courses[c].id);
          }));
    }
  }
  out.result = plan::PlanRollOut(out.plan, out.instance);
  if (!settings.empty()) {
    auto stated =
        plan::BuildRollOut(out.stated, framework, *area, holidays, on);
    if (stated) out.stated_result = plan::PlanRollOut(out.stated, *stated);
  }
  return out;
}

std::expected<PlannedRollOut, Error> PlanFromFolder(
    const AreaService& service, Store& store, const Caller& caller,
    const std::string& folder, const std::string& id,
    const std::vector<std::string>& settings, Date on) {
  if (!MayReadEverything(caller)) {
    return std::unexpected(Forbidden(caller, "read roll-out plans"));
  }
  const fs::path path = fs::path(folder) / (id + ".yaml");
  std::error_code ec;
  if (!IsPlanId(id) || !fs::is_regular_file(path, ec)) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no roll-out plan '" + id + "'",
                                 {{"plan", "not known"}}});
  }
  auto text = ReadPlanText(path);
  if (!text) return std::unexpected(text.error());
  return PlanOnArea(service.framework(), store,
                    plan::LoadPlanFromText(*text, path.filename().string()),
                    settings, on);
}

std::expected<CommitReport, Error> CommitRollOut(
    AreaService& service, Store& store, const Caller& caller,
    const PlannedRollOut& planned) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "commit a roll-out plan"));
  }
  const plan::Proposals proposals =
      plan::ProposeSessions(planned.plan, planned.instance, planned.result);
  Error errors{ErrorCode::kFailedPrecondition,
               "plan " + planned.plan.id +
                   " has errors in its file; mend them before committing it",
               {}};
  for (const auto& f : planned.findings) {
    if (f.severity == Severity::kError) {
      errors.fields.push_back({"plan", FormatFinding(f)});
    }
  }
  if (!errors.fields.empty()) return std::unexpected(std::move(errors));
  if (!proposals.problems.empty()) {
    Error error{ErrorCode::kFailedPrecondition,
                "plan " + planned.plan.id + " cannot be committed yet: " +
                    std::to_string(proposals.problems.size()) + " to mend",
                {}};
    for (const auto& p : proposals.problems)
      error.fields.push_back({"plan", p});
    return std::unexpected(std::move(error));
  }
  const LocalTime now = service.LocalNow();
  for (const auto& proposal : proposals.sessions) {
    if (proposal.session.parts.front().starts <= now) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "plan " + planned.plan.id + "'s first session starts " +
                    FormatLocalTime(proposal.session.parts.front().starts) +
                    ", which has passed; move the plan with start=DATE",
                {{"start", "in the past"}}});
    }
  }
  auto held = HeldBy(store, now);
  if (!held) return std::unexpected(held.error());
  const Framework& framework = service.framework();
  // Whether `person` holds a place for a module `course` teaches on a
  // session other than `session`.
  const auto held_elsewhere = [&](const std::string& person,
                                  const std::string& session,
                                  const std::string& course) {
    const Course* wanted = framework.FindCourse(course);
    const auto places = held->find(person);
    if (wanted == nullptr || places == held->end()) return false;
    return std::ranges::any_of(places->second, [&](const HeldPlace& place) {
      return place.session != session &&
             std::ranges::any_of(wanted->modules, [&](const Ref& module) {
               return Teaches(framework, place.course, module.id);
             });
    });
  };
  CommitReport report;
  report.not_booked = proposals.not_booked;
  for (const auto& proposal : proposals.sessions) {
    const CourseSession& wanted = proposal.session;
    const std::string where =
        wanted.course + " " + FormatLocalTime(wanted.parts.front().starts);
    // An earlier commit's session: the same course, room and times.
    SessionFilter filter;
    filter.room = wanted.room;
    filter.course = wanted.course;
    filter.from = wanted.parts.front().starts.date;
    filter.to = wanted.parts.front().starts.date;
    auto existing = store.ListSessions(filter);
    if (!existing) return std::unexpected(existing.error());
    std::string id;
    for (const auto& s : *existing) {
      if (s.status != SessionStatus::kCancelled && s.parts == wanted.parts) {
        id = s.id;
      }
    }
    if (id.empty()) {
      auto added = service.AddSession(store, caller, wanted);
      if (!added) {
        if (added.error().code == ErrorCode::kUnavailable ||
            added.error().code == ErrorCode::kInternal) {
          return std::unexpected(added.error());
        }
        report.refused.push_back({where, "", added.error().message});
        continue;
      }
      id = added->id;
      ++report.sessions_added;
    } else {
      ++report.sessions_kept;
    }
    report.sessions.push_back(id);
    for (const auto& person : proposal.people) {
      if (held_elsewhere(person, id, wanted.course)) {
        ++report.held_elsewhere;
        continue;
      }
      auto booked = service.Book(store, caller, id, person);
      if (booked) {
        ++report.booked;
        continue;
      }
      const Error& error = booked.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        ++report.already_booked;
      } else if (error.code == ErrorCode::kUnavailable ||
                 error.code == ErrorCode::kInternal) {
        return std::unexpected(error);
      } else {
        std::string why = error.message;
        for (const auto& f : error.fields) why += "; " + f.message;
        report.refused.push_back({id, person, why});
      }
    }
  }
  return report;
}

}  // namespace trellis::service
