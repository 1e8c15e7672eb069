#include "plan/lower_bound.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

namespace trellis::plan {
namespace {

std::string DateText(std::optional<DayNumber> day) {
  return day ? FormatIsoDate(DateOfDayNumber(*day))
             : std::string("not within the slots given");
}

// The fewest sessions a group of requests needs: one course, one system
// (for a system-specific course) and one audience (where the course keeps
// them apart) a session, at most the largest room's seats, and at most an
// organisation's share of them from any one organisation.
struct Need {
  int course = 0;
  int audience = -1;  // when the course keeps audiences apart
  int sessions = 0;
  int places = 0;
};

class BoundMaker {
 public:
  explicit BoundMaker(const Instance& instance) : in_(instance) {
    for (const PlanSlot& slot : in_.slots) {
      max_seats_ = std::max(max_seats_, slot.seats);
    }
    requests_ = IndexRequests(in_);
  }

  Bound Make() {
    Bound bound;
    if (in_.slots.empty() || requests_.Count() == 0) return bound;
    const std::vector<Need> needs = Needs();
    int sessions = 0;
    int places = 0;
    for (const Need& need : needs) {
      sessions += need.sessions;
      places += need.places;
    }
    const int cap = std::max(1, max_seats_);
    {
      const auto date = Walk(sessions, places, nullptr, kNoMix);
      std::ostringstream words;
      words << places << " places need at least " << sessions
            << " sessions of up to " << cap
            << " seats (one course, system and audience a session, and an "
               "organisation's share of its seats); the venues' seats hold "
               "them by "
            << DateText(date);
      bound.limits.push_back({"seats", date, words.str()});
    }
    if (!in_.trainers.empty()) {
      double days = 0;
      int a_month = 0;
      for (const PlanTrainer& t : in_.trainers) {
        days += t.days_per_month;
        a_month += SessionsAMonth(in_, t);
      }
      const auto date = Walk(sessions, places, &all_trainers_, kNoMix);
      std::ostringstream words;
      words << sessions << " sessions need " << sessions * in_.session_days
            << " trainer-days; " << in_.trainers.size() << " trainers give "
            << days << " a month (" << a_month << " sessions), so not before "
            << DateText(date);
      bound.limits.push_back({"trainer-days", date, words.str()});
      CourseTrainers(needs, bound);
    }
    if (!in_.mix.empty()) Mix(needs, sessions, places, bound);
    Chains(bound);
    std::stable_sort(bound.limits.begin(), bound.limits.end(),
                     [](const Limit& a, const Limit& b) {
                       const DayNumber da = a.date.value_or(kNever);
                       const DayNumber db = b.date.value_or(kNever);
                       return da > db;
                     });
    bound.date = bound.limits.front().date;
    return bound;
  }

 private:
  static constexpr int kNoMix = -2;
  static constexpr int kWholeMix = -1;
  static constexpr DayNumber kNever = std::numeric_limits<DayNumber>::max();

  std::vector<Need> Needs() const {
    // (course, system, audience) -> (places, per organisation)
    std::map<std::tuple<int, int, int>, std::pair<int, std::map<int, int>>>
        groups;
    for (int r = 0; r < requests_.Count(); ++r) {
      const Learner& learner = in_.learners[requests_.learner[r]];
      const PlanCourse& course = in_.courses[requests_.course[r]];
      auto& group = groups[{requests_.course[r],
                            course.system_specific ? learner.system : -1,
                            course.audiences_apart ? learner.audience : -1}];
      ++group.first;
      ++group.second[learner.organisation];
    }
    std::vector<Need> needs;
    const int cap = std::max(1, max_seats_);
    const int share = OrganisationSeats(in_, cap);
    for (const auto& [key, group] : groups) {
      int sessions = (group.first + cap - 1) / cap;
      for (const auto& [organisation, count] : group.second) {
        sessions = std::max(sessions, (count + share - 1) / share);
      }
      needs.push_back(
          {std::get<0>(key), std::get<2>(key), sessions, group.first});
    }
    return needs;
  }

  // The first day by which `sessions` sessions holding `places` places can
  // have run: each delivery half-day gives as many sessions as it has slots
  // (its largest rooms first), no more than the `trainers` free that day
  // with sessions left in their month (no limit when null), and no more
  // than the mix leaves in the period (for one audience, the whole mix, or
  // kNoMix).
  std::optional<DayNumber> Walk(int sessions, int places,
                                const std::vector<int>* trainers,
                                int audience) const {
    if (sessions <= 0 && places <= 0) return in_.slots.front().day;
    int have_sessions = 0;
    int have_places = 0;
    int month = -1;
    int month_left = 0;
    int period = std::numeric_limits<int>::min();
    int period_left = 0;
    std::vector<int> seats;
    std::size_t s = 0;
    while (s < in_.slots.size()) {
      const DayNumber day = in_.slots[s].day;
      const int part = in_.slots[s].part;
      seats.clear();
      for (; s < in_.slots.size() && in_.slots[s].day == day &&
             in_.slots[s].part == part;
           ++s) {
        seats.push_back(in_.slots[s].seats);
      }
      int can = static_cast<int>(seats.size());
      if (trainers != nullptr) {
        if (MonthOf(day) != month) {
          month = MonthOf(day);
          month_left = 0;
          for (int t : *trainers) {
            month_left += SessionsAMonth(in_, in_.trainers[t]);
          }
        }
        int free = 0;
        for (int t : *trainers) {
          const auto& off = in_.trainers[t].unavailable;
          if (!std::binary_search(off.begin(), off.end(), day)) ++free;
        }
        can = std::min({can, free, month_left});
        month_left -= can;
      }
      if (audience != kNoMix) {
        if (PeriodOf(in_, day) != period) {
          period = PeriodOf(in_, day);
          period_left = 0;
          for (std::size_t a = 0; a < in_.mix.size(); ++a) {
            if (audience == kWholeMix || static_cast<int>(a) == audience) {
              period_left += in_.mix[a];
            }
          }
        }
        can = std::min(can, period_left);
        period_left -= can;
      }
      std::partial_sort(seats.begin(), seats.begin() + can, seats.end(),
                        std::greater<>());
      have_sessions += can;
      for (int i = 0; i < can; ++i) have_places += seats[i];
      if (have_sessions >= sessions && have_places >= places) return day;
    }
    return std::nullopt;
  }

  void CourseTrainers(const std::vector<Need>& needs, Bound& bound) const {
    for (std::size_t c = 0; c < in_.courses.size(); ++c) {
      std::vector<int> trainers;
      double days = 0;
      for (std::size_t t = 0; t < in_.trainers.size(); ++t) {
        const auto& courses = in_.trainers[t].courses;
        if (std::find(courses.begin(), courses.end(), static_cast<int>(c)) !=
            courses.end()) {
          trainers.push_back(static_cast<int>(t));
          days += in_.trainers[t].days_per_month;
        }
      }
      int sessions = 0;
      int places = 0;
      for (const Need& need : needs) {
        if (need.course == static_cast<int>(c)) {
          sessions += need.sessions;
          places += need.places;
        }
      }
      if (sessions == 0 || trainers.size() == in_.trainers.size()) continue;
      const auto date = Walk(sessions, places, &trainers, kNoMix);
      std::ostringstream words;
      words << trainers.size() << " of the trainers deliver "
            << in_.courses[c].id << ", " << days
            << " days a month between them, for its " << sessions
            << " sessions, so not before " << DateText(date);
      bound.limits.push_back(
          {in_.courses[c].id + " trainers", date, words.str()});
    }
  }

  void Mix(const std::vector<Need>& needs, int sessions, int places,
           Bound& bound) const {
    int per_period = 0;
    for (int n : in_.mix) per_period += n;
    {
      const auto date = Walk(sessions, places, nullptr, kWholeMix);
      std::ostringstream words;
      words << "the mix allows " << per_period << " sessions every "
            << in_.period_weeks << " weeks; " << sessions
            << " are needed, so not before " << DateText(date);
      bound.limits.push_back({"the session mix", date, words.str()});
    }
    for (std::size_t a = 0; a < in_.mix.size(); ++a) {
      int needed = 0;
      int their_places = 0;
      for (const Need& need : needs) {
        if (need.audience == static_cast<int>(a)) {
          needed += need.sessions;
          their_places += need.places;
        }
      }
      if (needed == 0) continue;
      const auto date =
          Walk(needed, their_places, nullptr, static_cast<int>(a));
      std::ostringstream words;
      words << "the mix allows " << in_.mix[a] << " " << in_.audiences[a]
            << " sessions every " << in_.period_weeks << " weeks; " << needed
            << " are needed for courses that keep audiences apart, so not "
               "before "
            << DateText(date);
      bound.limits.push_back(
          {"the mix for " + in_.audiences[a], date, words.str()});
    }
  }

  // [000] a course after its pre-requisite, at its gap: each learner's
  // earliest finish if every session they need ran when they could go.
  void Chains(Bound& bound) const {
    std::vector<std::int64_t> when;  // per distinct half-day
    std::vector<DayNumber> days;
    for (const PlanSlot& slot : in_.slots) {
      const std::int64_t w =
          (static_cast<std::int64_t>(slot.day) * 8) + slot.part;
      if (when.empty() || when.back() != w) {
        when.push_back(w);
        days.push_back(slot.day);
      }
    }
    std::optional<DayNumber> latest = in_.slots.front().day;
    int who = -1;
    for (std::size_t l = 0; l < in_.learners.size() && latest; ++l) {
      const Learner& learner = in_.learners[l];
      std::map<int, std::int64_t> done;  // course -> half-day taken
      std::optional<DayNumber> finish = learner.earliest;
      for (int c : learner.courses) {
        const PlanCourse& course = in_.courses[c];
        std::int64_t from = static_cast<std::int64_t>(learner.earliest) * 8;
        if (course.after >= 0 && done.contains(course.after)) {
          const std::int64_t before = done[course.after];
          from = std::max(before + 1, (before / 8 + course.min_gap_days) * 8);
        }
        const auto it = std::lower_bound(when.begin(), when.end(), from);
        if (it == when.end()) {
          finish.reset();
          break;
        }
        done[c] = *it;
        finish = days[it - when.begin()];
      }
      if (!finish || *finish > *latest) {
        latest = finish;
        who = static_cast<int>(l);
      }
    }
    std::ostringstream words;
    if (who < 0) {
      words << "everyone could finish on the first delivery day";
    } else {
      const Learner& learner = in_.learners[who];
      words << learner.person << " cannot finish before " << DateText(latest)
            << ": they may attend from " << DateText(learner.earliest)
            << " and need";
      for (std::size_t i = 0; i < learner.courses.size(); ++i) {
        const PlanCourse& course = in_.courses[learner.courses[i]];
        words << (i == 0 ? " " : ", then ") << course.id;
        if (course.after >= 0 && course.min_gap_days > 0) {
          words << " at least " << course.min_gap_days << " days after "
                << in_.courses[course.after].id;
        }
      }
    }
    bound.limits.push_back({"pre-requisite chains", latest, words.str()});
  }

  const Instance& in_;
  RequestIndex requests_;
  int max_seats_ = 0;
  std::vector<int> all_trainers_ = [this] {
    std::vector<int> all(in_.trainers.size());
    for (std::size_t t = 0; t < all.size(); ++t) all[t] = static_cast<int>(t);
    return all;
  }();
};

}  // namespace

Bound LowerBound(const Instance& instance) {
  return BoundMaker(instance).Make();
}

std::optional<DayNumber> ForecastDay(const Instance& instance,
                                     const Schedule& schedule) {
  std::optional<DayNumber> last;
  std::vector<bool> used(schedule.sessions.size(), false);
  for (int session : schedule.placed) {
    if (session < 0) return std::nullopt;
    used[session] = true;
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (!used[i]) continue;
    const DayNumber day = instance.slots[schedule.sessions[i].slot].day;
    if (!last || day > *last) last = day;
  }
  return last;
}

std::optional<double> Gap(const Instance& instance,
                          std::optional<DayNumber> forecast,
                          const Bound& bound) {
  if (!forecast || !bound.date || instance.slots.empty()) return std::nullopt;
  const double span = *bound.date - instance.slots.front().day + 1;
  return (*forecast - *bound.date) / span;
}

}  // namespace trellis::plan
