#include "store/store.h"

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
  // scheme://user:password@host...: the password runs from the first ':'
  // after "//" to the last '@' before the path.
  const auto start = url.find("//");
  if (start == std::string_view::npos) return std::string(url);
  const auto path = url.find('/', start + 2);
  const auto at = url.substr(0, path).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  const auto colon = url.find(':', start + 2);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" +
         std::string(url.substr(at));
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
