// How early any plan could train everyone [MISSION E2]: a lower bound on
// the forecast date from the capacities alone (seats, trainer-days, the
// session mix, each course's trainers, pre-requisite chains), the one that
// binds in words, and the gap between a plan and it. Pure; safe from many
// threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plan/instance.h"
#include "plan/planner.h"

namespace trellis::plan {

struct Limit {
  std::string name;  // "seats", "trainer-days", "the mix for managers"
  // The first day by which the capacity could train everyone it limits;
  // absent when it cannot within the slots given.
  std::optional<DayNumber> date;
  std::string words;  // why, with the figures
};

struct Bound {
  std::optional<DayNumber> date;  // the latest of the limits
  std::vector<Limit> limits;      // the binding one first
};

Bound LowerBound(const Instance& instance);

// The day the last person is trained in `schedule`, or none when someone is
// left without a place.
std::optional<DayNumber> ForecastDay(const Instance& instance,
                                     const Schedule& schedule);

// How far the forecast is from the bound, as a share of the bound's days
// from the first slot: 0.05 is 5% later than could be. None when either is
// missing.
std::optional<double> Gap(const Instance& instance,
                          std::optional<DayNumber> forecast,
                          const Bound& bound);

}  // namespace trellis::plan
