#include "store/sql_support.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

namespace trellis::store_internal {

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> text{};
  const size_t n =
      std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {text.data(), n};
}

Date DateFromText(const std::string& text) {
  auto date = ParseIsoDate(text);
  if (!date) throw soci::soci_error("stored date '" + text + "' is not ISO");
  return *date;
}

std::optional<Date> OptionalDate(const soci::row& row, size_t i) {
  if (row.get_indicator(i) == soci::i_null) return std::nullopt;
  return DateFromText(row.get<std::string>(i));
}

std::string Text(const soci::row& row, size_t i) {
  if (row.get_indicator(i) == soci::i_null) return {};
  return row.get<std::string>(i);
}

long long Integer(const soci::row& row, size_t i) {
  if (row.get_indicator(i) == soci::i_null) return 0;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(row.get<double>(i));
    default: {
      const auto s = row.get<std::string>(i);
      long long value = 0;
      std::from_chars(s.data(), s.data() + s.size(), value);
      return value;
    }
  }
}

void Nullable::Set(const std::optional<Date>& date) {
  value = date ? FormatIsoDate(*date) : std::string();
  indicator = date ? soci::i_ok : soci::i_null;
}

void Nullable::Set(const std::string& text) {
  value = text;
  indicator = text.empty() ? soci::i_null : soci::i_ok;
}

Transaction::Transaction(soci::session& sql,
                         const std::vector<std::string>& begin)
    : sql_(sql) {
  try {
    for (const auto& statement : begin) sql_ << statement;
  } catch (const soci::soci_error&) {
    // BEGIN went through but taking the writers' turn did not (a lock
    // timeout): end the transaction, or the connection stays in it.
    try {
      sql_ << "ROLLBACK";
    } catch (const soci::soci_error&) {
      // Nothing was begun, or the connection is gone.
    }
    throw;
  }
}

Transaction::~Transaction() {
  if (open_) {
    try {
      sql_ << "ROLLBACK";
    } catch (const soci::soci_error&) {
      // The connection is gone; the database rolls back on its own.
    }
  }
}

void Transaction::Commit() {
  sql_ << "COMMIT";
  open_ = false;
}

void Transaction::Rollback() {
  sql_ << "ROLLBACK";
  open_ = false;
}

std::int64_t NextNumber(soci::session& sql, const std::string& kind) {
  long long next = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT next_value FROM counters WHERE name = :n", soci::use(kind),
      soci::into(next, ind);
  if (!sql.got_data()) {
    next = 1;
    sql << "INSERT INTO counters (name, next_value) VALUES (:n, 2)",
        soci::use(kind);
  } else {
    sql << "UPDATE counters SET next_value = next_value + 1 WHERE name = :n",
        soci::use(kind);
  }
  return next;
}

std::string NumberedId(char prefix, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return std::string(1, prefix) + digits;
}

bool RowExists(soci::session& sql, const char* table, const std::string& id) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " << table << " WHERE id = :id", soci::use(id),
      soci::into(n);
  return n > 0;
}

std::string Sha256Hex(std::string_view text) {
  // libsodium asks to be started once before use; starting is thread-safe.
  [[maybe_unused]] static const int sodium = sodium_init();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(),
                     reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return {hex.data(), crypto_hash_sha256_BYTES * 2};
}

std::string AuditHash(const AuditEntry& entry) {
  std::string text;
  auto field = [&text](std::string_view value) {
    text += std::to_string(value.size());
    text += ':';
    text += value;
    text += '\n';
  };
  field(std::to_string(entry.seq));
  field(entry.at);
  field(entry.actor);
  field(entry.action);
  field(entry.entity);
  field(entry.entity_id);
  field(entry.before);
  field(entry.after);
  field(entry.prev_hash);
  return Sha256Hex(text);
}

AuditWriter::AuditWriter(soci::session& sql, std::string at, std::string actor)
    : sql_(sql), at_(std::move(at)), actor_(std::move(actor)) {}

void AuditWriter::Append(std::string_view action, std::string_view entity,
                         std::string_view entity_id, std::string before,
                         std::string after) {
  if (!loaded_) {
    // The head of the chain, read under the writers' turn: no other writer
    // can append between this read and the commit.
    long long seq = 0;
    std::string hash;
    soci::indicator seq_ind = soci::i_null;
    soci::indicator hash_ind = soci::i_null;
    sql_ << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        soci::into(seq, seq_ind), soci::into(hash, hash_ind);
    if (sql_.got_data()) {
      seq_ = seq;
      head_ = hash;
    } else {
      seq_ = 0;
      head_ = std::string(64, '0');
    }
    loaded_ = true;
  }
  AuditEntry entry{.seq = seq_ + 1,
                   .at = at_,
                   .actor = actor_,
                   .action = std::string(action),
                   .entity = std::string(entity),
                   .entity_id = std::string(entity_id),
                   .before = std::move(before),
                   .after = std::move(after),
                   .prev_hash = head_,
                   .hash = {}};
  entry.hash = AuditHash(entry);
  const long long seq = entry.seq;
  sql_ << "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, "
          "before_json, after_json, prev_hash, hash) VALUES (:seq, :at, "
          ":actor, :action, :entity, :id, :before, :after, :prev, :hash)",
      soci::use(seq), soci::use(entry.at), soci::use(entry.actor),
      soci::use(entry.action), soci::use(entry.entity),
      soci::use(entry.entity_id), soci::use(entry.before),
      soci::use(entry.after), soci::use(entry.prev_hash), soci::use(entry.hash);
  seq_ = entry.seq;
  head_ = std::move(entry.hash);
}

namespace {

using nlohmann::json;

json DateJson(const std::optional<Date>& date) {
  return date ? json(FormatIsoDate(*date)) : json(nullptr);
}

}  // namespace

std::string AuditJson(const Organisation& org) {
  return json{{"name", org.name},
              {"sector", org.sector},
              {"type", org.type},
              {"case_management_system", org.case_management_system},
              {"locality", org.locality},
              {"isp_signed", DateJson(org.isp_signed)}}
      .dump();
}

std::string AuditJson(const Person& p) {
  json checks = json::array();
  for (const auto& c : p.checks) {
    checks.push_back({{"check", c.check},
                      {"date", FormatIsoDate(c.date)},
                      {"detail", c.detail}});
  }
  return json{{"name", p.name},
              {"email", p.email},
              {"organisation", p.organisation},
              {"role", p.role},
              {"audiences", p.audiences},
              {"manager", p.manager},
              {"locality", p.locality},
              {"start_date", DateJson(p.start_date)},
              {"checks", checks}}
      .dump();
}

std::string AuditJson(const TrainingRecord& r) {
  return json{{"person", r.person},
              {"module", r.module},
              {"module_version", r.module_version},
              {"date", FormatIsoDate(r.date)},
              {"outcome", TrainingOutcomeName(r.outcome)},
              {"source", RecordSourceName(r.source)},
              {"evidence", r.evidence},
              {"supersedes", r.supersedes},
              {"reason", r.reason}}
      .dump();
}

std::string AuditJson(const Readiness& readiness) {
  json conditions = json::array();
  for (const auto& c : readiness.conditions) {
    conditions.push_back({{"number", c.number},
                          {"met", c.met},
                          {"evidence", c.evidence},
                          {"date", DateJson(c.date)}});
  }
  return json{{"checklist", readiness.checklist}, {"conditions", conditions}}
      .dump();
}

std::string AuditJson(const User& user) {
  return json{{"email", user.email},
              {"name", user.name},
              {"role", UserRoleName(user.role)},
              {"person", user.person},
              {"organisation", user.organisation},
              {"disabled", user.disabled}}
      .dump();
}

std::string AuditJson(const ApiToken& token) {
  return json{{"user", token.user},
              {"name", token.name},
              {"revoked_at", token.revoked_at}}
      .dump();
}

std::string AuditJson(const Venue& venue) {
  return json{
      {"name", venue.name}, {"address", venue.address}, {"notes", venue.notes}}
      .dump();
}

std::string AuditJson(const Room& room) {
  return json{{"venue", room.venue},
              {"name", room.name},
              {"seats", room.seats},
              {"it_suite", room.it_suite},
              {"accessibility", room.accessibility}}
      .dump();
}

std::string AuditJson(const CourseSession& s) {
  json parts = json::array();
  for (const auto& p : s.parts) {
    parts.push_back({{"starts", FormatLocalTime(p.starts)},
                     {"ends", FormatLocalTime(p.ends)}});
  }
  return json{{"course", s.course},
              {"status", SessionStatusName(s.status)},
              {"room", s.room},
              {"seats", s.seats},
              {"parts", parts},
              {"trainers", s.trainers},
              {"audiences", s.audiences},
              {"case_management_system", s.case_management_system},
              {"approval_required", s.approval_required},
              {"verify_identity", s.verify_identity},
              {"reserved_seats", s.reserved_seats},
              {"reserved_for", s.reserved_for},
              {"reserved_until", DateJson(s.reserved_until)},
              {"notes", s.notes},
              {"register_closed_at", s.register_closed_at}}
      .dump();
}

std::string AuditJson(const Booking& b) {
  return json{{"session", b.session},
              {"person", b.person},
              {"status", BookingStatusName(b.status)},
              {"nominated", b.nominated},
              {"priority", b.priority},
              {"queued", b.queued},
              {"late_cancellation", b.late_cancellation},
              {"note", b.note}}
      .dump();
}

std::string AuditJson(const RegisterEntry& e) {
  return json{{"person", e.person},
              {"booking", e.booking},
              {"status", BookingStatusName(e.status)},
              {"present", e.present},
              {"identity_verified", e.identity_verified},
              {"identity_evidence", e.identity_evidence},
              {"security_token", e.security_token}}
      .dump();
}

std::string AuditSetting(const std::string& key, const std::string& value) {
  return json{{"key", key}, {"value", value}}.dump();
}

}  // namespace trellis::store_internal
