#include "api/api.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <set>

#include "api/json_codec.h"
#include "domain/text.h"
#include "engine/needs.h"
#include "http/log.h"
#include "service/credentials.h"
#include "service/roll_out.h"
#include "service/session_offers.h"

namespace trellis::api {

using nlohmann::json;
using service::Caller;

struct Api::Context {
  const http::Request& request;
  const http::Params& params;
  Store& store;
  Caller caller;
  // The data version read at the start of a GET or HEAD (Store::
  // DataVersion), before anything else: what answers kept in memory are
  // checked against. Absent for other methods: nothing kept is used.
  std::optional<long long> version;
};

namespace {

http::Response Json(int status, const json& body) {
  http::Response response;
  response.status = status;
  response.body = body.dump();
  return response;
}

http::Response Ok(const json& body) { return Json(200, body); }

Error Invalid(const std::string& field, const std::string& message) {
  return Error{
      ErrorCode::kInvalidArgument, field + " " + message, {{field, message}}};
}

Error NotFound(const std::string& what, const std::string& id,
               const std::string& field) {
  return Error{ErrorCode::kNotFound,
               "no " + what + " '" + id + "'",
               {{field, "not known"}}};
}

// limit (1-1000, default 50) and offset (0 or more) from the query.
std::expected<ListWindow, Error> Window(const http::Request& request) {
  ListWindow window;
  auto number = [&](const char* name, int min, int max,
                    int& out) -> std::expected<void, Error> {
    auto text = request.Query(name);
    if (!text) return {};
    int value = 0;
    auto [ptr, ec] =
        std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size() ||
        value < min || value > max) {
      return std::unexpected(Invalid(name, "must be a whole number from " +
                                               std::to_string(min) + " to " +
                                               std::to_string(max)));
    }
    out = value;
    return {};
  };
  if (auto ok = number("limit", 1, 1000, window.limit); !ok) {
    return std::unexpected(ok.error());
  }
  if (auto ok = number("offset", 0, 100'000'000, window.offset); !ok) {
    return std::unexpected(ok.error());
  }
  return window;
}

// A page of a list read whole (a person's records, needs, bookings): the
// window's slice of `items`, with the same paging fields as Page.
json PageOf(const json& items, const ListWindow& window) {
  const auto size = static_cast<std::ptrdiff_t>(items.size());
  const auto first = std::min<std::ptrdiff_t>(window.offset, size);
  const auto last = std::min<std::ptrdiff_t>(first + window.limit, size);
  json page(items.begin() + first, items.begin() + last);
  return {{"items", std::move(page)},
          {"limit", window.limit},
          {"offset", window.offset},
          {"next_offset", last < size ? json(last) : json(nullptr)}};
}

json Page(json items, const ListWindow& window) {
  const bool more = static_cast<int>(items.size()) == window.limit;
  return {{"items", std::move(items)},
          {"limit", window.limit},
          {"offset", window.offset},
          {"next_offset",
           more ? json(window.offset + window.limit) : json(nullptr)}};
}

std::expected<std::optional<Date>, Error> DateParam(
    const http::Request& request, const char* name) {
  auto text = request.Query(name);
  if (!text) return std::nullopt;
  auto date = ParseIsoDate(*text);
  if (!date) return std::unexpected(Invalid(name, date.error()));
  return *date;
}

// The request's JSON object, or the answer for a body that is not one: 400
// when it is not JSON at all, 422 when it is JSON of another kind. An empty
// body reads as {} when `empty_is_object` (the fields are all optional).
std::expected<FieldReader, http::Response> ReadBody(
    const http::Request& request, bool empty_is_object = false) {
  bool malformed = false;
  auto body = FieldReader::Parse(
      empty_is_object && request.body.empty() ? "{}" : request.body, malformed);
  if (!body) {
    return std::unexpected(
        http::ErrorResponse(malformed ? 400 : 422, body.error()));
  }
  return std::move(*body);
}

// The optional {"note": "..."} of a decision or a cancellation.
std::expected<std::string, http::Response> ReadNote(
    const http::Request& request) {
  auto body = ReadBody(request, /*empty_is_object=*/true);
  if (!body) return std::unexpected(std::move(body.error()));
  std::string note = body->String("note", false, 2000);
  if (auto done = body->Finish(); !done) {
    return std::unexpected(http::ErrorResponse(422, done.error()));
  }
  return note;
}

// The answer when no store can be had (the database is missing, down or
// busy): 503 "unavailable" whatever the cause, with Retry-After.
http::Response NoStore(const Error& error) {
  auto response = http::ErrorResponse(
      503, Error{ErrorCode::kUnavailable, error.message, error.fields});
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

// The answer kept under `key` for the request's data version, else the one
// `make` gives, kept when it is a success and the version was read (GET).
std::expected<http::Response, Error> KeptAnswer(
    service::VersionCache<std::string>& cache, const std::string& key,
    std::optional<long long> version,
    const std::function<std::expected<http::Response, Error>()>& make) {
  if (version) {
    if (auto kept = cache.Find(key, *version)) {
      http::Response response;
      response.body = *kept;
      return response;
    }
  }
  auto answer = make();
  if (answer && version && answer->status == 200) {
    cache.Keep(key, *version, answer->body, answer->body.size());
  }
  return answer;
}

// Whether the method changes something, so a cookie caller must show the
// sign-in's CSRF token.
bool Changes(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

std::string SignInCookie(const std::string& value, int max_age, bool secure) {
  std::string cookie =
      std::string(kSignInCookie) + "=" + value +
      "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

Api::Api(std::shared_ptr<service::AreaService> service,
         std::shared_ptr<StorePool> pool, ApiOptions options)
    : service_(std::move(service)),
      pool_(std::move(pool)),
      options_(std::move(options)) {
  AddRoutes();
}

void Api::Open(const std::string& method, const std::string& pattern,
               http::RouteHandler handler) {
  router_.Add(method, pattern, std::move(handler));
  routes_.emplace_back(method, pattern);
}

void Api::Route(const std::string& method, const std::string& pattern,
                Body body) {
  Open(method, pattern,
       [this, body = std::move(body)](const http::Request& request,
                                      const http::Params& params) {
         return Run(request, params, body);
       });
}

http::Response Api::Run(const http::Request& request,
                        const http::Params& params, const Body& body) const {
  auto lease = pool_->Borrow(Changes(request.method) ? StorePool::Use::kChange
                                                     : StorePool::Use::kRead);
  if (!lease) return NoStore(lease.error());
  Store& store = **lease;
  auto fail = [&](const Error& error) {
    if (error.code == ErrorCode::kUnavailable) lease->Discard();
    auto response = http::ErrorResponse(http::StatusOf(error.code), error);
    if (error.code == ErrorCode::kUnauthenticated) {
      response.headers.emplace_back("WWW-Authenticate",
                                    "Bearer realm=\"trellis\"");
    }
    if (error.code == ErrorCode::kUnavailable) {
      response.headers.emplace_back("Retry-After", "1");
    }
    return response;
  };

  // The request's reads see one snapshot until it writes (Store::
  // StartReading), and a GET may be answered from what was kept under its
  // data version.
  std::optional<long long> version;
  struct Reading {
    StorePool::Lease* lease = nullptr;
    ~Reading() {
      if (lease != nullptr && !(*lease)->EndReading()) lease->Discard();
    }
  } reading;
  if (auto started = store.StartReading(); !started) {
    return fail(started.error());
  }
  reading.lease = &*lease;
  if (request.method == "GET" || request.method == "HEAD") {
    auto read = store.DataVersion();
    if (!read) return fail(read.error());
    version = *read;
  }

  // Who is asking: a bearer token, else a sign-in cookie.
  std::expected<Caller, Error> caller =
      std::unexpected(Error{ErrorCode::kUnauthenticated,
                            "sign in, or send an API token as "
                            "'Authorization: Bearer TOKEN'",
                            {}});
  if (auto auth = request.Header("authorization")) {
    if (!auth->starts_with("Bearer ")) {
      return fail(Error{ErrorCode::kUnauthenticated,
                        "the Authorization header must be 'Bearer TOKEN'",
                        {}});
    }
    caller =
        service_->CallerFromToken(store, std::string(auth->substr(7)), version);
  } else {
    for (const auto& [name, value] : request.Cookies()) {
      if (name != kSignInCookie) continue;
      auto signed_in = service_->CallerFromSignIn(store, value);
      if (!signed_in) {
        caller = std::unexpected(signed_in.error());
        break;
      }
      if (Changes(request.method)) {
        auto token = request.Header("x-csrf-token");
        if (!token || !service::SameSecret(*token, signed_in->second)) {
          return fail(Error{ErrorCode::kPermissionDenied,
                            "a change from a signed-in browser needs the "
                            "sign-in's X-CSRF-Token header",
                            {{"X-CSRF-Token", "missing or wrong"}}});
        }
      }
      caller = std::move(signed_in->first);
      break;
    }
  }
  if (!caller) return fail(caller.error());

  Context context{request, params, store, std::move(*caller), version};
  auto run = [&]() -> http::Response {
    auto answer = body(context);
    if (!answer) return fail(answer.error());
    return std::move(*answer);
  };

  // A POST sent again with the same Idempotency-Key answers as the first.
  auto key = request.Header("idempotency-key");
  if (request.method != "POST" || !key) return run();
  if (key->empty() || key->size() > 200) {
    return fail(Invalid("Idempotency-Key", "must be 1 to 200 characters"));
  }
  const std::string user = context.caller.user.id;
  const std::string fingerprint = request.method + " " + request.path + " " +
                                  service::SecretHash(request.body);
  auto kept = store.ClaimKey(user, std::string(*key), fingerprint);
  if (!kept) return fail(kept.error());
  if (*kept) {
    if ((*kept)->fingerprint != fingerprint) {
      return fail(Error{ErrorCode::kInvalidArgument,
                        "this Idempotency-Key was sent with another request; "
                        "use a new key for a new request",
                        {{"Idempotency-Key", "used for another request"}}});
    }
    if ((*kept)->status == 0) {
      auto busy = fail(Error{ErrorCode::kConflict,
                             "the first request with this Idempotency-Key "
                             "is still being answered; try again shortly",
                             {}});
      busy.headers.emplace_back("Retry-After", "1");
      return busy;
    }
    http::Response replay;
    replay.status = (*kept)->status;
    replay.body = (*kept)->body;
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  http::Response response = run();
  if (response.status >= 500) {
    (void)store.ReleaseKey(user, std::string(*key));
  } else if (auto done = store.KeepResponse(user, std::string(*key),
                                            response.status, response.body);
             !done) {
    http::LogEvent(spdlog::level::warn, "idempotency-key-not-kept",
                   {{"request_id", request.request_id},
                    {"message", done.error().message}});
  }
  return response;
}

void Api::AddRoutes() {
  Open("GET", "/healthz", [](const http::Request&, const http::Params&) {
    return Ok({{"status", "ok"}});
  });
  Open("GET", "/readyz", [this](const http::Request&, const http::Params&) {
    auto lease = pool_->Borrow();
    if (!lease) {
      return Json(
          503, {{"status", "unavailable"}, {"message", lease.error().message}});
    }
    auto version = (*lease)->SchemaVersion();
    if (!version) {
      lease->Discard();
      return Json(503, {{"status", "unavailable"},
                        {"message", version.error().message}});
    }
    return Ok({{"status", "ready"}, {"schema", *version}});
  });

  // Signing in and out.
  Open("POST", "/api/v1/sign-in",
       [this](const http::Request& request, const http::Params&) {
         auto body = ReadBody(request);
         if (!body) return std::move(body.error());
         const std::string email = ToLower(body->String("email", true, 254));
         const std::string password =
             body->String("password", true, service::kMaxPasswordLength);
         if (auto done = body->Finish(); !done) {
           return http::ErrorResponse(422, done.error());
         }
         const auto now = std::chrono::steady_clock::now();
         if (service_->SignInBlocked(email, now)) {
           auto response = http::ErrorResponse(
               429, "too_many_requests",
               "too many failed sign-ins for this email; wait and try again");
           response.headers.emplace_back(
               "Retry-After",
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                  service_->options().sign_in_window)
                                  .count()));
           return response;
         }
         auto lease = pool_->Borrow();
         if (!lease) return NoStore(lease.error());
         auto caller = service_->SignInWithPassword(**lease, email, password);
         if (!caller) {
           if (caller.error().code == ErrorCode::kUnauthenticated) {
             service_->SignInFailed(email, now);
           }
           return http::ErrorResponse(http::StatusOf(caller.error().code),
                                      caller.error());
         }
         auto started = service_->StartSignIn(**lease, *caller);
         if (!started) {
           return http::ErrorResponse(http::StatusOf(started.error().code),
                                      started.error());
         }
         http::LogEvent(
             spdlog::level::info, "sign-in",
             {{"user", caller->user.id}, {"request_id", request.request_id}});
         auto response = Ok({{"user", ToJson(caller->user)},
                             {"csrf_token", started->csrf_token}});
         const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
             service_->options().sign_in_lifetime);
         response.headers.emplace_back(
             "Set-Cookie",
             SignInCookie(started->secret, static_cast<int>(lifetime.count()),
                          options_.secure_cookies || request.tls));
         return response;
       });
  Route("POST", "/api/v1/sign-out",
        [this](Context& c) -> std::expected<http::Response, Error> {
          for (const auto& [name, value] : c.request.Cookies()) {
            if (name == kSignInCookie) {
              if (auto done = c.store.RemoveSignIn(service::SecretHash(value));
                  !done) {
                return std::unexpected(done.error());
              }
            }
          }
          auto response = Ok({{"signed_out", true}});
          response.headers.emplace_back(
              "Set-Cookie",
              SignInCookie("", 0, options_.secure_cookies || c.request.tls));
          return response;
        });
  Route("GET", "/api/v1/me",
        [](Context& c) -> std::expected<http::Response, Error> {
          json me = {{"user", ToJson(c.caller.user)}, {"via", c.caller.via}};
          return Ok(me);
        });

  // The framework the area works to.
  Route("GET", "/api/v1/framework",
        [this](Context&) -> std::expected<http::Response, Error> {
          const Framework& fw = service_->framework();
          json modules = json::array();
          for (const auto& m : fw.modules) {
            modules.push_back({{"ref", m.ref},
                               {"name", m.name},
                               {"process", m.process.id},
                               {"system_specific", m.system_specific}});
          }
          json courses = json::array();
          for (const auto& course : fw.courses) {
            json refs = json::array();
            for (const auto& r : course.modules) refs.push_back(r.id);
            json audiences = json::array();
            for (const auto& r : course.audiences) audiences.push_back(r.id);
            courses.push_back({{"id", course.id},
                               {"name", course.name},
                               {"modules", refs},
                               {"audiences", audiences}});
          }
          json audiences = json::array();
          for (const auto& a : fw.audiences) {
            audiences.push_back({{"id", a.id}, {"name", a.name}});
          }
          json groups = json::array();
          for (const auto& g : fw.priority_groups) {
            groups.push_back({{"id", g.id}, {"name", g.name}});
          }
          return Ok({{"id", fw.info.id},
                     {"title", fw.info.title},
                     {"version", fw.info.version},
                     {"modules", modules},
                     {"courses", courses},
                     {"audiences", audiences},
                     {"priority_groups", groups}});
        });

  // Organisations: everyone signed in may read the list and one.
  Route("GET", "/api/v1/organisations",
        [](Context& c) -> std::expected<http::Response, Error> {
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          auto orgs = c.store.ListOrganisations(*window);
          if (!orgs) return std::unexpected(orgs.error());
          json items = json::array();
          for (const auto& o : *orgs) items.push_back(ToJson(o));
          return Ok(Page(std::move(items), *window));
        });
  Route("GET", "/api/v1/organisations/{id}",
        [](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto org = c.store.FindOrganisation(id);
          if (!org) return std::unexpected(org.error());
          if (!*org) return std::unexpected(NotFound("organisation", id, "id"));
          return Ok(ToJson(**org));
        });

  // People, as far as the caller may see them.
  Route(
      "GET", "/api/v1/people",
      [](Context& c) -> std::expected<http::Response, Error> {
        auto window = Window(c.request);
        if (!window) return std::unexpected(window.error());
        std::string organisation(c.request.Query("organisation").value_or(""));
        std::string manager(c.request.Query("manager").value_or(""));
        const User& user = c.caller.user;
        switch (user.role) {
          case UserRole::kCoordinator:
          case UserRole::kAuditor:
            break;
          case UserRole::kOrganisationLead:
            // An account without its organisation sees no one, not everyone.
            if (user.organisation.empty()) {
              return Ok(Page(json::array(), *window));
            }
            if (!organisation.empty() && organisation != user.organisation) {
              return std::unexpected(service::Forbidden(
                  c.caller, "list another organisation's people"));
            }
            organisation = user.organisation;
            break;
          case UserRole::kManager:
            // An account without its person has no team.
            if (user.person.empty()) return Ok(Page(json::array(), *window));
            if (!manager.empty() && manager != user.person) {
              return std::unexpected(
                  service::Forbidden(c.caller, "list another manager's team"));
            }
            manager = user.person;
            break;
          case UserRole::kLearner:
          case UserRole::kTrainer: {
            json items = json::array();
            if (!user.person.empty() && window->offset == 0) {
              auto self = c.store.FindPerson(user.person);
              if (!self) return std::unexpected(self.error());
              if (*self) items.push_back(ToJson(**self));
            }
            return Ok(Page(std::move(items), *window));
          }
        }
        auto people = c.store.ListPeople(organisation, manager, *window);
        if (!people) return std::unexpected(people.error());
        json items = json::array();
        for (const auto& p : *people) items.push_back(ToJson(p));
        return Ok(Page(std::move(items), *window));
      });
  Route("GET", "/api/v1/people/{id}",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto person = service_->SeePerson(c.store, c.caller,
                                            std::string(c.params.Get("id")));
          if (!person) return std::unexpected(person.error());
          return Ok(ToJson(*person));
        });
  Route("GET", "/api/v1/people/{id}/records",
        [this](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto person = service_->SeePerson(c.store, c.caller, id);
          if (!person) return std::unexpected(person.error());
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          const auto module = c.request.Query("module");
          auto records = c.store.RecordsOf(id);
          if (!records) return std::unexpected(records.error());
          json items = json::array();
          for (const auto& r : *records) {
            if (!module || r.module == *module) items.push_back(ToJson(r));
          }
          json page = PageOf(items, *window);
          page["person"] = id;
          return Ok(page);
        });
  Route("GET", "/api/v1/people/{id}/needs",
        [this](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto person = service_->SeePerson(c.store, c.caller, id);
          if (!person) return std::unexpected(person.error());
          auto on = DateParam(c.request, "on");
          if (!on) return std::unexpected(on.error());
          NeedsOptions options;
          options.on = on->value_or(service_->Today());
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          const auto status = c.request.Query("status");
          if (status && !ParseNeedStatus(*status)) {
            return std::unexpected(
                Invalid("status",
                        "must be done, due-soon, expired, outstanding or "
                        "not-applicable"));
          }
          // Whoever may see the person sees the same needs: the answer is
          // kept for the day while the data version stands.
          return KeptAnswer(
              person_needs_,
              c.request.target + " on " + FormatIsoDate(options.on), c.version,
              [&]() -> std::expected<http::Response, Error> {
                auto needs = service_->NeedsOf(c.store, *person, options.on);
                if (!needs) return std::unexpected(needs.error());
                json items = json::array();
                for (const auto& need : *needs) {
                  if (!status || NeedStatusName(need.status) == *status) {
                    items.push_back(ToJson(need));
                  }
                }
                json page = PageOf(items, *window);
                page["person"] = id;
                page["on"] = FormatIsoDate(options.on);
                page["framework"] = service_->framework().info.id;
                return Ok(page);
              });
        });
  Route("GET", "/api/v1/people/{id}/bookings",
        [this](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto person = service_->SeePerson(c.store, c.caller, id);
          if (!person) return std::unexpected(person.error());
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          const auto status = c.request.Query("status");
          if (status && !ParseBookingStatus(*status)) {
            return std::unexpected(
                Invalid("status", "must be a booking status, e.g. booked"));
          }
          auto bookings = c.store.BookingsOfPerson(id);
          if (!bookings) return std::unexpected(bookings.error());
          json items = json::array();
          for (const auto& b : *bookings) {
            if (!status || BookingStatusName(b.status) == *status) {
              items.push_back(ToJson(b));
            }
          }
          json page = PageOf(items, *window);
          page["person"] = id;
          return Ok(page);
        });
  Route("GET", "/api/v1/people/{id}/notifications",
        [this](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto person = service_->SeePerson(c.store, c.caller, id);
          if (!person) return std::unexpected(person.error());
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          auto notes = c.store.NotificationsOf(id, *window);
          if (!notes) return std::unexpected(notes.error());
          json items = json::array();
          for (const auto& n : *notes) items.push_back(ToJson(n));
          json page = Page(std::move(items), *window);
          page["person"] = id;
          return Ok(page);
        });

  // Venues and rooms: everyone reads; coordinators add.
  Route("GET", "/api/v1/venues",
        [](Context& c) -> std::expected<http::Response, Error> {
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          auto venues = c.store.ListVenues(*window);
          if (!venues) return std::unexpected(venues.error());
          json items = json::array();
          for (const auto& v : *venues) items.push_back(ToJson(v));
          return Ok(Page(std::move(items), *window));
        });
  Route("POST", "/api/v1/venues",
        [this](Context& c) -> std::expected<http::Response, Error> {
          if (!service::MayManageArea(c.caller)) {
            return std::unexpected(service::Forbidden(c.caller, "add venues"));
          }
          auto body = ReadBody(c.request);
          if (!body) return std::move(body.error());
          Venue venue;
          venue.id = body->String("id", true, 100);
          venue.name = body->String("name", true, 200);
          venue.address = body->String("address", false, 1000);
          venue.notes = body->String("notes", false, 4000);
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          if (auto added = service_->AddVenue(c.store, c.caller, venue);
              !added) {
            return std::unexpected(added.error());
          }
          auto response = Json(201, ToJson(venue));
          response.headers.emplace_back("Location", "/api/v1/venues");
          return response;
        });
  Route("POST", "/api/v1/venues/{id}/rooms",
        [this](Context& c) -> std::expected<http::Response, Error> {
          if (!service::MayManageArea(c.caller)) {
            return std::unexpected(service::Forbidden(c.caller, "add rooms"));
          }
          auto body = ReadBody(c.request);
          if (!body) return std::move(body.error());
          Room room;
          room.venue = std::string(c.params.Get("id"));
          room.id = body->String("id", true, 100);
          room.name = body->String("name", true, 200);
          room.seats = body->Int("seats", true, 1, 10000).value_or(0);
          room.it_suite = body->Bool("it_suite", false);
          room.accessibility = body->String("accessibility", false, 1000);
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          if (auto added = service_->AddRoom(c.store, c.caller, room); !added) {
            return std::unexpected(added.error());
          }
          return Json(201, ToJson(room));
        });

  // Roll-out plans [MISSION E]: the area's plan files, and one planned on
  // the area's people (?on=DATE, ?set=KEY=VALUE repeated). Coordinators
  // and auditors.
  Route("GET", "/api/v1/roll-outs",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto plans = service::ListPlans(c.caller, options_.plans);
          if (!plans) return std::unexpected(plans.error());
          json items = json::array();
          for (const auto& p : *plans) {
            items.push_back(
                {{"id", p.id},
                 {"name", p.name},
                 {"from", p.from ? json(FormatIsoDate(*p.from)) : json()},
                 {"to", p.to ? json(FormatIsoDate(*p.to)) : json()},
                 {"errors", p.errors}});
          }
          return Ok({{"items", items}});
        });
  Route("GET", "/api/v1/roll-outs/{id}",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto on = DateParam(c.request, "on");
          if (!on) return std::unexpected(on.error());
          std::vector<std::string> settings;
          const auto& target = c.request.target;
          if (const auto q = target.find('?'); q != std::string::npos) {
            auto query =
                http::ParseQuery(std::string_view(target).substr(q + 1));
            if (!query) return std::unexpected(query.error());
            for (auto& [name, value] : *query) {
              if (name == "set") settings.push_back(std::move(value));
            }
          }
          auto planned = service::PlanFromFolder(
              *service_, c.store, c.caller, options_.plans,
              std::string(c.params.Get("id")), settings,
              on->value_or(service_->Today()));
          if (!planned) return std::unexpected(planned.error());
          json body = json::parse(plan::FormatRollOutJson(
              planned->plan, planned->instance, planned->result));
          body["on"] = FormatIsoDate(planned->on);
          body["settings"] = planned->settings;
          json findings = json::array();
          for (const auto& f : planned->findings) {
            findings.push_back(
                {{"severity",
                  f.severity == Severity::kError ? "error" : "warning"},
                 {"line", f.pos.line},
                 {"message", f.message}});
          }
          body["findings"] = findings;
          return Ok(body);
        });

  // Committing a plan: its calendar becomes the area's sessions and its
  // people's bookings, through the service's own paths. Coordinators.
  // Committing again adds only what is missing.
  Route("POST", "/api/v1/roll-outs/{id}/commit",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto body = ReadBody(c.request, /*empty_is_object=*/true);
          if (!body) return std::move(body.error());
          const std::vector<std::string> settings = body->Strings("set");
          const auto on = body->IsoDate("on", false);
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          if (!service::MayManageArea(c.caller)) {
            return std::unexpected(
                service::Forbidden(c.caller, "commit a roll-out plan"));
          }
          auto planned = service::PlanFromFolder(
              *service_, c.store, c.caller, options_.plans,
              std::string(c.params.Get("id")), settings,
              on.value_or(service_->Today()));
          if (!planned) return std::unexpected(planned.error());
          auto report =
              service::CommitRollOut(*service_, c.store, c.caller, *planned);
          if (!report) return std::unexpected(report.error());
          json refused = json::array();
          for (const auto& r : report->refused) {
            refused.push_back(
                {{"session", r.session},
                 {"person", r.person.empty() ? json() : json(r.person)},
                 {"why", r.why}});
          }
          json not_booked = json::object();
          for (const auto& [why, count] : report->not_booked) {
            not_booked[why] = count;
          }
          return Ok({{"plan", planned->plan.id},
                     {"on", FormatIsoDate(planned->on)},
                     {"settings", planned->settings},
                     {"sessions_added", report->sessions_added},
                     {"sessions_kept", report->sessions_kept},
                     {"booked", report->booked},
                     {"already_booked", report->already_booked},
                     {"held_elsewhere", report->held_elsewhere},
                     {"sessions", report->sessions},
                     {"not_booked", not_booked},
                     {"refused", refused}});
        });

  // Sessions: everyone signed in reads; coordinators schedule.
  Route("GET", "/api/v1/sessions",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          SessionFilter filter;
          filter.window = *window;
          filter.course = std::string(c.request.Query("course").value_or(""));
          filter.trainer = std::string(c.request.Query("trainer").value_or(""));
          filter.room = std::string(c.request.Query("room").value_or(""));
          if (auto status = c.request.Query("status")) {
            filter.status = ParseSessionStatus(*status);
            if (!filter.status) {
              return std::unexpected(Invalid(
                  "status", "must be planned, open, closed or cancelled"));
            }
          }
          auto from = DateParam(c.request, "from");
          if (!from) return std::unexpected(from.error());
          filter.from = *from;
          auto to = DateParam(c.request, "to");
          if (!to) return std::unexpected(to.error());
          filter.to = *to;
          // Everyone signed in reads the same list: the answer is kept
          // while the data version stands.
          return KeptAnswer(session_lists_, c.request.target, c.version,
                            [&]() -> std::expected<http::Response, Error> {
                              auto sessions = c.store.ListSessions(filter);
                              if (!sessions)
                                return std::unexpected(sessions.error());
                              json items = json::array();
                              for (const auto& s : *sessions)
                                items.push_back(ToJson(s));
                              return Ok(Page(std::move(items), *window));
                            });
        });
  // A session with how its places stand.
  auto with_places =
      [](Store& store,
         const CourseSession& session) -> std::expected<json, Error> {
    auto places = service::PlacesOf(store, session);
    if (!places) return std::unexpected(places.error());
    json body = ToJson(session);
    body["booked"] = places->booked;
    body["waiting"] = places->waiting;
    body["requested"] = places->requested;
    body["places_left"] = places->left;
    return body;
  };
  auto session_answer =
      [with_places](Store& store, const CourseSession& session,
                    int status) -> std::expected<http::Response, Error> {
    auto body = with_places(store, session);
    if (!body) return std::unexpected(body.error());
    return Json(status, *body);
  };
  Route("POST", "/api/v1/sessions",
        [this,
         session_answer](Context& c) -> std::expected<http::Response, Error> {
          if (!service::MayManageArea(c.caller)) {
            return std::unexpected(
                service::Forbidden(c.caller, "schedule sessions"));
          }
          auto body = ReadBody(c.request);
          if (!body) return std::move(body.error());
          auto session = SessionFromJson(*body);
          if (!session) return std::unexpected(session.error());
          auto added = service_->AddSession(c.store, c.caller, *session);
          if (!added) return std::unexpected(added.error());
          auto response = session_answer(c.store, *added, 201);
          if (response) {
            response->headers.emplace_back("Location",
                                           "/api/v1/sessions/" + added->id);
          }
          return response;
        });
  Route("GET", "/api/v1/sessions/{id}",
        [session_answer](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto session = c.store.FindSession(id);
          if (!session) return std::unexpected(session.error());
          if (!*session) return std::unexpected(NotFound("session", id, "id"));
          return session_answer(c.store, **session, 200);
        });
  Route(
      "PUT", "/api/v1/sessions/{id}",
      [this, with_places](Context& c) -> std::expected<http::Response, Error> {
        if (!service::MayManageArea(c.caller)) {
          return std::unexpected(
              service::Forbidden(c.caller, "change sessions"));
        }
        auto body = ReadBody(c.request);
        if (!body) return std::move(body.error());
        const bool status_given = body->Has("status");
        auto session = SessionFromJson(*body);
        if (!session) return std::unexpected(session.error());
        session->id = std::string(c.params.Get("id"));
        auto kept = c.store.FindSession(session->id);
        if (!kept) return std::unexpected(kept.error());
        if (!*kept) {
          return std::unexpected(NotFound("session", session->id, "id"));
        }
        // Left out, the status and the seats stay as they are.
        if (!status_given) session->status = (*kept)->status;
        if (session->seats == 0) session->seats = (*kept)->seats;
        auto promotions = service_->UpdateSession(c.store, c.caller, *session);
        if (!promotions) return std::unexpected(promotions.error());
        auto updated = c.store.FindSession(session->id);
        if (!updated) return std::unexpected(updated.error());
        if (!*updated) {
          return std::unexpected(NotFound("session", session->id, "id"));
        }
        auto answer = with_places(c.store, **updated);
        if (!answer) return std::unexpected(answer.error());
        (*answer)["promotions"] = ToJson(*promotions);
        return Ok(*answer);
      });

  // Bookings.
  Route(
      "GET", "/api/v1/sessions/{id}/bookings",
      [](Context& c) -> std::expected<http::Response, Error> {
        const std::string id(c.params.Get("id"));
        auto session = c.store.FindSession(id);
        if (!session) return std::unexpected(session.error());
        if (!*session) return std::unexpected(NotFound("session", id, "id"));
        auto bookings = c.store.BookingsOfSession(id);
        if (!bookings) return std::unexpected(bookings.error());
        const bool all = service::MayReadEverything(c.caller) ||
                         service::MayMarkRegister(c.caller, **session);
        json items = json::array();
        for (const auto& b : *bookings) {
          if (!all) {
            auto person = c.store.FindPerson(b.person);
            if (!person) return std::unexpected(person.error());
            if (!*person || !service::MaySeePerson(c.caller, **person, false)) {
              continue;
            }
          }
          items.push_back(ToJson(b));
        }
        return Ok({{"session", id}, {"items", items}});
      });
  Route("POST", "/api/v1/sessions/{id}/bookings",
        [this](Context& c) -> std::expected<http::Response, Error> {
          // No body books the caller's own place.
          auto body = ReadBody(c.request, /*empty_is_object=*/true);
          if (!body) return std::move(body.error());
          std::string person = body->String("person", false, 100);
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          if (person.empty()) person = c.caller.user.person;
          if (person.empty()) {
            return std::unexpected(Invalid(
                "person", "is required: this account is not a person's"));
          }
          auto booking = service_->Book(
              c.store, c.caller, std::string(c.params.Get("id")), person);
          if (!booking) return std::unexpected(booking.error());
          auto response = Json(201, ToJson(*booking));
          response.headers.emplace_back("Location",
                                        "/api/v1/bookings/" + booking->id);
          return response;
        });
  Route("GET", "/api/v1/bookings/{id}",
        [this](Context& c) -> std::expected<http::Response, Error> {
          const std::string id(c.params.Get("id"));
          auto booking = c.store.FindBooking(id);
          if (!booking) return std::unexpected(booking.error());
          if (!*booking) return std::unexpected(NotFound("booking", id, "id"));
          auto person =
              service_->SeePerson(c.store, c.caller, (*booking)->person);
          if (!person) return std::unexpected(person.error());
          return Ok(ToJson(**booking));
        });
  auto decision = [this](bool approve) {
    return [this, approve](Context& c) -> std::expected<http::Response, Error> {
      auto note = ReadNote(c.request);
      if (!note) return std::move(note.error());
      auto decided = service_->Decide(
          c.store, c.caller, std::string(c.params.Get("id")), approve, *note);
      if (!decided) return std::unexpected(decided.error());
      return Ok(ToJson(*decided));
    };
  };
  Route("POST", "/api/v1/bookings/{id}/approve", decision(true));
  Route("POST", "/api/v1/bookings/{id}/decline", decision(false));
  Route("POST", "/api/v1/bookings/{id}/cancel",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto note = ReadNote(c.request);
          if (!note) return std::move(note.error());
          auto change = service_->Cancel(
              c.store, c.caller, std::string(c.params.Get("id")), *note);
          if (!change) return std::unexpected(change.error());
          json answer = ToJson(change->booking);
          answer["promotions"] = ToJson(change->promotions);
          return Ok(answer);
        });

  // Registers.
  Route("GET", "/api/v1/sessions/{id}/register",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto reg = service_->ReadRegister(c.store, c.caller,
                                            std::string(c.params.Get("id")));
          if (!reg) return std::unexpected(reg.error());
          return Ok(ToJson(*reg));
        });
  Route("PUT", "/api/v1/sessions/{id}/register/{person}",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto body = ReadBody(c.request);
          if (!body) return std::move(body.error());
          auto mark = MarkFromJson(*body, std::string(c.params.Get("person")));
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          auto entry = service_->MarkRegister(
              c.store, c.caller, std::string(c.params.Get("id")), mark);
          if (!entry) return std::unexpected(entry.error());
          return Ok(ToJson(*entry));
        });
  Route("POST", "/api/v1/sessions/{id}/register/close",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto closing = service_->CloseRegister(
              c.store, c.caller, std::string(c.params.Get("id")));
          if (!closing) return std::unexpected(closing.error());
          return Ok(ToJson(*closing));
        });
  Route("POST", "/api/v1/sessions/{id}/register/{person}/correction",
        [this](Context& c) -> std::expected<http::Response, Error> {
          auto body = ReadBody(c.request);
          if (!body) return std::move(body.error());
          auto mark = MarkFromJson(*body, std::string(c.params.Get("person")));
          const std::string reason = body->String("reason", true, 500);
          if (auto done = body->Finish(); !done) {
            return std::unexpected(done.error());
          }
          auto entry = service_->CorrectRegister(
              c.store, c.caller, std::string(c.params.Get("id")), mark, reason);
          if (!entry) return std::unexpected(entry.error());
          return Ok(ToJson(*entry));
        });

  // The audit trail and accounts: coordinators and auditors.
  Route("GET", "/api/v1/audit",
        [](Context& c) -> std::expected<http::Response, Error> {
          if (!service::MayReadEverything(c.caller)) {
            return std::unexpected(
                service::Forbidden(c.caller, "read the audit trail"));
          }
          const std::string entity(c.request.Query("entity").value_or(""));
          const std::string id(c.request.Query("id").value_or(""));
          if (entity.empty() != id.empty()) {
            return std::unexpected(
                Invalid("entity", "and id are given together"));
          }
          long long after = 0;
          if (auto text = c.request.Query("after")) {
            auto [ptr, ec] = std::from_chars(
                text->data(), text->data() + text->size(), after);
            if (ec != std::errc() || ptr != text->data() + text->size() ||
                after < 0) {
              return std::unexpected(
                  Invalid("after", "must be an entry number, 0 or more"));
            }
          }
          auto window = Window(c.request);
          if (!window) return std::unexpected(window.error());
          auto entries = c.store.AuditTrail(entity, id, after, window->limit);
          if (!entries) return std::unexpected(entries.error());
          json items = json::array();
          for (const auto& e : *entries) items.push_back(ToJson(e));
          const bool more = static_cast<int>(entries->size()) == window->limit;
          return Ok({{"items", items},
                     {"next_after",
                      more ? json(entries->back().seq) : json(nullptr)}});
        });
  Route(
      "GET", "/api/v1/users",
      [](Context& c) -> std::expected<http::Response, Error> {
        if (!service::MayManageArea(c.caller) &&
            !service::MayReadEverything(c.caller)) {
          return std::unexpected(service::Forbidden(c.caller, "list accounts"));
        }
        auto window = Window(c.request);
        if (!window) return std::unexpected(window.error());
        auto users = c.store.ListUsers(*window);
        if (!users) return std::unexpected(users.error());
        json items = json::array();
        for (const auto& u : *users) items.push_back(ToJson(u));
        return Ok(Page(std::move(items), *window));
      });
}

}  // namespace trellis::api
