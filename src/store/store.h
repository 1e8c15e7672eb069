// The repository: the one interface through which Trellis reads and writes an
// area's workforce and training records, whatever the database behind it
// (SQLite, embedded; PostgreSQL for larger areas). A Store is used by one
// thread at a time; open one per thread, and the database keeps them apart.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/workforce.h"
#include "store/import.h"

namespace trellis {

// Who makes a change: a user's email, "cli:NAME" for the command line, "demo".
// Every row a change writes carries it, with the time in UTC.
struct Actor {
  std::string id;
};

// Where the data lives: `sqlite:PATH` (PATH may be relative) or
// `postgresql://...`.
struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgresql };
  Kind kind = Kind::kSqlite;
  std::string target;  // the file path, or the PostgreSQL connection string
};

// Parses a `--db` value. kInvalidArgument naming the value when it is neither.
[[nodiscard]] std::expected<DatabaseUrl, Error> ParseDatabaseUrl(
    std::string_view url);

// The schema version this program writes and understands.
// The URL fit to print or log: a password in it becomes "***".
std::string RedactedUrl(std::string_view url);

int CurrentSchemaVersion();

// What one write did to one kind of row.
struct WriteCounts {
  int added = 0;
  int changed = 0;
  int unchanged = 0;
};

struct ImportResult {
  WriteCounts organisations;
  WriteCounts people;
  WriteCounts records;
  // Rows whose references the database cannot satisfy (an unknown org_id,
  // manager_id or person_id), or a record that would rewrite a kept one.
  // When not empty, nothing was written.
  std::vector<ImportProblem> problems;
};

struct RowCounts {
  std::int64_t organisations = 0;
  std::int64_t people = 0;
  std::int64_t records = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version the database is at.
  [[nodiscard]] virtual std::expected<int, Error> SchemaVersion() = 0;

  // A setting of the area, e.g. "framework": the id of the framework the area
  // works to. nullopt when never set.
  [[nodiscard]] virtual std::expected<std::optional<std::string>, Error>
  Setting(const std::string& key) = 0;
  [[nodiscard]] virtual std::expected<void, Error> SetSetting(
      const std::string& key, const std::string& value, const Actor& by) = 0;

  // Writes a batch ReadImport made, all or nothing, in one transaction. The
  // batch must have no problems of its own (kInvalidArgument otherwise).
  // Organisations and people are upserted on their id: a row equal to the one
  // kept is left alone, so importing a file twice changes nothing. Records are
  // never rewritten: one whose id is kept with the same content is unchanged;
  // with other content it is a problem. When `dry_run` the transaction is
  // rolled back and the counts say what would have happened.
  [[nodiscard]] virtual std::expected<ImportResult, Error> Import(
      const ImportBatch& batch, const Actor& by, bool dry_run) = 0;

  // Writes a whole area (the demo) into an empty database in one transaction.
  // kFailedPrecondition when the database already holds people.
  [[nodiscard]] virtual std::expected<RowCounts, Error> Fill(
      const Workforce& workforce, const Actor& by) = 0;

  // Replaces an organisation's standing on one readiness checklist.
  // kNotFound when there is no such organisation.
  [[nodiscard]] virtual std::expected<void, Error> SetReadiness(
      const std::string& organisation, const Readiness& readiness,
      const Actor& by) = 0;

  // Records a correction: `replacement` (its id is assigned) supersedes the
  // record `old_id`, which stays kept. kNotFound when there is no such record;
  // kFailedPrecondition when it is already superseded; kInvalidArgument when
  // `reason` is empty or the replacement is for another person.
  [[nodiscard]] virtual std::expected<TrainingRecord, Error> SupersedeRecord(
      const std::string& old_id, TrainingRecord replacement,
      const std::string& reason, const Actor& by) = 0;

  // Adds one training record (a session's register, an e-learning result).
  // kNotFound when the person is unknown; kAlreadyExists when the id is kept.
  [[nodiscard]] virtual std::expected<void, Error> AddRecord(
      const TrainingRecord& record, const Actor& by) = 0;

  // Reads. nullopt when there is no such row.
  [[nodiscard]] virtual std::expected<std::optional<Person>, Error> FindPerson(
      const std::string& id) = 0;
  [[nodiscard]] virtual std::expected<std::optional<Organisation>, Error>
  FindOrganisation(const std::string& id) = 0;
  [[nodiscard]] virtual std::expected<std::optional<TrainingRecord>, Error>
  FindRecord(const std::string& id) = 0;
  // Every record of the person, superseded ones included, oldest first.
  [[nodiscard]] virtual std::expected<std::vector<TrainingRecord>, Error>
  RecordsOf(const std::string& person) = 0;
  // The whole area, for the needs engine: organisations and people by id,
  // records by person then date.
  [[nodiscard]] virtual std::expected<Workforce, Error> LoadWorkforce() = 0;
  [[nodiscard]] virtual std::expected<RowCounts, Error> Count() = 0;

 protected:
  Store() = default;
};

enum class OpenMode {
  kExisting,  // the database must exist at the current schema version
  kCreate,    // create it if missing, and apply any migrations it lacks
};

// Opens the database at `url`. kNotFound when it does not exist (kExisting);
// kFailedPrecondition when its schema is older than this program's (kExisting:
// "run trellis db init") or newer (always refused: a newer Trellis wrote it);
// kUnavailable when the database cannot be reached or is locked too long.
[[nodiscard]] std::expected<std::unique_ptr<Store>, Error> OpenStore(
    const DatabaseUrl& url, OpenMode mode);

}  // namespace trellis
