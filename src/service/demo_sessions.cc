#include "service/demo_sessions.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/needs.h"

namespace trellis::service {
namespace {

// Whether a course is taught in a room (rather than wholly online or by self
// study): a module with no delivery stated is taken to be.
bool Taught(const Framework& framework, const Course& course) {
  for (const auto& ref : course.modules) {
    const Module* module = framework.FindModule(ref.id);
    if (module == nullptr) continue;
    if (module->delivery.empty()) return true;
    for (const Delivery d : module->delivery) {
      if (d == Delivery::kClassroom || d == Delivery::kWorkshop ||
          d == Delivery::kPresentation || d == Delivery::kBlended ||
          d == Delivery::kCbt) {
        return true;
      }
    }
  }
  return false;
}

bool SystemSpecific(const Framework& framework, const Course& course) {
  return std::ranges::any_of(course.modules, [&](const Ref& ref) {
    const Module* module = framework.FindModule(ref.id);
    return module != nullptr && module->system_specific;
  });
}

// The course's length in minutes, a working day counted as 6½ hours; a
// course whose length is not stated is taken as half a day.
double Minutes(const Framework& framework, const Course& course) {
  double minutes = 0;
  for (const auto& ref : course.modules) {
    const Module* module = framework.FindModule(ref.id);
    if (module == nullptr || !module->duration) continue;
    const double low = module->duration->low;
    minutes += module->duration->unit == DurationUnit::kDays ? low * 390 : low;
  }
  return minutes > 0 ? minutes : 150;
}

// Uniform in [0, n) from the generator, the same on every platform.
std::size_t Draw(std::mt19937_64& random, std::size_t n) {
  return static_cast<std::size_t>(random() % n);
}

template <typename T>
void Shuffle(std::vector<T>& items, std::mt19937_64& random) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[Draw(random, i)]);
  }
}

constexpr int kMorning = (9 * 60) + 30;
constexpr int kAfternoon = (13 * 60) + 30;
constexpr int kHalfDay = 150;  // 2½ hours [000: half-day sessions]

}  // namespace

std::expected<DemoSessionCounts, Error> AddDemoSessions(
    AreaService& service, Store& store, const Caller& caller,
    const Workforce& area, const DemoSessionOptions& options) {
  const Framework& framework = service.framework();
  DemoSessionCounts counts;
  std::mt19937_64 random(options.seed ^ 0x5e55'10'0eULL);

  // [000]: free venues (Springfield ICT) for ContactPoint training, an IT
  // suite of 12 PCs; the partnership's own training rooms for the rest.
  Venue ict{.id = "springfield-ict",
            .name = "Springfield ICT",
            .address = "Springfield Road",
            .notes = "Free venue for system training, Mondays and Fridays",
            .rooms = {}};
  Room suite{.id = "springfield-ict-suite",
             .venue = ict.id,
             .name = "IT suite",
             .seats = 12,
             .it_suite = true,
             .accessibility = "Step-free access; adjustable desks"};
  Venue centre{.id = "partnership-centre",
               .name = "Partnership Training Centre",
               .address = "Civic Quarter",
               .notes = "Tea and coffee provided; lunch not provided",
               .rooms = {}};
  Room room1{.id = "partnership-centre-1",
             .venue = centre.id,
             .name = "Training room 1",
             .seats = 20,
             .accessibility = "Step-free access; hearing loop"};
  Room room2{.id = "partnership-centre-2",
             .venue = centre.id,
             .name = "Training room 2",
             .seats = 16,
             .accessibility = "Step-free access"};
  for (const Venue* venue : {&ict, &centre}) {
    if (auto added = store.AddVenue(*venue, caller.actor()); !added) {
      return std::unexpected(added.error());
    }
    ++counts.venues;
  }
  for (const Room* room : {&suite, &room1, &room2}) {
    if (auto added = store.AddRoom(*room, caller.actor()); !added) {
      return std::unexpected(added.error());
    }
    ++counts.rooms;
  }

  // Who trains: the framework's trainers' audience, else the first people.
  std::vector<std::string> trainers;
  for (const auto& person : area.people) {
    if (std::ranges::any_of(person.audiences, [](const std::string& a) {
          return a.find("trainer") != std::string::npos;
        })) {
      trainers.push_back(person.id);
    }
  }
  for (std::size_t i = 0; trainers.size() < 6 && i < area.people.size(); ++i) {
    if (std::ranges::find(trainers, area.people[i].id) == trainers.end()) {
      trainers.push_back(area.people[i].id);
    }
  }
  if (trainers.size() > 12) trainers.resize(12);
  if (trainers.empty()) return counts;  // an area with no people

  std::vector<const Course*> at_pcs;
  std::vector<const Course*> in_rooms;
  for (const auto& course : framework.courses) {
    if (!Taught(framework, course)) continue;
    (SystemSpecific(framework, course) ? at_pcs : in_rooms).push_back(&course);
  }

  // Who could come: each person with what they still need, as a candidate.
  std::map<std::string, const Organisation*> orgs;
  for (const auto& org : area.organisations) orgs[org.id] = &org;
  std::map<std::string, std::vector<TrainingRecord>> records;
  for (const auto& r : area.records) records[r.person].push_back(r);
  std::vector<Candidate> candidates;
  std::vector<std::set<std::string>> wanted;  // module refs still to do
  candidates.reserve(area.people.size());
  for (const auto& person : area.people) {
    Candidate c;
    c.person = person;
    if (auto it = orgs.find(person.organisation); it != orgs.end()) {
      c.organisation = *it->second;
    }
    if (auto it = records.find(person.id); it != records.end()) {
      c.records = it->second;
    }
    NeedsOptions needs_options;
    needs_options.on = options.today;
    std::set<std::string> modules;
    for (const auto& need :
         ComputeNeeds(framework, ContextOf(c), needs_options)) {
      if (need.status == NeedStatus::kOutstanding ||
          need.status == NeedStatus::kExpired ||
          need.status == NeedStatus::kDueSoon) {
        modules.insert(need.module->ref);
      }
    }
    candidates.push_back(std::move(c));
    wanted.push_back(std::move(modules));
  }

  // How many could come to each course (on each system, for a course trained
  // per system): the calendar runs what is most wanted.
  struct Offer {
    const Course* course;
    std::string system;
    int demand = 0;
    int given = 0;  // sessions scheduled
  };
  auto offers_of = [&](const std::vector<const Course*>& courses) {
    std::vector<Offer> offers;
    for (const Course* course : courses) {
      const bool per_system = SystemSpecific(framework, *course);
      std::map<std::string, int> by_system;
      CourseSession probe;
      probe.course = course->id;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const bool needs_it = std::ranges::any_of(
            course->modules,
            [&](const Ref& ref) { return wanted[i].contains(ref.id); });
        if (!needs_it) continue;
        const Candidate& c = candidates[i];
        probe.case_management_system =
            per_system && c.organisation
                ? c.organisation->case_management_system
                : "";
        if (per_system && probe.case_management_system.empty()) continue;
        if (!service.Ineligibility(c, probe, options.today).empty()) continue;
        ++by_system[probe.case_management_system];
      }
      for (const auto& [system, n] : by_system) {
        offers.push_back(
            {.course = course, .system = system, .demand = n, .given = 0});
      }
    }
    return offers;
  };
  std::vector<Offer> pcs_offers = offers_of(at_pcs);
  std::vector<Offer> room_offers = offers_of(in_rooms);
  // The next session to run from `offers` (those `fits` allows): every
  // offer wanted by a few gets one session, most wanted first; then sessions
  // go by the demand still unmet per session given. None when all are met.
  auto next =
      [](std::vector<Offer>& offers, int seats,
         const std::function<bool(const Offer&)>& fits) -> const Offer* {
    Offer* best = nullptr;
    auto score = [](const Offer& o) {
      return o.given == 0 && o.demand >= 3
                 ? 1e9 + o.demand
                 : static_cast<double>(o.demand) / (o.given + 1);
    };
    for (auto& o : offers) {
      if (o.demand <= 0 || !fits(o)) continue;
      if (best == nullptr || score(o) > score(*best)) best = &o;
    }
    if (best == nullptr) return nullptr;
    best->demand -= seats;
    ++best->given;
    return best;
  };
  auto any = [](const Offer&) { return true; };
  auto half_day = [&](const Offer& o) {
    return Minutes(framework, *o.course) <= 240;
  };

  // The calendar: the IT suite on Mondays and Fridays, a morning and an
  // afternoon each [000: 4 half-day sessions per week]; the training rooms
  // Tuesday to Thursday.
  std::vector<CourseSession> sessions;
  const std::chrono::sys_days today(options.today);
  const std::chrono::weekday weekday(today);
  // From the Monday `weeks_back` weeks before this week's.
  const auto monday = today - std::chrono::days(weekday.iso_encoding() - 1) -
                      std::chrono::days(7 * options.weeks_back);
  const LocalTime now = service.LocalNow();
  std::size_t trainer_turn = 0;
  auto schedule = [&](const Offer& offer, const Room& room, Date day, int start,
                      bool whole_day) {
    CourseSession session;
    session.course = offer.course->id;
    session.status = SessionStatus::kOpen;
    session.room = room.id;
    session.seats = room.seats;
    const int minutes = whole_day ? 390 : kHalfDay;
    session.parts.push_back(
        {LocalTime{day, start}, LocalTime{day, start + minutes}});
    session.trainers.push_back(trainers[trainer_turn++ % trainers.size()]);
    session.case_management_system = offer.system;
    // Some courses ask each person's manager first.
    session.approval_required = (sessions.size() % 4) == 3;
    // The first system session of a week holds places for the first priority
    // group until a week before [000 §2].
    if (room.it_suite && start == kMorning &&
        !framework.priority_groups.empty() &&
        std::chrono::weekday(std::chrono::sys_days(day)) ==
            std::chrono::Monday) {
      session.reserved_seats = 4;
      session.reserved_for = framework.priority_groups.front().id;
      session.reserved_until =
          Date{std::chrono::sys_days(day) - std::chrono::days(7)};
    }
    sessions.push_back(std::move(session));
  };
  for (int week = 0; week < options.weeks_back + 1 + options.weeks; ++week) {
    for (int d = 0; d < 5; ++d) {
      const Date day{monday + std::chrono::days((7 * week) + d)};
      // No sessions over Christmas and New Year.
      if ((day.month() == std::chrono::December &&
           day.day() >= std::chrono::day{24}) ||
          (day.month() == std::chrono::January &&
           day.day() == std::chrono::day{1})) {
        continue;
      }
      const bool pcs_day = d == 0 || d == 4;
      if (pcs_day) {
        for (const int start : {kMorning, kAfternoon}) {
          if (const Offer* offer = next(pcs_offers, suite.seats, any)) {
            schedule(*offer, suite, day, start, false);
          }
        }
        continue;
      }
      for (const Room* room : {&room1, &room2}) {
        const Offer* offer = next(room_offers, room->seats, any);
        if (offer == nullptr) continue;
        if (!half_day(*offer)) {
          schedule(*offer, *room, day, kMorning, true);
          continue;
        }
        schedule(*offer, *room, day, kMorning, false);
        if (const Offer* after = next(room_offers, room->seats, half_day)) {
          schedule(*after, *room, day, kAfternoon, false);
        }
      }
    }
  }

  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;

  // The registers of sessions already run are marked and closed, but for
  // the last day's, which the trainers have still to do.
  std::optional<Date> last_day;
  for (const auto& s : sessions) {
    if (s.parts.back().ends < now) last_day = s.parts.front().starts.date;
  }
  std::set<std::pair<std::string, std::string>> booked;  // person, course
  for (auto& planned : sessions) {
    const bool run = planned.parts.back().ends < now;
    // Places were asked for and approved before a session that has run.
    if (run) planned.approval_required = false;
    auto added = service.AddSession(store, caller, planned);
    if (!added) return std::unexpected(added.error());
    ++counts.sessions;
    const Course* course = framework.FindCourse(added->course);
    // Most sessions part full; one in five to come over full, with a
    // waiting list.
    const int want = !run && (counts.sessions % 5) == 0
                         ? added->seats + 3
                         : static_cast<int>(added->seats * options.fill);
    Shuffle(order, random);
    int made = 0;
    int tried = 0;
    for (const std::size_t i : order) {
      if (made >= want || tried >= 400) break;
      const Candidate& c = candidates[i];
      if (std::ranges::find(added->trainers, c.person.id) !=
          added->trainers.end()) {
        continue;
      }
      if (booked.contains({c.person.id, course->id})) continue;
      const bool needs_it = std::ranges::any_of(
          course->modules,
          [&](const Ref& ref) { return wanted[i].contains(ref.id); });
      if (!needs_it) continue;
      ++tried;
      if (!service.Ineligibility(c, *added, options.today).empty()) continue;
      // Booked by the person themselves, so a session that asks for approval
      // leaves the request with their manager; a session already run was
      // booked before it began, and only a coordinator books one now.
      Caller person{.user = caller.user, .via = caller.via};
      person.user.name = c.person.name;
      person.user.role = UserRole::kLearner;
      person.user.person = c.person.id;
      auto booking =
          service.Book(store, run ? caller : person, added->id, c.person.id);
      if (!booking) return std::unexpected(booking.error());
      booked.insert({c.person.id, course->id});
      ++made;
      ++counts.bookings;
    }
    if (!run || added->parts.front().starts.date == *last_day) continue;
    // Most came; some did not; of a course in parts, some missed one.
    auto reg = service.ReadRegister(store, caller, added->id);
    if (!reg) return std::unexpected(reg.error());
    for (const auto& entry : reg->entries) {
      RegisterMark mark;
      mark.person = entry.person;
      const std::size_t roll = Draw(random, 100);
      mark.present.assign(added->parts.size(), roll >= 10);
      if (roll >= 10 && roll < 15 && mark.present.size() > 1) {
        mark.present.back() = false;
      }
      auto marked = service.MarkRegister(store, caller, added->id, mark);
      if (!marked) return std::unexpected(marked.error());
    }
    auto closed = service.CloseRegister(store, caller, added->id);
    if (!closed) return std::unexpected(closed.error());
    ++counts.registers_closed;
    counts.records += static_cast<int>(closed->records.size());
  }
  return counts;
}

}  // namespace trellis::service
