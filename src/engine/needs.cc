#include "engine/needs.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "domain/text.h"
#include "engine/route.h"

namespace trellis {
namespace {

constexpr size_t kMaxAlternatives = 4096;

Reason Because(ReasonKind kind, std::string text, std::string missing = {}) {
  Reason reason;
  reason.kind = kind;
  reason.text = std::move(text);
  reason.missing = std::move(missing);
  return reason;
}

RouteSubject SubjectOf(const Framework& framework,
                       const PersonContext& context) {
  const Person& person = *context.person;
  RouteSubject subject = MakeRouteSubject(
      framework, person.audiences, person.role,
      context.organisation != nullptr ? context.organisation->sector : "");
  subject.label = "person " + person.id;
  return subject;
}

// The latest record of `module` that counts, on or before `on`.
const TrainingRecord* LatestCounting(const PersonContext& context,
                                     std::string_view module, const Date& on) {
  const TrainingRecord* latest = nullptr;
  for (const TrainingRecord* r : context.records) {
    if (r->module != module || !Counts(r->outcome) || r->date > on) continue;
    if (latest == nullptr || r->date > latest->date) latest = r;
  }
  return latest;
}

// The latest record of a check on or before `on`.
const CheckRecord* LatestCheck(const Person& person, std::string_view check,
                               const Date& on) {
  const CheckRecord* latest = nullptr;
  for (const auto& c : person.checks) {
    if (c.check != check || c.date > on) continue;
    if (latest == nullptr || c.date > latest->date) latest = &c;
  }
  return latest;
}

struct ModuleState {
  NeedStatus status = NeedStatus::kOutstanding;
  std::optional<Date> completed;
  std::optional<Date> expires;
};

ModuleState StateOf(const PersonContext& context, const Module& module,
                    const std::optional<Period>& validity,
                    const NeedsOptions& options) {
  ModuleState state;
  const TrainingRecord* latest =
      LatestCounting(context, module.ref, options.on);
  if (latest == nullptr) return state;
  state.completed = latest->date;
  state.status = NeedStatus::kDone;
  if (validity) {
    state.expires = AddPeriod(latest->date, *validity);
    if (options.on >= *state.expires) {
      state.status = NeedStatus::kExpired;
    } else if (AddPeriod(options.on, options.due_soon) >= *state.expires) {
      state.status = NeedStatus::kDueSoon;
    }
  }
  return state;
}

bool InDate(NeedStatus status) {
  return status == NeedStatus::kDone || status == NeedStatus::kDueSoon;
}

std::string Refs(const std::vector<const Module*>& modules) {
  std::vector<std::string> refs;
  refs.reserve(modules.size());
  for (const Module* m : modules) refs.push_back(m->ref);
  return Join(refs, " and ");
}

// --- Eligibility ------------------------------------------------------------

class Judge {
 public:
  Judge(const Framework& framework, const PersonContext& context,
        const NeedsOptions& options)
      : fw_(framework), context_(context), options_(options) {}

  // The reasons `atom` does not hold; empty when it does.
  std::vector<Reason> Unmet(const Condition& atom) const {
    switch (atom.kind) {
      case ConditionKind::kCompleted:
        return Training(atom);
      case ConditionKind::kCheck:
        return CheckReasons(atom);
      case ConditionKind::kOrganisationReady:
        return Readiness(atom);
      case ConditionKind::kExperience:
        return ExperienceReasons(atom);
      case ConditionKind::kTargetGroup:
        return TargetGroup(atom);
      case ConditionKind::kAllOf:
      case ConditionKind::kAnyOf:
        break;  // Alternatives() flattens these
    }
    return {};
  }

 private:
  std::vector<Reason> Training(const Condition& atom) const {
    std::vector<Reason> reasons;
    auto modules = fw_.ModulesOf(atom.ref.id);
    for (const Module* m : modules) {
      const TrainingRecord* latest =
          LatestCounting(context_, m->ref, options_.on);
      if (latest == nullptr) {
        Reason r = Because(ReasonKind::kTrainingMissing,
                           m->ref + " (" + m->name + ") has not been completed",
                           m->ref);
        reasons.push_back(std::move(r));
        continue;
      }
      const std::string done =
          m->ref + " was completed on " + FormatIsoDate(latest->date);
      if (atom.in_last &&
          AddPeriod(latest->date, *atom.in_last) <= options_.on) {
        reasons.push_back(Because(ReasonKind::kTrainingMissing,
                                  done + ", more than " +
                                      FormatPeriod(*atom.in_last) +
                                      " ago; it must be done again",
                                  m->ref));
      }
      if (atom.within && options_.on > AddPeriod(latest->date, *atom.within)) {
        reasons.push_back(
            Because(ReasonKind::kOutsideTimeWindow,
                    done + "; this must follow within " +
                        FormatPeriod(*atom.within) + ", by " +
                        FormatIsoDate(AddPeriod(latest->date, *atom.within))));
      }
      if (atom.at_least &&
          options_.on < AddPeriod(latest->date, *atom.at_least)) {
        reasons.push_back(Because(
            ReasonKind::kOutsideTimeWindow,
            done + "; this may follow only " + FormatPeriod(*atom.at_least) +
                " later, from " +
                FormatIsoDate(AddPeriod(latest->date, *atom.at_least))));
      }
    }
    if (modules.empty()) {
      reasons.push_back(Because(ReasonKind::kTrainingMissing,
                                atom.ref.id + " is not in the framework",
                                atom.ref.id));
    }
    return reasons;
  }

  std::vector<Reason> CheckReasons(const Condition& atom) const {
    auto check =
        std::find_if(fw_.checks.begin(), fw_.checks.end(),
                     [&](const Check& c) { return c.id == atom.ref.id; });
    const std::string name =
        check != fw_.checks.end() ? check->name : atom.ref.id;
    // [002 Minimum Standards 1]: the application form is its own reason.
    const bool form = atom.ref.id == "application-form";
    const CheckRecord* latest =
        LatestCheck(*context_.person, atom.ref.id, options_.on);
    if (latest == nullptr) {
      return {Because(form ? ReasonKind::kApplicationFormIncomplete
                           : ReasonKind::kCheckMissing,
                      form ? std::string("the application form is not complete")
                           : name + ": no record of it")};
    }
    std::optional<Period> valid = atom.in_last;
    if (!valid && check != fw_.checks.end()) valid = check->valid_for;
    if (valid && AddPeriod(latest->date, *valid) <= options_.on) {
      return {Because(form ? ReasonKind::kApplicationFormIncomplete
                           : ReasonKind::kCheckOutOfDate,
                      name + " dated " + FormatIsoDate(latest->date) +
                          " is more than " + FormatPeriod(*valid) + " old")};
    }
    return {};
  }

  std::vector<Reason> Readiness(const Condition& atom) const {
    auto checklist = std::find_if(
        fw_.readiness.begin(), fw_.readiness.end(),
        [&](const ReadinessChecklist& c) { return c.id == atom.ref.id; });
    const std::string name =
        checklist != fw_.readiness.end() ? checklist->name : atom.ref.id;
    const Organisation* org = context_.organisation;
    if (org == nullptr) {
      return {Because(ReasonKind::kOrganisationNotReady,
                      "the person's organisation is not known, so its "
                      "readiness (" +
                          name + ") cannot be confirmed")};
    }
    const trellis::Readiness* state = nullptr;
    for (const auto& r : org->readiness) {
      if (r.checklist == atom.ref.id) state = &r;
    }
    size_t expected = 0;
    if (checklist != fw_.readiness.end()) {
      expected = checklist->condition_count
                     ? static_cast<size_t>(*checklist->condition_count)
                     : checklist->conditions.size();
    }
    std::map<int, const ReadinessCondition*> by_number;
    if (state != nullptr) {
      for (const auto& c : state->conditions) by_number[c.number] = &c;
    }
    std::vector<std::string> unmet;
    // The checklist says how many conditions there are; without that, the
    // highest number recorded (bounded, so a stray number cannot run away).
    constexpr int kMaxConditions = 10'000;
    const int highest = by_number.empty() ? 0 : by_number.rbegin()->first;
    const size_t count =
        expected > 0
            ? expected
            : static_cast<size_t>(std::clamp(highest, 0, kMaxConditions));
    for (size_t n = 1; n <= count; ++n) {
      auto it = by_number.find(static_cast<int>(n));
      if (it != by_number.end() && it->second->met) continue;
      std::string label = "condition " + std::to_string(n);
      std::string text = it != by_number.end() ? it->second->text : "";
      if (text.empty() && checklist != fw_.readiness.end() &&
          n <= checklist->conditions.size()) {
        text = checklist->conditions[n - 1];
      }
      if (!text.empty()) label += " (" + text + ")";
      if (it == by_number.end()) label += ": not recorded";
      unmet.push_back(label);
    }
    if (state == nullptr && count == 0)
      unmet.emplace_back("no readiness recorded");
    if (unmet.empty()) return {};
    Reason r = Because(
        ReasonKind::kOrganisationNotReady,
        org->name + " is not yet ready: " + std::to_string(unmet.size()) +
            " of the conditions of " + name + " are not met");
    if (unmet.size() == 1) {
      r.text = org->name + " is not yet ready: 1 condition of " + name +
               " is not met";
    }
    r.unmet_conditions = std::move(unmet);
    return {r};
  }

  std::vector<Reason> ExperienceReasons(const Condition& atom) const {
    for (const auto& e : context_.person->experience) {
      if (!atom.area.empty() && ToLower(e.area) != ToLower(atom.area)) continue;
      if (!atom.level.empty() && ToLower(e.level) != ToLower(atom.level))
        continue;
      if (atom.years && (!e.years || *e.years < *atom.years)) continue;
      if (!atom.attested_by.empty() && e.attested_by.empty()) continue;
      return {};
    }
    return {Because(ReasonKind::kExperienceNotAttested,
                    "no attested record of " + DescribeAtom(atom))};
  }

  std::vector<Reason> TargetGroup(const Condition& atom) const {
    const RouteSubject subject = SubjectOf(fw_, context_);
    auto in = [](const std::vector<Ref>& refs, auto matches) {
      return std::any_of(refs.begin(), refs.end(), matches);
    };
    if (in(atom.audiences,
           [&](const Ref& r) { return subject.audiences.contains(r.id); }) ||
        in(atom.roles, [&](const Ref& r) { return r.id == subject.role; }) ||
        in(atom.sectors,
           [&](const Ref& r) { return r.id == subject.sector; })) {
      return {};
    }
    return {
        Because(ReasonKind::kNotInTargetGroup, "not " + DescribeAtom(atom))};
  }

  const Framework& fw_;
  const PersonContext& context_;
  const NeedsOptions& options_;
};

}  // namespace

namespace {
constexpr std::array<const char*, 5> kNeedStatusNames = {
    "done", "due-soon", "expired", "outstanding", "not-applicable"};
}  // namespace

const char* NeedStatusName(NeedStatus status) {
  return kNeedStatusNames.at(static_cast<size_t>(status));
}

std::optional<NeedStatus> ParseNeedStatus(std::string_view name) {
  for (size_t i = 0; i < kNeedStatusNames.size(); ++i) {
    if (name == kNeedStatusNames[i]) return static_cast<NeedStatus>(i);
  }
  return std::nullopt;
}

const char* ReasonKindName(ReasonKind kind) {
  static constexpr std::array<const char*, 8> kNames = {
      "training-missing",
      "check-missing",
      "check-out-of-date",
      "organisation-not-ready",
      "application-form-incomplete",
      "outside-time-window",
      "not-in-target-group",
      "experience-not-attested"};
  return kNames.at(static_cast<size_t>(kind));
}

bool Applies(const Framework& framework, const Who& who,
             const PersonContext& context) {
  return Applies(who, SubjectOf(framework, context));
}

std::vector<Need> ComputeNeeds(const Framework& framework,
                               const PersonContext& context,
                               const NeedsOptions& options) {
  const RouteSubject subject = SubjectOf(framework, context);
  std::vector<Need> needs;
  std::map<std::string, size_t> index;  // module ref -> position in `needs`
  auto add = [&](const Module* m, const Requirement& r, NeedStatus status,
                 const ModuleState& state,
                 const std::vector<std::string>& alternatives) {
    auto [it, fresh] = index.emplace(m->ref, needs.size());
    if (fresh) {
      needs.push_back({m, r.level, r.id, status, state.completed, state.expires,
                       alternatives});
      return;
    }
    Need& need = needs[it->second];
    const bool was_needed = need.status != NeedStatus::kNotApplicable;
    const bool is_needed = status != NeedStatus::kNotApplicable;
    if (!was_needed && is_needed) {
      // A rule that still asks for the module outweighs one met another way,
      // and only it lends its level.
      need.status = status;
      need.completed = state.completed;
      need.expires = state.expires;
      need.level = r.level;
      need.requirement = r.id;
    } else if (was_needed == is_needed &&
               r.level == RequirementLevel::kRequired &&
               need.level != RequirementLevel::kRequired) {
      need.level = r.level;
      need.requirement = r.id;
    }
    for (const auto& a : alternatives) {
      if (std::find(need.alternatives.begin(), need.alternatives.end(), a) ==
          need.alternatives.end()) {
        need.alternatives.push_back(a);
      }
    }
  };
  for (const auto& requirement : framework.requirements) {
    if (!Applies(requirement.who, subject)) continue;
    auto alternatives = Alternatives(requirement.take, kMaxAlternatives);
    if (!alternatives || alternatives->empty()) continue;
    struct Option {
      std::vector<const Module*> modules;
      std::vector<ModuleState> states;
      size_t in_date = 0;
    };
    std::vector<Option> options_list;
    for (const auto& alternative : *alternatives) {
      Option o{framework.ModulesOf(alternative), {}, 0};
      for (const Module* m : o.modules) {
        const std::optional<Period> validity =
            requirement.refresh ? requirement.refresh : m->validity;
        o.states.push_back(StateOf(context, *m, validity, options));
        if (InDate(o.states.back().status)) ++o.in_date;
      }
      options_list.push_back(std::move(o));
    }
    // The alternative met (every module in date), else the one furthest along,
    // else the first: the preferred route.
    size_t chosen = 0;
    bool met = false;
    for (size_t i = 0; i < options_list.size(); ++i) {
      const auto& o = options_list[i];
      if (!o.modules.empty() && o.in_date == o.modules.size()) {
        chosen = i;
        met = true;
        break;
      }
      if (o.in_date > options_list[chosen].in_date) chosen = i;
    }
    for (size_t i = 0; i < options_list.size(); ++i) {
      const auto& o = options_list[i];
      if (i != chosen && !met) continue;  // unchosen routes are not needs
      std::vector<std::string> others;
      for (size_t k = 0; k < options_list.size(); ++k) {
        if (k != i && !options_list[k].modules.empty())
          others.push_back(Refs(options_list[k].modules));
      }
      for (size_t j = 0; j < o.modules.size(); ++j) {
        const bool not_needed =
            met && i != chosen &&
            std::find(options_list[chosen].modules.begin(),
                      options_list[chosen].modules.end(),
                      o.modules[j]) == options_list[chosen].modules.end();
        add(o.modules[j], requirement,
            not_needed ? NeedStatus::kNotApplicable : o.states[j].status,
            o.states[j], others);
      }
    }
  }
  // Route order over the modules the person actually needs: each after the
  // modules of one alternative of its sequencing among them.
  std::vector<const Module*> modules;
  modules.reserve(needs.size());
  for (const Need& n : needs) modules.push_back(n.module);
  const Route route = OrderRoute(framework, modules, subject);
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < route.steps.size(); ++i) {
    rank.emplace(route.steps[i].module->ref, i);
  }
  std::stable_sort(needs.begin(), needs.end(),
                   [&](const Need& a, const Need& b) {
                     return rank.at(a.module->ref) < rank.at(b.module->ref);
                   });
  return needs;
}

Eligibility CheckEligibility(const Framework& framework,
                             const PersonContext& context, const Module& module,
                             const NeedsOptions& options) {
  Eligibility result;
  Condition all;
  all.kind = ConditionKind::kAllOf;
  if (module.prerequisites) all.children.push_back(*module.prerequisites);
  if (module.sequencing) all.children.push_back(*module.sequencing);
  if (all.children.empty()) {
    result.eligible = true;
    return result;
  }
  auto alternatives = Alternatives(all, kMaxAlternatives);
  if (!alternatives) {
    result.reasons.push_back(Because(
        ReasonKind::kTrainingMissing,
        module.ref + "'s pre-requisites have too many alternatives to judge; "
                     "ask the training coordinator"));
    return result;
  }
  const Judge judge(framework, context, options);
  std::vector<std::vector<Reason>> unmet;
  for (const auto& alternative : *alternatives) {
    std::vector<Reason> reasons;
    for (const Condition* atom : alternative) {
      auto more = judge.Unmet(*atom);
      reasons.insert(reasons.end(), std::make_move_iterator(more.begin()),
                     std::make_move_iterator(more.end()));
    }
    if (reasons.empty()) {
      result.eligible = true;
      return result;
    }
    unmet.push_back(std::move(reasons));
  }
  // The nearest alternative: fewest unmet conditions, the first on a tie.
  size_t nearest = 0;
  for (size_t i = 1; i < unmet.size(); ++i) {
    if (unmet[i].size() < unmet[nearest].size()) nearest = i;
  }
  std::vector<std::string> others;
  for (size_t i = 0; i < alternatives->size(); ++i) {
    if (i == nearest) continue;
    auto modules = framework.ModulesOf((*alternatives)[i]);
    std::vector<std::string> parts;
    if (!modules.empty()) parts.push_back(Refs(modules));
    for (const Condition* atom : (*alternatives)[i]) {
      if (atom->kind == ConditionKind::kExperience)
        parts.push_back(DescribeAtom(*atom));
    }
    if (!parts.empty()) others.push_back(Join(parts, " and "));
  }
  result.reasons = std::move(unmet[nearest]);
  for (auto& reason : result.reasons) {
    if (reason.kind == ReasonKind::kTrainingMissing && !others.empty()) {
      reason.alternatives = others;
      reason.text += "; instead: " + Join(others, ", or ");
    }
  }
  return result;
}

std::vector<const Module*> BookableNext(const Framework& framework,
                                        const PersonContext& context,
                                        const NeedsOptions& options) {
  std::vector<const Module*> out;
  for (const Need& need : ComputeNeeds(framework, context, options)) {
    if (need.status == NeedStatus::kDone ||
        need.status == NeedStatus::kNotApplicable)
      continue;
    if (CheckEligibility(framework, context, *need.module, options).eligible) {
      out.push_back(need.module);
    }
  }
  return out;
}

std::optional<GroupBy> ParseGroupBy(std::string_view name) {
  if (name == "sector") return GroupBy::kSector;
  if (name == "organisation") return GroupBy::kOrganisation;
  if (name == "locality") return GroupBy::kLocality;
  if (name == "audience") return GroupBy::kAudience;
  return std::nullopt;
}

std::vector<SummaryRow> SummariseNeeds(const Framework& framework,
                                       const std::vector<PersonContext>& people,
                                       GroupBy by,
                                       const NeedsOptions& options) {
  constexpr std::string_view kNone = "(none)";
  std::map<std::string, size_t> module_order;
  for (size_t i = 0; i < framework.modules.size(); ++i) {
    module_order.emplace(framework.modules[i].ref, i);
  }
  // group -> module order -> row
  std::map<std::string, std::map<size_t, SummaryRow>> rows;
  for (const PersonContext& context : people) {
    std::vector<std::string> groups;
    switch (by) {
      case GroupBy::kSector:
        groups.push_back(context.organisation != nullptr
                             ? context.organisation->sector
                             : "");
        break;
      case GroupBy::kOrganisation:
        groups.push_back(context.person->organisation);
        break;
      case GroupBy::kLocality:
        groups.push_back(context.person->locality);
        break;
      case GroupBy::kAudience:
        groups = context.person->audiences;
        break;
    }
    if (groups.empty()) groups.emplace_back();
    for (auto& g : groups) {
      if (g.empty()) g = kNone;
    }
    for (const Need& need : ComputeNeeds(framework, context, options)) {
      if (need.status == NeedStatus::kNotApplicable) continue;
      for (const auto& group : groups) {
        SummaryRow& row = rows[group][module_order.at(need.module->ref)];
        row.group = group;
        row.module = need.module->ref;
        ++row.people;
        switch (need.status) {
          case NeedStatus::kDone:
            ++row.done;
            break;
          case NeedStatus::kDueSoon:
            ++row.due_soon;
            break;
          case NeedStatus::kExpired:
            ++row.expired;
            break;
          case NeedStatus::kOutstanding:
            ++row.outstanding;
            break;
          case NeedStatus::kNotApplicable:
            break;
        }
      }
    }
  }
  std::vector<SummaryRow> out;
  for (auto& [group, by_module] : rows) {
    for (auto& [order, row] : by_module) out.push_back(std::move(row));
  }
  return out;
}

std::vector<PersonContext> ContextsOf(const Workforce& area) {
  std::unordered_map<std::string_view, const Organisation*> organisations;
  for (const auto& org : area.organisations) organisations[org.id] = &org;
  std::unordered_map<std::string_view, size_t> index;
  std::vector<PersonContext> contexts(area.people.size());
  for (size_t i = 0; i < area.people.size(); ++i) {
    const Person& p = area.people[i];
    index[p.id] = i;
    contexts[i].person = &p;
    auto org = organisations.find(p.organisation);
    if (org != organisations.end()) contexts[i].organisation = org->second;
  }
  std::unordered_set<std::string_view> superseded;
  for (const auto& r : area.records) {
    if (!r.supersedes.empty()) superseded.insert(r.supersedes);
  }
  for (const auto& r : area.records) {
    if (superseded.contains(r.id)) continue;
    auto it = index.find(r.person);
    if (it != index.end()) contexts[it->second].records.push_back(&r);
  }
  return contexts;
}

}  // namespace trellis
