// The SQL store's parts beyond the workforce: accounts and the audit trail
// (sql_accounts.cc), venues, sessions and bookings (sql_sessions.cc). Each
// method throws soci::soci_error on a driver error; SqlStore's Guard turns it
// into a trellis Error. Internal to the store layer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sql_store.h"
#include "store/sql_support.h"
#include "store/store.h"

namespace soci {
class session;
}  // namespace soci

namespace trellis::store_internal {

class AccountsSql {
 public:
  AccountsSql(soci::session& sql, Statements& stmts, const Dialect& dialect)
      : sql_(sql), stmts_(stmts), dialect_(dialect) {}

  std::expected<User, Error> AddUser(User user,
                                     const std::string& password_hash,
                                     const Actor& by);
  std::expected<void, Error> SetPassword(const std::string& user,
                                         const std::string& password_hash,
                                         const Actor& by);
  std::optional<User> FindUser(const std::string& id);
  std::optional<std::pair<User, std::string>> FindUserByEmail(
      const std::string& email);
  std::vector<User> ListUsers(ListWindow window);

  std::expected<void, Error> AddApiToken(const ApiToken& token,
                                         const std::string& secret_sha256,
                                         const Actor& by);
  std::optional<std::pair<ApiToken, std::string>> FindApiToken(
      const std::string& id);
  std::expected<void, Error> RevokeApiToken(const std::string& id,
                                            const Actor& by);

  void AddSignIn(const std::string& secret_sha256, const SignIn& sign_in);
  std::optional<SignIn> FindSignIn(const std::string& secret_sha256);
  void RemoveSignIn(const std::string& secret_sha256);

  std::vector<AuditEntry> AuditTrail(const std::string& entity,
                                     const std::string& entity_id,
                                     std::int64_t after_seq, int limit);
  AuditVerification VerifyAudit();

  std::optional<KeptResponse> ClaimKey(const std::string& user,
                                       const std::string& key,
                                       const std::string& fingerprint);
  void KeepResponse(const std::string& user, const std::string& key, int status,
                    const std::string& body);
  void ReleaseKey(const std::string& user, const std::string& key);

 private:
  soci::session& sql_;
  Statements& stmts_;
  const Dialect& dialect_;
};

// How the sessions part reaches the workforce inside its own transaction:
// reading a person and their records for the eligibility check at promotion,
// and writing a register's training records the way imports and corrections
// write them (SqlStore's ImportRecords and Supersede).
struct WorkforceAccess {
  std::function<std::optional<Person>(const std::string&)> person;
  std::function<std::vector<TrainingRecord>(const std::string&)> records;
  std::function<std::optional<Organisation>(const std::string&)> organisation;
  std::function<std::optional<TrainingRecord>(const std::string&)> record;
  // New records as an import adds them; the rows it cannot take.
  std::function<std::vector<ImportProblem>(const std::vector<TrainingRecord>&,
                                           AuditWriter&, const std::string&,
                                           const Actor&)>
      import_records;
  // A correction superseding `old` (which nothing supersedes yet).
  std::function<TrainingRecord(const TrainingRecord& old,
                               TrainingRecord replacement,
                               const std::string& reason, AuditWriter&,
                               const std::string& now, const Actor&)>
      supersede;
};

class SessionsSql {
 public:
  SessionsSql(soci::session& sql, Statements& stmts, const Dialect& dialect,
              WorkforceAccess workforce)
      : sql_(sql),
        stmts_(stmts),
        dialect_(dialect),
        workforce_(std::move(workforce)) {}

  std::expected<void, Error> AddVenue(const Venue& venue, const Actor& by);
  std::expected<void, Error> AddRoom(const Room& room, const Actor& by);
  std::vector<Venue> ListVenues(ListWindow window);
  std::optional<Room> FindRoom(const std::string& id);

  std::expected<CourseSession, Error> AddSession(CourseSession session,
                                                 const Actor& by);
  std::expected<Promotions, Error> UpdateSession(
      const CourseSession& session, const EligibilityCheck& eligible,
      const Actor& by);
  std::optional<CourseSession> FindSession(const std::string& id);
  std::vector<CourseSession> ListSessions(const SessionFilter& filter);
  Store::SessionCounts CountBookings(const std::string& session);

  std::expected<Booking, Error> RequestBooking(const BookingRequest& request,
                                               const Actor& by);
  std::expected<Booking, Error> DecideBooking(const std::string& id,
                                              bool approve,
                                              const std::string& note,
                                              Date today, const Actor& by);
  std::expected<BookingChange, Error> CancelBooking(
      const std::string& id, bool late, const std::string& note, Date today,
      const EligibilityCheck& eligible, const Actor& by);
  std::optional<Booking> FindBooking(const std::string& id);
  std::vector<Booking> BookingsOfSession(const std::string& session);
  std::vector<Booking> BookingsOfPerson(const std::string& person);
  std::vector<BookedPlace> PlacesHeld(LocalTime after);
  std::vector<HeldPlace> PlacesHeldBy(const std::string& person);
  std::vector<Person> Trainers();
  std::vector<Notification> NotificationsOf(const std::string& person,
                                            ListWindow window);

  std::expected<Register, Error> ReadRegister(const std::string& session);
  std::expected<RegisterEntry, Error> MarkRegister(const std::string& session,
                                                   const RegisterMark& mark,
                                                   const Actor& by);
  std::expected<RegisterClosing, Error> CloseRegister(
      const std::string& session, const std::vector<RecordedModule>& modules,
      const Actor& by);
  std::expected<RegisterEntry, Error> CorrectRegister(
      const std::string& session, const RegisterMark& mark,
      const std::string& reason, const std::vector<RecordedModule>& modules,
      const Actor& by);

 private:
  // The rules every new or changed session must meet, read under the
  // writers' turn: a known room with enough seats, known trainers, parts in
  // order, and no clash with another session's room or trainers.
  std::expected<void, Error> CheckSession(const CourseSession& session);
  void WriteSession(const CourseSession& session, const std::string& now,
                    const Actor& by, bool insert);
  // The sessions `query` selects (kSessionColumns' columns), with their
  // parts, trainers and audiences; `ids` selects the same sessions' ids from
  // the same `params`.
  std::vector<CourseSession> ReadSessions(const std::string& query,
                                          const std::string& ids,
                                          std::initializer_list<Param> params);
  std::vector<Booking> ReadBookings(const std::string& where,
                                    const std::string& value);
  void WriteBooking(const Booking& booking, bool insert);
  // Whether a place is free for a person of the given priority now.
  bool PlaceFree(const CourseSession& session, bool priority, Date today);
  // Gives free places to the waiting list in order of asking.
  Promotions Promote(const CourseSession& session, Date today,
                     const EligibilityCheck& eligible, AuditWriter& audit,
                     const std::string& now, const Actor& by);
  void Notify(const std::string& person, const std::string& now,
              const std::string& text);
  Register ReadRegisterOf(const CourseSession& session);
  // The session of a register, refused (naming it) when it does not exist,
  // or for kOpen and kClosed when it is cancelled or its register is not in
  // that state.
  enum class RegisterState { kAny, kOpen, kClosed };
  std::expected<CourseSession, Error> RegisterSession(
      const std::string& session, RegisterState wanted);
  // The register's rules for one mark: one entry per part, a place held,
  // a token unique and only after identity is verified.
  std::expected<RegisterEntry*, Error> CheckMark(const CourseSession& session,
                                                 Register& reg,
                                                 const RegisterMark& mark);
  void WriteMark(const std::string& session, const RegisterMark& mark,
                 const std::string& now, const Actor& by);
  // The records a place's attendance earns: one per module, dated the last
  // part attended; none for a no-show.
  static std::vector<TrainingRecord> AttendanceRecords(
      const CourseSession& session, const RegisterEntry& entry,
      const std::vector<RecordedModule>& modules, const Actor& by);

  soci::session& sql_;
  Statements& stmts_;
  const Dialect& dialect_;
  WorkforceAccess workforce_;
};

}  // namespace trellis::store_internal
