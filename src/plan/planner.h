// The roll-out planner [MISSION E2]: chooses what runs in each slot (course,
// audience, system, trainer) and who goes, so that people are trained as
// early as they can be, the first priority groups first, within every rule
// of the instance: seats, one system a session, audiences kept apart where a
// course asks, a share of seats per organisation, the session mix, trainers'
// courses, days a month and unavailable dates, and the order and gaps of
// pre-requisites. It fills slots in time order greedily, then improves the
// choice slot by slot while that lowers the objective, then who goes to
// which session (allocation.h). With offered sessions it plans twice, by two
// orders of who goes first, and keeps the better. Pure; safe from many
// threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plan/instance.h"

namespace trellis::plan {

// What can run in a slot: a course for an audience (the mix counts it
// against that audience) on one system (for a system-specific course, -1
// otherwise). Each (course, audience, system) someone waits for, and for a
// course that lets audiences mix, every audience of the mix; in order.
struct SessionType {
  int course = 0;
  int audience = 0;
  int system = -1;
  auto operator<=>(const SessionType&) const = default;
};
std::vector<SessionType> SessionTypes(const Instance& instance);

// Whether a session of `type` may run in `slot`: always, unless the
// instance lists the sessions offered, and then when one of them is it.
bool IsOffered(const Instance& instance, int slot, const SessionType& type);

struct PlannedSession {
  int slot = 0;
  int course = 0;
  int audience = 0;  // the mix's audience the session counts against
  int system = -1;   // for a system-specific course
  int trainer = -1;  // -1 when the instance has no trainers
};

struct Schedule {
  std::vector<PlannedSession> sessions;  // in slot order
  // Per request (see RequestIndex), the session it is placed in, or -1.
  std::vector<int> placed;
};

// The planner's objective: for every placed request its weight times the
// delivery half-day it falls on (counted from 1 at the first slot's), plus a
// penalty for every request left unplaced that outweighs any placement.
struct Objective {
  std::int64_t value = 0;
  int unplaced = 0;
};
Objective Evaluate(const Instance& instance, const RequestIndex& requests,
                   const Schedule& schedule);

// The delivery half-day of each slot, from 1: slots on the same day and part
// share one.
std::vector<int> TimeOfSlots(const Instance& instance);

struct PlannerOptions {
  // How much improving may cost: each trial counts the slots it plans again
  // times half the session types, plus the requests (the snapshot it copies);
  // improvement stops once it has spent this. Deterministic, so the same
  // instance always gets the same plan. 0: the greedy plan as it stands.
  std::int64_t improvement_budget = 2'000'000;
  // How much moving people between the chosen sessions may cost (see
  // ImproveAllocation). 0: the allocation as the sessions were filled.
  std::int64_t allocation_budget = 500'000;
};

Schedule Solve(const Instance& instance, const PlannerOptions& options = {});

// Every rule `schedule` breaks, in words naming the session, slot, trainer
// or person; empty when it keeps them all. Used by the tests and to check a
// plan before it is committed.
std::vector<std::string> CheckSchedule(const Instance& instance,
                                       const Schedule& schedule);

}  // namespace trellis::plan
