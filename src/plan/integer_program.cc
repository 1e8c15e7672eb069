#include "plan/integer_program.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace trellis::plan {
namespace {

// The places a request may go: (slot, type) pairs of its course, system
// (for a system-specific course) and audience (where the course keeps
// audiences apart), on or after the learner's first day.
struct Candidate {
  int slot = 0;
  int type = 0;
};

class ProgramWriter {
 public:
  explicit ProgramWriter(const Instance& instance)
      : in_(instance),
        requests_(IndexRequests(instance)),
        types_(SessionTypes(instance)),
        time_(TimeOfSlots(instance)) {
    allowed_.resize(in_.slots.size());
    for (std::size_t s = 0; s < in_.slots.size(); ++s) {
      for (std::size_t k = 0; k < types_.size(); ++k) {
        if (IsOffered(in_, static_cast<int>(s), types_[k])) {
          allowed_[s].push_back(static_cast<int>(k));
        }
      }
    }
    candidates_.resize(requests_.Count());
    for (int r = 0; r < requests_.Count(); ++r) {
      const Learner& learner = in_.learners[requests_.learner[r]];
      const PlanCourse& course = in_.courses[requests_.course[r]];
      for (std::size_t s = 0; s < in_.slots.size(); ++s) {
        if (in_.slots[s].day < learner.earliest) continue;
        for (int k : allowed_[s]) {
          const SessionType& type = types_[k];
          if (type.course != requests_.course[r]) continue;
          if (course.system_specific && type.system != learner.system) continue;
          if (course.audiences_apart && type.audience != learner.audience) {
            continue;
          }
          candidates_[r].push_back({static_cast<int>(s), k});
        }
      }
    }
  }

  std::string Write() {
    out_ << "\\ Trellis roll-out instance: " << in_.learners.size()
         << " learners, " << requests_.Count() << " requests, "
         << in_.slots.size() << " slots, " << types_.size()
         << " session types\nMinimize\n obj:";
    const std::int64_t never = (time_.empty() ? 0 : time_.back()) + 1;
    for (int r = 0; r < requests_.Count(); ++r) {
      const int weight = Weight(in_, in_.learners[requests_.learner[r]]);
      for (const Candidate& c : candidates_[r]) {
        Term(static_cast<std::int64_t>(weight) * time_[c.slot], X(r, c));
      }
      Term(weight * never, "u" + std::to_string(r));
    }
    out_ << "\nSubject To\n";
    Slots();
    Trainers();
    Mix();
    People();
    Order();
    out_ << "Binaries\n";
    for (const std::string& name : binaries_) out_ << " " << name << "\n";
    out_ << "End\n";
    return out_.str();
  }

 private:
  static std::string Y(int slot, int type) {
    return "y" + std::to_string(slot) + "_" + std::to_string(type);
  }
  static std::string V(int slot, int trainer) {
    return "v" + std::to_string(slot) + "_" + std::to_string(trainer);
  }
  static std::string X(int request, const Candidate& c) {
    return "x" + std::to_string(request) + "_" + std::to_string(c.slot) + "_" +
           std::to_string(c.type);
  }

  void Term(std::int64_t coefficient, const std::string& name) {
    if (++on_line_ % 8 == 0) out_ << "\n ";
    out_ << (coefficient < 0 ? " - " : " + ")
         << (coefficient < 0 ? -coefficient : coefficient) << " " << name;
    if (seen_.insert(name).second) binaries_.push_back(name);
  }

  void Row(std::int64_t bound, const char* sense = "<=") {
    out_ << " " << sense << " " << bound << "\n";
    on_line_ = 0;
  }

  void Name() { out_ << " c" << ++rows_ << ":"; }

  bool TrainerFree(int t, DayNumber day) const {
    const auto& off = in_.trainers[t].unavailable;
    return !std::binary_search(off.begin(), off.end(), day);
  }

  void Slots() {
    if (types_.empty()) return;
    for (std::size_t s = 0; s < in_.slots.size(); ++s) {
      if (allowed_[s].size() < 2) continue;
      Name();
      for (int k : allowed_[s]) Term(1, Y(static_cast<int>(s), k));
      Row(1);
    }
  }

  // A session needs a trainer who delivers its course and is free that
  // day: one trainer a slot, in one slot a half-day, within their days a
  // month.
  void Trainers() {
    if (in_.trainers.empty()) return;
    for (std::size_t s = 0; s < in_.slots.size(); ++s) {
      const int slot = static_cast<int>(s);
      std::vector<std::string> free;
      for (std::size_t t = 0; t < in_.trainers.size(); ++t) {
        if (TrainerFree(static_cast<int>(t), in_.slots[s].day)) {
          free.push_back(V(slot, static_cast<int>(t)));
        }
      }
      if (free.size() > 1) {
        Name();
        for (const std::string& name : free) Term(1, name);
        Row(1);
      }
      for (std::size_t c = 0; c < in_.courses.size(); ++c) {
        std::vector<int> sessions;
        for (int k : allowed_[s]) {
          if (types_[k].course == static_cast<int>(c)) sessions.push_back(k);
        }
        if (sessions.empty()) continue;
        Name();
        for (int k : sessions) Term(1, Y(slot, k));
        for (std::size_t t = 0; t < in_.trainers.size(); ++t) {
          const auto& courses = in_.trainers[t].courses;
          if (TrainerFree(static_cast<int>(t), in_.slots[s].day) &&
              std::find(courses.begin(), courses.end(), static_cast<int>(c)) !=
                  courses.end()) {
            Term(-1, V(slot, static_cast<int>(t)));
          }
        }
        Row(0);
      }
    }
    std::map<std::pair<std::int64_t, int>, std::vector<int>> at;
    std::map<std::pair<int, int>, std::vector<int>> month;
    for (std::size_t s = 0; s < in_.slots.size(); ++s) {
      for (std::size_t t = 0; t < in_.trainers.size(); ++t) {
        if (!TrainerFree(static_cast<int>(t), in_.slots[s].day)) continue;
        at[{time_[s], static_cast<int>(t)}].push_back(static_cast<int>(s));
        month[{MonthOf(in_.slots[s].day), static_cast<int>(t)}].push_back(
            static_cast<int>(s));
      }
    }
    for (const auto& [key, slots] : at) {
      if (slots.size() < 2) continue;
      Name();
      for (int s : slots) Term(1, V(s, key.second));
      Row(1);
    }
    for (const auto& [key, slots] : month) {
      const int most = SessionsAMonth(in_, in_.trainers[key.second]);
      if (static_cast<int>(slots.size()) <= most) continue;
      Name();
      for (int s : slots) Term(1, V(s, key.second));
      Row(most);
    }
  }

  void Mix() {
    if (in_.mix.empty()) return;
    std::map<int, std::vector<int>> periods;
    for (std::size_t s = 0; s < in_.slots.size(); ++s) {
      periods[PeriodOf(in_, in_.slots[s].day)].push_back(static_cast<int>(s));
    }
    for (const auto& [period, slots] : periods) {
      for (std::size_t a = 0; a < in_.mix.size(); ++a) {
        std::vector<std::string> sessions;
        for (int s : slots) {
          for (int k : allowed_[s]) {
            if (types_[k].audience == static_cast<int>(a)) {
              sessions.push_back(Y(s, k));
            }
          }
        }
        if (static_cast<int>(sessions.size()) <= in_.mix[a]) continue;
        Name();
        for (const std::string& name : sessions) Term(1, name);
        Row(in_.mix[a]);
      }
    }
  }

  // Each request placed once or left unplaced; a session's seats, and an
  // organisation's share of them.
  void People() {
    std::map<std::pair<int, int>, std::vector<std::string>> in_session;
    std::map<std::tuple<int, int, int>, std::vector<std::string>> from;
    for (int r = 0; r < requests_.Count(); ++r) {
      Name();
      for (const Candidate& c : candidates_[r]) {
        Term(1, X(r, c));
        in_session[{c.slot, c.type}].push_back(X(r, c));
        from[{c.slot, c.type, in_.learners[requests_.learner[r]].organisation}]
            .push_back(X(r, c));
      }
      Term(1, "u" + std::to_string(r));
      Row(1, "=");
    }
    for (const auto& [key, names] : in_session) {
      Name();
      for (const std::string& name : names) Term(1, name);
      Term(-in_.slots[key.first].seats, Y(key.first, key.second));
      Row(0);
      // Implied by the seats, but it tightens the relaxation a great deal:
      // nobody is placed in a session that does not run.
      for (const std::string& name : names) {
        Name();
        Term(1, name);
        Term(-1, Y(key.first, key.second));
        Row(0);
      }
    }
    for (const auto& [key, names] : from) {
      const int cap = OrganisationSeats(in_, in_.slots[std::get<0>(key)].seats);
      if (static_cast<int>(names.size()) <= cap) continue;
      Name();
      for (const std::string& name : names) Term(1, name);
      Term(-cap, Y(std::get<0>(key), std::get<1>(key)));
      Row(0);
    }
  }

  // [000] Information Sharing before ContactPoint: a learner placed on a
  // course that comes after another is placed on that one in a slot far
  // enough before (and, with a most gap, near enough).
  void Order() {
    for (int r = 0; r < requests_.Count(); ++r) {
      const int after = in_.courses[requests_.course[r]].after;
      if (after < 0) continue;
      const PlanCourse& course = in_.courses[requests_.course[r]];
      const int first = requests_.first[requests_.learner[r]];
      const int end =
          first +
          static_cast<int>(in_.learners[requests_.learner[r]].courses.size());
      for (int q = first; q < end; ++q) {
        if (requests_.course[q] != after) continue;
        for (const Candidate& c : candidates_[r]) {
          const PlanSlot& later = in_.slots[c.slot];
          Name();
          Term(1, X(r, c));
          for (const Candidate& p : candidates_[q]) {
            const PlanSlot& earlier = in_.slots[p.slot];
            const int gap = later.day - earlier.day;
            const bool before = std::tie(earlier.day, earlier.part) <
                                std::tie(later.day, later.part);
            if (before && gap >= course.min_gap_days &&
                (!course.max_gap_days || gap <= *course.max_gap_days)) {
              Term(-1, X(q, p));
            }
          }
          Row(0);
        }
      }
    }
  }

  const Instance& in_;
  RequestIndex requests_;
  std::vector<SessionType> types_;
  std::vector<int> time_;
  std::vector<std::vector<int>> allowed_;  // per slot, the types offered
  std::vector<std::vector<Candidate>> candidates_;
  std::ostringstream out_;
  std::vector<std::string> binaries_;
  std::set<std::string> seen_;
  int on_line_ = 0;
  int rows_ = 0;
};

bool ReadInt(std::string_view text, int& value) {
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string WriteIntegerProgram(const Instance& instance) {
  return ProgramWriter(instance).Write();
}

std::expected<SolvedProgram, std::string> ReadCbcSolution(
    const Instance& instance, std::string_view text) {
  const RequestIndex requests = IndexRequests(instance);
  const std::vector<SessionType> types = SessionTypes(instance);
  SolvedProgram solved;
  solved.schedule.placed.assign(requests.Count(), -1);
  std::map<int, int> session_of_slot;
  std::map<int, int> trainer_of_slot;
  std::vector<std::tuple<int, int, int>> placements;  // request, slot, type
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      // "Optimal - objective value 1234.00000000"
      solved.optimal = line.starts_with("Optimal");
      const auto at = line.find("objective value");
      if (at == std::string::npos) {
        return std::unexpected("line 1: no objective value in \"" + line +
                               "\"");
      }
      std::istringstream value(line.substr(at + 15));
      if (!(value >> solved.objective)) {
        return std::unexpected("line 1: the objective value is not a number");
      }
      continue;
    }
    std::istringstream row(line);
    std::string index;
    std::string name;
    double value = 0;
    if (!(row >> index >> name >> value)) {
      return std::unexpected("line " + std::to_string(number) +
                             R"(: not "index name value": ")" + line + "\"");
    }
    if (value < 0.5 || name.empty()) continue;
    std::vector<int> numbers;
    for (std::size_t from = 1; from <= name.size();) {
      const std::size_t to = std::min(name.find('_', from), name.size());
      int n = 0;
      if (!ReadInt(std::string_view(name).substr(from, to - from), n)) {
        return std::unexpected("line " + std::to_string(number) +
                               ": a variable Trellis did not write: " + name);
      }
      numbers.push_back(n);
      from = to + 1;
    }
    if (name[0] == 'x' && numbers.size() == 3) {
      placements.emplace_back(numbers[0], numbers[1], numbers[2]);
    } else if (name[0] == 'y' && numbers.size() == 2) {
      session_of_slot[numbers[0]] = numbers[1];
    } else if (name[0] == 'v' && numbers.size() == 2) {
      trainer_of_slot[numbers[0]] = numbers[1];
    }
  }
  std::map<int, int> index_of_slot;
  for (const auto& [slot, type] : session_of_slot) {
    if (slot >= static_cast<int>(instance.slots.size()) ||
        type >= static_cast<int>(types.size())) {
      return std::unexpected("a session in a slot or of a type not written");
    }
    index_of_slot[slot] = static_cast<int>(solved.schedule.sessions.size());
    PlannedSession session;
    session.slot = slot;
    session.course = types[type].course;
    session.audience = types[type].audience;
    session.system = types[type].system;
    session.trainer =
        trainer_of_slot.contains(slot) ? trainer_of_slot[slot] : -1;
    solved.schedule.sessions.push_back(session);
  }
  for (const auto& [request, slot, type] : placements) {
    if (request >= requests.Count() || !index_of_slot.contains(slot)) {
      return std::unexpected("a placement in a slot with no session");
    }
    solved.schedule.placed[request] = index_of_slot[slot];
  }
  return solved;
}

}  // namespace trellis::plan
