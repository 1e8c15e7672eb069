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

// The longest a phase may be: ten years of days.
inline constexpr int kMostPhaseDays = 3653;

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
  // The times of each of the day's sessions, in minutes after midnight
  // (start, end), as `plan commit` books them; empty: DefaultTimes.
  std::vector<std::pair<int, int>> times;
};

// The session times a plan that states none commits: one session a day runs
// 09:30-16:30; two run 09:30-12:30 and 13:30-16:30. Empty for more than two.
std::vector<std::pair<int, int>> DefaultTimes(int sessions_per_day);

// The sessions of each audience in every period of `period_weeks` [000: per
// fortnight 6 practitioner, 1 manager, 1 admin].
struct SessionMix {
  int period_weeks = 2;
  std::vector<std::pair<std::string, int>> sessions;  // audience, count
};

// A course the roll-out delivers: a module of the area's framework, with
// what the planner needs beyond the framework [MISSION E2].
struct CourseSpec {
  std::string module;  // a module ref: "CP-USER"
  // The framework course `plan commit` creates sessions of; it must teach
  // the module alone. Empty: the framework's one course that does.
  std::string course;
  // The course that comes first, by module ref; empty: the planned course
  // the module's pre-requisites name, if any [000: Information Sharing
  // before ContactPoint].
  std::string after;
  std::optional<int> min_gap_days;      // default: the framework's sequencing
  std::optional<int> max_gap_days;      // "within 2 weeks" [001]
  std::optional<bool> system_specific;  // default: the module's
  std::optional<bool> audiences_apart;  // default: the module's
  SourcePos pos;
};

// A venue: its seats (12 PCs, or 16 [000]), the days it is used (default:
// delivery.days), its sessions a day and the dates it is available.
struct VenueSpec {
  std::string name;
  int seats = 0;
  std::vector<std::chrono::weekday> days;
  int sessions_per_day = 0;  // 0: delivery.sessions_per_day
  std::optional<Date> from;
  std::optional<Date> to;
  std::string room;  // the area's room id `plan commit` books
  SourcePos pos;
};

// Trainers: `count` of them alike (8 trainers at 2.5 days a month [000]),
// the courses they deliver (default: all) and dates they cannot.
struct TrainerSpec {
  std::string name;
  int count = 1;
  std::vector<std::string> courses;
  double days_per_month = 0;
  std::vector<Date> unavailable;
  // The person ids of the trainers, one each (count is then their number),
  // for `plan commit` to name on the sessions.
  std::vector<std::string> people;
  SourcePos pos;
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
  // For `trellis plan`: the framework (default: the area's), the courses,
  // venues and trainers, the rules, and the dates to plan within (default:
  // the first phase's start to the last phase's end).
  std::string framework;
  std::vector<CourseSpec> courses;
  std::vector<VenueSpec> venues;
  std::vector<TrainerSpec> trainers;
  double max_organisation_share = 1.0;          // of a session's seats
  std::vector<std::string> priority_audiences;  // trained first
  std::optional<DateSpan> horizon;
};

struct PlanLoad {
  std::optional<RollOutPlan> plan;  // absent when the file cannot be read
  std::vector<Finding> findings;    // errors and warnings, in file order

  bool HasErrors() const;
};

// A what-if [MISSION E3]: sets one value of the plan from "KEY=VALUE", the
// key as the file writes it: workforce, delivery.days (comma-separated),
// delivery.sessions_per_day, delivery.people_per_session,
// delivery.non_attendance, phases[N].delivery_weeks, venue.seats (every
// venue), venues[N].seats, trainers.days_per_month (every trainer),
// trainers[N].count, rules.max_organisation_share, or start (moves every
// date of the plan by the days from its first date, the horizon's start or
// else the first phase's, to the value). What is wrong, in
// words naming the key and value, otherwise; the plan is then unchanged.
[[nodiscard]] std::optional<std::string> SetInPlan(RollOutPlan& plan,
                                                   std::string_view setting);

// Reads a plan from the text of one file, named `file` in findings: its
// shape (unknown keys, wrong types, bad dates are errors) and the slips a
// reader would catch (a span that ends before it starts, phases out of
// order or overlapping, a phase far from the others). No I/O.
PlanLoad LoadPlanFromText(std::string_view text, const std::string& file);

}  // namespace trellis::plan
