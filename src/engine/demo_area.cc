#include "engine/demo_area.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/text.h"
#include "engine/needs.h"
#include "engine/route.h"

namespace trellis {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// --- Randomness ---
// std::mt19937_64's sequence is fixed by the standard; the std distributions
// are not, so every draw goes through these helpers.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // A whole number in [0, n); 0 when n is 0. The modulo bias is below 2^-40
  // for the small n used here.
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  size_t Index(size_t n) { return static_cast<size_t>(Below(n)); }
  // A whole number in [lo, hi]; lo when hi < lo.
  int Between(int lo, int hi) {
    if (hi <= lo) return lo;
    return lo +
           static_cast<int>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // A real number in [0, 1) from the top 53 bits.
  double Real() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Real() < p; }

  // Fisher-Yates, since std::shuffle's order is the library's own.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[Index(i)]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

Date AddDays(const Date& date, int count) {
  return Date{sys_days{date} + days{count}};
}
int DaysFrom(const Date& from, const Date& to) {
  return static_cast<int>((sys_days{to} - sys_days{from}).count());
}
Date DateBetween(Random& random, const Date& from, const Date& to) {
  if (to <= from) return from;
  return AddDays(from, random.Between(0, DaysFrom(from, to)));
}
Date Earlier(const Date& a, const Date& b) { return a < b ? a : b; }
Date Later(const Date& a, const Date& b) { return a < b ? b : a; }
Date On(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month},
              std::chrono::day{day}};
}

// The shorter of two periods, judged from `from`; either may be absent.
std::optional<Period> Shorter(const std::optional<Period>& a,
                              const std::optional<Period>& b,
                              const Date& from) {
  if (!a) return b;
  if (!b) return a;
  return AddPeriod(from, *b) < AddPeriod(from, *a) ? b : a;
}

// Shares of `total` in proportion to `weights` (largest remainder, ties to the
// earlier), so every count is exact and the same on every platform.
std::vector<int> Apportion(int total, const std::vector<int>& weights) {
  std::vector<int> counts(weights.size(), 0);
  std::int64_t sum = 0;
  for (int w : weights) sum += std::max(w, 0);
  if (total <= 0 || sum == 0) return counts;
  std::vector<std::pair<std::int64_t, size_t>> remainders;
  int given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const std::int64_t share =
        static_cast<std::int64_t>(total) * std::max(weights[i], 0);
    counts[i] = static_cast<int>(share / sum);
    given += counts[i];
    remainders.emplace_back(share % sum, i);
  }
  std::stable_sort(
      remainders.begin(), remainders.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total; ++k, ++given) {
    ++counts[remainders[k % remainders.size()].second];
  }
  return counts;
}

// --- The organisations ---

struct OrganisationSpec {
  std::string_view id;
  std::string_view name;
  // Sector ids in order of fit, space-separated; the first the framework
  // defines is used.
  std::string_view sectors;
  std::string_view type;
  std::string_view case_management_system;
  std::string_view locality;
  std::string_view domain;      // work email domain, under .example
  int weight;                   // share of the people
  double dbs_share;             // people holding an enhanced CRB/DBS
  double readiness_share;       // readiness conditions met
  int volunteer_weight;         // per mille of people who are volunteers
  std::string_view isp_signed;  // ISO date, or empty: not a signatory [004]
  bool implementation_team;  // hosts the ContactPoint Local Implementation Team
};

// [000] roll-out table (service group -> ContactPoint access) and App. 3
// (readiness by partner, February 2009); [004] the protocol's signatories.
// Weights follow [000]'s picture of the 4000 users: the council and health the
// biggest, then schools. Readiness shares follow App. 3's words; the council is
// "confident that the Local Authority will meet those requirements", the youth
// offending team, a partnership, one condition short.
// Columns: id, name, sectors, type, case-management system, locality, email
// domain; weight, eCRB share, readiness share, volunteers per mille; protocol
// signed; hosts the Local Implementation Team.
constexpr std::array<OrganisationSpec, 29> kOrganisations = {{
    // [000] "Social Care: Care First"
    {"newcastle-city-council-csc",
     "Newcastle City Council, Children's Social Care",
     "social-family-community-support social-care", "Local authority",
     "Care First", "Inner West", "newcastle-council", 24, 0.95, 1.0, 0, "",
     true},
    // [000] "Local Authority: Capita 1 (EMS)", the education management system
    {"newcastle-city-council-education",
     "Newcastle City Council, Education Services", "education",
     "Local authority", "Capita 1 (EMS)", "East", "newcastle-council", 10, 0.92,
     1.0, 0, "", true},
    {"newcastle-city-council-youth", "Newcastle City Council, Youth Service",
     "youth-services youth-work", "Local authority", "Capita 1 (EMS)", "West",
     "newcastle-council", 6, 0.92, 1.0, 30, "", false},
    // [000] "Youth Offending Team: Care Works"
    {"newcastle-youth-offending-team", "Newcastle Youth Offending Team",
     "justice-crime-prevention youth-work social-care", "Youth offending team",
     "Care Works", "Outer West", "newcastle-council", 3, 0.95, 0.96, 0, "",
     false},
    // [000] "Children's Centres: E Start"
    {"newcastle-childrens-centres", "Newcastle Children's Centres",
     "early-years-childcare-play social-care", "Children's centres", "E Start",
     "North", "newcastle-council", 8, 0.9, 1.0, 40, "", false},
    // [000] "Connexions: Profile"; App. 3 does not report on it.
    {"connexions-newcastle", "Connexions Newcastle",
     "youth-services youth-work", "Connexions service", "Profile", "Inner West",
     "connexions-newcastle", 4, 0.92, 0.75, 0, "", false},
    // [000 App. 3] maintained schools await national guidance; "Some of the
    // anticipated ContactPoint Users in schools may not hold eCRBs".
    {"newcastle-primary-schools", "Newcastle maintained primary schools",
     "education", "Maintained schools", "Web browser", "North",
     "newcastle-schools", 14, 0.6, 0.4, 30, "", false},
    {"newcastle-secondary-schools", "Newcastle maintained secondary schools",
     "education", "Maintained schools", "Web browser", "East",
     "newcastle-schools", 12, 0.6, 0.4, 20, "", false},
    // [000 App. 3] "Work has not yet begun with Independent Schools".
    {"newcastle-independent-schools", "Newcastle independent schools",
     "education", "Independent schools", "Web browser", "Outer West",
     "newcastle-independent-schools", 3, 0.55, 0.0, 20, "", false},
    // [000] voluntary organisations "without a case management system" use a
    // web browser; App. 3: "each organisation will need to be accredited ...
    // There are no anticipated eCRB issues".
    {"voluntary-sector-family-support",
     "Voluntary sector family support projects",
     "third-sector voluntary-community social-family-community-support",
     "Voluntary organisation", "Web browser", "West", "family-support-vcs", 3,
     0.9, 0.1, 150, "", false},
    {"voluntary-sector-youth-projects", "Voluntary sector youth projects",
     "third-sector voluntary-community youth-services",
     "Voluntary organisation", "Web browser", "East", "youth-projects-vcs", 3,
     0.9, 0.1, 150, "", false},
    {"voluntary-sector-early-years",
     "Voluntary sector early years and play groups",
     "third-sector voluntary-community early-years-childcare-play",
     "Voluntary organisation", "Web browser", "North", "early-years-vcs", 2,
     0.9, 0.05, 150, "", false},
    // [000 App. 3] "All nominated ContactPoint users have an enhanced CRB. The
    // Trust is on track to pass accreditation"; [000] "Health: Web browser".
    {"ntw-mental-health-trust", "NTW Mental Health Trust", "health",
     "NHS mental health trust", "Web browser", "Outer West", "ntw-nhs", 8, 1.0,
     0.9, 0, "", false},
    // [000 App. 3] "Work has started with accreditation".
    {"newcastle-pct", "Newcastle Primary Care Trust", "health",
     "NHS primary care trust", "Web browser", "Inner West", "newcastle-pct-nhs",
     14, 0.9, 0.5, 0, "", false},
    // [000 App. 3] "only 25% of anticipated Users holding an eCRB"; its
    // Project Group "has recently started".
    {"newcastle-acute-trust", "Newcastle Acute Hospitals Trust", "health",
     "NHS acute trust", "Web browser", "Inner West", "acute-trust-nhs", 12,
     0.25, 0.15, 0, "", false},
    // [000 App. 3] "nearly 2,000 junior doctors": a logistical challenge
    // escalated to the National Project Team.
    {"northern-deanery", "Northern Deanery (junior doctors)", "health",
     "NHS postgraduate deanery", "Web browser", "Inner West",
     "northern-deanery-nhs", 5, 0.85, 0.05, 0, "", false},
    // [000 App. 3] "All expected ContactPoint Users have an eCRB ... currently
    // writing policies and procedures to meet accreditation".
    {"newcastle-college", "Newcastle College", "education",
     "Further education college", "Web browser", "Inner West",
     "newcastle-college", 4, 1.0, 0.85, 0, "", false},
    // [004] the signatories of the Hampshire Information Sharing Protocol,
    // signed "over the past few months" before the spring 2005 newsletter; the
    // days are not given, so they are spread over that winter. Their systems
    // follow [000]'s table by service group; readiness is not reported for
    // them, so it is middling.
    {"blackwater-valley-hart-pct", "Blackwater Valley/Hart Primary Care Trust",
     "health", "NHS primary care trust", "Web browser", "Hampshire",
     "blackwater-valley-hart-pct-nhs", 2, 0.9, 0.6, 0, "2004-11-15", false},
    {"east-hampshire-pct", "East Hampshire PCT", "health",
     "NHS primary care trust", "Web browser", "Hampshire",
     "east-hampshire-pct-nhs", 2, 0.9, 0.6, 0, "2004-11-22", false},
    {"eastleigh-test-valley-south-pct", "Eastleigh and Test Valley South PCT",
     "health", "NHS primary care trust", "Web browser", "Hampshire",
     "eastleigh-tvs-pct-nhs", 2, 0.9, 0.6, 0, "2004-12-06", false},
    {"fareham-gosport-pct", "Fareham and Gosport PCT", "health",
     "NHS primary care trust", "Web browser", "Hampshire",
     "fareham-gosport-pct-nhs", 2, 0.9, 0.6, 0, "2004-12-13", false},
    {"hampshire-constabulary", "Hampshire Constabulary",
     "justice-crime-prevention police", "Police force", "None", "Hampshire",
     "hampshire-constabulary", 2, 0.95, 0.5, 0, "2005-01-10", false},
    {"hampshire-county-council", "Hampshire County Council",
     "social-family-community-support social-care", "Local authority",
     "Care First", "Hampshire", "hampshire-council", 5, 0.92, 0.7, 0,
     "2004-11-01", false},
    {"hampshire-fire-rescue", "Hampshire Fire & Rescue Service", "other",
     "Fire and rescue service", "None", "Hampshire", "hampshire-fire", 1, 0.8,
     0.3, 0, "2005-01-24", false},
    {"mid-hampshire-pct", "Mid Hampshire PCT", "health",
     "NHS primary care trust", "Web browser", "Hampshire",
     "mid-hampshire-pct-nhs", 2, 0.9, 0.6, 0, "2005-02-07", false},
    {"new-forest-pct", "New Forest PCT", "health", "NHS primary care trust",
     "Web browser", "Hampshire", "new-forest-pct-nhs", 2, 0.9, 0.6, 0,
     "2005-02-14", false},
    {"north-hampshire-pct", "North Hampshire PCT", "health",
     "NHS primary care trust", "Web browser", "Hampshire",
     "north-hampshire-pct-nhs", 2, 0.9, 0.6, 0, "2005-02-21", false},
    {"south-central-connexions", "South Central Connexions",
     "youth-services youth-work", "Connexions service", "Profile", "Hampshire",
     "south-central-connexions", 1, 0.92, 0.6, 0, "2005-01-17", false},
    {"wessex-youth-offending-team", "Wessex Youth Offending Team",
     "justice-crime-prevention youth-work social-care", "Youth offending team",
     "Care Works", "Hampshire", "wessex-yot", 1, 0.95, 0.6, 0, "2004-12-20",
     false},
}};

// Neutral Newcastle localities; people mostly work in their organisation's.
constexpr std::array<std::string_view, 5> kLocalities = {
    "North", "East", "West", "Inner West", "Outer West"};

// What shows a readiness condition met, in the words of [000 App. 3].
constexpr std::array<std::string_view, 8> kReadinessEvidence = {
    "Reviewed by HR against the accreditation condition",
    "Network and workstation security reviewed against DCSF guidelines",
    "Policy and procedure approved by the project group",
    "CRB status of nominated users confirmed with the CRB checking team",
    "Communications to managers on subject access requests",
    "Public-facing web page for queries in place",
    "IT support and helpdesk arrangements agreed",
    "Data quality checked and ready to send"};

// Synthetic names. None of the people the sources name is among them, nor
// their surnames.
constexpr std::array<std::string_view, 42> kFirstNames = {
    "Amy",     "Ben",    "Chloe",  "Daniel", "Emma",    "Farah",   "George",
    "Hannah",  "Imran",  "Jack",   "Katie",  "Liam",    "Megan",   "Nathan",
    "Olivia",  "Priya",  "Ryan",   "Sophie", "Thomas",  "Uma",     "Victoria",
    "William", "Yasmin", "Zoe",    "Adam",   "Bethany", "Callum",  "Dawn",
    "Ewan",    "Fiona",  "Gareth", "Helen",  "Ian",     "Joanne",  "Kevin",
    "Laura",   "Mark",   "Nicola", "Owen",   "Rachel",  "Stephen", "Tracey"};
constexpr std::array<std::string_view, 34> kLastNames = {
    "Armstrong", "Bell",    "Dixon",   "Elliott", "Forster", "Graham",
    "Hall",      "Irving",  "Jackson", "Kerr",    "Lambert", "Nixon",
    "Oliver",    "Patel",   "Quinn",   "Robson",  "Scott",   "Thompson",
    "Urwin",     "Wilson",  "Young",   "Ahmed",   "Brown",   "Carr",
    "Davison",   "Fenwick", "Gibson",  "Hussain", "Kaur",    "Lowes",
    "Ridley",    "Stoker",  "Taylor",  "Walton"};

// --- The people ---

// What a person does, whatever the framework calls their audience: it decides
// who manages whom.
enum class Kind {
  kPractitioner,
  kOperationalManager,
  kStrategicManager,
  kAdmin,
  kTrainer,
  kVolunteer,
  kOther
};

struct AudienceShare {
  std::string audience;  // empty when the framework has no audiences
  Kind kind = Kind::kOther;
  int weight = 0;  // per mille; volunteers take the organisation's
};

// [000 §1]: per fortnight 6 practitioner sessions, 1 manager session and 1
// for administrative staff; a pool of trainers and a few senior managers.
std::vector<AudienceShare> AudienceShares(const Framework& framework) {
  static const std::map<std::string, std::pair<Kind, int>, std::less<>> kKnown =
      {{"practitioners", {Kind::kPractitioner, 700}},
       {"operational-managers", {Kind::kOperationalManager, 100}},
       {"strategic-managers", {Kind::kStrategicManager, 20}},
       {"admin-staff", {Kind::kAdmin, 120}},
       {"trainers", {Kind::kTrainer, 5}},
       {"volunteers", {Kind::kVolunteer, 0}}};
  std::vector<AudienceShare> shares;
  for (const auto& a : framework.audiences) {
    AudienceShare share;
    share.audience = a.id;
    share.kind = Kind::kOther;
    share.weight = 30;
    if (auto it = kKnown.find(a.id); it != kKnown.end()) {
      share.kind = it->second.first;
      share.weight = it->second.second;
    }
    shares.push_back(std::move(share));
  }
  if (shares.empty()) {
    // People still have managers when the framework names no audiences.
    for (auto [kind, weight] :
         {std::pair{Kind::kPractitioner, 750},
          std::pair{Kind::kOperationalManager, 100},
          std::pair{Kind::kStrategicManager, 20}, std::pair{Kind::kAdmin, 125},
          std::pair{Kind::kTrainer, 5}}) {
      AudienceShare share;
      share.kind = kind;
      share.weight = weight;
      shares.push_back(std::move(share));
    }
  }
  return shares;
}

// Per mille of the eligible who hold a role: "~4000 users" of a workforce
// several times larger [000 §1], CAF assessors and their managers [000 §3].
int RoleWeight(std::string_view role) {
  if (role == "contactpoint-user") return 270;
  if (role == "caf-lp-practitioner") return 150;
  if (role == "caf-lp-manager") return 250;
  return 50;
}

template <typename T>
bool Has(const std::vector<T>& items, std::string_view id) {
  return std::any_of(items.begin(), items.end(),
                     [&](const T& item) { return item.id == id; });
}

// The framework's id for the enhanced CRB/DBS check, or empty: [000] calls it
// CRB, later frameworks DBS.
std::string DbsCheckId(const Framework& framework) {
  for (const char* id : {"enhanced-dbs", "enhanced-crb"}) {
    if (Has(framework.checks, id)) return id;
  }
  return {};
}

constexpr std::string_view kIdentityCheck = "identity";
constexpr std::string_view kItCheck = "it-competence";
constexpr std::string_view kApplicationForm = "application-form";

// Experience and checks a condition asks for, in order.
void CollectAtoms(const Condition& condition,
                  std::vector<const Condition*>& experience,
                  std::vector<std::string>& checks) {
  switch (condition.kind) {
    case ConditionKind::kExperience:
      experience.push_back(&condition);
      break;
    case ConditionKind::kCheck:
      if (std::find(checks.begin(), checks.end(), condition.ref.id) ==
          checks.end())
        checks.push_back(condition.ref.id);
      break;
    case ConditionKind::kAllOf:
    case ConditionKind::kAnyOf:
      for (const auto& child : condition.children)
        CollectAtoms(child, experience, checks);
      break;
    default:
      break;
  }
}

// The shortest "within" of a sequencing: how soon the module must follow.
std::optional<Period> Within(const Condition& condition, const Date& from) {
  std::optional<Period> within = condition.within;
  for (const auto& child : condition.children)
    within = Shorter(within, Within(child, from), from);
  return within;
}

// The longest "at least" of a sequencing: how long the module must wait.
int AtLeastDays(const Condition& condition, const Date& from) {
  int count = condition.at_least
                  ? DaysFrom(from, AddPeriod(from, *condition.at_least))
                  : 0;
  for (const auto& child : condition.children)
    count = std::max(count, AtLeastDays(child, from));
  return count;
}

// --- Routes ---

struct PlanModule {
  const Module* module = nullptr;
  std::optional<Period> within;  // follows its predecessor within this
  int at_least_days = 0;         // and no sooner than this
  bool judged = false;           // has pre-requisites: ask the needs engine
  std::vector<const Condition*> experience;
  std::vector<std::string> checks;
};
struct PlanAlternative {
  std::vector<size_t> modules;  // into Plan::modules
  std::vector<const Condition*> experience;
  std::vector<std::string> checks;
};
struct PlanRequirement {
  std::vector<PlanAlternative> alternatives;
  std::optional<Period> refresh;
  // [000 induction chart] "Safeguarding Training or refresher if not completed
  // within the last 3 years": the first alternative is taken once, the last
  // one as the refresher.
  bool refresher_last = false;
};
// Everything a kind of person (audiences, role, sector) could be asked to
// take, in route order.
struct Plan {
  std::vector<PlanModule> modules;
  std::vector<PlanRequirement> requirements;
};

Plan MakePlan(const Framework& framework, const RouteSubject& subject,
              const Date& today) {
  Plan plan;
  std::vector<const Module*> wanted;
  std::vector<std::vector<std::vector<const Module*>>> by_requirement;
  for (const auto& requirement : framework.requirements) {
    if (!Applies(requirement.who, subject)) continue;
    auto alternatives = Alternatives(requirement.take, 4096);
    if (!alternatives || alternatives->empty()) continue;
    PlanRequirement r;
    r.refresh = requirement.refresh;
    r.refresher_last = requirement.refresh && alternatives->size() > 1;
    std::vector<std::vector<const Module*>> modules_of;
    for (const auto& alternative : *alternatives) {
      PlanAlternative a;
      for (const Condition* atom : alternative) {
        CollectAtoms(*atom, a.experience, a.checks);
      }
      modules_of.push_back(framework.ModulesOf(alternative));
      for (const Module* m : modules_of.back()) {
        if (std::find(wanted.begin(), wanted.end(), m) == wanted.end())
          wanted.push_back(m);
      }
      if (modules_of.back().size() != 1) r.refresher_last = false;
      r.alternatives.push_back(std::move(a));
    }
    by_requirement.push_back(std::move(modules_of));
    plan.requirements.push_back(std::move(r));
  }
  if (wanted.empty()) return plan;
  const Route route = OrderRoute(framework, wanted, subject);
  std::map<const Module*, size_t> position;
  for (const auto& step : route.steps) {
    if (position.contains(step.module)) continue;
    position.emplace(step.module, plan.modules.size());
    PlanModule pm;
    pm.module = step.module;
    if (step.module->sequencing) {
      pm.within = Within(*step.module->sequencing, today);
      pm.at_least_days = AtLeastDays(*step.module->sequencing, today);
    }
    if (step.module->prerequisites) {
      pm.judged = true;
      CollectAtoms(*step.module->prerequisites, pm.experience, pm.checks);
    }
    plan.modules.push_back(std::move(pm));
  }
  for (size_t i = 0; i < plan.requirements.size(); ++i) {
    for (size_t j = 0; j < by_requirement[i].size(); ++j) {
      for (const Module* m : by_requirement[i][j]) {
        // A framework with two modules of one ref routes only one of them.
        auto it = position.find(m);
        if (it != position.end())
          plan.requirements[i].alternatives[j].modules.push_back(it->second);
      }
    }
  }
  return plan;
}

// One person's choices over their plan.
struct Choices {
  std::vector<char> taken;                      // by plan module
  std::vector<std::optional<Period>> validity;  // by plan module
  std::vector<size_t> refresher;                // the module refreshing it
  std::vector<const Condition*> experience;
  std::set<std::string, std::less<>> checks;
};

Choices Choose(const Plan& plan, Random& random, const Date& today) {
  Choices c;
  const size_t n = plan.modules.size();
  c.taken.assign(n, 0);
  c.validity.assign(n, std::nullopt);
  c.refresher.resize(n);
  for (size_t i = 0; i < n; ++i) c.refresher[i] = i;
  auto take = [&](const PlanRequirement& r, size_t index) {
    const PlanAlternative& a = r.alternatives[index];
    for (size_t m : a.modules) {
      c.taken[m] = 1;
      c.validity[m] = Shorter(
          c.validity[m],
          r.refresh ? r.refresh : plan.modules[m].module->validity, today);
    }
    if (r.refresher_last && index == 0) {
      const size_t last = r.alternatives.back().modules.front();
      c.refresher[a.modules.front()] = last;
      c.validity[last] = c.validity[a.modules.front()];
    }
    c.experience.insert(c.experience.end(), a.experience.begin(),
                        a.experience.end());
    c.checks.insert(a.checks.begin(), a.checks.end());
  };
  for (const auto& r : plan.requirements) {
    if (r.alternatives.size() == 1) take(r, 0);
  }
  for (const auto& r : plan.requirements) {
    if (r.alternatives.size() == 1) continue;
    // As the needs engine does: an alternative other rules already bring
    // (admin staff who use ContactPoint take Handling Confidential Information
    // [000]); else mostly the first, the preferred.
    size_t pick = 0;
    bool covered = false;
    for (size_t i = 0; i < r.alternatives.size() && !covered; ++i) {
      const auto& modules = r.alternatives[i].modules;
      if (!modules.empty() &&
          std::all_of(modules.begin(), modules.end(),
                      [&](size_t m) { return c.taken[m] != 0; })) {
        pick = i;
        covered = true;
      }
    }
    if (!covered && !r.refresher_last && !random.Chance(0.7)) {
      pick = 1 + random.Index(r.alternatives.size() - 1);
    }
    take(r, pick);
  }
  for (size_t m = 0; m < n; ++m) {
    if (c.taken[m] == 0) continue;
    const auto& pm = plan.modules[m];
    c.experience.insert(c.experience.end(), pm.experience.begin(),
                        pm.experience.end());
    c.checks.insert(pm.checks.begin(), pm.checks.end());
  }
  return c;
}

// --- Generation ---

struct Slot {
  size_t organisation = 0;
  size_t share = 0;  // into the audience shares
};

class Generator {
 public:
  Generator(const Framework& framework, const DemoOptions& options)
      : fw_(framework),
        random_(options.seed),
        people_(std::max(options.people, 0)),
        today_(Today(framework, options)),
        shares_(AudienceShares(framework)),
        dbs_(DbsCheckId(framework)) {}

  Workforce Run() {
    Organisations();
    Slots();
    People();
    Managers();
    Roles();
    for (size_t i = 0; i < out_.people.size(); ++i) {
      Person& person = out_.people[i];
      const Plan& plan = PlanFor(person);
      Choices choices = Choose(plan, random_, today_);
      Checks(person, i, choices);
      Experience(person, choices);
      Training(person, plan, choices);
    }
    return std::move(out_);
  }

 private:
  static Date Today(const Framework& framework, const DemoOptions& options) {
    if (options.today.ok()) return options.today;
    if (framework.info.period.to && framework.info.period.to->ok())
      return *framework.info.period.to;
    if (framework.info.published && framework.info.published->ok())
      return *framework.info.published;
    return On(2011, 3, 31);
  }

  std::string SectorOf(const OrganisationSpec& spec) const {
    for (const std::string& s : SplitWords(spec.sectors)) {
      if (Has(fw_.sectors, s)) return s;
    }
    return "other";
  }

  void Organisations() {
    for (const auto& spec : kOrganisations) {
      Organisation org;
      org.id = spec.id;
      org.name = spec.name;
      org.sector = SectorOf(spec);
      org.type = spec.type;
      org.case_management_system = spec.case_management_system;
      org.locality = spec.locality;
      if (auto signed_on = ParseIsoDate(spec.isp_signed);
          signed_on && *signed_on <= today_) {
        org.isp_signed = *signed_on;
      }
      for (const auto& checklist : fw_.readiness) {
        org.readiness.push_back(ReadinessOf(checklist, spec.readiness_share));
      }
      out_.organisations.push_back(std::move(org));
    }
  }

  Readiness ReadinessOf(const ReadinessChecklist& checklist, double share) {
    Readiness readiness;
    readiness.checklist = checklist.id;
    const size_t count =
        checklist.condition_count
            ? static_cast<size_t>(std::max(*checklist.condition_count, 0))
            : checklist.conditions.size();
    std::vector<size_t> order(count);
    for (size_t i = 0; i < count; ++i) order[i] = i;
    random_.Shuffle(order);
    const auto met =
        static_cast<size_t>(std::lround(static_cast<double>(count) * share));
    std::vector<char> is_met(count, 0);
    for (size_t k = 0; k < met && k < count; ++k) is_met[order[k]] = 1;
    for (size_t i = 0; i < count; ++i) {
      ReadinessCondition condition;
      condition.number = static_cast<int>(i + 1);
      if (i < checklist.conditions.size())
        condition.text = checklist.conditions[i];
      condition.met = is_met[i] != 0;
      if (condition.met) {
        condition.evidence = kReadinessEvidence[i % kReadinessEvidence.size()];
        condition.date = AddDays(today_, -random_.Between(30, 900));
      }
      readiness.conditions.push_back(std::move(condition));
    }
    return readiness;
  }

  // Every person's organisation and audience, exact per organisation, then
  // shuffled so that ids do not follow organisations.
  void Slots() {
    std::vector<int> weights;
    for (const auto& spec : kOrganisations) weights.push_back(spec.weight);
    const std::vector<int> sizes = Apportion(people_, weights);
    auto find_kind = [&](Kind kind) {
      for (size_t i = 0; i < shares_.size(); ++i) {
        if (shares_[i].kind == kind) return std::optional<size_t>(i);
      }
      return std::optional<size_t>();
    };
    const auto practitioner = find_kind(Kind::kPractitioner);
    const auto operational = find_kind(Kind::kOperationalManager);
    const auto strategic = find_kind(Kind::kStrategicManager);
    for (size_t o = 0; o < kOrganisations.size(); ++o) {
      std::vector<int> share_weights;
      for (const auto& s : shares_) {
        share_weights.push_back(s.kind == Kind::kVolunteer
                                    ? kOrganisations[o].volunteer_weight
                                    : s.weight);
      }
      std::vector<int> counts = Apportion(sizes[o], share_weights);
      // Someone to manage the practitioners, and someone above them.
      auto ensure = [&](std::optional<size_t> kind, int from_size) {
        if (!kind || sizes[o] < from_size || counts[*kind] > 0) return;
        const size_t largest = static_cast<size_t>(
            std::max_element(counts.begin(), counts.end()) - counts.begin());
        const size_t donor =
            practitioner && counts[*practitioner] > 1 ? *practitioner : largest;
        if (donor == *kind || counts[donor] < 1) return;
        --counts[donor];
        ++counts[*kind];
      };
      ensure(operational, 2);
      ensure(strategic, 8);
      for (size_t s = 0; s < counts.size(); ++s) {
        for (int k = 0; k < counts[s]; ++k) slots_.push_back({o, s});
      }
    }
    random_.Shuffle(slots_);
  }

  void People() {
    out_.people.reserve(slots_.size());
    const int span = 15 * 365;  // start dates over fifteen years
    for (size_t i = 0; i < slots_.size(); ++i) {
      const Slot& slot = slots_[i];
      const OrganisationSpec& spec = kOrganisations[slot.organisation];
      Person p;
      std::string number = std::to_string(i + 1);
      if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
      p.id = "P" + number;
      const std::string_view first =
          kFirstNames[random_.Index(kFirstNames.size())];
      const std::string_view last =
          kLastNames[random_.Index(kLastNames.size())];
      p.name = std::string(first) + " " + std::string(last);
      p.email = ToLower(first) + "." + ToLower(last) + "+" +
                std::to_string(i + 1) + "@" + std::string(spec.domain) +
                ".example";
      p.organisation = spec.id;
      if (const auto& share = shares_[slot.share]; !share.audience.empty())
        p.audiences.push_back(share.audience);
      p.locality = spec.locality;
      const bool newcastle = std::find(kLocalities.begin(), kLocalities.end(),
                                       spec.locality) != kLocalities.end();
      if (newcastle && random_.Chance(0.4))
        p.locality = kLocalities[random_.Index(kLocalities.size())];
      p.start_date = AddDays(today_, -random_.Between(0, span));
      out_.people.push_back(std::move(p));
    }
  }

  Kind KindOf(size_t person) const {
    return shares_[slots_[person].share].kind;
  }

  // Practitioners, admin staff and trainers answer to an operational manager
  // of their organisation; operational managers to a strategic one.
  void Managers() {
    std::vector<std::vector<size_t>> operational(kOrganisations.size());
    std::vector<std::vector<size_t>> strategic(kOrganisations.size());
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (KindOf(i) == Kind::kOperationalManager)
        operational[slots_[i].organisation].push_back(i);
      if (KindOf(i) == Kind::kStrategicManager)
        strategic[slots_[i].organisation].push_back(i);
    }
    for (size_t i = 0; i < slots_.size(); ++i) {
      const size_t o = slots_[i].organisation;
      const std::vector<size_t>* pool = nullptr;
      switch (KindOf(i)) {
        case Kind::kStrategicManager:
          break;
        case Kind::kOperationalManager:
          pool = &strategic[o];
          break;
        default:
          pool = operational[o].empty() ? &strategic[o] : &operational[o];
          break;
      }
      if (pool == nullptr || pool->empty()) continue;
      const size_t manager = (*pool)[random_.Index(pool->size())];
      if (manager != i) out_.people[i].manager = out_.people[manager].id;
    }
  }

  bool RoleFits(const Role& role, size_t person) const {
    if (role.audiences.empty()) return KindOf(person) != Kind::kVolunteer;
    const auto& audiences = out_.people[person].audiences;
    return std::any_of(
        role.audiences.begin(), role.audiences.end(), [&](const Ref& r) {
          return std::find(audiences.begin(), audiences.end(), r.id) !=
                 audiences.end();
        });
  }

  void Roles() {
    if (fw_.roles.empty()) return;
    std::set<std::string> certified;  // the few: ContactPoint's LIT [000 §1]
    for (const auto& c : fw_.certifications) {
      for (const auto& r : c.roles) certified.insert(r.id);
    }
    for (size_t i = 0; i < out_.people.size(); ++i) {
      std::vector<std::pair<const Role*, int>> fitting;
      int total = 0;
      for (const auto& role : fw_.roles) {
        if (certified.contains(role.id) || !RoleFits(role, i)) continue;
        fitting.emplace_back(&role, RoleWeight(role.id));
        total += fitting.back().second;
      }
      if (fitting.empty()) continue;
      int draw = random_.Between(0, std::max(1000, total + 300) - 1);
      for (const auto& [role, weight] : fitting) {
        if (draw < weight) {
          out_.people[i].role = role->id;
          break;
        }
        draw -= weight;
      }
    }
    // [000 §1] two Level 1 places per role, from the local authority that
    // hosts the Local Implementation Team where it can.
    const int per_role = 2 + people_ / 20000;
    for (const auto& role : fw_.roles) {
      if (!certified.contains(role.id)) continue;
      std::vector<size_t> hosts;
      std::vector<size_t> others;
      for (size_t i = 0; i < out_.people.size(); ++i) {
        if (!out_.people[i].role.empty() || !RoleFits(role, i)) continue;
        (kOrganisations[slots_[i].organisation].implementation_team ? hosts
                                                                    : others)
            .push_back(i);
      }
      for (int k = 0; k < per_role; ++k) {
        auto& pool = hosts.empty() ? others : hosts;
        if (pool.empty()) break;
        const size_t at = random_.Index(pool.size());
        out_.people[pool[at]].role = role.id;
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
      }
    }
  }

  const Plan& PlanFor(const Person& person) {
    const std::string& sector =
        out_.organisations[slots_[IndexOf(person)].organisation].sector;
    std::string key = person.role + "|" + sector;
    for (const auto& a : person.audiences) key += "|" + a;
    auto it = plans_.find(key);
    if (it == plans_.end()) {
      const RouteSubject subject =
          MakeRouteSubject(fw_, person.audiences, person.role, sector);
      it = plans_.emplace(key, MakePlan(fw_, subject, today_)).first;
    }
    return it->second;
  }

  size_t IndexOf(const Person& person) const {
    return static_cast<size_t>(&person - out_.people.data());
  }

  std::string Detail(std::string_view check, std::string fallback) const {
    for (const auto& c : fw_.checks) {
      if (c.id == check && !c.evidence.empty()) return Join(c.evidence, ", ");
    }
    return fallback;
  }

  void AddCheck(Person& person, std::string_view check, const Date& date,
                std::string detail) {
    CheckRecord record;
    record.check = check;
    record.date = Earlier(date, today_);
    record.detail = std::move(detail);
    person.checks.push_back(std::move(record));
  }

  void Checks(Person& person, size_t index, const Choices& choices) {
    const OrganisationSpec& spec = kOrganisations[slots_[index].organisation];
    const Date start = *person.start_date;
    const Date recent = Later(start, AddDays(today_, -6 * 365));
    const bool volunteer = KindOf(index) == Kind::kVolunteer;
    // [000 §1] users of the system show photo ID, a utility bill and their
    // nomination form.
    if (Has(fw_.checks, kIdentityCheck)) {
      const bool user =
          !person.role.empty() || choices.checks.contains(kIdentityCheck);
      if (random_.Chance(user ? 0.9 : 0.25)) {
        AddCheck(person, kIdentityCheck,
                 DateBetween(random_, recent, AddDays(today_, -7)),
                 Detail(kIdentityCheck, "photo ID and proof of address"));
      }
    }
    // [000 App. 3] eCRB holding differs by partner: all at NTW and the
    // college, 25% at the acute trust, fewer in schools.
    if (!dbs_.empty() && random_.Chance(spec.dbs_share)) {
      Date issued =
          DateBetween(random_, AddDays(start, -90), AddDays(start, 30));
      if (random_.Chance(0.4)) {
        issued = DateBetween(random_, Later(start, AddDays(today_, -3 * 365)),
                             today_);
      }
      AddCheck(person, dbs_, issued, "issue date");
    }
    if (Has(fw_.checks, kItCheck) && random_.Chance(volunteer ? 0.5 : 0.85)) {
      AddCheck(person, kItCheck,
               DateBetween(random_, start, AddDays(start, 180)),
               "confirmed by the employing organisation");
    }
    // [002 Minimum Standards for Attendance 1]
    if (Has(fw_.checks, kApplicationForm) && random_.Chance(0.8)) {
      AddCheck(
          person, kApplicationForm,
          DateBetween(random_, Later(start, AddDays(today_, -3 * 365)), today_),
          Detail(kApplicationForm, "completed form on file"));
    }
    // Any other check the person's rules name, e.g. a trainer's qualification
    // [002 §13].
    for (const auto& c : fw_.checks) {
      if (c.id == kIdentityCheck || c.id == kItCheck ||
          c.id == kApplicationForm || c.id == dbs_ ||
          !choices.checks.contains(c.id) || !random_.Chance(0.8))
        continue;
      AddCheck(person, c.id, DateBetween(random_, start, today_),
               Detail(c.id, c.name));
    }
  }

  // Attested by the manager [001 IS05 "very experienced ... attested by
  // manager"]: nearly all of the few in Level 1 roles, most trainers, a few
  // others.
  void Experience(Person& person, const Choices& choices) {
    if (person.manager.empty()) return;
    const Kind kind = KindOf(IndexOf(person));
    const bool lead =
        !person.role.empty() &&
        std::any_of(
            fw_.certifications.begin(), fw_.certifications.end(),
            [&](const Certification& c) { return Has(c.roles, person.role); });
    const double chance = lead ? 0.95 : kind == Kind::kTrainer ? 0.8 : 0.08;
    auto add = [&](std::string area, std::string level,
                   std::optional<int> years) {
      for (const auto& e : person.experience) {
        if (e.area == area && e.level == level) return;
      }
      ::trellis::Experience e;
      e.area = std::move(area);
      e.level = level.empty() ? "very experienced" : std::move(level);
      e.years =
          years ? random_.Between(*years, *years + 8) : random_.Between(2, 12);
      e.attested_by = person.manager;
      person.experience.push_back(std::move(e));
    };
    if (!choices.experience.empty() && random_.Chance(chance)) {
      for (const Condition* atom : choices.experience) {
        std::string area = atom->area;
        if (area.empty() && !fw_.processes.empty()) area = fw_.processes[0].id;
        add(area, atom->level, atom->years);
      }
    }
    if (!fw_.processes.empty() && random_.Chance(0.03)) {
      add(fw_.processes[random_.Index(fw_.processes.size())].id,
          "very experienced", std::nullopt);
    }
  }

  static RecordSource SourceFor(const Module& module, Random& random) {
    auto offers = [&](Delivery d) {
      return std::find(module.delivery.begin(), module.delivery.end(), d) !=
             module.delivery.end();
    };
    const bool online = offers(Delivery::kELearning) || offers(Delivery::kCbt);
    const bool taught =
        offers(Delivery::kClassroom) || offers(Delivery::kWorkshop) ||
        offers(Delivery::kPresentation) || offers(Delivery::kBlended);
    if (online && (!taught || random.Chance(0.5)))
      return RecordSource::kELearning;
    // A few take it with another provider or in their own agency; more so
    // where the framework gives no delivery, as for NSCB's own courses.
    const double r = random.Real();
    if (r < 0.08) return RecordSource::kExternal;
    if (r < (module.delivery.empty() ? 0.3 : 0.15))
      return RecordSource::kSingleAgency;
    return RecordSource::kSession;
  }

  static const char* EvidenceFor(RecordSource source, TrainingOutcome outcome) {
    if (outcome == TrainingOutcome::kFailed) return "not passed";
    if (outcome == TrainingOutcome::kPartlyAttended) return "left early";
    switch (source) {
      case RecordSource::kSession:
        return "register";
      case RecordSource::kELearning:
        return "e-learning log";
      case RecordSource::kExternal:
        return "certificate";
      case RecordSource::kSingleAgency:
        return "agency record";
      case RecordSource::kImport:
        break;
    }
    return "";
  }

  void Record(std::vector<TrainingRecord>& records, const Person& person,
              const Module& module, const Date& date, TrainingOutcome outcome) {
    TrainingRecord r;
    r.person = person.id;
    r.module = module.ref;
    r.module_version = module.version;
    r.date = date;
    r.outcome = outcome;
    r.source = SourceFor(module, random_);
    r.evidence = EvidenceFor(r.source, outcome);
    r.recorded_by = "demo";
    records.push_back(std::move(r));
  }

  bool Eligible(const Person& person, const Module& module, const Date& on,
                const std::vector<TrainingRecord>& records) const {
    PersonContext context;
    context.person = &person;
    context.organisation =
        &out_.organisations[slots_[IndexOf(person)].organisation];
    for (const auto& r : records) context.records.push_back(&r);
    NeedsOptions options;
    options.on = on;
    return CheckEligibility(fw_, context, module, options).eligible;
  }

  // Walks the route in order from the later of the start date and eight years
  // ago: gaps of weeks to months, a few failures and partial attendances made
  // good later, refreshers roughly on time; some people fall behind.
  void Training(const Person& person, const Plan& plan,
                const Choices& choices) {
    std::vector<TrainingRecord> records;
    const Date start = *person.start_date;
    Date t = Later(start, AddDays(today_, -8 * 365));
    const double r = random_.Real();
    const double stop = r < 0.6 ? 0.03 : r < 0.85 ? 0.25 : 0.6;
    // People come to the framework at different times, not all at once.
    t = AddDays(t, random_.Between(14, std::max(14, DaysFrom(t, today_) / 2)));
    for (size_t m = 0; m < plan.modules.size(); ++m) {
      if (choices.taken[m] == 0) continue;
      if (random_.Chance(stop)) break;
      const PlanModule& pm = plan.modules[m];
      const Module& module = *pm.module;
      int gap = random_.Between(10, 240) + pm.at_least_days;
      if (pm.within) {
        // [000 §3] the workshop follows the online module within 2 weeks.
        gap = random_.Between(
            1, std::max(1, DaysFrom(t, AddPeriod(t, *pm.within)) - 1));
      }
      t = AddDays(t, gap);
      if (t > today_) break;
      Date on = t;
      if (pm.judged && !Eligible(person, module, on, records)) {
        // Perhaps a check came later: try once after the latest of them.
        Date latest = on;
        for (const auto& c : person.checks) latest = Later(latest, c.date);
        on = AddDays(latest, random_.Between(7, 60));
        if (latest == t || on > today_ ||
            !Eligible(person, module, on, records))
          continue;  // [000] not accepted onto training until it is met
      }
      const double outcome = random_.Real();
      const TrainingOutcome done = module.assessment
                                       ? TrainingOutcome::kPassed
                                       : TrainingOutcome::kCompleted;
      if (outcome < 0.07) {
        Record(records, person, module, on,
               outcome < 0.04 ? TrainingOutcome::kFailed
                              : TrainingOutcome::kPartlyAttended);
        on = AddDays(on, random_.Between(30, 180));
        if (on > today_) continue;
      }
      Record(records, person, module, on, done);
      if (on > t) t = on;
      // Refreshers: mostly before the old one lapses, some late, some never.
      const auto& validity = choices.validity[m];
      if (!validity || validity->count <= 0) continue;
      const Module& refresher = *plan.modules[choices.refresher[m]].module;
      Date last = on;
      // Bounded, so that a validity of days cannot fill memory.
      for (int k = 0; k < 24; ++k) {
        const double when = random_.Real();
        if (when < 0.1) break;
        const Date due = AddPeriod(last, *validity);
        const Date next = when < 0.8 ? AddDays(due, -random_.Between(0, 90))
                                     : AddDays(due, random_.Between(1, 300));
        if (next > today_ || next <= last) break;
        Record(records, person, refresher, next,
               refresher.assessment ? TrainingOutcome::kPassed
                                    : TrainingOutcome::kCompleted);
        last = next;
      }
    }
    std::stable_sort(records.begin(), records.end(),
                     [](const TrainingRecord& a, const TrainingRecord& b) {
                       return a.date < b.date;
                     });
    for (size_t k = 0; k < records.size(); ++k) {
      records[k].id = "demo:" + person.id + ":" + std::to_string(k + 1);
      out_.records.push_back(std::move(records[k]));
    }
  }

  const Framework& fw_;
  Random random_;
  int people_;
  Date today_;
  std::vector<AudienceShare> shares_;
  std::string dbs_;
  std::vector<Slot> slots_;  // by person
  std::map<std::string, Plan> plans_;
  Workforce out_;
};

}  // namespace

Workforce GenerateDemoArea(const Framework& framework,
                           const DemoOptions& options) {
  return Generator(framework, options).Run();
}

}  // namespace trellis
