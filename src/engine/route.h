// Suggested training routes [001 App. 1, MISSION A5]: every module an audience
// takes, each placed after the modules that satisfy one alternative of its
// sequencing within the audience's own set. Derived from the requirements;
// pure functions over an immutable Framework, safe from many threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/framework.h"

namespace trellis {

struct RouteStep {
  const Module* module = nullptr;
  // The modules of the chosen alternative, all earlier in the route.
  std::vector<std::string> after;
  // Which alternative was chosen and why, in words ("the second alternative ...").
  std::string why;
  // False when no alternative of the module's sequencing can be met in this route.
  bool satisfiable = true;
};

struct Route {
  const Audience* audience = nullptr;
  std::vector<RouteStep> steps;
  // Modules whose sequencing cannot be met within the route, and cycles.
  std::vector<Finding> problems;
};

// The modules an audience takes: from every requirement for the audience (or for
// everyone), the first alternative of what it asks, courses expanded into their
// modules; in the order the requirements give them, each once.
std::vector<const Module*> AudienceModules(const Framework& framework,
                                           std::string_view audience_id);

// Builds the route. Returns kNotFound when the audience does not exist.
[[nodiscard]] std::expected<Route, Error> BuildRoute(const Framework& framework,
                                                     std::string_view audience_id);

}  // namespace trellis
