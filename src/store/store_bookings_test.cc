// The repository tests for accounts, the audit trail, venues, sessions and
// bookings, run against every backend like store_test.cc. The booking rules
// that matter most are here: never more booked than seats, whatever the
// concurrency; the waiting list promoted first come, first served, with each
// person's eligibility checked again; places held for a priority group.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

const Actor kCoordinator{"coordinator@example.org"};
const Date kToday = Day(2026, 11, 30);

LocalTime At(int year, unsigned month, unsigned day, int hour, int minute) {
  return LocalTime{Day(year, month, day), hour * 60 + minute};
}

// An area of one organisation and `people` people, P001..., of whom the first
// `priority` are ContactPoint users (the priority group of [000 §2]; the
// booking's caller judges who is in it).
Workforce Area(int people, int priority = 0) {
  Workforce area;
  Organisation org;
  org.id = "NCC";
  org.name = "Newcastle City Council";
  org.sector = "social-family-community-support";
  org.type = "Local authority";
  org.case_management_system = "Care First";
  org.locality = "City";
  area.organisations.push_back(org);
  for (int i = 1; i <= people; ++i) {
    Person p;
    std::string number = std::to_string(i);
    number.insert(0, 3 - std::min<size_t>(3, number.size()), '0');
    p.id = "P" + number;
    p.name = "Person " + number;
    p.email = "p" + number + "@ncc.example.org";
    p.organisation = "NCC";
    p.audiences = {"practitioners"};
    if (i <= priority) p.audiences.push_back("contactpoint-users");
    p.locality = "City";
    area.people.push_back(p);
  }
  return area;
}

// Runs one statement on the database behind `url` as another program would:
// the way an intruder with the database's password edits a row.
std::string RunRawSql(const DatabaseUrl& url, const std::string& sql) {
  if (url.kind == DatabaseUrl::Kind::kSqlite) {
    sqlite3* db = nullptr;
    if (sqlite3_open(url.target.c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      return "cannot open";
    }
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error ? error : "failed");
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
  }
  PGconn* conn = PQconnectdb(url.target.c_str());
  std::string message;
  if (PQstatus(conn) != CONNECTION_OK) {
    message = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK &&
        PQresultStatus(r) != PGRES_TUPLES_OK) {
      message = PQerrorMessage(conn);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return message;
}

class BookingStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { url_ = GetParam().fresh(dir_.path()); }

  std::unique_ptr<Store> MustOpen() {
    auto store = OpenStore(url_, OpenMode::kCreate);
    EXPECT_TRUE(store.has_value()) << Describe(store);
    if (!store) return nullptr;
    return std::move(*store);
  }

  // A database holding Area(people, priority), a venue with a room of
  // `seats` places and a second room, and trainers T1 and T2 (people too).
  std::unique_ptr<Store> MustOpenArea(int people, int seats = 14,
                                      int priority = 0) {
    auto store = MustOpen();
    if (!store) return nullptr;
    Workforce area = Area(people, priority);
    for (const char* trainer : {"T1", "T2"}) {
      Person t;
      t.id = trainer;
      t.name = std::string("Trainer ") + trainer;
      t.email = std::string(trainer) + "@ncc.example.org";
      t.organisation = "NCC";
      t.audiences = {"trainers"};
      t.locality = "City";
      area.people.push_back(t);
    }
    auto filled = store->Fill(area, kCoordinator);
    EXPECT_TRUE(filled.has_value()) << Describe(filled);
    auto venue = store->AddVenue(
        Venue{"civic", "Civic Centre", "Barras Bridge", "", {}}, kCoordinator);
    EXPECT_TRUE(venue.has_value()) << Describe(venue);
    for (const Room& room :
         {Room{"civic-it", "civic", "IT suite 1", seats, true, "step-free"},
          Room{"civic-2", "civic", "Room 2", 30, false, ""}}) {
      auto added = store->AddRoom(room, kCoordinator);
      EXPECT_TRUE(added.has_value()) << Describe(added);
    }
    return store;
  }

  // An open session in the IT suite on 1 December, 09:30 to 12:30.
  static CourseSession OpenSession(int seats = 0) {
    CourseSession s;
    s.course = "cp-end-user";
    s.status = SessionStatus::kOpen;
    s.room = "civic-it";
    s.seats = seats;
    s.parts = {{At(2026, 12, 1, 9, 30), At(2026, 12, 1, 12, 30)}};
    s.trainers = {"T1"};
    return s;
  }

  static BookingRequest Request(const std::string& session,
                                const std::string& person) {
    return BookingRequest{.session = session,
                          .person = person,
                          .nominated = false,
                          .approved = true,
                          .today = kToday};
  }

  TempDir dir_;
  DatabaseUrl url_;
};

TEST_P(BookingStoreTest, AccountsAreAddedOnceAndFoundByEmail) {
  auto store = MustOpenArea(2);
  ASSERT_NE(store, nullptr);
  User ann{"",   "ann@ncc.example.org", "Ann", UserRole::kLearner, "P001", "",
           false};
  auto added = store->AddUser(ann, "$argon2id$hash", kCoordinator);
  ASSERT_TRUE(added.has_value()) << Describe(added);
  EXPECT_EQ(added->id, "U000001");

  auto again = store->AddUser(ann, "", kCoordinator);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);

  User ghost{"",   "ghost@example.org", "Ghost", UserRole::kLearner, "P999", "",
             false};
  auto unknown = store->AddUser(ghost, "", kCoordinator);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().fields.at(0).field, "person");

  // A manager without their person, or a lead without their organisation,
  // would have a role that reaches no one.
  User manager{"", "m@example.org", "M", UserRole::kManager, "", "", false};
  auto no_team = store->AddUser(manager, "", kCoordinator);
  ASSERT_FALSE(no_team.has_value());
  EXPECT_EQ(no_team.error().fields.at(0).field, "person");
  User lead{"",   "l@example.org", "L", UserRole::kOrganisationLead, "", "",
            false};
  auto no_org = store->AddUser(lead, "", kCoordinator);
  ASSERT_FALSE(no_org.has_value());
  EXPECT_EQ(no_org.error().fields.at(0).field, "organisation");

  auto found = store->FindUserByEmail("ann@ncc.example.org");
  ASSERT_TRUE(found.has_value()) << Describe(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->first.role, UserRole::kLearner);
  EXPECT_EQ((*found)->first.person, "P001");
  EXPECT_EQ((*found)->second, "$argon2id$hash");
  auto nobody = store->FindUserByEmail("bob@ncc.example.org");
  ASSERT_TRUE(nobody.has_value());
  EXPECT_FALSE(nobody->has_value());
}

TEST_P(BookingStoreTest, ARevokedTokenIsNoLongerFound) {
  auto store = MustOpenArea(1);
  ASSERT_NE(store, nullptr);
  auto user = store->AddUser(User{"", "hr@example.org", "HR feed",
                                  UserRole::kCoordinator, "", "", false},
                             "", kCoordinator);
  ASSERT_TRUE(user.has_value()) << Describe(user);
  ApiToken token{"T0123456789ab", user->id, "HR nightly import", "", ""};
  ASSERT_TRUE(store->AddApiToken(token, std::string(64, 'a'), kCoordinator));
  auto found = store->FindApiToken(token.id);
  ASSERT_TRUE(found.has_value() && found->has_value()) << Describe(found);
  EXPECT_EQ((*found)->first.user, user->id);
  EXPECT_EQ((*found)->second, std::string(64, 'a'));
  ASSERT_TRUE(store->RevokeApiToken(token.id, kCoordinator));
  auto revoked = store->FindApiToken(token.id);
  ASSERT_TRUE(revoked.has_value());
  EXPECT_FALSE(revoked->has_value());
  auto twice = store->RevokeApiToken(token.id, kCoordinator);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kNotFound);
}

// Who holds a place on a session not yet over: booked places only, on
// sessions not cancelled, ending after the time asked about; the session's
// last part is when it ends.
TEST_P(BookingStoreTest, PlacesHeldAreBookedPlacesOnSessionsNotYetOver) {
  auto store = MustOpenArea(3);
  ASSERT_NE(store, nullptr);
  CourseSession two_days = OpenSession();
  two_days.parts.push_back({At(2026, 12, 2, 9, 30), At(2026, 12, 2, 12, 30)});
  auto session = store->AddSession(two_days, kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);
  for (const char* person : {"P001", "P002", "P003"}) {
    ASSERT_TRUE(
        store->RequestBooking(Request(session->id, person), kCoordinator));
  }
  auto bookings = store->BookingsOfSession(session->id);
  ASSERT_TRUE(bookings.has_value());
  ASSERT_TRUE(store->CancelBooking(bookings->at(1).id, false, "ill", kToday,
                                   nullptr, kCoordinator));

  auto held = store->PlacesHeld(At(2026, 12, 1, 13, 0));
  ASSERT_TRUE(held.has_value()) << Describe(held);
  ASSERT_EQ(held->size(), 2U);
  EXPECT_EQ(held->at(0).person, "P001");
  EXPECT_EQ(held->at(1).person, "P003");
  EXPECT_EQ(held->at(0).place.session, session->id);
  EXPECT_EQ(held->at(0).place.course, "cp-end-user");
  EXPECT_EQ(held->at(0).place.ends, At(2026, 12, 2, 12, 30));

  auto over = store->PlacesHeld(At(2026, 12, 2, 12, 30));
  ASSERT_TRUE(over.has_value()) << Describe(over);
  EXPECT_TRUE(over->empty());
}

TEST_P(BookingStoreTest, EveryChangeIsInTheAuditTrailWithWhoAndBeforeAfter) {
  auto store = MustOpenArea(2);
  ASSERT_NE(store, nullptr);
  auto session = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);
  auto booking = store->RequestBooking(Request(session->id, "P001"),
                                       Actor{"ann@ncc.example.org"});
  ASSERT_TRUE(booking.has_value()) << Describe(booking);
  auto cancelled = store->CancelBooking(booking->id, false, "ill", kToday,
                                        nullptr, Actor{"ann@ncc.example.org"});
  ASSERT_TRUE(cancelled.has_value()) << Describe(cancelled);

  auto trail = store->AuditTrail("booking", booking->id, 0, 10);
  ASSERT_TRUE(trail.has_value()) << Describe(trail);
  ASSERT_EQ(trail->size(), 2U);
  EXPECT_EQ((*trail)[0].action, "add");
  EXPECT_EQ((*trail)[0].actor, "ann@ncc.example.org");
  EXPECT_EQ((*trail)[0].before, "");
  EXPECT_THAT((*trail)[0].after, HasSubstr("\"status\":\"booked\""));
  EXPECT_EQ((*trail)[1].action, "cancel");
  EXPECT_THAT((*trail)[1].before, HasSubstr("\"status\":\"booked\""));
  EXPECT_THAT((*trail)[1].after, HasSubstr("\"status\":\"cancelled\""));
  EXPECT_EQ((*trail)[1].prev_hash, (*trail)[0].hash);

  auto verified = store->VerifyAudit();
  ASSERT_TRUE(verified.has_value()) << Describe(verified);
  EXPECT_EQ(verified->first_broken, 0) << verified->problem;
  // The area (2 + 2 people, 1 organisation), a venue, two rooms, a session,
  // a booking and its cancellation.
  EXPECT_EQ(verified->entries, 11);
}

TEST_P(BookingStoreTest, AnEditedOrRemovedAuditEntryIsNamedByVerify) {
  auto store = MustOpenArea(3);
  ASSERT_NE(store, nullptr);
  auto clean = store->VerifyAudit();
  ASSERT_TRUE(clean.has_value()) << Describe(clean);
  ASSERT_EQ(clean->first_broken, 0);
  ASSERT_GE(clean->entries, 6);

  // Someone rewrites who made entry 3.
  ASSERT_EQ(RunRawSql(url_,
                      "UPDATE audit_log SET actor = 'someone-else' "
                      "WHERE seq = 3"),
            "");
  auto edited = store->VerifyAudit();
  ASSERT_TRUE(edited.has_value()) << Describe(edited);
  EXPECT_EQ(edited->first_broken, 3);
  EXPECT_THAT(edited->problem, HasSubstr("edited"));

  // Put it back, then remove entry 5 instead.
  ASSERT_EQ(RunRawSql(url_, "UPDATE audit_log SET actor = '" + kCoordinator.id +
                                "' WHERE seq = 3"),
            "");
  ASSERT_EQ(store->VerifyAudit()->first_broken, 0);
  ASSERT_EQ(RunRawSql(url_, "DELETE FROM audit_log WHERE seq = 5"), "");
  auto removed = store->VerifyAudit();
  ASSERT_TRUE(removed.has_value()) << Describe(removed);
  EXPECT_EQ(removed->first_broken, 6);
  EXPECT_THAT(removed->problem, HasSubstr("removed"));
}

TEST_P(BookingStoreTest, ARoomOrATrainerInTwoSessionsAtOnceIsRefused) {
  auto store = MustOpenArea(1);
  ASSERT_NE(store, nullptr);
  auto first = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(first.has_value()) << Describe(first);
  EXPECT_EQ(first->id, "S000001");
  EXPECT_EQ(first->seats, 14) << "seats default to the room's";

  // Same room, overlapping by half an hour, another trainer.
  CourseSession room_clash = OpenSession();
  room_clash.trainers = {"T2"};
  room_clash.parts = {{At(2026, 12, 1, 12, 0), At(2026, 12, 1, 16, 0)}};
  auto refused = store->AddSession(room_clash, kCoordinator);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(refused.error().message, HasSubstr("S000001"));
  EXPECT_EQ(refused.error().fields.at(0).field, "room");

  // Another room, same trainer.
  CourseSession trainer_clash = room_clash;
  trainer_clash.room = "civic-2";
  trainer_clash.trainers = {"T1"};
  auto busy = store->AddSession(trainer_clash, kCoordinator);
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().fields.at(0).field, "trainers");

  // Back to back is no clash: T1 goes on to Room 2 at 12:30.
  CourseSession afternoon = OpenSession();
  afternoon.room = "civic-2";
  afternoon.parts = {{At(2026, 12, 1, 12, 30), At(2026, 12, 1, 16, 0)}};
  EXPECT_TRUE(store->AddSession(afternoon, kCoordinator).has_value());

  // A cancelled session frees its room and trainer.
  CourseSession cancelled = *first;
  cancelled.status = SessionStatus::kCancelled;
  auto update = store->UpdateSession(cancelled, nullptr, kCoordinator);
  ASSERT_TRUE(update.has_value()) << Describe(update);
  auto freed = store->AddSession(room_clash, kCoordinator);
  EXPECT_TRUE(freed.has_value()) << Describe(freed);
}

TEST_P(BookingStoreTest, ASessionIsCheckedBeforeItIsKept) {
  auto store = MustOpenArea(1);
  ASSERT_NE(store, nullptr);
  CourseSession too_big = OpenSession(15);
  auto refused = store->AddSession(too_big, kCoordinator);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.at(0).field, "seats");

  CourseSession backwards = OpenSession();
  backwards.parts = {{At(2026, 12, 1, 12, 0), At(2026, 12, 1, 9, 0)}};
  EXPECT_EQ(
      store->AddSession(backwards, kCoordinator).error().fields.at(0).field,
      "parts[0]");

  CourseSession nowhere = OpenSession();
  nowhere.room = "attic";
  EXPECT_EQ(store->AddSession(nowhere, kCoordinator).error().code,
            ErrorCode::kNotFound);

  CourseSession ghost_trainer = OpenSession();
  ghost_trainer.trainers = {"T9"};
  EXPECT_EQ(
      store->AddSession(ghost_trainer, kCoordinator).error().fields.at(0).field,
      "trainers");
  auto count = store->ListSessions(SessionFilter{});
  ASSERT_TRUE(count.has_value());
  EXPECT_THAT(*count, IsEmpty());
}

TEST_P(BookingStoreTest, AFullSessionQueuesAndAFreedPlaceGoesToTheFirstInLine) {
  auto store = MustOpenArea(5, /*seats=*/3);
  ASSERT_NE(store, nullptr);
  auto session = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);
  std::vector<Booking> bookings;
  for (const char* person : {"P001", "P002", "P003", "P004", "P005"}) {
    auto b = store->RequestBooking(Request(session->id, person), kCoordinator);
    ASSERT_TRUE(b.has_value()) << Describe(b);
    bookings.push_back(*b);
  }
  EXPECT_EQ(bookings[2].status, BookingStatus::kBooked);
  EXPECT_EQ(bookings[3].status, BookingStatus::kWaiting);
  EXPECT_EQ(bookings[4].status, BookingStatus::kWaiting);

  auto twice =
      store->RequestBooking(Request(session->id, "P004"), kCoordinator);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);

  auto change = store->CancelBooking(bookings[0].id, /*late=*/true, "", kToday,
                                     nullptr, kCoordinator);
  ASSERT_TRUE(change.has_value()) << Describe(change);
  EXPECT_TRUE(change->booking.late_cancellation);
  ASSERT_EQ(change->promotions.promoted.size(), 1U);
  EXPECT_EQ(change->promotions.promoted[0].person, "P004");
  auto counts = store->CountBookings(session->id);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->booked, 3);
  EXPECT_EQ(counts->waiting, 1);

  auto told = store->NotificationsOf("P004", {.limit = 10});
  ASSERT_TRUE(told.has_value());
  ASSERT_EQ(told->size(), 1U);
  EXPECT_THAT(told->front().text, HasSubstr("you are booked"));

  // A waiting booking cancelled frees no place and is never late.
  auto leave = store->CancelBooking(bookings[4].id, true, "", kToday, nullptr,
                                    kCoordinator);
  ASSERT_TRUE(leave.has_value());
  EXPECT_FALSE(leave->booking.late_cancellation);
  EXPECT_THAT(leave->promotions.promoted, IsEmpty());
}

TEST_P(BookingStoreTest, PromotionChecksEligibilityAgainAndPassesOver) {
  auto store = MustOpenArea(4, /*seats=*/2);
  ASSERT_NE(store, nullptr);
  auto session = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);
  std::vector<Booking> bookings;
  for (const char* person : {"P001", "P002", "P003", "P004"}) {
    bookings.push_back(
        *store->RequestBooking(Request(session->id, person), kCoordinator));
  }
  // P003 has lost an enhanced DBS check since asking.
  EligibilityCheck eligible = [](const Candidate& c, const CourseSession&) {
    return c.person.id == "P003"
               ? std::vector<std::string>{"enhanced DBS expired"}
               : std::vector<std::string>{};
  };
  auto change = store->CancelBooking(bookings[1].id, false, "", kToday,
                                     eligible, kCoordinator);
  ASSERT_TRUE(change.has_value()) << Describe(change);
  ASSERT_EQ(change->promotions.promoted.size(), 1U);
  EXPECT_EQ(change->promotions.promoted[0].person, "P004");
  ASSERT_EQ(change->promotions.passed_over.size(), 1U);
  EXPECT_EQ(change->promotions.passed_over[0].person, "P003");
  auto p3 = store->FindBooking(bookings[2].id);
  ASSERT_TRUE(p3.has_value() && p3->has_value());
  EXPECT_EQ((*p3)->status, BookingStatus::kWaiting);
  EXPECT_THAT((*p3)->note, HasSubstr("enhanced DBS expired"));

  // More places later: P003, still ineligible, stays; nobody else waits.
  CourseSession bigger = *session;
  bigger.room = "civic-2";
  bigger.seats = 4;
  auto more = store->UpdateSession(bigger, eligible, kCoordinator);
  ASSERT_TRUE(more.has_value()) << Describe(more);
  EXPECT_THAT(more->promoted, IsEmpty());
  // Eligible now: the next freed or added place is theirs.
  bigger.seats = 3;
  auto fixed = store->UpdateSession(bigger, nullptr, kCoordinator);
  ASSERT_TRUE(fixed.has_value()) << Describe(fixed);
  ASSERT_EQ(fixed->promoted.size(), 1U);
  EXPECT_EQ(fixed->promoted[0].person, "P003");
}

TEST_P(BookingStoreTest,
       ReservedPlacesAreHeldForThePriorityGroupUntilTheirDate) {
  // P001 and P002 are ContactPoint users; P003-P006 are not.
  auto store = MustOpenArea(6, /*seats=*/4, /*priority=*/2);
  ASSERT_NE(store, nullptr);
  CourseSession s = OpenSession();
  s.reserved_seats = 2;
  s.reserved_for = "contactpoint-users-first";
  s.reserved_until = Day(2026, 11, 30);
  auto session = store->AddSession(s, kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);

  std::map<std::string, BookingStatus> status;
  for (const char* person : {"P003", "P004", "P005", "P001"}) {
    BookingRequest ask = Request(session->id, person);
    ask.priority = std::string(person) <= "P002";
    auto b = store->RequestBooking(ask, kCoordinator);
    ASSERT_TRUE(b.has_value()) << Describe(b);
    status[person] = b->status;
  }
  EXPECT_EQ(status["P003"], BookingStatus::kBooked);
  EXPECT_EQ(status["P004"], BookingStatus::kBooked);
  EXPECT_EQ(status["P005"], BookingStatus::kWaiting) << "two places held";
  EXPECT_EQ(status["P001"], BookingStatus::kBooked) << "priority group";

  // After the date the held place is released to whoever asks.
  BookingRequest late = Request(session->id, "P006");
  late.today = Day(2026, 12, 1);
  auto after = store->RequestBooking(late, kCoordinator);
  ASSERT_TRUE(after.has_value()) << Describe(after);
  EXPECT_EQ(after->status, BookingStatus::kBooked);
}

TEST_P(BookingStoreTest, ARequestWaitsForTheManagerThenTakesAPlace) {
  auto store = MustOpenArea(2, /*seats=*/1);
  ASSERT_NE(store, nullptr);
  CourseSession s = OpenSession();
  s.approval_required = true;
  auto session = store->AddSession(s, kCoordinator);
  ASSERT_TRUE(session.has_value());
  BookingRequest ask = Request(session->id, "P001");
  ask.approved = false;
  auto requested = store->RequestBooking(ask, Actor{"p001@ncc.example.org"});
  ASSERT_TRUE(requested.has_value()) << Describe(requested);
  EXPECT_EQ(requested->status, BookingStatus::kRequested);
  auto counts = store->CountBookings(session->id);
  EXPECT_EQ(counts->booked, 0) << "a request holds no place";

  auto approved = store->DecideBooking(requested->id, true, "", kToday,
                                       Actor{"manager@ncc.example.org"});
  ASSERT_TRUE(approved.has_value()) << Describe(approved);
  EXPECT_EQ(approved->status, BookingStatus::kBooked);
  auto again = store->DecideBooking(requested->id, false, "", kToday,
                                    Actor{"manager@ncc.example.org"});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);

  ask.person = "P002";
  auto second = store->RequestBooking(ask, Actor{"p002@ncc.example.org"});
  ASSERT_TRUE(second.has_value());
  auto declined =
      store->DecideBooking(second->id, false, "not this term", kToday,
                           Actor{"manager@ncc.example.org"});
  ASSERT_TRUE(declined.has_value());
  EXPECT_EQ(declined->status, BookingStatus::kDeclined);
  auto told = store->NotificationsOf("P002", {.limit = 5});
  ASSERT_TRUE(told.has_value() && !told->empty());
  EXPECT_THAT(told->front().text, HasSubstr("not this term"));
}

TEST_P(BookingStoreTest, OnlyAnOpenSessionTakesBookings) {
  auto store = MustOpenArea(1);
  ASSERT_NE(store, nullptr);
  CourseSession s = OpenSession();
  s.status = SessionStatus::kPlanned;
  auto session = store->AddSession(s, kCoordinator);
  ASSERT_TRUE(session.has_value());
  auto refused =
      store->RequestBooking(Request(session->id, "P001"), kCoordinator);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  auto missing =
      store->RequestBooking(Request("S999999", "P001"), kCoordinator);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(BookingStoreTest, CancellingASessionCancelsItsBookingsAndTellsEveryone) {
  auto store = MustOpenArea(3, /*seats=*/2);
  ASSERT_NE(store, nullptr);
  auto session = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(session.has_value());
  for (const char* person : {"P001", "P002", "P003"}) {
    ASSERT_TRUE(
        store->RequestBooking(Request(session->id, person), kCoordinator));
  }
  CourseSession cancelled = *session;
  cancelled.status = SessionStatus::kCancelled;
  ASSERT_TRUE(store->UpdateSession(cancelled, nullptr, kCoordinator));
  auto bookings = store->BookingsOfSession(session->id);
  ASSERT_TRUE(bookings.has_value());
  for (const auto& b : *bookings) {
    EXPECT_EQ(b.status, BookingStatus::kCancelled) << b.id;
    EXPECT_FALSE(store->NotificationsOf(b.person, {.limit = 5})->empty())
        << b.person;
  }
  CourseSession reopened = cancelled;
  reopened.status = SessionStatus::kOpen;
  EXPECT_EQ(store->UpdateSession(reopened, nullptr, kCoordinator).error().code,
            ErrorCode::kFailedPrecondition);
}

// The invariant of MISSION D2: 200 people ask at once for 14 places over 20
// connections, as a server's workers would (each connection asks for ten in
// turn); exactly 14 are booked and the rest wait, in the order their requests
// were taken. Two hundred connections all writing at once would outwait
// SQLite's 10-second busy timeout on a slow machine; a server never holds
// that many (api_test.cc sends 200 requests at once through its workers).
TEST_P(BookingStoreTest, TwoHundredAtOnceForFourteenPlacesBookFourteen) {
  constexpr int kPeople = 200;
  auto store = MustOpenArea(kPeople, /*seats=*/14);
  ASSERT_NE(store, nullptr);
  auto session = store->AddSession(OpenSession(), kCoordinator);
  ASSERT_TRUE(session.has_value()) << Describe(session);

  std::atomic<int> ready = 0;
  std::atomic<bool> go = false;
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  constexpr int kConnections = 20;
  std::vector<std::thread> threads;
  threads.reserve(kConnections);
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      auto own = OpenStore(url_, OpenMode::kExisting);
      ++ready;
      while (!go) std::this_thread::yield();
      for (int i = c + 1; i <= kPeople; i += kConnections) {
        std::string number = std::to_string(i);
        number.insert(0, 3 - number.size(), '0');
        std::string error;
        if (!own) {
          error = Describe(own);
        } else {
          auto b = (*own)->RequestBooking(Request(session->id, "P" + number),
                                          Actor{"p" + number});
          if (!b) error = Describe(b);
        }
        if (!error.empty()) {
          std::scoped_lock lock(errors_mutex);
          errors.push_back(error);
        }
      }
    });
  }
  while (ready < kConnections) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_THAT(errors, IsEmpty());

  auto bookings = store->BookingsOfSession(session->id);
  ASSERT_TRUE(bookings.has_value()) << Describe(bookings);
  ASSERT_EQ(bookings->size(), static_cast<size_t>(kPeople));
  int booked = 0;
  int waiting = 0;
  std::int64_t last_queued = 0;
  for (const auto& b : *bookings) {
    EXPECT_GT(b.queued, last_queued) << "one place in the queue each";
    last_queued = b.queued;
    if (b.status == BookingStatus::kBooked) {
      ++booked;
      EXPECT_EQ(waiting, 0) << b.id << " booked after someone had to wait";
    } else {
      EXPECT_EQ(b.status, BookingStatus::kWaiting) << b.id;
      ++waiting;
    }
  }
  EXPECT_EQ(booked, 14);
  EXPECT_EQ(waiting, kPeople - 14);
}

TEST_P(BookingStoreTest, AnIdempotencyKeyIsClaimedOnceAndAnswersAgain) {
  auto store = MustOpen();
  ASSERT_NE(store, nullptr);
  auto first = store->ClaimKey("U000001", "k-1", "POST /x abc");
  ASSERT_TRUE(first.has_value()) << Describe(first);
  EXPECT_FALSE(first->has_value());
  auto pending = store->ClaimKey("U000001", "k-1", "POST /x abc");
  ASSERT_TRUE(pending.has_value() && pending->has_value());
  EXPECT_EQ((*pending)->status, 0);
  ASSERT_TRUE(store->KeepResponse("U000001", "k-1", 201, "{\"id\":\"B1\"}"));
  auto kept = store->ClaimKey("U000001", "k-1", "POST /x abc");
  ASSERT_TRUE(kept.has_value() && kept->has_value());
  EXPECT_EQ((*kept)->status, 201);
  EXPECT_EQ((*kept)->body, "{\"id\":\"B1\"}");
  // Another user's key of the same name is theirs alone.
  auto other = store->ClaimKey("U000002", "k-1", "POST /x abc");
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->has_value());
  // A failed request's claim is released, so it may be sent again.
  ASSERT_TRUE(store->ReleaseKey("U000002", "k-1"));
  EXPECT_FALSE(store->ClaimKey("U000002", "k-1", "POST /x abc")->has_value());
}

INSTANTIATE_TEST_SUITE_P(, BookingStoreTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param.name;
                         });

}  // namespace
}  // namespace trellis
