// Venues and their rooms [MISSION D1]: where sessions are held, how many
// each room seats, whether it is an IT suite with a PC for every seat, and
// its access. Everyone signed in reads them; coordinators add them.
#include <algorithm>

#include "domain/text.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

// The venue `id` with its rooms, or nothing.
std::expected<std::optional<Venue>, Error> FindVenue(Store& store,
                                                     const std::string& id) {
  auto venues = store.ListVenues(ListWindow{.limit = 1000, .offset = 0});
  if (!venues) return std::unexpected(venues.error());
  const auto it = std::ranges::find(*venues, id, &Venue::id);
  if (it == venues->end()) return std::nullopt;
  return *it;
}

// What an id may be: letters, digits, '-' and '_', as in a URL.
std::optional<std::string> IdProblem(const std::string& id) {
  if (id.empty()) return "Enter an id";
  if (id.size() > 100) return "The id must be 100 characters or fewer";
  if (!std::ranges::all_of(id, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '_';
      })) {
    return "The id may have letters, digits, hyphens and underscores only";
  }
  return std::nullopt;
}

int StatusFor(const Error& error) {
  return error.code == ErrorCode::kAlreadyExists ? 409 : 400;
}

}  // namespace

void Site::AddVenuePages() {
  AddPage("GET", "/venues",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            Form none;
            return VenuesPage(store, who, none, {}, 200,
                              request.Query("done").value_or(""));
          });
  AddPage("POST", "/venues",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            auto form = Posted(request, who);
            if (!form) return StaleForm(who);
            Venue venue;
            venue.id = std::string(Trim(form->Get("id")));
            venue.name = std::string(Trim(form->Get("name")));
            venue.address = std::string(Trim(form->Get("address")));
            venue.notes = std::string(Trim(form->Get("notes")));
            std::vector<FieldError> errors;
            if (auto problem = IdProblem(venue.id)) {
              errors.push_back({"id", *problem});
            }
            if (venue.name.empty()) {
              errors.push_back({"name", "Enter the venue's name"});
            }
            if (!errors.empty()) {
              return VenuesPage(store, who, *form, errors, 400, "");
            }
            auto added = service_->AddVenue(store, who.caller, venue);
            if (!added) {
              if (added.error().code == ErrorCode::kPermissionDenied) {
                return Refused(added.error(), &who);
              }
              return VenuesPage(store, who, *form,
                                {{"id", Capitalised(added.error().message)}},
                                StatusFor(added.error()), "");
            }
            return Redirect("/venues/" + http::PercentEncode(venue.id) +
                            "?done=venue");
          });
  AddPage("GET", "/venues/{id}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            Form none;
            return VenuePage(store, who, std::string(params.Get("id")), none,
                             {}, 200, request.Query("done").value_or(""));
          });
  AddPage(
      "POST", "/venues/{id}/rooms",
      [this](Store& store, const Visitor& who, const http::Request& request,
             const http::Params& params) {
        auto form = Posted(request, who);
        if (!form) return StaleForm(who);
        const std::string venue(params.Get("id"));
        Room room;
        room.venue = venue;
        room.id = std::string(Trim(form->Get("id")));
        room.name = std::string(Trim(form->Get("name")));
        room.it_suite = form->Get("it_suite") == "yes";
        room.accessibility = std::string(Trim(form->Get("accessibility")));
        std::vector<FieldError> errors;
        if (auto problem = IdProblem(room.id)) {
          errors.push_back({"id", *problem});
        }
        if (room.name.empty()) {
          errors.push_back({"name", "Enter the room's name"});
        }
        const auto seats = WholeNumber(form->Get("seats"));
        room.seats = seats.value_or(0);
        if (!seats || *seats < 1 || *seats > 10000) {
          errors.push_back(
              {"seats", "Enter how many it seats, a whole number from 1"});
        }
        if (!errors.empty()) {
          return VenuePage(store, who, venue, *form, errors, 400, "");
        }
        auto added = service_->AddRoom(store, who.caller, room);
        if (!added) {
          if (added.error().code == ErrorCode::kPermissionDenied ||
              added.error().code == ErrorCode::kNotFound) {
            return Refused(added.error(), &who);
          }
          return VenuePage(store, who, venue, *form,
                           {{"id", Capitalised(added.error().message)}},
                           StatusFor(added.error()), "");
        }
        return Redirect("/venues/" + http::PercentEncode(venue) + "?done=room");
      });
}

http::Response Site::VenuesPage(Store& store, const Visitor& who,
                                const Form& form,
                                const std::vector<FieldError>& errors,
                                int status, std::string_view done) const {
  auto venues = store.ListVenues(ListWindow{.limit = 1000, .offset = 0});
  if (!venues) return Refused(venues.error(), &who);
  std::ranges::sort(*venues, {}, &Venue::name);
  Data rows{Data::type::list};
  for (const auto& v : *venues) {
    int seats = 0;
    for (const auto& r : v.rooms) seats += r.seats;
    Data row;
    row.set("id", v.id);
    row.set("href", "/venues/" + http::PercentEncode(v.id));
    row.set("name", v.name);
    row.set("address", v.address);
    row.set("rooms", std::to_string(v.rooms.size()));
    row.set("seats", std::to_string(seats));
    rows.push_back(row);
  }
  Data data;
  data.set("venues", rows);
  data.set("has_venues", !venues->empty());
  data.set("may_add", service::MayManageArea(who.caller));
  data.set("csrf_token", who.csrf_token);
  for (const char* f : {"id", "name", "address", "notes"}) {
    data.set(f, form.Get(f));
  }
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  return Page(status, "Venues and rooms", Render("venues", data), &who,
              "/sessions", errors,
              done == "venue" ? "The venue is added." : "");
}

http::Response Site::VenuePage(Store& store, const Visitor& who,
                               const std::string& id, const Form& form,
                               const std::vector<FieldError>& errors,
                               int status, std::string_view done) const {
  auto venue = FindVenue(store, id);
  if (!venue) return Refused(venue.error(), &who);
  if (!*venue) {
    return Refused(Error{ErrorCode::kNotFound, "no venue '" + id + "'", {}},
                   &who);
  }
  const Venue& v = **venue;
  Data rooms{Data::type::list};
  for (const auto& r : v.rooms) {
    Data row;
    row.set("id", r.id);
    row.set("name", r.name);
    row.set("seats", std::to_string(r.seats));
    row.set("it_suite", r.it_suite ? "Yes: a PC for every seat" : "No");
    row.set("accessibility", r.accessibility);
    rooms.push_back(row);
  }
  Data data;
  data.set("venue_id", v.id);
  data.set("action", "/venues/" + http::PercentEncode(v.id) + "/rooms");
  data.set("venue_name", v.name);
  SetText(data, "address", v.address);
  SetText(data, "venue_notes", v.notes);
  data.set("rooms", rooms);
  data.set("has_rooms", !v.rooms.empty());
  data.set("may_add", service::MayManageArea(who.caller));
  data.set("csrf_token", who.csrf_token);
  for (const char* f : {"id", "name", "seats", "accessibility"}) {
    data.set(f, form.Get(f));
  }
  data.set("it_suite", form.Get("it_suite") == "yes");
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  std::string banner;
  if (done == "venue") banner = "The venue is added. Now add its rooms.";
  if (done == "room") banner = "The room is added.";
  return Page(status, v.name, Render("venue", data), &who, "/sessions", errors,
              banner);
}

}  // namespace trellis::web
