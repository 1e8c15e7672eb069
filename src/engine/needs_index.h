// The needs of a whole area held compactly in memory [MISSION C]: built once
// from the workforce, then one person recomputed in place when a record of
// theirs changes, and rolled up for a training needs analysis without going
// back to the records. It gives the same statuses and roll-ups as
// ComputeNeeds and SummariseNeeds, which remain the reference. Not
// thread-safe: Put must not run while anything else reads the index.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/framework.h"
#include "domain/workforce.h"
#include "engine/needs.h"

namespace trellis {

// One record reduced to what a status depends on.
struct CompactRecord {
  std::uint16_t module = 0;  // NeedsIndex::ModuleIndex
  std::int32_t day = 0;      // days since 1970-01-01
  bool counts = false;       // an outcome that counts (completed, passed)
};

// CompactRecord's day: days since 1970-01-01, and back.
std::int32_t CompactDay(const Date& date);
Date DateOfCompactDay(std::int32_t day);

// Who a person is, as far as their needs and roll-ups go.
struct PersonProfile {
  std::string_view id;
  std::string_view organisation;
  std::string_view sector;  // their organisation's; empty when unknown
  std::string_view locality;
  std::string_view role;
  std::span<const std::string> audiences;
};

class NeedsIndex {
 public:
  // An empty index for `framework` (which must outlive it), judged on
  // `options.on` with its refresher window.
  NeedsIndex(const Framework& framework, const NeedsOptions& options);

  // The module's index for CompactRecord, or nullopt when the framework has
  // no such module (its records cannot make a need).
  std::optional<std::uint16_t> ModuleIndex(std::string_view ref) const;

  // Adds a person, or replaces everything known of them, from their records in
  // force (which the index keeps), and computes their needs. Records dated
  // after the index's day and records of unknown modules are ignored.
  // O(their records + their modules).
  void Put(const PersonProfile& profile,
           std::span<const CompactRecord> records);
  // One new record for a known person, recomputed in place; false when the
  // person is unknown. A correction that takes a record out of force is a Put.
  bool AddRecord(std::string_view person, CompactRecord record);
  // Everyone's needs again from the records held, judged on another day or
  // with another refresher window: a full recompute, without a lookup.
  void Recompute(const NeedsOptions& options);
  // The same from the needs engine's view of a person.
  void Put(const PersonContext& context);
  // Every person of the area (see ContextsOf).
  void PutAll(const std::vector<PersonContext>& contexts);

  size_t People() const { return people_.size(); }

  // The person's status for the module, as ComputeNeeds gives it; nullopt
  // when the person is unknown or the framework does not ask the module of
  // them.
  std::optional<NeedStatus> StatusOf(std::string_view person,
                                     std::string_view module) const;

  // The roll-up SummariseNeeds gives over the same people, row for row.
  std::vector<SummaryRow> Summarise(GroupBy by) const;

  // Bytes the index holds on the heap, roughly: for the memory benchmark.
  size_t MemoryBytes() const;

 private:
  // One module of one requirement's alternative, with the validity that
  // applies to it there (index into validities_, or -1).
  struct Slot {
    std::uint16_t module = 0;
    std::int16_t validity = -1;
    std::uint16_t position = 0;  // in Plan::modules
  };
  struct PlanRequirement {
    std::vector<std::vector<Slot>> alternatives;
  };
  // What the framework asks of everyone with one profile (audiences, role,
  // sector): the requirements that apply, and the modules they name.
  struct Plan {
    std::vector<PlanRequirement> requirements;
    std::vector<std::uint16_t> modules;  // distinct, first-named first
  };
  // A validity period turned into two cut-off days for the index's day:
  // completed on or before `expired` is expired; on or before `due` is due.
  struct Validity {
    Period period;
    std::int32_t expired = 0;
    std::int32_t due = 0;
  };
  struct PersonEntry {
    std::uint32_t plan = 0;
    std::uint32_t organisation = 0;  // interned strings
    std::uint32_t sector = 0;
    std::uint32_t locality = 0;
    std::uint32_t audiences = 0;  // index into audience_sets_
    std::uint32_t statuses = 0;   // offset into statuses_
    std::uint32_t records = 0;    // offset into records_
    std::uint32_t record_count = 0;
    std::uint32_t record_room = 0;  // records_ held for them from `records`
  };

  // Looks strings up without copying them.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using StringMap = std::unordered_map<std::string, std::uint32_t, StringHash,
                                       std::equal_to<>>;
  // A profile as interned ids: the key of the plan cache.
  struct ProfileKey {
    std::uint32_t audiences = 0;
    std::uint32_t role = 0;
    std::uint32_t sector = 0;
    friend bool operator==(const ProfileKey&, const ProfileKey&) = default;
  };
  struct ProfileKeyHash {
    size_t operator()(const ProfileKey& k) const {
      return std::hash<std::uint64_t>{}(
          (static_cast<std::uint64_t>(k.audiences) << 40) ^
          (static_cast<std::uint64_t>(k.role) << 20) ^ k.sector);
    }
  };

  std::uint32_t Intern(std::string_view text);
  std::uint32_t PlanFor(const PersonProfile& profile, std::uint32_t sector,
                        std::uint32_t* audiences);
  std::int16_t ValidityIndex(const std::optional<Period>& period);
  std::uint8_t StatusFor(std::int32_t latest, std::int16_t validity) const;
  // The person's statuses from their records.
  void Evaluate(const PersonEntry& entry);

  const Framework& framework_;
  NeedsOptions options_;
  std::int32_t on_day_ = 0;
  std::unordered_map<std::string_view, std::uint16_t> module_index_;
  std::vector<Validity> validities_;
  std::vector<Plan> plans_;
  std::map<std::string, std::uint32_t> plan_by_key_;  // by route subject
  std::unordered_map<ProfileKey, std::uint32_t, ProfileKeyHash>
      plan_by_profile_;
  std::vector<std::vector<std::uint32_t>> audience_sets_;  // interned ids
  std::map<std::vector<std::uint32_t>, std::uint32_t> audience_set_index_;
  std::vector<std::uint32_t> audience_scratch_;
  std::vector<std::string> strings_;  // interned: index 0 is ""
  StringMap string_index_;
  std::vector<PersonEntry> people_;
  StringMap person_index_;
  // Each person's status per module of their plan, in plan order.
  std::vector<std::uint8_t> statuses_;
  // Each person's records in force, together.
  std::vector<CompactRecord> records_;
  // Scratch for Put: the latest counting day per module.
  std::vector<std::int32_t> latest_;
};

}  // namespace trellis
