// `trellis serve`: the server. Its settings come from a YAML file (--config
// or $TRELLIS_CONFIG), environment variables and flags, flags winning over
// the environment, the environment over the file, the file over defaults.
// docs/configuration.md lists them all.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "cli/common.h"

namespace trellis::cli {

// One setting: its name in the file, its environment variable, its default.
struct ServeSetting {
  const char* key;
  const char* env;
  const char* fallback;
  const char* help;
};

// Every setting `serve` reads, in the order docs/configuration.md gives them.
const std::vector<ServeSetting>& ServeSettings();

// Resolves every setting: `flags` (given on the command line), else the
// environment, else the file's value, else the default. kInvalidArgument
// naming the file and key for a file that does not parse or holds a key
// that is not a setting.
[[nodiscard]] std::expected<std::map<std::string, std::string>, Error>
ResolveServeSettings(const std::map<std::string, std::string>& flags,
                     const std::string& config_file);

void AddServeCommand(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status);

}  // namespace trellis::cli
