#include "plan/planner.h"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <utility>

#include "plan/allocation.h"

namespace trellis::plan {
namespace {

// Follow-on pools are fed in step to this fraction of their people (see
// GroupFollowOns).
constexpr std::int64_t kFeedSteps = 16;
constexpr int kGreedy = -2;  // the planner chooses what runs in the slot
constexpr int kClosed = -1;  // nothing runs in the slot
constexpr DayNumber kNoDeadline = std::numeric_limits<DayNumber>::max();
constexpr std::int64_t kNoChance = std::numeric_limits<std::int64_t>::max();

// Who of those waiting an offered session takes first: the first priority
// group (then the ones whose follow-on comes soonest), or the ones waiting
// would cost most (see Run::Regret). Neither is best on every instance, so
// with offered sessions the planner plans by each and keeps the better.
enum class Ordering { kByPriority, kByCostOfWaiting };

// When a slot is: its day and part as one number that orders them.
std::int64_t When(DayNumber day, int part) {
  return (static_cast<std::int64_t>(day) * 8) + part;
}

// A request waiting for a place, in the order places go: the first priority
// group; then those with a course to follow, which waits on this one; then
// the nearest deadline; then who has waited longest.
struct Waiting {
  int priority = 0;
  int followed = 0;  // minus the courses that wait on this one
  DayNumber deadline = kNoDeadline;
  DayNumber earliest = 0;
  int request = 0;
  auto operator<=>(const Waiting&) const = default;
};

// What stays the same across every run of the planner over one instance.
struct Prepared {
  const Instance* instance = nullptr;
  RequestIndex requests;
  std::vector<int> time;  // per slot, its delivery half-day from 1
  // Session types: each (course, audience, system) someone waits for, and
  // for a course that lets audiences mix, every audience of the mix.
  std::vector<SessionType> types;
  std::map<SessionType, int> type_of;
  std::vector<int> pool_of_request;  // the type each request waits as
  // Per type, the pools a session of it takes people from, its own first.
  std::vector<std::vector<int>> sources;
  // Per request, the requests released when it is placed: the learner's
  // later courses that come after it.
  std::vector<std::vector<int>> dependents;
  std::vector<bool> has_predecessor;
  std::vector<std::vector<int>> trainers_of_course;
  std::vector<int> weight;  // per request
  // Per slot, the types that may run there: every type, or the candidates.
  std::vector<std::vector<int>> slot_types;
  // Per course, the days a session of it could run: a slot, and a trainer
  // who delivers it and is not away.
  std::vector<std::vector<DayNumber>> open_days;
  // With offered sessions: per pool, when a session that takes from it is
  // offered, in time order.
  std::vector<std::vector<std::int64_t>> offered_times;
  // Per request, whether a later course must follow within a gap.
  std::vector<bool> has_deadline_after;
  // The slots' distinct times (When), in order, and each one's delivery
  // half-day; and the half-day after the last, for never.
  std::vector<std::int64_t> whens;
  std::vector<std::int64_t> half_day;
  std::int64_t never = 0;
};

int SystemKey(const Instance& instance, int course, int system) {
  return instance.courses[course].system_specific ? system : -1;
}

}  // namespace

bool IsOffered(const Instance& instance, int slot, const SessionType& type) {
  if (instance.candidates.empty()) return true;
  return std::ranges::any_of(
      instance.candidates, [&](const CandidateSession& c) {
        return c.slot == slot && c.course == type.course &&
               c.audience == type.audience &&
               (c.system == type.system ||
                !instance.courses[type.course].system_specific);
      });
}

std::vector<SessionType> SessionTypes(const Instance& instance) {
  std::set<SessionType> wanted;
  for (const Learner& learner : instance.learners) {
    for (int course : learner.courses) {
      wanted.insert({course, learner.audience,
                     SystemKey(instance, course, learner.system)});
    }
  }
  for (const CandidateSession& c : instance.candidates) {
    wanted.insert(
        {c.course, c.audience, SystemKey(instance, c.course, c.system)});
  }
  std::set<SessionType> all = wanted;
  for (const SessionType& type : wanted) {
    if (instance.courses[type.course].audiences_apart ||
        !instance.candidates.empty()) {
      continue;
    }
    for (int a = 0; a < static_cast<int>(instance.audiences.size()); ++a) {
      all.insert({type.course, a, type.system});
    }
  }
  return {all.begin(), all.end()};
}

namespace {

Prepared Prepare(const Instance& instance) {
  Prepared p;
  p.instance = &instance;
  p.requests = IndexRequests(instance);
  p.time = TimeOfSlots(instance);
  const int count = p.requests.Count();
  p.types = SessionTypes(instance);
  for (std::size_t t = 0; t < p.types.size(); ++t) {
    p.type_of.emplace(p.types[t], static_cast<int>(t));
  }
  p.sources.resize(p.types.size());
  for (std::size_t t = 0; t < p.types.size(); ++t) {
    const SessionType& type = p.types[t];
    p.sources[t].push_back(static_cast<int>(t));
    if (instance.courses[type.course].audiences_apart) continue;
    for (std::size_t u = 0; u < p.types.size(); ++u) {
      const SessionType& other = p.types[u];
      if (u != t && other.course == type.course &&
          other.system == type.system) {
        p.sources[t].push_back(static_cast<int>(u));
      }
    }
  }
  p.pool_of_request.resize(count);
  p.dependents.resize(count);
  p.has_predecessor.assign(count, false);
  p.weight.resize(count);
  for (int r = 0; r < count; ++r) {
    const Learner& learner = instance.learners[p.requests.learner[r]];
    const int course = p.requests.course[r];
    p.pool_of_request[r] =
        p.type_of.at({course, learner.audience,
                      SystemKey(instance, course, learner.system)});
    p.weight[r] = Weight(instance, learner);
    const int after = instance.courses[course].after;
    if (after < 0) continue;
    const int first = p.requests.first[p.requests.learner[r]];
    for (int q = first; q < first + static_cast<int>(learner.courses.size());
         ++q) {
      if (p.requests.course[q] == after) {
        p.dependents[q].push_back(r);
        p.has_predecessor[r] = true;
      }
    }
  }
  p.trainers_of_course.resize(instance.courses.size());
  for (std::size_t t = 0; t < instance.trainers.size(); ++t) {
    for (int c : instance.trainers[t].courses) {
      if (c >= 0 && c < static_cast<int>(instance.courses.size())) {
        p.trainers_of_course[c].push_back(static_cast<int>(t));
      }
    }
  }
  p.slot_types.resize(instance.slots.size());
  if (instance.candidates.empty()) {
    std::vector<int> every(p.types.size());
    for (std::size_t t = 0; t < every.size(); ++t) {
      every[t] = static_cast<int>(t);
    }
    std::fill(p.slot_types.begin(), p.slot_types.end(), every);
  } else {
    for (const CandidateSession& c : instance.candidates) {
      if (c.slot < 0 || c.slot >= static_cast<int>(instance.slots.size())) {
        continue;
      }
      p.slot_types[c.slot].push_back(p.type_of.at(
          {c.course, c.audience, SystemKey(instance, c.course, c.system)}));
    }
  }
  p.offered_times.resize(p.types.size());
  if (!instance.candidates.empty()) {
    for (std::size_t s = 0; s < instance.slots.size(); ++s) {
      for (int type : p.slot_types[s]) {
        for (int pool : p.sources[type]) {
          p.offered_times[pool].push_back(
              When(instance.slots[s].day, instance.slots[s].part));
        }
      }
    }
    for (auto& times : p.offered_times) {
      std::sort(times.begin(), times.end());
    }
  }
  p.open_days.resize(instance.courses.size());
  for (std::size_t c = 0; c < instance.courses.size(); ++c) {
    auto& days = p.open_days[c];
    for (const PlanSlot& slot : instance.slots) {
      if (!days.empty() && days.back() == slot.day) continue;
      const bool someone =
          instance.trainers.empty() ||
          std::any_of(p.trainers_of_course[c].begin(),
                      p.trainers_of_course[c].end(), [&](int t) {
                        const auto& off = instance.trainers[t].unavailable;
                        return !std::binary_search(off.begin(), off.end(),
                                                   slot.day);
                      });
      if (someone) days.push_back(slot.day);
    }
  }
  for (std::size_t s = 0; s < instance.slots.size(); ++s) {
    const auto w = When(instance.slots[s].day, instance.slots[s].part);
    if (p.whens.empty() || p.whens.back() != w) {
      p.whens.push_back(w);
      p.half_day.push_back(p.time[s]);
    }
  }
  p.never = (p.time.empty() ? 0 : p.time.back()) + 1;
  p.has_deadline_after.assign(count, false);
  for (int r = 0; r < count; ++r) {
    for (int next : p.dependents[r]) {
      if (instance.courses[p.requests.course[next]].max_gap_days) {
        p.has_deadline_after[r] = true;
      }
    }
  }
  return p;
}

// One run of the planner over the slots in time order. `choice` says, per
// slot, what runs there: kGreedy (the planner chooses), kClosed, or a type.
class Run {
 public:
  explicit Run(const Prepared& prepared,
               Ordering ordering = Ordering::kByPriority)
      : p_(prepared),
        ordering_(ordering),
        in_(*prepared.instance),
        pools_(prepared.types.size()),
        organisation_count_(in_.organisations.size(), 0),
        trainer_month_(in_.trainers.size(), std::numeric_limits<int>::min()),
        trainer_used_(in_.trainers.size(), 0),
        trainer_busy_(in_.trainers.size(), false),
        mix_used_(in_.audiences.size(), 0) {
    schedule_.placed.assign(p_.requests.Count(), -1);
    to_place_.assign(p_.types.size(), 0);
    for (int pool : p_.pool_of_request) ++to_place_[pool];
    total_ = to_place_;
    fed_.assign(p_.types.size(), 0);
    for (int r = 0; r < p_.requests.Count(); ++r) {
      if (p_.has_predecessor[r]) continue;
      const Learner& learner = in_.learners[p_.requests.learner[r]];
      Release(r, When(learner.earliest, 0), kNoDeadline);
    }
  }

  // Plans the slots from `from` on (the run must have planned those before
  // it), each as `choice` says, recording in `chosen` what ran. With
  // `snapshots`, keeps a copy of the run before every `stride`-th half-day
  // once no more than `tail` requests are left to place.
  struct Snapshot;
  Schedule Plan(const std::vector<int>& choice, std::vector<int>* chosen,
                std::size_t from = 0,
                std::vector<Snapshot>* snapshots = nullptr, int stride = 1,
                std::size_t tail = 0);

 private:
  std::size_t WaitingCount() const {
    std::size_t n = 0;
    for (const auto& pool : pools_) n += pool.size();
    return n;
  }

  struct Scan {
    std::int64_t score = 0;
    std::int64_t unlocks = 0;  // the weight of courses that wait on these
    int slack = 0;             // sessions left in the mix for its audience
    int people = 0;
  };

  void Release(int request, std::int64_t when, DayNumber deadline) {
    pending_.push({when, request, deadline});
  }

  void StartTimePoint(DayNumber day, int part) {
    day_ = day;
    while (!pending_.empty() && pending_.top().when <= When(day, part)) {
      const Pending next = pending_.top();
      pending_.pop();
      const Learner& learner = in_.learners[p_.requests.learner[next.request]];
      pools_[p_.pool_of_request[next.request]].insert(
          {learner.priority,
           -static_cast<int>(p_.dependents[next.request].size()), next.deadline,
           learner.earliest, next.request});
    }
    std::fill(trainer_busy_.begin(), trainer_busy_.end(), false);
    const int period = in_.mix.empty() ? 0 : PeriodOf(in_, day);
    if (period != period_) {
      period_ = period;
      std::fill(mix_used_.begin(), mix_used_.end(), 0);
    }
    const int month = MonthOf(day);
    for (std::size_t t = 0; t < in_.trainers.size(); ++t) {
      if (trainer_month_[t] != month) {
        trainer_month_[t] = month;
        trainer_used_[t] = 0;
      }
    }
  }

  // Whether the mix lets a session of `type` run in this period.
  bool MixAllows(int type) const {
    if (in_.mix.empty()) return true;
    const int audience = p_.types[type].audience;
    return mix_used_[audience] < in_.mix[audience];
  }

  bool TrainerFree(int t) const {
    const PlanTrainer& trainer = in_.trainers[t];
    if (trainer_busy_[t]) return false;
    if (trainer_used_[t] >= SessionsAMonth(in_, trainer)) return false;
    return !std::binary_search(trainer.unavailable.begin(),
                               trainer.unavailable.end(), day_);
  }

  // The trainer for a session of `course` now, -1 when there are no
  // trainers, -2 when none can: the one who delivers fewest courses, then
  // the one with most days left this month.
  int PickTrainer(int course) const {
    if (in_.trainers.empty()) return -1;
    int best = -2;
    for (int t : p_.trainers_of_course[course]) {
      if (!TrainerFree(t)) continue;
      if (best < 0) {
        best = t;
        continue;
      }
      const auto key = [&](int x) {
        return std::make_pair(in_.trainers[x].courses.size(), trainer_used_[x]);
      };
      if (key(t) < key(best)) best = t;
    }
    return best;
  }

  // A waiting request as a session now orders it: by the cost of its
  // waiting when the run orders so; then its place in the queue, except
  // that of those with a course to follow, the ones whose follow-on session
  // comes soonest go first (with offered sessions, that is the next one
  // offered for them).
  struct Offer {
    Waiting waiting;
    std::int64_t next = 0;
    int pool = 0;
    bool taken = false;
    std::int64_t regret = 0;
    bool operator<(const Offer& o) const {
      if (regret != o.regret) return regret > o.regret;
      return std::tie(waiting.priority, waiting.followed, next,
                      waiting.deadline, waiting.earliest, waiting.request) <
             std::tie(o.waiting.priority, o.waiting.followed, o.next,
                      o.waiting.deadline, o.waiting.earliest,
                      o.waiting.request);
    }
  };

  // Gathers who waits for a session of `type`: with offered sessions all
  // of them, otherwise the first `limit` of each pool. Whether any pool had
  // more.
  bool Gather(int type, std::size_t limit) {
    offers_.clear();
    bool truncated = false;
    const bool all = !in_.candidates.empty();
    for (int pool : p_.sources[type]) {
      std::size_t n = 0;
      for (const Waiting& w : pools_[pool]) {
        if (!all && n++ == limit) {
          truncated = true;
          break;
        }
        offers_.push_back({w, all ? NextChance(w.request) : 0, pool});
        if (all && ordering_ == Ordering::kByCostOfWaiting) {
          offers_.back().regret = Regret(w.request, pool);
        }
      }
    }
    if (!all) GroupFollowOns();
    std::sort(offers_.begin(), offers_.end());
    return truncated;
  }

  // When the planner chooses what runs, those whose follow-on course would
  // share a session go together, the largest group first: a session of
  // Information Sharing for twelve people on one system fills one session
  // of ContactPoint a week later, not two half-empty ones. The follow-on
  // pools are fed in step, the one with the least of its people released so
  // far (in sixteenths) first: otherwise the small audiences' pools (admin
  // staff on one system) fill last, and their sessions, which the mix allows
  // only a couple a period, bunch at the end and make the forecast late.
  void GroupFollowOns() {
    group_size_.clear();
    for (const Offer& offer : offers_) {
      const auto& next = p_.dependents[offer.waiting.request];
      if (!next.empty()) ++group_size_[p_.pool_of_request[next.front()]];
    }
    for (Offer& offer : offers_) {
      const auto& next = p_.dependents[offer.waiting.request];
      if (next.empty()) continue;
      const int pool = p_.pool_of_request[next.front()];
      // Largest group first, then by pool so that a group stays together.
      const std::int64_t step =
          fed_[pool] * kFeedSteps / std::max(1, total_[pool]);
      offer.next =
          (step << 44) +
          (-static_cast<std::int64_t>(group_size_[pool] +
                                      static_cast<int>(pools_[pool].size()))
           << 20) +
          pool;
    }
  }

  // When the course that follows `request` could next run for them, if it
  // were placed on `day` (today when not given): the first offered slot far
  // enough on, or kNoChance.
  std::int64_t NextChance(int request) const {
    return NextChance(request, day_);
  }
  std::int64_t NextChance(int request, DayNumber day) const {
    std::int64_t best = kNoChance;
    for (int next : p_.dependents[request]) {
      const auto& times = p_.offered_times[p_.pool_of_request[next]];
      const PlanCourse& course = in_.courses[p_.requests.course[next]];
      const auto it = std::lower_bound(
          times.begin(), times.end(),
          std::max(When(day + course.min_gap_days, 0), When(day, 7) + 1));
      if (it != times.end()) best = std::min(best, *it);
    }
    return best;
  }

  // The delivery half-day of a slot's time (When), or the one after the
  // last for kNoChance.
  std::int64_t HalfDayOf(std::int64_t when) const {
    if (when == kNoChance) return p_.never;
    const auto it = std::lower_bound(p_.whens.begin(), p_.whens.end(), when);
    return p_.half_day[it - p_.whens.begin()];
  }

  // What it would cost in the objective for `request` to wait from now to
  // the next session offered for it: its own half-days, and those of the
  // courses that follow it, if waiting moves their first chance on.
  std::int64_t Regret(int request, int pool) const {
    const auto& times = p_.offered_times[pool];
    const auto it = std::upper_bound(times.begin(), times.end(), now_);
    const std::int64_t later = it == times.end() ? kNoChance : *it;
    std::int64_t regret =
        p_.weight[request] * (HalfDayOf(later) - HalfDayOf(now_));
    if (p_.dependents[request].empty()) return regret;
    const std::int64_t chance_now = HalfDayOf(NextChance(request));
    const std::int64_t chance_later =
        later == kNoChance ? p_.never
                           : HalfDayOf(NextChance(
                                 request, static_cast<DayNumber>(later >> 3)));
    for (int next : p_.dependents[request]) {
      regret += p_.weight[next] * (chance_later - chance_now);
    }
    return regret;
  }

  // Who a session of `type` in slot `s` would take, in order; with `take`,
  // takes them out of the pools into `taken_`.
  Scan Fill(int s, int type, bool take) {
    now_ = When(in_.slots[s].day, in_.slots[s].part);
    const int seats = in_.slots[s].seats;
    const int cap = OrganisationSeats(in_, seats);
    const std::size_t limit = (static_cast<std::size_t>(seats) * 4) + 8;
    const bool truncated = Gather(type, limit);
    Scan scan = Pick(seats, cap);
    if (scan.people < seats && truncated) {
      Gather(type, std::numeric_limits<std::size_t>::max());
      scan = Pick(seats, cap);
    }
    if (take) {
      for (const Offer& offer : offers_) {
        if (offer.waiting.deadline < day_ || offer.taken) {
          pools_[offer.pool].erase(offer.waiting);
          --to_place_[offer.pool];
        }
      }
    }
    return scan;
  }

  // Takes from `offers_` in order: none past their deadline, at most `cap`
  // from one organisation, none whose follow-on could not run in time.
  // Marks who is taken and lists them in `taken_`.
  Scan Pick(int seats, int cap) {
    Scan scan;
    touched_.clear();
    taken_.clear();
    for (Offer& offer : offers_) {
      if (scan.people >= seats) break;
      if (offer.waiting.deadline < day_) continue;
      const int request = offer.waiting.request;
      const int organisation =
          in_.learners[p_.requests.learner[request]].organisation;
      if (organisation_count_[organisation] >= cap || !CanFollow(request)) {
        continue;
      }
      if (organisation_count_[organisation]++ == 0) {
        touched_.push_back(organisation);
      }
      scan.score += p_.weight[request];
      scan.unlocks += p_.weight[request] *
                      static_cast<std::int64_t>(p_.dependents[request].size());
      ++scan.people;
      taken_.push_back(request);
      offer.taken = true;
    }
    for (int organisation : touched_) organisation_count_[organisation] = 0;
    return scan;
  }

  // [001] a workshop within two weeks of its module: whether each course
  // that must follow `request` within a gap could run in time if `request`
  // were placed today. If not, the request waits.
  bool CanFollow(int request) const {
    if (!p_.has_deadline_after[request]) return true;
    return std::ranges::all_of(p_.dependents[request], [&](int next) {
      const int course = p_.requests.course[next];
      const PlanCourse& rule = in_.courses[course];
      if (!rule.max_gap_days) return true;
      const auto& days = p_.open_days[course];
      const auto it = std::lower_bound(days.begin(), days.end(),
                                       day_ + std::max(1, rule.min_gap_days));
      return it != days.end() && *it <= day_ + *rule.max_gap_days;
    });
  }

  // The type that places most weight in slot `s` now, or kClosed.
  int Choose(int s) {
    int best = kClosed;
    Scan best_scan;
    Waiting best_front;
    // An audience's sessions in the mix go first to the courses that train
    // it apart, when enough wait to fill one: a course open to all then runs
    // under another audience's share.
    std::fill(apart_waiting_.begin(), apart_waiting_.end(), false);
    if (!in_.mix.empty()) {
      for (int t : p_.slot_types[s]) {
        const SessionType& type = p_.types[t];
        const auto waiting = static_cast<int>(pools_[t].size());
        // A pool whose every request left is waiting (no one will join it)
        // is as full as it will be: its last session goes now rather than
        // at the end, where the mix would leave it for periods.
        const bool complete = waiting > 0 && waiting == to_place_[t];
        if (in_.courses[type.course].audiences_apart &&
            (waiting >= in_.slots[s].seats || complete) &&
            PickTrainer(type.course) != -2) {
          apart_waiting_[type.audience] = true;
        }
      }
    }
    for (int t : p_.slot_types[s]) {
      const SessionType& type = p_.types[t];
      if (!MixAllows(t)) continue;
      if (!in_.courses[type.course].audiences_apart &&
          apart_waiting_[type.audience]) {
        continue;
      }
      bool any = false;
      for (int pool : p_.sources[t]) any = any || !pools_[pool].empty();
      if (!any || PickTrainer(type.course) == -2) continue;
      Scan scan = Fill(s, t, false);
      if (scan.people == 0) continue;
      const Waiting front = pools_[p_.sources[t].front()].empty()
                                ? Waiting{std::numeric_limits<int>::max()}
                                : *pools_[p_.sources[t].front()].begin();
      // Most weight placed now; of equals, the one that lets most follow;
      // then the one whose audience has most sessions left in the mix, so
      // that a course open to all leaves the scarce audiences' sessions to
      // the courses that keep them apart.
      scan.slack = in_.mix.empty()
                       ? 0
                       : in_.mix[type.audience] - mix_used_[type.audience];
      if (best == kClosed ||
          std::tie(scan.score, scan.unlocks, scan.slack) >
              std::tie(best_scan.score, best_scan.unlocks, best_scan.slack) ||
          (std::tie(scan.score, scan.unlocks, scan.slack) ==
               std::tie(best_scan.score, best_scan.unlocks, best_scan.slack) &&
           front < best_front)) {
        best = t;
        best_scan = scan;
        best_front = front;
      }
    }
    return best;
  }

  bool Open(int s, int type) {
    const SessionType& kind = p_.types[type];
    if (!MixAllows(type)) return false;
    const int trainer = PickTrainer(kind.course);
    if (trainer == -2) return false;
    if (Fill(s, type, true).people == 0) return false;
    if (!in_.mix.empty()) ++mix_used_[kind.audience];
    if (trainer >= 0) {
      trainer_busy_[trainer] = true;
      ++trainer_used_[trainer];
    }
    const int session = static_cast<int>(schedule_.sessions.size());
    schedule_.sessions.push_back({.slot = s,
                                  .course = kind.course,
                                  .audience = kind.audience,
                                  .system = kind.system,
                                  .trainer = trainer});
    const PlanSlot& slot = in_.slots[s];
    for (int r : taken_) {
      schedule_.placed[r] = session;
      for (int next : p_.dependents[r]) {
        ++fed_[p_.pool_of_request[next]];
        const PlanCourse& course = in_.courses[p_.requests.course[next]];
        const std::int64_t when =
            std::max(When(slot.day + course.min_gap_days, 0),
                     When(slot.day, slot.part) + 1);
        Release(next, when,
                course.max_gap_days ? slot.day + *course.max_gap_days
                                    : kNoDeadline);
      }
    }
    return true;
  }

  struct Pending {
    std::int64_t when = 0;
    int request = 0;
    DayNumber deadline = kNoDeadline;
    bool operator>(const Pending& other) const {
      return std::tie(when, request) > std::tie(other.when, other.request);
    }
  };

  const Prepared& p_;
  Ordering ordering_;
  const Instance& in_;
  Schedule schedule_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  std::vector<std::set<Waiting>> pools_;
  std::vector<int> organisation_count_;
  std::vector<int> touched_;
  std::vector<Offer> offers_;
  std::map<int, int> group_size_;
  std::vector<int> taken_;
  std::vector<int> trainer_month_;
  std::vector<int> trainer_used_;  // sessions this month
  std::vector<bool> trainer_busy_;
  std::vector<int> mix_used_;
  std::vector<bool> apart_waiting_ = std::vector<bool>(in_.audiences.size());
  std::vector<int> to_place_;      // per pool, requests not yet placed
  std::vector<int> total_;         // per pool, its requests
  std::vector<std::int64_t> fed_;  // per pool, requests released into it
  int period_ = std::numeric_limits<int>::min();
  DayNumber day_ = 0;
  std::int64_t now_ = 0;
};

// The state of a run before a slot, to try other choices from there on
// without planning the slots before it again.
struct Run::Snapshot {
  std::size_t slot = 0;
  Run run;
};

Schedule Run::Plan(const std::vector<int>& choice, std::vector<int>* chosen,
                   std::size_t from, std::vector<Snapshot>* snapshots,
                   int stride, std::size_t tail) {
  if (chosen != nullptr) {
    chosen->resize(in_.slots.size(), kClosed);
    std::fill(chosen->begin() + static_cast<long>(from), chosen->end(),
              kClosed);
  }
  std::size_t s = from;
  int step = 0;
  while (s < in_.slots.size()) {
    const DayNumber day = in_.slots[s].day;
    const int part = in_.slots[s].part;
    if (snapshots != nullptr && step++ % stride == 0 &&
        pending_.size() + WaitingCount() <= tail) {
      snapshots->push_back({s, *this});
    }
    StartTimePoint(day, part);
    for (; s < in_.slots.size() && in_.slots[s].day == day &&
           in_.slots[s].part == part;
         ++s) {
      const int slot = static_cast<int>(s);
      const int type = choice[s] == kGreedy ? Choose(slot) : choice[s];
      if (type >= 0 && Open(slot, type) && chosen != nullptr) {
        (*chosen)[s] = type;
      }
    }
  }
  return std::move(schedule_);
}

// The objective (Evaluate's), given each slot's half-day and a weight for
// each request.
template <typename WeightOf>
Objective Score(const std::vector<int>& time, WeightOf weight_of,
                const Schedule& schedule) {
  const std::int64_t never = (time.empty() ? 0 : time.back()) + 1;
  Objective objective;
  for (std::size_t r = 0; r < schedule.placed.size(); ++r) {
    const int session = schedule.placed[r];
    if (session < 0) ++objective.unplaced;
    objective.value +=
        static_cast<std::int64_t>(weight_of(r)) *
        (session < 0 ? never : time[schedule.sessions[session].slot]);
  }
  return objective;
}

std::int64_t Value(const Prepared& p, const Schedule& schedule) {
  return Score(
             p.time, [&](std::size_t r) { return p.weight[r]; }, schedule)
      .value;
}

}  // namespace

std::vector<int> TimeOfSlots(const Instance& instance) {
  std::vector<int> time(instance.slots.size());
  int now = 0;
  for (std::size_t s = 0; s < instance.slots.size(); ++s) {
    if (s == 0 || instance.slots[s].day != instance.slots[s - 1].day ||
        instance.slots[s].part != instance.slots[s - 1].part) {
      ++now;
    }
    time[s] = now;
  }
  return time;
}

Objective Evaluate(const Instance& instance, const RequestIndex& requests,
                   const Schedule& schedule) {
  return Score(
      TimeOfSlots(instance),
      [&](std::size_t r) {
        return Weight(instance, instance.learners[requests.learner[r]]);
      },
      schedule);
}

namespace {

// A plan and what chose it, improved slot by slot.
struct Improving {
  std::vector<int> chosen;
  Schedule schedule;
  std::int64_t value = 0;
  std::vector<Run::Snapshot> snapshots;
};

class Improver {
 public:
  Improver(const Prepared& prepared, Ordering ordering, std::int64_t budget)
      : p_(prepared),
        ordering_(ordering),
        slots_(prepared.instance->slots.size()),
        requests_(static_cast<std::size_t>(prepared.requests.Count())),
        // Snapshots of the run are kept for the last part of the plan, once
        // at most an eighth of the requests (or a thousand) are left to
        // place, so that trying a choice there costs only the slots after.
        stride_(std::max(
            1, prepared.time.empty() ? 1 : prepared.time.back() / 256)),
        tail_(std::max<std::size_t>(1'000, requests_ / 8)),
        budget_(budget) {}

  std::int64_t Budget() const { return budget_; }

  // Plans with `choice` (kGreedy where the planner chooses).
  Improving Plan(const std::vector<int>& choice) {
    Improving out;
    budget_ -= static_cast<std::int64_t>(slots_ + requests_);
    out.schedule =
        Run(p_, ordering_)
            .Plan(choice, &out.chosen, 0, &out.snapshots, stride_, tail_);
    out.value = Value(p_, out.schedule);
    return out;
  }

  // From the last slot back to the first snapshot, tries each other choice
  // in each slot, the planner choosing again after it, and keeps any that
  // lowers the objective, until none does. That is where the forecast date
  // is made; in a small plan it is every slot.
  void Improve(Improving& plan) {
    std::vector<int> choice(slots_, kGreedy);
    bool improved = true;
    while (improved && budget_ > 0) {
      improved = false;
      const std::size_t first =
          plan.snapshots.empty() ? 0 : plan.snapshots.front().slot;
      for (std::size_t s = slots_; s-- > first && budget_ > 0;) {
        const Run::Snapshot* from = nullptr;
        for (const Run::Snapshot& snapshot : plan.snapshots) {
          if (snapshot.slot <= s) from = &snapshot;
        }
        const std::size_t start = from == nullptr ? 0 : from->slot;
        const int current = plan.chosen[s];
        std::vector<int> alternatives = p_.slot_types[s];
        alternatives.push_back(kClosed);
        for (int alternative : alternatives) {
          if (alternative == current || budget_ <= 0) continue;
          // What a trial costs: the slots planned again, each weighing its
          // choices, and the copy of the snapshot.
          budget_ -= (static_cast<std::int64_t>(slots_ - start + 1) *
                      static_cast<std::int64_t>(1 + p_.types.size() / 2)) +
                     static_cast<std::int64_t>(requests_);
          std::copy(plan.chosen.begin(),
                    plan.chosen.begin() + static_cast<long>(s), choice.begin());
          choice[s] = alternative;
          std::fill(choice.begin() + static_cast<long>(s) + 1, choice.end(),
                    kGreedy);
          std::vector<int> tried = plan.chosen;
          Run run = from == nullptr ? Run(p_, ordering_) : from->run;
          Schedule schedule = run.Plan(choice, &tried, start);
          const std::int64_t value = Value(p_, schedule);
          if (value < plan.value) {
            plan = Plan(tried);
            improved = true;
            break;
          }
        }
      }
    }
  }

 private:
  const Prepared& p_;
  Ordering ordering_;
  std::size_t slots_;
  std::size_t requests_;
  int stride_;
  std::size_t tail_;
  std::int64_t budget_;
};

}  // namespace

Schedule Solve(const Instance& instance, const PlannerOptions& options) {
  const Prepared prepared = Prepare(instance);
  const std::size_t slots = instance.slots.size();
  std::optional<Improving> best;
  for (const Ordering ordering :
       {Ordering::kByPriority, Ordering::kByCostOfWaiting}) {
    if (ordering == Ordering::kByCostOfWaiting && instance.candidates.empty()) {
      break;
    }
    Improver improver(prepared, ordering, options.improvement_budget);
    Improving plan = improver.Plan(std::vector<int>(slots, kGreedy));
    improver.Improve(plan);
    ImproveAllocation(instance, plan.schedule, options.allocation_budget);
    plan.value = Value(prepared, plan.schedule);
    if (!best || plan.value < best->value) best = std::move(plan);
  }
  return std::move(best->schedule);
}

}  // namespace trellis::plan
