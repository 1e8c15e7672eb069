// The commands that work on an area's data: `db init|status`, `import`,
// `needs`, `eligible`, `record correct`, `records` and `demo`. Each writes to
// the given streams and returns the exit status: 0 success; 1 a refused import,
// a person not eligible, or a database error; 2 wrong arguments or an unknown
// person, module or database.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>

#include "cli/common.h"

namespace trellis::cli {

// Adds the data commands to `app`. The chosen command runs from CLI11's
// callback and stores its exit status in `*status`.
void AddDataCommands(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status);

}  // namespace trellis::cli
