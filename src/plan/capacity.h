// What a roll-out plan can deliver [MISSION E1], worked out two ways: as the
// plan states it (delivery weeks x sessions a week x people a session, the
// way [000]'s table does) and against the real calendar (the delivery days
// that fall inside each phase's dates once bank holidays and weeks with no
// delivery are taken out), saying where the stated weeks do not fit. Pure
// functions; safe from many threads.
#pragma once

#include <string>
#include <vector>

#include "plan/bank_holidays.h"
#include "plan/roll_out_plan.h"

namespace trellis::plan {

struct PhaseCapacity {
  std::string name;
  Date from;
  Date to;
  std::optional<int> stated_weeks;
  int trained = 0;     // from the stated weeks, as the plan's table counts
  int cumulative = 0;  // up to and including this phase
  std::optional<int> target;
  // From the calendar: the delivery days inside the phase's dates that are
  // neither bank holidays nor weeks with no delivery, and what that makes
  // in weeks of delivery.
  int delivery_days = 0;
  double calendar_weeks = 0;
  std::vector<BankHoliday> holidays;  // on a delivery day inside the phase
  bool fits = true;                   // the stated weeks fit the calendar
};

struct CapacityReport {
  double people_per_week = 0;  // sessions a week x people a session, less
                               // non-attendance
  int sessions_per_week = 0;
  std::vector<PhaseCapacity> phases;
  int total = 0;
  int workforce = 0;
  // Where the stated weeks do not fit the dates, and years the calendar
  // does not cover: warnings naming the phase.
  std::vector<Finding> findings;
};

CapacityReport WorkOutCapacity(const RollOutPlan& plan,
                               const BankHolidays& holidays);

// The report as a coordinator reads it: the table, then each finding.
std::string FormatCapacity(const RollOutPlan& plan,
                           const CapacityReport& report);

}  // namespace trellis::plan
