#include "service/access.h"

#include <algorithm>

namespace trellis::service {
namespace {

bool IsSelf(const Caller& caller, const Person& person) {
  return !caller.user.person.empty() && caller.user.person == person.id;
}

bool Manages(const Caller& caller, const Person& person) {
  return caller.Is(UserRole::kManager) && !caller.user.person.empty() &&
         person.manager == caller.user.person;
}

}  // namespace

Error Forbidden(const Caller& caller, const std::string& what) {
  return Error{
      ErrorCode::kPermissionDenied,
      std::string("a ") + UserRoleName(caller.user.role) + " may not " + what,
      {}};
}

bool MaySeePerson(const Caller& caller, const Person& person,
                  bool trains_them) {
  if (caller.user.disabled) return false;
  switch (caller.user.role) {
    case UserRole::kCoordinator:
    case UserRole::kAuditor:
      return true;
    case UserRole::kLearner:
      return IsSelf(caller, person);
    case UserRole::kManager:
      return IsSelf(caller, person) || Manages(caller, person);
    case UserRole::kOrganisationLead:
      return IsSelf(caller, person) ||
             (!caller.user.organisation.empty() &&
              person.organisation == caller.user.organisation);
    case UserRole::kTrainer:
      return IsSelf(caller, person) || trains_them;
  }
  return false;
}

bool MayBookFor(const Caller& caller, const Person& person) {
  if (caller.user.disabled) return false;
  if (caller.Is(UserRole::kAuditor)) return false;
  return caller.Is(UserRole::kCoordinator) || IsSelf(caller, person) ||
         Manages(caller, person);
}

bool MayDecide(const Caller& caller, const Person& person) {
  if (caller.user.disabled) return false;
  return caller.Is(UserRole::kCoordinator) || Manages(caller, person);
}

bool MayCancel(const Caller& caller, const Person& person) {
  return MayBookFor(caller, person);
}

bool MayManageArea(const Caller& caller) {
  return !caller.user.disabled && caller.Is(UserRole::kCoordinator);
}

bool MayMarkRegister(const Caller& caller, const CourseSession& session) {
  if (caller.user.disabled) return false;
  if (caller.Is(UserRole::kCoordinator)) return true;
  return caller.Is(UserRole::kTrainer) && !caller.user.person.empty() &&
         std::ranges::find(session.trainers, caller.user.person) !=
             session.trainers.end();
}

bool MayReadEverything(const Caller& caller) {
  return !caller.user.disabled &&
         (caller.Is(UserRole::kCoordinator) || caller.Is(UserRole::kAuditor));
}

bool MayChangeOrganisation(const Caller& caller,
                           const std::string& organisation) {
  if (caller.user.disabled) return false;
  return caller.Is(UserRole::kCoordinator) ||
         (caller.Is(UserRole::kOrganisationLead) &&
          caller.user.organisation == organisation);
}

}  // namespace trellis::service
