// Sessions, venues and bookings [MISSION D1-D3]: where and when a course is
// run, who trains it, and who holds or waits for a place. Plain values; the
// seat rules are applied by the store inside one write transaction, and the
// eligibility rules by the needs engine.
#pragma once

#include <compare>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.h"

namespace trellis {

// A wall-clock time in the area, to the minute: sessions are planned in local
// time, and a session at 09:30 stays at 09:30 across a clock change.
struct LocalTime {
  Date date;
  int minute = 0;  // minutes after midnight, 0..1439

  friend auto operator<=>(const LocalTime&, const LocalTime&) = default;
};

// Parses "yyyy-mm-ddThh:mm" (a space may stand for the T).
[[nodiscard]] std::expected<LocalTime, std::string> ParseLocalTime(
    std::string_view text);
std::string FormatLocalTime(const LocalTime& time);

struct Room {
  std::string id;  // unique in the area, e.g. "civic-it-1"
  std::string venue;
  std::string name;
  int seats = 0;              // places, e.g. 12 PCs in an IT suite
  bool it_suite = false;      // a PC for every seat
  std::string accessibility;  // step-free access, hearing loop, ...
};

struct Venue {
  std::string id;
  std::string name;
  std::string address;
  std::string notes;
  std::vector<Room> rooms;
};

enum class SessionStatus { kPlanned, kOpen, kClosed, kCancelled };
const char* SessionStatusName(SessionStatus status);
std::optional<SessionStatus> ParseSessionStatus(std::string_view name);

// One sitting of a session: a multi-part course has several [000 IS02: 2 x
// 2.5 hours]; each part is one day's morning or afternoon or both.
struct SessionPart {
  LocalTime starts;
  LocalTime ends;

  friend bool operator==(const SessionPart&, const SessionPart&) = default;
};

struct CourseSession {
  std::string id;  // assigned by Trellis: "S000001"
  std::string course;
  SessionStatus status = SessionStatus::kPlanned;
  std::string room;
  int seats = 0;                   // places offered; at most the room's seats
  std::vector<SessionPart> parts;  // in time order, not overlapping
  std::vector<std::string> trainers;   // person ids
  std::vector<std::string> audiences;  // who may book; empty: the course's
  std::string case_management_system;  // when the course is system-specific
  bool approval_required = false;      // a manager approves each request
  bool verify_identity = false;        // identity checked, token issued at the
                                       // session [000 venue]
  // Places held for a priority group until a date [000 §2: ContactPoint users
  // first for Information Sharing; others where capacity allows].
  int reserved_seats = 0;
  std::string reserved_for;  // a framework priority group id
  std::optional<Date> reserved_until;
  std::string notes;
  std::string register_closed_at;  // empty while the register is open
  std::string register_closed_by;
  std::string changed_at;
  std::string changed_by;
};

// Whether the session is under way or over at `now`: its first part has
// begun. A session without parts has not.
bool HasStarted(const CourseSession& session, const LocalTime& now);

// Where a booking stands. Requested waits for the manager; booked and
// waiting hold or queue for a place; the register turns booked into attended,
// partly attended or no-show.
enum class BookingStatus {
  kRequested,
  kBooked,
  kWaiting,
  kAttended,
  kPartlyAttended,
  kNoShow,
  kCancelled,
  kDeclined,
};
const char* BookingStatusName(BookingStatus status);
std::optional<BookingStatus> ParseBookingStatus(std::string_view name);
// Whether the booking still claims the person's place on the session (or in
// its queue): requested, booked or waiting.
bool IsActive(BookingStatus status);

struct Booking {
  std::string id;  // assigned by Trellis: "B000001"
  std::string session;
  std::string person;
  BookingStatus status = BookingStatus::kRequested;
  bool nominated = false;   // by the person's manager
  bool priority = false;    // in the session's priority group when asked
  std::int64_t queued = 0;  // order of asking; the waiting list's order
  std::string requested_at;
  std::string requested_by;
  std::string decided_at;  // approval, decline, cancellation, promotion
  std::string decided_by;
  bool late_cancellation = false;
  std::string note;  // why declined or cancelled; what promotion skipped
};

// One person on a session's register [MISSION D3]: which parts they were at
// [002 Minimum Standards 3: "attend the course for the specified period"],
// and, where the session verifies identity, what was seen and the security
// token handed over [000 venue: "verification of identity; giving security
// token out during the training session"].
struct RegisterEntry {
  std::string person;
  std::string booking;
  BookingStatus status = BookingStatus::kBooked;  // the booking's
  std::vector<bool> present;                      // one per part, in part order
  bool identity_verified = false;
  std::string identity_evidence;  // what was seen, e.g. "photo ID"
  std::string security_token;     // the serial of the token issued
  std::string marked_at;          // empty until first marked
  std::string marked_by;
};

// What the trainer or coordinator sets for one person.
struct RegisterMark {
  std::string person;
  std::vector<bool> present;  // one per part
  bool identity_verified = false;
  std::string identity_evidence;
  std::string security_token;
};

struct Register {
  std::string session;
  int parts = 0;
  std::vector<RegisterEntry> entries;  // everyone booked, by person id
  std::string closed_at;               // empty while open
  std::string closed_by;
};

// The booking status a person's marks give when the register closes: every
// part attended, some of them, or none.
BookingStatus AttendanceOutcome(const std::vector<bool>& present);

// A message for a person: a place offered from the waiting list, a request
// declined. Read on their home page.
struct Notification {
  std::int64_t id = 0;
  std::string person;
  std::string at;
  std::string text;
};

}  // namespace trellis
