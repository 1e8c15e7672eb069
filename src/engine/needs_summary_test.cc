#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/needs.h"
#include "engine/test_frameworks.h"

namespace trellis {
namespace {

constexpr const char* kFramework = R"(
framework: {id: t, title: T, version: "1"}
audiences: [{id: practitioners, name: P}, {id: admin-staff, name: A}]
sectors: [{id: health, name: Health}, {id: education, name: Education}]
processes: [{id: p, name: P}]
modules:
  - {ref: IS01, name: Intro, process: p, duration: unknown}
  - {ref: SG01, name: Safeguarding, process: p, duration: unknown, validity: 3 years}
  - {ref: AD01, name: Admin, process: p, duration: unknown}
requirements:
  - {id: all-sg, who: everyone, level: required, take: SG01}
  - {id: practitioners-is, who: {audiences: [practitioners]}, take: IS01}
  - {id: admin, who: {audiences: [admin-staff]}, take: AD01}
)";

Date On(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

struct Area {
  std::vector<Organisation> organisations;
  std::vector<Person> people;
  std::vector<TrainingRecord> records;

  std::vector<PersonContext> Contexts() const {
    std::vector<PersonContext> out;
    for (const auto& p : people) {
      PersonContext c{&p, nullptr, {}};
      for (const auto& o : organisations) {
        if (o.id == p.organisation) c.organisation = &o;
      }
      for (const auto& r : records) {
        if (r.person == p.id) c.records.push_back(&r);
      }
      out.push_back(std::move(c));
    }
    return out;
  }
};

Person Someone(std::string id, std::string org,
               std::vector<std::string> audiences, std::string locality = "") {
  Person p;
  p.id = std::move(id);
  p.organisation = std::move(org);
  p.audiences = std::move(audiences);
  p.locality = std::move(locality);
  return p;
}

TrainingRecord Did(std::string person, std::string module, Date date) {
  TrainingRecord r;
  r.id = person + module;
  r.person = std::move(person);
  r.module = std::move(module);
  r.date = date;
  return r;
}

TEST(SummariseNeedsTest, CountsEveryStatusBySector) {
  auto loaded = testing::Inline(kFramework);
  ASSERT_TRUE(loaded.framework.has_value());
  Area area;
  area.organisations = {
      {"NHS", "Trust", "health", "", "", "", std::nullopt, {}},
      {"SCH", "School", "education", "", "", "", std::nullopt, {}}};
  area.people = {Someone("P1", "NHS", {"practitioners"}),
                 Someone("P2", "NHS", {"practitioners"}),
                 Someone("P3", "SCH", {"admin-staff"}),
                 Someone("P4", "", {"practitioners"})};
  area.records = {
      Did("P1", "SG01", On(2025, 1, 1)),   // in date until 2028
      Did("P2", "SG01", On(2023, 12, 1)),  // due within 3 months of 2026-11-22
      Did("P3", "SG01", On(2020, 1, 1)),   // expired
      Did("P1", "IS01", On(2010, 5, 5))};
  const NeedsOptions options{.on = On(2026, 11, 22)};
  auto rows = SummariseNeeds(*loaded.framework, area.Contexts(),
                             GroupBy::kSector, options);
  std::vector<std::string> got;
  for (const auto& r : rows) {
    got.push_back(r.group + " " + r.module + " people=" +
                  std::to_string(r.people) + " done=" + std::to_string(r.done) +
                  " due=" + std::to_string(r.due_soon) +
                  " expired=" + std::to_string(r.expired) +
                  " outstanding=" + std::to_string(r.outstanding) +
                  " places=" + std::to_string(r.PlacesNeeded()));
  }
  EXPECT_THAT(
      got,
      ::testing::ElementsAre(
          "(none) IS01 people=1 done=0 due=0 expired=0 outstanding=1 places=1",
          "(none) SG01 people=1 done=0 due=0 expired=0 outstanding=1 places=1",
          "education SG01 people=1 done=0 due=0 expired=1 outstanding=0 "
          "places=1",
          "education AD01 people=1 done=0 due=0 expired=0 outstanding=1 "
          "places=1",
          "health IS01 people=2 done=1 due=0 expired=0 outstanding=1 places=1",
          "health SG01 people=2 done=1 due=1 expired=0 outstanding=0 "
          "places=1"));
}

TEST(SummariseNeedsTest, APersonCountsInEachOfTheirAudiences) {
  auto loaded = testing::Inline(kFramework);
  ASSERT_TRUE(loaded.framework.has_value());
  Area area;
  area.people = {Someone("P1", "", {"practitioners", "admin-staff"}, "West")};
  const NeedsOptions options{.on = On(2026, 11, 22)};
  auto by_audience = SummariseNeeds(*loaded.framework, area.Contexts(),
                                    GroupBy::kAudience, options);
  // Three modules apply to the person, each counted under both audiences.
  EXPECT_EQ(by_audience.size(), 6u);
  auto by_locality = SummariseNeeds(*loaded.framework, area.Contexts(),
                                    GroupBy::kLocality, options);
  ASSERT_EQ(by_locality.size(), 3u);
  EXPECT_EQ(by_locality[0].group, "West");
}

TEST(SummariseNeedsTest, GroupNames) {
  EXPECT_EQ(ParseGroupBy("sector"), GroupBy::kSector);
  EXPECT_EQ(ParseGroupBy("organisation"), GroupBy::kOrganisation);
  EXPECT_EQ(ParseGroupBy("locality"), GroupBy::kLocality);
  EXPECT_EQ(ParseGroupBy("audience"), GroupBy::kAudience);
  EXPECT_EQ(ParseGroupBy("team"), std::nullopt);
}

}  // namespace
}  // namespace trellis
