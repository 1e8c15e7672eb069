// A demo area to try Trellis with: the partner organisations of the Newcastle
// roll-out [000] and the Hampshire protocol signatories [004], with synthetic
// people, checks and training histories shaped to any framework. Pure
// function of its inputs; safe to call from many threads at once.
#pragma once

#include <cstdint>

#include "domain/calendar.h"
#include "domain/framework.h"
#include "domain/workforce.h"

namespace trellis {

struct DemoOptions {
  int people = 4000;  // [000] "The estimated number of users ... is 4000"
  std::uint64_t seed = 1;
  // Histories end on this day. When it is not a valid date, the framework's
  // period end stands in, else its publication date, else 31 March 2011.
  Date today;
};

// A realistic, reproducible area for `framework`: the same framework and
// options give byte-identical output on every platform (it draws from
// std::mt19937_64 through its own helpers, never std's distributions).
//
// Organisations carry readiness for every checklist the framework defines;
// people ("P000001", ...) are spread over them with audiences, roles and checks
// that use only ids the framework defines; training records ("demo:P000001:1",
// ...) follow each person's route between their start date and `today`,
// leaving some people behind, expired or due soon. A framework without
// audiences, roles, checks, readiness or requirements gives people without
// them. `options.people` below 1 gives organisations and no people. Never
// fails.
Workforce GenerateDemoArea(const Framework& framework,
                           const DemoOptions& options);

}  // namespace trellis
