#include "plan/allocation.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace trellis::plan {
namespace {

constexpr int kUnplaced = -1;

// One way to place a learner's requests: per request, from the learner's
// first, the session or kUnplaced; and what it costs.
struct Placement {
  std::int64_t cost = 0;
  std::vector<int> sessions;
};

class Allocator {
 public:
  Allocator(const Instance& instance, Schedule& schedule, std::int64_t budget)
      : in_(instance),
        schedule_(schedule),
        requests_(IndexRequests(instance)),
        time_(TimeOfSlots(instance)),
        budget_(budget) {
    never_ = (time_.empty() ? 0 : time_.back()) + 1;
    const int count = requests_.Count();
    weight_.resize(count);
    before_.assign(count, -1);
    after_.resize(count);
    for (int r = 0; r < count; ++r) {
      const int l = requests_.learner[r];
      const Learner& learner = in_.learners[l];
      weight_[r] = Weight(in_, learner);
      const int first = requests_.first[l];
      const int course = in_.courses[requests_.course[r]].after;
      if (course < 0) continue;
      for (int q = first; q < first + static_cast<int>(learner.courses.size());
           ++q) {
        if (requests_.course[q] == course) {
          before_[r] = q;
          after_[q].push_back(r);
        }
      }
    }
    const auto sessions = schedule_.sessions.size();
    count_.assign(sessions, 0);
    members_.resize(sessions);
    from_.resize(sessions);
    by_course_.resize(in_.courses.size());
    for (std::size_t s = 0; s < sessions; ++s) {
      const PlannedSession& session = schedule_.sessions[s];
      by_course_[session.course].push_back(static_cast<int>(s));
    }
    for (auto& list : by_course_) {
      std::ranges::sort(list, {},
                        [&](int s) { return std::make_pair(When(s), s); });
    }
    for (int r = 0; r < count; ++r) {
      if (schedule_.placed[r] >= 0) Take(r, schedule_.placed[r]);
    }
  }

  void Run() {
    bool improved = true;
    while (improved && budget_ > 0) {
      improved = false;
      for (std::size_t l = 0; l < in_.learners.size() && budget_ > 0; ++l) {
        improved = Reinsert(static_cast<int>(l)) || improved;
      }
      // Trading places is tried for those left without one, where it
      // gains most: a request of theirs, or the one before it.
      for (int r = 0; r < requests_.Count() && budget_ > 0; ++r) {
        if (schedule_.placed[r] >= 0 || !Trade(r)) {
          const int before = before_[r];
          if (schedule_.placed[r] < 0 && before >= 0 &&
              schedule_.placed[before] >= 0 && Trade(before)) {
            improved = true;
          }
        } else {
          improved = true;
        }
      }
    }
    DropEmptySessions();
  }

 private:
  std::int64_t When(int session) const {
    const PlanSlot& slot = in_.slots[schedule_.sessions[session].slot];
    return (static_cast<std::int64_t>(slot.day) * 8) + slot.part;
  }

  std::int64_t Cost(int request, int session) const {
    return static_cast<std::int64_t>(weight_[request]) *
           (session < 0 ? never_ : time_[schedule_.sessions[session].slot]);
  }

  int Seats(int session) const {
    return in_.slots[schedule_.sessions[session].slot].seats;
  }

  int Organisation(int request) const {
    return in_.learners[requests_.learner[request]].organisation;
  }

  int FromOrganisation(int session, int organisation) const {
    for (const auto& [o, n] : from_[session]) {
      if (o == organisation) return n;
    }
    return 0;
  }

  // Whether `request` may sit in `session` on its own terms: the course,
  // the learner's system and audience where the course asks, and not
  // before they may attend.
  bool Suits(int request, int session) const {
    const PlannedSession& s = schedule_.sessions[session];
    const Learner& learner = in_.learners[requests_.learner[request]];
    const PlanCourse& course = in_.courses[s.course];
    return s.course == requests_.course[request] &&
           (!course.system_specific || s.system == learner.system) &&
           (!course.audiences_apart || s.audience == learner.audience) &&
           in_.slots[s.slot].day >= learner.earliest;
  }

  // Whether there is a seat for `request` in `session`: one free, and its
  // organisation under its share.
  bool HasRoom(int request, int session) {
    --budget_;
    const int seats = Seats(session);
    return count_[session] < seats &&
           FromOrganisation(session, Organisation(request)) <
               OrganisationSeats(in_, seats);
  }

  // Whether `later` may follow `earlier` as its course follows the one
  // before it: after it, at least its gap later, and within its most.
  bool InOrder(int earlier, int later, const PlanCourse& course) const {
    const PlanSlot& a = in_.slots[schedule_.sessions[earlier].slot];
    const PlanSlot& b = in_.slots[schedule_.sessions[later].slot];
    const int gap = b.day - a.day;
    return std::tie(b.day, b.part) > std::tie(a.day, a.part) &&
           gap >= course.min_gap_days &&
           (!course.max_gap_days || gap <= *course.max_gap_days);
  }

  void Take(int request, int session) {
    schedule_.placed[request] = session;
    ++count_[session];
    members_[session].push_back(request);
    const int organisation = Organisation(request);
    for (auto& [o, n] : from_[session]) {
      if (o == organisation) {
        ++n;
        return;
      }
    }
    from_[session].emplace_back(organisation, 1);
  }

  void Free(int request) {
    const int session = schedule_.placed[request];
    if (session < 0) return;
    schedule_.placed[request] = kUnplaced;
    --count_[session];
    auto& members = members_[session];
    members.erase(std::ranges::find(members, request));
    const int organisation = Organisation(request);
    for (auto& [o, n] : from_[session]) {
      if (o == organisation) --n;
    }
  }

  int First(int learner) const { return requests_.first[learner]; }
  int Size(int learner) const {
    return static_cast<int>(in_.learners[learner].courses.size());
  }

  std::vector<int> Current(int learner) const {
    std::vector<int> now;
    for (int r = First(learner); r < First(learner) + Size(learner); ++r) {
      now.push_back(schedule_.placed[r]);
    }
    return now;
  }

  std::int64_t CostOf(int learner, const std::vector<int>& sessions) const {
    std::int64_t cost = 0;
    for (int i = 0; i < Size(learner); ++i) {
      cost += Cost(First(learner) + i, sessions[i]);
    }
    return cost;
  }

  void Apply(int learner, const std::vector<int>& sessions) {
    for (int i = 0; i < Size(learner); ++i) {
      if (sessions[i] >= 0) Take(First(learner) + i, sessions[i]);
    }
  }

  void Clear(int learner) {
    for (int r = First(learner); r < First(learner) + Size(learner); ++r) {
      Free(r);
    }
  }

  // Places the requests that follow `request` (placed in `sessions`), each
  // in the earliest session with room that keeps its order and gap, or
  // none; `forced` must go in `forced_session`. False when it cannot.
  bool PlaceAfter(int learner, int request, std::vector<int>& sessions,
                  int forced, int forced_session) {
    const int first = First(learner);
    for (int next : after_[request]) {
      const int earlier = sessions[request - first];
      int chosen = kUnplaced;
      const PlanCourse& course = in_.courses[requests_.course[next]];
      if (next == forced) {
        if (earlier < 0 || !InOrder(earlier, forced_session, course) ||
            !HasRoom(next, forced_session)) {
          return false;
        }
        chosen = forced_session;
      } else if (earlier >= 0) {
        const auto& list = by_course_[requests_.course[next]];
        const std::int64_t from = When(earlier);
        auto it = std::ranges::upper_bound(list, from, {},
                                           [&](int s) { return When(s); });
        const DayNumber day = in_.slots[schedule_.sessions[earlier].slot].day;
        for (; it != list.end() && budget_ > 0; ++it) {
          const DayNumber at = in_.slots[schedule_.sessions[*it].slot].day;
          if (course.max_gap_days && at - day > *course.max_gap_days) break;
          if (Suits(next, *it) && InOrder(earlier, *it, course) &&
              HasRoom(next, *it)) {
            chosen = *it;
            break;
          }
        }
      }
      sessions[next - first] = chosen;
      if (!PlaceAfter(learner, next, sessions, forced, forced_session)) {
        return false;
      }
    }
    return true;
  }

  // The best placement of `learner`'s requests in the seats free now (the
  // learner's own freed first), with `forced` (a request, or -1) in
  // `forced_session`; none when that cannot be.
  std::optional<Placement> Best(int learner, int forced, int forced_session) {
    const int first = First(learner);
    Placement best{0, std::vector<int>(Size(learner), kUnplaced)};
    for (int root = first; root < first + Size(learner); ++root) {
      if (before_[root] >= 0) continue;
      std::vector<int> options;
      if (root == forced) {
        if (!Suits(root, forced_session) || !HasRoom(root, forced_session)) {
          return std::nullopt;
        }
        options.push_back(forced_session);
      } else {
        options.push_back(kUnplaced);
        for (int s : by_course_[requests_.course[root]]) {
          if (budget_ <= 0) break;
          if (Suits(root, s) && HasRoom(root, s)) options.push_back(s);
        }
      }
      std::optional<std::pair<std::int64_t, std::vector<int>>> tree;
      for (int option : options) {
        std::vector<int> sessions = best.sessions;
        sessions[root - first] = option;
        if (!PlaceAfter(learner, root, sessions, forced, forced_session)) {
          continue;
        }
        std::int64_t cost = 0;
        for (int r = first; r < first + Size(learner); ++r) {
          if (Root(r) == root) cost += Cost(r, sessions[r - first]);
        }
        if (!tree || cost < tree->first) tree.emplace(cost, sessions);
      }
      if (!tree) return std::nullopt;
      for (int r = first; r < first + Size(learner); ++r) {
        if (Root(r) == root) best.sessions[r - first] = tree->second[r - first];
      }
      best.cost += tree->first;
    }
    return best;
  }

  int Root(int request) const {
    while (before_[request] >= 0) request = before_[request];
    return request;
  }

  // Places `learner` again as well as the free seats allow.
  bool Reinsert(int learner) {
    const std::vector<int> now = Current(learner);
    const std::int64_t cost = CostOf(learner, now);
    Clear(learner);
    const auto best = Best(learner, -1, kUnplaced);
    if (best && best->cost < cost) {
      Apply(learner, best->sessions);
      return true;
    }
    Apply(learner, now);
    return false;
  }

  // Tries, for each earlier session of `request`'s course with no room for
  // it, each person there trading places: `request` takes the seat and
  // its learner is placed again around it; the one who gave it up is
  // placed again in what is left. Kept when the two together cost less.
  bool Trade(int request) {
    const int learner = requests_.learner[request];
    const int current = schedule_.placed[request];
    const std::int64_t now =
        current < 0 ? std::numeric_limits<std::int64_t>::max() : When(current);
    const int organisation = Organisation(request);
    for (int s : by_course_[requests_.course[request]]) {
      if (budget_ <= 0 || When(s) >= now) break;
      if (!Suits(request, s) || HasRoom(request, s)) continue;
      // Only a seat from their own organisation helps a learner whose
      // organisation has its share of the session.
      const bool own_only =
          count_[s] < Seats(s) ||
          FromOrganisation(s, organisation) >= OrganisationSeats(in_, Seats(s));
      const std::vector<int> members = members_[s];
      for (int other : members) {
        const int them = requests_.learner[other];
        if (them == learner || budget_ <= 0) continue;
        if (own_only && Organisation(other) != organisation) {
          continue;
        }
        if (TradeWith(learner, request, s, them)) return true;
      }
    }
    return false;
  }

  bool TradeWith(int learner, int request, int session, int them) {
    const std::vector<int> mine = Current(learner);
    const std::vector<int> theirs = Current(them);
    const std::int64_t cost = CostOf(learner, mine) + CostOf(them, theirs);
    Clear(learner);
    Clear(them);
    if (auto placed = Best(learner, request, session)) {
      Apply(learner, placed->sessions);
      if (auto other = Best(them, -1, kUnplaced);
          other && placed->cost + other->cost < cost) {
        Apply(them, other->sessions);
        return true;
      }
      Clear(learner);
    }
    Apply(learner, mine);
    Apply(them, theirs);
    return false;
  }

  void DropEmptySessions() {
    std::vector<int> index(schedule_.sessions.size(), kUnplaced);
    std::vector<PlannedSession> kept;
    for (std::size_t s = 0; s < schedule_.sessions.size(); ++s) {
      if (count_[s] == 0) continue;
      index[s] = static_cast<int>(kept.size());
      kept.push_back(schedule_.sessions[s]);
    }
    schedule_.sessions = std::move(kept);
    for (int& session : schedule_.placed) {
      if (session >= 0) session = index[session];
    }
  }

  const Instance& in_;
  Schedule& schedule_;
  RequestIndex requests_;
  std::vector<int> time_;  // per slot, its delivery half-day from 1
  std::int64_t never_ = 0;
  std::int64_t budget_;
  std::vector<int> weight_;              // per request
  std::vector<int> before_;              // per request, the one first, or -1
  std::vector<std::vector<int>> after_;  // per request, those that follow
  std::vector<std::vector<int>> by_course_;  // per course, sessions by time
  std::vector<int> count_;                   // per session, people placed
  std::vector<std::vector<int>> members_;    // per session, its requests
  // Per session, people placed by organisation.
  std::vector<std::vector<std::pair<int, int>>> from_;
};

}  // namespace

void ImproveAllocation(const Instance& instance, Schedule& schedule,
                       std::int64_t budget) {
  if (budget <= 0 || schedule.sessions.empty()) return;
  Allocator(instance, schedule, budget).Run();
}

}  // namespace trellis::plan
