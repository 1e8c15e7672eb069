#include "domain/accounts.h"

#include <array>
#include <utility>

namespace trellis {
namespace {

constexpr std::array<std::pair<UserRole, const char*>, 6> kRoles{{
    {UserRole::kCoordinator, "coordinator"},
    {UserRole::kManager, "manager"},
    {UserRole::kLearner, "learner"},
    {UserRole::kTrainer, "trainer"},
    {UserRole::kOrganisationLead, "organisation-lead"},
    {UserRole::kAuditor, "auditor"},
}};

}  // namespace

const char* UserRoleName(UserRole role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<UserRole> ParseUserRole(std::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (name == n) return r;
  }
  return std::nullopt;
}

std::string UserRoleNames() {
  std::string names;
  for (const auto& [r, name] : kRoles) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

}  // namespace trellis
