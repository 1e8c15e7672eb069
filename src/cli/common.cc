#include "cli/common.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <ostream>
#include <sstream>

#include "store/csv.h"

namespace trellis::cli {
namespace {
constexpr const char* kDefaultFramework = "dcsf-2006";
}  // namespace

std::string DefaultFramework() {
  const char* env = std::getenv("TRELLIS_FRAMEWORK");
  return env != nullptr && *env != '\0' ? env : kDefaultFramework;
}

Date Today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return Date{std::chrono::year{tm.tm_year + 1900},
              std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
              std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
}

std::string CommandLineActor() {
  if (const char* env = std::getenv("TRELLIS_ACTOR");
      env != nullptr && *env != '\0') {
    return env;
  }
  const char* user = std::getenv("USER");
  return std::string("cli:") +
         (user != nullptr && *user != '\0' ? user : "unknown");
}

std::string Csv(const std::string& field) { return CsvField(field); }

int ReportError(std::ostream& err, const Error& e, int status) {
  err << "trellis: " << e.message << "\n";
  return status;
}

std::expected<std::unique_ptr<Store>, Error> OpenArea(
    const GlobalOptions& global, OpenMode mode) {
  auto url = ParseDatabaseUrl(global.db);
  if (!url) return std::unexpected(url.error());
  return OpenStore(*url, mode);
}

int StoreStatus(const Error& e) {
  return e.code == ErrorCode::kNotFound ||
                 e.code == ErrorCode::kInvalidArgument ||
                 e.code == ErrorCode::kFailedPrecondition
             ? kUsage
             : kRefused;
}

std::optional<std::string> ReadTextFile(const std::string& file,
                                        std::ostream& err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "trellis: cannot read '" << file << "'\n";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace trellis::cli
