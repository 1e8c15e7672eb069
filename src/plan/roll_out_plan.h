// A roll-out plan file (docs/plan-format.md) [MISSION E1]: how training is
// delivered (days of the week, sessions a day, people a session), the mix of
// sessions a period, weeks with no delivery, and the phases with their dates,
// stated delivery weeks and targets. Loading reports every problem with its
// file, line and column, and never "corrects" a slip: a phase that ends
// before it starts is named, not mended. Plain values and pure functions;
// safe from many threads.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.h"
#include "domain/source.h"

namespace trellis::plan {

struct DateSpan {
  Date from;
  Date to;
  std::string why;  // "Christmas", "planning and review"
  SourcePos pos;
};

struct Phase {
  std::string name;  // "Phase 1"
  Date from;
  Date to;
  std::optional<int> delivery_weeks;  // as the plan states them
  std::optional<int> target;          // people trained in the phase
  SourcePos pos;
};

struct Delivery {
  std::vector<std::chrono::weekday> days;  // Monday and Friday [000]
  int sessions_per_day = 1;                // two half-day sessions [000]
  double people_per_session = 0;           // 14 on average: 12 or 16 PCs
  double non_attendance = 0;               // the share expected not to come
};

// The sessions of each audience in every period of `period_weeks` [000: per
// fortnight 6 practitioner, 1 manager, 1 admin].
struct SessionMix {
  int period_weeks = 2;
  std::vector<std::pair<std::string, int>> sessions;  // audience, count
};

struct RollOutPlan {
  std::string id;
  std::string name;
  std::string source;
  int workforce = 0;  // people to train, as estimated
  Delivery delivery;
  SessionMix mix;
  std::vector<DateSpan> no_delivery;
  std::vector<Phase> phases;
  std::optional<DateSpan> forward_plan;  // the next plan's dates, if given
};

struct PlanLoad {
  std::optional<RollOutPlan> plan;  // absent when the file cannot be read
  std::vector<Finding> findings;    // errors and warnings, in file order

  bool HasErrors() const;
};

// A what-if [MISSION E3]: sets one value of the plan from "KEY=VALUE", the
// key as the file writes it: workforce, delivery.days (comma-separated),
// delivery.sessions_per_day, delivery.people_per_session,
// delivery.non_attendance, or phases[N].delivery_weeks. What is wrong, in
// words naming the key and value, otherwise; the plan is then unchanged.
[[nodiscard]] std::optional<std::string> SetInPlan(RollOutPlan& plan,
                                                   std::string_view setting);

// Reads a plan from the text of one file, named `file` in findings: its
// shape (unknown keys, wrong types, bad dates are errors) and the slips a
// reader would catch (a span that ends before it starts, phases out of
// order or overlapping, a phase far from the others). No I/O.
PlanLoad LoadPlanFromText(std::string_view text, const std::string& file);

}  // namespace trellis::plan
