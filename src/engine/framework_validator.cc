#include "engine/framework_validator.h"

#include <algorithm>
#include <map>
#include <set>

#include "domain/text.h"
#include "engine/route.h"

namespace trellis {
namespace {

// The ids of one kind of thing, for lookups and suggestions.
class IdSet {
 public:
  void Add(const std::string& id) {
    if (!id.empty() && ids_.insert(id).second) list_.push_back(id);
  }
  bool Contains(std::string_view id) const {
    return ids_.contains(std::string(id));
  }
  const std::vector<std::string>& List() const { return list_; }

 private:
  std::set<std::string> ids_;
  std::vector<std::string> list_;
};

class Validator {
 public:
  explicit Validator(const Framework& fw) : fw_(fw) {}

  std::vector<Finding> Run() {
    Index();
    CheckReferences();
    CheckDates();
    CheckCycles();
    CheckRoutes();
    return std::move(findings_);
  }

 private:
  void Error(const SourcePos& pos, std::string message) {
    findings_.push_back({Severity::kError, pos, std::move(message)});
  }
  void Warn(const SourcePos& pos, std::string message) {
    findings_.push_back({Severity::kWarning, pos, std::move(message)});
  }

  // Records ids of one kind, reporting duplicates. Modules and courses share
  // one namespace, so `set` may be shared between kinds.
  template <typename T>
  void Collect(const std::vector<T>& items, std::string T::*id,
               const char* kind, IdSet& set,
               std::map<std::string, SourcePos>& first) {
    for (const auto& item : items) {
      const std::string& value = item.*id;
      if (value.empty()) continue;
      if (auto it = first.find(value); it != first.end()) {
        Error(item.pos, "duplicate " + std::string(kind) + " '" + value +
                            "'; first defined at " + it->second.file + ":" +
                            std::to_string(it->second.line));
        continue;
      }
      first.emplace(value, item.pos);
      set.Add(value);
    }
  }

  void Index() {
    std::map<std::string, SourcePos> seen;
    auto fresh = [&]() -> std::map<std::string, SourcePos>& {
      seen.clear();
      return seen;
    };
    Collect(fw_.audiences, &Audience::id, "audience", audiences_, fresh());
    Collect(fw_.sectors, &Sector::id, "sector", sectors_, fresh());
    Collect(fw_.roles, &Role::id, "role", roles_, fresh());
    Collect(fw_.processes, &Process::id, "process", processes_, fresh());
    Collect(fw_.programmes, &Programme::id, "programme", programmes_, fresh());
    Collect(fw_.common_messages, &CommonMessage::id, "common message",
            messages_, fresh());
    Collect(fw_.course_content, &ContentSection::id, "course content section",
            content_, fresh());
    auto& learning = fresh();
    Collect(fw_.modules, &Module::ref, "module or course", learning_, learning);
    Collect(fw_.courses, &Course::id, "module or course", learning_, learning);
    for (const auto& m : fw_.modules) modules_.Add(m.ref);
    Collect(fw_.checks, &Check::id, "check", checks_, fresh());
    Collect(fw_.readiness, &ReadinessChecklist::id, "readiness checklist",
            readiness_, fresh());
    Collect(fw_.requirements, &Requirement::id, "requirement", requirements_,
            fresh());
    Collect(fw_.priority_groups, &PriorityGroup::id, "priority group",
            priority_groups_, fresh());
    Collect(fw_.certifications, &Certification::id, "certification",
            certifications_, fresh());
    Collect(fw_.competency_frameworks, &CompetencyFramework::id,
            "competency framework", competency_frameworks_, fresh());
    Collect(fw_.common_core, &CommonCore::id, "common core", common_core_,
            fresh());
    Collect(fw_.learning_outcomes, &TargetGroupOutcomes::id,
            "learning outcomes", learning_outcomes_, fresh());
    Collect(fw_.trainer_competencies, &TrainerCompetency::id,
            "trainer competency", trainer_competencies_, fresh());
    Collect(fw_.standards, &Standard::id, "standard", standards_, fresh());
  }

  // Reports `ref` unless it is in `set`, suggesting the closest id.
  void Resolve(const Ref& ref, const IdSet& set, const std::string& context,
               const char* kind) {
    if (ref.id.empty() || set.Contains(ref.id)) return;
    std::string message = context + ": unknown " + kind + " '" + ref.id + "'";
    if (auto near = SuggestClosest(ref.id, set.List())) {
      message += "; did you mean '" + *near + "'?";
    }
    Error(ref.pos, message);
  }
  void ResolveAll(const std::vector<Ref>& refs, const IdSet& set,
                  const std::string& context, const char* kind) {
    for (const auto& r : refs) Resolve(r, set, context, kind);
  }

  void CheckCondition(const Condition& c, const std::string& context,
                      int depth = 0) {
    if (depth > 64) return;  // the loader already refuses deeper conditions
    switch (c.kind) {
      case ConditionKind::kCompleted:
        Resolve(c.ref, learning_, context, "module or course");
        break;
      case ConditionKind::kCheck:
        Resolve(c.ref, checks_, context, "check");
        break;
      case ConditionKind::kOrganisationReady:
        Resolve(c.ref, readiness_, context, "readiness checklist");
        break;
      case ConditionKind::kTargetGroup:
        ResolveAll(c.audiences, audiences_, context, "audience");
        ResolveAll(c.roles, roles_, context, "role");
        ResolveAll(c.sectors, sectors_, context, "sector");
        break;
      case ConditionKind::kAllOf:
      case ConditionKind::kAnyOf:
        for (const auto& child : c.children)
          CheckCondition(child, context, depth + 1);
        break;
      case ConditionKind::kExperience:
        break;
    }
  }

  void CheckWho(const Who& who, const std::string& context) {
    ResolveAll(who.audiences, audiences_, context, "audience");
    ResolveAll(who.roles, roles_, context, "role");
    ResolveAll(who.sectors, sectors_, context, "sector");
  }

  void CheckCoverage(const Coverage& coverage, const std::string& context) {
    ResolveAll(coverage.course_content, content_, context,
               "course content section");
    ResolveAll(coverage.common_messages, messages_, context, "common message");
  }

  void CheckReferences() {
    for (const auto& role : fw_.roles) {
      ResolveAll(role.audiences, audiences_, "role " + role.id, "audience");
    }
    for (const auto& p : fw_.programmes) {
      ResolveAll(p.processes, processes_, "programme " + p.id, "process");
    }
    for (const auto& m : fw_.modules) {
      const std::string context = "module " + m.ref;
      Resolve(m.process, processes_, context, "process");
      ResolveAll(m.audiences, audiences_, context, "audience");
      ResolveAll(m.optional_audiences, audiences_, context, "audience");
      CheckCoverage(m.covers, context);
      if (m.sequencing) CheckCondition(*m.sequencing, context + ": sequencing");
      if (m.prerequisites)
        CheckCondition(*m.prerequisites, context + ": prerequisites");
      if (m.assessment && m.assessment->certifies) {
        Resolve(*m.assessment->certifies, certifications_, context,
                "certification");
      }
    }
    for (const auto& c : fw_.courses) {
      const std::string context = "course " + c.id;
      Resolve(c.process, processes_, context, "process");
      ResolveAll(c.modules, modules_, context, "module");
      ResolveAll(c.audiences, audiences_, context, "audience");
      CheckCoverage(c.covers, context);
      if (c.prerequisites)
        CheckCondition(*c.prerequisites, context + ": prerequisites");
    }
    IdSet programmes_or_processes;
    for (const auto& id : programmes_.List()) programmes_or_processes.Add(id);
    for (const auto& id : processes_.List()) programmes_or_processes.Add(id);
    for (const auto& r : fw_.readiness) {
      Resolve(r.programme, programmes_or_processes,
              "readiness checklist " + r.id, "programme or process");
    }
    for (const auto& r : fw_.requirements) {
      const std::string context = "requirement " + r.id;
      CheckWho(r.who, context);
      CheckCondition(r.take, context + ": take");
      CheckAudienceFit(r);
    }
    for (const auto& g : fw_.priority_groups) {
      CheckWho(g.who, "priority group " + g.id);
      ResolveAll(g.applies_to, learning_, "priority group " + g.id,
                 "module or course");
    }
    for (const auto& c : fw_.certifications) {
      if (c.by) Resolve(*c.by, modules_, "certification " + c.id, "module");
      ResolveAll(c.roles, roles_, "certification " + c.id, "role");
    }
    for (const auto& cf : fw_.competency_frameworks) {
      int last = -1;
      for (const auto& stage : cf.stages) {
        const int index = static_cast<int>(stage.stage);
        if (index == last) {
          Error(stage.pos, "competency framework " + cf.id + ": stage '" +
                               DreyfusStageId(stage.stage) +
                               "' is given twice");
        } else if (index < last) {
          Error(stage.pos, "competency framework " + cf.id + ": stage '" +
                               DreyfusStageId(stage.stage) +
                               "' comes after a later stage; list the Dreyfus "
                               "stages in order");
        }
        last = std::max(last, index);
        ResolveAll(stage.courses, learning_,
                   "competency framework " + cf.id + " stage " +
                       DreyfusStageId(stage.stage),
                   "module or course");
      }
    }
    for (const auto& t : fw_.learning_outcomes) {
      ResolveAll(t.audiences, audiences_, "learning outcomes " + t.id,
                 "audience");
    }
    for (const auto& s : fw_.standards) {
      for (const auto& item : s.items) {
        if (item.condition) CheckCondition(*item.condition, "standard " + s.id);
      }
    }
  }

  // A requirement that gives a module to an audience the module is not meant
  // for is probably a slip; the source may still say so, hence a warning.
  void CheckAudienceFit(const Requirement& r) {
    auto alternatives = Alternatives(r.take);
    if (!alternatives) return;
    for (const auto& alternative : *alternatives) {
      for (const Condition* atom : alternative) {
        if (atom->kind != ConditionKind::kCompleted) continue;
        for (const Module* m : fw_.ModulesOf(atom->ref.id)) {
          if (m->all_audiences ||
              (m->audiences.empty() && m->optional_audiences.empty()))
            continue;
          for (const auto& a : r.who.audiences) {
            auto has = [&](const std::vector<Ref>& list) {
              return std::any_of(list.begin(), list.end(),
                                 [&](const Ref& x) { return x.id == a.id; });
            };
            if (!has(m->audiences) && !has(m->optional_audiences)) {
              std::vector<std::string> intended;
              for (const auto& x : m->audiences) intended.push_back(x.id);
              for (const auto& x : m->optional_audiences)
                intended.push_back(x.id + " (optional)");
              Warn(atom->ref.pos,
                   "requirement " + r.id + " gives " + m->ref + " to " + a.id +
                       ", which is not among its intended audiences (" +
                       Join(intended, ", ") + ")");
            }
          }
        }
      }
    }
  }

  void CheckRange(const DateRange& range, const SourcePos& pos,
                  const std::string& context) {
    if (range.from && range.to && *range.to < *range.from) {
      Error(pos, context + " ends (" + FormatIsoDate(*range.to) +
                     ") before it starts (" + FormatIsoDate(*range.from) + ")");
    }
  }

  void CheckDates() {
    const auto& info = fw_.info;
    CheckRange(info.period, info.pos, "framework " + info.id + " period");
    if (info.approved && info.next_review &&
        *info.next_review < *info.approved) {
      Error(info.pos, "framework " + info.id + ": next review (" +
                          FormatIsoDate(*info.next_review) +
                          ") is before its approval (" +
                          FormatIsoDate(*info.approved) + ")");
    }
    for (const auto& p : fw_.programmes) {
      CheckRange(p.period, p.pos, "programme " + p.id + " period");
      std::map<std::string, SourcePos> phase_ids;
      for (const auto& phase : p.phases) {
        if (!phase.id.empty()) {
          if (auto [it, fresh] = phase_ids.emplace(phase.id, phase.pos);
              !fresh) {
            Error(phase.pos, "programme " + p.id + ": duplicate phase '" +
                                 phase.id + "'; first defined at " +
                                 it->second.file + ":" +
                                 std::to_string(it->second.line));
          }
        }
        const std::string context = "programme " + p.id + " phase " + phase.id;
        CheckRange(phase.dates, phase.pos, context);
        auto outside = [&](const std::optional<Date>& d,
                           const DateRange& bounds) {
          return d && ((bounds.from && *d < *bounds.from) ||
                       (bounds.to && *d > *bounds.to));
        };
        const DateRange& bounds =
            p.period.from || p.period.to ? p.period : info.period;
        for (const auto* d : {&phase.dates.from, &phase.dates.to}) {
          if (outside(*d, bounds)) {
            Error(phase.pos, context + ": " + FormatIsoDate(**d) +
                                 " lies outside its plan's years (" +
                                 (bounds.from ? FormatIsoDate(*bounds.from)
                                              : std::string("?")) +
                                 " to " +
                                 (bounds.to ? FormatIsoDate(*bounds.to)
                                            : std::string("?")) +
                                 ")");
          }
        }
      }
    }
  }

  // Cycles in sequencing: modules that no order can satisfy. A module can be
  // placed once one alternative of its sequencing and pre-requisites has all
  // its modules placed (an any-of needs only one branch, so "after A or C" does
  // not tie a module to C). Whatever cannot be placed depends on a cycle;
  // following an unplaced dependency from each such module must come round, and
  // that loop is printed, in delivery order, from the module defined first.
  void CheckCycles() {
    struct Node {
      const Module* module = nullptr;
      std::vector<std::vector<std::string>> alternatives;  // modules before it
      SourcePos pos;
    };
    std::map<std::string, Node> nodes;
    std::map<std::string, size_t> defined_at;
    for (const auto& m : fw_.modules) {
      if (nodes.contains(m.ref)) continue;  // a duplicate, reported elsewhere
      defined_at.emplace(m.ref, defined_at.size());
      Node node{&m, {}, m.pos};
      std::vector<Condition> parts;
      if (m.sequencing) parts.push_back(*m.sequencing);
      if (m.prerequisites) parts.push_back(*m.prerequisites);
      if (!parts.empty()) {
        node.pos = parts.front().pos;
        Condition ordering;
        ordering.kind = ConditionKind::kAllOf;
        ordering.children = std::move(parts);
        auto alternatives = Alternatives(ordering);
        if (!alternatives) {
          Error(node.pos,
                "module " + m.ref +
                    ": its sequencing has too many alternatives to check");
          continue;
        }
        for (const auto& alternative : *alternatives) {
          std::vector<std::string> before;
          for (const Module* b : fw_.ModulesOf(alternative)) {
            before.push_back(b->ref);
          }
          node.alternatives.push_back(std::move(before));
        }
      }
      nodes.emplace(m.ref, std::move(node));
    }
    std::set<std::string> placed;
    for (bool progress = true; progress;) {
      progress = false;
      for (const auto& [ref, node] : nodes) {
        if (placed.contains(ref)) continue;
        const bool ready =
            node.alternatives.empty() ||
            std::any_of(node.alternatives.begin(), node.alternatives.end(),
                        [&](const std::vector<std::string>& before) {
                          return std::all_of(before.begin(), before.end(),
                                             [&](const std::string& b) {
                                               return placed.contains(b);
                                             });
                        });
        if (ready) {
          placed.insert(ref);
          progress = true;
        }
      }
    }
    std::set<std::string> reported;
    for (const auto& m : fw_.modules) {
      if (placed.contains(m.ref) || reported.contains(m.ref)) continue;
      // Walk unplaced dependencies until a module repeats.
      std::vector<std::string> path{m.ref};
      std::map<std::string, size_t> index{{m.ref, 0}};
      while (true) {
        const Node& node = nodes.at(path.back());
        std::string next;
        for (const auto& before : node.alternatives.front()) {
          if (!placed.contains(before)) {
            next = before;
            break;
          }
        }
        if (next.empty()) break;  // cannot happen for an unplaced module
        if (auto it = index.find(next); it != index.end()) {
          std::vector<std::string> cycle(
              path.begin() + static_cast<long>(it->second), path.end());
          bool fresh = std::none_of(
              cycle.begin(), cycle.end(),
              [&](const std::string& r) { return reported.contains(r); });
          if (fresh) {
            // The walk goes from a module to one before it; delivery is the
            // reverse.
            std::vector<std::string> order(cycle.rbegin(), cycle.rend());
            auto first = std::min_element(
                order.begin(), order.end(),
                [&](const std::string& a, const std::string& b) {
                  return defined_at[a] < defined_at[b];
                });
            std::rotate(order.begin(), first, order.end());
            const std::string first_module = order.front();
            order.push_back(first_module);
            Error(nodes.at(first_module).pos,
                  "cycle in sequencing: " + Join(order, " -> "));
          }
          reported.insert(cycle.begin(), cycle.end());
          break;
        }
        index.emplace(next, path.size());
        path.push_back(next);
      }
      reported.insert(path.begin(), path.end());
    }
  }

  void CheckRoutes() {
    std::set<std::string> reported;
    auto check = [&](std::string_view audience, std::string_view role) {
      auto route = BuildRoute(fw_, audience, role);
      if (!route) return;
      for (auto& problem : route->problems) {
        // A cycle is already reported once by CheckCycles.
        if (problem.message.find("forms a cycle") != std::string::npos)
          continue;
        if (reported.insert(problem.message).second)
          findings_.push_back(std::move(problem));
      }
    };
    for (const auto& a : fw_.audiences) check(a.id, {});
    for (const auto& r : fw_.roles) check({}, r.id);
  }

  const Framework& fw_;
  std::vector<Finding> findings_;
  IdSet audiences_, sectors_, roles_, processes_, programmes_, messages_,
      content_, learning_, modules_, checks_, readiness_, requirements_,
      priority_groups_, certifications_, competency_frameworks_, common_core_,
      learning_outcomes_, trainer_competencies_, standards_;
};

}  // namespace

std::vector<Finding> ValidateFramework(const Framework& framework) {
  auto findings = Validator(framework).Run();
  SortFindings(findings);
  return findings;
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.pos.file != b.pos.file)
                       return a.pos.file < b.pos.file;
                     if (a.pos.line != b.pos.line)
                       return a.pos.line < b.pos.line;
                     return a.pos.column < b.pos.column;
                   });
}

}  // namespace trellis
