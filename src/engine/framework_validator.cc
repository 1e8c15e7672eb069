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
        std::vector<const Module*> modules;
        if (const Module* m = fw_.FindModule(atom->ref.id)) {
          modules.push_back(m);
        } else if (const Course* c = fw_.FindCourse(atom->ref.id)) {
          for (const auto& mr : c->modules) {
            if (const Module* course_module = fw_.FindModule(mr.id))
              modules.push_back(course_module);
          }
        }
        for (const Module* m : modules) {
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
      for (const auto& phase : p.phases) {
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

  // Cycles among modules through sequencing and pre-requisites; a course in a
  // condition stands for its modules.
  void CheckCycles() {
    std::map<std::string, std::vector<std::string>>
        edges;  // module -> modules before it
    std::map<std::string, SourcePos> where;
    std::map<std::string, size_t> defined_at;
    for (const auto& m : fw_.modules) {
      defined_at.emplace(m.ref, defined_at.size());
      std::vector<const Ref*> refs;
      if (m.sequencing) CollectCompletedRefs(*m.sequencing, refs);
      if (m.prerequisites) CollectCompletedRefs(*m.prerequisites, refs);
      where[m.ref] = m.sequencing      ? m.sequencing->pos
                     : m.prerequisites ? m.prerequisites->pos
                                       : m.pos;
      for (const Ref* r : refs) {
        if (fw_.FindModule(r->id) != nullptr) {
          edges[m.ref].push_back(r->id);
        } else if (const Course* c = fw_.FindCourse(r->id)) {
          for (const auto& mr : c->modules) edges[m.ref].push_back(mr.id);
        }
      }
    }
    enum class Mark { kNew, kActive, kDone };
    std::map<std::string, Mark> mark;
    std::vector<std::string> stack;
    std::set<std::set<std::string>> reported;
    // Iterative depth-first search, so a long chain cannot overflow the stack.
    for (const auto& m : fw_.modules) {
      if (mark[m.ref] != Mark::kNew) continue;
      std::vector<std::pair<std::string, size_t>> frames{{m.ref, 0}};
      mark[m.ref] = Mark::kActive;
      stack.push_back(m.ref);
      while (!frames.empty()) {
        auto& [node, next] = frames.back();
        const auto& out = edges[node];
        if (next == out.size()) {
          mark[node] = Mark::kDone;
          stack.pop_back();
          frames.pop_back();
          continue;
        }
        const std::string target = out[next++];
        if (mark[target] == Mark::kActive) {
          auto start = std::find(stack.begin(), stack.end(), target);
          std::vector<std::string> cycle(start, stack.end());
          std::set<std::string> key(cycle.begin(), cycle.end());
          if (reported.insert(key).second) {
            // Printed in delivery order (each module after the one before it),
            // from the module defined first, and reported where that module's
            // rule is.
            std::vector<std::string> order(cycle.rbegin(), cycle.rend());
            auto first = std::min_element(
                order.begin(), order.end(),
                [&](const std::string& a, const std::string& b) {
                  return defined_at[a] < defined_at[b];
                });
            std::rotate(order.begin(), first, order.end());
            const std::string first_module = order.front();
            order.push_back(first_module);
            Error(where[first_module],
                  "cycle in sequencing: " + Join(order, " -> "));
          }
        } else if (mark[target] == Mark::kNew) {
          mark[target] = Mark::kActive;
          stack.push_back(target);
          frames.emplace_back(target, 0);
        }
      }
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
