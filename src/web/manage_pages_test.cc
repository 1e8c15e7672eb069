// The coordinator's pages, as a browser without JavaScript uses them:
// scheduling and changing sessions, a session's bookings, register
// corrections, venues and rooms, imports and readiness. Each change is
// checked in the store, and each refusal changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/import.h"
#include "web/site_test_support.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

std::vector<CourseSession> Sessions(Store& store) {
  SessionFilter filter;
  filter.window = ListWindow{.limit = 100, .offset = 0};
  auto sessions = store.ListSessions(filter);
  EXPECT_TRUE(sessions.has_value());
  return sessions.value_or(std::vector<CourseSession>{});
}

TEST_F(SiteTest, ACoordinatorSchedulesAndChangesASessionByForm) {
  const std::string learner = SignIn("learner");
  EXPECT_EQ(Get("/sessions/new", learner).status, 403);

  const std::string cookie = SignIn("coordinator");
  auto blank = Get("/sessions/new?date=2027-01-14", cookie);
  ASSERT_EQ(blank.status, 200) << blank.body;
  EXPECT_THAT(blank.body, HasSubstr("Schedule a session</h1>"));
  EXPECT_THAT(
      blank.body,
      HasSubstr(
          R"(name="part1-day" type="text" inputmode="numeric" value="14")"));
  EXPECT_THAT(
      blank.body,
      HasSubstr(
          R"(<option value="it1">IT suite (12 places, IT suite)</option>)"));
  const std::string token = TokenOf(blank.body);
  ASSERT_FALSE(token.empty());

  // Nothing chosen: each missing field named, nothing scheduled.
  auto empty =
      Post("/sessions/new", "csrf_token=" + token + "&status=open", cookie);
  EXPECT_EQ(empty.status, 400);
  EXPECT_THAT(empty.body,
              HasSubstr(R"(<a href="#course">Choose the course</a>)"));
  EXPECT_THAT(empty.body, HasSubstr(R"(<a href="#room">Choose the room</a>)"));
  EXPECT_THAT(empty.body, HasSubstr(R"(<a href="#part1-day">)"));
  EXPECT_TRUE(Sessions(*store_).empty());

  const std::string fields = "csrf_token=" + token + "&course=" + course_.id +
                             "&room=it1&trainer=PT&status=open";
  // Part 1 on 14 January 2027 from `starts` to `ends` (as typed).
  auto on_14th = [](const std::string& starts, const std::string& ends) {
    return "&part1-day=14&part1-month=1&part1-year=2027&part1-starts=" +
           starts + "&part1-ends=" + ends;
  };
  const std::string when = on_14th("9%3A30", "12%3A30");
  auto bad_time =
      Post("/sessions/new", fields + on_14th("25%3A00", "12%3A30"), cookie);
  EXPECT_EQ(bad_time.status, 400);
  EXPECT_THAT(bad_time.body, HasSubstr(R"(<a href="#part1-starts">)"));
  EXPECT_THAT(bad_time.body, HasSubstr(R"(value="25:00")")) << "kept as typed";
  EXPECT_EQ(Post("/sessions/new", "csrf_token=forged" + when, cookie).status,
            403);
  EXPECT_TRUE(Sessions(*store_).empty());

  auto scheduled = Post("/sessions/new", fields + when, cookie);
  ASSERT_EQ(scheduled.status, 303) << scheduled.body;
  auto sessions = Sessions(*store_);
  ASSERT_EQ(sessions.size(), 1U);
  const CourseSession& s = sessions.front();
  EXPECT_EQ(scheduled.headers["location"],
            "/sessions/" + s.id + "?done=scheduled");
  EXPECT_EQ(s.seats, 12) << "blank places: the room's seats";
  EXPECT_EQ(s.status, SessionStatus::kOpen);
  EXPECT_EQ(s.trainers, std::vector<std::string>{"PT"});
  ASSERT_EQ(s.parts.size(), 1U);
  EXPECT_EQ(s.parts[0].starts, (LocalTime{Day(2027, 1, 14), 9 * 60 + 30}));
  EXPECT_EQ(s.parts[0].ends, (LocalTime{Day(2027, 1, 14), 12 * 60 + 30}));
  EXPECT_EQ(s.changed_by, "coordinator@example.org") << "attributed";
  auto page = Get(scheduled.headers["location"], cookie);
  EXPECT_THAT(page.body, HasSubstr("The session is scheduled."));
  EXPECT_THAT(page.body, HasSubstr("href=\"/sessions/" + s.id + "/edit\""));

  // The same room at an overlapping time: said at the room, nothing added.
  auto clash =
      Post("/sessions/new", fields + on_14th("11%3A00", "15%3A00"), cookie);
  EXPECT_EQ(clash.status, 409);
  EXPECT_THAT(
      clash.body,
      HasSubstr(R"(<a href="#room">Room &apos;it1&apos; is taken by session)"));
  EXPECT_EQ(Sessions(*store_).size(), 1U);

  // Changing it: the form comes filled in; fewer places are saved.
  auto edit = Get("/sessions/" + s.id + "/edit", cookie);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_THAT(
      edit.body,
      HasSubstr(
          R"(name="part1-starts" type="text" inputmode="decimal" value="9:30")"));
  EXPECT_THAT(edit.body, HasSubstr(R"(value="PT" checked)"));
  EXPECT_EQ(Get("/sessions/" + s.id + "/edit", learner).status, 403);
  auto too_many =
      Post("/sessions/" + s.id + "/edit", fields + when + "&seats=20", cookie);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_THAT(too_many.body, HasSubstr(R"(<a href="#seats">)"));
  auto changed = Post("/sessions/" + s.id + "/edit",
                      fields + when + "&seats=8&notes=Bring+a+laptop", cookie);
  ASSERT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(changed.headers["location"], "/sessions/" + s.id + "?done=changed");
  auto kept = store_->FindSession(s.id);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->seats, 8);
  EXPECT_EQ((*kept)->notes, "Bring a laptop");

  // The calendar offers coordinators a day to schedule on; learners not.
  auto calendar = Get("/calendar?month=2027-01", cookie);
  EXPECT_THAT(calendar.body, HasSubstr("/sessions/new?date=2027-01-14"));
  EXPECT_THAT(calendar.body, Not(HasSubstr("/sessions/new?date=2027-01-04")))
      << "not in the past";
  EXPECT_THAT(Get("/calendar?month=2027-01", learner).body,
              Not(HasSubstr("/sessions/new")));
}

TEST_F(SiteTest, CoordinatorsAddVenuesAndRooms) {
  const std::string learner = SignIn("learner");
  auto read = Get("/venues", learner);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_THAT(read.body, HasSubstr(">Civic Centre</a>"));
  EXPECT_THAT(read.body, Not(HasSubstr("Add a venue")));
  const std::string learner_token = TokenOf(read.body);
  EXPECT_EQ(Post("/venues", "csrf_token=" + learner_token + "&id=hub&name=Hub",
                 learner)
                .status,
            403);

  const std::string cookie = SignIn("coordinator");
  auto page = Get("/venues", cookie);
  ASSERT_THAT(page.body, HasSubstr("Add a venue"));
  const std::string token = TokenOf(page.body);
  auto bad = Post("/venues", "csrf_token=" + token + "&id=a+b&name=", cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr(R"(<a href="#id">The id may have letters)"));
  EXPECT_THAT(bad.body, HasSubstr(R"(<a href="#name">Enter the venue)"));
  EXPECT_THAT(bad.body, HasSubstr(R"(value="a b")")) << "kept as typed";
  auto added = Post(
      "/venues",
      "csrf_token=" + token + "&id=hub&name=Family+Hub&address=1+High+Street",
      cookie);
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.headers["location"], "/venues/hub?done=venue");
  EXPECT_EQ(
      Post("/venues", "csrf_token=" + token + "&id=hub&name=Again", cookie)
          .status,
      409);

  auto venue = Get("/venues/hub?done=venue", cookie);
  ASSERT_EQ(venue.status, 200) << venue.body;
  EXPECT_THAT(venue.body, HasSubstr("Now add its rooms"));
  auto no_seats =
      Post("/venues/hub/rooms",
           "csrf_token=" + token + "&id=hub-1&name=Room+1&seats=x", cookie);
  EXPECT_EQ(no_seats.status, 400);
  EXPECT_THAT(no_seats.body, HasSubstr(R"(<a href="#seats">)"));
  auto room = Post("/venues/hub/rooms",
                   "csrf_token=" + token +
                       "&id=hub-1&name=Room+1&seats=16&it_suite=yes"
                       "&accessibility=Step-free",
                   cookie);
  ASSERT_EQ(room.status, 303) << room.body;
  auto kept = store_->FindRoom("hub-1");
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->venue, "hub");
  EXPECT_EQ((*kept)->seats, 16);
  EXPECT_TRUE((*kept)->it_suite);
  EXPECT_EQ(Post("/venues/nowhere/rooms",
                 "csrf_token=" + token + "&id=x-1&name=X&seats=4", cookie)
                .status,
            404);
  // The new room is offered when scheduling.
  EXPECT_THAT(
      Get("/sessions/new", cookie).body,
      HasSubstr(R"(<optgroup label="Family Hub"><option value="hub-1">)"));
}

// A closed register is put right by a coordinator, with a reason; the
// trainer cannot, and without a reason nothing changes.
TEST_F(SiteTest, ACoordinatorCorrectsAClosedRegister) {
  const std::string run = AddSession(4, /*approval=*/false);  // yesterday
  ASSERT_TRUE(store_->RequestBooking(
      BookingRequest{run, "PA", false, true, false, Day(2027, 1, 4)}, kSetup));
  const std::string trainer = SignIn("trainer");
  const std::string token =
      TokenOf(Get("/sessions/" + run + "/register", trainer).body);
  ASSERT_EQ(
      Post("/sessions/" + run + "/register", "csrf_token=" + token, trainer)
          .status,
      303);
  ASSERT_EQ(Post("/sessions/" + run + "/register/close", "csrf_token=" + token,
                 trainer)
                .status,
            303);
  const std::string path = "/sessions/" + run + "/register/PA/correct";
  EXPECT_THAT(Get("/sessions/" + run + "/register", trainer).body,
              Not(HasSubstr(path)));
  EXPECT_EQ(Get(path, trainer).status, 403);

  const std::string cookie = SignIn("coordinator");
  auto closed = Get("/sessions/" + run + "/register", cookie);
  ASSERT_THAT(closed.body, HasSubstr("href=\"" + path + "\""));
  auto form = Get(path, cookie);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_THAT(form.body, HasSubstr("Did not attend"));
  const std::string mine = TokenOf(form.body);
  auto no_reason =
      Post(path, "csrf_token=" + mine + "&present-0=yes&reason=", cookie);
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_THAT(no_reason.body, HasSubstr(R"(<a href="#reason">)"));
  EXPECT_THAT(
      no_reason.body,
      HasSubstr(
          R"(id="present-0" name="present-0" type="checkbox" value="yes" checked)"))
      << "the marks kept as ticked";
  auto reg = store_->ReadRegister(run);
  ASSERT_TRUE(reg && reg->entries.size() == 1U);
  EXPECT_EQ(reg->entries[0].status, BookingStatus::kNoShow) << "unchanged";

  auto corrected =
      Post(path, "csrf_token=" + mine + "&present-0=yes&reason=Signed+in+late",
           cookie);
  ASSERT_EQ(corrected.status, 303) << corrected.body;
  EXPECT_EQ(corrected.headers["location"],
            "/sessions/" + run + "/register?done=corrected");
  reg = store_->ReadRegister(run);
  ASSERT_TRUE(reg && reg->entries.size() == 1U);
  EXPECT_EQ(reg->entries[0].status, BookingStatus::kAttended);
  EXPECT_EQ(reg->entries[0].marked_by, "coordinator@example.org");
}

// A multipart/form-data body as a browser sends a form with a file.
std::string Multipart(
    const std::vector<std::tuple<std::string, std::string, std::string>>&
        parts) {
  std::string body;
  for (const auto& [name, filename, value] : parts) {
    body += "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) {
      body += "; filename=\"" + filename + "\"\r\nContent-Type: text/csv";
    }
    body += "\r\n\r\n" + value + "\r\n";
  }
  return body + "--XyZ--\r\n";
}

// The value of the hidden input `name` on a page.
std::string HiddenValue(const std::string& page, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto at = page.find(marker);
  if (at == std::string::npos) return "";
  const auto from = at + marker.size();
  return page.substr(from, page.find('"', from) - from);
}

TEST_F(SiteTest, ACoordinatorImportsAFileAfterSeeingWhatItWouldDo) {
  EXPECT_EQ(Get("/imports", SignIn("learner")).status, 403);
  const std::string cookie = SignIn("coordinator");
  auto form = Get("/imports", cookie);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_THAT(form.body, HasSubstr(R"(enctype="multipart/form-data")"));
  const std::string token = TokenOf(form.body);
  auto upload = [&](const std::string& target, const std::string& body) {
    TestClient client(server_->Port());
    return client.Send("POST", target, body,
                       {{"Content-Type", "multipart/form-data; boundary=XyZ"},
                        {"Cookie", cookie}});
  };

  auto no_file = upload("/imports", Multipart({{"csrf_token", "", token},
                                               {"kind", "", "people"},
                                               {"file", "", ""}}));
  EXPECT_EQ(no_file.status, 400);
  EXPECT_THAT(no_file.body,
              HasSubstr(R"(<a href="#file">Choose a CSV file</a>)"));

  const std::string header = "person_id,name,email,org_id,audiences\r\n";
  auto bad = upload(
      "/imports",
      Multipart(
          {{"csrf_token", "", token},
           {"kind", "", "people"},
           {"file", "staff.csv",
            header + "P9,Pat New,pat@example.org,NCC,practitioners\r\n" +
                "P10,Sam Else,sam@example.org,NOWHERE,practitioners\r\n"}}));
  EXPECT_EQ(bad.status, 422);
  EXPECT_THAT(bad.body, HasSubstr("The file cannot be imported"));
  EXPECT_THAT(
      bad.body,
      HasSubstr(
          R"(<td class="govuk-table__cell govuk-table__cell--numeric">3</td>)"));
  EXPECT_THAT(bad.body, HasSubstr("NOWHERE"));
  EXPECT_FALSE(store_->FindPerson("P9").value().has_value())
      << "nothing written";

  const std::string good_file =
      header + "P9,Pat New,pat@example.org,NCC,practitioners\r\n";
  EXPECT_EQ(upload("/imports", Multipart({{"csrf_token", "", "forged"},
                                          {"kind", "", "people"},
                                          {"file", "staff.csv", good_file}}))
                .status,
            403);
  auto checked =
      upload("/imports", Multipart({{"csrf_token", "", token},
                                    {"kind", "", "people"},
                                    {"file", "staff.csv", good_file}}));
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_THAT(checked.body, HasSubstr("1 added, 0 changed, 0 unchanged"));
  EXPECT_FALSE(store_->FindPerson("P9").value().has_value())
      << "a check writes nothing";
  const std::string file = HiddenValue(checked.body, "file");
  ASSERT_FALSE(file.empty());

  auto confirmed =
      upload("/imports/confirm", Multipart({{"csrf_token", "", token},
                                            {"kind", "", "people"},
                                            {"filename", "", "staff.csv"},
                                            {"file", "", file}}));
  ASSERT_EQ(confirmed.status, 303) << confirmed.body;
  EXPECT_THAT(confirmed.headers["location"], HasSubstr("done=imported"));
  auto pat = store_->FindPerson("P9");
  ASSERT_TRUE(pat && *pat);
  EXPECT_EQ((*pat)->name, "Pat New");
  EXPECT_THAT(Get(confirmed.headers["location"], cookie).body,
              HasSubstr("Imported people: 1 added, 0 changed, 0 unchanged."));
  // A confirmation the area no longer fits writes nothing and says why.
  auto refit = upload(
      "/imports/confirm",
      Multipart({{"csrf_token", "", token},
                 {"kind", "", "people"},
                 {"filename", "", "staff.csv"},
                 // "person_id,...\r\nP11,Kim,kim@example.org,GONE,..."
                 {"file", "",
                  "cGVyc29uX2lkLG5hbWUsZW1haWwsb3JnX2lkLGF1ZGllbmNlcw0KUDExLEt"
                  "pbSxraW1AZXhhbXBsZS5vcmcsR09ORSxwcmFjdGl0aW9uZXJzDQo="}}));
  EXPECT_EQ(refit.status, 422);
  EXPECT_THAT(refit.body,
              HasSubstr("The area changed after the file was checked"));
  EXPECT_FALSE(store_->FindPerson("P11").value().has_value());
  // The same file again: nothing to do.
  auto again =
      upload("/imports", Multipart({{"csrf_token", "", token},
                                    {"kind", "", "people"},
                                    {"file", "staff.csv", good_file}}));
  EXPECT_THAT(again.body, HasSubstr("already on record"));
}

// The Newcastle framework's ContactPoint accreditation: 28 conditions.
class ReadinessPageTest : public SiteTest {
 protected:
  std::string FrameworkId() const override { return "newcastle-2009"; }
};

TEST_F(ReadinessPageTest, AnOrganisationsChecklistIsKeptByForm) {
  const std::string learner = SignIn("learner");
  const std::string path =
      "/organisations/NCC/readiness/contactpoint-accreditation";
  EXPECT_EQ(Get(path, learner).status, 403);
  EXPECT_THAT(Get("/organisations/NCC", learner).body,
              Not(HasSubstr("Update the checklist")));

  const std::string cookie = SignIn("coordinator");
  auto org = Get("/organisations/NCC", cookie);
  ASSERT_THAT(org.body, HasSubstr("href=\"" + path + "\""));
  auto form = Get(path, cookie);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_THAT(form.body, HasSubstr("28. Condition 28"));
  const std::string token = TokenOf(form.body);
  EXPECT_EQ(Post(path, "csrf_token=forged&met-1=yes", cookie).status, 403);

  auto future = Post(path,
                     "csrf_token=" + token +
                         "&met-1=yes&date-1-day=1&date-1-month=2&date-1-year="
                         "2028",
                     cookie);
  EXPECT_EQ(future.status, 400);
  EXPECT_THAT(future.body, HasSubstr(R"(<a href="#date-1-day">)"));
  auto half =
      Post(path, "csrf_token=" + token + "&met-2=yes&date-2-day=3", cookie);
  EXPECT_EQ(half.status, 400);
  EXPECT_THAT(half.body, HasSubstr("must include a day, month and year"));
  auto unchanged = store_->FindOrganisation("NCC");
  ASSERT_TRUE(unchanged && *unchanged);
  EXPECT_TRUE((*unchanged)->readiness.empty()) << "refusals change nothing";

  auto saved = Post(path,
                    "csrf_token=" + token +
                        "&met-1=yes&evidence-1=Signed+agreement&date-1-day=1"
                        "&date-1-month=12&date-1-year=2026&evidence-2=Booked",
                    cookie);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"], "/organisations/NCC?done=readiness");
  auto kept = store_->FindOrganisation("NCC");
  ASSERT_TRUE(kept && *kept);
  ASSERT_EQ((*kept)->readiness.size(), 1U);
  const Readiness& r = (*kept)->readiness.front();
  EXPECT_EQ(r.checklist, "contactpoint-accreditation");
  ASSERT_EQ(r.conditions.size(), 28U);
  EXPECT_TRUE(r.conditions[0].met);
  EXPECT_EQ(r.conditions[0].evidence, "Signed agreement");
  EXPECT_EQ(r.conditions[0].date, Day(2026, 12, 1));
  EXPECT_FALSE(r.conditions[1].met);
  EXPECT_EQ(r.conditions[1].evidence, "Booked");
  auto shown = Get(saved.headers["location"], cookie);
  EXPECT_THAT(shown.body, HasSubstr("1 of 28 met"));
  EXPECT_THAT(shown.body, HasSubstr("The readiness checklist is saved."));
  // The organisation's lead keeps it too, from their home page; a lead of
  // another organisation may not.
  ImportBatch other_org;
  Organisation elsewhere;
  elsewhere.id = "ELSEWHERE";
  elsewhere.name = "Another agency";
  elsewhere.sector = "other";
  other_org.organisations = {elsewhere};
  ASSERT_TRUE(store_->Import(other_org, kSetup, /*dry_run=*/false));
  for (const auto& [email, organisation] :
       {std::pair{"lead@example.org", "NCC"},
        std::pair{"other@example.org", "ELSEWHERE"}}) {
    ASSERT_TRUE(
        store_->AddUser(User{"", email, "Lee Lead", UserRole::kOrganisationLead,
                             "", organisation, false},
                        service::HashPassword(kPassword).value(), kSetup));
  }
  const std::string lead = SignIn("lead");
  auto lead_home = Get("/", lead);
  ASSERT_EQ(lead_home.status, 200) << lead_home.body;
  EXPECT_THAT(lead_home.body, HasSubstr("1 of 28 conditions met"));
  EXPECT_THAT(lead_home.body, HasSubstr("href=\"" + path + "\""));
  EXPECT_EQ(Get(path, lead).status, 200);
  const std::string other = SignIn("other");
  EXPECT_EQ(Get(path, other).status, 403);
  // The form comes back as saved.
  EXPECT_THAT(Get(path, cookie).body, HasSubstr(R"(value="Signed agreement")"));
}

}  // namespace
}  // namespace trellis
