// A roll-out instance as an integer program, for COIN-OR CBC to solve to a
// proven optimum: the exact reference the planner is measured against
// (bench/planner_bench.cc) [MISSION E2]. The program has the planner's
// objective and every rule of CheckSchedule. Pure text in and out; safe from
// many threads. Meant for small instances: its size grows with learners x
// slots.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "plan/instance.h"
#include "plan/planner.h"

namespace trellis::plan {

// The instance in CPLEX LP format. Variables: y{s}_{k} (slot s runs session
// type k), v{s}_{t} (trainer t delivers in slot s), x{r}_{s}_{k} (request r
// is placed there), u{r} (request r is left unplaced).
std::string WriteIntegerProgram(const Instance& instance);

struct SolvedProgram {
  Schedule schedule;
  double objective = 0;
  bool optimal = false;  // CBC proved it optimal
};

// Reads a solution file CBC wrote (`-solu FILE`) for the program
// WriteIntegerProgram made of `instance`. An error naming the line when the
// file is not one.
[[nodiscard]] std::expected<SolvedProgram, std::string> ReadCbcSolution(
    const Instance& instance, std::string_view text);

}  // namespace trellis::plan
