// The pages of people learning and of their managers [MISSION C, D]: find a
// session and book it or join its waiting list, cancel, my records; a
// manager's team, a person's plan read with them, nominating and deciding on
// requests. Every rule is the service's; these pages ask and show.
#include <algorithm>
#include <chrono>
#include <map>
#include <ranges>

#include "domain/text.h"
#include "service/plan.h"
#include "service/session_offers.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

// Where each room is: "IT suite, Springfield ICT", with the venue's address
// and the room's access notes.
struct Place {
  std::string name;
  std::string address;
  std::string accessibility;
};

std::expected<std::map<std::string, Place>, Error> PlacesByRoom(Store& store) {
  auto venues = store.ListVenues(ListWindow{.limit = 1000, .offset = 0});
  if (!venues) return std::unexpected(venues.error());
  std::map<std::string, Place> places;
  for (const auto& venue : *venues) {
    for (const auto& room : venue.rooms) {
      places[room.id] = Place{.name = room.name + ", " + venue.name,
                              .address = venue.address,
                              .accessibility = room.accessibility};
    }
  }
  return places;
}

std::string Times(const CourseSession& session) {
  if (session.parts.empty()) return "";
  const SessionPart& first = session.parts.front();
  std::string text = LongDate(first.starts.date) + ", " +
                     TimeOfDay(first.starts.minute) + " to " +
                     TimeOfDay(first.ends.minute);
  if (session.parts.size() > 1) {
    text += " (and " + std::to_string(session.parts.size() - 1) + " more part" +
            (session.parts.size() > 2 ? "s" : "") + ")";
  }
  return text;
}

// "You" or the person's name, as a page speaks of whom it is about.
std::string Who(const service::Caller& caller, const Person& person) {
  return person.id == caller.user.person ? "you" : person.name;
}

// The page a booking's outcome is told on, after the form: Post, Redirect,
// Get.
std::string Told(const std::string& path, const std::string& done,
                 const std::string& person, const std::string& me) {
  std::string target = path + "?done=" + done;
  if (!person.empty() && person != me) target += "&for=" + person;
  return target;
}

}  // namespace

void Site::AddLearningPages() {
  AddPage("GET", "/sessions",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return FindSessions(store, who, request);
          });
  AddPage("GET", "/sessions/{id}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return SessionPage(store, who, std::string(params.Get("id")),
                               request);
          });
  AddPage("POST", "/sessions/{id}/bookings",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return BookPlace(store, who, std::string(params.Get("id")),
                             request);
          });
  AddPage("GET", "/bookings/{id}/cancel",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return CancelPage(store, who, std::string(params.Get("id")));
          });
  AddPage("POST", "/bookings/{id}/cancel",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return CancelBooking(store, who, std::string(params.Get("id")),
                                 request);
          });
  AddPage("POST", "/bookings/{id}/decision",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return DecideBooking(store, who, std::string(params.Get("id")),
                                 request);
          });
  AddPage("GET", "/records",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params&) { return Records(store, who); });
  AddPage("GET", "/team",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params&) { return Team(store, who); });
  AddPage("GET", "/people/{id}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return PersonPage(store, who, std::string(params.Get("id")),
                              request);
          });
}

http::Response Site::FindSessions(Store& store, const Visitor& who,
                                  const http::Request& request) const {
  const service::Caller& caller = who.caller;
  const Framework& framework = service_->framework();
  // Whom for: a person named (a manager's team, a coordinator's anyone),
  // else the visitor's own person.
  std::string person_id(request.Query("for").value_or(""));
  if (person_id.empty()) person_id = caller.user.person;
  std::optional<Person> person;
  if (!person_id.empty()) {
    auto seen = service_->SeePerson(store, caller, person_id);
    if (!seen) return Refused(seen.error(), &who);
    person = std::move(*seen);
  }

  service::SessionSearch search;
  search.course = std::string(request.Query("course").value_or(""));
  search.module = std::string(request.Query("module").value_or(""));
  if (!search.course.empty() &&
      framework.FindCourse(search.course) == nullptr) {
    search.course.clear();
  }
  search.from = service_->Today();
  const std::string when(request.Query("when").value_or("8"));
  int weeks = 8;
  for (const int w : {2, 4, 8, 0}) {
    if (when == std::to_string(w)) weeks = w;
  }
  if (weeks > 0) {
    search.to =
        Date{std::chrono::sys_days(search.from) + std::chrono::days(7 * weeks)};
  }
  search.bookable_only =
      person.has_value() && request.Query("bookable").value_or("") == "yes";
  const int page = PageNumber(request.Query("page"), 1000);
  constexpr int kPerPage = 25;
  search.window =
      ListWindow{.limit = kPerPage + 1, .offset = (page - 1) * kPerPage};
  auto offers = service::FindSessions(*service_, store, caller,
                                      person ? person->id : "", search);
  if (!offers) return Refused(offers.error(), &who);
  const bool more = static_cast<int>(offers->size()) > kPerPage;
  if (more) offers->pop_back();
  auto places = PlacesByRoom(store);
  if (!places) return Refused(places.error(), &who);

  Data data;
  const std::string whom = person ? Who(caller, *person) : "";
  data.set("heading", person && person->id != caller.user.person
                          ? "Find a session for " + person->name
                      : person ? "Find a session"
                               : "Sessions");
  data.set("has_person", person.has_value());
  data.set("may_schedule", service::MayManageArea(caller));
  data.set("whom", whom);
  if (person && person->id != caller.user.person) data.set("for", person->id);
  data.set("bookable", search.bookable_only);
  SetText(data, "module", search.module);
  Data courses{Data::type::list};
  for (const auto& course : framework.courses) {
    Data item;
    item.set("id", course.id);
    item.set("name", course.name);
    item.set("selected", course.id == search.course);
    courses.push_back(item);
  }
  data.set("courses", courses);
  Data whens{Data::type::list};
  for (const auto& [value, label] :
       std::vector<std::pair<std::string, std::string>>{
           {"2", "In the next 2 weeks"},
           {"4", "In the next 4 weeks"},
           {"8", "In the next 8 weeks"},
           {"0", "Any time from today"}}) {
    Data item;
    item.set("value", value);
    item.set("label", label);
    item.set("selected", value == std::to_string(weeks));
    whens.push_back(item);
  }
  data.set("whens", whens);
  Data rows{Data::type::list};
  const std::string for_query =
      person && person->id != caller.user.person ? "?for=" + person->id : "";
  for (const auto& offer : *offers) {
    const CourseSession& s = offer.session;
    Data row;
    row.set("href", "/sessions/" + s.id + for_query);
    row.set("when", Times(s));
    row.set("course", CourseName(framework, s.course));
    SetText(row, "system", s.case_management_system);
    auto at = places->find(s.room);
    row.set("where", at != places->end() ? at->second.name : s.room);
    row.set("left", std::to_string(offer.places.left));
    row.set("full", offer.places.left == 0);
    if (offer.places.waiting > 0) {
      row.set("waiting", std::to_string(offer.places.waiting));
    }
    if (s.status != SessionStatus::kOpen) {
      row.set("status", SessionStatusLabel(s.status));
    }
    if (offer.booking) {
      const auto [label, tag] = BookingLabel(offer.booking->status);
      row.set("mine", std::string(label));
      row.set("mine_tag", std::string(tag));
    } else if (person && !offer.why_not.empty()) {
      row.set("mine", std::string("Not yet bookable"));
      row.set("mine_tag", std::string("govuk-tag--grey"));
    }
    rows.push_back(row);
  }
  data.set("has_sessions", !offers->empty());
  data.set("sessions", rows);
  data.set("count", std::to_string(offers->size()));
  // Links to the pages either side keep the filters.
  auto page_link = [&](int to) {
    std::string link = "/sessions?when=" + std::to_string(weeks) +
                       "&page=" + std::to_string(to);
    if (!search.course.empty()) link += "&course=" + search.course;
    if (!search.module.empty()) {
      link += "&module=" + http::PercentEncode(search.module);
    }
    if (search.bookable_only) link += "&bookable=yes";
    if (person && person->id != caller.user.person)
      link += "&for=" + person->id;
    return link;
  };
  data.set("has_pages", page > 1 || more);
  if (page > 1) data.set("previous", page_link(page - 1));
  if (more) data.set("next", page_link(page + 1));
  data.set("page", std::to_string(page));
  return Page(200, "Find a session", Render("sessions", data), &who,
              "/sessions");
}

http::Response Site::SessionPage(Store& store, const Visitor& who,
                                 const std::string& id,
                                 const http::Request& request,
                                 const std::vector<FieldError>& errors,
                                 int status) const {
  const service::Caller& caller = who.caller;
  const Framework& framework = service_->framework();
  std::string person_id(request.Query("for").value_or(""));
  if (person_id.empty()) person_id = caller.user.person;
  auto offer = service::OfferOf(*service_, store, caller, person_id, id);
  if (!offer) return Refused(offer.error(), &who);
  const CourseSession& s = offer->session;
  std::optional<Person> person;
  if (!person_id.empty()) {
    auto found = store.FindPerson(person_id);
    if (!found) return Refused(found.error(), &who);
    person = std::move(*found);
  }
  auto places = PlacesByRoom(store);
  if (!places) return Refused(places.error(), &who);

  Data data;
  data.set("id", s.id);
  data.set("course", CourseName(framework, s.course));
  data.set("course_id", s.course);
  Data parts{Data::type::list};
  for (const auto& part : s.parts) parts.push_back(Data(PartTimes(part)));
  data.set("parts", parts);
  if (auto at = places->find(s.room); at != places->end()) {
    data.set("where", at->second.name);
    SetText(data, "address", at->second.address);
    SetText(data, "accessibility", at->second.accessibility);
  } else {
    data.set("where", s.room);
  }
  std::vector<std::string> trainer_names;
  for (const auto& t : s.trainers) {
    auto trainer = store.FindPerson(t);
    if (!trainer) return Refused(trainer.error(), &who);
    trainer_names.push_back(*trainer ? (*trainer)->name : t);
  }
  data.set("trainers", Join(trainer_names, ", "));
  std::vector<std::string> audience_names;
  std::vector<std::string> audience_ids = s.audiences;
  if (audience_ids.empty()) {
    if (const Course* course = framework.FindCourse(s.course)) {
      for (const auto& ref : course->audiences) audience_ids.push_back(ref.id);
    }
  }
  for (const auto& a : audience_ids) {
    const auto it = std::ranges::find(framework.audiences, a, &Audience::id);
    audience_names.push_back(it != framework.audiences.end() ? it->name : a);
  }
  data.set("audiences", Join(audience_names, ", "));
  SetText(data, "system", s.case_management_system);
  data.set("seats", std::to_string(s.seats));
  data.set("left", std::to_string(offer->places.left));
  data.set("waiting", std::to_string(offer->places.waiting));
  data.set("has_waiting", offer->places.waiting > 0);
  data.set("approval", s.approval_required);
  data.set("identity", s.verify_identity);
  SetText(data, "notes", s.notes);
  data.set("status", SessionStatusLabel(s.status));
  if (s.reserved_seats > 0 && s.reserved_until &&
      *s.reserved_until >= service_->Today()) {
    std::string group = s.reserved_for;
    for (const auto& g : framework.priority_groups) {
      if (g.id == s.reserved_for) group = g.name;
    }
    data.set("reserved", std::to_string(s.reserved_seats) +
                             " places are held for " + group + " until " +
                             ShortDate(*s.reserved_until) + ".");
  }

  if (person) {
    const std::string whom = Who(caller, *person);
    data.set("has_person", true);
    data.set("person_id", person->id);
    data.set("place_heading",
             whom == "you" ? "Your place" : "A place for " + person->name);
    if (offer->booking) {
      const auto [label, tag] = BookingLabel(offer->booking->status);
      data.set("booking", true);
      data.set("booking_id", offer->booking->id);
      data.set("booking_status", std::string(label));
      data.set("booking_tag", std::string(tag));
      data.set("may_cancel", service::MayCancel(caller, *person));
    } else if (s.status != SessionStatus::kOpen) {
      data.set("not_open", true);
    } else if (!offer->why_not.empty()) {
      data.set("why_not_lead",
               Capitalised(whom) + " cannot book this session yet:");
      Data reasons{Data::type::list};
      for (const auto& r : offer->why_not) reasons.push_back(Data(r));
      data.set("why_not", reasons);
      data.set("has_why_not", true);
    } else if (service::MayBookFor(caller, *person)) {
      data.set("may_book", true);
      data.set("book_label", offer->asks_approval ? "Ask for a place"
                             : offer->places.left > 0
                                 ? "Book a place"
                                 : "Join the waiting list");
      if (offer->asks_approval) {
        SetText(data, "book_hint",
                whom == "you"
                    ? "Your manager is asked to approve your place first."
                    : person->name +
                          "'s manager is asked to approve the place first.");
      } else if (offer->places.left == 0) {
        SetText(data, "book_hint",
                "The session is full. When a place comes free it goes to "
                "the first on the waiting list who can take it.");
      }
    }
  }
  // Who is booked: for those who run the area and the session's trainers;
  // coordinators change the session, book people and cancel places.
  const bool manages = service::MayManageArea(caller);
  if (service::MayReadEverything(caller) ||
      service::MayMarkRegister(caller, s)) {
    auto bookings = store.BookingsOfSession(s.id);
    if (!bookings) return Refused(bookings.error(), &who);
    Data rows{Data::type::list};
    for (const auto& b : *bookings) {
      auto booked = store.FindPerson(b.person);
      if (!booked) return Refused(booked.error(), &who);
      const auto [label, tag] = BookingLabel(b.status);
      Data row;
      row.set("person", *booked ? (*booked)->name : b.person);
      row.set("person_id", b.person);
      row.set("status", std::string(label));
      row.set("tag", std::string(tag));
      row.set("asked", b.requested_at.substr(0, 10));
      if (manages && IsActive(b.status)) row.set("cancel", b.id);
      rows.push_back(row);
    }
    data.set("show_bookings", true);
    data.set("may_manage", manages);
    data.set("may_change", manages && s.register_closed_at.empty());
    data.set("has_bookings", !bookings->empty());
    data.set("bookings", rows);
  }
  data.set("csrf_token", who.csrf_token);
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  const std::string banner = DoneBanner(request.Query("done").value_or(""));
  return Page(status, CourseName(framework, s.course), Render("session", data),
              &who, "/sessions", errors, banner);
}

http::Response Site::BookPlace(Store& store, const Visitor& who,
                               const std::string& id,
                               const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  std::string person = form->Get("person");
  if (person.empty()) person = who.caller.user.person;
  auto booking = service_->Book(store, who.caller, id, person);
  if (!booking) {
    const Error& e = booking.error();
    if (e.code == ErrorCode::kFailedPrecondition ||
        e.code == ErrorCode::kAlreadyExists) {
      // Shown on the session's page again, at the button.
      http::Request again = request;
      again.query = {{"for", person}};
      std::string message = e.message;
      if (e.code == ErrorCode::kFailedPrecondition && !e.fields.empty()) {
        message = "This place cannot be booked: " + e.fields.front().message;
      } else if (e.code == ErrorCode::kAlreadyExists) {
        message = "There is already a booking on this session";
      }
      return SessionPage(store, who, id, again, {{"book", message}}, 409);
    }
    return Refused(e, &who);
  }
  const char* done = booking->status == BookingStatus::kBooked    ? "booked"
                     : booking->status == BookingStatus::kWaiting ? "waiting"
                                                                  : "requested";
  return Redirect(
      Told("/sessions/" + id, done, person, who.caller.user.person));
}

http::Response Site::CancelPage(Store& store, const Visitor& who,
                                const std::string& booking,
                                const std::vector<FieldError>& errors,
                                int status) const {
  auto found = store.FindBooking(booking);
  if (!found) return Refused(found.error(), &who);
  if (!*found) {
    return Refused(
        Error{ErrorCode::kNotFound, "no booking '" + booking + "'", {}}, &who);
  }
  auto person = service_->SeePerson(store, who.caller, (*found)->person);
  if (!person) return Refused(person.error(), &who);
  if (!service::MayCancel(who.caller, *person)) {
    return Refused(service::Forbidden(who.caller, "cancel this booking"), &who);
  }
  auto session = store.FindSession((*found)->session);
  if (!session) return Refused(session.error(), &who);
  if (!*session) {
    return Refused(Error{ErrorCode::kNotFound, "no such session", {}}, &who);
  }
  Data data;
  const std::string whom = Who(who.caller, *person);
  data.set("heading", whom == "you" ? "Cancel your place"
                                    : "Cancel " + person->name + "'s place");
  data.set("course", CourseName(service_->framework(), (*session)->course));
  data.set("when", Times(**session));
  data.set("status", BookingLabel((*found)->status).first);
  data.set("booking", booking);
  data.set("active", IsActive((*found)->status));
  std::string back = "/sessions/" + (*session)->id;
  if (whom != "you") back += "?for=" + person->id;
  data.set("back", back);
  data.set("csrf_token", who.csrf_token);
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  return Page(status, "Cancel a place", Render("cancel", data), &who,
              "/sessions", errors);
}

http::Response Site::CancelBooking(Store& store, const Visitor& who,
                                   const std::string& booking,
                                   const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  const std::string note(Trim(form->Get("reason")));
  if (note.size() > 1000) {
    return CancelPage(
        store, who, booking,
        {{"reason", "The reason must be 1,000 characters or fewer"}}, 422);
  }
  auto change = service_->Cancel(store, who.caller, booking, note);
  if (!change) {
    if (change.error().code == ErrorCode::kFailedPrecondition) {
      return CancelPage(store, who, booking,
                        {{"reason", change.error().message}}, 409);
    }
    return Refused(change.error(), &who);
  }
  return Redirect(Told("/sessions/" + change->booking.session, "cancelled",
                       change->booking.person, who.caller.user.person));
}

http::Response Site::DecideBooking(Store& store, const Visitor& who,
                                   const std::string& booking,
                                   const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  const std::string decision = form->Get("decision");
  if (decision != "approve" && decision != "decline") {
    return Problem(400, "The form could not be read",
                   "Choose to approve or decline the request.", &who);
  }
  const std::string note(Trim(form->Get("note")));
  if (note.size() > 1000) {
    return Problem(422, "The reason is too long",
                   "Go back and give a reason of 1,000 characters or fewer.",
                   &who);
  }
  auto decided =
      service_->Decide(store, who.caller, booking, decision == "approve", note);
  if (!decided) return Refused(decided.error(), &who);
  return Redirect(std::string("/?done=") +
                  (decision == "approve" ? "approved" : "declined"));
}

http::Response Site::Records(Store& store, const Visitor& who) const {
  const std::string& me = who.caller.user.person;
  if (me.empty()) {
    return Problem(404, "You have no training records",
                   "Your account is not a person's in the area.", &who);
  }
  auto records = store.RecordsOf(me);
  if (!records) return Refused(records.error(), &who);
  std::map<std::string, std::string> superseded_by;
  for (const auto& r : *records) {
    if (!r.supersedes.empty()) superseded_by[r.supersedes] = r.id;
  }
  const Framework& framework = service_->framework();
  Data rows{Data::type::list};
  // Newest first.
  for (const TrainingRecord& r : std::ranges::reverse_view(*records)) {
    if (superseded_by.contains(r.id)) continue;
    if (r.outcome == TrainingOutcome::kWithdrawn) continue;
    const Module* module = framework.FindModule(r.module);
    Data row;
    row.set("date", ShortDate(r.date));
    SetText(row, "module", r.module);
    row.set("name", module != nullptr ? module->name : "");
    row.set("outcome", Capitalised(TrainingOutcomeName(r.outcome)));
    row.set("source", Capitalised(RecordSourceName(r.source)));
    row.set("corrected", !r.supersedes.empty());
    rows.push_back(row);
  }
  Data data;
  data.set("has_records", !rows.list_value().empty());
  data.set("records", rows);
  return Page(200, "My records", Render("records", data), &who, "/records");
}

http::Response Site::Team(Store& store, const Visitor& who) const {
  auto team = service::TeamOf(*service_, store, who.caller);
  if (!team) return Refused(team.error(), &who);
  Data rows{Data::type::list};
  for (const auto& member : *team) {
    Data row;
    row.set("id", member.person.id);
    row.set("name", member.person.name);
    row.set("expired", std::to_string(member.needs.expired));
    row.set("outstanding", std::to_string(member.needs.outstanding));
    row.set("due_soon", std::to_string(member.needs.due_soon));
    row.set("done", std::to_string(member.needs.done));
    row.set("requests", std::to_string(member.requests));
    row.set("booked", std::to_string(member.booked));
    rows.push_back(row);
  }
  Data data;
  data.set("has_team", !team->empty());
  data.set("team", rows);
  data.set("count", std::to_string(team->size()));
  data.set("on", LongDate(service_->Today()));
  return Page(200, "My team", Render("team", data), &who, "/team");
}

http::Response Site::PersonPage(Store& store, const Visitor& who,
                                const std::string& id,
                                const http::Request& request) const {
  auto person = service_->SeePerson(store, who.caller, id);
  if (!person) return Refused(person.error(), &who);
  const std::string whom = Who(who.caller, *person);
  auto plan = PlanData(store, *person, "Their plan", whom);
  if (!plan) return Refused(plan.error(), &who);
  plan->set("sub", true);
  Data data;
  data.set("name", person->name);
  data.set("id", person->id);
  auto org = store.FindOrganisation(person->organisation);
  if (!org) return Refused(org.error(), &who);
  data.set("organisation", *org ? (*org)->name : person->organisation);
  data.set("role", person->role);
  data.set("plan", Render("plan", *plan));
  auto bookings = store.BookingsOfPerson(person->id);
  if (!bookings) return Refused(bookings.error(), &who);
  Data rows{Data::type::list};
  for (const auto& b : *bookings) {
    if (!IsActive(b.status)) continue;
    auto session = store.FindSession(b.session);
    if (!session) return Refused(session.error(), &who);
    if (!*session) continue;
    const auto [label, tag] = BookingLabel(b.status);
    Data row;
    row.set("when", Times(**session));
    row.set("course", CourseName(service_->framework(), (*session)->course));
    row.set("href", "/sessions/" + b.session + "?for=" + person->id);
    row.set("status", std::string(label));
    row.set("tag", std::string(tag));
    rows.push_back(row);
  }
  data.set("has_bookings", !rows.list_value().empty());
  data.set("bookings", rows);
  data.set("find", "/sessions?for=" + person->id + "&bookable=yes");
  const std::string banner = DoneBanner(request.Query("done").value_or(""));
  return Page(200, person->name, Render("person", data), &who,
              who.caller.Is(UserRole::kManager) ? "/team" : "", {}, banner);
}

}  // namespace trellis::web
