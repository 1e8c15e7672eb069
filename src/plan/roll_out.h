// A roll-out planned from a plan file and the area's own data [MISSION E2]:
// who needs which of the plan's courses (the needs engine), from when, on
// which system and in which audience; the slots the venues give on the
// delivery days between the plan's dates, less bank holidays and weeks with
// no delivery; the trainers; then the planner's calendar, each phase's
// people trained against its target, the forecast date, the lower bound and
// what binds. Pure; safe from many threads.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "domain/framework.h"
#include "domain/sessions.h"
#include "domain/workforce.h"
#include "plan/bank_holidays.h"
#include "plan/instance.h"
#include "plan/lower_bound.h"
#include "plan/planner.h"
#include "plan/roll_out_plan.h"

namespace trellis::plan {

struct RollOutInstance {
  Instance instance;
  Date from;  // the dates planned within
  Date to;
  // People planned who cannot be booked until something is mended, by
  // why ("check-missing" -> 120): a check, their organisation's readiness.
  std::vector<std::pair<std::string, int>> not_ready;
  // Per learner, why (as in not_ready) they cannot be booked yet; "" when
  // they can.
  std::vector<std::string> blocked;
  int without_mix_audience = 0;  // planned as the mix's first audience
  // Of the places planned, those the person already holds on a session not
  // yet run that teaches the course's module (booked by hand, or by an
  // earlier commit): set by whoever knows the bookings. Commit books no one
  // twice for a module.
  int already_held = 0;
  // Per course, the framework course `plan commit` creates its sessions
  // of; "" when the framework has no one course teaching the module alone.
  std::vector<std::string> session_courses;
  // Per trainer of the instance, the person id the plan names; "" when it
  // names none.
  std::vector<std::string> trainer_people;
};

// The instance for `plan` in `area` on `on` (the day needs are judged):
// text naming the plan key when a course is not a module of `framework`, a
// trainer delivers a course the plan does not have, the plan has no
// courses, venues or dates, or its dates span more than ten years.
[[nodiscard]] std::expected<RollOutInstance, std::string> BuildRollOut(
    const RollOutPlan& plan, const Framework& framework, const Workforce& area,
    const BankHolidays& holidays, Date on);

struct PhaseResult {
  std::string name;
  Date from;
  Date to;
  int sessions = 0;
  int places = 0;   // people placed in the phase's sessions
  int trained = 0;  // expected to come: places less non-attendance
  int cumulative = 0;
  std::optional<int> target;
  std::optional<int> cumulative_target;
  std::string rag;  // "green", "amber", "red", or "" without a target
};

struct RollOutResult {
  Schedule schedule;
  std::vector<int> places;  // per session, the people placed in it
  Objective objective;
  std::optional<DayNumber> forecast;  // everyone placed by then
  Bound bound;
  std::optional<double> gap;
  std::vector<PhaseResult> phases;
  // Sessions on no phase's dates (between phases, or where a phase's dates
  // are a slip), and the people they train.
  int outside_sessions = 0;
  int outside_trained = 0;
  int requests = 0;
  int learners = 0;
};

RollOutResult PlanRollOut(const RollOutPlan& plan, const RollOutInstance& in);

// The result as a coordinator reads it, as JSON, or the calendar as CSV
// (date, part, venue, course, audience, system, trainer, places).
std::string FormatRollOutText(const RollOutPlan& plan,
                              const RollOutInstance& in,
                              const RollOutResult& result);
std::string FormatRollOutJson(const RollOutPlan& plan,
                              const RollOutInstance& in,
                              const RollOutResult& result);
std::string FormatRollOutCsv(const RollOutInstance& in,
                             const RollOutResult& result);

// A session `plan commit` creates (open, without an id), and the people
// the planner placed on it, to be booked.
struct SessionProposal {
  CourseSession session;
  std::vector<std::string> people;  // to book: those ready to be
};

struct Proposals {
  std::vector<SessionProposal> sessions;
  // Why the plan cannot be committed as it stands, naming the plan key: a
  // course with no framework course to run it as, a venue without a room,
  // session times not stated. Nothing is committed while there are any.
  std::vector<std::string> problems;
  // Places planned for people who cannot be booked until something is
  // mended, by why: left for the coordinator, not booked.
  std::vector<std::pair<std::string, int>> not_booked;
};

// The planned calendar as the area's sessions: the framework course, the
// venue's room, the day's session times, the audience kept to the mix's,
// the case-management system, the trainers named by person.
Proposals ProposeSessions(const RollOutPlan& plan, const RollOutInstance& in,
                          const RollOutResult& result);

}  // namespace trellis::plan
