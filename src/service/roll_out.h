// Roll-out plans on the area's own data [MISSION E]: the plan files the area
// keeps (a folder of YAML files, docs/plan-format.md), planned with the
// area's framework and workforce on a day, with what-ifs; and a plan
// committed as the area's sessions and bookings through the same paths a
// coordinator uses by hand (the framework's courses, room clashes, seats,
// eligibility, audit), never around them. Shared by the CLI, the JSON API
// and the pages; safe from many threads, each with its own Store.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.h"
#include "domain/source.h"
#include "plan/roll_out.h"
#include "service/access.h"
#include "service/area_service.h"
#include "store/store.h"

namespace trellis::service {

// A plan file the area keeps: its id (the file's name less .yaml), name and
// dates, for a list.
struct PlanSummary {
  std::string id;
  std::string name;
  std::optional<Date> from;  // the first phase's start
  std::optional<Date> to;    // the last phase's end
  int errors = 0;            // findings that stop it being planned
};

// The plans in `folder`, by id. Anyone signed in who may plan (coordinators
// and auditors); kPermissionDenied otherwise.
[[nodiscard]] std::expected<std::vector<PlanSummary>, Error> ListPlans(
    const Caller& caller, const std::string& folder);

struct PlannedRollOut {
  plan::RollOutPlan stated;  // as the file states it
  plan::RollOutPlan plan;    // with the what-ifs set
  std::vector<std::string> settings;
  std::vector<Finding> findings;  // the file's, warnings and errors
  Date on;                        // the day needs were judged
  plan::RollOutInstance instance;
  plan::RollOutResult result;
  // The plan as stated, when what-ifs were set: the change they make.
  std::optional<plan::RollOutResult> stated_result;
};

// Plan `id` from `folder` on the area's framework and workforce, needs
// judged on `on`, each "KEY=VALUE" of `settings` set first; a file with
// errors is planned as it reads, its findings kept. kNotFound for no such
// plan; kInvalidArgument for a file that cannot be read, a bad what-if, a
// plan on another framework or one the planner refuses; kPermissionDenied
// for a caller who is not a coordinator or auditor.
[[nodiscard]] std::expected<PlannedRollOut, Error> PlanFromFolder(
    const AreaService& service, Store& store, const Caller& caller,
    const std::string& folder, const std::string& id,
    const std::vector<std::string>& settings, Date on);

// The same for a plan already read (the CLI's file), on `framework`: a
// plan naming another is kInvalidArgument. A bad what-if's error names the
// field "set".
[[nodiscard]] std::expected<PlannedRollOut, Error> PlanOnArea(
    const Framework& framework, Store& store, const plan::PlanLoad& load,
    const std::vector<std::string>& settings, Date on);

// One thing commit could not do: a session not added (person empty) or a
// person not booked, and why in the service's words.
struct CommitRefusal {
  std::string session;  // the session's id, or its course and start
  std::string person;
  std::string why;
};

struct CommitReport {
  int sessions_added = 0;
  int sessions_kept = 0;  // already in the area from an earlier commit
  int booked = 0;
  int already_booked = 0;  // held from an earlier commit
  // Not booked: they hold a place for the module on another session not
  // yet run (booked by hand, say), so are not booked twice.
  int held_elsewhere = 0;
  std::vector<std::string> sessions;  // the ids, in time order
  std::vector<CommitRefusal> refused;
  // Places left unbooked for people with something to mend first, by why.
  std::vector<std::pair<std::string, int>> not_booked;
};

// Commits the planned calendar: each proposed session is added as an open
// session (or found, when an earlier commit added it: the same course, room
// and times), and each person placed on it booked by the caller, in time
// order so a pre-requisite's place is held before the course that needs it.
// Coordinators only. Nothing is written when the plan cannot be committed
// as it stands (errors in its file, ProposeSessions' problems) or a session
// would start before now: kFailedPrecondition naming each. A session or booking
// the service refuses is reported, and the rest go on; running it again adds
// only what is missing.
[[nodiscard]] std::expected<CommitReport, Error> CommitRollOut(
    AreaService& service, Store& store, const Caller& caller,
    const PlannedRollOut& planned);

}  // namespace trellis::service
