// The repository: the one interface through which Trellis reads and writes an
// area's workforce and training records, whatever the database behind it
// (SQLite, embedded; PostgreSQL for larger areas). A Store is used by one
// thread at a time; open one per thread, and the database keeps them apart.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/accounts.h"
#include "domain/error.h"
#include "domain/sessions.h"
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

// One entry of the audit trail [MISSION I2]. before and after are JSON
// objects as text, empty when there was no such state (a row added).
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;  // "add", "change", "correct", "cancel", ...
  std::string entity;  // "person", "booking", ...
  std::string entity_id;
  std::string before;
  std::string after;
  std::string prev_hash;
  std::string hash;
};

// What `trellis audit verify` found: how many entries it checked and the
// first one whose hash or link is wrong (0 when the chain holds).
struct AuditVerification {
  std::int64_t entries = 0;
  std::int64_t first_broken = 0;
  std::string problem;
};

struct ListWindow {
  int limit = 50;
  int offset = 0;
};

struct SessionFilter {
  std::string course;
  std::string trainer;  // a person id
  std::string room;
  std::optional<SessionStatus> status;
  std::optional<Date> from;  // sessions starting on or after
  std::optional<Date> to;    // sessions starting on or before
  ListWindow window;
};

// A person as a booking's write transaction sees them: for the eligibility
// check when the waiting list moves.
// A place a person holds on a session that has not yet been: a
// pre-requisite it teaches counts for a session that begins after it ends
// [000 CP-USER: "Pre-requisites must be validated, or their validation
// planned, before a delegate is booked"].
struct HeldPlace {
  std::string session;
  std::string course;
  LocalTime ends;
};

// A place held by someone, for a list of everyone's.
struct BookedPlace {
  std::string person;
  HeldPlace place;
};

struct Candidate {
  Person person;
  std::optional<Organisation> organisation;
  std::vector<TrainingRecord> records;  // all, superseded ones included
  std::vector<HeldPlace> held;          // booked places, when loaded
};

// Decides, inside a booking's write transaction, whether a person may take a
// place on a session: the needs engine's reasons why not, empty when they
// may.
using EligibilityCheck = std::function<std::vector<std::string>(
    const Candidate& candidate, const CourseSession& session)>;

struct BookingRequest {
  std::string session;
  std::string person;
  bool nominated = false;  // by their manager
  bool approved = false;   // the request needs no manager's approval
  // In the priority group the session's reserved places are held for, as the
  // needs engine judges it (the framework's priority_groups).
  bool priority = false;
  Date today;  // for reserved places' release date
};

// What freeing a place did: the bookings promoted from the waiting list, in
// order, and those passed over because they were no longer eligible.
struct Promotions {
  std::vector<Booking> promoted;
  std::vector<Booking> passed_over;
};

struct BookingChange {
  Booking booking;
  Promotions promotions;
};

// A module a register's training records are for, at its current version.
struct RecordedModule {
  std::string module;
  std::string version;
};

// What closing a register did.
struct RegisterClosing {
  int attended = 0;
  int partly_attended = 0;
  int no_shows = 0;
  std::vector<std::string> records;  // ids of the training records written
};

// The answer kept for a POST's Idempotency-Key.
struct KeptResponse {
  std::string fingerprint;  // of the first request
  int status = 0;           // 0 while the first is still being handled
  std::string body;
};

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version the database is at.
  [[nodiscard]] virtual std::expected<int, Error> SchemaVersion() = 0;

  // The area's data version: the sequence number of the audit trail's last
  // entry (0 when empty). Every change appends to the trail in the change's
  // own transaction, so an answer computed from data read after this version
  // was read is still right while the version stands, in every process on
  // the database. What the API's caches key on.
  [[nodiscard]] virtual std::expected<long long, Error> DataVersion() = 0;

  // From StartReading to EndReading this store's reads see one snapshot,
  // where the backend gains by it: on SQLite a request's statements share
  // one read transaction (one WAL read lock, not one per statement); on
  // PostgreSQL each statement reads on its own, as without. A write in
  // between ends the snapshot first and sees the latest data. EndReading
  // false: the connection could not end it and should not be used again.
  [[nodiscard]] virtual std::expected<void, Error> StartReading() = 0;
  [[nodiscard]] virtual bool EndReading() = 0;

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
  // People, a page at a time, by id; `organisation` and `manager` filter
  // when not empty.
  [[nodiscard]] virtual std::expected<std::vector<Person>, Error> ListPeople(
      const std::string& organisation, const std::string& manager,
      ListWindow window) = 0;
  [[nodiscard]] virtual std::expected<std::vector<Organisation>, Error>
  ListOrganisations(ListWindow window) = 0;

  // Accounts. AddUser assigns the id; kAlreadyExists when the email is
  // taken; kNotFound when the person or organisation is unknown.
  // `password_hash` is an Argon2id string, or empty for token-only accounts.
  [[nodiscard]] virtual std::expected<User, Error> AddUser(
      User user, const std::string& password_hash, const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<void, Error> SetPassword(
      const std::string& user, const std::string& password_hash,
      const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<std::optional<User>, Error> FindUser(
      const std::string& id) = 0;
  // With the password hash, for signing in.
  [[nodiscard]] virtual std::expected<
      std::optional<std::pair<User, std::string>>, Error>
  FindUserByEmail(const std::string& email) = 0;
  [[nodiscard]] virtual std::expected<std::vector<User>, Error> ListUsers(
      ListWindow window) = 0;

  // API tokens: only the secret's SHA-256 (hex) is kept.
  [[nodiscard]] virtual std::expected<void, Error> AddApiToken(
      const ApiToken& token, const std::string& secret_sha256,
      const Actor& by) = 0;
  // The token and its secret's SHA-256, when it exists and is not revoked.
  [[nodiscard]] virtual std::expected<
      std::optional<std::pair<ApiToken, std::string>>, Error>
  FindApiToken(const std::string& id) = 0;
  [[nodiscard]] virtual std::expected<void, Error> RevokeApiToken(
      const std::string& id, const Actor& by) = 0;

  // Browser sign-ins, by their secret's SHA-256 (hex).
  [[nodiscard]] virtual std::expected<void, Error> AddSignIn(
      const std::string& secret_sha256, const SignIn& sign_in) = 0;
  [[nodiscard]] virtual std::expected<std::optional<SignIn>, Error> FindSignIn(
      const std::string& secret_sha256) = 0;
  [[nodiscard]] virtual std::expected<void, Error> RemoveSignIn(
      const std::string& secret_sha256) = 0;

  // The audit trail: entries from `after_seq` on, oldest first; for one
  // entity when `entity` is not empty.
  [[nodiscard]] virtual std::expected<std::vector<AuditEntry>, Error>
  AuditTrail(const std::string& entity, const std::string& entity_id,
             std::int64_t after_seq, int limit) = 0;
  // Walks the whole chain, recomputing every hash.
  [[nodiscard]] virtual std::expected<AuditVerification, Error>
  VerifyAudit() = 0;

  // Venues and rooms. kAlreadyExists when an id is taken; rooms name their
  // venue, which must exist.
  [[nodiscard]] virtual std::expected<void, Error> AddVenue(
      const Venue& venue, const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<void, Error> AddRoom(const Room& room,
                                                           const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<std::vector<Venue>, Error> ListVenues(
      ListWindow window) = 0;
  [[nodiscard]] virtual std::expected<std::optional<Room>, Error> FindRoom(
      const std::string& id) = 0;

  // Sessions. AddSession assigns the id. Both refuse a clash: the room or a
  // trainer in another session (not cancelled) at an overlapping time
  // (kFailedPrecondition naming the other session); seats above the room's,
  // an unknown room or trainer. UpdateSession may add seats: the waiting
  // list is then promoted, each person's eligibility checked again.
  [[nodiscard]] virtual std::expected<CourseSession, Error> AddSession(
      CourseSession session, const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<Promotions, Error> UpdateSession(
      const CourseSession& session, const EligibilityCheck& eligible,
      const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<std::optional<CourseSession>, Error>
  FindSession(const std::string& id) = 0;
  // By start, then id.
  [[nodiscard]] virtual std::expected<std::vector<CourseSession>, Error>
  ListSessions(const SessionFilter& filter) = 0;
  // Places taken (booked, attended, partly attended, no-show) and waiting.
  struct SessionCounts {
    int booked = 0;
    int waiting = 0;
    int requested = 0;
  };
  [[nodiscard]] virtual std::expected<SessionCounts, Error> CountBookings(
      const std::string& session) = 0;

  // Bookings. RequestBooking, in one write transaction: the session must be
  // open and the person not already holding an active booking on it
  // (kAlreadyExists); without approval the request waits for the manager
  // (requested); otherwise it takes a place if one is free to the person
  // (places reserved for a priority group are held until their date) or
  // joins the waiting list. Never more booked than seats, whatever the
  // concurrency: the seat count is read and written under the writers' turn.
  [[nodiscard]] virtual std::expected<Booking, Error> RequestBooking(
      const BookingRequest& request, const Actor& by) = 0;
  // A manager's decision on a requested booking: approved, it takes a place
  // or waits; declined, it ends with `note`.
  [[nodiscard]] virtual std::expected<Booking, Error> DecideBooking(
      const std::string& booking, bool approve, const std::string& note,
      Date today, const Actor& by) = 0;
  // Cancels an active booking; a place freed goes to the waiting list, first
  // come first served, each person's eligibility checked again.
  [[nodiscard]] virtual std::expected<BookingChange, Error> CancelBooking(
      const std::string& booking, bool late, const std::string& note,
      Date today, const EligibilityCheck& eligible, const Actor& by) = 0;
  [[nodiscard]] virtual std::expected<std::optional<Booking>, Error>
  FindBooking(const std::string& id) = 0;
  // A session's bookings in order of asking, or a person's by session.
  [[nodiscard]] virtual std::expected<std::vector<Booking>, Error>
  BookingsOfSession(const std::string& session) = 0;
  [[nodiscard]] virtual std::expected<std::vector<Booking>, Error>
  BookingsOfPerson(const std::string& person) = 0;
  // Every place held on a session not yet over: each booking still booked,
  // on a session not cancelled whose last part ends after `after`; by
  // person, then session. Who already has a place for what, for a plan.
  [[nodiscard]] virtual std::expected<std::vector<BookedPlace>, Error>
  PlacesHeld(LocalTime after) = 0;
  // The places `person` holds: each booking still booked, on a session not
  // cancelled, by session. A pre-requisite they teach counts for a session
  // that begins after they end.
  [[nodiscard]] virtual std::expected<std::vector<HeldPlace>, Error>
  PlacesHeldBy(const std::string& person) = 0;
  // Everyone named as a trainer on any session, by name: who a coordinator
  // picks from when scheduling.
  [[nodiscard]] virtual std::expected<std::vector<Person>, Error>
  Trainers() = 0;
  // What a person was told, newest first, a page at a time.
  [[nodiscard]] virtual std::expected<std::vector<Notification>, Error>
  NotificationsOf(const std::string& person, ListWindow window) = 0;

  // Registers [MISSION D3]: everyone holding a place on the session, with
  // their marks. Unmarked parts count as absent.
  [[nodiscard]] virtual std::expected<Register, Error> ReadRegister(
      const std::string& session) = 0;
  // Marks one person while the register is open. Their booking must hold a
  // place; `present` has one entry per part; a security token goes to one
  // person only, and only once their identity is verified.
  [[nodiscard]] virtual std::expected<RegisterEntry, Error> MarkRegister(
      const std::string& session, const RegisterMark& mark,
      const Actor& by) = 0;
  // Closes the register: each place becomes attended, partly attended or a
  // no-show; attendance writes a training record per module as an import
  // writes records; the session closes. Where the session verifies identity,
  // refused while anyone marked present lacks a verified identity or a
  // security token, naming each.
  [[nodiscard]] virtual std::expected<RegisterClosing, Error> CloseRegister(
      const std::string& session, const std::vector<RecordedModule>& modules,
      const Actor& by) = 0;
  // Corrects one person on a closed register, with a reason: their booking's
  // outcome follows, and their records are superseded, never rewritten (a
  // record of attendance that did not happen is withdrawn).
  [[nodiscard]] virtual std::expected<RegisterEntry, Error> CorrectRegister(
      const std::string& session, const RegisterMark& mark,
      const std::string& reason, const std::vector<RecordedModule>& modules,
      const Actor& by) = 0;

  // Idempotency keys. ClaimKey: nullopt when the key is new (now claimed
  // with status 0), else the kept answer (status 0: still in progress).
  [[nodiscard]] virtual std::expected<std::optional<KeptResponse>, Error>
  ClaimKey(const std::string& user, const std::string& key,
           const std::string& fingerprint) = 0;
  [[nodiscard]] virtual std::expected<void, Error> KeepResponse(
      const std::string& user, const std::string& key, int status,
      const std::string& body) = 0;
  // Forgets a claim whose request failed, so it may be sent again.
  [[nodiscard]] virtual std::expected<void, Error> ReleaseKey(
      const std::string& user, const std::string& key) = 0;

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
