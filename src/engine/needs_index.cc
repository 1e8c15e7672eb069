#include "engine/needs_index.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>

#include "domain/condition.h"
#include "engine/route.h"

namespace trellis {
namespace {

constexpr size_t kMaxAlternatives = 4096;  // as ComputeNeeds
constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::min();
// Beyond the five NeedStatus values: no requirement has named the module yet.
constexpr std::uint8_t kUnset = 0xff;

// The last day d with AddPeriod(d, period) <= limit. AddPeriod never goes
// backwards as d grows (month ends clamp, they do not wrap), so the days that
// qualify are a prefix and a binary search finds its end.
std::int32_t LastDayWithin(const Period& period, std::int32_t limit) {
  std::int32_t lo = limit - 366 * 200;  // qualifies for any sane period
  std::int32_t hi = limit;              // AddPeriod(limit, p) >= limit
  if (CompactDay(AddPeriod(DateOfCompactDay(hi), period)) <= limit) return hi;
  while (hi - lo > 1) {
    const std::int32_t mid = lo + (hi - lo) / 2;
    if (CompactDay(AddPeriod(DateOfCompactDay(mid), period)) <= limit) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

constexpr std::uint8_t Code(NeedStatus status) {
  return static_cast<std::uint8_t>(status);
}

}  // namespace

std::int32_t CompactDay(const Date& date) {
  return static_cast<std::int32_t>(
      std::chrono::sys_days(date).time_since_epoch().count());
}

Date DateOfCompactDay(std::int32_t day) {
  return Date{std::chrono::sys_days(std::chrono::days(day))};
}

NeedsIndex::NeedsIndex(const Framework& framework, const NeedsOptions& options)
    : framework_(framework),
      options_(options),
      on_day_(CompactDay(options.on)) {
  for (size_t i = 0; i < framework.modules.size(); ++i) {
    module_index_.emplace(framework.modules[i].ref,
                          static_cast<std::uint16_t>(i));
  }
  latest_.assign(framework.modules.size(), kNever);
  strings_.emplace_back();
  string_index_.emplace("", 0);
}

std::optional<std::uint16_t> NeedsIndex::ModuleIndex(
    std::string_view ref) const {
  auto it = module_index_.find(ref);
  if (it == module_index_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t NeedsIndex::Intern(std::string_view text) {
  auto it = string_index_.find(text);
  if (it != string_index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(text);
  string_index_.emplace(std::string(text), id);
  return id;
}

std::int16_t NeedsIndex::ValidityIndex(const std::optional<Period>& period) {
  if (!period) return -1;
  for (size_t i = 0; i < validities_.size(); ++i) {
    if (validities_[i].period == *period) return static_cast<std::int16_t>(i);
  }
  Validity v;
  v.period = *period;
  v.expired = LastDayWithin(*period, on_day_);
  v.due = LastDayWithin(*period,
                        CompactDay(AddPeriod(options_.on, options_.due_soon)));
  validities_.push_back(v);
  return static_cast<std::int16_t>(validities_.size() - 1);
}

// The plan for a profile: compiled once per distinct (audiences, role,
// sector), so a person costs a lookup, not a walk over the requirements.
std::uint32_t NeedsIndex::PlanFor(const PersonProfile& profile,
                                  std::uint32_t sector,
                                  std::uint32_t* audiences) {
  // The person's own audiences, for roll-ups by audience (as SummariseNeeds).
  audience_scratch_.clear();
  for (const auto& a : profile.audiences)
    audience_scratch_.push_back(Intern(a));
  auto set_it = audience_set_index_.find(audience_scratch_);
  if (set_it == audience_set_index_.end()) {
    set_it = audience_set_index_
                 .emplace(audience_scratch_,
                          static_cast<std::uint32_t>(audience_sets_.size()))
                 .first;
    audience_sets_.push_back(audience_scratch_);
  }
  *audiences = set_it->second;

  // Most people share a profile with someone already placed: a hash lookup.
  const ProfileKey profile_key{set_it->second, Intern(profile.role), sector};
  if (auto cached = plan_by_profile_.find(profile_key);
      cached != plan_by_profile_.end()) {
    return cached->second;
  }
  const std::vector<std::string> own(profile.audiences.begin(),
                                     profile.audiences.end());
  const RouteSubject subject = MakeRouteSubject(
      framework_, own, std::string(profile.role), std::string(profile.sector));
  std::string key = subject.role + '\x1f' + subject.sector;
  for (const auto& a : subject.audiences) key += '\x1f' + a;
  auto found = plan_by_key_.find(key);
  if (found != plan_by_key_.end()) {
    plan_by_profile_.emplace(profile_key, found->second);
    return found->second;
  }

  Plan plan;
  for (const auto& requirement : framework_.requirements) {
    if (!Applies(requirement.who, subject)) continue;
    auto alternatives = Alternatives(requirement.take, kMaxAlternatives);
    if (!alternatives || alternatives->empty()) continue;
    PlanRequirement compiled;
    for (const auto& alternative : *alternatives) {
      std::vector<Slot> slots;
      for (const Module* m : framework_.ModulesOf(alternative)) {
        Slot slot;
        slot.module = module_index_.at(m->ref);
        slot.validity = ValidityIndex(requirement.refresh ? requirement.refresh
                                                          : m->validity);
        auto at = std::ranges::find(plan.modules, slot.module);
        slot.position = static_cast<std::uint16_t>(at - plan.modules.begin());
        if (at == plan.modules.end()) plan.modules.push_back(slot.module);
        slots.push_back(slot);
      }
      compiled.alternatives.push_back(std::move(slots));
    }
    plan.requirements.push_back(std::move(compiled));
  }
  const auto id = static_cast<std::uint32_t>(plans_.size());
  plans_.push_back(std::move(plan));
  plan_by_key_.emplace(std::move(key), id);
  plan_by_profile_.emplace(profile_key, id);
  return id;
}

std::uint8_t NeedsIndex::StatusFor(std::int32_t latest,
                                   std::int16_t validity) const {
  if (latest == kNever) return Code(NeedStatus::kOutstanding);
  if (validity < 0) return Code(NeedStatus::kDone);
  const Validity& v = validities_[static_cast<size_t>(validity)];
  if (latest <= v.expired) return Code(NeedStatus::kExpired);
  if (latest <= v.due) return Code(NeedStatus::kDueSoon);
  return Code(NeedStatus::kDone);
}

void NeedsIndex::Put(const PersonProfile& profile,
                     std::span<const CompactRecord> records) {
  PersonEntry entry;
  entry.organisation = Intern(profile.organisation);
  entry.sector = Intern(profile.sector);
  entry.locality = Intern(profile.locality);
  entry.plan = PlanFor(profile, entry.sector, &entry.audiences);
  const size_t width = plans_[entry.plan].modules.size();

  // Reuse the person's room for statuses and records when it is big enough,
  // else take new room at the end; the old room stays unused until the index
  // is built again, which a day's changes never make large.
  auto known = person_index_.find(profile.id);
  const PersonEntry* old =
      known == person_index_.end() ? nullptr : &people_[known->second];
  if (old != nullptr && plans_[old->plan].modules.size() == width) {
    entry.statuses = old->statuses;
  } else {
    entry.statuses = static_cast<std::uint32_t>(statuses_.size());
    statuses_.resize(statuses_.size() + width);
  }
  if (old != nullptr && old->record_room >= records.size()) {
    entry.records = old->records;
    entry.record_room = old->record_room;
  } else {
    entry.records = static_cast<std::uint32_t>(records_.size());
    entry.record_room = static_cast<std::uint32_t>(records.size());
    records_.resize(records_.size() + records.size());
  }
  entry.record_count = static_cast<std::uint32_t>(records.size());
  std::ranges::copy(records, records_.begin() + entry.records);

  if (known != person_index_.end()) {
    people_[known->second] = entry;
  } else {
    person_index_.emplace(std::string(profile.id),
                          static_cast<std::uint32_t>(people_.size()));
    people_.push_back(entry);
  }
  Evaluate(entry);
}

bool NeedsIndex::AddRecord(std::string_view person, CompactRecord record) {
  auto known = person_index_.find(person);
  if (known == person_index_.end()) return false;
  PersonEntry& entry = people_[known->second];
  if (entry.record_count == entry.record_room) {
    // Move the person's records to the end with room to grow.
    const auto moved = static_cast<std::uint32_t>(records_.size());
    const std::uint32_t room =
        std::max<std::uint32_t>(4, entry.record_room * 2);
    records_.resize(records_.size() + room);
    std::copy_n(records_.begin() + entry.records, entry.record_count,
                records_.begin() + moved);
    entry.records = moved;
    entry.record_room = room;
  }
  records_[entry.records + entry.record_count] = record;
  ++entry.record_count;
  Evaluate(entry);
  return true;
}

void NeedsIndex::Recompute(const NeedsOptions& options) {
  options_ = options;
  on_day_ = CompactDay(options.on);
  const std::int32_t due_day =
      CompactDay(AddPeriod(options.on, options.due_soon));
  for (Validity& v : validities_) {
    v.expired = LastDayWithin(v.period, on_day_);
    v.due = LastDayWithin(v.period, due_day);
  }
  for (const PersonEntry& entry : people_) Evaluate(entry);
}

void NeedsIndex::Evaluate(const PersonEntry& entry) {
  const Plan& plan = plans_[entry.plan];
  const std::span<const CompactRecord> records(records_.data() + entry.records,
                                               entry.record_count);
  // The latest record that counts, per module, on or before the index's day.
  for (const CompactRecord& r : records) {
    if (!r.counts || r.day > on_day_ || r.module >= latest_.size()) continue;
    latest_[r.module] = std::max(latest_[r.module], r.day);
  }
  std::uint8_t* status = statuses_.data() + entry.statuses;
  std::fill_n(status, plan.modules.size(), kUnset);

  // As ComputeNeeds: the alternative met (every module in date), else the
  // one furthest along, else the first; the modules of the others are not
  // applicable when one is met; the first rule to name a module sets its
  // status unless it found it not applicable and a later one still asks.
  for (const PlanRequirement& requirement : plan.requirements) {
    if (requirement.alternatives.size() == 1 &&
        requirement.alternatives[0].size() == 1) {
      // The common case, one module: its own status, which is never
      // not-applicable, so it wins over an earlier not-applicable.
      const Slot& s = requirement.alternatives[0][0];
      std::uint8_t& kept = status[s.position];
      if (kept == kUnset || kept == Code(NeedStatus::kNotApplicable))
        kept = StatusFor(latest_[s.module], s.validity);
      continue;
    }
    size_t chosen = 0;
    size_t chosen_in_date = 0;
    bool met = false;
    for (size_t i = 0; i < requirement.alternatives.size(); ++i) {
      const auto& slots = requirement.alternatives[i];
      size_t in_date = 0;
      for (const Slot& s : slots) {
        const std::uint8_t st = StatusFor(latest_[s.module], s.validity);
        if (st == Code(NeedStatus::kDone) || st == Code(NeedStatus::kDueSoon))
          ++in_date;
      }
      if (!slots.empty() && in_date == slots.size()) {
        chosen = i;
        met = true;
        break;
      }
      if (in_date > chosen_in_date) {
        chosen = i;
        chosen_in_date = in_date;
      }
    }
    const auto& chosen_slots = requirement.alternatives[chosen];
    for (size_t i = 0; i < requirement.alternatives.size(); ++i) {
      if (i != chosen && !met) continue;
      const auto& slots = requirement.alternatives[i];
      for (const Slot& s : slots) {
        const bool not_needed =
            met && i != chosen &&
            std::ranges::find(chosen_slots, s.module, &Slot::module) ==
                chosen_slots.end();
        const std::uint8_t st = not_needed
                                    ? Code(NeedStatus::kNotApplicable)
                                    : StatusFor(latest_[s.module], s.validity);
        std::uint8_t& kept = status[s.position];
        if (kept == kUnset || (kept == Code(NeedStatus::kNotApplicable) &&
                               st != Code(NeedStatus::kNotApplicable))) {
          kept = st;
        }
      }
    }
  }
  // A module named only by unchosen alternatives of unmet rules stays
  // kUnset: no need at all, as ComputeNeeds leaves it out.
  for (const CompactRecord& r : records) {
    if (r.module < latest_.size()) latest_[r.module] = kNever;
  }
}

void NeedsIndex::Put(const PersonContext& context) {
  const Person& p = *context.person;
  std::vector<CompactRecord> records;
  records.reserve(context.records.size());
  for (const TrainingRecord* r : context.records) {
    auto module = ModuleIndex(r->module);
    if (!module) continue;
    records.push_back({*module, CompactDay(r->date), Counts(r->outcome)});
  }
  PersonProfile profile;
  profile.id = p.id;
  profile.organisation = p.organisation;
  // Both arms string_view: a std::string arm would make a temporary.
  profile.sector = context.organisation != nullptr
                       ? std::string_view(context.organisation->sector)
                       : std::string_view();
  profile.locality = p.locality;
  profile.role = p.role;
  profile.audiences = p.audiences;
  Put(profile, records);
}

void NeedsIndex::PutAll(const std::vector<PersonContext>& contexts) {
  people_.reserve(people_.size() + contexts.size());
  for (const auto& c : contexts) Put(c);
}

std::optional<NeedStatus> NeedsIndex::StatusOf(std::string_view person,
                                               std::string_view module) const {
  auto p = person_index_.find(person);
  auto m = module_index_.find(module);
  if (p == person_index_.end() || m == module_index_.end()) return std::nullopt;
  const PersonEntry& entry = people_[p->second];
  const Plan& plan = plans_[entry.plan];
  auto it = std::ranges::find(plan.modules, m->second);
  if (it == plan.modules.end()) return std::nullopt;
  const std::uint8_t status =
      statuses_[entry.statuses + (it - plan.modules.begin())];
  if (status == kUnset) return std::nullopt;
  return static_cast<NeedStatus>(status);
}

std::vector<SummaryRow> NeedsIndex::Summarise(GroupBy by) const {
  constexpr std::string_view kNone = "(none)";
  const size_t modules = framework_.modules.size();
  // Counters per (interned group, module): people, done, due, expired, never.
  std::vector<std::array<int, 5>> counts;
  auto add = [&](std::uint32_t group, std::uint16_t module, std::uint8_t st) {
    const size_t at = static_cast<size_t>(group) * modules + module;
    if (counts.size() <= at) counts.resize((group + 1) * modules);
    auto& c = counts[at];
    ++c[0];
    ++c[1 + st];  // kDone=0, kDueSoon=1, kExpired=2, kOutstanding=3
  };
  static_assert(
      Code(NeedStatus::kDone) == 0 && Code(NeedStatus::kDueSoon) == 1 &&
      Code(NeedStatus::kExpired) == 2 && Code(NeedStatus::kOutstanding) == 3);
  std::vector<std::uint32_t> groups;
  for (const PersonEntry& person : people_) {
    groups.clear();
    switch (by) {
      case GroupBy::kSector:
        groups.push_back(person.sector);
        break;
      case GroupBy::kOrganisation:
        groups.push_back(person.organisation);
        break;
      case GroupBy::kLocality:
        groups.push_back(person.locality);
        break;
      case GroupBy::kAudience:
        groups = audience_sets_[person.audiences];
        break;
    }
    if (groups.empty()) groups.push_back(0);
    const Plan& plan = plans_[person.plan];
    const std::uint8_t* status = statuses_.data() + person.statuses;
    for (size_t i = 0; i < plan.modules.size(); ++i) {
      if (status[i] == Code(NeedStatus::kNotApplicable) || status[i] == kUnset)
        continue;
      for (std::uint32_t g : groups) add(g, plan.modules[i], status[i]);
    }
  }
  // Groups by name ("(none)" for the empty one), modules in framework order.
  std::map<std::string_view, std::vector<std::uint32_t>> named;
  const size_t group_count = modules == 0 ? 0 : counts.size() / modules;
  for (size_t g = 0; g < group_count; ++g) {
    named[g == 0 ? kNone : std::string_view(strings_[g])].push_back(
        static_cast<std::uint32_t>(g));
  }
  std::vector<SummaryRow> rows;
  for (const auto& [name, ids] : named) {
    for (size_t m = 0; m < modules; ++m) {
      SummaryRow row;
      for (std::uint32_t g : ids) {
        const auto& c = counts[g * modules + m];
        row.people += c[0];
        row.done += c[1];
        row.due_soon += c[2];
        row.expired += c[3];
        row.outstanding += c[4];
      }
      if (row.people == 0) continue;
      row.group = std::string(name);
      row.module = framework_.modules[m].ref;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

size_t NeedsIndex::MemoryBytes() const {
  size_t bytes =
      people_.capacity() * sizeof(PersonEntry) + statuses_.capacity() +
      records_.capacity() * sizeof(CompactRecord) + latest_.capacity() * 4 +
      validities_.capacity() * sizeof(Validity);
  // Hash maps: a node per entry with its key, plus the bucket array.
  for (const auto& entry : person_index_)
    bytes += 48 + entry.first.capacity() + sizeof(std::uint32_t);
  bytes += person_index_.bucket_count() * sizeof(void*);
  for (const auto& s : strings_)
    bytes += sizeof(std::string) + s.capacity() + 48;
  for (const auto& plan : plans_) {
    bytes += sizeof(Plan) + plan.modules.capacity() * 2;
    for (const auto& r : plan.requirements) {
      for (const auto& a : r.alternatives) bytes += a.capacity() * sizeof(Slot);
    }
  }
  return bytes;
}

}  // namespace trellis
