// The needs engine [MISSION C1, C3]: for one person on a given date, each
// module the framework asks of them with its status, what they may book next,
// and for any module whether they are eligible or every reason they are not, in
// words a person can read. Pure functions over immutable values; safe from many
// threads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.h"
#include "domain/framework.h"
#include "domain/workforce.h"

namespace trellis {

enum class NeedStatus {
  kDone,           // completed, and in date if it has a validity
  kDueSoon,        // in date, but the refresher falls due within the window
  kExpired,        // completed once, but no longer in date
  kOutstanding,    // never completed
  kNotApplicable,  // an alternative the person need not take: another one is
                   // done
};
const char* NeedStatusName(NeedStatus status);  // "done", "due-soon", ...
std::optional<NeedStatus> ParseNeedStatus(std::string_view name);

struct NeedsOptions {
  Date on;  // the day to judge on
  Period due_soon{.count = 3, .unit = PeriodUnit::kMonths};  // refresher window
};

// Everything the engine needs to know about one person.
struct PersonContext {
  const Person* person = nullptr;
  const Organisation* organisation = nullptr;  // null when unknown
  std::vector<const TrainingRecord*> records;  // the person's records in force
};

// The needs engine's view of a whole area: one context per person, in the
// order of `area.people`, each with their organisation (null when unknown) and
// their records in force (superseded ones left out), oldest first as `area`
// holds them. The contexts point into `area`, which must outlive them.
std::vector<PersonContext> ContextsOf(const Workforce& area);

struct Need {
  const Module* module = nullptr;
  RequirementLevel level =
      RequirementLevel::kRecommended;  // the strongest asking
  std::string requirement;             // the id of that requirement
  NeedStatus status = NeedStatus::kOutstanding;
  std::optional<Date> completed;  // the latest record that counts
  std::optional<Date> expires;    // when it falls out of date, if it can
  // Modules of the requirement's other alternatives that would also satisfy it.
  std::vector<std::string> alternatives;
};

// Whether the requirement applies to the person: everyone; or the person has
// one of its audiences (their own or their role's), AND its role, AND their
// organisation is in one of its sectors, for each kind the rule names.
bool Applies(const Framework& framework, const Who& who,
             const PersonContext& context);

// The person's needs in route order (the modules of the requirements that
// apply, each once, the strongest requirement winning). A requirement with
// alternatives counts as met by any alternative all of whose modules are done
// (or due soon); the modules of the others are then not applicable. Validity
// comes from the requirement's `refresh`, else the module's `validity`.
std::vector<Need> ComputeNeeds(const Framework& framework,
                               const PersonContext& context,
                               const NeedsOptions& options);

enum class ReasonKind {
  kTrainingMissing,            // a module not done (or not in date)
  kCheckMissing,               // no record of the check
  kCheckOutOfDate,             // the check is older than it may be
  kOrganisationNotReady,       // the employer has unmet readiness conditions
  kApplicationFormIncomplete,  // [002 Minimum Standards 1]
  kOutsideTimeWindow,          // too soon after, or too long after, a module
  kNotInTargetGroup,           // [002 Minimum Standards 2]
  kExperienceNotAttested,      // recognised prior learning not on record
};
const char* ReasonKindName(ReasonKind kind);  // "training-missing", ...

struct Reason {
  ReasonKind kind = ReasonKind::kTrainingMissing;
  std::string text;  // a sentence a person can read
  // kTrainingMissing: the module or course missing, and other ways to meet it.
  std::string missing;
  std::vector<std::string> alternatives;
  // kOrganisationNotReady: the unmet conditions, by number and text.
  std::vector<std::string> unmet_conditions;
};

struct Eligibility {
  bool eligible = false;
  std::vector<Reason> reasons;  // empty when eligible
};

// Whether the person may book `module` on `options.on`: its pre-requisites and
// its sequencing must hold. When no alternative holds, the reasons are those of
// the alternative nearest to holding (fewest unmet conditions), and a missing
// module names the other alternatives that would do instead.
Eligibility CheckEligibility(const Framework& framework,
                             const PersonContext& context, const Module& module,
                             const NeedsOptions& options);

// What the person may book next, in route order: needs not done (outstanding,
// expired or due soon) for which they are eligible today.
std::vector<const Module*> BookableNext(const Framework& framework,
                                        const PersonContext& context,
                                        const NeedsOptions& options);

// Roll-ups for a training needs analysis [MISSION C1, 002 §6].
enum class GroupBy { kSector, kOrganisation, kLocality, kAudience };
std::optional<GroupBy> ParseGroupBy(std::string_view name);  // "sector", ...

// One module in one group: how many people it applies to, and where they stand.
struct SummaryRow {
  std::string
      group;  // the sector, organisation, locality or audience id; "(none)"
  std::string module;  // module ref
  int people = 0;  // people the module applies to (not counting not-applicable)
  int done = 0;    // in date
  int due_soon = 0;  // in date, refresher due within the window
  int expired = 0;
  int outstanding = 0;  // never done
  // Places to plan: everyone who is not in date beyond the window.
  int PlacesNeeded() const { return due_soon + expired + outstanding; }
};

// Every (group, module) with at least one person, groups in name order and
// modules in framework order. A person with several audiences counts in each
// audience's group; a person without the grouping value counts under "(none)".
std::vector<SummaryRow> SummariseNeeds(const Framework& framework,
                                       const std::vector<PersonContext>& people,
                                       GroupBy by, const NeedsOptions& options);

}  // namespace trellis
