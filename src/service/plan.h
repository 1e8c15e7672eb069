// A person's plan, as they and their manager read it [MISSION C1, C3]: every
// module the framework asks of them in route order, where each stands, and
// for those still to do whether they may book it now or every reason they may
// not yet. Reads only; safe from many threads, each with its own Store.
#pragma once

#include <expected>
#include <optional>
#include <vector>

#include "domain/error.h"
#include "engine/needs.h"
#include "service/access.h"
#include "service/area_service.h"
#include "store/store.h"

namespace trellis::service {

struct PlanItem {
  Need need;
  // For a module not done (outstanding, expired or due soon): whether the
  // person may book it on the day, with every reason when not.
  std::optional<Eligibility> eligibility;
};

// The person's plan on `on`, not-applicable modules left out. Store errors
// as they come.
[[nodiscard]] std::expected<std::vector<PlanItem>, Error> PlanOf(
    const AreaService& service, Store& store, const Person& person, Date on);

// How many of a person's needs stand where.
struct NeedCounts {
  int expired = 0;
  int outstanding = 0;
  int due_soon = 0;
  int done = 0;
};
NeedCounts CountNeeds(const std::vector<Need>& needs);

// One of a manager's team, with where their training stands.
struct TeamMember {
  Person person;
  NeedCounts needs;
  int requests = 0;  // bookings waiting for the manager's decision
  int booked = 0;    // places held or queued for, from today
};

// The people who report to the caller (a manager's own team), by name;
// kPermissionDenied for a caller who is not a manager with a person.
[[nodiscard]] std::expected<std::vector<TeamMember>, Error> TeamOf(
    const AreaService& service, Store& store, const Caller& caller);

}  // namespace trellis::service
