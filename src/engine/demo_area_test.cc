#include "engine/demo_area.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "engine/needs.h"
#include "engine/test_frameworks.h"

namespace trellis {
namespace {

Date On(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

DemoOptions Options(int people, std::uint64_t seed = 1) {
  DemoOptions options;
  options.people = people;
  options.seed = seed;
  options.today = On(2011, 3, 31);
  return options;
}

// Everything generated, written out field by field: equal text is equal
// output.
std::string Dump(const Workforce& w) {
  std::ostringstream out;
  auto date = [](const std::optional<Date>& d) {
    return d ? FormatIsoDate(*d) : std::string("-");
  };
  for (const auto& o : w.organisations) {
    out << o.id << '|' << o.name << '|' << o.sector << '|' << o.type << '|'
        << o.case_management_system << '|' << o.locality << '|'
        << date(o.isp_signed) << '\n';
    for (const auto& r : o.readiness) {
      for (const auto& c : r.conditions) {
        out << ' ' << r.checklist << '|' << c.number << '|' << c.text << '|'
            << c.met << '|' << c.evidence << '|' << date(c.date) << '\n';
      }
    }
  }
  for (const auto& p : w.people) {
    out << p.id << '|' << p.name << '|' << p.email << '|' << p.organisation
        << '|' << p.role << '|' << p.manager << '|' << p.locality << '|'
        << date(p.start_date);
    for (const auto& a : p.audiences) out << '|' << a;
    out << '\n';
    for (const auto& c : p.checks) {
      out << ' ' << c.check << '|' << FormatIsoDate(c.date) << '|' << c.detail
          << '\n';
    }
    for (const auto& e : p.experience) {
      out << ' ' << e.area << '|' << e.level << '|' << e.years.value_or(-1)
          << '|' << e.attested_by << '\n';
    }
  }
  for (const auto& r : w.records) {
    out << r.id << '|' << r.person << '|' << r.module << '|' << r.module_version
        << '|' << FormatIsoDate(r.date) << '|' << TrainingOutcomeName(r.outcome)
        << '|' << RecordSourceName(r.source) << '|' << r.evidence << '|'
        << r.recorded_by << '\n';
  }
  return out.str();
}

template <typename T>
std::set<std::string> Ids(const std::vector<T>& items) {
  std::set<std::string> ids;
  for (const auto& item : items) ids.insert(item.id);
  return ids;
}

// The people of one organisation who hold a check.
double ShareWithCheck(const Workforce& w, const std::string& organisation,
                      const std::string& check) {
  int people = 0;
  int holding = 0;
  for (const auto& p : w.people) {
    if (p.organisation != organisation) continue;
    ++people;
    for (const auto& c : p.checks) {
      if (c.check == check) {
        ++holding;
        break;
      }
    }
  }
  return people == 0 ? -1.0 : static_cast<double>(holding) / people;
}

TEST(DemoAreaTest, SameSeedGivesIdenticalOutput) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const std::string first = Dump(GenerateDemoArea(fw, Options(500, 7)));
  EXPECT_EQ(first, Dump(GenerateDemoArea(fw, Options(500, 7))));
  EXPECT_GT(first.size(), 10'000u);
}

TEST(DemoAreaTest, AnotherSeedGivesAnotherArea) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  EXPECT_NE(Dump(GenerateDemoArea(fw, Options(500, 7))),
            Dump(GenerateDemoArea(fw, Options(500, 8))));
}

TEST(DemoAreaTest, GivesTheRequestedNumberOfPeopleNumberedInOrder) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  struct Row {
    int people;
    const char* last_id;
  };
  for (const Row& row : {Row{0, ""}, Row{1, "P000001"}, Row{9, "P000009"},
                         Row{250, "P000250"}, Row{4000, "P004000"}}) {
    SCOPED_TRACE(row.people);
    const Workforce w = GenerateDemoArea(fw, Options(row.people));
    ASSERT_EQ(w.people.size(), static_cast<size_t>(row.people));
    if (row.people > 0) {
      EXPECT_EQ(w.people.front().id, "P000001");
      EXPECT_EQ(w.people.back().id, row.last_id);
    }
    EXPECT_EQ(Ids(w.people).size(), w.people.size());
    EXPECT_FALSE(w.organisations.empty());
  }
}

// Every reference resolves, and every id is one the framework defines.
TEST(DemoAreaTest, EveryReferenceResolvesInEachShippedFramework) {
  for (const char* id :
       {"newcastle-2009", "dcsf-2006", "north-lincs-lscb-2017"}) {
    SCOPED_TRACE(id);
    const Framework& fw = testing::Shipped(id);
    const Workforce w = GenerateDemoArea(fw, Options(1500));
    const auto organisations = Ids(w.organisations);
    const auto people = Ids(w.people);
    auto sectors = Ids(fw.sectors);
    sectors.insert("other");
    const auto audiences = Ids(fw.audiences);
    const auto roles = Ids(fw.roles);
    const auto checks = Ids(fw.checks);
    const auto checklists = Ids(fw.readiness);
    EXPECT_EQ(organisations.size(), w.organisations.size());
    std::map<std::string, const Organisation*> organisation_of;
    for (const auto& o : w.organisations) {
      organisation_of[o.id] = &o;
      EXPECT_TRUE(sectors.contains(o.sector)) << o.id << " " << o.sector;
      EXPECT_FALSE(o.case_management_system.empty()) << o.id;
      EXPECT_EQ(o.readiness.size(), fw.readiness.size()) << o.id;
      for (const auto& r : o.readiness)
        EXPECT_TRUE(checklists.contains(r.checklist));
    }
    std::map<std::string, const Person*> person_of;
    for (const auto& p : w.people) person_of[p.id] = &p;
    for (const auto& p : w.people) {
      ASSERT_TRUE(organisations.contains(p.organisation)) << p.id;
      if (!p.manager.empty()) {
        ASSERT_TRUE(people.contains(p.manager)) << p.id;
        EXPECT_NE(p.manager, p.id);
        EXPECT_EQ(person_of[p.manager]->organisation, p.organisation) << p.id;
      }
      EXPECT_EQ(p.audiences.size(), fw.audiences.empty() ? 0u : 1u) << p.id;
      for (const auto& a : p.audiences)
        EXPECT_TRUE(audiences.contains(a)) << p.id << " " << a;
      EXPECT_TRUE(p.role.empty() || roles.contains(p.role)) << p.id;
      for (const auto& c : p.checks)
        EXPECT_TRUE(checks.contains(c.check)) << p.id << " " << c.check;
      for (const auto& e : p.experience) {
        EXPECT_EQ(e.attested_by, p.manager) << p.id;
        EXPECT_FALSE(e.area.empty()) << p.id;
      }
      EXPECT_THAT(p.email, ::testing::EndsWith(".example")) << p.id;
    }
    for (const auto& r : w.records) {
      ASSERT_TRUE(people.contains(r.person)) << r.id;
      const Module* module = fw.FindModule(r.module);
      ASSERT_NE(module, nullptr) << r.id;
      EXPECT_EQ(r.module_version, module->version) << r.id;
      EXPECT_EQ(r.recorded_by, "demo");
    }
    EXPECT_FALSE(w.records.empty());
  }
}

TEST(DemoAreaTest, RecordsLieBetweenStartDateAndToday) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const DemoOptions options = Options(3000);
  const Workforce w = GenerateDemoArea(fw, options);
  std::map<std::string, const Person*> person_of;
  for (const auto& p : w.people) person_of[p.id] = &p;
  std::map<std::string, int> sequence;
  std::map<std::string, Date> previous;
  for (const auto& r : w.records) {
    const Person& p = *person_of.at(r.person);
    ASSERT_TRUE(p.start_date.has_value());
    EXPECT_LE(r.date, options.today) << r.id;
    EXPECT_GE(r.date, *p.start_date) << r.id;
    // Numbered per person in date order: "demo:P000001:1", ...
    EXPECT_EQ(r.id,
              "demo:" + r.person + ":" + std::to_string(++sequence[r.person]));
    if (auto it = previous.find(r.person); it != previous.end()) {
      EXPECT_LE(it->second, r.date) << r.id;
    }
    previous.insert_or_assign(r.person, r.date);
  }
  for (const auto& p : w.people) {
    EXPECT_LE(*p.start_date, options.today);
    for (const auto& c : p.checks) EXPECT_LE(c.date, options.today) << p.id;
  }
}

TEST(DemoAreaTest, WithoutADateHistoriesEndWithTheFrameworkPeriod) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  DemoOptions options;
  options.people = 300;
  const Workforce w = GenerateDemoArea(fw, options);
  ASSERT_FALSE(w.records.empty());
  for (const auto& r : w.records) EXPECT_LE(r.date, On(2011, 9, 30)) << r.id;
}

// [000 App. 3] "only 25% of anticipated Users holding an eCRB" at the acute
// trust, while "All expected ContactPoint Users have an eCRB" at the college.
TEST(DemoAreaTest, EnhancedCrbHoldingFollowsAppendix3) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(8000));
  const double acute =
      ShareWithCheck(w, "newcastle-acute-trust", "enhanced-crb");
  EXPECT_GT(acute, 0.15);
  EXPECT_LT(acute, 0.35);
  EXPECT_GT(ShareWithCheck(w, "newcastle-college", "enhanced-crb"), 0.95);
  EXPECT_GT(ShareWithCheck(w, "newcastle-city-council-csc", "enhanced-crb"),
            0.85);
  // A framework that says DBS gets the same picture under its own id.
  const Framework& north_lincs = testing::Shipped("north-lincs-lscb-2017");
  EXPECT_EQ(ShareWithCheck(GenerateDemoArea(north_lincs, Options(500)),
                           "newcastle-acute-trust", "enhanced-crb"),
            0.0);
}

TEST(DemoAreaTest, EveryOrganisationHas28NumberedAccreditationConditions) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(100));
  std::map<std::string, int> met;
  for (const auto& o : w.organisations) {
    ASSERT_EQ(o.readiness.size(), 1u) << o.id;
    const Readiness& r = o.readiness.front();
    EXPECT_EQ(r.checklist, "contactpoint-accreditation");
    ASSERT_EQ(r.conditions.size(), 28u) << o.id;
    for (size_t i = 0; i < r.conditions.size(); ++i) {
      const ReadinessCondition& c = r.conditions[i];
      EXPECT_EQ(c.number, static_cast<int>(i + 1));
      EXPECT_EQ(c.met, c.date.has_value()) << o.id << " " << c.number;
      EXPECT_EQ(c.met, !c.evidence.empty()) << o.id << " " << c.number;
      if (c.met) ++met[o.id];
    }
  }
  // [000 App. 3]: the council confident; NTW on track; the acute trust's
  // project group just started; independent schools not begun.
  EXPECT_EQ(met["newcastle-city-council-csc"], 28);
  EXPECT_GE(met["ntw-mental-health-trust"], 22);
  EXPECT_GE(met["newcastle-college"], 20);
  EXPECT_LE(met["newcastle-acute-trust"], 8);
  EXPECT_EQ(met["newcastle-independent-schools"], 0);
}

TEST(DemoAreaTest, OrganisationsComeFromTheSources) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(100));
  std::map<std::string, const Organisation*> by_id;
  for (const auto& o : w.organisations) by_id[o.id] = &o;
  struct Row {
    const char* id;
    const char* sector;
    const char* system;
    bool signatory;
  };
  for (const Row& row : {
           // [000] roll-out table
           Row{"newcastle-city-council-csc", "social-family-community-support",
               "Care First", false},
           Row{"newcastle-youth-offending-team", "justice-crime-prevention",
               "Care Works", false},
           Row{"newcastle-childrens-centres", "early-years-childcare-play",
               "E Start", false},
           Row{"connexions-newcastle", "youth-services", "Profile", false},
           // [000 App. 3]
           Row{"ntw-mental-health-trust", "health", "Web browser", false},
           Row{"voluntary-sector-youth-projects", "third-sector", "Web browser",
               false},
           Row{"newcastle-college", "education", "Web browser", false},
           // [004] signatories
           Row{"hampshire-constabulary", "justice-crime-prevention", "None",
               true},
           Row{"hampshire-fire-rescue", "other", "None", true},
           Row{"wessex-youth-offending-team", "justice-crime-prevention",
               "Care Works", true},
       }) {
    SCOPED_TRACE(row.id);
    ASSERT_TRUE(by_id.contains(row.id));
    const Organisation& o = *by_id[row.id];
    EXPECT_EQ(o.sector, row.sector);
    EXPECT_EQ(o.case_management_system, row.system);
    EXPECT_EQ(o.isp_signed.has_value(), row.signatory);
  }
}

// The sources name key contacts; the demo must not reuse them.
TEST(DemoAreaTest, NamesNoneOfThePeopleTheSourcesName) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(4000));
  for (const auto& p : w.people) {
    for (const char* surname :
         {"Jobbins", "Williams", "Johnston", "Emslie", "Nelson", "Moore",
          "Smith", "Hindson", "Jenkins", "Geldof"}) {
      EXPECT_THAT(p.name, ::testing::Not(::testing::HasSubstr(surname)))
          << p.id;
    }
  }
}

TEST(DemoAreaTest, AudiencesRolesAndManagersHaveARealisticMix) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(4000));
  std::map<std::string, int> audiences;
  std::map<std::string, int> roles;
  std::map<std::string, const Person*> person_of;
  for (const auto& p : w.people) {
    person_of[p.id] = &p;
    for (const auto& a : p.audiences) ++audiences[a];
    ++roles[p.role];
  }
  const double n = static_cast<double>(w.people.size());
  EXPECT_GT(audiences["practitioners"] / n, 0.6);
  EXPECT_NEAR(audiences["operational-managers"] / n, 0.10, 0.03);
  EXPECT_GT(audiences["strategic-managers"], 10);
  EXPECT_GT(audiences["admin-staff"], audiences["operational-managers"]);
  EXPECT_GT(audiences["trainers"], 0);
  EXPECT_LT(audiences["trainers"], audiences["strategic-managers"] + 40);
  EXPECT_NEAR(roles["contactpoint-user"] / n, 0.25, 0.07);
  // [000 §1] a few certified people in each Local Implementation Team role.
  EXPECT_GE(roles["contactpoint-manager"], 1);
  EXPECT_LE(roles["contactpoint-manager"], 4);
  int managed = 0;
  for (const auto& p : w.people) {
    if (p.audiences == std::vector<std::string>{"practitioners"} &&
        !p.manager.empty()) {
      ++managed;
      EXPECT_THAT(person_of[p.manager]->audiences,
                  ::testing::Contains("operational-managers"))
          << p.id;
    }
    if (p.audiences == std::vector<std::string>{"operational-managers"} &&
        !p.manager.empty()) {
      EXPECT_THAT(person_of[p.manager]->audiences,
                  ::testing::Contains("strategic-managers"))
          << p.id;
    }
  }
  EXPECT_GT(managed, audiences["practitioners"] * 9 / 10);
}

TEST(DemoAreaTest, NeedsShowAMixOfStatuses) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const DemoOptions options = Options(4000);
  const Workforce w = GenerateDemoArea(fw, options);
  std::map<std::string, const Organisation*> organisation_of;
  for (const auto& o : w.organisations) organisation_of[o.id] = &o;
  std::map<std::string, std::vector<const TrainingRecord*>> records_of;
  for (const auto& r : w.records) records_of[r.person].push_back(&r);
  std::map<NeedStatus, int> statuses;
  std::set<std::string> outcomes;
  std::set<std::string> sources;
  for (const auto& r : w.records) {
    outcomes.insert(TrainingOutcomeName(r.outcome));
    sources.insert(RecordSourceName(r.source));
  }
  NeedsOptions needs_options;
  needs_options.on = options.today;
  for (const auto& p : w.people) {
    PersonContext context{&p, organisation_of.at(p.organisation),
                          records_of[p.id]};
    for (const Need& need : ComputeNeeds(fw, context, needs_options))
      ++statuses[need.status];
  }
  const int done = statuses[NeedStatus::kDone];
  EXPECT_GT(done, 1000);
  EXPECT_GT(statuses[NeedStatus::kOutstanding], done / 10);
  EXPECT_GT(statuses[NeedStatus::kExpired], 20);
  EXPECT_GT(statuses[NeedStatus::kDueSoon], 5);
  EXPECT_THAT(outcomes, ::testing::ElementsAre("completed", "failed",
                                               "partly-attended", "passed"));
  EXPECT_THAT(sources, ::testing::ElementsAre("e-learning", "external",
                                              "session", "single-agency"));
}

// [000 §1] ContactPoint users train only once their employer is accredited.
TEST(DemoAreaTest, ContactPointTrainingOnlyWhereTheEmployerIsReady) {
  const Framework& fw = testing::Shipped("newcastle-2009");
  const Workforce w = GenerateDemoArea(fw, Options(4000));
  std::map<std::string, bool> ready;
  for (const auto& o : w.organisations) {
    bool all = true;
    for (const auto& c : o.readiness.front().conditions) all = all && c.met;
    ready[o.id] = all;
  }
  std::map<std::string, std::string> organisation_of;
  for (const auto& p : w.people) organisation_of[p.id] = p.organisation;
  int trained = 0;
  for (const auto& r : w.records) {
    if (r.module != "CP-USER") continue;
    ++trained;
    EXPECT_TRUE(ready[organisation_of[r.person]]) << r.id;
  }
  EXPECT_GT(trained, 50);
}

TEST(DemoAreaTest, WorksForAFrameworkWithNothingButItsHeader) {
  auto loaded =
      testing::Inline(R"(framework: {id: t, title: T, version: "1"})");
  ASSERT_TRUE(loaded.framework.has_value());
  const Workforce w = GenerateDemoArea(*loaded.framework, Options(200));
  EXPECT_EQ(w.people.size(), 200u);
  EXPECT_TRUE(w.records.empty());
  int managed = 0;
  for (const auto& p : w.people) {
    EXPECT_TRUE(p.audiences.empty());
    EXPECT_TRUE(p.role.empty());
    EXPECT_TRUE(p.checks.empty());
    if (!p.manager.empty()) ++managed;
  }
  EXPECT_GT(managed, 150);
  for (const auto& o : w.organisations) {
    EXPECT_EQ(o.sector, "other");
    EXPECT_TRUE(o.readiness.empty());
  }
}

}  // namespace
}  // namespace trellis
