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

}  // namespace trellis::service
