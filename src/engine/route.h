// Suggested training routes [001 App. 1, MISSION A5]: every module an audience
// takes, each placed after the modules that satisfy one alternative of its
// sequencing within the audience's own set. Derived from the requirements;
// pure functions over an immutable Framework, safe from many threads.
#pragma once

#include <expected>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/framework.h"

namespace trellis {

// The person a route is for: their audiences (their own and their role's),
// their role and their organisation's sector; any may be empty.
struct RouteSubject {
  std::set<std::string> audiences;
  std::string role;
  std::string sector;
  std::string
      label;  // for messages: "audience trainers", "role contactpoint-user"
};

// A subject with these audiences, role and sector; the role brings the
// audiences the framework gives it. The label is left for the caller.
RouteSubject MakeRouteSubject(const Framework& framework,
                              const std::vector<std::string>& audiences,
                              const std::string& role,
                              const std::string& sector);

// Whether a rule's who-list applies to the subject: everyone; otherwise, for
// each kind the rule names (audiences, roles, sectors), the subject matches one
// of them (AND across kinds, OR within one). An empty subject field matches no
// rule that names that kind, so a route without a sector skips sector rules.
bool Applies(const Who& who, const RouteSubject& subject);

struct RouteStep {
  const Module* module = nullptr;
  // The modules of the chosen alternative, all earlier in the route.
  std::vector<std::string> after;
  // Which alternative was chosen and why, in words ("the second alternative
  // ...").
  std::string why;
  // False when no alternative of the module's sequencing can be met in this
  // route.
  bool satisfiable = true;
};

struct Route {
  const Audience* audience = nullptr;  // null for a route by role alone
  const Role* role = nullptr;          // null for a route by audience alone
  std::vector<RouteStep> steps;
  // Modules whose sequencing cannot be met within the route, and cycles.
  std::vector<Finding> problems;
};

// The modules a person of an audience, a role, or both takes: from every
// requirement that applies (who-lists combine with AND across audiences and
// roles, OR within each), the first alternative of what it asks, courses
// expanded into their modules; in the order the requirements give them, each
// once. A role brings its own audiences. Sector-specific requirements never
// apply to a route.
std::vector<const Module*> AudienceModules(const Framework& framework,
                                           std::string_view audience_id,
                                           std::string_view role_id = {});

// Builds the route for an audience, a role, or both. Returns kInvalidArgument
// when neither is given and kNotFound (with a suggestion) when one does not
// exist.
[[nodiscard]] std::expected<Route, Error> BuildRoute(
    const Framework& framework, std::string_view audience_id,
    std::string_view role_id = {});

// Builds the route for a subject whose names the caller has resolved.
Route BuildRoute(const Framework& framework, const RouteSubject& subject);

// Orders these modules (given in order of preference) into a route: each after
// the modules of one alternative of its sequencing that are among them.
Route OrderRoute(const Framework& framework,
                 const std::vector<const Module*>& modules,
                 const RouteSubject& subject);

}  // namespace trellis
