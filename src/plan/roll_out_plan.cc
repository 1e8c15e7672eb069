#include "plan/roll_out_plan.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "domain/text.h"

namespace trellis::plan {
namespace {

using std::chrono::weekday;

// Reads one file, keeping every finding.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  SourcePos Pos(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return SourcePos{file_, mark.line + 1, mark.column + 1};
  }
  void Error(const YAML::Node& node, const std::string& message) {
    findings_.push_back({Severity::kError, Pos(node), message});
  }
  void Error(const SourcePos& pos, const std::string& message) {
    findings_.push_back({Severity::kError, pos, message});
  }

  // Keys of `map` not in `known` are errors naming the closest known one.
  void OnlyKeys(const YAML::Node& map, const std::string& where,
                const std::vector<std::string>& known) {
    for (const auto& item : map) {
      const auto key = item.first.Scalar();
      if (std::ranges::find(known, key) != known.end()) continue;
      const auto near = SuggestClosest(key, known);
      Error(item.first, where + "'" + key + "' is not a plan key" +
                            (near ? "; did you mean '" + *near + "'?" : ""));
    }
  }

  std::optional<std::string> Text(const YAML::Node& map, const std::string& key,
                                  bool required, const std::string& where) {
    const YAML::Node node = map[key];
    if (!node) {
      if (required) Error(map, where + key + ": is required");
      return std::nullopt;
    }
    if (!node.IsScalar()) {
      Error(node, where + key + ": must be text");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<double> Number(const YAML::Node& map, const std::string& key,
                               bool required, const std::string& where,
                               double low, double high) {
    auto text = Text(map, key, required, where);
    if (!text) return std::nullopt;
    double value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc{} || ptr != end || value < low || value > high) {
      Error(map[key], where + key + ": '" + *text + "' must be a number from " +
                          FormatNumber(low) + " to " + FormatNumber(high));
      return std::nullopt;
    }
    return value;
  }

  std::optional<int> Whole(const YAML::Node& map, const std::string& key,
                           bool required, const std::string& where, int low,
                           int high) {
    auto text = Text(map, key, required, where);
    if (!text) return std::nullopt;
    int value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc{} || ptr != end || value < low || value > high) {
      Error(map[key], where + key + ": '" + *text +
                          "' must be a whole number from " +
                          std::to_string(low) + " to " + std::to_string(high));
      return std::nullopt;
    }
    return value;
  }

  std::optional<Date> DateAt(const YAML::Node& map, const std::string& key,
                             const std::string& where) {
    auto text = Text(map, key, true, where);
    if (!text) return std::nullopt;
    auto date = ParseIsoDate(*text);
    if (!date) {
      Error(map[key], where + key + ": '" + *text + "': " + date.error());
      return std::nullopt;
    }
    return *date;
  }

  // A span's from and to; an error when it ends before it starts.
  std::optional<DateSpan> Span(const YAML::Node& node,
                               const std::string& where) {
    if (!node.IsMap()) {
      Error(node, where + "must be a map with from and to");
      return std::nullopt;
    }
    OnlyKeys(node, where, {"from", "to", "why"});
    auto from = DateAt(node, "from", where);
    auto to = DateAt(node, "to", where);
    auto why = Text(node, "why", false, where);
    if (!from || !to) return std::nullopt;
    if (*to < *from) {
      Error(node["to"], where + "ends " + FormatIsoDate(*to) +
                            " before it starts " + FormatIsoDate(*from));
    }
    return DateSpan{*from, *to, why.value_or(""), Pos(node)};
  }

  std::vector<Finding> Take() { return std::move(findings_); }

 private:
  static std::string FormatNumber(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
  }

  std::string file_;
  std::vector<Finding> findings_;
};

std::optional<weekday> ParseWeekday(std::string_view name) {
  static const std::array<std::pair<std::string_view, weekday>, 7> kDays = {{
      {"monday", std::chrono::Monday},
      {"tuesday", std::chrono::Tuesday},
      {"wednesday", std::chrono::Wednesday},
      {"thursday", std::chrono::Thursday},
      {"friday", std::chrono::Friday},
      {"saturday", std::chrono::Saturday},
      {"sunday", std::chrono::Sunday},
  }};
  const std::string lower = ToLower(name);
  for (const auto& [text, day] : kDays) {
    if (text == lower) return day;
  }
  return std::nullopt;
}

// A list of weekdays, each once: "where" names it in errors.
std::vector<weekday> ReadDays(Reader& in, const YAML::Node& days,
                              const std::string& where) {
  std::vector<weekday> out;
  if (!days.IsSequence() || days.size() == 0) {
    in.Error(days, where +
                       ": must list the days of the week training runs, "
                       "like [monday, friday]");
    return out;
  }
  for (const auto& day : days) {
    auto parsed = day.IsScalar() ? ParseWeekday(day.Scalar()) : std::nullopt;
    if (!parsed) {
      in.Error(day, where + ": '" +
                        (day.IsScalar() ? day.Scalar() : std::string("?")) +
                        "' is not a day of the week");
    } else if (std::ranges::find(out, *parsed) != out.end()) {
      in.Error(day, where + ": '" + day.Scalar() + "' is given twice");
    } else {
      out.push_back(*parsed);
    }
  }
  return out;
}

std::vector<std::string> ReadNames(Reader& in, const YAML::Node& node,
                                   const std::string& where) {
  std::vector<std::string> out;
  if (!node.IsSequence()) {
    in.Error(node, where + ": must be a list");
    return out;
  }
  for (const auto& item : node) {
    if (item.IsScalar()) {
      out.push_back(item.Scalar());
    } else {
      in.Error(item, where + ": must list names");
    }
  }
  return out;
}

std::optional<bool> ReadFlag(Reader& in, const YAML::Node& map,
                             const std::string& key, const std::string& where) {
  auto text = in.Text(map, key, false, where);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  in.Error(map[key], where + key + ": '" + *text + "' must be true or false");
  return std::nullopt;
}

void ReadCourses(Reader& in, const YAML::Node& node, RollOutPlan& plan) {
  if (!node.IsSequence()) {
    in.Error(node, "courses: must list the modules the roll-out delivers");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string where = "courses[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      in.Error(item, where + " must be a map with module");
      continue;
    }
    in.OnlyKeys(item, where,
                {"module", "course", "after", "min_gap_days", "max_gap_days",
                 "system_specific", "audiences_apart"});
    CourseSpec course;
    course.pos = in.Pos(item);
    course.module = in.Text(item, "module", true, where).value_or("");
    course.course = in.Text(item, "course", false, where).value_or("");
    course.after = in.Text(item, "after", false, where).value_or("");
    course.min_gap_days = in.Whole(item, "min_gap_days", false, where, 0, 365);
    course.max_gap_days = in.Whole(item, "max_gap_days", false, where, 0, 730);
    course.system_specific = ReadFlag(in, item, "system_specific", where);
    course.audiences_apart = ReadFlag(in, item, "audiences_apart", where);
    if (course.min_gap_days && course.max_gap_days &&
        *course.max_gap_days < *course.min_gap_days) {
      in.Error(item["max_gap_days"],
               where + "max_gap_days: " + std::to_string(*course.max_gap_days) +
                   " is less than min_gap_days " +
                   std::to_string(*course.min_gap_days));
    }
    if (!course.module.empty()) plan.courses.push_back(std::move(course));
  }
}

void ReadVenues(Reader& in, const YAML::Node& node, RollOutPlan& plan) {
  if (!node.IsSequence()) {
    in.Error(node, "venues: must list the venues");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string where = "venues[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      in.Error(item, where + " must be a map with name and seats");
      continue;
    }
    in.OnlyKeys(
        item, where,
        {"name", "seats", "days", "sessions_per_day", "from", "to", "room"});
    VenueSpec venue;
    venue.pos = in.Pos(item);
    venue.name = in.Text(item, "name", true, where).value_or("");
    venue.room = in.Text(item, "room", false, where).value_or("");
    venue.seats = in.Whole(item, "seats", true, where, 1, 1000).value_or(0);
    if (item["days"]) venue.days = ReadDays(in, item["days"], where + "days");
    venue.sessions_per_day =
        in.Whole(item, "sessions_per_day", false, where, 1, 10).value_or(0);
    if (item["from"]) venue.from = in.DateAt(item, "from", where);
    if (item["to"]) venue.to = in.DateAt(item, "to", where);
    if (venue.from && venue.to && *venue.to < *venue.from) {
      in.Error(item["to"], where + "to: the venue is available to " +
                               FormatIsoDate(*venue.to) + ", before " +
                               FormatIsoDate(*venue.from));
    }
    if (venue.seats > 0) plan.venues.push_back(std::move(venue));
  }
}

void ReadTrainers(Reader& in, const YAML::Node& node, RollOutPlan& plan) {
  if (!node.IsSequence()) {
    in.Error(node, "trainers: must list the trainers");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string where = "trainers[" + std::to_string(i) + "].";
    if (!item.IsMap()) {
      in.Error(item, where + " must be a map with name and days_per_month");
      continue;
    }
    in.OnlyKeys(item, where,
                {"name", "count", "courses", "days_per_month", "unavailable",
                 "people"});
    TrainerSpec trainer;
    trainer.pos = in.Pos(item);
    trainer.name = in.Text(item, "name", true, where).value_or("");
    const auto count = in.Whole(item, "count", false, where, 1, 1000);
    if (item["people"]) {
      trainer.people = ReadNames(in, item["people"], where + "people");
      std::set<std::string> seen;
      for (const auto& person : trainer.people) {
        if (!seen.insert(person).second) {
          in.Error(item["people"],
                   where + "people: '" + person + "' is given twice");
        }
      }
      if (count && *count != static_cast<int>(trainer.people.size())) {
        in.Error(item["count"], where + "count: " + std::to_string(*count) +
                                    " trainers, but people names " +
                                    std::to_string(trainer.people.size()));
      }
    }
    trainer.count = trainer.people.empty()
                        ? count.value_or(1)
                        : static_cast<int>(trainer.people.size());
    if (item["courses"]) {
      trainer.courses = ReadNames(in, item["courses"], where + "courses");
    }
    trainer.days_per_month =
        in.Number(item, "days_per_month", true, where, 0.5, 31).value_or(0);
    if (const YAML::Node off = item["unavailable"]) {
      for (const auto& name : ReadNames(in, off, where + "unavailable")) {
        auto date = ParseIsoDate(name);
        if (date) {
          trainer.unavailable.push_back(*date);
        } else {
          in.Error(off, where + "unavailable: '" + name + "': " + date.error());
        }
      }
    }
    if (!trainer.name.empty()) plan.trainers.push_back(std::move(trainer));
  }
}

void ReadRules(Reader& in, const YAML::Node& node, RollOutPlan& plan) {
  if (!node.IsMap()) {
    in.Error(node, "rules: must be a map");
    return;
  }
  in.OnlyKeys(node, "rules.", {"max_organisation_share", "priority_audiences"});
  plan.max_organisation_share =
      in.Number(node, "max_organisation_share", false, "rules.", 0.05, 1)
          .value_or(1.0);
  if (node["priority_audiences"]) {
    plan.priority_audiences =
        ReadNames(in, node["priority_audiences"], "rules.priority_audiences");
  }
}

// "hh:mm", minutes after midnight.
std::optional<int> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  const auto [p1, e1] = std::from_chars(text.data(), text.data() + 2, hours);
  const auto [p2, e2] =
      std::from_chars(text.data() + 3, text.data() + 5, minutes);
  if (e1 != std::errc{} || e2 != std::errc{} || p1 != text.data() + 2 ||
      p2 != text.data() + 5 || hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

// delivery.times: "09:30-12:30" for each session of the day, in order.
std::vector<std::pair<int, int>> ReadTimes(Reader& in, const YAML::Node& node) {
  std::vector<std::pair<int, int>> times;
  for (const auto& text : ReadNames(in, node, "delivery.times")) {
    const std::string_view span(text);
    const auto dash = span.find('-');
    const auto from = ParseClock(Trim(span.substr(0, dash)));
    const auto to = dash == std::string_view::npos
                        ? std::nullopt
                        : ParseClock(Trim(span.substr(dash + 1)));
    if (!from || !to || *to <= *from) {
      in.Error(node, "delivery.times: '" + text +
                         "' is not a time span like 09:30-12:30");
      return {};
    }
    if (!times.empty() && *from < times.back().second) {
      in.Error(node, "delivery.times: '" + text +
                         "' starts before the session before it ends");
      return {};
    }
    times.emplace_back(*from, *to);
  }
  return times;
}

void ReadDelivery(Reader& in, const YAML::Node& node, Delivery& delivery) {
  const std::string where = "delivery.";
  if (!node.IsMap()) {
    in.Error(node, "delivery: must be a map");
    return;
  }
  in.OnlyKeys(node, where,
              {"days", "sessions_per_day", "people_per_session",
               "non_attendance", "times"});
  const YAML::Node days = node["days"];
  if (!days) {
    in.Error(node,
             "delivery.days: must list the days of the week training runs, "
             "like [monday, friday]");
  } else {
    delivery.days = ReadDays(in, days, "delivery.days");
  }
  delivery.sessions_per_day =
      in.Whole(node, "sessions_per_day", true, where, 1, 10).value_or(1);
  delivery.people_per_session =
      in.Number(node, "people_per_session", true, where, 1, 1000).value_or(0);
  delivery.non_attendance =
      in.Number(node, "non_attendance", false, where, 0, 0.9).value_or(0);
  if (const YAML::Node times = node["times"]) {
    delivery.times = ReadTimes(in, times);
    if (!delivery.times.empty() &&
        static_cast<int>(delivery.times.size()) != delivery.sessions_per_day) {
      in.Error(times, "delivery.times: gives " +
                          std::to_string(delivery.times.size()) +
                          " sessions' times for " +
                          std::to_string(delivery.sessions_per_day) +
                          " sessions a day");
    }
  }
}

void ReadMix(Reader& in, const YAML::Node& node, SessionMix& mix) {
  if (!node.IsMap()) {
    in.Error(node, "mix: must be a map");
    return;
  }
  in.OnlyKeys(node, "mix.", {"period_weeks", "sessions"});
  mix.period_weeks =
      in.Whole(node, "period_weeks", true, "mix.", 1, 52).value_or(2);
  const YAML::Node sessions = node["sessions"];
  if (!sessions || !sessions.IsMap()) {
    in.Error(sessions ? sessions : node,
             "mix.sessions: must map each audience to its sessions a period");
    return;
  }
  for (const auto& item : sessions) {
    const std::string audience = item.first.Scalar();
    auto count = in.Whole(sessions, audience, true, "mix.sessions.", 0, 1000);
    if (count) mix.sessions.emplace_back(audience, *count);
  }
}

// Phases in date order, not overlapping; one that ends before it starts is
// named once, and not compared with its neighbours.
void CheckPhases(Reader& in, const std::vector<Phase>& phases) {
  const Phase* previous = nullptr;
  for (const auto& phase : phases) {
    if (phase.to < phase.from) continue;
    if (previous != nullptr && phase.from <= previous->to) {
      in.Error(phase.pos, phase.name + " starts " + FormatIsoDate(phase.from) +
                              ", before " + previous->name + " ends " +
                              FormatIsoDate(previous->to) +
                              ": phases follow one another in date order");
    }
    previous = &phase;
  }
}

template <typename Number>
std::optional<Number> ParseNumber(std::string_view text, Number low,
                                  Number high) {
  Number value{};
  const auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
      value < low || value > high) {
    return std::nullopt;
  }
  return value;
}

// Moves every date of the plan by `days`.
void MovePlan(RollOutPlan& plan, std::chrono::days days) {
  const auto move = [days](Date& date) {
    date = Date{std::chrono::sys_days(date) + days};
  };
  const auto move_span = [&](DateSpan& span) {
    move(span.from);
    move(span.to);
  };
  for (auto& phase : plan.phases) {
    move(phase.from);
    move(phase.to);
  }
  for (auto& span : plan.no_delivery) move_span(span);
  if (plan.forward_plan) move_span(*plan.forward_plan);
  if (plan.horizon) move_span(*plan.horizon);
  for (auto& venue : plan.venues) {
    if (venue.from) move(*venue.from);
    if (venue.to) move(*venue.to);
  }
  for (auto& trainer : plan.trainers) {
    for (auto& day : trainer.unavailable) move(day);
  }
}

}  // namespace

std::vector<std::pair<int, int>> DefaultTimes(int sessions_per_day) {
  if (sessions_per_day == 1) return {{9 * 60 + 30, 16 * 60 + 30}};
  if (sessions_per_day == 2) {
    return {{9 * 60 + 30, 12 * 60 + 30}, {13 * 60 + 30, 16 * 60 + 30}};
  }
  return {};
}

std::optional<std::string> SetInPlan(RollOutPlan& plan,
                                     std::string_view setting) {
  const auto eq = setting.find('=');
  if (eq == std::string_view::npos) {
    return "--set '" + std::string(setting) + "': expected KEY=VALUE";
  }
  const std::string key(Trim(setting.substr(0, eq)));
  const std::string value(Trim(setting.substr(eq + 1)));
  auto bad = [&](const std::string& expected) {
    return "--set " + key + ": '" + value + "' " + expected;
  };
  if (key == "workforce") {
    auto n = ParseNumber<int>(value, 1, 10000000);
    if (!n) return bad("must be a whole number from 1");
    plan.workforce = *n;
  } else if (key == "delivery.sessions_per_day") {
    auto n = ParseNumber<int>(value, 1, 10);
    if (!n) return bad("must be a whole number from 1 to 10");
    plan.delivery.sessions_per_day = *n;
  } else if (key == "delivery.people_per_session") {
    auto n = ParseNumber<double>(value, 1, 1000);
    if (!n) return bad("must be a number from 1 to 1000");
    plan.delivery.people_per_session = *n;
  } else if (key == "delivery.non_attendance") {
    auto n = ParseNumber<double>(value, 0, 0.9);
    if (!n) return bad("must be a number from 0 to 0.9");
    plan.delivery.non_attendance = *n;
  } else if (key == "delivery.days") {
    std::string list = value;
    std::ranges::replace(list, ',', ' ');
    std::vector<weekday> days;
    for (const auto& word : SplitWords(list)) {
      auto day = ParseWeekday(word);
      if (!day || std::ranges::find(days, *day) != days.end()) {
        return bad("must list days of the week, each once, like monday,friday");
      }
      days.push_back(*day);
    }
    if (days.empty()) return bad("must list at least one day of the week");
    plan.delivery.days = std::move(days);
  } else if (key.starts_with("phases[") && key.ends_with("].delivery_weeks")) {
    const std::string index = key.substr(7, key.find(']') - 7);
    auto i = ParseNumber<std::size_t>(index, 0, plan.phases.size() - 1);
    if (plan.phases.empty() || !i) {
      return "--set " + key + ": the plan has phases[0] to phases[" +
             std::to_string(plan.phases.size() - 1) + "]";
    }
    auto n = ParseNumber<int>(value, 0, 520);
    if (!n) return bad("must be a whole number of weeks from 0 to 520");
    plan.phases[*i].delivery_weeks = *n;
  } else if (key == "venue.seats" ||
             (key.starts_with("venues[") && key.ends_with("].seats"))) {
    auto n = ParseNumber<int>(value, 1, 1000);
    if (!n) return bad("must be a whole number of seats from 1 to 1000");
    if (plan.venues.empty()) return "--set " + key + ": the plan has no venues";
    if (key == "venue.seats") {
      for (auto& venue : plan.venues) venue.seats = *n;
    } else {
      const std::string index = key.substr(7, key.find(']') - 7);
      auto i = ParseNumber<std::size_t>(index, 0, plan.venues.size() - 1);
      if (!i) {
        return "--set " + key + ": the plan has venues[0] to venues[" +
               std::to_string(plan.venues.size() - 1) + "]";
      }
      plan.venues[*i].seats = *n;
    }
  } else if (key == "trainers.days_per_month") {
    auto n = ParseNumber<double>(value, 0.5, 31);
    if (!n) return bad("must be a number of days from 0.5 to 31");
    if (plan.trainers.empty()) {
      return "--set " + key + ": the plan has no trainers";
    }
    for (auto& trainer : plan.trainers) trainer.days_per_month = *n;
  } else if (key.starts_with("trainers[") && key.ends_with("].count")) {
    const std::string index = key.substr(9, key.find(']') - 9);
    auto i = ParseNumber<std::size_t>(index, 0, plan.trainers.size() - 1);
    if (plan.trainers.empty() || !i) {
      return "--set " + key + ": the plan has trainers[0] to trainers[" +
             std::to_string(plan.trainers.size() - 1) + "]";
    }
    auto n = ParseNumber<int>(value, 1, 1000);
    if (!n) return bad("must be a whole number from 1 to 1000");
    plan.trainers[*i].count = *n;
  } else if (key == "start") {
    auto date = ParseIsoDate(value);
    if (!date) return bad("is not a date: " + date.error());
    std::optional<Date> first;
    if (plan.horizon) {
      first = plan.horizon->from;
    } else if (!plan.phases.empty()) {
      first = plan.phases.front().from;
    }
    if (!first) return "--set start: the plan has no horizon or phases";
    const auto days =
        std::chrono::sys_days(*date) - std::chrono::sys_days(*first);
    if (days > std::chrono::days(kMostPhaseDays * 2) ||
        days < -std::chrono::days(kMostPhaseDays * 2)) {
      return bad("moves the plan by more than twenty years");
    }
    MovePlan(plan, days);
  } else if (key == "rules.max_organisation_share") {
    auto n = ParseNumber<double>(value, 0.05, 1);
    if (!n) return bad("must be a share from 0.05 to 1");
    plan.max_organisation_share = *n;
  } else {
    const std::vector<std::string> keys = {"workforce",
                                           "delivery.days",
                                           "delivery.sessions_per_day",
                                           "delivery.people_per_session",
                                           "delivery.non_attendance",
                                           "phases[N].delivery_weeks",
                                           "venue.seats",
                                           "venues[N].seats",
                                           "trainers.days_per_month",
                                           "trainers[N].count",
                                           "rules.max_organisation_share",
                                           "start"};
    const auto near = SuggestClosest(key, keys);
    return "--set " + key + ": not a key a what-if can set" +
           (near ? "; did you mean '" + *near + "'?" : "") + " (" +
           Join(keys, ", ") + ")";
  }
  return std::nullopt;
}

bool PlanLoad::HasErrors() const {
  return std::ranges::any_of(findings, [](const Finding& f) {
    return f.severity == Severity::kError;
  });
}

PlanLoad LoadPlanFromText(std::string_view text, const std::string& file) {
  PlanLoad load;
  Reader in(file);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    load.findings.push_back(
        {Severity::kError, SourcePos{file, e.mark.line + 1, e.mark.column + 1},
         "not YAML as a plan file is written: " + e.msg});
    return load;
  }
  if (!root.IsMap() || !root["plan"]) {
    load.findings.push_back({Severity::kError, SourcePos{file, 1, 1},
                             "a plan file starts with 'plan: ID'"});
    return load;
  }
  RollOutPlan plan;
  in.OnlyKeys(root, "",
              {"plan", "name", "source", "workforce", "delivery", "mix",
               "no_delivery", "phases", "forward_plan", "framework", "courses",
               "venues", "trainers", "rules", "horizon"});
  plan.framework = in.Text(root, "framework", false, "").value_or("");
  if (root["courses"]) ReadCourses(in, root["courses"], plan);
  if (root["venues"]) ReadVenues(in, root["venues"], plan);
  if (root["trainers"]) ReadTrainers(in, root["trainers"], plan);
  if (root["rules"]) ReadRules(in, root["rules"], plan);
  if (const YAML::Node horizon = root["horizon"]) {
    plan.horizon = in.Span(horizon, "horizon: ");
  }
  plan.id = in.Text(root, "plan", true, "").value_or("");
  plan.name = in.Text(root, "name", false, "").value_or(plan.id);
  plan.source = in.Text(root, "source", false, "").value_or("");
  plan.workforce =
      in.Whole(root, "workforce", true, "", 1, 10000000).value_or(0);
  if (root["delivery"]) {
    ReadDelivery(in, root["delivery"], plan.delivery);
  } else {
    in.Error(root, "delivery: is required");
  }
  if (root["mix"]) ReadMix(in, root["mix"], plan.mix);
  if (const YAML::Node none = root["no_delivery"]) {
    if (!none.IsSequence()) {
      in.Error(none, "no_delivery: must list spans of dates");
    } else {
      for (std::size_t i = 0; i < none.size(); ++i) {
        auto span =
            in.Span(none[i], "no_delivery[" + std::to_string(i) + "]: ");
        if (span) plan.no_delivery.push_back(*span);
      }
    }
  }
  const YAML::Node phases = root["phases"];
  if (!phases || !phases.IsSequence() || phases.size() == 0) {
    in.Error(phases ? phases : root, "phases: must list at least one phase");
  } else {
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const YAML::Node node = phases[i];
      const std::string where = "phases[" + std::to_string(i) + "].";
      if (!node.IsMap()) {
        in.Error(node, where + " must be a map");
        continue;
      }
      in.OnlyKeys(node, where,
                  {"name", "from", "to", "delivery_weeks", "target"});
      Phase phase;
      phase.name = in.Text(node, "name", false, where)
                       .value_or("Phase " + std::to_string(i + 1));
      phase.pos = in.Pos(node);
      auto from = in.DateAt(node, "from", where);
      auto to = in.DateAt(node, "to", where);
      phase.delivery_weeks =
          in.Whole(node, "delivery_weeks", false, where, 0, 520);
      phase.target = in.Whole(node, "target", false, where, 0, 10000000);
      if (!from || !to) continue;
      phase.from = *from;
      phase.to = *to;
      if (phase.to < phase.from) {
        in.Error(node["to"], where + "to: " + phase.name + " ends " +
                                 FormatIsoDate(phase.to) +
                                 " before it starts " +
                                 FormatIsoDate(phase.from));
      } else if (std::chrono::sys_days(phase.to) -
                     std::chrono::sys_days(phase.from) >
                 std::chrono::days(kMostPhaseDays)) {
        in.Error(node["to"], where + "to: " + phase.name + " runs from " +
                                 FormatIsoDate(phase.from) + " to " +
                                 FormatIsoDate(phase.to) +
                                 ": more than ten years");
      }
      plan.phases.push_back(std::move(phase));
    }
    CheckPhases(in, plan.phases);
  }
  if (const YAML::Node forward = root["forward_plan"]) {
    plan.forward_plan = in.Span(forward, "forward_plan: ");
  }
  load.findings = in.Take();
  std::ranges::stable_sort(load.findings,
                           [](const Finding& a, const Finding& b) {
                             return a.pos.line < b.pos.line;
                           });
  load.plan = std::move(plan);
  return load;
}

}  // namespace trellis::plan
