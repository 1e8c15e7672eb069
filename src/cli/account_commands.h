// The commands that manage who may sign in and check the audit trail:
// `user add|list|password`, `token create|revoke`, `audit verify|log`.
// Exit statuses as in common.h; `audit verify` exits 1 when the chain is
// broken, naming the first broken entry.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>

#include "cli/common.h"

namespace trellis::cli {

void AddAccountCommands(CLI::App& app, const GlobalOptions& global,
                        std::istream& in, std::ostream& out, std::ostream& err,
                        int* status);

}  // namespace trellis::cli
