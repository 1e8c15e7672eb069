// Conditions: the expressions of sequencing, pre-requisites and requirements.
// "after IW02, or after IS01, CAF01 and LP01" [001 IW03]; "be very experienced
// in this area or attend IS01, IS02 & IS03" [001 IS05]; "within 2 weeks of the
// online course" [000 §3]; "if not completed within the last 3 years" [000
// induction]. Plain value types and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/source.h"

namespace trellis {

enum class ConditionKind {
  kCompleted,   // a module or course completed (optionally within time windows)
  kAllOf,       // every child holds
  kAnyOf,       // at least one child holds
  kExperience,  // recognised prior learning, attested by someone
  kCheck,  // a non-training check: identity, enhanced DBS, IT competence...
  kOrganisationReady,  // the employing organisation is ready for a programme
  kTargetGroup,        // the person is in the target group
};

struct Condition {
  ConditionKind kind = ConditionKind::kAllOf;
  SourcePos pos;

  // kCompleted: the module or course; kCheck: the check; kOrganisationReady:
  // the readiness checklist.
  Ref ref;
  // kCompleted, as a sequencing gap: no later than `within` after completing
  // `ref`, and no sooner than `at_least` after it.
  std::optional<Period> within;
  std::optional<Period> at_least;
  // kCompleted and kCheck: done no longer ago than this (validity, refresher).
  std::optional<Period> in_last;

  // kAllOf, kAnyOf.
  std::vector<Condition> children;

  // kExperience: the area (a process id, or free words), the level of
  // experience
  // ("very experienced"), the minimum years, and who attests it ("manager").
  std::string area;
  std::string level;
  std::optional<int> years;
  std::string attested_by;

  // kTargetGroup: the person has one of these audiences, roles or sectors.
  std::vector<Ref> audiences;
  std::vector<Ref> roles;
  std::vector<Ref> sectors;
};

// An alternative way to satisfy a condition: every atom in it must hold.
using Alternative = std::vector<const Condition*>;

// The condition in disjunctive normal form: any one alternative satisfies it.
// Stops with std::nullopt when it would exceed `max_alternatives` (a guard
// against expressions that explode combinatorially).
std::optional<std::vector<Alternative>> Alternatives(
    const Condition& condition, size_t max_alternatives = 256);

// Every module or course id that the condition names, in order of appearance.
void CollectCompletedRefs(const Condition& condition,
                          std::vector<const Ref*>& out);

// A reader's rendering: "IW02, or IS01 and CAF01 and LP01".
std::string DescribeCondition(const Condition& condition);
std::string DescribeAtom(const Condition& atom);

}  // namespace trellis
