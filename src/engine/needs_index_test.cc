#include "engine/needs_index.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/demo_area.h"
#include "engine/needs.h"
#include "engine/test_frameworks.h"

namespace trellis {
namespace {

Date On(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

Workforce Area(const Framework& fw, int people, const Date& today) {
  DemoOptions options;
  options.people = people;
  options.seed = 3;
  options.today = today;
  return GenerateDemoArea(fw, options);
}

std::string Text(const std::vector<SummaryRow>& rows) {
  std::ostringstream out;
  for (const auto& r : rows) {
    out << r.group << ' ' << r.module << ' ' << r.people << ' ' << r.done << ' '
        << r.due_soon << ' ' << r.expired << ' ' << r.outstanding << '\n';
  }
  return out.str();
}

// Every person's status for every module of the framework, as the index gives
// it and as ComputeNeeds does; "-" where there is no need.
std::string IndexStatuses(const Framework& fw, const NeedsIndex& index,
                          const std::vector<PersonContext>& people) {
  std::ostringstream out;
  for (const auto& c : people) {
    for (const auto& m : fw.modules) {
      auto status = index.StatusOf(c.person->id, m.ref);
      out << c.person->id << ' ' << m.ref << ' '
          << (status ? NeedStatusName(*status) : "-") << '\n';
    }
  }
  return out.str();
}

std::string ReferenceStatuses(const Framework& fw,
                              const std::vector<PersonContext>& people,
                              const NeedsOptions& options) {
  std::ostringstream out;
  for (const auto& c : people) {
    std::map<std::string, NeedStatus> needs;
    for (const Need& n : ComputeNeeds(fw, c, options))
      needs[n.module->ref] = n.status;
    for (const auto& m : fw.modules) {
      auto it = needs.find(m.ref);
      out << c.person->id << ' ' << m.ref << ' '
          << (it == needs.end() ? "-" : NeedStatusName(it->second)) << '\n';
    }
  }
  return out.str();
}

// The index must agree with the reference engine on every shipped framework,
// on days that put records in date, due soon and expired.
TEST(NeedsIndexTest, AgreesWithTheReferenceEngineOnEveryShippedFramework) {
  for (const char* id : {"newcastle-2009", "dcsf-2006", "is-learning-outcomes",
                         "north-lincs-lscb-2017"}) {
    SCOPED_TRACE(id);
    const Framework& fw = testing::Shipped(id);
    const Workforce w = Area(fw, 800, On(2011, 3, 31));
    const std::vector<PersonContext> people = ContextsOf(w);
    for (const Date& day : {On(2011, 3, 31), On(2013, 6, 30), On(2009, 1, 1)}) {
      SCOPED_TRACE(FormatIsoDate(day));
      NeedsOptions options;
      options.on = day;
      NeedsIndex index(fw, options);
      index.PutAll(people);
      EXPECT_EQ(index.People(), people.size());
      EXPECT_EQ(IndexStatuses(fw, index, people),
                ReferenceStatuses(fw, people, options));
      for (GroupBy by : {GroupBy::kSector, GroupBy::kOrganisation,
                         GroupBy::kLocality, GroupBy::kAudience}) {
        SCOPED_TRACE(static_cast<int>(by));
        EXPECT_EQ(Text(index.Summarise(by)),
                  Text(SummariseNeeds(fw, people, by, options)));
      }
    }
  }
}

TEST(NeedsIndexTest, TheDemoAreaGivesEveryStatus) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = Area(fw, 2000, On(2011, 3, 31));
  NeedsOptions options;
  options.on = On(2011, 3, 31);
  NeedsIndex index(fw, options);
  index.PutAll(ContextsOf(w));
  std::map<NeedStatus, int> seen;
  for (const auto& p : w.people) {
    for (const auto& m : fw.modules) {
      if (auto s = index.StatusOf(p.id, m.ref)) ++seen[*s];
    }
  }
  EXPECT_GT(seen[NeedStatus::kDone], 0);
  EXPECT_GT(seen[NeedStatus::kDueSoon], 0);
  EXPECT_GT(seen[NeedStatus::kExpired], 0);
  EXPECT_GT(seen[NeedStatus::kOutstanding], 0);
}

// One new record: the person is recomputed in place, nobody else changes, and
// the roll-ups still match the reference.
TEST(NeedsIndexTest, PutRecomputesOnePersonInPlace) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  Workforce w = Area(fw, 600, On(2011, 3, 31));
  NeedsOptions options;
  options.on = On(2011, 3, 31);
  std::vector<PersonContext> people = ContextsOf(w);
  NeedsIndex index(fw, options);
  index.PutAll(people);

  // Someone with an outstanding need, and the module they lack.
  const PersonContext* target = nullptr;
  const Module* missing = nullptr;
  for (const auto& c : people) {
    for (const Need& n : ComputeNeeds(fw, c, options)) {
      if (n.status == NeedStatus::kOutstanding) {
        target = &c;
        missing = n.module;
        break;
      }
    }
    if (target != nullptr) break;
  }
  ASSERT_NE(target, nullptr);

  TrainingRecord added;
  added.id = "new";
  added.person = target->person->id;
  added.module = missing->ref;
  added.date = On(2011, 3, 30);
  added.outcome = TrainingOutcome::kCompleted;
  PersonContext updated = *target;
  updated.records.push_back(&added);
  index.Put(updated);

  EXPECT_EQ(index.People(), people.size());
  EXPECT_EQ(index.StatusOf(target->person->id, missing->ref),
            NeedStatus::kDone);
  for (auto& c : people) {
    if (c.person == target->person) c = updated;
  }
  EXPECT_EQ(IndexStatuses(fw, index, people),
            ReferenceStatuses(fw, people, options));
  EXPECT_EQ(Text(index.Summarise(GroupBy::kSector)),
            Text(SummariseNeeds(fw, people, GroupBy::kSector, options)));
}

// AddRecord gives what Put with the record added gives; Recompute on another
// day gives what a fresh index built on that day gives.
TEST(NeedsIndexTest, AddRecordAndRecomputeAgreeWithAFreshIndex) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  Workforce w = Area(fw, 500, On(2011, 3, 31));
  NeedsOptions options;
  options.on = On(2011, 3, 31);
  std::vector<PersonContext> people = ContextsOf(w);
  NeedsIndex index(fw, options);
  index.PutAll(people);

  std::vector<TrainingRecord> added(people.size());
  for (size_t i = 0; i < people.size(); i += 7) {
    TrainingRecord& r = added[i];
    r.id = "new" + std::to_string(i);
    r.person = people[i].person->id;
    r.module = fw.modules[i % fw.modules.size()].ref;
    r.date = On(2011, 3, 1);
    r.outcome = TrainingOutcome::kPassed;
    people[i].records.push_back(&r);
    const auto module = index.ModuleIndex(r.module);
    ASSERT_TRUE(module.has_value());
    const CompactRecord compact{*module, CompactDay(r.date), true};
    ASSERT_TRUE(index.AddRecord(r.person, compact));
  }
  EXPECT_FALSE(index.AddRecord("nobody", CompactRecord{}));
  EXPECT_EQ(IndexStatuses(fw, index, people),
            ReferenceStatuses(fw, people, options));

  for (const Date& day : {On(2013, 6, 30), On(2010, 1, 1)}) {
    SCOPED_TRACE(FormatIsoDate(day));
    NeedsOptions later = options;
    later.on = day;
    index.Recompute(later);
    NeedsIndex fresh(fw, later);
    fresh.PutAll(people);
    EXPECT_EQ(IndexStatuses(fw, index, people),
              ReferenceStatuses(fw, people, later));
    EXPECT_EQ(Text(index.Summarise(GroupBy::kLocality)),
              Text(fresh.Summarise(GroupBy::kLocality)));
  }
}

TEST(NeedsIndexTest, IgnoresFutureRecordsUnknownModulesAndFailures) {
  auto loaded = testing::Inline(R"(
framework: {id: t, title: T, version: "1"}
processes: [{id: p, name: P}]
modules:
  - {ref: A, name: A, process: p, duration: unknown}
  - {ref: B, name: B, process: p, duration: unknown, validity: 1 year}
requirements:
  - {id: r1, who: everyone, level: required, take: A}
  - {id: r2, who: everyone, level: required, take: B}
)");
  ASSERT_FALSE(loaded.HasErrors());
  const Framework& fw = *loaded.framework;
  NeedsOptions options;
  options.on = On(2020, 6, 1);
  NeedsIndex index(fw, options);
  const auto a = *index.ModuleIndex("A");
  const auto b = *index.ModuleIndex("B");
  EXPECT_FALSE(index.ModuleIndex("Z").has_value());

  const std::vector<std::string> audiences;
  PersonProfile profile;
  profile.id = "p";
  profile.audiences = audiences;
  const int future = CompactDay(On(2020, 7, 1));
  const int past = CompactDay(On(2020, 5, 1));
  const int old = CompactDay(On(2019, 5, 1));
  const std::vector<CompactRecord> records = {
      {a, future, true}, {b, past, false}, {999, past, true}};
  index.Put(profile, records);
  EXPECT_EQ(index.StatusOf("p", "A"), NeedStatus::kOutstanding);
  EXPECT_EQ(index.StatusOf("p", "B"), NeedStatus::kOutstanding);
  EXPECT_FALSE(index.StatusOf("nobody", "A").has_value());

  const std::vector<CompactRecord> later = {{a, past, true}, {b, old, true}};
  index.Put(profile, later);
  EXPECT_EQ(index.People(), 1u);
  EXPECT_EQ(index.StatusOf("p", "A"), NeedStatus::kDone);
  EXPECT_EQ(index.StatusOf("p", "B"), NeedStatus::kExpired);
}

}  // namespace
}  // namespace trellis
