// CheckSchedule: every rule of a roll-out instance, checked on a finished
// schedule independently of how the planner built it.
#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "plan/planner.h"

namespace trellis::plan {
namespace {

std::string SlotText(const Instance& instance, const PlanSlot& slot) {
  std::ostringstream out;
  out << FormatIsoDate(DateOfDayNumber(slot.day))
      << (slot.part == 0 ? " morning" : " afternoon");
  if (slot.venue >= 0 &&
      slot.venue < static_cast<int>(instance.venues.size())) {
    out << " at " << instance.venues[slot.venue];
  }
  return out.str();
}

class Checker {
 public:
  Checker(const Instance& instance, const Schedule& schedule)
      : in_(instance),
        schedule_(schedule),
        requests_(IndexRequests(instance)) {}

  std::vector<std::string> Check() {
    if (schedule_.placed.size() !=
        static_cast<std::size_t>(requests_.Count())) {
      Say() << "the schedule places " << schedule_.placed.size()
            << " requests; the instance has " << requests_.Count();
      return problems_;
    }
    CheckSessions();
    CheckPeople();
    return problems_;
  }

 private:
  std::ostringstream& Say() {
    pending_.str("");
    said_ = true;
    return pending_;
  }
  void Flush() {
    if (said_) problems_.push_back(pending_.str());
    said_ = false;
  }

  std::string Name(int session) const {
    const PlannedSession& s = schedule_.sessions[session];
    return in_.courses[s.course].id + " on " + SlotText(in_, in_.slots[s.slot]);
  }

  void CheckSessions() {
    std::map<int, int> slot_used;
    std::map<std::pair<int, std::int64_t>, int> trainer_at;
    std::map<std::pair<int, int>, int> trainer_month;
    std::map<std::pair<int, int>, int> mix_count;
    for (std::size_t i = 0; i < schedule_.sessions.size(); ++i) {
      const PlannedSession& s = schedule_.sessions[i];
      if (s.slot < 0 || s.slot >= static_cast<int>(in_.slots.size()) ||
          s.course < 0 || s.course >= static_cast<int>(in_.courses.size())) {
        Say() << "session " << i << " names a slot or course that is not one";
        Flush();
        continue;
      }
      const PlanSlot& slot = in_.slots[s.slot];
      if (!IsOffered(in_, s.slot, {s.course, s.audience, s.system})) {
        Say() << Name(static_cast<int>(i))
              << " is not one of the sessions offered";
        Flush();
      }
      if (slot_used[s.slot]++ > 0) {
        Say() << SlotText(in_, slot) << " holds two sessions";
        Flush();
      }
      if (!in_.mix.empty()) {
        const int period = PeriodOf(in_, slot.day);
        if (++mix_count[{period, s.audience}] == in_.mix[s.audience] + 1) {
          Say() << "the mix allows " << in_.mix[s.audience] << " "
                << in_.audiences[s.audience]
                << " sessions a period; the period of "
                << Name(static_cast<int>(i)) << " has more";
          Flush();
        }
      }
      CheckTrainer(static_cast<int>(i), trainer_at, trainer_month);
    }
  }

  void CheckTrainer(int i, std::map<std::pair<int, std::int64_t>, int>& at,
                    std::map<std::pair<int, int>, int>& month) {
    const PlannedSession& s = schedule_.sessions[i];
    const PlanSlot& slot = in_.slots[s.slot];
    if (in_.trainers.empty()) return;
    if (s.trainer < 0 || s.trainer >= static_cast<int>(in_.trainers.size())) {
      Say() << Name(i) << " has no trainer";
      Flush();
      return;
    }
    const PlanTrainer& trainer = in_.trainers[s.trainer];
    if (std::find(trainer.courses.begin(), trainer.courses.end(), s.course) ==
        trainer.courses.end()) {
      Say() << trainer.id << " does not deliver " << in_.courses[s.course].id
            << " (" << Name(i) << ")";
      Flush();
    }
    if (std::binary_search(trainer.unavailable.begin(),
                           trainer.unavailable.end(), slot.day)) {
      Say() << trainer.id << " is not available for " << Name(i);
      Flush();
    }
    if (at[{s.trainer,
            (static_cast<std::int64_t>(slot.day) * 8) + slot.part}]++ > 0) {
      Say() << trainer.id << " is in two places at once: " << Name(i);
      Flush();
    }
    const int used = ++month[{s.trainer, MonthOf(slot.day)}];
    if (used == SessionsAMonth(in_, trainer) + 1) {
      Say() << trainer.id << " trains over " << trainer.days_per_month
            << " days in the month of " << Name(i);
      Flush();
    }
  }

  void CheckPeople() {
    std::vector<int> people(schedule_.sessions.size(), 0);
    std::map<std::pair<int, int>, int> from_organisation;
    for (int r = 0; r < requests_.Count(); ++r) {
      const int session = schedule_.placed[r];
      if (session < 0) continue;
      if (session >= static_cast<int>(schedule_.sessions.size())) {
        Say() << "request " << r << " is placed in a session that is not one";
        Flush();
        continue;
      }
      const PlannedSession& s = schedule_.sessions[session];
      const Learner& learner = in_.learners[requests_.learner[r]];
      const PlanCourse& course = in_.courses[requests_.course[r]];
      const PlanSlot& slot = in_.slots[s.slot];
      ++people[session];
      ++from_organisation[{session, learner.organisation}];
      if (s.course != requests_.course[r]) {
        Say() << learner.person << " needs " << course.id
              << " but is placed on " << Name(session);
      } else if (course.system_specific && learner.system != s.system) {
        Say() << learner.person << " is on another system than "
              << Name(session) << " trains";
      } else if (course.audiences_apart && learner.audience != s.audience) {
        Say() << learner.person << " is not of the audience "
              << in_.audiences[s.audience] << " that " << Name(session)
              << " keeps apart";
      } else if (slot.day < learner.earliest) {
        Say() << learner.person << " is placed on " << Name(session)
              << " before they may attend, "
              << FormatIsoDate(DateOfDayNumber(learner.earliest));
      }
      Flush();
      CheckOrder(r, learner, course, slot);
    }
    for (std::size_t i = 0; i < people.size(); ++i) {
      const int seats = in_.slots[schedule_.sessions[i].slot].seats;
      if (people[i] > seats) {
        Say() << Name(static_cast<int>(i)) << " has " << people[i]
              << " people for " << seats << " seats";
        Flush();
      }
    }
    for (const auto& [key, count] : from_organisation) {
      const int seats = in_.slots[schedule_.sessions[key.first].slot].seats;
      const int cap = OrganisationSeats(in_, seats);
      if (count > cap) {
        Say() << Name(key.first) << " has " << count << " people from "
              << in_.organisations[key.second] << "; at most " << cap
              << " of its " << seats << " seats may be";
        Flush();
      }
    }
  }

  // [000] Information Sharing before ContactPoint: a course that comes
  // after another is taken after it, inside its gaps.
  void CheckOrder(int r, const Learner& learner, const PlanCourse& course,
                  const PlanSlot& slot) {
    if (course.after < 0) return;
    const int first = requests_.first[requests_.learner[r]];
    for (int q = first; q < first + static_cast<int>(learner.courses.size());
         ++q) {
      if (requests_.course[q] != course.after) continue;
      const std::string& before = in_.courses[course.after].id;
      if (schedule_.placed[q] < 0) {
        Say() << learner.person << " is placed on " << course.id
              << " without a place on " << before << ", which comes first";
      } else {
        const PlanSlot& earlier =
            in_.slots[schedule_.sessions[schedule_.placed[q]].slot];
        const int gap = slot.day - earlier.day;
        if (std::tie(slot.day, slot.part) <=
            std::tie(earlier.day, earlier.part)) {
          Say() << learner.person << " takes " << course.id << " on "
                << SlotText(in_, slot) << ", not after " << before << " on "
                << SlotText(in_, earlier);
        } else if (gap < course.min_gap_days) {
          Say() << learner.person << " takes " << course.id << " " << gap
                << " days after " << before << "; it must be at least "
                << course.min_gap_days;
        } else if (course.max_gap_days && gap > *course.max_gap_days) {
          Say() << learner.person << " takes " << course.id << " " << gap
                << " days after " << before << "; it must be within "
                << *course.max_gap_days;
        }
      }
      Flush();
    }
  }

  const Instance& in_;
  const Schedule& schedule_;
  RequestIndex requests_;
  std::vector<std::string> problems_;
  std::ostringstream pending_;
  bool said_ = false;
};

}  // namespace

std::vector<std::string> CheckSchedule(const Instance& instance,
                                       const Schedule& schedule) {
  return Checker(instance, schedule).Check();
}

}  // namespace trellis::plan
