// The demo area's training calendar: venues and rooms, sessions of the
// framework's taught courses over the past and coming weeks, people booked
// on them, and the registers of those already run, so that a new area can be
// tried in a browser at once. Everything is written through the service, as a
// coordinator would: sessions are checked against the framework and for
// clashes, and every booking passes the eligibility check and the seat rules.
// Reproducible for a seed and a day.
#pragma once

#include <cstdint>
#include <expected>

#include "domain/calendar.h"
#include "domain/error.h"
#include "domain/workforce.h"
#include "service/access.h"
#include "service/area_service.h"
#include "store/store.h"

namespace trellis::service {

struct DemoSessionOptions {
  std::uint64_t seed = 1;
  Date today;
  // Sessions run from the Monday `weeks_back` weeks before this week's to
  // `weeks` weeks after it. Those already run have their registers marked
  // and closed (so records follow), but for the last day's, left open for
  // the trainers.
  int weeks_back = 3;
  int weeks = 8;
  // The share of each session's seats offered to people who need it.
  double fill = 0.6;
};

struct DemoSessionCounts {
  int venues = 0;
  int rooms = 0;
  int sessions = 0;
  int bookings = 0;
  int registers_closed = 0;
  int records = 0;  // written by closing registers
};

// Adds the calendar to an area holding `area` (its organisations and people,
// as the demo wrote them) and no venues yet; `caller` is a coordinator.
// Trainers are people of the framework's trainers audience when there are
// any, else the first people of the area. kAlreadyExists when the demo venues
// are there; store errors as they come.
[[nodiscard]] std::expected<DemoSessionCounts, Error> AddDemoSessions(
    AreaService& service, Store& store, const Caller& caller,
    const Workforce& area, const DemoSessionOptions& options);

}  // namespace trellis::service
