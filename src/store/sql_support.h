// What the parts of the SQL store share: reading values from SOCI rows,
// binding nullable values, the time of a change, transactions and the audit
// trail's writer. Internal to the store layer.
#pragma once

#include <soci/soci.h>

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "domain/calendar.h"
#include "store/sql_store.h"
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

// A value bound to a kept statement: text (NULL when a Nullable is unset) or
// an integer. Converts implicitly, so a call reads Each(sql, {id, limit}, …).
struct Param {
  enum class Kind { kText, kInteger };
  Kind kind = Kind::kText;
  std::string text;
  long long integer = 0;
  soci::indicator indicator = soci::i_ok;

  Param(std::string value)  // NOLINT(google-explicit-constructor)
      : text(std::move(value)) {}
  Param(const char* value)  // NOLINT(google-explicit-constructor)
      : text(value) {}
  template <std::integral T>
  requires(!std::same_as<T, bool>)
      Param(T value)  // NOLINT(google-explicit-constructor)
      : kind(Kind::kInteger), integer(static_cast<long long>(value)) {}
  Param(const Nullable& value)  // NOLINT(google-explicit-constructor)
      : text(value.value), indicator(value.indicator) {}
};

// Statements prepared once per SQL text and kept for the life of the
// connection: parsing and planning a statement cost more than running most
// of Trellis's, so every hot query goes through here. Like the session it
// wraps, serves one thread at a time.
class Statements {
 public:
  explicit Statements(soci::session& sql);
  Statements(const Statements&) = delete;
  Statements& operator=(const Statements&) = delete;
  ~Statements();

  // Runs a query and calls `on_row` for every row, reading them all (so an
  // SQLite statement never keeps a read snapshot open between calls).
  void Each(const std::string& sql, std::initializer_list<Param> params,
            const std::function<void(const soci::row&)>& on_row);
  // What `make` makes of the first row, or nothing when there is none.
  template <typename Make>
  auto First(const std::string& sql, std::initializer_list<Param> params,
             Make make)
      -> std::optional<std::invoke_result_t<Make&, const soci::row&>> {
    std::optional<std::invoke_result_t<Make&, const soci::row&>> first;
    Each(sql, params, [&](const soci::row& row) {
      if (!first) first = make(row);
    });
    return first;
  }
  // Runs a statement that returns no rows; the number of rows it changed.
  long long Run(const std::string& sql, std::initializer_list<Param> params);

 private:
  struct Kept;
  // The kept statement for `sql`, bound to `params`, or null when there is
  // none free to use with values of these kinds.
  Kept* Find(const std::string& sql, std::initializer_list<Param> params);
  std::unique_ptr<Kept> Make(const std::string& sql,
                             std::initializer_list<Param> params, bool rows);
  // Runs `body` on the kept statement for `sql` (or one of its own when that
  // is busy or kinds differ), keeping a new one and dropping one that threw.
  void Use(const std::string& sql, std::initializer_list<Param> params,
           bool rows, const std::function<void(Kept&)>& body);

  soci::session& sql_;
  std::unordered_map<std::string, std::unique_ptr<Kept>> kept_;
};

// A transaction begun the dialect's way, rolled back unless committed. For
// writes (begin_write) the process's writers' turn, then SQLite's BEGIN
// IMMEDIATE or PostgreSQL's advisory lock, make writers take turns, so two
// queue rather than fail half-way; for reads (begin_read) it is one snapshot.
// Inside a request's read snapshot (Begin::in_transaction), a read joins it
// and a write ends it before it begins.
class Transaction {
 public:
  Transaction(soci::session& sql, const Begin& begin);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void Commit();
  void Rollback();

 private:
  std::unique_lock<std::mutex> turn_;
  soci::session& sql_;
  bool open_ = true;  // false once ended, or when it joined a snapshot
};

// The next number of a kind ("session", "booking"), counted in the database.
// Call while holding the writers' turn.
std::int64_t NextNumber(Statements& sql, const std::string& kind);
// "S000042": a prefix and a number of at least six digits.
std::string NumberedId(char prefix, std::int64_t number);

bool RowExists(Statements& sql, const char* table, const std::string& id);

// Appends entries to the audit trail inside a write transaction: reads the
// chain's head once, then links each entry to the one before.
class AuditWriter {
 public:
  AuditWriter(Statements& sql, std::string at, std::string actor);
  // `before` and `after` are JSON objects as text, or empty.
  void Append(std::string_view action, std::string_view entity,
              std::string_view entity_id, std::string before,
              std::string after);

 private:
  Statements& sql_;
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
