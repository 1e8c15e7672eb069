#include "plan/roll_out.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/needs.h"
#include "store/csv.h"

namespace trellis::plan {
namespace {

using std::chrono::weekday;

constexpr int kMostDays = 3653;  // ten years

// The first completed-training atom in `condition` that names one of the
// planned modules, with its gaps: where a module's pre-requisites or
// sequencing say which planned course comes first [000].
const Condition* PlannedBefore(const Condition& condition,
                               const std::map<std::string, int>& planned) {
  if (condition.kind == ConditionKind::kCompleted &&
      planned.contains(condition.ref.id)) {
    return &condition;
  }
  for (const auto& child : condition.children) {
    if (const Condition* found = PlannedBefore(child, planned)) return found;
  }
  return nullptr;
}

int DaysOf(const Period& period) {
  switch (period.unit) {
    case PeriodUnit::kDays:
      return period.count;
    case PeriodUnit::kWeeks:
      return period.count * 7;
    case PeriodUnit::kMonths:
      return period.count * 30;
    case PeriodUnit::kYears:
      return period.count * 365;
  }
  return period.count;
}

std::expected<void, std::string> AddCourses(const RollOutPlan& plan,
                                            const Framework& framework,
                                            Instance& in) {
  std::map<std::string, int> planned;
  for (const CourseSpec& spec : plan.courses) {
    const Module* module = framework.FindModule(spec.module);
    if (module == nullptr) {
      return std::unexpected(
          FormatFinding({Severity::kError, spec.pos,
                         "courses: '" + spec.module + "' is not a module of " +
                             framework.info.id}));
    }
    PlanCourse course;
    course.id = module->ref;
    course.name = module->name;
    course.system_specific =
        spec.system_specific.value_or(module->system_specific);
    course.audiences_apart =
        spec.audiences_apart.value_or(module->separate_audiences);
    planned.emplace(module->ref, static_cast<int>(in.courses.size()));
    in.courses.push_back(course);
  }
  for (std::size_t c = 0; c < plan.courses.size(); ++c) {
    const CourseSpec& spec = plan.courses[c];
    const Module* module = framework.FindModule(spec.module);
    PlanCourse& course = in.courses[c];
    const Condition* rule = nullptr;
    for (const std::optional<Condition>* condition :
         {&module->sequencing, &module->prerequisites}) {
      if (rule == nullptr && condition->has_value()) {
        rule = PlannedBefore(**condition, planned);
      }
    }
    const std::string after =
        !spec.after.empty() ? spec.after
                            : (rule != nullptr ? rule->ref.id : std::string());
    if (!after.empty()) {
      if (!planned.contains(after) || after == course.id) {
        return std::unexpected(
            FormatFinding({Severity::kError, spec.pos,
                           "courses: " + course.id + " comes after '" + after +
                               "', which is not another course of the plan"}));
      }
      course.after = planned.at(after);
      if (course.after > static_cast<int>(c)) {
        return std::unexpected(
            FormatFinding({Severity::kError, spec.pos,
                           "courses: " + course.id + " comes after " + after +
                               ", so " + after + " is listed before it"}));
      }
    }
    const bool same = rule != nullptr && rule->ref.id == after;
    course.min_gap_days = spec.min_gap_days.value_or(
        same && rule->at_least ? DaysOf(*rule->at_least) : 0);
    course.max_gap_days = spec.max_gap_days;
    if (!course.max_gap_days && same && rule->within) {
      course.max_gap_days = DaysOf(*rule->within);
    }
  }
  return {};
}

// Per course of the plan, the framework course its sessions are committed
// as: the one named, which must teach the module alone, else the
// framework's one course that does ("" when there is none, or several).
std::expected<std::vector<std::string>, std::string> SessionCourses(
    const RollOutPlan& plan, const Framework& framework) {
  std::vector<std::string> out;
  for (const CourseSpec& spec : plan.courses) {
    const auto alone = [&](const Course& c) {
      return c.modules.size() == 1 && c.modules.front().id == spec.module;
    };
    if (!spec.course.empty()) {
      const Course* course = framework.FindCourse(spec.course);
      if (course == nullptr) {
        return std::unexpected(
            FormatFinding({Severity::kError, spec.pos,
                           "courses: course '" + spec.course +
                               "' is not a course of " + framework.info.id}));
      }
      if (!alone(*course)) {
        return std::unexpected(FormatFinding(
            {Severity::kError, spec.pos,
             "courses: course '" + spec.course + "' does not teach " +
                 spec.module +
                 " alone, so its sessions would record other modules"}));
      }
      out.push_back(spec.course);
      continue;
    }
    std::string found;
    int count = 0;
    for (const Course& c : framework.courses) {
      if (alone(c)) {
        found = c.id;
        ++count;
      }
    }
    out.push_back(count == 1 ? found : std::string());
  }
  return out;
}

void AddSlots(const RollOutPlan& plan, const BankHolidays& holidays, Date from,
              Date to, Instance& in) {
  for (const VenueSpec& venue : plan.venues) in.venues.push_back(venue.name);
  const auto last = std::chrono::sys_days(to);
  int most = 0;  // the most sessions a day at any venue
  for (const VenueSpec& v : plan.venues) {
    most =
        std::max(most, v.sessions_per_day > 0 ? v.sessions_per_day
                                              : plan.delivery.sessions_per_day);
  }
  for (auto day = std::chrono::sys_days(from); day <= last;
       day += std::chrono::days{1}) {
    const Date date{day};
    if (holidays.On(date) != nullptr) continue;
    if (std::ranges::any_of(plan.no_delivery, [&](const DateSpan& span) {
          return span.from <= date && date <= span.to;
        })) {
      continue;
    }
    const weekday wd{day};
    for (int part = 0; part < most; ++part) {
      for (std::size_t v = 0; v < plan.venues.size(); ++v) {
        const VenueSpec& venue = plan.venues[v];
        const auto& days = venue.days.empty() ? plan.delivery.days : venue.days;
        const int parts = venue.sessions_per_day > 0
                              ? venue.sessions_per_day
                              : plan.delivery.sessions_per_day;
        if (std::ranges::find(days, wd) == days.end() || part >= parts ||
            (venue.from && date < *venue.from) ||
            (venue.to && *venue.to < date)) {
          continue;
        }
        in.slots.push_back({.day = DayNumberOf(date),
                            .part = part,
                            .venue = static_cast<int>(v),
                            .seats = venue.seats});
      }
    }
  }
}

std::expected<void, std::string> AddTrainers(const RollOutPlan& plan,
                                             Instance& in) {
  for (const TrainerSpec& spec : plan.trainers) {
    PlanTrainer trainer;
    trainer.days_per_month = spec.days_per_month;
    for (const std::string& ref : spec.courses) {
      const auto it = std::ranges::find_if(
          in.courses, [&](const PlanCourse& c) { return c.id == ref; });
      if (it == in.courses.end()) {
        return std::unexpected(
            FormatFinding({Severity::kError, spec.pos,
                           "trainers: " + spec.name + " deliver '" + ref +
                               "', which is not a course of the plan"}));
      }
      trainer.courses.push_back(static_cast<int>(it - in.courses.begin()));
    }
    if (spec.courses.empty()) {
      for (std::size_t c = 0; c < in.courses.size(); ++c) {
        trainer.courses.push_back(static_cast<int>(c));
      }
    }
    for (const Date& date : spec.unavailable) {
      trainer.unavailable.push_back(DayNumberOf(date));
    }
    std::ranges::sort(trainer.unavailable);
    for (int i = 0; i < spec.count; ++i) {
      trainer.id =
          spec.count == 1 ? spec.name : spec.name + " " + std::to_string(i + 1);
      in.trainers.push_back(trainer);
    }
  }
  return {};
}

// Why a person cannot be planned for `module` yet, or nothing: any reason
// but the training the plan itself gives (or its timing).
std::optional<std::string> NotReady(const Framework& framework,
                                    const PersonContext& context,
                                    const Module& module,
                                    const NeedsOptions& options,
                                    const std::set<std::string>& planned) {
  const Eligibility eligibility =
      CheckEligibility(framework, context, module, options);
  for (const Reason& reason : eligibility.reasons) {
    if (reason.kind == ReasonKind::kOutsideTimeWindow) continue;
    if (reason.kind == ReasonKind::kTrainingMissing) {
      bool planned_instead = planned.contains(reason.missing);
      for (const auto& alternative : reason.alternatives) {
        planned_instead = planned_instead || planned.contains(alternative);
      }
      if (planned_instead) continue;
    }
    return std::string(ReasonKindName(reason.kind));
  }
  return std::nullopt;
}

}  // namespace

std::expected<RollOutInstance, std::string> BuildRollOut(
    const RollOutPlan& plan, const Framework& framework, const Workforce& area,
    const BankHolidays& holidays, Date on) {
  RollOutInstance out;
  Instance& in = out.instance;
  if (plan.courses.empty()) {
    return std::unexpected("courses: the plan names no courses to plan");
  }
  if (plan.venues.empty()) {
    return std::unexpected("venues: the plan names no venues to plan in");
  }
  if (plan.horizon) {
    out.from = plan.horizon->from;
    out.to = plan.horizon->to;
  } else {
    if (plan.phases.empty()) {
      return std::unexpected("horizon: the plan has no phases or horizon");
    }
    out.from = plan.phases.front().from;
    out.to = plan.phases.front().to;
    for (const Phase& phase : plan.phases) {
      out.from = std::min(out.from, phase.from);
      out.to = std::max(out.to, phase.to);
    }
  }
  if (out.to < out.from) {
    return std::unexpected("horizon: the plan ends " + FormatIsoDate(out.to) +
                           " before it starts " + FormatIsoDate(out.from));
  }
  // A roll-out is planned years ahead, not centuries: a slip in a year
  // would otherwise make millions of slots.
  if (std::chrono::sys_days(out.to) - std::chrono::sys_days(out.from) >
      std::chrono::days{kMostDays}) {
    return std::unexpected("horizon: " + FormatIsoDate(out.from) + " to " +
                           FormatIsoDate(out.to) +
                           " is more than 10 years to plan; give a horizon");
  }
  if (auto added = AddCourses(plan, framework, in); !added) {
    return std::unexpected(added.error());
  }
  auto session_courses = SessionCourses(plan, framework);
  if (!session_courses) return std::unexpected(session_courses.error());
  out.session_courses = std::move(*session_courses);
  AddSlots(plan, holidays, out.from, out.to, in);
  if (auto added = AddTrainers(plan, in); !added) {
    return std::unexpected(added.error());
  }
  for (const TrainerSpec& spec : plan.trainers) {
    for (int i = 0; i < spec.count; ++i) {
      out.trainer_people.push_back(spec.people.empty() ? std::string()
                                                       : spec.people[i]);
    }
  }
  for (const auto& [audience, sessions] : plan.mix.sessions) {
    in.audiences.push_back(audience);
    in.mix.push_back(sessions);
  }
  if (in.audiences.empty()) in.audiences.emplace_back("everyone");
  in.period_weeks = plan.mix.period_weeks;
  const auto start = std::chrono::sys_days(out.from);
  in.period_start = DayNumberOf(
      Date{start - (std::chrono::weekday{start} - std::chrono::Monday)});
  in.max_organisation_share = plan.max_organisation_share;
  in.priority_groups = plan.priority_audiences.empty() ? 1 : 2;

  std::set<std::string> planned;
  std::vector<const Module*> modules;  // per course, found once
  for (const PlanCourse& course : in.courses) {
    planned.insert(course.id);
    modules.push_back(framework.FindModule(course.id));
  }
  std::map<std::string, int> system_of;
  std::map<std::string, int> organisation_of;
  std::map<std::string, int> not_ready;
  const NeedsOptions options{.on = on};
  const DayNumber first = DayNumberOf(std::max(on, out.from));
  for (const PersonContext& context : ContextsOf(area)) {
    const Person& person = *context.person;
    std::map<std::string, const Need*> by_module;
    const std::vector<Need> needs = ComputeNeeds(framework, context, options);
    for (const Need& need : needs) by_module[need.module->ref] = &need;
    std::vector<int> courses;
    std::optional<std::string> blocked;
    DayNumber earliest = first;
    for (std::size_t c = 0; c < in.courses.size(); ++c) {
      const auto it = by_module.find(in.courses[c].id);
      if (it == by_module.end() || it->second->status == NeedStatus::kDone ||
          it->second->status == NeedStatus::kNotApplicable) {
        continue;
      }
      const PlanCourse& course = in.courses[c];
      if (course.after >= 0 &&
          std::ranges::find(courses, course.after) == courses.end()) {
        // The course before it: planned too unless done, in which case this
        // one waits its gap after the day it was done.
        const auto before = by_module.find(in.courses[course.after].id);
        const bool done = before != by_module.end() &&
                          before->second->status == NeedStatus::kDone;
        if (!done) {
          courses.push_back(course.after);
        } else if (before->second->completed) {
          earliest =
              std::max(earliest, DayNumberOf(*before->second->completed) +
                                     course.min_gap_days);
        }
      }
      if (!blocked) {
        blocked = NotReady(framework, context, *modules[c], options, planned);
      }
      courses.push_back(static_cast<int>(c));
    }
    if (courses.empty()) continue;
    // "Pre-requisites must be validated, or their validation planned,
    // before a delegate is booked" [000]: planned, and counted, so that the
    // coordinator knows what to mend before the bookings are made.
    if (blocked) ++not_ready[*blocked];
    out.blocked.push_back(blocked.value_or(""));
    std::ranges::sort(courses);
    Learner learner;
    learner.person = person.id;
    learner.courses = std::move(courses);
    learner.earliest = earliest;
    learner.audience = -1;
    for (std::size_t a = 0; a < in.audiences.size() && learner.audience < 0;
         ++a) {
      if (std::ranges::any_of(person.audiences, [&](const std::string& id) {
            return id == in.audiences[a];
          })) {
        learner.audience = static_cast<int>(a);
      }
    }
    if (learner.audience < 0) {
      learner.audience = 0;
      if (!plan.mix.sessions.empty()) ++out.without_mix_audience;
    }
    learner.priority =
        std::ranges::any_of(person.audiences,
                            [&](const std::string& id) {
                              return std::ranges::find(plan.priority_audiences,
                                                       id) !=
                                     plan.priority_audiences.end();
                            })
            ? 0
            : (plan.priority_audiences.empty() ? 0 : 1);
    const std::string& organisation = person.organisation;
    auto [org, added] = organisation_of.emplace(
        organisation, static_cast<int>(in.organisations.size()));
    if (added) in.organisations.push_back(organisation);
    learner.organisation = org->second;
    const std::string system =
        context.organisation != nullptr
            ? context.organisation->case_management_system
            : std::string();
    learner.system = -1;
    if (!system.empty()) {
      auto [sys, new_system] =
          system_of.emplace(system, static_cast<int>(in.systems.size()));
      if (new_system) in.systems.push_back(system);
      learner.system = sys->second;
    }
    in.learners.push_back(std::move(learner));
  }
  out.not_ready.assign(not_ready.begin(), not_ready.end());
  return out;
}

RollOutResult PlanRollOut(const RollOutPlan& plan, const RollOutInstance& in) {
  RollOutResult result;
  const Instance& instance = in.instance;
  const RequestIndex requests = IndexRequests(instance);
  result.requests = requests.Count();
  result.learners = static_cast<int>(instance.learners.size());
  result.schedule = Solve(instance);
  result.objective = Evaluate(instance, requests, result.schedule);
  result.forecast = ForecastDay(instance, result.schedule);
  result.bound = LowerBound(instance);
  result.gap = Gap(instance, result.forecast, result.bound);
  result.places.assign(result.schedule.sessions.size(), 0);
  for (int session : result.schedule.placed) {
    if (session >= 0) ++result.places[session];
  }
  const std::vector<int>& places = result.places;
  const double attend = 1.0 - plan.delivery.non_attendance;
  int cumulative = 0;
  int cumulative_target = 0;
  bool targets = true;
  for (const Phase& phase : plan.phases) {
    PhaseResult row;
    row.name = phase.name;
    row.from = phase.from;
    row.to = phase.to;
    row.target = phase.target;
    for (std::size_t i = 0; i < result.schedule.sessions.size(); ++i) {
      const Date day =
          DateOfDayNumber(instance.slots[result.schedule.sessions[i].slot].day);
      if (phase.from <= day && day <= phase.to) {
        ++row.sessions;
        row.places += places[i];
      }
    }
    row.trained = static_cast<int>(std::lround(row.places * attend));
    cumulative += row.trained;
    row.cumulative = cumulative;
    targets = targets && phase.target.has_value();
    if (targets) {
      cumulative_target += *phase.target;
      row.cumulative_target = cumulative_target;
      // RAG against the cumulative target at the phase's end: on target,
      // within a tenth of it, or further behind.
      row.rag = cumulative >= cumulative_target         ? "green"
                : cumulative >= 0.9 * cumulative_target ? "amber"
                                                        : "red";
    }
    result.phases.push_back(row);
  }
  int outside_places = 0;
  for (std::size_t i = 0; i < result.schedule.sessions.size(); ++i) {
    const Date day =
        DateOfDayNumber(instance.slots[result.schedule.sessions[i].slot].day);
    if (std::ranges::none_of(plan.phases, [&](const Phase& phase) {
          return phase.from <= day && day <= phase.to;
        })) {
      ++result.outside_sessions;
      outside_places += places[i];
    }
  }
  result.outside_trained =
      static_cast<int>(std::lround(outside_places * attend));
  return result;
}

namespace {

std::string DayText(std::optional<DayNumber> day) {
  return day ? FormatIsoDate(DateOfDayNumber(*day)) : std::string("none");
}

std::string PartText(int part) {
  return part == 0   ? "morning"
         : part == 1 ? "afternoon"
                     : "part " + std::to_string(part + 1);
}

}  // namespace

std::string FormatRollOutText(const RollOutPlan& plan,
                              const RollOutInstance& in,
                              const RollOutResult& result) {
  const Instance& instance = in.instance;
  std::ostringstream out;
  out << plan.name << ": planned " << FormatIsoDate(in.from) << " to "
      << FormatIsoDate(in.to) << "\n";
  out << "  " << result.learners << " people need " << result.requests
      << " places on " << instance.courses.size() << " courses; "
      << instance.slots.size() << " slots at " << instance.venues.size()
      << " venues, " << instance.trainers.size() << " trainers\n";
  for (const auto& [why, count] : in.not_ready) {
    out << "  to mend before booking: " << count << " of them (" << why
        << ")\n";
  }
  if (in.already_held > 0) {
    out << "  already booked: " << in.already_held
        << " of these places, on sessions not yet run\n";
  }
  if (in.without_mix_audience > 0) {
    out << "  " << in.without_mix_audience
        << " people have no audience of the mix and are planned with "
        << instance.audiences.front() << "\n";
  }
  out << "\n"
      << std::left << std::setw(10) << "phase" << std::setw(25) << "dates"
      << std::right << std::setw(9) << "sessions" << std::setw(9) << "trained"
      << std::setw(12) << "cumulative" << std::setw(9) << "target"
      << "  RAG\n";
  for (const PhaseResult& row : result.phases) {
    out << std::left << std::setw(10) << row.name << std::setw(25)
        << (FormatIsoDate(row.from) + " - " + FormatIsoDate(row.to))
        << std::right << std::setw(9) << row.sessions << std::setw(9)
        << row.trained << std::setw(12) << row.cumulative << std::setw(9)
        << (row.cumulative_target ? std::to_string(*row.cumulative_target)
                                  : std::string("-"))
        << "  " << (row.rag.empty() ? "-" : row.rag) << "\n";
  }
  if (result.outside_sessions > 0) {
    out << "on no phase's dates: " << result.outside_sessions << " sessions, "
        << result.outside_trained << " trained\n";
  }
  out << "\n";
  if (result.requests == 0) {
    out << "forecast: nobody needs the plan's courses\n";
    return out.str();
  }
  if (result.objective.unplaced > 0) {
    out << "forecast: " << result.objective.unplaced
        << " places cannot be given by " << FormatIsoDate(in.to)
        << "; everyone else is placed\n";
  } else {
    out << "forecast: everyone placed by " << DayText(result.forecast) << "\n";
  }
  out << "lower bound: " << DayText(result.bound.date);
  if (result.gap) {
    out << " (the plan is " << std::fixed << std::setprecision(1)
        << *result.gap * 100 << "% later)";
  }
  out << "\n";
  if (!result.bound.limits.empty()) {
    out << "binding: " << result.bound.limits.front().name << ": "
        << result.bound.limits.front().words << "\n";
  }
  return out.str();
}

std::string FormatRollOutJson(const RollOutPlan& plan,
                              const RollOutInstance& in,
                              const RollOutResult& result) {
  const Instance& instance = in.instance;
  nlohmann::json j;
  j["plan"] = plan.id;
  j["from"] = FormatIsoDate(in.from);
  j["to"] = FormatIsoDate(in.to);
  j["people"] = result.learners;
  j["places"] = result.requests;
  j["unplaced"] = result.objective.unplaced;
  j["objective"] = result.objective.value;
  j["forecast"] = result.forecast ? nlohmann::json(DayText(result.forecast))
                                  : nlohmann::json();
  j["bound"] = result.bound.date ? nlohmann::json(DayText(result.bound.date))
                                 : nlohmann::json();
  j["gap"] = result.gap ? nlohmann::json(*result.gap) : nlohmann::json();
  j["limits"] = nlohmann::json::array();
  for (const Limit& limit : result.bound.limits) {
    j["limits"].push_back(
        {{"name", limit.name},
         {"date",
          limit.date ? nlohmann::json(DayText(limit.date)) : nlohmann::json()},
         {"words", limit.words}});
  }
  j["outside_phases"] = {{"sessions", result.outside_sessions},
                         {"trained", result.outside_trained}};
  j["already_held"] = in.already_held;
  j["not_ready"] = nlohmann::json::object();
  for (const auto& [why, count] : in.not_ready) j["not_ready"][why] = count;
  j["phases"] = nlohmann::json::array();
  for (const PhaseResult& row : result.phases) {
    j["phases"].push_back(
        {{"name", row.name},
         {"from", FormatIsoDate(row.from)},
         {"to", FormatIsoDate(row.to)},
         {"sessions", row.sessions},
         {"places", row.places},
         {"trained", row.trained},
         {"cumulative", row.cumulative},
         {"target",
          row.target ? nlohmann::json(*row.target) : nlohmann::json()},
         {"cumulative_target", row.cumulative_target
                                   ? nlohmann::json(*row.cumulative_target)
                                   : nlohmann::json()},
         {"rag", row.rag}});
  }
  std::vector<std::vector<std::string>> people(result.schedule.sessions.size());
  const RequestIndex requests = IndexRequests(instance);
  for (int r = 0; r < requests.Count(); ++r) {
    const int session = result.schedule.placed[r];
    if (session >= 0) {
      people[session].push_back(instance.learners[requests.learner[r]].person);
    }
  }
  j["sessions"] = nlohmann::json::array();
  for (std::size_t i = 0; i < result.schedule.sessions.size(); ++i) {
    const PlannedSession& s = result.schedule.sessions[i];
    const PlanSlot& slot = instance.slots[s.slot];
    j["sessions"].push_back(
        {{"date", DayText(slot.day)},
         {"part", PartText(slot.part)},
         {"venue", instance.venues[slot.venue]},
         {"course", instance.courses[s.course].id},
         {"audience", instance.audiences[s.audience]},
         {"system", s.system >= 0 ? nlohmann::json(instance.systems[s.system])
                                  : nlohmann::json()},
         {"trainer", s.trainer >= 0
                         ? nlohmann::json(instance.trainers[s.trainer].id)
                         : nlohmann::json()},
         {"seats", slot.seats},
         {"people", people[i]}});
  }
  return j.dump(2) + "\n";
}

std::string FormatRollOutCsv(const RollOutInstance& in,
                             const RollOutResult& result) {
  const Instance& instance = in.instance;
  std::ostringstream out;
  out << "date,part,venue,course,audience,system,trainer,seats,places\n";
  for (std::size_t i = 0; i < result.schedule.sessions.size(); ++i) {
    const PlannedSession& s = result.schedule.sessions[i];
    const PlanSlot& slot = instance.slots[s.slot];
    out << DayText(slot.day) << "," << PartText(slot.part) << ","
        << CsvField(instance.venues[slot.venue]) << ","
        << CsvField(instance.courses[s.course].id) << ","
        << CsvField(instance.audiences[s.audience]) << ","
        << (s.system >= 0 ? CsvField(instance.systems[s.system]) : "") << ","
        << (s.trainer >= 0 ? CsvField(instance.trainers[s.trainer].id) : "")
        << "," << slot.seats << "," << result.places[i] << "\n";
  }
  return out.str();
}

Proposals ProposeSessions(const RollOutPlan& plan, const RollOutInstance& in,
                          const RollOutResult& result) {
  Proposals out;
  const Instance& instance = in.instance;
  for (std::size_t c = 0; c < plan.courses.size(); ++c) {
    if (in.session_courses[c].empty()) {
      out.problems.push_back("courses[" + std::to_string(c) +
                             "].course: the framework has no " +
                             "one course teaching " + plan.courses[c].module +
                             " alone; name the course its sessions run as");
    }
  }
  std::vector<std::vector<std::pair<int, int>>> times;  // per venue
  for (std::size_t v = 0; v < plan.venues.size(); ++v) {
    const VenueSpec& venue = plan.venues[v];
    const std::string key = "venues[" + std::to_string(v) + "]";
    if (venue.room.empty()) {
      out.problems.push_back(key + ".room: " + venue.name +
                             " names no room of the area to book");
    }
    const int a_day = venue.sessions_per_day > 0
                          ? venue.sessions_per_day
                          : plan.delivery.sessions_per_day;
    auto stated =
        plan.delivery.times.empty() ? DefaultTimes(a_day) : plan.delivery.times;
    if (static_cast<int>(stated.size()) < a_day) {
      out.problems.push_back(
          "delivery.times: " + venue.name + " runs " + std::to_string(a_day) +
          " sessions a day; state the times of each, like 09:30-12:30");
    }
    times.push_back(std::move(stated));
  }
  if (!out.problems.empty()) return out;

  const RequestIndex requests = IndexRequests(instance);
  out.sessions.resize(result.schedule.sessions.size());
  for (std::size_t i = 0; i < result.schedule.sessions.size(); ++i) {
    const PlannedSession& planned = result.schedule.sessions[i];
    const PlanSlot& slot = instance.slots[planned.slot];
    const auto [starts, ends] = times[slot.venue][slot.part];
    CourseSession& session = out.sessions[i].session;
    session.course = in.session_courses[planned.course];
    session.status = SessionStatus::kOpen;
    session.room = plan.venues[slot.venue].room;
    session.seats = slot.seats;
    const Date date = DateOfDayNumber(slot.day);
    session.parts.push_back({LocalTime{date, starts}, LocalTime{date, ends}});
    if (planned.trainer >= 0 && !in.trainer_people[planned.trainer].empty()) {
      session.trainers.push_back(in.trainer_people[planned.trainer]);
    }
    // Kept to the mix's audience where the course keeps audiences apart;
    // else open to the course's audiences, as the planner mixed them.
    if (instance.courses[planned.course].audiences_apart &&
        !instance.mix.empty()) {
      session.audiences.push_back(instance.audiences[planned.audience]);
    }
    if (planned.system >= 0) {
      session.case_management_system = instance.systems[planned.system];
    }
    session.notes = "Planned by roll-out plan " + plan.id;
  }
  std::map<std::string, int> not_booked;
  for (int r = 0; r < requests.Count(); ++r) {
    const int placed = result.schedule.placed[r];
    if (placed < 0) continue;
    const int learner = requests.learner[r];
    if (!in.blocked[learner].empty()) {
      ++not_booked[in.blocked[learner]];
      continue;
    }
    out.sessions[placed].people.push_back(instance.learners[learner].person);
  }
  out.not_booked.assign(not_booked.begin(), not_booked.end());
  return out;
}

}  // namespace trellis::plan
