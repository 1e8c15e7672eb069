// `trellis framework ...`: validate, show, matrix, route, check-course, list.
// Each command writes to the given streams and returns the process exit status:
// 0 success, 1 findings or a failed check, 2 wrong arguments.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <memory>
#include <string>

#include "cli/common.h"

namespace trellis::cli {

// Adds the `framework` subcommand tree to `app`. The chosen command runs from
// CLI11's callback and stores its exit status in `*status`.
void AddFrameworkCommands(CLI::App& app, const GlobalOptions& global,
                          std::ostream& out, std::ostream& err, int* status);

}  // namespace trellis::cli
