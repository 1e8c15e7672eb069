// Who may do what [MISSION I1]: the rules of the six roles, in one place, so
// the JSON API and the pages answer alike. Each rule takes the caller and the
// thing asked about, read from the store by the service.
#pragma once

#include <string>

#include "domain/accounts.h"
#include "domain/error.h"
#include "domain/sessions.h"
#include "domain/workforce.h"
#include "store/store.h"

namespace trellis::service {

// Who is asking, once signed in or holding a token.
struct Caller {
  User user;
  std::string via;  // "password", "token T0123...", "command line"

  // How the caller's changes are attributed: their email.
  Actor actor() const { return Actor{user.email}; }
  bool Is(UserRole role) const { return user.role == role; }
};

// kPermissionDenied with a sentence naming what the role may not do.
Error Forbidden(const Caller& caller, const std::string& what);

// Coordinator: everyone. Auditor: everyone, to read. Learner: themselves.
// Manager: themselves and the people who report to them. Organisation lead:
// the people of their organisation. Trainer: themselves and the people
// booked on a session they train (`trains_them`).
bool MaySeePerson(const Caller& caller, const Person& person, bool trains_them);
// Booking for a person: the person themselves, their manager (a nomination)
// or a coordinator.
bool MayBookFor(const Caller& caller, const Person& person);
// Approving or declining a request: the person's manager or a coordinator.
bool MayDecide(const Caller& caller, const Person& person);
// Cancelling: the person, their manager or a coordinator.
bool MayCancel(const Caller& caller, const Person& person);
// Venues, rooms, sessions, imports, accounts: coordinators.
bool MayManageArea(const Caller& caller);
// A session's register: its trainers and coordinators.
bool MayMarkRegister(const Caller& caller, const CourseSession& session);
// Everything read-only (the audit trail, reports): coordinators, auditors.
bool MayReadEverything(const Caller& caller);
// An organisation's details and readiness: everyone may read the list; its
// lead and coordinators may change readiness.
bool MayChangeOrganisation(const Caller& caller,
                           const std::string& organisation);

}  // namespace trellis::service
