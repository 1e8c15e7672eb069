// Who goes to which session, improved once the calendar is chosen [MISSION
// E2]: the planner places people slot by slot, first priority group first,
// and cannot see that a seat it gives now is worth more to someone else
// (a second-group practitioner whose ContactPoint session comes a week
// later only if they take Information Sharing today). With the sessions
// fixed, this moves people between them while that lowers the planner's
// objective: each person's courses placed again as well as the free seats
// allow, and two people trading a seat when that lets one of them in
// sooner. Every rule of the instance is kept; sessions left empty are
// dropped. Pure; safe from many threads.
#pragma once

#include <cstdint>

#include "plan/instance.h"
#include "plan/planner.h"

namespace trellis::plan {

// Improves `schedule`'s allocation in place. `budget` bounds the work
// (about one unit a session considered for a course), so that the same
// instance always gets the same plan; 0 leaves it as it is.
void ImproveAllocation(const Instance& instance, Schedule& schedule,
                       std::int64_t budget);

}  // namespace trellis::plan
