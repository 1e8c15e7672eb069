// What a signed-in person should do next, for the home page: their own
// training (needs by status, their bookings to come), the requests waiting
// for their decision as a manager, the sessions they train, and for those who
// run or read the area the sessions of the coming weeks. Reads only; safe to
// call from many threads, each with its own Store.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "domain/error.h"
#include "domain/sessions.h"
#include "service/access.h"
#include "service/area_service.h"
#include "store/store.h"

namespace trellis::service {

// A booking of the caller's, with its session.
struct BookedSession {
  Booking booking;
  CourseSession session;
};

// A request awaiting the caller's decision, with whose it is.
struct WaitingDecision {
  Booking booking;
  CourseSession session;
  std::string person_name;
};

struct NextSteps {
  // The caller's own training, when the account is a person's.
  bool has_plan = false;
  int expired = 0;
  int outstanding = 0;
  int due_soon = 0;
  int done = 0;
  std::vector<BookedSession> bookings;  // active, from today, soonest first
  // A manager's: their team's requests awaiting approval, oldest first.
  std::vector<WaitingDecision> decisions;
  // A trainer's: the sessions they train from today, soonest first.
  std::vector<CourseSession> training;
  // A trainer's: the sessions they trained in the last four weeks whose
  // registers are still open, oldest first.
  std::vector<CourseSession> registers;
  // A coordinator's or an auditor's: sessions starting in the next `weeks`.
  std::vector<CourseSession> coming_up;
  int weeks = 4;
};

// kNotFound when the caller's person is gone; store errors as they come.
[[nodiscard]] std::expected<NextSteps, Error> NextStepsFor(
    AreaService& service, Store& store, const Caller& caller);

}  // namespace trellis::service
