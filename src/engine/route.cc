#include "engine/route.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "domain/text.h"

namespace trellis {
namespace {

RouteSubject MakeSubject(const Framework& framework,
                         std::string_view audience_id,
                         std::string_view role_id) {
  std::vector<std::string> audiences;
  if (!audience_id.empty()) audiences.emplace_back(audience_id);
  RouteSubject subject =
      MakeRouteSubject(framework, audiences, std::string(role_id), "");
  if (!audience_id.empty())
    subject.label = "audience " + std::string(audience_id);
  if (!role_id.empty()) {
    subject.label += (subject.label.empty() ? "" : " in ") +
                     std::string("role ") + subject.role;
  }
  return subject;
}

// The module's whole ordering condition: its sequencing and its pre-requisites.
std::optional<Condition> Ordering(const Module& module) {
  if (module.sequencing && module.prerequisites) {
    Condition both;
    both.kind = ConditionKind::kAllOf;
    both.pos = module.sequencing->pos;
    both.children = {*module.sequencing, *module.prerequisites};
    return both;
  }
  if (module.sequencing) return module.sequencing;
  return module.prerequisites;
}

const char* Ordinal(size_t index) {
  static constexpr std::array kOrdinals = {
      "first", "second",  "third",  "fourth", "fifth",
      "sixth", "seventh", "eighth", "ninth",  "tenth"};
  return index < kOrdinals.size() ? kOrdinals[index] : "next";
}

bool TargetGroupIncludes(const Framework& framework, const Condition& atom,
                         const RouteSubject& subject) {
  if (!atom.sectors.empty())
    return true;  // any audience may work in the sector
  for (const auto& a : atom.audiences) {
    if (subject.audiences.contains(a.id)) return true;
  }
  for (const auto& r : atom.roles) {
    if (r.id == subject.role) return true;
    for (const auto& role : framework.roles) {
      if (role.id != r.id) continue;
      for (const auto& a : role.audiences) {
        if (subject.audiences.contains(a.id)) return true;
      }
    }
  }
  return false;
}

struct Choice {
  bool satisfiable = false;
  std::vector<std::string> after;
  std::string why;
};

// Picks the alternative of `module`'s ordering to follow in a route over
// `in_route`. An alternative met by training inside the route is preferred to
// one met outside it (experience, checks), so trainers take IS01-IS03 before
// IS05 [001].
Choice Choose(const Framework& framework, const Module& module,
              const std::set<std::string>& in_route,
              const RouteSubject& subject) {
  Choice choice;
  auto ordering = Ordering(module);
  if (!ordering) {
    choice.satisfiable = true;
    return choice;
  }
  auto alternatives = Alternatives(*ordering);
  if (!alternatives) {
    choice.why = "its sequencing has too many alternatives to consider";
    return choice;
  }
  struct Assessed {
    bool ok = true;
    bool by_training = false;
    std::vector<std::string> after;
    std::vector<std::string> missing;
    std::vector<std::string>
        outside;  // met outside the route: checks, experience
  };
  std::vector<Assessed> assessed;
  for (const auto& alternative : *alternatives) {
    Assessed a;
    for (const Condition* atom : alternative) {
      switch (atom->kind) {
        case ConditionKind::kCompleted: {
          auto modules = framework.ModulesOf(atom->ref.id);
          if (modules.empty()) {
            a.ok = false;
            a.missing.push_back(atom->ref.id);
            break;
          }
          for (const Module* m : modules) {
            if (in_route.contains(m->ref)) {
              a.by_training = true;
              if (std::find(a.after.begin(), a.after.end(), m->ref) ==
                  a.after.end()) {
                a.after.push_back(m->ref);
              }
            } else {
              a.ok = false;
              a.missing.push_back(m->ref);
            }
          }
          break;
        }
        case ConditionKind::kTargetGroup:
          if (!TargetGroupIncludes(framework, *atom, subject)) {
            a.ok = false;
            a.missing.push_back(DescribeAtom(*atom));
          }
          break;
        default:
          a.outside.push_back(DescribeAtom(*atom));
          break;
      }
    }
    assessed.push_back(std::move(a));
  }
  auto pick = assessed.end();
  for (auto it = assessed.begin(); it != assessed.end(); ++it) {
    if (it->ok && it->by_training) {
      pick = it;
      break;
    }
  }
  if (pick == assessed.end()) {
    pick = std::find_if(assessed.begin(), assessed.end(),
                        [](const Assessed& a) { return a.ok; });
  }
  const std::string described = DescribeCondition(*ordering);
  if (pick == assessed.end()) {
    std::vector<std::string> reasons;
    for (const auto& a : assessed) {
      reasons.push_back(Join(a.missing, ", ") + " not in the route");
    }
    choice.why = "no alternative of '" + described +
                 "' can be met: " + Join(reasons, "; ");
    return choice;
  }
  choice.satisfiable = true;
  choice.after = pick->after;
  const size_t index = static_cast<size_t>(pick - assessed.begin());
  if (assessed.size() == 1) {
    choice.why = "its sequencing: " + described;
  } else {
    choice.why = std::string("the ") + Ordinal(index) + " alternative of '" +
                 described + "'";
    std::vector<std::string> skipped;
    for (size_t i = 0; i < index; ++i) {
      if (!assessed[i].ok) {
        skipped.push_back(Join(assessed[i].missing, ", ") +
                          " not in this route");
      } else {
        skipped.push_back("met only outside training (" +
                          Join(assessed[i].outside, "; ") + ")");
      }
    }
    if (!skipped.empty())
      choice.why += "; earlier alternatives: " + Join(skipped, "; ");
  }
  if (!pick->outside.empty())
    choice.why += "; also needs " + Join(pick->outside, "; ");
  return choice;
}

}  // namespace

namespace {

std::vector<const Module*> SubjectModules(const Framework& framework,
                                          const RouteSubject& subject) {
  std::vector<const Module*> out;
  std::set<std::string> seen;
  auto add = [&](const Alternative& alternative) {
    for (const Module* m : framework.ModulesOf(alternative)) {
      if (seen.insert(m->ref).second) out.push_back(m);
    }
  };
  // How many of an alternative's modules the route already holds, and of how
  // many.
  auto coverage = [&](const Alternative& alternative) {
    const auto modules = framework.ModulesOf(alternative);
    std::pair<size_t, size_t> held{0, modules.size()};
    for (const Module* m : modules) {
      if (seen.contains(m->ref)) ++held.first;
    }
    return held;
  };
  std::vector<std::vector<Alternative>> choices;
  for (const auto& requirement : framework.requirements) {
    if (!Applies(requirement.who, subject)) continue;
    auto alternatives = Alternatives(requirement.take);
    if (!alternatives || alternatives->empty()) continue;
    if (alternatives->size() == 1) {
      add(alternatives->front());
    } else {
      choices.push_back(std::move(*alternatives));
    }
  }
  // A requirement with a choice takes the alternative the person's other rules
  // already bring (admin staff who use ContactPoint take Handling Confidential
  // Information, not Information Sharing in Practice [000]); failing that the
  // one most of whose modules are there; failing that the first, the preferred.
  for (const auto& alternatives : choices) {
    const Alternative* best = &alternatives.front();
    auto best_held = coverage(*best);
    for (const auto& alternative : alternatives) {
      auto held = coverage(alternative);
      const bool complete = held.second > 0 && held.first == held.second;
      const bool best_complete =
          best_held.second > 0 && best_held.first == best_held.second;
      if ((complete && !best_complete) ||
          (complete == best_complete && held.first > best_held.first)) {
        best = &alternative;
        best_held = held;
      }
    }
    add(*best);
  }
  return out;
}

}  // namespace

RouteSubject MakeRouteSubject(const Framework& framework,
                              const std::vector<std::string>& audiences,
                              const std::string& role,
                              const std::string& sector) {
  RouteSubject subject;
  subject.audiences.insert(audiences.begin(), audiences.end());
  subject.role = role;
  subject.sector = sector;
  for (const auto& r : framework.roles) {
    if (r.id != role) continue;
    for (const auto& a : r.audiences) subject.audiences.insert(a.id);
  }
  return subject;
}

bool Applies(const Who& who, const RouteSubject& subject) {
  if (who.everyone) return true;
  if (who.audiences.empty() && who.roles.empty() && who.sectors.empty()) {
    return false;
  }
  auto any = [](const std::vector<Ref>& refs, auto matches) {
    return refs.empty() || std::any_of(refs.begin(), refs.end(), matches);
  };
  return any(who.audiences,
             [&](const Ref& r) { return subject.audiences.contains(r.id); }) &&
         any(who.roles, [&](const Ref& r) { return r.id == subject.role; }) &&
         any(who.sectors, [&](const Ref& r) { return r.id == subject.sector; });
}

std::vector<const Module*> AudienceModules(const Framework& framework,
                                           std::string_view audience_id,
                                           std::string_view role_id) {
  return SubjectModules(framework,
                        MakeSubject(framework, audience_id, role_id));
}

std::expected<Route, Error> BuildRoute(const Framework& framework,
                                       std::string_view audience_id,
                                       std::string_view role_id) {
  Route route;
  auto not_found = [&](const char* kind, std::string_view id,
                       std::vector<std::string> ids) {
    std::string message = std::string("no ") + kind + " '" + std::string(id) +
                          "' in framework " + framework.info.id;
    if (auto near = SuggestClosest(id, ids))
      message += "; did you mean '" + *near + "'?";
    return std::unexpected(
        Error{ErrorCode::kNotFound, message, {{kind, message}}});
  };
  if (audience_id.empty() && role_id.empty()) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "a route needs an audience or a role",
                                 {{"audience", "give an audience or a role"}}});
  }
  if (!audience_id.empty()) {
    route.audience = framework.FindAudience(audience_id);
    if (route.audience == nullptr) {
      std::vector<std::string> ids;
      for (const auto& a : framework.audiences) ids.push_back(a.id);
      return not_found("audience", audience_id, ids);
    }
  }
  if (!role_id.empty()) {
    auto it = std::find_if(framework.roles.begin(), framework.roles.end(),
                           [&](const Role& r) { return r.id == role_id; });
    if (it == framework.roles.end()) {
      std::vector<std::string> ids;
      for (const auto& r : framework.roles) ids.push_back(r.id);
      return not_found("role", role_id, ids);
    }
    route.role = &*it;
  }
  Route built =
      BuildRoute(framework, MakeSubject(framework, audience_id, role_id));
  built.audience = route.audience;
  built.role = route.role;
  return built;
}

Route BuildRoute(const Framework& framework, const RouteSubject& subject) {
  return OrderRoute(framework, SubjectModules(framework, subject), subject);
}

Route OrderRoute(const Framework& framework,
                 const std::vector<const Module*>& modules,
                 const RouteSubject& subject) {
  Route route;
  std::set<std::string> in_route;
  for (const Module* m : modules) in_route.insert(m->ref);

  std::map<std::string, RouteStep> steps;
  std::map<std::string, size_t> rank;  // the order the requirements give
  for (size_t i = 0; i < modules.size(); ++i) {
    const Module* m = modules[i];
    rank[m->ref] = i;
    Choice choice = Choose(framework, *m, in_route, subject);
    RouteStep step{m, choice.after, choice.why, choice.satisfiable};
    if (!choice.satisfiable) {
      const SourcePos pos = m->sequencing      ? m->sequencing->pos
                            : m->prerequisites ? m->prerequisites->pos
                                               : m->pos;
      route.problems.push_back(
          {Severity::kError, pos,
           subject.label + " takes " + m->ref + " but " + choice.why});
    }
    steps.emplace(m->ref, std::move(step));
  }

  // Kahn's algorithm; among modules ready at once, the requirements' order
  // wins.
  std::map<std::string, int> waiting;
  std::map<std::string, std::vector<std::string>> followers;
  for (const auto& [ref, step] : steps) {
    waiting[ref] = static_cast<int>(step.after.size());
    for (const auto& before : step.after) followers[before].push_back(ref);
  }
  auto by_rank = [&](const std::string& a, const std::string& b) {
    return rank[a] > rank[b];
  };
  std::vector<std::string> ready;
  for (const auto& [ref, count] : waiting) {
    if (count == 0) ready.push_back(ref);
  }
  while (!ready.empty()) {
    std::sort(ready.begin(), ready.end(), by_rank);
    std::string next = ready.back();
    ready.pop_back();
    route.steps.push_back(steps.at(next));
    for (const auto& follower : followers[next]) {
      if (--waiting[follower] == 0) ready.push_back(follower);
    }
  }
  if (route.steps.size() < steps.size()) {
    std::vector<std::string> stuck;
    for (const Module* m : modules) {
      if (waiting[m->ref] > 0) stuck.push_back(m->ref);
    }
    route.problems.push_back({Severity::kError, modules.front()->pos,
                              "the route for " + subject.label +
                                  " cannot order " + Join(stuck, ", ") +
                                  ": their sequencing forms a cycle"});
    for (const Module* m : modules) {
      if (waiting[m->ref] > 0) route.steps.push_back(steps.at(m->ref));
    }
  }
  return route;
}

}  // namespace trellis
