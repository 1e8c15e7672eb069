// Venues, rooms, sessions and bookings. Every write holds the writers' turn
// (sql_store.h's Dialect), so the seat count read before a booking is still
// true when the booking is written: never more booked than seats.
#include <soci/soci.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "store/sql_parts.h"
#include "store/sql_support.h"

namespace trellis::store_internal {
namespace {

constexpr const char* kSessionColumns =
    "SELECT id, course, status, room_id, seats, case_management_system, "
    "approval_required, verify_identity, reserved_seats, reserved_for, "
    "reserved_until, notes, register_closed_at, changed_at, changed_by, "
    "register_closed_by FROM course_sessions s";

constexpr const char* kBookingColumns =
    "SELECT id, session_id, person_id, status, nominated, priority, queued, "
    "requested_at, requested_by, decided_at, decided_by, late_cancellation, "
    "note FROM bookings";

int Clamp(int limit) { return std::clamp(limit, 1, 1000); }

// Whether a booking of this status holds one of the session's seats (as
// session_places counts them): the register keeps the place taken.
bool TakesPlace(BookingStatus status) {
  switch (status) {
    case BookingStatus::kBooked:
    case BookingStatus::kAttended:
    case BookingStatus::kPartlyAttended:
    case BookingStatus::kNoShow:
      return true;
    default:
      return false;
  }
}

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
  s.register_closed_by = Text(row, 15);
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
  if (RowExists(stmts_, "venues", venue.id)) {
    return std::unexpected(Refused(ErrorCode::kAlreadyExists,
                                   "a venue '" + venue.id + "' exists", "id",
                                   "already used"));
  }
  const std::string now = UtcNow();
  sql_ << "INSERT INTO venues (id, name, address, notes, changed_at, "
          "changed_by) VALUES (:id, :n, :a, :notes, :at, :by)",
      soci::use(venue.id), soci::use(venue.name), soci::use(venue.address),
      soci::use(venue.notes), soci::use(now), soci::use(by.id);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("add", "venue", venue.id, "", AuditJson(venue));
  tx.Commit();
  return {};
}

std::expected<void, Error> SessionsSql::AddRoom(const Room& room,
                                                const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (!RowExists(stmts_, "venues", room.venue)) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no venue '" + room.venue + "'", "venue",
                                   "not known"));
  }
  if (RowExists(stmts_, "rooms", room.id)) {
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
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("add", "room", room.id, "", AuditJson(room));
  tx.Commit();
  return {};
}

std::vector<Venue> SessionsSql::ListVenues(ListWindow window) {
  const int limit = Clamp(window.limit);
  const int offset = std::max(window.offset, 0);
  std::vector<Venue> venues;
  {
    stmts_.Each(
        "SELECT id, name, address, notes FROM venues ORDER "
        "BY id LIMIT :limit OFFSET :offset",
        {limit, offset}, [&](const soci::row& row) {
          venues.push_back(Venue{
              Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3), {}});
        });
  }
  for (auto& venue : venues) {
    stmts_.Each(
        "SELECT id, venue_id, name, seats, it_suite, "
        "accessibility FROM rooms WHERE venue_id = :v ORDER "
        "BY id",
        {venue.id}, [&](const soci::row& row) {
          venue.rooms.push_back(Room{Text(row, 0), Text(row, 1), Text(row, 2),
                                     static_cast<int>(Integer(row, 3)),
                                     Integer(row, 4) != 0, Text(row, 5)});
        });
  }
  return venues;
}

std::optional<Room> SessionsSql::FindRoom(const std::string& id) {
  return stmts_.First(
      "SELECT id, venue_id, name, seats, it_suite, accessibility FROM rooms "
      "WHERE id = :id",
      {id}, [](const soci::row& row) {
        return Room{Text(row, 0),         Text(row, 1),
                    Text(row, 2),         static_cast<int>(Integer(row, 3)),
                    Integer(row, 4) != 0, Text(row, 5)};
      });
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
    if (!RowExists(stmts_, "people", trainer)) {
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
  session.id = NumberedId('S', NextNumber(stmts_, "session"));
  const std::string now = UtcNow();
  session.changed_at = now;
  session.changed_by = by.id;
  WriteSession(session, now, by, /*insert=*/true);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("add", "session", session.id, "", AuditJson(session));
  tx.Commit();
  return session;
}

std::optional<CourseSession> SessionsSql::FindSession(const std::string& id) {
  auto found = ReadSessions(std::string(kSessionColumns) + " WHERE id = :id",
                            ":id", {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<CourseSession> SessionsSql::ReadSessions(
    const std::string& query, const std::string& ids,
    std::initializer_list<Param> params) {
  std::vector<CourseSession> sessions;
  std::map<std::string, size_t> index;
  stmts_.Each(query, params, [&](const soci::row& row) {
    index.emplace(Text(row, 0), sessions.size());
    sessions.push_back(SessionFromRow(row));
  });
  if (sessions.empty()) return sessions;
  // The parts, trainers and audiences of every session read, three queries
  // in all however many sessions there are.
  auto of = [&](const soci::row& row) -> CourseSession* {
    auto it = index.find(Text(row, 0));
    return it == index.end() ? nullptr : &sessions[it->second];
  };
  stmts_.Each(
      "SELECT session_id, starts_at, ends_at FROM session_parts WHERE "
      "session_id IN (" +
          ids + ") ORDER BY session_id, part",
      params, [&](const soci::row& row) {
        if (auto* s = of(row)) {
          s->parts.push_back(SessionPart{TimeFromText(Text(row, 1)),
                                         TimeFromText(Text(row, 2))});
        }
      });
  stmts_.Each(
      "SELECT session_id, person_id FROM session_trainers WHERE session_id "
      "IN (" +
          ids + ") ORDER BY session_id, person_id",
      params, [&](const soci::row& row) {
        if (auto* s = of(row)) s->trainers.push_back(Text(row, 1));
      });
  stmts_.Each(
      "SELECT session_id, audience FROM session_audiences WHERE session_id "
      "IN (" +
          ids + ") ORDER BY session_id, audience",
      params, [&](const soci::row& row) {
        if (auto* s = of(row)) s->audiences.push_back(Text(row, 1));
      });
  return sessions;
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
  // Every filter is bound, empty when unused, so one statement serves all;
  // the page's ids select the parts, trainers and audiences with the same
  // values.
  const std::string page =
      " WHERE (:c1 = '' OR s.course = :c2) AND (:r1 = "
      "'' OR s.room_id = :r2) AND (:st1 = '' OR s.status = :st2) AND (:f1 = '' "
      "OR s.starts_at >= :f2) AND (:t1 = '' OR s.starts_at <= :t2) AND (:tr1 = "
      "'' OR EXISTS (SELECT 1 FROM session_trainers t WHERE t.session_id = "
      "s.id AND t.person_id = :tr2)) ORDER BY s.starts_at, s.id LIMIT :limit "
      "OFFSET :offset";
  return ReadSessions(
      kSessionColumns + page,
      "SELECT id FROM (SELECT s.id FROM course_sessions s" + page + ") page",
      {filter.course, filter.course, filter.room, filter.room, status, status,
       from, from, to, to, filter.trainer, filter.trainer, limit, offset});
}

Store::SessionCounts SessionsSql::CountBookings(const std::string& session) {
  Store::SessionCounts counts;
  stmts_.Each(
      "SELECT status, COUNT(*) FROM bookings WHERE session_id = :s GROUP BY "
      "status",
      {session}, [&](const soci::row& row) {
        const auto status = ParseBookingStatus(Text(row, 0));
        const int n = static_cast<int>(Integer(row, 1));
        if (!status) return;
        if (TakesPlace(*status)) {
          counts.booked += n;
          return;
        }
        switch (*status) {
          case BookingStatus::kWaiting:
            counts.waiting += n;
            break;
          case BookingStatus::kRequested:
            counts.requested += n;
            break;
          default:
            break;
        }
      });
  return counts;
}

bool SessionsSql::PlaceFree(const CourseSession& session, bool priority,
                            Date today) {
  long long taken = 0;
  long long priority_taken = 0;
  stmts_.Each(
      "SELECT taken, priority_taken FROM session_places WHERE session_id = :s",
      {session.id}, [&](const soci::row& row) {
        taken = Integer(row, 0);
        priority_taken = Integer(row, 1);
      });
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
  stmts_.Each(std::string(kBookingColumns) + " WHERE " + where +
                  " = :v ORDER BY queued",
              {value}, [&](const soci::row& row) {
                bookings.push_back(BookingFromRow(row));
              });
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

namespace {

// Places held: bookings still booked on sessions not cancelled, with the
// session's course and the end of its last part. Completed by a condition,
// then "GROUP BY b.person_id, s.id, s.course" and what follows.
constexpr const char* kPlacesHeld =
    "SELECT b.person_id, s.id, s.course, MAX(p.ends_at) FROM bookings b "
    "JOIN course_sessions s ON s.id = b.session_id "
    "JOIN session_parts p ON p.session_id = s.id "
    "WHERE b.status = :booked AND s.status <> :cancelled ";

BookedPlace PlaceFromRow(const soci::row& row) {
  return {.person = Text(row, 0),
          .place = {.session = Text(row, 1),
                    .course = Text(row, 2),
                    .ends = TimeFromText(Text(row, 3))}};
}

}  // namespace

std::vector<BookedPlace> SessionsSql::PlacesHeld(LocalTime after) {
  std::vector<BookedPlace> places;
  stmts_.Each(
      std::string(kPlacesHeld) +
          "GROUP BY b.person_id, s.id, s.course "
          "HAVING MAX(p.ends_at) > :after ORDER BY b.person_id, s.id",
      {BookingStatusName(BookingStatus::kBooked),
       SessionStatusName(SessionStatus::kCancelled), FormatLocalTime(after)},
      [&](const soci::row& row) { places.push_back(PlaceFromRow(row)); });
  return places;
}

std::vector<HeldPlace> SessionsSql::PlacesHeldBy(const std::string& person) {
  std::vector<HeldPlace> held;
  stmts_.Each(
      std::string(kPlacesHeld) +
          "AND b.person_id = :person "
          "GROUP BY b.person_id, s.id, s.course ORDER BY s.id",
      {BookingStatusName(BookingStatus::kBooked),
       SessionStatusName(SessionStatus::kCancelled), person},
      [&](const soci::row& row) { held.push_back(PlaceFromRow(row).place); });
  return held;
}

std::vector<Person> SessionsSql::Trainers() {
  std::vector<Person> trainers;
  stmts_.Each(
      "SELECT DISTINCT p.id, p.name FROM session_trainers t JOIN people p ON "
      "p.id = t.person_id ORDER BY p.name, p.id",
      {}, [&](const soci::row& row) {
        Person person;
        person.id = Text(row, 0);
        person.name = Text(row, 1);
        trainers.push_back(std::move(person));
      });
  return trainers;
}

void SessionsSql::WriteBooking(const Booking& b, bool insert) {
  const std::string status = BookingStatusName(b.status);
  const int nominated = b.nominated ? 1 : 0;
  const int priority = b.priority ? 1 : 0;
  const int late = b.late_cancellation ? 1 : 0;
  // The session's places taken move with the booking's status.
  bool took = false;
  bool priority_took = false;
  if (!insert) {
    stmts_.Each("SELECT status, priority FROM bookings WHERE id = :id", {b.id},
                [&](const soci::row& row) {
                  const auto was = ParseBookingStatus(Text(row, 0));
                  took = was && TakesPlace(*was);
                  priority_took = took && Integer(row, 1) != 0;
                });
  }
  const bool takes = TakesPlace(b.status);
  const int taken_change = (takes ? 1 : 0) - (took ? 1 : 0);
  const int priority_change =
      (takes && b.priority ? 1 : 0) - (priority_took ? 1 : 0);
  if (taken_change != 0 || priority_change != 0) {
    stmts_.Run(
        "INSERT INTO session_places (session_id, taken, priority_taken) "
        "VALUES (:s, :t, :p) ON CONFLICT (session_id) DO UPDATE SET taken = "
        "session_places.taken + excluded.taken, priority_taken = "
        "session_places.priority_taken + excluded.priority_taken",
        {b.session, taken_change, priority_change});
  }
  if (insert) {
    stmts_.Run(
        "INSERT INTO bookings (id, session_id, person_id, status, nominated, "
        "priority, queued, requested_at, requested_by, decided_at, "
        "decided_by, late_cancellation, note) VALUES (:id, :s, :p, :st, "
        ":nom, :pri, :q, :rat, :rby, :dat, :dby, :late, :note)",
        {b.id, b.session, b.person, status, nominated, priority, b.queued,
         b.requested_at, b.requested_by, b.decided_at, b.decided_by, late,
         b.note});
  } else {
    stmts_.Run(
        "UPDATE bookings SET status = :st, decided_at = :dat, decided_by = "
        ":dby, late_cancellation = :late, note = :note WHERE id = :id",
        {status, b.decided_at, b.decided_by, late, b.note, b.id});
  }
}

void SessionsSql::Notify(const std::string& person, const std::string& now,
                         const std::string& text) {
  const std::int64_t id = NextNumber(stmts_, "notification");
  stmts_.Run(
      "INSERT INTO notifications (id, person_id, at, text) VALUES (:id, :p, "
      ":at, :t)",
      {id, person, now, text});
}

std::vector<Notification> SessionsSql::NotificationsOf(
    const std::string& person, ListWindow window) {
  std::vector<Notification> notes;
  stmts_.Each(
      "SELECT id, person_id, at, text FROM notifications WHERE person_id = :p "
      "ORDER BY id DESC LIMIT :n OFFSET :o",
      {person, Clamp(window.limit), std::max(window.offset, 0)},
      [&](const soci::row& row) {
        notes.push_back(Notification{Integer(row, 0), Text(row, 1),
                                     Text(row, 2), Text(row, 3)});
      });
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
      auto person = workforce_.person(waiting.person);
      if (!person) {
        reasons.emplace_back("the person is no longer on record");
      } else {
        Candidate candidate{*person,
                            workforce_.organisation(person->organisation),
                            workforce_.records(waiting.person),
                            {}};
        reasons = eligible(candidate, session);
        // As for a booking: a pre-requisite may be met by a place held on
        // a session that ends first.
        if (!reasons.empty()) {
          candidate.held = PlacesHeldBy(waiting.person);
          if (!candidate.held.empty()) reasons = eligible(candidate, session);
        }
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
  if (!kept->register_closed_at.empty()) {
    return std::unexpected(Refused(
        ErrorCode::kFailedPrecondition,
        "session '" + session.id +
            "' has taken place and its register is closed; a coordinator "
            "corrects the register, with a reason",
        "status", "register closed"));
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
  AuditWriter audit(stmts_, now, by.id);
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
  auto person = workforce_.person(request.person);
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
  const std::int64_t number = NextNumber(stmts_, "booking");
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
  AuditWriter audit(stmts_, now, by.id);
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
  AuditWriter audit(stmts_, now, by.id);
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
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("cancel", "booking", id, before, AuditJson(*booking));
  BookingChange change;
  if (held_place && session) {
    change.promotions = Promote(*session, today, eligible, audit, now, by);
  }
  change.booking = std::move(*booking);
  tx.Commit();
  return change;
}

// Registers [MISSION D3].

Register SessionsSql::ReadRegisterOf(const CourseSession& session) {
  Register reg;
  reg.session = session.id;
  reg.parts = static_cast<int>(session.parts.size());
  reg.closed_at = session.register_closed_at;
  reg.closed_by = session.register_closed_by;
  for (const auto& b : BookingsOfSession(session.id)) {
    switch (b.status) {
      case BookingStatus::kBooked:
      case BookingStatus::kAttended:
      case BookingStatus::kPartlyAttended:
      case BookingStatus::kNoShow:
        reg.entries.push_back(RegisterEntry{
            .person = b.person,
            .booking = b.id,
            .status = b.status,
            .present = std::vector<bool>(session.parts.size(), false),
            .identity_verified = false,
            .identity_evidence = {},
            .security_token = {},
            .marked_at = {},
            .marked_by = {}});
        break;
      default:
        break;
    }
  }
  std::ranges::sort(reg.entries, {}, &RegisterEntry::person);
  auto entry_of = [&](const std::string& person) -> RegisterEntry* {
    auto it = std::ranges::lower_bound(reg.entries, person, {},
                                       &RegisterEntry::person);
    return it != reg.entries.end() && it->person == person ? &*it : nullptr;
  };
  {
    stmts_.Each(
        "SELECT person_id, identity_verified, "
        "identity_evidence, security_token, marked_at, "
        "marked_by FROM register_people WHERE session_id = :s",
        {session.id}, [&](const soci::row& row) {
          RegisterEntry* e = entry_of(Text(row, 0));
          if (e == nullptr) return;  // a place given up after marking
          e->identity_verified = Integer(row, 1) != 0;
          e->identity_evidence = Text(row, 2);
          e->security_token = Text(row, 3);
          e->marked_at = Text(row, 4);
          e->marked_by = Text(row, 5);
        });
  }
  stmts_.Each(
      "SELECT person_id, part, present FROM "
      "register_attendance WHERE session_id = :s",
      {session.id}, [&](const soci::row& row) {
        RegisterEntry* e = entry_of(Text(row, 0));
        const auto part = Integer(row, 1);
        if (e == nullptr || part < 1 || part > std::ssize(e->present)) return;
        e->present[static_cast<size_t>(part - 1)] = Integer(row, 2) != 0;
      });
  return reg;
}

std::expected<CourseSession, Error> SessionsSql::RegisterSession(
    const std::string& session, RegisterState wanted) {
  auto found = FindSession(session);
  if (!found) {
    return std::unexpected(Refused(ErrorCode::kNotFound,
                                   "no session '" + session + "'", "session",
                                   "not known"));
  }
  if (wanted == RegisterState::kAny) return std::move(*found);
  if (found->status == SessionStatus::kCancelled) {
    return std::unexpected(Refused(ErrorCode::kFailedPrecondition,
                                   "session " + session + " is cancelled",
                                   "session", "cancelled"));
  }
  const bool closed = !found->register_closed_at.empty();
  if (wanted == RegisterState::kOpen && closed) {
    return std::unexpected(Refused(
        ErrorCode::kFailedPrecondition,
        "the register of session " + session + " was closed at " +
            found->register_closed_at + " by " + found->register_closed_by +
            "; a coordinator corrects it, with a reason",
        "session", "register closed"));
  }
  if (wanted == RegisterState::kClosed && !closed) {
    return std::unexpected(Refused(
        ErrorCode::kFailedPrecondition,
        "the register of session " + session + " is open: mark it instead",
        "session", "register open"));
  }
  return std::move(*found);
}

std::expected<Register, Error> SessionsSql::ReadRegister(
    const std::string& session) {
  auto found = RegisterSession(session, RegisterState::kAny);
  if (!found) return std::unexpected(found.error());
  return ReadRegisterOf(*found);
}

std::expected<RegisterEntry*, Error> SessionsSql::CheckMark(
    const CourseSession& session, Register& reg, const RegisterMark& mark) {
  auto it = std::ranges::find(reg.entries, mark.person, &RegisterEntry::person);
  if (it == reg.entries.end()) {
    return std::unexpected(
        Refused(ErrorCode::kNotFound,
                "'" + mark.person + "' holds no place on session " + session.id,
                "person", "not on the register"));
  }
  if (mark.present.size() != session.parts.size()) {
    return std::unexpected(Refused(
        ErrorCode::kInvalidArgument,
        "session " + session.id + " has " +
            std::to_string(session.parts.size()) +
            " part(s): give one attendance mark for each",
        "present", "needs " + std::to_string(session.parts.size()) + " marks"));
  }
  if (!mark.security_token.empty()) {
    if (!mark.identity_verified) {
      return std::unexpected(Refused(
          ErrorCode::kInvalidArgument,
          "a security token is handed over only once identity is verified",
          "security_token", "identity not verified"));
    }
    std::string holder;
    std::string holder_session;
    soci::indicator ind = soci::i_null;
    sql_ << "SELECT person_id, session_id FROM register_people WHERE "
            "security_token = :t AND NOT (session_id = :s AND person_id = :p)",
        soci::use(mark.security_token), soci::use(session.id),
        soci::use(mark.person), soci::into(holder, ind),
        soci::into(holder_session);
    if (sql_.got_data()) {
      return std::unexpected(Refused(ErrorCode::kAlreadyExists,
                                     "security token '" + mark.security_token +
                                         "' was issued to '" + holder +
                                         "' at session " + holder_session,
                                     "security_token", "already issued"));
    }
  }
  return &*it;
}

void SessionsSql::WriteMark(const std::string& session,
                            const RegisterMark& mark, const std::string& now,
                            const Actor& by) {
  sql_ << "DELETE FROM register_attendance WHERE session_id = :s AND "
          "person_id = :p",
      soci::use(session), soci::use(mark.person);
  sql_ << "DELETE FROM register_people WHERE session_id = :s AND person_id = "
          ":p",
      soci::use(session), soci::use(mark.person);
  const int verified = mark.identity_verified ? 1 : 0;
  sql_ << "INSERT INTO register_people (session_id, person_id, "
          "identity_verified, identity_evidence, security_token, marked_at, "
          "marked_by) VALUES (:s, :p, :v, :e, :t, :at, :by)",
      soci::use(session), soci::use(mark.person), soci::use(verified),
      soci::use(mark.identity_evidence), soci::use(mark.security_token),
      soci::use(now), soci::use(by.id);
  for (size_t i = 0; i < mark.present.size(); ++i) {
    const int part = static_cast<int>(i) + 1;
    const int present = mark.present[i] ? 1 : 0;
    sql_ << "INSERT INTO register_attendance (session_id, person_id, part, "
            "present) VALUES (:s, :p, :n, :present)",
        soci::use(session), soci::use(mark.person), soci::use(part),
        soci::use(present);
  }
}

namespace {

void Apply(RegisterEntry& entry, const RegisterMark& mark,
           const std::string& now, const Actor& by) {
  entry.present = mark.present;
  entry.identity_verified = mark.identity_verified;
  entry.identity_evidence = mark.identity_evidence;
  entry.security_token = mark.security_token;
  entry.marked_at = now;
  entry.marked_by = by.id;
}

// Where the session verifies identity, what keeps a person marked present
// from being recorded as trained; empty when nothing does.
std::string IdentityGap(const CourseSession& session,
                        const RegisterEntry& entry) {
  if (!session.verify_identity ||
      std::ranges::none_of(entry.present, std::identity()))
    return {};
  if (!entry.identity_verified) return "identity not verified";
  if (entry.security_token.empty()) return "no security token issued";
  return {};
}

std::string RegisterId(const std::string& session, const std::string& person) {
  return session + "/" + person;
}

// The id of the record a register writes: one per session, person and
// module, so closing twice, a correction, or an import of the same record
// finds the record already kept.
std::string SessionRecordId(const std::string& session,
                            const std::string& person,
                            const std::string& module) {
  return "session:" + session + ":" + person + ":" + module;
}

}  // namespace

std::vector<TrainingRecord> SessionsSql::AttendanceRecords(
    const CourseSession& session, const RegisterEntry& entry,
    const std::vector<RecordedModule>& modules, const Actor& by) {
  const BookingStatus outcome = AttendanceOutcome(entry.present);
  if (outcome == BookingStatus::kNoShow) return {};
  Date last = session.parts.front().starts.date;
  for (size_t i = 0; i < entry.present.size(); ++i) {
    if (entry.present[i]) last = session.parts[i].starts.date;
  }
  std::vector<TrainingRecord> records;
  for (const auto& m : modules) {
    TrainingRecord r;
    r.id = SessionRecordId(session.id, entry.person, m.module);
    r.person = entry.person;
    r.module = m.module;
    r.module_version = m.version;
    r.date = last;
    r.outcome = outcome == BookingStatus::kAttended
                    ? TrainingOutcome::kCompleted
                    : TrainingOutcome::kPartlyAttended;
    r.source = RecordSource::kSession;
    r.evidence =
        "register of session " + session.id + " (" + session.course + ")";
    r.recorded_by = by.id;
    records.push_back(std::move(r));
  }
  return records;
}

std::expected<RegisterEntry, Error> SessionsSql::MarkRegister(
    const std::string& session, const RegisterMark& mark, const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto found = RegisterSession(session, RegisterState::kOpen);
  if (!found) return std::unexpected(found.error());
  Register reg = ReadRegisterOf(*found);
  auto entry = CheckMark(*found, reg, mark);
  if (!entry) return std::unexpected(entry.error());
  const std::string before =
      (*entry)->marked_at.empty() ? "" : AuditJson(**entry);
  const std::string now = UtcNow();
  WriteMark(session, mark, now, by);
  Apply(**entry, mark, now, by);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("mark", "register", RegisterId(session, mark.person), before,
               AuditJson(**entry));
  tx.Commit();
  return **entry;
}

std::expected<RegisterClosing, Error> SessionsSql::CloseRegister(
    const std::string& session, const std::vector<RecordedModule>& modules,
    const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto found = RegisterSession(session, RegisterState::kOpen);
  if (!found) return std::unexpected(found.error());
  Register reg = ReadRegisterOf(*found);
  // Everyone is marked before closing: a close by mistake must not make
  // no-shows of people nobody has marked.
  Error unmarked{ErrorCode::kFailedPrecondition, "", {}};
  for (const auto& e : reg.entries) {
    if (e.marked_at.empty())
      unmarked.fields.push_back({e.person, "not marked"});
  }
  if (!unmarked.fields.empty()) {
    unmarked.message = "the register of session " + session + " has " +
                       std::to_string(unmarked.fields.size()) +
                       " people not marked; mark everyone, present or absent, "
                       "then close";
    return std::unexpected(unmarked);
  }
  Error gaps{ErrorCode::kFailedPrecondition, "", {}};
  for (const auto& e : reg.entries) {
    if (auto gap = IdentityGap(*found, e); !gap.empty()) {
      gaps.fields.push_back({e.person, gap});
    }
  }
  if (!gaps.fields.empty()) {
    gaps.message = "session " + session +
                   " verifies identity and issues security tokens; " +
                   std::to_string(gaps.fields.size()) +
                   " marked present still lack them, or mark them absent";
    return std::unexpected(gaps);
  }
  const std::string now = UtcNow();
  AuditWriter audit(stmts_, now, by.id);
  RegisterClosing closing;
  std::vector<TrainingRecord> records;
  for (auto& e : reg.entries) {
    const BookingStatus outcome = AttendanceOutcome(e.present);
    if (outcome == BookingStatus::kAttended) ++closing.attended;
    if (outcome == BookingStatus::kPartlyAttended) ++closing.partly_attended;
    if (outcome == BookingStatus::kNoShow) ++closing.no_shows;
    auto booking = FindBooking(e.booking);
    if (booking) {
      const std::string before = AuditJson(*booking);
      booking->status = outcome;
      booking->decided_at = now;
      booking->decided_by = by.id;
      WriteBooking(*booking, /*insert=*/false);
      audit.Append("attend", "booking", booking->id, before,
                   AuditJson(*booking));
    }
    e.status = outcome;
    for (auto& r : AttendanceRecords(*found, e, modules, by)) {
      closing.records.push_back(r.id);
      records.push_back(std::move(r));
    }
  }
  auto problems = workforce_.import_records(records, audit, now, by);
  if (!problems.empty()) {
    Error refused{ErrorCode::kFailedPrecondition,
                  "the register's training records clash with records kept; "
                  "nothing was closed",
                  {}};
    for (const auto& p : problems)
      refused.fields.push_back({p.value, p.reason});
    return std::unexpected(refused);
  }
  const std::string before = AuditJson(*found);
  sql_ << "UPDATE course_sessions SET status = 'closed', register_closed_at "
          "= :at, register_closed_by = :by, changed_at = :at2, changed_by = "
          ":by2 WHERE id = :id",
      soci::use(now), soci::use(by.id), soci::use(now), soci::use(by.id),
      soci::use(session);
  CourseSession after = *found;
  after.status = SessionStatus::kClosed;
  after.register_closed_at = now;
  after.register_closed_by = by.id;
  audit.Append("close-register", "session", session, before, AuditJson(after));
  tx.Commit();
  return closing;
}

std::expected<RegisterEntry, Error> SessionsSql::CorrectRegister(
    const std::string& session, const RegisterMark& mark,
    const std::string& reason, const std::vector<RecordedModule>& modules,
    const Actor& by) {
  if (reason.empty()) {
    return std::unexpected(Refused(ErrorCode::kInvalidArgument,
                                   "a correction to a closed register needs "
                                   "a reason",
                                   "reason", "is required"));
  }
  Transaction tx(sql_, dialect_.begin_write);
  auto found = RegisterSession(session, RegisterState::kClosed);
  if (!found) return std::unexpected(found.error());
  Register reg = ReadRegisterOf(*found);
  auto checked = CheckMark(*found, reg, mark);
  if (!checked) return std::unexpected(checked.error());
  RegisterEntry& entry = **checked;
  RegisterEntry after = entry;
  const std::string now = UtcNow();
  Apply(after, mark, now, by);
  after.status = AttendanceOutcome(after.present);
  if (auto gap = IdentityGap(*found, after); !gap.empty()) {
    return std::unexpected(
        Refused(ErrorCode::kFailedPrecondition,
                "session " + session +
                    " verifies identity and issues security tokens: " + gap,
                mark.person, gap));
  }
  AuditWriter audit(stmts_, now, by.id);
  WriteMark(session, mark, now, by);
  if (auto booking = FindBooking(entry.booking);
      booking && booking->status != after.status) {
    const std::string before = AuditJson(*booking);
    booking->status = after.status;
    booking->decided_at = now;
    booking->decided_by = by.id;
    booking->note = "register corrected: " + reason;
    WriteBooking(*booking, /*insert=*/false);
    audit.Append("correct", "booking", booking->id, before,
                 AuditJson(*booking));
  }
  // Each module's record follows the corrected attendance: the record in
  // force is superseded when it says otherwise; none kept yet is added.
  const auto wanted = AttendanceRecords(*found, after, modules, by);
  for (const auto& m : modules) {
    const std::string base = SessionRecordId(session, entry.person, m.module);
    auto current = workforce_.record(base);
    while (current) {
      std::string later;
      soci::indicator ind = soci::i_null;
      sql_ << "SELECT id FROM training_records WHERE supersedes = :id",
          soci::use(current->id), soci::into(later, ind);
      if (!sql_.got_data()) break;
      current = workforce_.record(later);
    }
    auto want = std::ranges::find(wanted, m.module, &TrainingRecord::module);
    if (!current) {
      if (want == wanted.end()) continue;
      auto problems = workforce_.import_records({*want}, audit, now, by);
      if (!problems.empty()) {
        return std::unexpected(Refused(ErrorCode::kFailedPrecondition,
                                       problems.front().reason, "record",
                                       problems.front().value));
      }
      continue;
    }
    TrainingRecord replacement = *current;
    if (want == wanted.end()) {
      if (current->outcome == TrainingOutcome::kWithdrawn) continue;
      replacement.outcome = TrainingOutcome::kWithdrawn;
    } else {
      if (current->outcome == want->outcome && current->date == want->date) {
        continue;
      }
      replacement.outcome = want->outcome;
      replacement.date = want->date;
    }
    workforce_.supersede(
        *current, replacement,
        "register of session " + session + " corrected: " + reason, audit, now,
        by);
  }
  nlohmann::json changed = nlohmann::json::parse(AuditJson(after));
  changed["reason"] = reason;
  audit.Append("correct", "register", RegisterId(session, mark.person),
               AuditJson(entry), changed.dump());
  tx.Commit();
  return after;
}

}  // namespace trellis::store_internal
