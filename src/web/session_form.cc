// Scheduling a session and changing it, by form [MISSION D1]: the course,
// the room, the parts as GOV.UK date inputs with their times, the trainers,
// who it is for, the case-management system, approval, identity checks and
// places held for a priority group. What the service refuses (a clash in the
// room or for a trainer, more places than the room seats, a course that needs
// a system) comes back as a message beside the field it is about. Reached
// from Sessions, from a day of the calendar, and from a session's page.
#include <algorithm>
#include <charconv>

#include "domain/text.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

// Rows offered for parts: a course runs in one to three sittings [000 IS02:
// 2 x 2.5 hours]; a session with more shows them all.
constexpr std::size_t kPartRows = 3;

std::string PartPrefix(std::size_t index) {
  return "part" + std::to_string(index + 1);
}

// "9:30", "09:30", "14.00", "9" as minutes after midnight.
std::optional<int> ClockMinutes(std::string_view text) {
  text = Trim(text);
  const auto sep = text.find_first_of(":.");
  const std::string_view hours = text.substr(0, sep);
  const std::string_view minutes =
      sep == std::string_view::npos ? "00" : text.substr(sep + 1);
  const auto h = WholeNumber(hours);
  const auto m = WholeNumber(minutes);
  if (!h || !m || minutes.size() != 2 || *h < 0 || *h > 23 || *m < 0 ||
      *m > 59) {
    return std::nullopt;
  }
  return *h * 60 + *m;
}

std::string Clock(int minute) {
  std::string text = std::to_string(minute / 60) + ":";
  if (minute % 60 < 10) text += "0";
  return text + std::to_string(minute % 60);
}

std::string Number(int value) { return std::to_string(value); }

void SetDate(Form& form, const std::string& prefix, const Date& date) {
  form.Add(prefix + "-day", Number(static_cast<int>(unsigned(date.day()))));
  form.Add(prefix + "-month", Number(static_cast<int>(unsigned(date.month()))));
  form.Add(prefix + "-year", Number(static_cast<int>(date.year())));
}

// The form's fields as a session sets them.
Form FormOf(const CourseSession& s) {
  Form form;
  form.Add("course", s.course);
  form.Add("room", s.room);
  if (s.seats > 0) form.Add("seats", Number(s.seats));
  for (std::size_t i = 0; i < s.parts.size(); ++i) {
    const std::string prefix = PartPrefix(i);
    SetDate(form, prefix, s.parts[i].starts.date);
    form.Add(prefix + "-starts", Clock(s.parts[i].starts.minute));
    form.Add(prefix + "-ends", Clock(s.parts[i].ends.minute));
  }
  for (const auto& t : s.trainers) form.Add("trainer", t);
  for (const auto& a : s.audiences) form.Add("audience", a);
  form.Add("case_management_system", s.case_management_system);
  if (s.approval_required) form.Add("approval_required", "yes");
  if (s.verify_identity) form.Add("verify_identity", "yes");
  if (s.reserved_seats > 0)
    form.Add("reserved_seats", Number(s.reserved_seats));
  form.Add("reserved_for", s.reserved_for);
  if (s.reserved_until) SetDate(form, "reserved_until", *s.reserved_until);
  form.Add("notes", s.notes);
  form.Add("status", SessionStatusName(s.status));
  return form;
}

// How many part rows the form shows: three, or as many as posted or held.
std::size_t PartRows(const Form& form) {
  std::size_t rows = kPartRows;
  while (!form.Get(PartPrefix(rows) + "-day").empty() ||
         !form.Get(PartPrefix(rows) + "-starts").empty()) {
    ++rows;
  }
  return rows;
}

// A select's options: items with an id and a name (the id when it has
// none), `chosen` selected.
template <typename Item>
Data Options(const std::vector<Item>& items, const std::string& chosen) {
  Data options{Data::type::list};
  for (const auto& item : items) {
    Data option;
    option.set("value", item.id);
    option.set("label", item.name.empty() ? item.id : item.name);
    option.set("selected", item.id == chosen);
    options.push_back(option);
  }
  return options;
}

}  // namespace

// The session the form describes; what cannot be read is added to `errors`
// against its field. Whether the session may be so is the service's to say.
CourseSession Site::SessionFromForm(const Form& form,
                                    std::vector<FieldError>& errors) const {
  CourseSession s;
  s.course = form.Get("course");
  if (s.course.empty()) errors.push_back({"course", "Choose the course"});
  s.room = form.Get("room");
  if (s.room.empty()) errors.push_back({"room", "Choose the room"});
  if (const std::string seats(Trim(form.Get("seats"))); !seats.empty()) {
    const auto n = WholeNumber(seats);
    if (!n || *n < 1) {
      errors.push_back({"seats", "Places must be a whole number, 1 or more"});
    } else {
      s.seats = *n;
    }
  }
  const std::size_t rows = PartRows(form);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string prefix = PartPrefix(i);
    const std::string label = "Part " + std::to_string(i + 1);
    auto date = form.DateOf(prefix);
    const std::string starts_text(Trim(form.Get(prefix + "-starts")));
    const std::string ends_text(Trim(form.Get(prefix + "-ends")));
    if (date && !*date && starts_text.empty() && ends_text.empty()) {
      continue;  // a row left blank
    }
    if (!date) {
      errors.push_back({prefix + "-day", label + ": the date " + date.error()});
      continue;
    }
    if (!*date) {
      errors.push_back({prefix + "-day", label + ": enter the date"});
      continue;
    }
    const auto starts = ClockMinutes(starts_text);
    const auto ends = ClockMinutes(ends_text);
    if (!starts) {
      errors.push_back(
          {prefix + "-starts", label + ": enter the start time as hours and "
                                       "minutes, like 9:30 or 14:00"});
    }
    if (!ends) {
      errors.push_back({prefix + "-ends",
                        label + ": enter the end time as hours and minutes, "
                                "like 12:00 or 16:30"});
    }
    if (starts && ends) {
      s.parts.push_back({LocalTime{**date, *starts}, LocalTime{**date, *ends}});
    }
  }
  if (s.parts.empty() && std::ranges::none_of(errors, [](const FieldError& e) {
        return e.field.starts_with("part");
      })) {
    errors.push_back({"part1-day", "Enter the date and times of the session"});
  }
  s.trainers = form.All("trainer");
  std::string other = form.Get("trainer-other");
  std::ranges::replace(other, ',', ' ');
  for (const auto& id : SplitWords(other)) {
    if (std::ranges::find(s.trainers, id) == s.trainers.end()) {
      s.trainers.push_back(id);
    }
  }
  s.audiences = form.All("audience");
  s.case_management_system =
      std::string(Trim(form.Get("case_management_system")));
  s.approval_required = form.Get("approval_required") == "yes";
  s.verify_identity = form.Get("verify_identity") == "yes";
  if (const std::string held(Trim(form.Get("reserved_seats"))); !held.empty()) {
    const auto n = WholeNumber(held);
    if (!n || *n < 0) {
      errors.push_back(
          {"reserved_seats", "Places held must be a whole number, 0 or more"});
    } else {
      s.reserved_seats = *n;
    }
  }
  s.reserved_for = form.Get("reserved_for");
  auto until = form.DateOf("reserved_until");
  if (!until) {
    errors.push_back(
        {"reserved_until-day", "Held until: the date " + until.error()});
  } else {
    s.reserved_until = *until;
  }
  s.notes = std::string(Trim(form.Get("notes")));
  if (auto status = ParseSessionStatus(form.Get("status"))) {
    s.status = *status;
  } else {
    errors.push_back({"status-open", "Choose whether the session is open"});
  }
  return s;
}

void Site::AddSessionFormPages() {
  AddPage("GET", "/sessions/new",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            if (!service::MayManageArea(who.caller)) {
              return Refused(
                  service::Forbidden(who.caller, "schedule sessions"), &who);
            }
            // From a day of the calendar: that day, the morning.
            Form form;
            form.Add("status", "open");
            if (auto day = request.Query("date")) {
              if (auto date = ParseIsoDate(*day)) {
                SetDate(form, PartPrefix(0), *date);
                form.Add(PartPrefix(0) + "-starts", "9:30");
                form.Add(PartPrefix(0) + "-ends", "12:30");
              }
            }
            return SessionForm(store, who, "", form, {}, 200);
          });
  AddPage("POST", "/sessions/new",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return SaveSession(store, who, "", request);
          });
  AddPage("GET", "/sessions/{id}/edit",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            const std::string id(params.Get("id"));
            if (!service::MayManageArea(who.caller)) {
              return Refused(service::Forbidden(who.caller, "change sessions"),
                             &who);
            }
            auto session = store.FindSession(id);
            if (!session) return Refused(session.error(), &who);
            if (!*session) {
              return Refused(
                  Error{ErrorCode::kNotFound, "no session '" + id + "'", {}},
                  &who);
            }
            return SessionForm(store, who, id, FormOf(**session), {}, 200);
          });
  AddPage("POST", "/sessions/{id}/edit",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return SaveSession(store, who, std::string(params.Get("id")),
                               request);
          });
}

http::Response Site::SessionForm(Store& store, const Visitor& who,
                                 const std::string& id, const Form& form,
                                 const std::vector<FieldError>& errors,
                                 int status) const {
  const Framework& framework = service_->framework();
  Data data;
  const bool editing = !id.empty();
  data.set("csrf_token", who.csrf_token);
  data.set("editing", editing);
  data.set("id", id);
  data.set("action", editing ? "/sessions/" + id + "/edit" : "/sessions/new");
  data.set("back", editing ? "/sessions/" + id : "/sessions");

  const std::string course = form.Get("course");
  data.set("courses", Options(framework.courses, course));
  // A session's course is fixed once it is scheduled: its bookings are for
  // that course.
  data.set("course_fixed", editing);
  data.set("course_name", CourseName(framework, course));
  data.set("course", course);

  auto venues = store.ListVenues(ListWindow{.limit = 1000, .offset = 0});
  if (!venues) return Refused(venues.error(), &who);
  const std::string room = form.Get("room");
  Data venue_list{Data::type::list};
  for (const auto& v : *venues) {
    Data rooms{Data::type::list};
    for (const auto& r : v.rooms) {
      Data option;
      option.set("value", r.id);
      option.set("label", r.name + " (" + std::to_string(r.seats) + " places" +
                              (r.it_suite ? ", IT suite" : "") + ")");
      option.set("selected", r.id == room);
      rooms.push_back(option);
    }
    Data group;
    group.set("name", v.name);
    group.set("rooms", rooms);
    venue_list.push_back(group);
  }
  data.set("venues", venue_list);
  data.set("seats", form.Get("seats"));

  Data parts{Data::type::list};
  const std::size_t rows = PartRows(form);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string prefix = PartPrefix(i);
    Data part;
    part.set("prefix", prefix);
    part.set("n", std::to_string(i + 1));
    part.set("first", i == 0);
    for (const char* f : {"day", "month", "year", "starts", "ends"}) {
      part.set(f, form.Get(prefix + "-" + f));
    }
    for (const auto& e : errors) {
      if (e.field == prefix + "-day") SetText(part, "date_error", e.message);
      if (e.field == prefix + "-starts")
        SetText(part, "starts_error", e.message);
      if (e.field == prefix + "-ends") SetText(part, "ends_error", e.message);
    }
    parts.push_back(part);
  }
  data.set("parts", parts);

  auto trainers = store.Trainers();
  if (!trainers) return Refused(trainers.error(), &who);
  auto users = store.ListUsers(ListWindow{.limit = 1000, .offset = 0});
  if (!users) return Refused(users.error(), &who);
  for (const auto& u : *users) {
    if (u.role != UserRole::kTrainer || u.person.empty() ||
        std::ranges::find(*trainers, u.person, &Person::id) !=
            trainers->end()) {
      continue;
    }
    auto person = store.FindPerson(u.person);
    if (!person) return Refused(person.error(), &who);
    if (*person) trainers->push_back(**person);
  }
  const auto chosen = form.All("trainer");
  std::vector<std::string> others;
  for (const auto& t : chosen) {
    if (std::ranges::find(*trainers, t, &Person::id) == trainers->end()) {
      others.push_back(t);
    }
  }
  Data trainer_list{Data::type::list};
  for (std::size_t i = 0; i < trainers->size(); ++i) {
    const Person& t = (*trainers)[i];
    Data box;
    box.set("field", "trainer-" + std::to_string(i));
    box.set("value", t.id);
    box.set("label", t.name + " (" + t.id + ")");
    box.set("checked", std::ranges::find(chosen, t.id) != chosen.end());
    trainer_list.push_back(box);
  }
  data.set("trainers", trainer_list);
  data.set("has_trainers", !trainers->empty());
  std::string other = form.Get("trainer-other");
  if (other.empty()) other = Join(others, ", ");
  data.set("trainer_other", other);

  const auto audiences = form.All("audience");
  Data audience_list{Data::type::list};
  for (std::size_t i = 0; i < framework.audiences.size(); ++i) {
    const Audience& a = framework.audiences[i];
    Data box;
    box.set("field", "audience-" + std::to_string(i));
    box.set("value", a.id);
    box.set("label", a.name.empty() ? a.id : a.name);
    box.set("checked", std::ranges::find(audiences, a.id) != audiences.end());
    audience_list.push_back(box);
  }
  data.set("audiences", audience_list);
  data.set("case_management_system", form.Get("case_management_system"));
  data.set("approval_required", form.Get("approval_required") == "yes");
  data.set("verify_identity", form.Get("verify_identity") == "yes");
  data.set("reserved_seats", form.Get("reserved_seats"));
  data.set("groups",
           Options(framework.priority_groups, form.Get("reserved_for")));
  data.set("has_groups", !framework.priority_groups.empty());
  for (const char* f : {"day", "month", "year"}) {
    data.set(std::string("until_") + f,
             form.Get(std::string("reserved_until-") + f));
  }
  data.set("notes", form.Get("notes"));

  const std::string chosen_status = form.Get("status");
  Data statuses{Data::type::list};
  const std::vector<std::pair<SessionStatus, const char*>> choices = {
      {SessionStatus::kOpen, "Open: people can book it"},
      {SessionStatus::kPlanned, "Planned: not open for booking yet"},
      {SessionStatus::kClosed, "Closed: no more bookings"},
      {SessionStatus::kCancelled,
       "Cancelled: everyone booked keeps a record of it, no one can book"}};
  for (const auto& [value, label] : choices) {
    if (value != SessionStatus::kOpen && value != SessionStatus::kPlanned &&
        !editing) {
      continue;
    }
    Data radio;
    radio.set("value", SessionStatusName(value));
    radio.set("label", label);
    radio.set("checked", chosen_status == SessionStatusName(value));
    statuses.push_back(radio);
  }
  data.set("statuses", statuses);

  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  const std::string title =
      editing ? "Change session " + id : std::string("Schedule a session");
  return Page(status, title, Render("session_form", data), &who, "/sessions",
              errors);
}

http::Response Site::SaveSession(Store& store, const Visitor& who,
                                 const std::string& id,
                                 const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  if (!service::MayManageArea(who.caller)) {
    return Refused(
        service::Forbidden(
            who.caller, id.empty() ? "schedule sessions" : "change sessions"),
        &who);
  }
  std::vector<FieldError> errors;
  CourseSession session = SessionFromForm(*form, errors);
  std::optional<CourseSession> kept;
  if (!id.empty()) {
    auto found = store.FindSession(id);
    if (!found) return Refused(found.error(), &who);
    if (!*found) {
      return Refused(Error{ErrorCode::kNotFound, "no session '" + id + "'", {}},
                     &who);
    }
    kept = std::move(**found);
    session.id = id;
    session.course = kept->course;
    session.register_closed_at = kept->register_closed_at;
    session.register_closed_by = kept->register_closed_by;
  }
  if (session.seats == 0 && !session.room.empty()) {
    // Left blank: as many places as the room seats.
    auto room = store.FindRoom(session.room);
    if (!room) return Refused(room.error(), &who);
    if (*room) session.seats = (*room)->seats;
  }
  if (!errors.empty()) {
    return SessionForm(store, who, id, *form, errors, 400);
  }
  std::string saved = id;
  if (id.empty()) {
    auto added = service_->AddSession(store, who.caller, session);
    if (!added) return SessionRefused(store, who, id, *form, added.error());
    saved = added->id;
  } else {
    auto changed = service_->UpdateSession(store, who.caller, session);
    if (!changed) return SessionRefused(store, who, id, *form, changed.error());
  }
  return Redirect("/sessions/" + saved +
                  (id.empty() ? "?done=scheduled" : "?done=changed"));
}

// The service's refusal beside the field it names; a refusal about no field
// of the form (permission, the store) as its own page.
http::Response Site::SessionRefused(Store& store, const Visitor& who,
                                    const std::string& id, const Form& form,
                                    const Error& error) const {
  if (error.code == ErrorCode::kPermissionDenied ||
      error.code == ErrorCode::kUnavailable ||
      error.code == ErrorCode::kInternal) {
    return Refused(error, &who);
  }
  std::string field = error.fields.empty() ? "" : error.fields.front().field;
  if (field.starts_with("parts[")) {
    // parts[N]: the form's part N+1.
    std::size_t n = 0;
    std::from_chars(field.data() + 6, field.data() + field.size(), n);
    field = PartPrefix(n) + "-day";
  } else if (field == "parts") {
    field = "part1-day";
  } else if (field == "trainers") {
    field = "trainer-other";
  } else if (field == "audiences") {
    field = "audience-0";
  } else if (field == "reserved_until") {
    field = "reserved_until-day";
  } else if (field != "course" && field != "room" && field != "seats" &&
             field != "case_management_system" && field != "reserved_seats" &&
             field != "reserved_for") {
    field = field == "status" ? "status-open" : "course";
  }
  const std::string message = Capitalised(error.message);
  const int status = error.code == ErrorCode::kInvalidArgument ? 400 : 409;
  return SessionForm(store, who, id, form, {{field, message}}, status);
}

}  // namespace trellis::web
