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
  AccountsSql(soci::session& sql, const Dialect& dialect)
      : sql_(sql), dialect_(dialect) {}

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
  const Dialect& dialect_;
};

// How the sessions part reads a person and their records inside its own
// transaction, for the eligibility check at promotion.
struct PersonReader {
  std::function<std::optional<Person>(const std::string&)> person;
  std::function<std::vector<TrainingRecord>(const std::string&)> records;
  std::function<std::optional<Organisation>(const std::string&)> organisation;
};

class SessionsSql {
 public:
  SessionsSql(soci::session& sql, const Dialect& dialect, PersonReader reader)
      : sql_(sql), dialect_(dialect), reader_(std::move(reader)) {}

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
  std::vector<Notification> NotificationsOf(const std::string& person,
                                            int limit);

 private:
  // The rules every new or changed session must meet, read under the
  // writers' turn: a known room with enough seats, known trainers, parts in
  // order, and no clash with another session's room or trainers.
  std::expected<void, Error> CheckSession(const CourseSession& session);
  void WriteSession(const CourseSession& session, const std::string& now,
                    const Actor& by, bool insert);
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

  soci::session& sql_;
  const Dialect& dialect_;
  PersonReader reader_;
};

}  // namespace trellis::store_internal
