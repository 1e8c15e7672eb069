#include "store/sql_support.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <ctime>
#include <map>
#include <mutex>
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

struct Statements::Kept {
  explicit Kept(soci::session& sql) : statement(sql) {}
  soci::statement statement;
  soci::row row;
  // The values the statement is bound to, by reference: sized once.
  std::vector<Param> bound;
  // Running now, with rows still to read: a query run again from inside its
  // own rows' handling gets a statement of its own.
  bool busy = false;
};

Statements::Statements(soci::session& sql) : sql_(sql) {}
Statements::~Statements() = default;

std::unique_ptr<Statements::Kept> Statements::Make(
    const std::string& sql, std::initializer_list<Param> params, bool rows) {
  auto kept = std::make_unique<Kept>(sql_);
  kept->bound.assign(params.begin(), params.end());
  if (rows) kept->statement.exchange(soci::into(kept->row));
  for (auto& slot : kept->bound) {
    if (slot.kind == Param::Kind::kInteger) {
      kept->statement.exchange(soci::use(slot.integer, slot.indicator));
    } else {
      kept->statement.exchange(soci::use(slot.text, slot.indicator));
    }
  }
  kept->statement.alloc();
  kept->statement.prepare(sql);
  kept->statement.define_and_bind();
  return kept;
}

Statements::Kept* Statements::Find(const std::string& sql,
                                   std::initializer_list<Param> params) {
  // A query and a statement without rows never share a text, so the text
  // alone names the statement; the kinds of the values are the call site's.
  auto it = kept_.find(sql);
  if (it == kept_.end() || it->second->busy) return nullptr;
  Kept& kept = *it->second;
  if (kept.bound.size() != params.size()) return nullptr;
  const auto* value = params.begin();
  for (auto& slot : kept.bound) {
    if (slot.kind != value->kind) return nullptr;
    slot.text = value->text;
    slot.integer = value->integer;
    slot.indicator = value->indicator;
    ++value;
  }
  return &kept;
}

void Statements::Use(const std::string& sql,
                     std::initializer_list<Param> params, bool rows,
                     const std::function<void(Kept&)>& body) {
  std::unique_ptr<Kept> own;
  Kept* kept = Find(sql, params);
  if (kept == nullptr) {
    own = Make(sql, params, rows);
    kept = own.get();
  }
  kept->busy = true;
  try {
    body(*kept);
  } catch (...) {
    // Left part-read or failed: prepared afresh next time.
    if (!own) kept_.erase(sql);
    throw;
  }
  kept->busy = false;
  if (own && !kept_.contains(sql)) kept_.emplace(sql, std::move(own));
}

void Statements::Each(const std::string& sql,
                      std::initializer_list<Param> params,
                      const std::function<void(const soci::row&)>& on_row) {
  Use(sql, params, /*rows=*/true, [&](Kept& kept) {
    for (bool more = kept.statement.execute(true); more;
         more = kept.statement.fetch()) {
      on_row(kept.row);
    }
  });
}

long long Statements::Run(const std::string& sql,
                          std::initializer_list<Param> params) {
  long long changed = 0;
  Use(sql, params, /*rows=*/false, [&](Kept& kept) {
    kept.statement.execute(true);
    changed = kept.statement.get_affected_rows();
  });
  return changed;
}

std::shared_ptr<std::mutex> WritersTurn(const std::string& database) {
  static std::mutex guard;
  static std::map<std::string, std::weak_ptr<std::mutex>> turns;
  std::scoped_lock lock(guard);
  auto& turn = turns[database];
  auto held = turn.lock();
  if (!held) {
    held = std::make_shared<std::mutex>();
    turn = held;
  }
  return held;
}

Transaction::Transaction(soci::session& sql, const Begin& begin) : sql_(sql) {
  if (begin.in_transaction != nullptr && begin.in_transaction(sql_)) {
    if (begin.read_only) {
      open_ = false;  // the snapshot's owner ends it
      return;
    }
    sql_ << "COMMIT";
  }
  if (begin.turn) turn_ = std::unique_lock(*begin.turn);
  try {
    for (const auto& statement : begin.statements) sql_ << statement;
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
  if (!open_) return;
  sql_ << "COMMIT";
  open_ = false;
  if (turn_.owns_lock()) turn_.unlock();
}

void Transaction::Rollback() {
  if (!open_) return;
  sql_ << "ROLLBACK";
  open_ = false;
  if (turn_.owns_lock()) turn_.unlock();
}

std::int64_t NextNumber(Statements& sql, const std::string& kind) {
  long long next = 0;
  bool counted = false;
  sql.Each(
      "UPDATE counters SET next_value = next_value + 1 WHERE name = :n "
      "RETURNING next_value - 1",
      {kind}, [&](const soci::row& row) {
        next = Integer(row, 0);
        counted = true;
      });
  if (counted) return next;
  sql.Run("INSERT INTO counters (name, next_value) VALUES (:n, 2)", {kind});
  return 1;
}

std::string NumberedId(char prefix, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return std::string(1, prefix) + digits;
}

bool RowExists(Statements& sql, const char* table, const std::string& id) {
  bool found = false;
  sql.Each(std::string("SELECT 1 FROM ") + table + " WHERE id = :id", {id},
           [&](const soci::row&) { found = true; });
  return found;
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

AuditWriter::AuditWriter(Statements& sql, std::string at, std::string actor)
    : sql_(sql), at_(std::move(at)), actor_(std::move(actor)) {}

void AuditWriter::Append(std::string_view action, std::string_view entity,
                         std::string_view entity_id, std::string before,
                         std::string after) {
  if (!loaded_) {
    // The head of the chain, read under the writers' turn: no other writer
    // can append between this read and the commit.
    seq_ = 0;
    head_ = std::string(64, '0');
    sql_.Each("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {},
              [this](const soci::row& row) {
                seq_ = Integer(row, 0);
                head_ = Text(row, 1);
              });
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
  sql_.Run(
      "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, "
      "before_json, after_json, prev_hash, hash) VALUES (:seq, :at, :actor, "
      ":action, :entity, :id, :before, :after, :prev, :hash)",
      {entry.seq, entry.at, entry.actor, entry.action, entry.entity,
       entry.entity_id, entry.before, entry.after, entry.prev_hash,
       entry.hash});
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
