#include "store/sql_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <utility>

#include "domain/calendar.h"
#include "store/sql_parts.h"
#include "store/sql_support.h"

namespace trellis::store_internal {
namespace {

bool SameChecks(std::vector<CheckRecord> a, std::vector<CheckRecord> b) {
  auto by_id = [](const CheckRecord& x, const CheckRecord& y) {
    return x.check < y.check;
  };
  std::ranges::sort(a, by_id);
  std::ranges::sort(b, by_id);
  return std::ranges::equal(a, b, [](const auto& x, const auto& y) {
    return x.check == y.check && x.date == y.date && x.detail == y.detail;
  });
}

bool SameOrganisation(const Organisation& a, const Organisation& b) {
  return a.name == b.name && a.sector == b.sector && a.type == b.type &&
         a.case_management_system == b.case_management_system &&
         a.locality == b.locality && a.isp_signed == b.isp_signed;
}

bool SamePersonRow(const Person& a, const Person& b) {
  return a.name == b.name && a.email == b.email &&
         a.organisation == b.organisation && a.role == b.role &&
         a.audiences == b.audiences && a.manager == b.manager &&
         a.locality == b.locality && a.start_date == b.start_date;
}

// What a kept record and an imported one with the same id must share.
bool SameRecord(const TrainingRecord& a, const TrainingRecord& b) {
  return a.person == b.person && a.module == b.module &&
         a.module_version == b.module_version && a.date == b.date &&
         a.outcome == b.outcome && a.source == b.source &&
         a.evidence == b.evidence;
}

// The checks a person will have after an import: those on record, with the
// file's replacing them; a check the file states without a date keeps the
// date on record, so importing the same file on another day changes nothing.
std::vector<CheckRecord> MergeChecks(const std::vector<CheckRecord>& kept,
                                     const std::vector<CheckRecord>& incoming) {
  std::vector<CheckRecord> merged = kept;
  for (const auto& check : incoming) {
    auto it = std::ranges::find(merged, check.check, &CheckRecord::check);
    if (it == merged.end()) {
      merged.push_back(check);
    } else if (check.detail != kUndatedCheckDetail) {
      *it = check;
    }
  }
  return merged;
}

std::string NextCorrectionId(const std::string& old_id) {
  // "ID" -> "ID#2" -> "ID#3": a correction's id says what it corrects.
  const auto hash = old_id.rfind('#');
  if (hash != std::string::npos) {
    int n = 0;
    const char* begin = old_id.data() + hash + 1;
    const char* end = old_id.data() + old_id.size();
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec == std::errc() && ptr == end && n > 0) {
      return old_id.substr(0, hash) + "#" + std::to_string(n + 1);
    }
  }
  return old_id + "#2";
}

template <typename T>
struct Unwrap {
  using type = T;
};
template <typename T>
struct Unwrap<std::expected<T, Error>> {
  using type = T;
};
template <typename Body>
using GuardResult =
    std::expected<typename Unwrap<std::invoke_result_t<Body&>>::type, Error>;

class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<soci::session> sql, Dialect dialect)
      : sql_(std::move(sql)),
        dialect_(std::move(dialect)),
        stmts_(*sql_),
        accounts_(*sql_, stmts_, dialect_),
        sessions_(*sql_, stmts_, dialect_, Access()) {}

  std::expected<int, Error> SchemaVersion() override {
    return Guard([&] { return ReadSchemaVersion(); });
  }

  std::expected<void, Error> StartReading() override {
    const Begin& read = dialect_.begin_read;
    if (read.in_transaction == nullptr) return {};
    return Guard([&] {
      if (read.in_transaction(*sql_)) return;
      for (const auto& statement : read.statements) *sql_ << statement;
    });
  }

  bool EndReading() override {
    const Begin& read = dialect_.begin_read;
    if (read.in_transaction == nullptr) return true;
    try {
      if (read.in_transaction(*sql_)) *sql_ << "COMMIT";
      return true;
    } catch (const soci::soci_error&) {
      return false;
    }
  }

  std::expected<long long, Error> DataVersion() override {
    return Guard([&] {
      long long version = 0;
      stmts_.Each("SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1", {},
                  [&](const soci::row& row) { version = Integer(row, 0); });
      return version;
    });
  }

  std::expected<std::optional<std::string>, Error> Setting(
      const std::string& key) override {
    return Guard([&]() -> std::optional<std::string> {
      std::string value;
      soci::indicator ind = soci::i_null;
      *sql_ << "SELECT value FROM settings WHERE key = :key", soci::use(key),
          soci::into(value, ind);
      if (!sql_->got_data()) return std::nullopt;
      return value;
    });
  }

  std::expected<void, Error> SetSetting(const std::string& key,
                                        const std::string& value,
                                        const Actor& by) override {
    return Guard([&] {
      Transaction tx(*sql_, dialect_.begin_write);
      const std::string now = UtcNow();
      std::string old;
      soci::indicator old_ind = soci::i_null;
      *sql_ << "SELECT value FROM settings WHERE key = :key", soci::use(key),
          soci::into(old, old_ind);
      const bool existed = sql_->got_data();
      if (existed && old == value) return;
      AuditWriter audit(stmts_, now, by.id);
      audit.Append(existed ? "change" : "add", "setting", key,
                   existed ? AuditSetting(key, old) : std::string(),
                   AuditSetting(key, value));
      *sql_ << "INSERT INTO settings (key, value, changed_at, changed_by) "
               "VALUES (:k, :v, :at, :by) ON CONFLICT (key) DO UPDATE SET "
               "value = excluded.value, changed_at = excluded.changed_at, "
               "changed_by = excluded.changed_by",
          soci::use(key), soci::use(value), soci::use(now), soci::use(by.id);
      tx.Commit();
    });
  }

  std::expected<ImportResult, Error> Import(const ImportBatch& batch,
                                            const Actor& by,
                                            bool dry_run) override {
    if (!batch.problems.empty()) {
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "the import has problems of its own; nothing was written",
                {}});
    }
    return Guard([&] {
      Transaction tx(*sql_, dialect_.begin_write);
      ImportResult result;
      const std::string now = UtcNow();
      AuditWriter audit(stmts_, now, by.id);
      auto line_of = [&](const std::string& id) {
        auto it = batch.lines.find(id);
        return it == batch.lines.end() ? 0 : it->second;
      };
      for (const auto& org : batch.organisations) {
        auto kept = ReadOrganisation(org.id, /*with_readiness=*/false);
        if (!kept) {
          WriteOrganisation(org, now, by, /*insert=*/true);
          audit.Append("add", "organisation", org.id, "", AuditJson(org));
          ++result.organisations.added;
        } else if (!SameOrganisation(*kept, org)) {
          WriteOrganisation(org, now, by, /*insert=*/false);
          audit.Append("change", "organisation", org.id, AuditJson(*kept),
                       AuditJson(org));
          ++result.organisations.changed;
        } else {
          ++result.organisations.unchanged;
        }
      }
      std::set<std::string> batch_people;
      for (const auto& p : batch.people) batch_people.insert(p.id);
      for (const auto& p : batch.people) {
        if (!Exists("organisations", p.organisation)) {
          result.problems.push_back(
              {line_of(p.id), "org_id", p.organisation,
               "no such organisation; import the organisations first"});
        }
        if (!p.manager.empty() && !batch_people.contains(p.manager) &&
            !Exists("people", p.manager)) {
          result.problems.push_back(
              {line_of(p.id), "manager_id", p.manager,
               "no such person, in this file or on record"});
        }
      }
      if (result.problems.empty()) {
        for (const auto& p : batch.people) {
          auto kept = ReadPerson(p.id);
          if (!kept) {
            WritePerson(p, now, by, /*insert=*/true);
            WriteChecks(p.id, {}, p.checks, now, by);
            audit.Append("add", "person", p.id, "", AuditJson(p));
            ++result.people.added;
            continue;
          }
          auto checks = MergeChecks(kept->checks, p.checks);
          const bool row_same = SamePersonRow(*kept, p);
          const bool checks_same = SameChecks(kept->checks, checks);
          if (!row_same) WritePerson(p, now, by, /*insert=*/false);
          if (!checks_same) WriteChecks(p.id, kept->checks, checks, now, by);
          if (row_same && checks_same) {
            ++result.people.unchanged;
          } else {
            Person after = p;
            after.checks = checks;
            audit.Append("change", "person", p.id, AuditJson(*kept),
                         AuditJson(after));
            ++result.people.changed;
          }
        }
      }
      for (auto& p : ImportRecords(batch.records, line_of, audit, now, by,
                                   result.records)) {
        result.problems.push_back(std::move(p));
      }
      std::ranges::stable_sort(result.problems, {}, &ImportProblem::line);
      if (dry_run || !result.problems.empty()) {
        tx.Rollback();
      } else {
        tx.Commit();
      }
      return result;
    });
  }

  std::expected<RowCounts, Error> Fill(const Workforce& workforce,
                                       const Actor& by) override {
    return Guard([&]() -> std::expected<RowCounts, Error> {
      Transaction tx(*sql_, dialect_.begin_write);
      long long people = 0;
      *sql_ << "SELECT COUNT(*) FROM people", soci::into(people);
      if (people > 0) {
        return std::unexpected(
            Error{ErrorCode::kFailedPrecondition,
                  "the database already holds " + std::to_string(people) +
                      " people; a demo area goes into an empty database",
                  {}});
      }
      const std::string now = UtcNow();
      AuditWriter audit(stmts_, now, by.id);
      for (const auto& org : workforce.organisations) {
        WriteOrganisation(org, now, by, /*insert=*/true);
        audit.Append("add", "organisation", org.id, "", AuditJson(org));
        for (const auto& readiness : org.readiness) {
          WriteReadiness(org.id, readiness, now, by);
          audit.Append("change", "readiness", org.id, "", AuditJson(readiness));
        }
      }
      for (const auto& p : workforce.people) {
        WritePerson(p, now, by, /*insert=*/true);
        WriteChecks(p.id, {}, p.checks, now, by);
        WriteExperience(p);
        audit.Append("add", "person", p.id, "", AuditJson(p));
      }
      for (const auto& r : workforce.records) {
        InsertRecord(r, now, by);
        audit.Append("add", "training-record", r.id, "", AuditJson(r));
      }
      tx.Commit();
      return RowCounts{
          .organisations =
              static_cast<std::int64_t>(workforce.organisations.size()),
          .people = static_cast<std::int64_t>(workforce.people.size()),
          .records = static_cast<std::int64_t>(workforce.records.size())};
    });
  }

  std::expected<void, Error> SetReadiness(const std::string& organisation,
                                          const Readiness& readiness,
                                          const Actor& by) override {
    return Guard([&]() -> std::expected<void, Error> {
      Transaction tx(*sql_, dialect_.begin_write);
      if (!Exists("organisations", organisation)) {
        return std::unexpected(Error{ErrorCode::kNotFound,
                                     "no organisation '" + organisation + "'",
                                     {{"organisation", "not known"}}});
      }
      const std::string now = UtcNow();
      auto kept = ReadOrganisation(organisation, /*with_readiness=*/true);
      auto old = std::ranges::find(kept->readiness, readiness.checklist,
                                   &Readiness::checklist);
      AuditWriter audit(stmts_, now, by.id);
      audit.Append(
          "change", "readiness", organisation,
          old == kept->readiness.end() ? std::string() : AuditJson(*old),
          AuditJson(readiness));
      WriteReadiness(organisation, readiness, now, by);
      tx.Commit();
      return {};
    });
  }

  std::expected<TrainingRecord, Error> SupersedeRecord(
      const std::string& old_id, TrainingRecord replacement,
      const std::string& reason, const Actor& by) override {
    if (reason.empty()) {
      return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                   "a correction needs a reason",
                                   {{"reason", "is required"}}});
    }
    return Guard([&]() -> std::expected<TrainingRecord, Error> {
      Transaction tx(*sql_, dialect_.begin_write);
      auto old = ReadRecord(old_id);
      if (!old) {
        return std::unexpected(Error{ErrorCode::kNotFound,
                                     "no training record '" + old_id + "'",
                                     {{"record", "not known"}}});
      }
      std::string later;
      soci::indicator ind = soci::i_null;
      *sql_ << "SELECT id FROM training_records WHERE supersedes = :id",
          soci::use(old_id), soci::into(later, ind);
      if (sql_->got_data()) {
        return std::unexpected(Error{ErrorCode::kFailedPrecondition,
                                     "record '" + old_id +
                                         "' is already superseded by '" +
                                         later + "'; correct that one instead",
                                     {{"record", "already superseded"}}});
      }
      if (replacement.person.empty()) replacement.person = old->person;
      if (replacement.person != old->person) {
        return std::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  "a correction is for the same person as the record it "
                  "corrects ('" +
                      old->person + "')",
                  {{"person", "differs from the corrected record's"}}});
      }
      const std::string now = UtcNow();
      AuditWriter audit(stmts_, now, by.id);
      replacement =
          Supersede(*old, std::move(replacement), reason, audit, now, by);
      tx.Commit();
      return replacement;
    });
  }

  std::expected<void, Error> AddRecord(const TrainingRecord& record,
                                       const Actor& by) override {
    return Guard([&]() -> std::expected<void, Error> {
      Transaction tx(*sql_, dialect_.begin_write);
      if (!Exists("people", record.person)) {
        return std::unexpected(Error{ErrorCode::kNotFound,
                                     "no person '" + record.person + "'",
                                     {{"person", "not known"}}});
      }
      if (ReadRecord(record.id)) {
        return std::unexpected(Error{ErrorCode::kAlreadyExists,
                                     "a record '" + record.id + "' is kept",
                                     {{"id", "already used"}}});
      }
      const std::string now = UtcNow();
      InsertRecord(record, now, by);
      AuditWriter audit(stmts_, now, by.id);
      audit.Append("add", "training-record", record.id, "", AuditJson(record));
      tx.Commit();
      return {};
    });
  }

  std::expected<std::optional<Person>, Error> FindPerson(
      const std::string& id) override {
    return Guard([&] { return ReadPerson(id); });
  }

  std::expected<std::optional<Organisation>, Error> FindOrganisation(
      const std::string& id) override {
    return Guard([&] { return ReadOrganisation(id, /*with_readiness=*/true); });
  }

  std::expected<std::optional<TrainingRecord>, Error> FindRecord(
      const std::string& id) override {
    return Guard([&] { return ReadRecord(id); });
  }

  std::expected<std::vector<TrainingRecord>, Error> RecordsOf(
      const std::string& person) override {
    return Guard([&] { return ReadRecords(person); });
  }

  std::expected<Workforce, Error> LoadWorkforce() override {
    return Guard([&] {
      // One snapshot for all the reads, so an import committed meanwhile is
      // seen whole or not at all.
      Transaction snapshot(*sql_, dialect_.begin_read);
      Workforce area;
      {
        stmts_.Each(std::string(kOrganisationColumns) + " ORDER BY id", {},
                    [&](const soci::row& row) {
                      area.organisations.push_back(OrganisationFromRow(row));
                    });
      }
      {
        std::map<std::string, Organisation*> by_id;
        for (auto& org : area.organisations) by_id[org.id] = &org;
        stmts_.Each(std::string(kReadinessColumns) +
                        " ORDER BY organisation_id, checklist, number",
                    {}, [&](const soci::row& row) {
                      auto it = by_id.find(row.get<std::string>(0));
                      if (it != by_id.end()) AddReadinessRow(*it->second, row);
                    });
      }
      {
        stmts_.Each(std::string(kPersonColumns) + " ORDER BY id", {},
                    [&](const soci::row& row) {
                      area.people.push_back(PersonFromRow(row));
                    });
      }
      std::map<std::string, Person*> people;
      for (auto& p : area.people) people[p.id] = &p;
      {
        stmts_.Each(
            "SELECT person_id, audience FROM "
            "person_audiences ORDER BY person_id, position",
            {}, [&](const soci::row& row) {
              auto it = people.find(row.get<std::string>(0));
              if (it != people.end())
                it->second->audiences.push_back(row.get<std::string>(1));
            });
      }
      {
        stmts_.Each(
            std::string(kCheckColumns) + " ORDER BY person_id, check_id", {},
            [&](const soci::row& row) {
              auto it = people.find(row.get<std::string>(0));
              if (it != people.end())
                it->second->checks.push_back(CheckFromRow(row));
            });
      }
      {
        stmts_.Each(
            std::string(kExperienceColumns) + " ORDER BY person_id, position",
            {}, [&](const soci::row& row) {
              auto it = people.find(row.get<std::string>(0));
              if (it != people.end())
                it->second->experience.push_back(ExperienceFromRow(row));
            });
      }
      {
        stmts_.Each(std::string(kRecordColumns) +
                        " ORDER BY person_id, completed_on, "
                        "recorded_at, id",
                    {}, [&](const soci::row& row) {
                      area.records.push_back(RecordFromRow(row));
                    });
      }
      return area;
    });
  }

  std::expected<RowCounts, Error> Count() override {
    return Guard([&] {
      RowCounts counts;
      long long n = 0;
      *sql_ << "SELECT COUNT(*) FROM organisations", soci::into(n);
      counts.organisations = n;
      *sql_ << "SELECT COUNT(*) FROM people", soci::into(n);
      counts.people = n;
      *sql_ << "SELECT COUNT(*) FROM training_records", soci::into(n);
      counts.records = n;
      return counts;
    });
  }

  std::expected<std::vector<Person>, Error> ListPeople(
      const std::string& organisation, const std::string& manager,
      ListWindow window) override {
    return Guard([&] {
      const int limit = std::clamp(window.limit, 1, 1000);
      const int offset = std::max(window.offset, 0);
      std::vector<std::string> ids;
      {
        stmts_.Each(
            "SELECT id FROM people WHERE (:o1 = '' OR "
            "organisation_id = :o2) AND (:m1 = '' OR "
            "manager_id = :m2) ORDER BY id LIMIT :limit "
            "OFFSET :offset",
            {organisation, organisation, manager, manager, limit, offset},
            [&](const soci::row& row) { ids.push_back(Text(row, 0)); });
      }
      std::vector<Person> people;
      for (const auto& id : ids) {
        if (auto p = ReadPerson(id)) people.push_back(std::move(*p));
      }
      return people;
    });
  }

  std::expected<std::vector<Organisation>, Error> ListOrganisations(
      ListWindow window) override {
    return Guard([&] {
      const int limit = std::clamp(window.limit, 1, 1000);
      const int offset = std::max(window.offset, 0);
      std::vector<Organisation> orgs;
      stmts_.Each(std::string(kOrganisationColumns) +
                      " ORDER BY id LIMIT :limit OFFSET :offset",
                  {limit, offset}, [&](const soci::row& row) {
                    orgs.push_back(OrganisationFromRow(row));
                  });
      return orgs;
    });
  }

  std::expected<User, Error> AddUser(User user,
                                     const std::string& password_hash,
                                     const Actor& by) override {
    return Guard(
        [&] { return accounts_.AddUser(std::move(user), password_hash, by); });
  }
  std::expected<void, Error> SetPassword(const std::string& user,
                                         const std::string& password_hash,
                                         const Actor& by) override {
    return Guard(
        [&] { return accounts_.SetPassword(user, password_hash, by); });
  }
  std::expected<std::optional<User>, Error> FindUser(
      const std::string& id) override {
    return Guard([&] { return accounts_.FindUser(id); });
  }
  std::expected<std::optional<std::pair<User, std::string>>, Error>
  FindUserByEmail(const std::string& email) override {
    return Guard([&] { return accounts_.FindUserByEmail(email); });
  }
  std::expected<std::vector<User>, Error> ListUsers(
      ListWindow window) override {
    return Guard([&] { return accounts_.ListUsers(window); });
  }
  std::expected<void, Error> AddApiToken(const ApiToken& token,
                                         const std::string& secret_sha256,
                                         const Actor& by) override {
    return Guard(
        [&] { return accounts_.AddApiToken(token, secret_sha256, by); });
  }
  std::expected<std::optional<std::pair<ApiToken, std::string>>, Error>
  FindApiToken(const std::string& id) override {
    return Guard([&] { return accounts_.FindApiToken(id); });
  }
  std::expected<void, Error> RevokeApiToken(const std::string& id,
                                            const Actor& by) override {
    return Guard([&] { return accounts_.RevokeApiToken(id, by); });
  }
  std::expected<void, Error> AddSignIn(const std::string& secret_sha256,
                                       const SignIn& sign_in) override {
    return Guard([&] { accounts_.AddSignIn(secret_sha256, sign_in); });
  }
  std::expected<std::optional<SignIn>, Error> FindSignIn(
      const std::string& secret_sha256) override {
    return Guard([&] { return accounts_.FindSignIn(secret_sha256); });
  }
  std::expected<void, Error> RemoveSignIn(
      const std::string& secret_sha256) override {
    return Guard([&] { accounts_.RemoveSignIn(secret_sha256); });
  }
  std::expected<std::vector<AuditEntry>, Error> AuditTrail(
      const std::string& entity, const std::string& entity_id,
      std::int64_t after_seq, int limit) override {
    return Guard([&] {
      return accounts_.AuditTrail(entity, entity_id, after_seq, limit);
    });
  }
  std::expected<AuditVerification, Error> VerifyAudit() override {
    return Guard([&] { return accounts_.VerifyAudit(); });
  }
  std::expected<std::optional<KeptResponse>, Error> ClaimKey(
      const std::string& user, const std::string& key,
      const std::string& fingerprint) override {
    return Guard([&] { return accounts_.ClaimKey(user, key, fingerprint); });
  }
  std::expected<void, Error> KeepResponse(const std::string& user,
                                          const std::string& key, int status,
                                          const std::string& body) override {
    return Guard([&] { accounts_.KeepResponse(user, key, status, body); });
  }
  std::expected<void, Error> ReleaseKey(const std::string& user,
                                        const std::string& key) override {
    return Guard([&] { accounts_.ReleaseKey(user, key); });
  }

  std::expected<void, Error> AddVenue(const Venue& venue,
                                      const Actor& by) override {
    return Guard([&] { return sessions_.AddVenue(venue, by); });
  }
  std::expected<void, Error> AddRoom(const Room& room,
                                     const Actor& by) override {
    return Guard([&] { return sessions_.AddRoom(room, by); });
  }
  std::expected<std::vector<Venue>, Error> ListVenues(
      ListWindow window) override {
    return Guard([&] { return sessions_.ListVenues(window); });
  }
  std::expected<std::optional<Room>, Error> FindRoom(
      const std::string& id) override {
    return Guard([&] { return sessions_.FindRoom(id); });
  }
  std::expected<CourseSession, Error> AddSession(CourseSession session,
                                                 const Actor& by) override {
    return Guard([&] { return sessions_.AddSession(std::move(session), by); });
  }
  std::expected<Promotions, Error> UpdateSession(
      const CourseSession& session, const EligibilityCheck& eligible,
      const Actor& by) override {
    return Guard(
        [&] { return sessions_.UpdateSession(session, eligible, by); });
  }
  std::expected<std::optional<CourseSession>, Error> FindSession(
      const std::string& id) override {
    return Guard([&] { return sessions_.FindSession(id); });
  }
  std::expected<std::vector<CourseSession>, Error> ListSessions(
      const SessionFilter& filter) override {
    return Guard([&] { return sessions_.ListSessions(filter); });
  }
  std::expected<SessionCounts, Error> CountBookings(
      const std::string& session) override {
    return Guard([&] { return sessions_.CountBookings(session); });
  }
  std::expected<Booking, Error> RequestBooking(const BookingRequest& request,
                                               const Actor& by) override {
    return Guard([&] { return sessions_.RequestBooking(request, by); });
  }
  std::expected<Booking, Error> DecideBooking(const std::string& booking,
                                              bool approve,
                                              const std::string& note,
                                              Date today,
                                              const Actor& by) override {
    return Guard([&] {
      return sessions_.DecideBooking(booking, approve, note, today, by);
    });
  }
  std::expected<BookingChange, Error> CancelBooking(
      const std::string& booking, bool late, const std::string& note,
      Date today, const EligibilityCheck& eligible, const Actor& by) override {
    return Guard([&] {
      return sessions_.CancelBooking(booking, late, note, today, eligible, by);
    });
  }
  std::expected<std::optional<Booking>, Error> FindBooking(
      const std::string& id) override {
    return Guard([&] { return sessions_.FindBooking(id); });
  }
  std::expected<std::vector<Booking>, Error> BookingsOfSession(
      const std::string& session) override {
    return Guard([&] { return sessions_.BookingsOfSession(session); });
  }
  std::expected<std::vector<Booking>, Error> BookingsOfPerson(
      const std::string& person) override {
    return Guard([&] { return sessions_.BookingsOfPerson(person); });
  }
  std::expected<std::vector<BookedPlace>, Error> PlacesHeld(
      LocalTime after) override {
    return Guard([&] { return sessions_.PlacesHeld(after); });
  }
  std::expected<std::vector<HeldPlace>, Error> PlacesHeldBy(
      const std::string& person) override {
    return Guard([&] { return sessions_.PlacesHeldBy(person); });
  }
  std::expected<std::vector<Person>, Error> Trainers() override {
    return Guard([&] { return sessions_.Trainers(); });
  }
  std::expected<std::vector<Notification>, Error> NotificationsOf(
      const std::string& person, ListWindow window) override {
    return Guard([&] { return sessions_.NotificationsOf(person, window); });
  }

  std::expected<Register, Error> ReadRegister(
      const std::string& session) override {
    return Guard([&] { return sessions_.ReadRegister(session); });
  }
  std::expected<RegisterEntry, Error> MarkRegister(const std::string& session,
                                                   const RegisterMark& mark,
                                                   const Actor& by) override {
    return Guard([&] { return sessions_.MarkRegister(session, mark, by); });
  }
  std::expected<RegisterClosing, Error> CloseRegister(
      const std::string& session, const std::vector<RecordedModule>& modules,
      const Actor& by) override {
    return Guard([&] { return sessions_.CloseRegister(session, modules, by); });
  }
  std::expected<RegisterEntry, Error> CorrectRegister(
      const std::string& session, const RegisterMark& mark,
      const std::string& reason, const std::vector<RecordedModule>& modules,
      const Actor& by) override {
    return Guard([&] {
      return sessions_.CorrectRegister(session, mark, reason, modules, by);
    });
  }

  // Applies the migrations the database lacks (kCreate) or checks it has them
  // all (kExisting). A database newer than the program is always refused.
  std::expected<void, Error> Migrate(OpenMode mode) {
    return Guard([&]() -> std::expected<void, Error> {
      const int latest = Migrations().empty() ? 0 : Migrations().back().version;
      int version = ReadSchemaVersion();
      if (auto refused = CheckVersion(version, latest, mode); !refused) {
        return refused;
      }
      if (version == latest) return {};
      Transaction tx(*sql_, dialect_.begin_write);
      *sql_ << "CREATE TABLE IF NOT EXISTS schema_migrations (version "
               "INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT "
               "NOT NULL)";
      // Read again under the write lock: another process may have migrated.
      version = ReadSchemaVersion();
      if (auto refused = CheckVersion(version, latest, mode); !refused) {
        return refused;
      }
      const std::string now = UtcNow();
      for (const auto& m : Migrations()) {
        if (m.version <= version) continue;
        for (const auto& statement : SplitStatements(m.sql)) *sql_ << statement;
        *sql_ << "INSERT INTO schema_migrations (version, name, applied_at) "
                 "VALUES (:v, :n, :at)",
            soci::use(m.version), soci::use(m.name), soci::use(now);
      }
      tx.Commit();
      return {};
    });
  }

 private:
  static constexpr const char* kOrganisationColumns =
      "SELECT id, name, sector, type, case_management_system, locality, "
      "isp_signed FROM organisations";
  static constexpr const char* kReadinessColumns =
      "SELECT organisation_id, checklist, number, text, met, evidence, met_on "
      "FROM readiness_conditions";
  static constexpr const char* kPersonColumns =
      "SELECT id, name, email, organisation_id, role, manager_id, locality, "
      "start_date FROM people";
  static constexpr const char* kCheckColumns =
      "SELECT person_id, check_id, checked_on, detail FROM person_checks";
  static constexpr const char* kExperienceColumns =
      "SELECT person_id, area, level, years, attested_by FROM "
      "person_experience";
  static constexpr const char* kRecordColumns =
      "SELECT id, person_id, module, module_version, completed_on, outcome, "
      "source, evidence, supersedes, reason, recorded_by FROM "
      "training_records";

  // Runs `body`, turning driver errors into trellis errors: they never leave
  // the store layer. `body` returns T, std::expected<T, Error> or nothing.
  template <typename Body>
  GuardResult<Body> Guard(Body&& body) {
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<Body&>>) {
        body();
        return {};
      } else {
        return body();
      }
    } catch (const soci::soci_error& e) {
      const ErrorCode code =
          dialect_.classify ? dialect_.classify(e) : ErrorCode::kInternal;
      std::string message = dialect_.name + ": " + e.get_error_message();
      if (code == ErrorCode::kUnavailable) {
        message += " (another process may hold the database; try again)";
      }
      return std::unexpected(Error{code, std::move(message), {}});
    }
  }

  static std::expected<void, Error> CheckVersion(int version, int latest,
                                                 OpenMode mode) {
    if (version > latest) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "the database is at schema version " + std::to_string(version) +
                    ", newer than this program's " + std::to_string(latest) +
                    "; a newer Trellis wrote it: use that version",
                {}});
    }
    if (version < latest && mode == OpenMode::kExisting) {
      return std::unexpected(Error{
          ErrorCode::kFailedPrecondition,
          version == 0
              ? std::string("the database has no Trellis schema; "
                            "create it with 'trellis db init'")
              : "the database is at schema version " + std::to_string(version) +
                    ", older than this "
                    "program's " +
                    std::to_string(latest) +
                    "; upgrade it with 'trellis db init'",
          {}});
    }
    return {};
  }

  int ReadSchemaVersion() {
    // Ask the table itself: information_schema is not in SQLite and
    // sqlite_master is not in PostgreSQL.
    try {
      soci::indicator ind = soci::i_null;
      int version = 0;
      *sql_ << "SELECT MAX(version) FROM schema_migrations",
          soci::into(version, ind);
      return ind == soci::i_null ? 0 : version;
    } catch (const soci::soci_error& e) {
      // A busy or unreadable database is not an empty one: let Guard report
      // it as it is.
      if (dialect_.classify != nullptr &&
          dialect_.classify(e) == ErrorCode::kUnavailable) {
        throw;
      }
      // No schema_migrations table: a new, empty database. PostgreSQL aborts
      // the failed statement only; outside a transaction nothing else is lost.
      return 0;
    }
  }

  bool Exists(const char* table, const std::string& id) {
    return RowExists(stmts_, table, id);
  }

  static Organisation OrganisationFromRow(const soci::row& row) {
    Organisation org;
    org.id = Text(row, 0);
    org.name = Text(row, 1);
    org.sector = Text(row, 2);
    org.type = Text(row, 3);
    org.case_management_system = Text(row, 4);
    org.locality = Text(row, 5);
    org.isp_signed = OptionalDate(row, 6);
    return org;
  }

  static void AddReadinessRow(Organisation& org, const soci::row& row) {
    const std::string checklist = Text(row, 1);
    auto it =
        std::ranges::find(org.readiness, checklist, &Readiness::checklist);
    if (it == org.readiness.end()) {
      org.readiness.push_back(Readiness{checklist, {}});
      it = std::prev(org.readiness.end());
    }
    ReadinessCondition c;
    c.number = static_cast<int>(Integer(row, 2));
    c.text = Text(row, 3);
    c.met = Integer(row, 4) != 0;
    c.evidence = Text(row, 5);
    c.date = OptionalDate(row, 6);
    it->conditions.push_back(std::move(c));
  }

  static Person PersonFromRow(const soci::row& row) {
    Person p;
    p.id = Text(row, 0);
    p.name = Text(row, 1);
    p.email = Text(row, 2);
    p.organisation = Text(row, 3);
    p.role = Text(row, 4);
    p.manager = Text(row, 5);
    p.locality = Text(row, 6);
    p.start_date = OptionalDate(row, 7);
    return p;
  }

  static CheckRecord CheckFromRow(const soci::row& row) {
    return CheckRecord{Text(row, 1), DateFromText(Text(row, 2)), Text(row, 3)};
  }

  static Experience ExperienceFromRow(const soci::row& row) {
    Experience e;
    e.area = Text(row, 1);
    e.level = Text(row, 2);
    if (row.get_indicator(3) != soci::i_null)
      e.years = static_cast<int>(Integer(row, 3));
    e.attested_by = Text(row, 4);
    return e;
  }

  static TrainingRecord RecordFromRow(const soci::row& row) {
    TrainingRecord r;
    r.id = Text(row, 0);
    r.person = Text(row, 1);
    r.module = Text(row, 2);
    r.module_version = Text(row, 3);
    r.date = DateFromText(Text(row, 4));
    const std::string outcome = Text(row, 5);
    const std::string source = Text(row, 6);
    auto o = ParseTrainingOutcome(outcome);
    auto s = ParseRecordSource(source);
    if (!o || !s) {
      throw soci::soci_error("record '" + r.id + "' has outcome '" + outcome +
                             "' and source '" + source +
                             "', which Trellis does not write");
    }
    r.outcome = *o;
    r.source = *s;
    r.evidence = Text(row, 7);
    r.supersedes = Text(row, 8);
    r.reason = Text(row, 9);
    r.recorded_by = Text(row, 10);
    return r;
  }

  std::optional<Organisation> ReadOrganisation(const std::string& id,
                                               bool with_readiness) {
    auto org =
        stmts_.First(std::string(kOrganisationColumns) + " WHERE id = :id",
                     {id}, OrganisationFromRow);
    if (org && with_readiness) {
      stmts_.Each(std::string(kReadinessColumns) +
                      " WHERE organisation_id = :id ORDER BY "
                      "checklist, number",
                  {id},
                  [&](const soci::row& row) { AddReadinessRow(*org, row); });
    }
    return org;
  }

  std::optional<Person> ReadPerson(const std::string& id) {
    std::optional<Person> person;
    {
      stmts_.Each(std::string(kPersonColumns) + " WHERE id = :id", {id},
                  [&](const soci::row& row) { person = PersonFromRow(row); });
    }
    if (!person) return person;
    {
      stmts_.Each(
          "SELECT person_id, audience FROM person_audiences "
          "WHERE person_id = :id ORDER BY position",
          {id}, [&](const soci::row& row) {
            person->audiences.push_back(Text(row, 1));
          });
    }
    {
      stmts_.Each(std::string(kCheckColumns) +
                      " WHERE person_id = :id ORDER BY check_id",
                  {id}, [&](const soci::row& row) {
                    person->checks.push_back(CheckFromRow(row));
                  });
    }
    {
      stmts_.Each(std::string(kExperienceColumns) +
                      " WHERE person_id = :id ORDER BY position",
                  {id}, [&](const soci::row& row) {
                    person->experience.push_back(ExperienceFromRow(row));
                  });
    }
    return person;
  }

  // How the sessions part reads and writes the workforce in its transaction.
  WorkforceAccess Access() {
    return WorkforceAccess{
        .person = [this](const std::string& id) { return ReadPerson(id); },
        .records = [this](const std::string& id) { return ReadRecords(id); },
        .organisation =
            [this](const std::string& id) {
              return ReadOrganisation(id, /*with_readiness=*/true);
            },
        .record = [this](const std::string& id) { return ReadRecord(id); },
        .import_records =
            [this](const std::vector<TrainingRecord>& records,
                   AuditWriter& audit, const std::string& now,
                   const Actor& by) {
              WriteCounts counts;
              return ImportRecords(
                  records, [](const std::string&) { return 0; }, audit, now, by,
                  counts);
            },
        .supersede =
            [this](const TrainingRecord& old, TrainingRecord replacement,
                   const std::string& reason, AuditWriter& audit,
                   const std::string& now, const Actor& by) {
              return Supersede(old, std::move(replacement), reason, audit, now,
                               by);
            }};
  }

  // Adds training records the way every import does, and the register
  // after it: a record kept already the same is left alone; one kept with
  // the same id but other facts is a problem (value: the record's id), for
  // records are never rewritten. `line_of` names a record's line.
  std::vector<ImportProblem> ImportRecords(
      const std::vector<TrainingRecord>& records,
      const std::function<int(const std::string&)>& line_of, AuditWriter& audit,
      const std::string& now, const Actor& by, WriteCounts& counts) {
    std::vector<ImportProblem> problems;
    for (const auto& r : records) {
      if (!Exists("people", r.person)) {
        problems.push_back({line_of(r.id), "person_id", r.person,
                            "no such person; import the people first"});
        continue;
      }
      auto kept = ReadRecord(r.id);
      if (!kept) {
        InsertRecord(r, now, by);
        audit.Append("add", "training-record", r.id, "", AuditJson(r));
        ++counts.added;
      } else if (SameRecord(*kept, r)) {
        ++counts.unchanged;
      } else {
        problems.push_back(
            {line_of(r.id), "(row)", r.id,
             "a record of this person, module, date and outcome is kept "
             "with another source, evidence or version; records are never "
             "rewritten: correct it with 'trellis record correct'"});
      }
    }
    return problems;
  }

  // A correction: a new record superseding `old`, which nothing supersedes
  // yet, with the reason; `old` stays as it was.
  TrainingRecord Supersede(const TrainingRecord& old,
                           TrainingRecord replacement,
                           const std::string& reason, AuditWriter& audit,
                           const std::string& now, const Actor& by) {
    replacement.id = NextCorrectionId(old.id);
    replacement.person = old.person;
    replacement.supersedes = old.id;
    replacement.reason = reason;
    replacement.recorded_by = by.id;
    InsertRecord(replacement, now, by);
    audit.Append("correct", "training-record", replacement.id, AuditJson(old),
                 AuditJson(replacement));
    return replacement;
  }

  std::vector<TrainingRecord> ReadRecords(const std::string& person) {
    std::vector<TrainingRecord> records;
    stmts_.Each(std::string(kRecordColumns) +
                    " WHERE person_id = :p ORDER BY completed_on, "
                    "recorded_at, id",
                {person}, [&](const soci::row& row) {
                  records.push_back(RecordFromRow(row));
                });
    return records;
  }

  std::optional<TrainingRecord> ReadRecord(const std::string& id) {
    return stmts_.First(std::string(kRecordColumns) + " WHERE id = :id", {id},
                        RecordFromRow);
  }

  void WriteOrganisation(const Organisation& org, const std::string& now,
                         const Actor& by, bool insert) {
    Nullable isp;
    isp.Set(org.isp_signed);
    if (insert) {
      *sql_ << "INSERT INTO organisations (name, sector, type, "
               "case_management_system, locality, isp_signed, changed_at, "
               "changed_by, id) VALUES (:name, :sector, :type, :cms, :loc, "
               ":isp, :at, :by, :id)",
          soci::use(org.name), soci::use(org.sector), soci::use(org.type),
          soci::use(org.case_management_system), soci::use(org.locality),
          soci::use(isp.value, isp.indicator), soci::use(now), soci::use(by.id),
          soci::use(org.id);
    } else {
      *sql_ << "UPDATE organisations SET name = :name, sector = :sector, "
               "type = :type, case_management_system = :cms, locality = :loc, "
               "isp_signed = :isp, changed_at = :at, changed_by = :by WHERE "
               "id = :id",
          soci::use(org.name), soci::use(org.sector), soci::use(org.type),
          soci::use(org.case_management_system), soci::use(org.locality),
          soci::use(isp.value, isp.indicator), soci::use(now), soci::use(by.id),
          soci::use(org.id);
    }
  }

  void WriteReadiness(const std::string& organisation,
                      const Readiness& readiness, const std::string& now,
                      const Actor& by) {
    *sql_ << "DELETE FROM readiness_conditions WHERE organisation_id = :o AND "
             "checklist = :c",
        soci::use(organisation), soci::use(readiness.checklist);
    for (const auto& c : readiness.conditions) {
      Nullable met_on;
      met_on.Set(c.date);
      const int met = c.met ? 1 : 0;
      *sql_ << "INSERT INTO readiness_conditions (organisation_id, "
               "checklist, number, text, met, evidence, met_on, changed_at, "
               "changed_by) VALUES (:o, :c, :n, :t, :m, :e, :d, :at, :by)",
          soci::use(organisation), soci::use(readiness.checklist),
          soci::use(c.number), soci::use(c.text), soci::use(met),
          soci::use(c.evidence), soci::use(met_on.value, met_on.indicator),
          soci::use(now), soci::use(by.id);
    }
  }

  void WritePerson(const Person& p, const std::string& now, const Actor& by,
                   bool insert) {
    Nullable manager;
    manager.Set(p.manager);
    Nullable start;
    start.Set(p.start_date);
    if (insert) {
      *sql_ << "INSERT INTO people (name, email, organisation_id, role, "
               "manager_id, locality, start_date, changed_at, changed_by, id) "
               "VALUES (:name, :email, :org, :role, :manager, :loc, :start, "
               ":at, :by, :id)",
          soci::use(p.name), soci::use(p.email), soci::use(p.organisation),
          soci::use(p.role), soci::use(manager.value, manager.indicator),
          soci::use(p.locality), soci::use(start.value, start.indicator),
          soci::use(now), soci::use(by.id), soci::use(p.id);
    } else {
      *sql_ << "UPDATE people SET name = :name, email = :email, "
               "organisation_id = :org, role = :role, manager_id = :manager, "
               "locality = :loc, start_date = :start, changed_at = :at, "
               "changed_by = :by WHERE id = :id",
          soci::use(p.name), soci::use(p.email), soci::use(p.organisation),
          soci::use(p.role), soci::use(manager.value, manager.indicator),
          soci::use(p.locality), soci::use(start.value, start.indicator),
          soci::use(now), soci::use(by.id), soci::use(p.id);
      *sql_ << "DELETE FROM person_audiences WHERE person_id = :id",
          soci::use(p.id);
    }
    for (size_t i = 0; i < p.audiences.size(); ++i) {
      const int position = static_cast<int>(i) + 1;
      *sql_ << "INSERT INTO person_audiences (person_id, position, audience) "
               "VALUES (:p, :n, :a)",
          soci::use(p.id), soci::use(position), soci::use(p.audiences[i]);
    }
  }

  // Writes the checks that differ from those kept, so each check's changed_by
  // names who last changed that check.
  void WriteChecks(const std::string& person,
                   const std::vector<CheckRecord>& kept,
                   const std::vector<CheckRecord>& checks,
                   const std::string& now, const Actor& by) {
    for (const auto& c : checks) {
      auto old = std::ranges::find(kept, c.check, &CheckRecord::check);
      if (old != kept.end() && old->date == c.date && old->detail == c.detail)
        continue;
      const std::string date = FormatIsoDate(c.date);
      if (old != kept.end()) {
        *sql_ << "DELETE FROM person_checks WHERE person_id = :p AND "
                 "check_id = :c",
            soci::use(person), soci::use(c.check);
      }
      *sql_ << "INSERT INTO person_checks (person_id, check_id, checked_on, "
               "detail, changed_at, changed_by) VALUES (:p, :c, :d, :t, :at, "
               ":by)",
          soci::use(person), soci::use(c.check), soci::use(date),
          soci::use(c.detail), soci::use(now), soci::use(by.id);
    }
  }

  void WriteExperience(const Person& p) {
    for (size_t i = 0; i < p.experience.size(); ++i) {
      const auto& e = p.experience[i];
      const int position = static_cast<int>(i) + 1;
      int years = e.years.value_or(0);
      soci::indicator years_ind = e.years ? soci::i_ok : soci::i_null;
      *sql_ << "INSERT INTO person_experience (person_id, position, area, "
               "level, years, attested_by) VALUES (:p, :n, :a, :l, :y, :by)",
          soci::use(p.id), soci::use(position), soci::use(e.area),
          soci::use(e.level), soci::use(years, years_ind),
          soci::use(e.attested_by);
    }
  }

  void InsertRecord(const TrainingRecord& r, const std::string& now,
                    const Actor& by) {
    const std::string date = FormatIsoDate(r.date);
    const std::string outcome = TrainingOutcomeName(r.outcome);
    const std::string source = RecordSourceName(r.source);
    Nullable supersedes;
    supersedes.Set(r.supersedes);
    const std::string& recorded_by =
        r.recorded_by.empty() ? by.id : r.recorded_by;
    *sql_ << "INSERT INTO training_records (id, person_id, module, "
             "module_version, completed_on, outcome, source, evidence, "
             "supersedes, reason, recorded_at, recorded_by) VALUES (:id, :p, "
             ":m, :v, :d, :o, :s, :e, :sup, :why, :at, :by)",
        soci::use(r.id), soci::use(r.person), soci::use(r.module),
        soci::use(r.module_version), soci::use(date), soci::use(outcome),
        soci::use(source), soci::use(r.evidence),
        soci::use(supersedes.value, supersedes.indicator), soci::use(r.reason),
        soci::use(now), soci::use(recorded_by);
  }

  std::unique_ptr<soci::session> sql_;
  Dialect dialect_;
  Statements stmts_;
  AccountsSql accounts_;
  SessionsSql sessions_;
};

}  // namespace

std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line.substr(first).starts_with("--")) continue;
    current.append(line);
    current.push_back('\n');
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.erase(current.find_last_of(';'));
      statements.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos)
    statements.push_back(std::move(current));
  return statements;
}

std::expected<std::unique_ptr<Store>, Error> MakeSqlStore(
    std::unique_ptr<soci::session> session, Dialect dialect, OpenMode mode) {
  auto store =
      std::make_unique<SqlStore>(std::move(session), std::move(dialect));
  if (auto migrated = store->Migrate(mode); !migrated) {
    return std::unexpected(migrated.error());
  }
  return store;
}

}  // namespace trellis::store_internal
