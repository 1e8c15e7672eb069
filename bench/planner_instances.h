// Roll-out instances for the planner's benchmark and tests, generated from a
// seed so that every run plans the same area: [000]'s shape (Information
// Sharing for everyone, then ContactPoint a week later on the learner's own
// system, kept to one audience a session; Monday and Friday mornings and
// afternoons; a fortnight's mix of 6 practitioner, 1 manager and 1 admin
// sessions a venue; trainers at 2.5 days a month, each away some days;
// at most half a session from one organisation), scaled by people and
// venues.
#pragma once

#include <algorithm>
#include <random>
#include <string>

#include "plan/instance.h"

namespace trellis::bench {

struct InstanceShape {
  int people = 300;
  int venues = 1;
  int weeks = 10;
  int systems = 2;
  int organisations = 6;
  int trainers_per_venue = 2;
  // Sessions offered a slot, each a course for an audience on a system
  // drawn at random; 0: the planner chooses what runs.
  int candidates_per_slot = 0;
  std::uint32_t seed = 1;
};

inline plan::Instance MakeInstance(const InstanceShape& shape) {
  using plan::DayNumber;
  std::mt19937 random(shape.seed);
  const auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(random) < p;
  };
  plan::Instance in;
  in.courses.resize(2);
  in.courses[0].id = "IS01";
  in.courses[0].name = "Information sharing";
  in.courses[1].id = "CP01";
  in.courses[1].name = "ContactPoint user training";
  in.courses[1].system_specific = true;
  in.courses[1].audiences_apart = true;
  in.courses[1].after = 0;
  in.courses[1].min_gap_days = 7;
  in.audiences = {"practitioners", "operational-managers", "admin-staff"};
  const char* systems[] = {"Care First", "Web browser", "RAISE",
                           "SystmOne",   "EMIS",        "Capita One"};
  for (int s = 0; s < shape.systems; ++s) {
    in.systems.emplace_back(systems[s % 6]);
    if (s >= 6) in.systems.back() += " " + std::to_string(s / 6 + 1);
  }
  for (int o = 0; o < shape.organisations; ++o) {
    in.organisations.push_back("ORG" + std::to_string(o + 1));
  }
  const DayNumber monday = plan::DayNumberOf(trellis::Date{
      std::chrono::year(2009), std::chrono::October, std::chrono::day(5)});
  for (int v = 0; v < shape.venues; ++v) {
    in.venues.push_back("Venue " + std::to_string(v + 1));
  }
  for (int w = 0; w < shape.weeks; ++w) {
    for (int offset : {0, 4}) {
      for (int part : {0, 1}) {
        for (int v = 0; v < shape.venues; ++v) {
          in.slots.push_back({.day = monday + (7 * w) + offset,
                              .part = part,
                              .venue = v,
                              .seats = v % 2 == 0 ? 12 : 16});
        }
      }
    }
  }
  in.mix = {6 * shape.venues, shape.venues, shape.venues};
  in.period_weeks = 2;
  in.period_start = monday;
  in.max_organisation_share = 0.5;
  in.priority_groups = 2;
  const int trainers = shape.venues * shape.trainers_per_venue;
  const DayNumber last = monday + (7 * shape.weeks);
  for (int t = 0; t < trainers; ++t) {
    plan::PlanTrainer trainer;
    trainer.id = "T" + std::to_string(t + 1);
    trainer.courses = t % 2 == 0 ? std::vector<int>{0, 1} : std::vector<int>{0};
    trainer.days_per_month = 2.5;
    for (DayNumber d = monday; d < last; ++d) {
      if (chance(0.05)) trainer.unavailable.push_back(d);
    }
    in.trainers.push_back(trainer);
  }
  const int spread = std::max(1, shape.weeks * 7 / 4);
  for (int p = 0; p < shape.people; ++p) {
    plan::Learner learner;
    learner.person = "P" + std::to_string(p + 1);
    learner.organisation =
        std::uniform_int_distribution<int>(0, shape.organisations - 1)(random);
    const double a = std::uniform_real_distribution<double>(0, 1)(random);
    learner.audience = a < 0.75 ? 0 : (a < 0.875 ? 1 : 2);
    learner.system =
        std::uniform_int_distribution<int>(0, shape.systems - 1)(random);
    learner.priority = chance(0.2) ? 0 : 1;
    learner.earliest =
        chance(0.7)
            ? monday
            : monday + std::uniform_int_distribution<int>(0, spread)(random);
    learner.courses =
        chance(0.6) ? std::vector<int>{0, 1} : std::vector<int>{0};
    in.learners.push_back(learner);
  }
  for (int s = 0; s < static_cast<int>(in.slots.size()); ++s) {
    for (int k = 0; k < shape.candidates_per_slot; ++k) {
      plan::CandidateSession c;
      c.slot = s;
      c.course = chance(0.55) ? 0 : 1;
      const double a = std::uniform_real_distribution<double>(0, 1)(random);
      c.audience = a < 0.75 ? 0 : (a < 0.875 ? 1 : 2);
      c.system = c.course == 1 ? std::uniform_int_distribution<int>(
                                     0, shape.systems - 1)(random)
                               : -1;
      in.candidates.push_back(c);
    }
  }
  return in;
}

}  // namespace trellis::bench
