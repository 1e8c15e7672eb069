// Accounts: who may sign in to Trellis and what their role lets them see and
// change [MISSION "Who uses it", I1]. Plain values; the rules that use them
// live in the service layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trellis {

// The roles of MISSION's "Who uses it". Each account has exactly one.
enum class UserRole {
  kCoordinator,       // everything in the area
  kManager,           // their team: the people who report to their person
  kLearner,           // themselves
  kTrainer,           // the sessions they train and their registers
  kOrganisationLead,  // their organisation's readiness and staff
  kAuditor,           // reads everything, changes nothing
};

// "coordinator", "manager", "learner", "trainer", "organisation-lead",
// "auditor".
const char* UserRoleName(UserRole role);
std::optional<UserRole> ParseUserRole(std::string_view name);
// Every role name, for messages: "coordinator, manager, ...".
std::string UserRoleNames();

struct User {
  std::string id;     // assigned by Trellis: "U000001"
  std::string email;  // sign-in name, lower case, unique
  std::string name;
  UserRole role = UserRole::kLearner;
  std::string person;        // a person id: required for manager, learner
                             // and trainer; optional otherwise
  std::string organisation;  // an organisation id: organisation leads
  bool disabled = false;
};

// An API token for another system. The secret is shown once when created and
// kept only as its SHA-256.
struct ApiToken {
  std::string id;  // "T" + 12 hex digits; public, names the token in logs
  std::string user;
  std::string name;
  std::string created_at;
  std::string revoked_at;  // empty while in use
};

// A browser sign-in, found by the SHA-256 of its cookie's secret.
struct SignIn {
  std::string user;
  std::string csrf_token;
  std::string expires_at;  // UTC, "2026-11-22T18:15:00Z"
};

}  // namespace trellis
