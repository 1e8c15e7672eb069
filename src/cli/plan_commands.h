// `trellis plan ...` [MISSION E]: `plan capacity PLANFILE`, what a roll-out
// plan can deliver as it states it and against the real calendar. Each
// command writes to the given streams and returns the exit status: 0 done,
// 1 the plan file has errors (the report is still written), 2 wrong
// arguments or no such file.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>

#include "cli/common.h"

namespace trellis::cli {

void AddPlanCommands(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status);

}  // namespace trellis::cli
