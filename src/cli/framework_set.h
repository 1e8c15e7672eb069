// The frameworks a command works on: found under the frameworks folder, loaded
// and validated once. Not thread-safe; each command builds its own.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/common.h"
#include "domain/error.h"
#include "domain/framework.h"
#include "store/store.h"

namespace trellis::cli {

struct LoadedFramework {
  std::filesystem::path path;
  std::optional<Framework> framework;
  std::vector<Finding> findings;  // loader's and validator's, sorted

  size_t Errors() const;
  size_t Warnings() const;
};

// Where the shipped frameworks live: `flag` (--frameworks, or CLI11 fills it
// from $TRELLIS_FRAMEWORKS) if given, else ./frameworks, else the source tree's
// frameworks/ beside the build folder.
std::filesystem::path FrameworksRoot(const std::string& flag);

// Loads and validates one framework folder or file.
LoadedFramework LoadAndValidate(const std::filesystem::path& path);

// Loads and validates every framework under `root`.
std::vector<LoadedFramework> LoadAll(const std::filesystem::path& root);

// Loads and validates the framework `id`, whose folder under `root` bears its
// id, and only that one. kNotFound (with a suggestion) when there is no such
// folder; kFailedPrecondition when it has errors. On success `framework` is
// set.
[[nodiscard]] std::expected<LoadedFramework, Error> LoadSelected(
    const std::filesystem::path& root, const std::string& id);

// The framework the area works to: `flag` (--framework), else the area's
// setting, else the default. Errors as LoadSelected's, or the store's.
[[nodiscard]] std::expected<LoadedFramework, Error> AreaFramework(
    const GlobalOptions& global, Store& store, const std::string& flag);

}  // namespace trellis::cli
