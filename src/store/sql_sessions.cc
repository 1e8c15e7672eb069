// Venues, rooms, sessions and bookings. Every write holds the writers' turn
// (sql_store.h's Dialect), so the seat count read before a booking is still
// true when the booking is written: never more booked than seats.
#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "store/sql_parts.h"
#include "store/sql_support.h"

namespace trellis::store_internal {
namespace {

constexpr const char* kSessionColumns =
    "SELECT id, course, status, room_id, seats, case_management_system, "
    "approval_required, verify_identity, reserved_seats, reserved_for, "
    "reserved_until, notes, register_closed_at, changed_at, changed_by FROM "
    "course_sessions s";

constexpr const char* kBookingColumns =
    "SELECT id, session_id, person_id, status, nominated, priority, queued, "
    "requested_at, requested_by, decided_at, decided_by, late_cancellation, "
    "note FROM bookings";

// The statuses that hold a place: the register keeps the place taken.
constexpr const char* kPlaceTaken =
    "('booked', 'attended', 'partly-attended', 'no-show')";

int Clamp(int limit) { return std::clamp(limit, 1, 1000); }

LocalTime TimeFromText(const std::string& text) {
  auto time = ParseLocalTime(text);
  if (!time) throw soci::soci_error("stored time '" + text + "' is not valid");
  return *time;
}

CourseSession SessionFromRow(const soci::row& row) {
  CourseSession s;
  s.id = Text(row, 0);
  s.course = Text(row, 1);
  const std::string status = Text(row, 2);
  auto parsed = ParseSessionStatus(status);
  if (!parsed) {
    throw soci::soci_error("session '" + s.id + "' has status '" + status +
                           "', which Trellis does not write");
  }
  s.status = *parsed;
  s.room = Text(row, 3);
  s.seats = static_cast<int>(Integer(row, 4));
  s.case_management_system = Text(row, 5);
  s.approval_required = Integer(row, 6) != 0;
  s.verify_identity = Integer(row, 7) != 0;
  s.reserved_seats = static_cast<int>(Integer(row, 8));
  s.reserved_for = Text(row, 9);
  s.reserved_until = OptionalDate(row, 10);
  s.notes = Text(row, 11);
  s.register_closed_at = Text(row, 12);
  s.changed_at = Text(row, 13);
  s.changed_by = Text(row, 14);
  return s;
}

Booking BookingFromRow(const soci::row& row) {
  Booking b;
  b.id = Text(row, 0);
  b.session = Text(row, 1);
  b.person = Text(row, 2);
  const std::string status = Text(row, 3);
  auto parsed = ParseBookingStatus(status);
  if (!parsed) {
    throw soci::soci_error("booking '" + b.id + "' has status '" + status +
                           "', which Trellis does not write");
  }
  b.status = *parsed;
  b.nominated = Integer(row, 4) != 0;
  b.priority = Integer(row, 5) != 0;
  b.queued = Integer(row, 6);
  b.requested_at = Text(row, 7);
  b.requested_by = Text(row, 8);
  b.decided_at = Text(row, 9);
  b.decided_by = Text(row, 10);
  b.late_cancellation = Integer(row, 11) != 0;
  b.note = Text(row, 12);
  return b;
}

Error Refused(ErrorCode code, std::string message, std::string field,
              std::string field_message) {
  return Error{
      code, std::move(message), {{std::move(field), std::move(field_message)}}};
}

}  // namespace

std::expected<void, Error> SessionsSql::AddVenue(const Venue& venue,
                                                 const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (RowExists(sql_, "venues", venue.id)) {
    return std::unexpected(Refused(ErrorCode::kAlreadyExists,
                                   "a venue '" + venue.id + "' exists", "id",
                                   "already used"));
  }
  const std::string now = UtcNow();
  sql_ << "INSERT INTO venues (id, name, address, notes, changed_at, "
          "changed_by) VALUES (:id, :n, :a, :notes, :at, :by)",
      soci::use(venue.id), soci::use(venue.name), soci::use(venue.address),
      soci::use(venue.notes), soci::use(now), soci::use(by.id);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("add", "venue", venue.id, "", AuditJson(venue));
  tx.Commit();
  return {};
}

std::expected<void, Error> SessionsSql::AddRoom(const Room& room,
                                                const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (!RowExists(sql_, "venues", room.venue)) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no venue '" + room.venue + "'", "venue",
                                   "not known"));
  }
  if (RowExists(sql_, "rooms", room.id)) {
    return std::unexpected(Refused(ErrorCode::kAlreadyExists,
                                   "a room '" + room.id + "' exists", "id",
                                   "already used"));
  }
  const std::string now = UtcNow();
  const int it_suite = room.it_suite ? 1 : 0;
  sql_ << "INSERT INTO rooms (id, venue_id, name, seats, it_suite, "
          "accessibility, changed_at, changed_by) VALUES (:id, :v, :n, :s, "
          ":it, :acc, :at, :by)",
      soci::use(room.id), soci::use(room.venue), soci::use(room.name),
      soci::use(room.seats), soci::use(it_suite), soci::use(room.accessibility),
      soci::use(now), soci::use(by.id);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("add", "room", room.id, "", AuditJson(room));
  tx.Commit();
  return {};
}

std::vector<Venue> SessionsSql::ListVenues(ListWindow window) {
  const int limit = Clamp(window.limit);
  const int offset = std::max(window.offset, 0);
  std::vector<Venue> venues;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, name, address, notes FROM venues ORDER "
                         "BY id LIMIT :limit OFFSET :offset",
         soci::use(limit), soci::use(offset));
    for (const auto& row : rows) {
      venues.push_back(
          Venue{Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3), {}});
    }
  }
  for (auto& venue : venues) {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, venue_id, name, seats, it_suite, "
                         "accessibility FROM rooms WHERE venue_id = :v ORDER "
                         "BY id",
         soci::use(venue.id));
    for (const auto& row : rows) {
      venue.rooms.push_back(Room{Text(row, 0), Text(row, 1), Text(row, 2),
                                 static_cast<int>(Integer(row, 3)),
                                 Integer(row, 4) != 0, Text(row, 5)});
    }
  }
  return venues;
}

std::optional<Room> SessionsSql::FindRoom(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, venue_id, name, seats, it_suite, "
                       "accessibility FROM rooms WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    return Room{Text(row, 0),         Text(row, 1),
                Text(row, 2),         static_cast<int>(Integer(row, 3)),
                Integer(row, 4) != 0, Text(row, 5)};
  }
  return std::nullopt;
}

std::expected<void, Error> SessionsSql::CheckSession(
    const CourseSession& session) {
  std::vector<FieldError> fields;
  auto room = FindRoom(session.room);
  if (!room) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no room '" + session.room + "'", "room",
                                   "not known"));
  }
  if (session.seats < 1 || session.seats > room->seats) {
    return std::unexpected(
        Refused(ErrorCode::kInvalidArgument,
                "a session in room '" + room->id + "' offers 1 to " +
                    std::to_string(room->seats) + " places, not " +
                    std::to_string(session.seats),
                "seats", "between 1 and " + std::to_string(room->seats)));
  }
  if (session.reserved_seats < 0 || session.reserved_seats > session.seats) {
    return std::unexpected(Refused(ErrorCode::kInvalidArgument,
                                   "reserved places must be between 0 and "
                                   "the session's places",
                                   "reserved_seats", "out of range"));
  }
  if (session.reserved_seats > 0 && session.reserved_for.empty()) {
    return std::unexpected(Refused(ErrorCode::kInvalidArgument,
                                   "reserved places need the priority group "
                                   "they are held for",
                                   "reserved_for", "is required"));
  }
  if (session.parts.empty()) {
    return std::unexpected(Refused(ErrorCode::kInvalidArgument,
                                   "a session needs at least one part with "
                                   "its start and end",
                                   "parts", "is required"));
  }
  for (size_t i = 0; i < session.parts.size(); ++i) {
    const auto& part = session.parts[i];
    const std::string field = "parts[" + std::to_string(i) + "]";
    if (part.ends.date != part.starts.date || part.ends <= part.starts) {
      return std::unexpected(
          Refused(ErrorCode::kInvalidArgument,
                  "part " + std::to_string(i + 1) +
                      " must end after it starts, on the same day",
                  field, "ends before it starts or on another day"));
    }
    if (i > 0 && part.starts < session.parts[i - 1].ends) {
      return std::unexpected(Refused(
          ErrorCode::kInvalidArgument,
          "part " + std::to_string(i + 1) +
              " starts before the part before it ends; list parts in order",
          field, "overlaps the part before"));
    }
  }
  for (const auto& trainer : session.trainers) {
    if (!RowExists(sql_, "people", trainer)) {
      return std::unexpected(Refused(ErrorCode::kNotFound,
                                     "no person '" + trainer + "' to train",
                                     "trainers", "not known: " + trainer));
    }
  }
  if (session.status == SessionStatus::kCancelled) return {};
  for (const auto& part : session.parts) {
    const std::string starts = FormatLocalTime(part.starts);
    const std::string ends = FormatLocalTime(part.ends);
    std::string other;
    soci::indicator ind = soci::i_null;
    sql_ << "SELECT p.session_id FROM session_parts p JOIN course_sessions s "
            "ON s.id = p.session_id WHERE p.room_id = :room AND s.status <> "
            "'cancelled' AND p.session_id <> :id AND p.starts_at < :ends AND "
            "p.ends_at > :starts ORDER BY p.session_id LIMIT 1",
        soci::use(session.room), soci::use(session.id), soci::use(ends),
        soci::use(starts), soci::into(other, ind);
    if (sql_.got_data()) {
      return std::unexpected(Refused(
          ErrorCode::kFailedPrecondition,
          "room '" + session.room + "' is taken by session '" + other +
              "' at an overlapping time (" + starts + " to " + ends + ")",
          "room", "in use by " + other));
    }
    for (const auto& trainer : session.trainers) {
      sql_ << "SELECT p.session_id FROM session_parts p JOIN course_sessions "
              "s ON s.id = p.session_id JOIN session_trainers t ON "
              "t.session_id = p.session_id WHERE t.person_id = :t AND "
              "s.status <> 'cancelled' AND p.session_id <> :id AND "
              "p.starts_at < :ends AND p.ends_at > :starts ORDER BY "
              "p.session_id LIMIT 1",
          soci::use(trainer), soci::use(session.id), soci::use(ends),
          soci::use(starts), soci::into(other, ind);
      if (sql_.got_data()) {
        return std::unexpected(Refused(
            ErrorCode::kFailedPrecondition,
            "trainer '" + trainer + "' trains session '" + other +
                "' at an overlapping time (" + starts + " to " + ends + ")",
            "trainers", trainer + " busy in " + other));
      }
    }
  }
  return {};
}

void SessionsSql::WriteSession(const CourseSession& s, const std::string& now,
                               const Actor& by, bool insert) {
  const std::string status = SessionStatusName(s.status);
  const int approval = s.approval_required ? 1 : 0;
  const int identity = s.verify_identity ? 1 : 0;
  Nullable until;
  until.Set(s.reserved_until);
  Nullable closed;
  closed.Set(s.register_closed_at);
  const std::string starts = FormatLocalTime(s.parts.front().starts);
  if (insert) {
    sql_ << "INSERT INTO course_sessions (course, status, room_id, seats, "
            "case_management_system, approval_required, verify_identity, "
            "reserved_seats, reserved_for, reserved_until, notes, starts_at, "
            "register_closed_at, changed_at, changed_by, id) VALUES (:c, :st, "
            ":r, :seats, :cms, :ap, :vi, :rs, :rf, :ru, :notes, :starts, "
            ":closed, :at, :by, :id)",
        soci::use(s.course), soci::use(status), soci::use(s.room),
        soci::use(s.seats), soci::use(s.case_management_system),
        soci::use(approval), soci::use(identity), soci::use(s.reserved_seats),
        soci::use(s.reserved_for), soci::use(until.value, until.indicator),
        soci::use(s.notes), soci::use(starts),
        soci::use(closed.value, closed.indicator), soci::use(now),
        soci::use(by.id), soci::use(s.id);
  } else {
    sql_ << "UPDATE course_sessions SET course = :c, status = :st, room_id = "
            ":r, seats = :seats, case_management_system = :cms, "
            "approval_required = :ap, verify_identity = :vi, reserved_seats "
            "= :rs, reserved_for = :rf, reserved_until = :ru, notes = :notes, "
            "starts_at = :starts, register_closed_at = :closed, changed_at = "
            ":at, changed_by = :by WHERE id = :id",
        soci::use(s.course), soci::use(status), soci::use(s.room),
        soci::use(s.seats), soci::use(s.case_management_system),
        soci::use(approval), soci::use(identity), soci::use(s.reserved_seats),
        soci::use(s.reserved_for), soci::use(until.value, until.indicator),
        soci::use(s.notes), soci::use(starts),
        soci::use(closed.value, closed.indicator), soci::use(now),
        soci::use(by.id), soci::use(s.id);
    sql_ << "DELETE FROM session_parts WHERE session_id = :id", soci::use(s.id);
    sql_ << "DELETE FROM session_trainers WHERE session_id = :id",
        soci::use(s.id);
    sql_ << "DELETE FROM session_audiences WHERE session_id = :id",
        soci::use(s.id);
  }
  for (size_t i = 0; i < s.parts.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    const std::string part_starts = FormatLocalTime(s.parts[i].starts);
    const std::string part_ends = FormatLocalTime(s.parts[i].ends);
    sql_ << "INSERT INTO session_parts (session_id, part, starts_at, ends_at, "
            "room_id) VALUES (:id, :n, :s, :e, :r)",
        soci::use(s.id), soci::use(number), soci::use(part_starts),
        soci::use(part_ends), soci::use(s.room);
  }
  for (const auto& trainer : std::set(s.trainers.begin(), s.trainers.end())) {
    sql_ << "INSERT INTO session_trainers (session_id, person_id) VALUES "
            "(:id, :p)",
        soci::use(s.id), soci::use(trainer);
  }
  for (const auto& audience :
       std::set(s.audiences.begin(), s.audiences.end())) {
    sql_ << "INSERT INTO session_audiences (session_id, audience) VALUES "
            "(:id, :a)",
        soci::use(s.id), soci::use(audience);
  }
}

std::expected<CourseSession, Error> SessionsSql::AddSession(
    CourseSession session, const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (session.course.empty()) {
    return std::unexpected(Refused(ErrorCode::kInvalidArgument,
                                   "a session is of a course", "course",
                                   "is required"));
  }
  if (session.seats == 0) {
    if (auto room = FindRoom(session.room)) session.seats = room->seats;
  }
  if (auto ok = CheckSession(session); !ok) return std::unexpected(ok.error());
  session.id = NumberedId('S', NextNumber(sql_, "session"));
  const std::string now = UtcNow();
  session.changed_at = now;
  session.changed_by = by.id;
  WriteSession(session, now, by, /*insert=*/true);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("add", "session", session.id, "", AuditJson(session));
  tx.Commit();
  return session;
}

std::optional<CourseSession> SessionsSql::FindSession(const std::string& id) {
  std::optional<CourseSession> session;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << kSessionColumns << " WHERE id = :id", soci::use(id));
    for (const auto& row : rows) session = SessionFromRow(row);
  }
  if (!session) return session;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT starts_at, ends_at FROM session_parts WHERE "
                         "session_id = :id ORDER BY part",
         soci::use(id));
    for (const auto& row : rows) {
      session->parts.push_back(
          SessionPart{TimeFromText(Text(row, 0)), TimeFromText(Text(row, 1))});
    }
  }
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT person_id FROM session_trainers WHERE "
                         "session_id = :id ORDER BY person_id",
         soci::use(id));
    for (const auto& row : rows) session->trainers.push_back(Text(row, 0));
  }
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT audience FROM session_audiences WHERE "
                         "session_id = :id ORDER BY audience",
         soci::use(id));
    for (const auto& row : rows) session->audiences.push_back(Text(row, 0));
  }
  return session;
}

std::vector<CourseSession> SessionsSql::ListSessions(
    const SessionFilter& filter) {
  const std::string status =
      filter.status ? SessionStatusName(*filter.status) : "";
  const std::string from =
      filter.from ? FormatIsoDate(*filter.from) + "T00:00" : "";
  const std::string to = filter.to ? FormatIsoDate(*filter.to) + "T23:59" : "";
  const int limit = Clamp(filter.window.limit);
  const int offset = std::max(filter.window.offset, 0);
  std::vector<std::string> ids;
  {
    // Every filter is bound, empty when unused, so one statement serves all.
    soci::rowset<soci::row> rows =
        (sql_.prepare
             << "SELECT s.id FROM course_sessions s WHERE (:c1 = '' OR "
                "s.course = :c2) AND (:r1 = '' OR s.room_id = :r2) AND (:st1 "
                "= '' OR s.status = :st2) AND (:f1 = '' OR s.starts_at >= "
                ":f2) AND (:t1 = '' OR s.starts_at <= :t2) AND (:tr1 = '' OR "
                "EXISTS (SELECT 1 FROM session_trainers t WHERE t.session_id "
                "= s.id AND t.person_id = :tr2)) ORDER BY s.starts_at, s.id "
                "LIMIT :limit OFFSET :offset",
         soci::use(filter.course), soci::use(filter.course),
         soci::use(filter.room), soci::use(filter.room), soci::use(status),
         soci::use(status), soci::use(from), soci::use(from), soci::use(to),
         soci::use(to), soci::use(filter.trainer), soci::use(filter.trainer),
         soci::use(limit), soci::use(offset));
    for (const auto& row : rows) ids.push_back(Text(row, 0));
  }
  std::vector<CourseSession> sessions;
  for (const auto& id : ids) {
    if (auto s = FindSession(id)) sessions.push_back(std::move(*s));
  }
  return sessions;
}

Store::SessionCounts SessionsSql::CountBookings(const std::string& session) {
  Store::SessionCounts counts;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT status, COUNT(*) FROM bookings WHERE "
                       "session_id = :s GROUP BY status",
       soci::use(session));
  for (const auto& row : rows) {
    const auto status = ParseBookingStatus(Text(row, 0));
    const int n = static_cast<int>(Integer(row, 1));
    if (!status) continue;
    switch (*status) {
      case BookingStatus::kBooked:
      case BookingStatus::kAttended:
      case BookingStatus::kPartlyAttended:
      case BookingStatus::kNoShow:
        counts.booked += n;
        break;
      case BookingStatus::kWaiting:
        counts.waiting += n;
        break;
      case BookingStatus::kRequested:
        counts.requested += n;
        break;
      default:
        break;
    }
  }
  return counts;
}

bool SessionsSql::PlaceFree(const CourseSession& session, bool priority,
                            Date today) {
  long long taken = 0;
  long long priority_taken = 0;
  sql_ << "SELECT COUNT(*), COALESCE(SUM(priority), 0) FROM bookings WHERE "
          "session_id = :s AND status IN "
       << kPlaceTaken,
      soci::use(session.id), soci::into(taken), soci::into(priority_taken);
  if (taken >= session.seats) return false;
  if (priority) return true;
  const bool holding =
      session.reserved_seats > 0 &&
      (!session.reserved_until || today <= *session.reserved_until);
  const long long held =
      holding ? std::max<long long>(0, session.reserved_seats - priority_taken)
              : 0;
  return taken < session.seats - held;
}

std::vector<Booking> SessionsSql::ReadBookings(const std::string& where,
                                               const std::string& value) {
  std::vector<Booking> bookings;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kBookingColumns << " WHERE " << where
                    << " = :v ORDER BY queued",
       soci::use(value));
  for (const auto& row : rows) bookings.push_back(BookingFromRow(row));
  return bookings;
}

std::optional<Booking> SessionsSql::FindBooking(const std::string& id) {
  auto bookings = ReadBookings("id", id);
  if (bookings.empty()) return std::nullopt;
  return bookings.front();
}

std::vector<Booking> SessionsSql::BookingsOfSession(
    const std::string& session) {
  return ReadBookings("session_id", session);
}

std::vector<Booking> SessionsSql::BookingsOfPerson(const std::string& person) {
  return ReadBookings("person_id", person);
}

void SessionsSql::WriteBooking(const Booking& b, bool insert) {
  const std::string status = BookingStatusName(b.status);
  const int nominated = b.nominated ? 1 : 0;
  const int priority = b.priority ? 1 : 0;
  const long long queued = b.queued;
  const int late = b.late_cancellation ? 1 : 0;
  if (insert) {
    sql_ << "INSERT INTO bookings (id, session_id, person_id, status, "
            "nominated, priority, queued, requested_at, requested_by, "
            "decided_at, decided_by, late_cancellation, note) VALUES (:id, "
            ":s, :p, :st, :nom, :pri, :q, :rat, :rby, :dat, :dby, :late, "
            ":note)",
        soci::use(b.id), soci::use(b.session), soci::use(b.person),
        soci::use(status), soci::use(nominated), soci::use(priority),
        soci::use(queued), soci::use(b.requested_at), soci::use(b.requested_by),
        soci::use(b.decided_at), soci::use(b.decided_by), soci::use(late),
        soci::use(b.note);
  } else {
    sql_ << "UPDATE bookings SET status = :st, decided_at = :dat, decided_by "
            "= :dby, late_cancellation = :late, note = :note WHERE id = :id",
        soci::use(status), soci::use(b.decided_at), soci::use(b.decided_by),
        soci::use(late), soci::use(b.note), soci::use(b.id);
  }
}

void SessionsSql::Notify(const std::string& person, const std::string& now,
                         const std::string& text) {
  const long long id = NextNumber(sql_, "notification");
  sql_ << "INSERT INTO notifications (id, person_id, at, text) VALUES (:id, "
          ":p, :at, :t)",
      soci::use(id), soci::use(person), soci::use(now), soci::use(text);
}

std::vector<Notification> SessionsSql::NotificationsOf(
    const std::string& person, int limit) {
  const int n = Clamp(limit);
  std::vector<Notification> notes;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, person_id, at, text FROM notifications "
                       "WHERE person_id = :p ORDER BY id DESC LIMIT :n",
       soci::use(person), soci::use(n));
  for (const auto& row : rows) {
    notes.push_back(Notification{Integer(row, 0), Text(row, 1), Text(row, 2),
                                 Text(row, 3)});
  }
  return notes;
}

Promotions SessionsSql::Promote(const CourseSession& session, Date today,
                                const EligibilityCheck& eligible,
                                AuditWriter& audit, const std::string& now,
                                const Actor& by) {
  Promotions result;
  if (session.status != SessionStatus::kOpen) return result;
  for (auto& waiting : BookingsOfSession(session.id)) {
    if (waiting.status != BookingStatus::kWaiting) continue;
    if (!PlaceFree(session, /*priority=*/true, today)) break;
    if (!PlaceFree(session, waiting.priority, today)) continue;
    std::vector<std::string> reasons;
    if (eligible) {
      auto person = reader_.person(waiting.person);
      if (!person) {
        reasons.emplace_back("the person is no longer on record");
      } else {
        Candidate candidate{*person, reader_.organisation(person->organisation),
                            reader_.records(waiting.person)};
        reasons = eligible(candidate, session);
      }
    }
    const std::string before = AuditJson(waiting);
    waiting.decided_at = now;
    waiting.decided_by = by.id;
    if (reasons.empty()) {
      waiting.status = BookingStatus::kBooked;
      waiting.note = "promoted from the waiting list";
      WriteBooking(waiting, /*insert=*/false);
      audit.Append("promote", "booking", waiting.id, before,
                   AuditJson(waiting));
      Notify(waiting.person, now,
             "A place has come free on session " + session.id + " (" +
                 session.course + ", " +
                 FormatLocalTime(session.parts.front().starts) +
                 "): you are booked.");
      result.promoted.push_back(std::move(waiting));
    } else {
      std::string why;
      for (const auto& r : reasons) why += (why.empty() ? "" : "; ") + r;
      waiting.note = "passed over for a place: " + why;
      WriteBooking(waiting, /*insert=*/false);
      audit.Append("pass-over", "booking", waiting.id, before,
                   AuditJson(waiting));
      Notify(waiting.person, now,
             "A place came free on session " + session.id +
                 ", but you could not take it yet: " + why +
                 ". You stay on the waiting list.");
      result.passed_over.push_back(std::move(waiting));
    }
  }
  return result;
}

std::expected<Promotions, Error> SessionsSql::UpdateSession(
    const CourseSession& session, const EligibilityCheck& eligible,
    const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto kept = FindSession(session.id);
  if (!kept) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no session '" + session.id + "'", "id",
                                   "not known"));
  }
  if (session.course != kept->course) {
    return std::unexpected(
        Refused(ErrorCode::kInvalidArgument,
                "a session's course cannot change; cancel it and add another",
                "course", "differs from the session's"));
  }
  if (kept->status == SessionStatus::kCancelled &&
      session.status != SessionStatus::kCancelled) {
    return std::unexpected(
        Refused(ErrorCode::kFailedPrecondition,
                "session '" + session.id + "' is cancelled; add a new one",
                "status", "cancelled for good"));
  }
  if (auto ok = CheckSession(session); !ok) return std::unexpected(ok.error());
  const auto counts = CountBookings(session.id);
  if (session.seats < counts.booked &&
      session.status != SessionStatus::kCancelled) {
    return std::unexpected(Refused(
        ErrorCode::kFailedPrecondition,
        "session '" + session.id + "' has " + std::to_string(counts.booked) +
            " people booked; it cannot offer fewer places (" +
            std::to_string(session.seats) + ")",
        "seats", "below the places taken"));
  }
  const std::string now = UtcNow();
  CourseSession after = session;
  after.register_closed_at = kept->register_closed_at;
  after.changed_at = now;
  after.changed_by = by.id;
  WriteSession(after, now, by, /*insert=*/false);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("change", "session", session.id, AuditJson(*kept),
               AuditJson(after));
  Promotions promotions;
  if (after.status == SessionStatus::kCancelled &&
      kept->status != SessionStatus::kCancelled) {
    for (auto& b : BookingsOfSession(session.id)) {
      if (!IsActive(b.status)) continue;
      const std::string before = AuditJson(b);
      b.status = BookingStatus::kCancelled;
      b.decided_at = now;
      b.decided_by = by.id;
      b.note = "the session was cancelled";
      WriteBooking(b, /*insert=*/false);
      audit.Append("cancel", "booking", b.id, before, AuditJson(b));
      Notify(b.person, now,
             "Session " + session.id + " (" + session.course +
                 ") is cancelled; your booking is cancelled with it.");
    }
  } else {
    // More places, an earlier release of reserved ones, or a session opened:
    // the waiting list moves up. The date is the day of the change.
    promotions = Promote(after, ParseIsoDate(now.substr(0, 10)).value(),
                         eligible, audit, now, by);
  }
  tx.Commit();
  return promotions;
}

std::expected<Booking, Error> SessionsSql::RequestBooking(
    const BookingRequest& request, const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto session = FindSession(request.session);
  if (!session) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no session '" + request.session + "'",
                                   "session", "not known"));
  }
  if (session->status != SessionStatus::kOpen ||
      !session->register_closed_at.empty()) {
    return std::unexpected(Refused(ErrorCode::kFailedPrecondition,
                                   "session '" + session->id + "' is " +
                                       SessionStatusName(session->status) +
                                       "; only an open session takes bookings",
                                   "session", "not open for booking"));
  }
  auto person = reader_.person(request.person);
  if (!person) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no person '" + request.person + "'",
                                   "person", "not known"));
  }
  for (const auto& b : BookingsOfPerson(request.person)) {
    if (b.session == session->id && IsActive(b.status)) {
      return std::unexpected(Refused(
          ErrorCode::kAlreadyExists,
          request.person + " already holds booking " + b.id + " (" +
              BookingStatusName(b.status) + ") on session " + session->id,
          "person", "already booked: " + b.id));
    }
  }
  const std::string now = UtcNow();
  Booking booking;
  const std::int64_t number = NextNumber(sql_, "booking");
  booking.id = NumberedId('B', number);
  booking.queued = number;
  booking.session = session->id;
  booking.person = request.person;
  booking.nominated = request.nominated;
  booking.priority = request.priority && session->reserved_seats > 0;
  booking.requested_at = now;
  booking.requested_by = by.id;
  if (session->approval_required && !request.approved) {
    booking.status = BookingStatus::kRequested;
  } else if (PlaceFree(*session, booking.priority, request.today)) {
    booking.status = BookingStatus::kBooked;
  } else {
    booking.status = BookingStatus::kWaiting;
  }
  WriteBooking(booking, /*insert=*/true);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("add", "booking", booking.id, "", AuditJson(booking));
  tx.Commit();
  return booking;
}

std::expected<Booking, Error> SessionsSql::DecideBooking(
    const std::string& id, bool approve, const std::string& note, Date today,
    const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto booking = FindBooking(id);
  if (!booking) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no booking '" + id + "'", "booking",
                                   "not known"));
  }
  if (booking->status != BookingStatus::kRequested) {
    return std::unexpected(
        Refused(ErrorCode::kFailedPrecondition,
                "booking " + id + " is " + BookingStatusName(booking->status) +
                    "; only a requested booking is approved or declined",
                "booking", "not awaiting a decision"));
  }
  auto session = FindSession(booking->session);
  if (!session) {
    return std::unexpected(Refused(ErrorCode::kInternal,
                                   "booking " + id + " names no session",
                                   "session", "missing"));
  }
  const std::string now = UtcNow();
  const std::string before = AuditJson(*booking);
  booking->decided_at = now;
  booking->decided_by = by.id;
  booking->note = note;
  if (!approve) {
    booking->status = BookingStatus::kDeclined;
  } else if (session->status == SessionStatus::kOpen &&
             PlaceFree(*session, booking->priority, today)) {
    booking->status = BookingStatus::kBooked;
  } else {
    booking->status = BookingStatus::kWaiting;
  }
  WriteBooking(*booking, /*insert=*/false);
  AuditWriter audit(sql_, now, by.id);
  audit.Append(approve ? "approve" : "decline", "booking", id, before,
               AuditJson(*booking));
  Notify(booking->person, now,
         std::string("Your request for session ") + session->id + " (" +
             session->course + ") was " +
             (approve ? (booking->status == BookingStatus::kBooked
                             ? "approved: you are booked."
                             : "approved: you are on the waiting list.")
                      : "declined" + (note.empty() ? "." : ": " + note)));
  tx.Commit();
  return *booking;
}

std::expected<BookingChange, Error> SessionsSql::CancelBooking(
    const std::string& id, bool late, const std::string& note, Date today,
    const EligibilityCheck& eligible, const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto booking = FindBooking(id);
  if (!booking) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no booking '" + id + "'", "booking",
                                   "not known"));
  }
  if (!IsActive(booking->status)) {
    return std::unexpected(Refused(
        ErrorCode::kFailedPrecondition,
        "booking " + id + " is " + BookingStatusName(booking->status) +
            "; only a requested, booked or waiting booking can be cancelled",
        "booking", "not active"));
  }
  auto session = FindSession(booking->session);
  const std::string now = UtcNow();
  const std::string before = AuditJson(*booking);
  const bool held_place = booking->status == BookingStatus::kBooked;
  booking->status = BookingStatus::kCancelled;
  booking->decided_at = now;
  booking->decided_by = by.id;
  booking->late_cancellation = held_place && late;
  booking->note = note;
  WriteBooking(*booking, /*insert=*/false);
  AuditWriter audit(sql_, now, by.id);
  audit.Append("cancel", "booking", id, before, AuditJson(*booking));
  BookingChange change;
  if (held_place && session) {
    change.promotions = Promote(*session, today, eligible, audit, now, by);
  }
  change.booking = std::move(*booking);
  tx.Commit();
  return change;
}

}  // namespace trellis::store_internal
