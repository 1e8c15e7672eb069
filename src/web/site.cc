#include "web/site.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "domain/text.h"
#include "http/gzip.h"
#include "http/log.h"
#include "service/credentials.h"
#include "service/next_steps.h"
#include "service/plan.h"
#include "web/format.h"

namespace trellis::web {
namespace {

// Where to go after signing in: a path of this site only.
std::string SafeNext(const std::string& next) {
  if (next.size() > 1 && next.front() == '/' && next[1] != '/' &&
      next[1] != '\\') {
    return next;
  }
  return "/";
}

std::string ContentType(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  return "";
}

}  // namespace

std::expected<std::unique_ptr<Site>, Error> Site::Make(
    std::shared_ptr<service::AreaService> service,
    std::shared_ptr<api::StorePool> pool, SiteOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(options.assets / "trellis.css", ec)) {
    return std::unexpected(Error{
        ErrorCode::kNotFound,
        "no built assets in '" + options.assets.string() +
            "' (trellis.css is missing); build the trellis_web_assets target",
        {{"assets", "no trellis.css"}}});
  }
  std::unique_ptr<Site> site(
      new Site(std::move(service), std::move(pool), std::move(options)));
  for (const auto& entry :
       std::filesystem::directory_iterator(site->options_.assets, ec)) {
    const std::string type = ContentType(entry.path());
    if (!entry.is_regular_file() || type.empty()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    std::string bytes = body.str();
    std::string gzipped = http::Gzip(bytes);
    site->assets_[entry.path().filename().string()] =
        Asset{std::move(bytes), std::move(gzipped), type};
  }
  // A short fingerprint of the assets in their URLs: a change is a new URL,
  // so browsers may keep them for a year.
  std::string all;
  for (const auto& [name, asset] : site->assets_) all += name + asset.body;
  site->assets_version_ = service::SecretHash(all).substr(0, 12);
  return site;
}

Site::Site(std::shared_ptr<service::AreaService> service,
           std::shared_ptr<api::StorePool> pool, SiteOptions options)
    : service_(std::move(service)),
      pool_(std::move(pool)),
      reports_(std::make_shared<service::Reports>(service_)),
      options_(std::move(options)) {
  AddRoutes();
}

void Site::Add(const std::string& method, const std::string& pattern,
               http::RouteHandler handler) {
  router_.Add(method, pattern, std::move(handler));
  routes_.emplace_back(method, pattern);
}

void Site::AddRoutes() {
  Add("GET", "/assets/{file}",
      [this](const http::Request& request, const http::Params& params) {
        auto it = assets_.find(std::string(params.Get("file")));
        if (it == assets_.end()) {
          return Problem(404, "Page not found", "There is no such file.",
                         nullptr);
        }
        http::Response response;
        response.content_type = it->second.content_type;
        response.headers.emplace_back("Vary", "Accept-Encoding");
        if (http::AcceptsGzip(request)) {
          response.body = it->second.gzipped;
          response.headers.emplace_back("Content-Encoding", "gzip");
        } else {
          response.body = it->second.body;
        }
        // Their URLs carry the fingerprint: a change is a new URL.
        response.headers.emplace_back("Cache-Control",
                                      "public, max-age=31536000, immutable");
        return response;
      });
  Add("GET", "/sign-in",
      [this](const http::Request& request, const http::Params&) {
        return SignInPage(request);
      });
  Add("POST", "/sign-in",
      [this](const http::Request& request, const http::Params&) {
        return SignIn(request);
      });
  Add("POST", "/sign-out",
      [this](const http::Request& request, const http::Params&) {
        return SignOut(request);
      });
  Add("GET", "/", [this](const http::Request& request, const http::Params&) {
    return Home(request);
  });
  Add("GET", "/plan",
      [this](const http::Request& request, const http::Params&) {
        return Plan(request);
      });
  AddLearningPages();
  AddRegisterPages();
  AddSessionFormPages();
  AddVenuePages();
  AddReadinessPages();
  AddImportPages();
  AddDashboardPages();
  AddAuditPages();
  AddFrameworkPages();
  AddAreaPages();
  AddCalendarPages();
  AddRollOutPages();
}

http::Response Site::Handle(const http::Request& request) const {
  http::Response response = router_.Dispatch(request);
  // What the router answers itself (no such page, another method, a bug)
  // comes as JSON: a browser gets a page.
  if (response.status >= 400 &&
      response.content_type.starts_with("application/json")) {
    std::vector<std::pair<std::string, std::string>> headers =
        std::move(response.headers);
    const int status = response.status;
    response = status == 404
                   ? Problem(404, "Page not found",
                             "If you typed the web address, check it is "
                             "correct.",
                             nullptr)
               : status == 405
                   ? Problem(405, "That cannot be done here",
                             "This page cannot be asked for that way.", nullptr)
                   : Problem(status, "Sorry, there is a problem with Trellis",
                             "Try again later.", nullptr);
    for (auto& header : headers) response.headers.push_back(std::move(header));
  }
  return response;
}

std::optional<Site::Visitor> Site::SignedIn(
    Store& store, const http::Request& request) const {
  for (const auto& [name, value] : request.Cookies()) {
    if (name != api::kSignInCookie) continue;
    auto signed_in = service_->CallerFromSignIn(store, value);
    if (!signed_in) return std::nullopt;
    return Visitor{std::move(signed_in->first), std::move(signed_in->second)};
  }
  return std::nullopt;
}

http::Response Site::Page(int status, const std::string& title,
                          const std::string& content, const Visitor* visitor,
                          const std::string& current,
                          const std::vector<FieldError>& errors,
                          const std::string& banner, bool charts) const {
  Data data;
  data.set("has_banner", !banner.empty());
  data.set("charts", charts);
  data.set("banner", banner);
  data.set("title", title);
  data.set("content", content);
  data.set("assets", "/assets");
  data.set("assets_version", assets_version_);
  data.set("has_errors", !errors.empty());
  Data error_list{Data::type::list};
  for (const auto& e : errors) {
    Data item;
    item.set("field", e.field);
    item.set("message", e.message);
    error_list.push_back(item);
  }
  data.set("errors", error_list);
  data.set("signed_in", visitor != nullptr);
  if (visitor != nullptr) {
    data.set("user_name", visitor->caller.user.name);
    data.set("role_label", RoleLabel(visitor->caller.user.role));
    data.set("csrf_token", visitor->csrf_token);
    Data nav{Data::type::list};
    const service::Caller& caller = visitor->caller;
    std::vector<std::pair<std::string, std::string>> links = {{"/", "Home"}};
    if (!caller.user.person.empty()) {
      links.emplace_back("/plan", "My plan");
    }
    links.emplace_back("/sessions", caller.user.person.empty()
                                        ? "Sessions"
                                        : "Find a session");
    if (!caller.user.person.empty()) {
      links.emplace_back("/records", "My records");
    }
    links.emplace_back("/framework", "Framework");
    if (caller.Is(UserRole::kManager) && !caller.user.person.empty()) {
      links.emplace_back("/team", "My team");
    }
    if (service::MayReadEverything(caller) ||
        caller.Is(UserRole::kOrganisationLead)) {
      links.emplace_back("/people", "People");
    }
    links.emplace_back("/organisations", "Organisations");
    if (service::MayReadEverything(caller)) {
      links.emplace_back("/dashboard", "Dashboard");
      links.emplace_back("/roll-outs", "Roll-out plans");
      links.emplace_back("/audit", "Audit trail");
    }
    for (const auto& [href, label] : links) {
      Data item;
      item.set("href", href);
      item.set("label", label);
      item.set("current", href == current);
      nav.push_back(item);
    }
    data.set("nav", nav);
  }
  http::Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = Render("layout", data);
  // Our own styles and scripts only, no inline script, and no framing (a
  // page with forms inside another site's frame invites clickjacking).
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  return response;
}

http::Response Site::Problem(int status, const std::string& heading,
                             const std::string& message,
                             const Visitor* visitor) const {
  Data data;
  data.set("heading", heading);
  data.set("message", message);
  return Page(status, heading, Render("not_found", data), visitor, "");
}

http::Response Site::Redirect(const std::string& location) {
  http::Response response;
  response.status = 303;
  response.content_type = "";
  response.headers.emplace_back("Location", location);
  return response;
}

http::Response Site::Unavailable(const Visitor* visitor) const {
  return Problem(503, "Sorry, Trellis is unavailable",
                 "The database cannot be reached. Try again in a minute.",
                 visitor);
}

http::Response Site::ForVisitor(
    const http::Request& request,
    const std::function<http::Response(Store&, const Visitor&)>& page,
    api::StorePool::Use use) const {
  auto lease = pool_->Borrow(use);
  if (!lease) return Unavailable(nullptr);
  auto visitor = SignedIn(**lease, request);
  if (!visitor) {
    // Back here after signing in.
    return Redirect(request.path == "/"
                        ? "/sign-in"
                        : "/sign-in?next=" + http::PercentEncode(request.path));
  }
  return page(**lease, *visitor);
}

void Site::AddPage(
    const std::string& method, const std::string& pattern,
    std::function<http::Response(Store&, const Visitor&, const http::Request&,
                                 const http::Params&)>
        page) {
  const auto use = method == "GET" ? api::StorePool::Use::kRead
                                   : api::StorePool::Use::kChange;
  Add(method, pattern,
      [this, use, page = std::move(page)](const http::Request& request,
                                          const http::Params& params) {
        return ForVisitor(
            request,
            [&](Store& store, const Visitor& who) {
              return page(store, who, request, params);
            },
            use);
      });
}

http::Response Site::Refused(const Error& error, const Visitor* visitor) const {
  switch (error.code) {
    case ErrorCode::kPermissionDenied:
      return Problem(403, "You cannot do that",
                     "Your account does not allow it: " + error.message + ".",
                     visitor);
    case ErrorCode::kNotFound:
      return Problem(
          404, "Page not found",
          "There is no such thing in this area: " + error.message + ".",
          visitor);
    case ErrorCode::kUnavailable:
      return Unavailable(visitor);
    default:
      return Problem(http::StatusOf(error.code),
                     "Sorry, there is a problem with Trellis", error.message,
                     visitor);
  }
}

std::optional<Form> Site::Posted(const http::Request& request,
                                 const Visitor& who) {
  auto form = Form::Parse(request.body);
  if (!form || !service::SameSecret(form->Get("csrf_token"), who.csrf_token)) {
    return std::nullopt;
  }
  return std::move(*form);
}

http::Response Site::StaleForm(const Visitor& who) const {
  return Problem(403, "That did not work",
                 "The page you came from was out of date. Go back, reload it "
                 "and try again.",
                 &who);
}

http::Response Site::SignInPage(const http::Request& request) const {
  auto lease = pool_->Borrow();
  if (!lease) return Unavailable(nullptr);
  if (SignedIn(**lease, request)) return Redirect("/");
  Data data;
  data.set("next", SafeNext(std::string(request.Query("next").value_or("/"))));
  return Page(200, "Sign in", Render("sign_in", data), nullptr, "");
}

http::Response Site::SignIn(const http::Request& request) const {
  auto form = Form::Parse(request.body);
  if (!form) {
    return Problem(400, "The form could not be read", "Go back and try again.",
                   nullptr);
  }
  const std::string email = ToLower(Trim(form->Get("email")));
  const std::string password = form->Get("password");
  const std::string next = SafeNext(form->Get("next"));
  Data data;
  data.set("email", email);
  data.set("next", next);
  std::vector<FieldError> errors;
  auto show = [&](int status) {
    for (const auto& e : errors) data.set(e.field + "_error", e.message);
    return Page(status, "Sign in", Render("sign_in", data), nullptr, "",
                errors);
  };
  if (email.empty()) {
    errors.push_back({"email", "Enter your email address"});
  } else if (email.size() > 254) {
    errors.push_back(
        {"email", "Email address must be 254 characters or fewer"});
  }
  if (password.empty()) {
    errors.push_back({"password", "Enter your password"});
  } else if (password.size() > service::kMaxPasswordLength) {
    errors.push_back(
        {"password", "Password must be " +
                         std::to_string(service::kMaxPasswordLength) +
                         " characters or fewer"});
  }
  if (!errors.empty()) return show(422);

  const auto now = std::chrono::steady_clock::now();
  if (service_->SignInBlocked(email, now)) {
    const auto minutes = service_->options().sign_in_window.count();
    errors.push_back(
        {"email",
         "There have been too many failed attempts to sign in with "
         "this email address. Wait " +
             std::to_string(minutes) + " minutes and try again"});
    auto response = show(429);
    response.headers.emplace_back("Retry-After", std::to_string(minutes * 60));
    return response;
  }
  auto lease = pool_->Borrow();
  if (!lease) return Unavailable(nullptr);
  auto caller = service_->SignInWithPassword(**lease, email, password);
  if (!caller) {
    if (caller.error().code != ErrorCode::kUnauthenticated) {
      return Problem(503, "Sorry, Trellis is unavailable",
                     "Signing in did not work just now. Try again in a minute.",
                     nullptr);
    }
    service_->SignInFailed(email, now);
    errors.push_back({"email", "The email address or password is not right"});
    return show(401);
  }
  auto started = service_->StartSignIn(**lease, *caller);
  if (!started) {
    return Problem(503, "Sorry, Trellis is unavailable",
                   "Signing in did not work just now. Try again in a minute.",
                   nullptr);
  }
  http::LogEvent(spdlog::level::info, "sign-in",
                 {{"user", caller->user.id},
                  {"request_id", request.request_id},
                  {"via", "page"}});
  auto response = Redirect(next);
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
      service_->options().sign_in_lifetime);
  response.headers.emplace_back(
      "Set-Cookie",
      api::SignInCookie(started->secret, static_cast<int>(lifetime.count()),
                        options_.secure_cookies || request.tls));
  return response;
}

http::Response Site::SignOut(const http::Request& request) const {
  auto lease = pool_->Borrow(api::StorePool::Use::kChange);
  if (!lease) return Unavailable(nullptr);
  auto visitor = SignedIn(**lease, request);
  if (!visitor) return Redirect("/sign-in");
  if (!Posted(request, *visitor)) return StaleForm(*visitor);
  for (const auto& [name, value] : request.Cookies()) {
    if (name != api::kSignInCookie) continue;
    if (auto done = (*lease)->RemoveSignIn(service::SecretHash(value)); !done) {
      return Problem(503, "Sorry, Trellis is unavailable",
                     "Signing out did not work just now. Try again.",
                     &*visitor);
    }
  }
  auto response = Redirect("/sign-in");
  response.headers.emplace_back(
      "Set-Cookie",
      api::SignInCookie("", 0, options_.secure_cookies || request.tls));
  return response;
}

http::Response Site::Home(const http::Request& request) const {
  return ForVisitor(
      request, [this, &request](Store& store, const Visitor& who) {
        return HomeOf(store, who, request.Query("done").value_or(""));
      });
}

http::Response Site::HomeOf(Store& store, const Visitor& who,
                            std::string_view done) const {
  const Visitor* visitor = &who;
  auto steps = service::NextStepsFor(*service_, store, visitor->caller);
  if (!steps) {
    return Problem(http::StatusOf(steps.error().code),
                   "Sorry, there is a problem with Trellis",
                   steps.error().message, visitor);
  }
  const Framework& framework = service_->framework();
  const UserRole role = visitor->caller.user.role;
  Data data;
  data.set("name", visitor->caller.user.name);
  data.set("has_plan", steps->has_plan);
  data.set("expired", std::to_string(steps->expired));
  data.set("outstanding", std::to_string(steps->outstanding));
  data.set("due_soon", std::to_string(steps->due_soon));
  data.set("done", std::to_string(steps->done));
  Data bookings{Data::type::list};
  for (const auto& b : steps->bookings) {
    Data item;
    item.set("date", SessionDate(b.session));
    item.set("course", CourseName(framework, b.session.course));
    item.set("status", BookingLabel(b.booking.status).first);
    bookings.push_back(item);
  }
  data.set("has_bookings", !steps->bookings.empty());
  data.set("bookings", bookings);
  data.set("is_manager", role == UserRole::kManager);
  Data decisions{Data::type::list};
  for (const auto& d : steps->decisions) {
    Data item;
    item.set("person", d.person_name);
    item.set("person_id", d.booking.person);
    item.set("booking", d.booking.id);
    item.set("session", d.session.id);
    item.set("csrf_token", visitor->csrf_token);
    item.set("course", CourseName(framework, d.session.course));
    item.set("date", SessionDate(d.session));
    item.set("asked", d.booking.requested_at.substr(0, 10));
    decisions.push_back(item);
  }
  data.set("has_decisions", !steps->decisions.empty());
  data.set("decisions", decisions);
  data.set("is_trainer", role == UserRole::kTrainer);
  // Sessions listed by date, course and id.
  auto listed = [&](const std::vector<CourseSession>& sessions) {
    Data list{Data::type::list};
    for (const auto& s : sessions) {
      Data item;
      item.set("date", SessionDate(s));
      item.set("course", CourseName(framework, s.course));
      item.set("id", s.id);
      list.push_back(item);
    }
    return list;
  };
  data.set("has_training", !steps->training.empty());
  data.set("training", listed(steps->training));
  data.set("has_registers", !steps->registers.empty());
  data.set("registers", listed(steps->registers));
  data.set("runs_area",
           role == UserRole::kCoordinator || role == UserRole::kAuditor);
  data.set("weeks", std::to_string(steps->weeks));
  Data coming{Data::type::list};
  for (const auto& s : steps->coming_up) {
    Data item;
    item.set("date", SessionDate(s));
    item.set("course", CourseName(framework, s.course));
    item.set("id", s.id);
    item.set("status", SessionStatusName(s.status));
    coming.push_back(item);
  }
  data.set("has_coming_up", !steps->coming_up.empty());
  data.set("coming_up_count", std::to_string(steps->coming_up.size()));
  data.set("until", LongDate(Date{std::chrono::sys_days(service_->Today()) +
                                  std::chrono::days(7 * steps->weeks)}));
  data.set("coming_up", coming);
  data.set("manages_area", service::MayManageArea(visitor->caller));
  // An organisation lead: their organisation's readiness, a step from
  // updating it, and its people.
  if (role == UserRole::kOrganisationLead &&
      !visitor->caller.user.organisation.empty()) {
    auto org = store.FindOrganisation(visitor->caller.user.organisation);
    if (!org) return Refused(org.error(), visitor);
    if (*org) {
      data.set("lead", true);
      data.set("lead_name", (*org)->name);
      data.set("lead_id", (*org)->id);
      Data lists{Data::type::list};
      for (const auto& checklist : framework.readiness) {
        const int count = service_->ConditionCount(checklist.id);
        int met = 0;
        for (const auto& r : (*org)->readiness) {
          if (r.checklist != checklist.id) continue;
          met = static_cast<int>(std::ranges::count_if(
              r.conditions, [](const ReadinessCondition& c) { return c.met; }));
        }
        Data item;
        item.set("name", checklist.name);
        item.set("met", std::to_string(met) + " of " + std::to_string(count) +
                            " conditions met");
        item.set("href", "/organisations/" + http::PercentEncode((*org)->id) +
                             "/readiness/" + http::PercentEncode(checklist.id));
        lists.push_back(item);
      }
      data.set("lead_checklists", lists);
    }
  }
  return Page(200, "Home", Render("home", data), visitor, "/", {},
              DoneBanner(done));
}

http::Response Site::Plan(const http::Request& request) const {
  return ForVisitor(request, [this](Store& store, const Visitor& who) {
    return PlanOf(store, who);
  });
}

http::Response Site::PlanOf(Store& store, const Visitor& who) const {
  const Visitor* visitor = &who;
  const std::string& me = visitor->caller.user.person;
  if (me.empty()) {
    return Problem(404, "You have no plan of your own",
                   "Your account is not a person's in the area, so the "
                   "framework asks no training of it.",
                   visitor);
  }
  auto person = store.FindPerson(me);
  if (!person || !*person) {
    return Problem(404, "You have no plan of your own",
                   "The person your account belongs to is no longer in the "
                   "area. Ask your training coordinator.",
                   visitor);
  }
  auto data = PlanData(store, **person, "My plan", "you");
  if (!data) return Refused(data.error(), visitor);
  return Page(200, "My plan", Render("plan", *data), visitor, "/plan");
}

std::expected<Data, Error> Site::PlanData(Store& store, const Person& person,
                                          const std::string& heading,
                                          const std::string& whom) const {
  const Date today = service_->Today();
  auto plan = service::PlanOf(*service_, store, person, today);
  if (!plan) return std::unexpected(plan.error());
  Data data;
  data.set("heading", heading);
  data.set("whom", whom);
  data.set("on", LongDate(today));
  data.set("can_book",
           whom == "you" ? "You can book it now." : "It can be booked now.");
  Data items{Data::type::list};
  int index = 0;
  for (const auto& item : *plan) {
    const auto [status, tag] = NeedLabel(item.need.status);
    Data row;
    row.set("index", std::to_string(++index));
    row.set("ref", item.need.module->ref);
    if (whom != "you") row.set("for", person.id);
    row.set("name", item.need.module->name);
    row.set("status", status);
    row.set("tag_class", tag);
    if (item.need.completed)
      row.set("completed", LongDate(*item.need.completed));
    if (item.need.expires) row.set("expires", LongDate(*item.need.expires));
    row.set("not_done", item.eligibility.has_value());
    const bool bookable = item.eligibility && item.eligibility->eligible;
    row.set("bookable", bookable);
    Data reasons{Data::type::list};
    if (item.eligibility) {
      for (const auto& reason : item.eligibility->reasons) {
        reasons.push_back(Data(reason.text));
      }
    }
    row.set("has_reasons",
            item.eligibility && !item.eligibility->reasons.empty());
    row.set("reasons", reasons);
    items.push_back(row);
  }
  data.set("has_items", !plan->empty());
  data.set("items", items);
  return data;
}

}  // namespace trellis::web
