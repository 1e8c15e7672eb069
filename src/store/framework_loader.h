// Loads training frameworks from the YAML files of docs/framework-format.md
// into domain values, reporting every problem as a Finding with file, line and
// column. Any input, however broken, gives findings and never a crash.
// Stateless functions; safe to call from several threads at once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/framework.h"

namespace trellis {

struct LoadResult {
  // Present unless the input could not be read as a framework at all (no file,
  // a YAML syntax error, no `framework:` header). Even then `findings` say why.
  std::optional<Framework> framework;
  std::vector<Finding> findings;

  bool HasErrors() const;
};

// Loads one framework from a folder of *.yaml files (merged in name order) or
// from a single YAML file. Structural problems (syntax, unknown keys, wrong
// types, malformed durations, dates or periods) are findings; cross-references
// are checked by ValidateFramework (engine/framework_validator.h).
LoadResult LoadFramework(const std::filesystem::path& path);

// Loads a framework from the text of one file, named `file_name` in findings.
// Does no I/O: the unit the fuzzer drives.
LoadResult LoadFrameworkFromText(std::string_view text,
                                 const std::string& file_name);

// The framework folders under `root`: each subfolder holding at least one
// *.yaml file, in name order. A `root` that itself holds *.yaml files is one
// framework.
std::vector<std::filesystem::path> DiscoverFrameworks(
    const std::filesystem::path& root);

}  // namespace trellis
