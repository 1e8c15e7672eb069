#include "cli/framework_set.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "domain/text.h"
#include "engine/framework_validator.h"
#include "store/framework_loader.h"

namespace trellis::cli {
namespace fs = std::filesystem;

size_t LoadedFramework::Errors() const {
  return static_cast<size_t>(std::count_if(
      findings.begin(), findings.end(),
      [](const Finding& f) { return f.severity == Severity::kError; }));
}
size_t LoadedFramework::Warnings() const { return findings.size() - Errors(); }

fs::path FrameworksRoot(const std::string& flag) {
  if (!flag.empty()) return flag;  // --frameworks or $TRELLIS_FRAMEWORKS
  std::error_code ec;
  if (fs::is_directory("frameworks", ec)) return "frameworks";
  // build/<preset>/trellis -> the source tree's frameworks/.
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {exe.parent_path() / "../../frameworks",
          exe.parent_path() / "../share/trellis/frameworks"}) {
      if (fs::is_directory(candidate, ec)) return candidate.lexically_normal();
    }
  }
  return "frameworks";
}

LoadedFramework LoadAndValidate(const fs::path& path) {
  LoadResult result = LoadFramework(path);
  LoadedFramework loaded{path, std::move(result.framework),
                         std::move(result.findings)};
  if (loaded.framework) {
    auto more = ValidateFramework(*loaded.framework);
    loaded.findings.insert(loaded.findings.end(), more.begin(), more.end());
  }
  SortFindings(loaded.findings);
  return loaded;
}

std::vector<LoadedFramework> LoadAll(const fs::path& root) {
  std::vector<LoadedFramework> out;
  for (const auto& path : DiscoverFrameworks(root))
    out.push_back(LoadAndValidate(path));
  return out;
}

std::expected<LoadedFramework, Error> LoadSelected(const fs::path& root,
                                                   const std::string& id) {
  std::vector<std::string> ids;
  for (const auto& path : DiscoverFrameworks(root)) {
    const std::string folder = path.filename().string();
    ids.push_back(folder);
    if (folder != id) continue;
    LoadedFramework loaded = LoadAndValidate(path);
    if (!loaded.framework || loaded.Errors() > 0) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "framework " + id + " has " + std::to_string(loaded.Errors()) +
                    (loaded.Errors() == 1 ? " error" : " errors") +
                    "; run 'trellis framework validate " + path.string() + "'",
                {}});
    }
    return loaded;
  }
  std::string message = "no framework '" + id + "' in " + root.string();
  if (auto near = SuggestClosest(id, ids)) {
    message += "; did you mean '" + *near + "'?";
  } else if (!ids.empty()) {
    message += "; there are: " + Join(ids, ", ");
  }
  return std::unexpected(
      Error{ErrorCode::kNotFound, message, {{"framework", message}}});
}

std::expected<LoadedFramework, Error> AreaFramework(const GlobalOptions& global,
                                                    Store& store,
                                                    const std::string& flag) {
  std::string id = flag;
  if (id.empty()) {
    auto setting = store.Setting("framework");
    if (!setting) return std::unexpected(setting.error());
    id = setting->value_or(DefaultFramework());
  }
  return LoadSelected(FrameworksRoot(global.frameworks_root), id);
}

}  // namespace trellis::cli
