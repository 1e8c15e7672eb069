// The coordinator's dashboard [MISSION C1, F]: where the area's training
// stands by sector and by organisation, how far each module is in date
// (compliance), and the take-up of the sessions run and to come. Computed
// from the whole area, then kept while the data version stands, so that a
// dashboard read many times between changes is computed once. Coordinators
// and auditors read it. Thread-safe.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "domain/error.h"
#include "service/access.h"
#include "service/area_service.h"
#include "service/version_cache.h"
#include "store/store.h"

namespace trellis::service {

// Needs counted in one group: a person once per module the framework asks
// of them.
struct NeedsRow {
  std::string key;    // sector id, organisation id, module ref
  std::string label;  // its name
  int people = 0;     // people with at least one need in the group
  int done = 0;
  int due_soon = 0;
  int expired = 0;
  int outstanding = 0;
  int Asked() const { return done + due_soon + expired + outstanding; }
  // In date: done, or done with a refresher due soon; whole percent.
  int PercentInDate() const {
    return Asked() == 0 ? 0 : ((done + due_soon) * 100 + Asked() / 2) / Asked();
  }
};

// The sessions of one course in the dashboard's weeks.
struct TakeUpRow {
  std::string course;
  std::string label;
  int sessions = 0;
  int seats = 0;
  int taken = 0;     // places held (booked or with an outcome)
  int attended = 0;  // attended or partly attended, on closed registers
  int no_shows = 0;
  int waiting = 0;
  int PercentTaken() const {
    return seats == 0 ? 0 : (taken * 100 + seats / 2) / seats;
  }
};

struct Dashboard {
  Date on;
  Date from;  // take-up counts sessions starting from..to
  Date to;
  int people = 0;
  std::vector<NeedsRow> by_sector;
  std::vector<NeedsRow> by_organisation;
  std::vector<NeedsRow> by_module;  // compliance
  std::vector<TakeUpRow> take_up;
};

class Reports {
 public:
  explicit Reports(std::shared_ptr<const AreaService> service)
      : service_(std::move(service)) {}

  // The dashboard on the service's today; take-up over the 12 weeks before
  // it and the 8 after. kPermissionDenied unless the caller may read
  // everything.
  [[nodiscard]] std::expected<std::shared_ptr<const Dashboard>, Error>
  DashboardOf(Store& store, const Caller& caller);

 private:
  std::expected<Dashboard, Error> Compute(Store& store) const;

  std::shared_ptr<const AreaService> service_;
  VersionCache<Dashboard> kept_{16U << 20};
};

}  // namespace trellis::service
