// Sessions as someone looking for a place reads them [MISSION D2]: how the
// places stand, the reader's own booking on each, and whether the person
// they look for (themselves, or someone in their team) may book it, with
// every reason when not. The pages' "Find a session" and a session's page
// read these; the JSON API's session answers share the places. Reads only;
// safe from many threads, each with its own Store.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.h"
#include "domain/sessions.h"
#include "service/access.h"
#include "service/area_service.h"
#include "store/store.h"

namespace trellis::service {

// How a session's places stand.
struct Places {
  int booked = 0;     // holding a place (attended and no-shows included)
  int waiting = 0;    // on the waiting list
  int requested = 0;  // waiting for a manager's approval
  int left = 0;       // seats not taken
};
[[nodiscard]] std::expected<Places, Error> PlacesOf(
    Store& store, const CourseSession& session);

struct SessionOffer {
  CourseSession session;
  Places places;
  // The person's booking on it that still claims a place (requested, booked
  // or waiting), if any.
  std::optional<Booking> booking;
  // Why the person may not book it on the day (the session has started, or
  // the needs engine's reasons); empty when they may. Left empty when no
  // person is asked about.
  std::vector<std::string> why_not;
  // Whether booking now gives a place, joins the waiting list, or asks the
  // manager first.
  bool asks_approval = false;
};

struct SessionSearch {
  std::string course;  // a course id; empty: any
  std::string module;  // sessions of courses that teach it; empty: any
  Date from;           // starting on or after
  std::optional<Date> to;
  // Only sessions the person may book now (open, eligible, not booked on).
  bool bookable_only = false;
  ListWindow window{.limit = 50, .offset = 0};
};

// Open sessions (and, for those who run the area, planned ones) matching
// `search`, by start, for `person` (an id the caller may see; empty: no one).
// kPermissionDenied when the caller may not see the person.
[[nodiscard]] std::expected<std::vector<SessionOffer>, Error> FindSessions(
    AreaService& service, Store& store, const Caller& caller,
    const std::string& person, const SessionSearch& search);

// One session for `person` (empty: no one). kNotFound when there is no such
// session.
[[nodiscard]] std::expected<SessionOffer, Error> OfferOf(
    AreaService& service, Store& store, const Caller& caller,
    const std::string& person, const std::string& session);

}  // namespace trellis::service
