// What the roll-out planner plans [MISSION E2]: the courses to run with
// their rules, the slots they can run in (a venue's morning or afternoon on
// a delivery day, with its seats), the trainers, the session mix a period,
// and every learner's demand: the courses they need in order, from when, on
// which case-management system, in which audience and priority group.
// Everything is held by index for speed. Plain values; safe from many
// threads once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"

namespace trellis::plan {

// A date as days since 1970-01-01, so that the planner compares integers.
using DayNumber = std::int32_t;
DayNumber DayNumberOf(const Date& date);
Date DateOfDayNumber(DayNumber day);

struct PlanCourse {
  std::string id;                // the module: "CP01"
  std::string name;              // "ContactPoint user training"
  bool system_specific = false;  // one case-management system a session [000]
  bool audiences_apart = false;  // one audience a session [001 IW02]
  // The course that must come first for anyone who needs both [000:
  // Information Sharing before ContactPoint], by index; -1 for none. This
  // one is taken at least `min_gap_days` and, when given, at most
  // `max_gap_days` after it [001: the workshop within two weeks].
  int after = -1;
  int min_gap_days = 0;
  std::optional<int> max_gap_days;
};

// A venue's part of a delivery day (0 the morning, 1 the afternoon when
// there are two) with the seats it has: 12 PCs, or 16 [000].
struct PlanSlot {
  DayNumber day = 0;
  int part = 0;
  int venue = 0;
  int seats = 0;
};

struct PlanTrainer {
  std::string id;
  std::vector<int> courses;            // the courses they may deliver
  double days_per_month = 0;           // 2.5 in [000]
  std::vector<DayNumber> unavailable;  // sorted
};

// One person's demand: the courses they need, in the order they take them.
struct Learner {
  std::string person;
  int organisation = 0;
  int audience = 0;
  int system = -1;   // their case-management system; -1 when none is known
  int priority = 0;  // 0 is the first group trained
  // The first day they may attend: their pre-requisite checks and their
  // organisation's readiness are in place, and anything done before the plan
  // is far enough behind them.
  DayNumber earliest = 0;
  std::vector<int> courses;
};

struct CandidateSession {
  int slot = 0;
  int course = 0;
  int audience = 0;  // the mix's audience it counts against
  int system = -1;   // for a system-specific course
};

struct Instance {
  std::vector<PlanCourse> courses;
  std::vector<std::string> audiences;
  std::vector<std::string> systems;
  std::vector<std::string> organisations;
  std::vector<std::string> venues;
  // In time order: by day, then part, then venue.
  std::vector<PlanSlot> slots;
  double session_days = 0.5;  // what a session costs a trainer: a half day
  // No trainers means trainers do not limit the plan.
  std::vector<PlanTrainer> trainers;
  // The session mix: at most mix[audience] sessions of each audience in
  // every period of `period_weeks` weeks counted from `period_start` [000:
  // 6 practitioner, 1 manager, 1 admin a fortnight]. Empty: no mix.
  std::vector<int> mix;
  int period_weeks = 2;
  DayNumber period_start = 0;
  // At most this share of a session's seats from one organisation (at
  // least one seat), so that agencies train together [MISSION E2].
  double max_organisation_share = 1.0;
  int priority_groups = 1;
  std::vector<Learner> learners;
  // The sessions a coordinator offers, when they choose: each a course for
  // an audience on a system in a slot. Empty: any course may run in any
  // slot. Otherwise only these may, at most one a slot.
  std::vector<CandidateSession> candidates;
};

// A request is one learner's need for one course; requests are numbered
// learner by learner, each learner's courses in order.
struct RequestIndex {
  std::vector<int> first;    // per learner, their first request
  std::vector<int> learner;  // per request
  std::vector<int> course;   // per request
  int Count() const { return static_cast<int>(learner.size()); }
};
RequestIndex IndexRequests(const Instance& instance);

// The weight of a learner's request in the objective: the first priority
// group counts most.
int Weight(const Instance& instance, const Learner& learner);

// The most seats of a session of `seats` one organisation may fill.
int OrganisationSeats(const Instance& instance, int seats);

// How many sessions a trainer may deliver in a month: their days a month
// over a session's days, rounded down.
int SessionsAMonth(const Instance& instance, const PlanTrainer& trainer);

// Which of `mix`'s periods `day` falls in.
int PeriodOf(const Instance& instance, DayNumber day);

// The month of `day` as year * 12 + month, for trainers' days a month.
int MonthOf(DayNumber day);

}  // namespace trellis::plan
