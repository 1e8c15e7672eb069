// What the parts of the SQL store share: reading values from SOCI rows,
// binding nullable values, the time of a change, transactions and the audit
// trail's writer. Internal to the store layer.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.h"
#include "store/store.h"

namespace trellis::store_internal {

// The time of a change, in UTC: "2026-11-22T10:15:00Z".
std::string UtcNow();

// Dates are stored as ISO text; a value that does not parse is a broken
// invariant (only Trellis writes these columns).
Date DateFromText(const std::string& text);
std::optional<Date> OptionalDate(const soci::row& row, size_t i);
std::string Text(const soci::row& row, size_t i);
// Integers come back as the backend's own integer type; read any of them.
long long Integer(const soci::row& row, size_t i);

// A value bound to a statement that may be NULL.
struct Nullable {
  std::string value;
  soci::indicator indicator = soci::i_null;

  void Set(const std::optional<Date>& date);
  void Set(const std::string& text);
};

// A transaction begun with the dialect's statements, rolled back unless
// committed. For writes (begin_write) SQLite's BEGIN IMMEDIATE and
// PostgreSQL's advisory lock make writers take turns, so two queue rather
// than fail half-way; for reads (begin_read) it is one snapshot.
class Transaction {
 public:
  Transaction(soci::session& sql, const std::vector<std::string>& begin);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void Commit();
  void Rollback();

 private:
  soci::session& sql_;
  bool open_ = true;
};

// The next number of a kind ("session", "booking"), counted in the database.
// Call while holding the writers' turn.
std::int64_t NextNumber(soci::session& sql, const std::string& kind);
// "S000042": a prefix and a number of at least six digits.
std::string NumberedId(char prefix, std::int64_t number);

bool RowExists(soci::session& sql, const char* table, const std::string& id);

// Appends entries to the audit trail inside a write transaction: reads the
// chain's head once, then links each entry to the one before.
class AuditWriter {
 public:
  AuditWriter(soci::session& sql, std::string at, std::string actor);
  // `before` and `after` are JSON objects as text, or empty.
  void Append(std::string_view action, std::string_view entity,
              std::string_view entity_id, std::string before,
              std::string after);

 private:
  soci::session& sql_;
  std::string at_;
  std::string actor_;
  bool loaded_ = false;
  std::int64_t seq_ = 0;
  std::string head_;
};

// The hash an entry must carry: SHA-256 (hex) over its fields and the hash
// before it, each length-prefixed so no two entries share an encoding.
std::string AuditHash(const AuditEntry& entry);

// The SHA-256 of `text`, as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view text);

// JSON objects of the rows the audit trail records, as text.
std::string AuditJson(const Organisation& org);
std::string AuditJson(const Person& person);
std::string AuditJson(const TrainingRecord& record);
std::string AuditJson(const Readiness& readiness);
std::string AuditJson(const User& user);
std::string AuditJson(const ApiToken& token);
std::string AuditJson(const Venue& venue);
std::string AuditJson(const Room& room);
std::string AuditJson(const CourseSession& session);
std::string AuditJson(const Booking& booking);
std::string AuditJson(const RegisterEntry& entry);
std::string AuditSetting(const std::string& key, const std::string& value);

}  // namespace trellis::store_internal
