#include "store/store.h"

#include <algorithm>

#include "store/sql_store.h"

namespace trellis {

std::expected<DatabaseUrl, Error> ParseDatabaseUrl(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    // sqlite:///abs/path and sqlite://rel are spelt as URLs sometimes.
    if (path.starts_with("//")) path.remove_prefix(2);
    if (path.empty()) {
      return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                   "--db 'sqlite:' needs a file path, e.g. "
                                   "sqlite:trellis.db",
                                   {{"db", "no path"}}});
    }
    return DatabaseUrl{DatabaseUrl::Kind::kSqlite, std::string(path)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, std::string(url)};
  }
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument,
            "--db '" + std::string(url) +
                "' is not a database URL: use sqlite:PATH or "
                "postgresql://HOST/NAME",
            {{"db", "unknown scheme"}}});
}

std::string RedactedUrl(std::string_view url) {
  std::string out(url);
  // scheme://user:password@host...: the password runs from the first ':'
  // after "//" to the last '@' before the path.
  const auto start = out.find("//");
  if (start != std::string::npos) {
    const auto path = out.find('/', start + 2);
    const auto at = out.substr(0, path).rfind('@');
    const auto colon = out.find(':', start + 2);
    if (at != std::string::npos && at > start && colon != std::string::npos &&
        colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&...
  for (auto key = out.find("password="); key != std::string::npos;
       key = out.find("password=", key + 1)) {
    if (key > 0 && out[key - 1] != '?' && out[key - 1] != '&') continue;
    const auto value = key + 9;
    const auto end = std::min(out.find('&', value), out.size());
    out.replace(value, end - value, "***");
  }
  return out;
}

int CurrentSchemaVersion() {
  const auto& all = store_internal::Migrations();
  return all.empty() ? 0 : all.back().version;
}

std::expected<std::unique_ptr<Store>, Error> OpenStore(const DatabaseUrl& url,
                                                       OpenMode mode) {
  switch (url.kind) {
    case DatabaseUrl::Kind::kSqlite:
      return store_internal::OpenSqlite(url.target, mode);
    case DatabaseUrl::Kind::kPostgresql:
      break;
  }
  return store_internal::OpenPostgresql(url.target, mode);
}

}  // namespace trellis
