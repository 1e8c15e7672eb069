#include "service/area_service.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <set>

#include "domain/text.h"
#include "service/credentials.h"

namespace trellis::service {
namespace {

Error Unauthenticated(const std::string& message) {
  return Error{ErrorCode::kUnauthenticated, message, {}};
}

std::string UtcText(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> text{};
  const size_t n =
      std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {text.data(), n};
}

// Minutes from a to b, both local times.
long long MinutesBetween(const LocalTime& a, const LocalTime& b) {
  const auto days =
      std::chrono::sys_days(b.date) - std::chrono::sys_days(a.date);
  return static_cast<long long>(days.count()) * 24 * 60 + (b.minute - a.minute);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

AreaService::AreaService(std::shared_ptr<const Framework> framework,
                         ServiceOptions options)
    : framework_(std::move(framework)), options_(std::move(options)) {}

LocalTime AreaService::LocalNow() const {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(options_.now());
  std::tm tm{};
  localtime_r(&seconds, &tm);
  const Date date{std::chrono::year{tm.tm_year + 1900},
                  std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
                  std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
  return LocalTime{date, tm.tm_hour * 60 + tm.tm_min};
}

Date AreaService::Today() const { return LocalNow().date; }

std::expected<Caller, Error> AreaService::SignInWithPassword(
    Store& store, const std::string& email, const std::string& password) {
  // A hash to check against when there is no such account, so a wrong email
  // takes as long as a wrong password.
  static const std::string decoy =
      HashPassword("trellis-decoy-password").value_or("");
  auto found = store.FindUserByEmail(ToLower(email));
  if (!found) return std::unexpected(found.error());
  const std::string& hash = *found ? (*found)->second : decoy;
  const bool matches = VerifyPassword(hash, password);
  if (!*found || !matches || (*found)->first.disabled) {
    return std::unexpected(
        Unauthenticated("the email or password is not recognised"));
  }
  return Caller{(*found)->first, "password"};
}

std::expected<StartedSignIn, Error> AreaService::StartSignIn(
    Store& store, const Caller& caller) const {
  StartedSignIn started{RandomHex(32), RandomHex(32),
                        options_.now() + options_.sign_in_lifetime};
  auto added = store.AddSignIn(
      SecretHash(started.secret),
      SignIn{caller.user.id, started.csrf_token, UtcText(started.expires)});
  if (!added) return std::unexpected(added.error());
  return started;
}

std::expected<std::pair<Caller, std::string>, Error>
AreaService::CallerFromSignIn(Store& store, const std::string& secret) const {
  if (secret.size() != 64) {
    return std::unexpected(Unauthenticated("not signed in"));
  }
  auto sign_in = store.FindSignIn(SecretHash(secret));
  if (!sign_in) return std::unexpected(sign_in.error());
  if (!*sign_in || (*sign_in)->expires_at <= UtcText(options_.now())) {
    return std::unexpected(
        Unauthenticated("the sign-in has ended; sign in again"));
  }
  auto user = store.FindUser((*sign_in)->user);
  if (!user) return std::unexpected(user.error());
  if (!*user || (*user)->disabled) {
    return std::unexpected(Unauthenticated("the account is not in use"));
  }
  return std::make_pair(Caller{**user, "password"}, (*sign_in)->csrf_token);
}

bool AreaService::SignInBlocked(
    const std::string& email, std::chrono::steady_clock::time_point now) const {
  std::scoped_lock lock(failures_mutex_);
  auto it = failures_.find(email);
  if (it == failures_.end()) return false;
  auto& times = it->second;
  while (!times.empty() && now - times.front() > options_.sign_in_window) {
    times.pop_front();
  }
  if (times.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(times.size()) >= options_.sign_in_failures;
}

void AreaService::SignInFailed(
    const std::string& email, std::chrono::steady_clock::time_point now) const {
  std::scoped_lock lock(failures_mutex_);
  // Bounded: an attacker cycling emails cannot grow this without end.
  if (failures_.size() > 100'000) failures_.clear();
  failures_[email].push_back(now);
}

std::expected<Caller, Error> AreaService::CallerFromToken(
    Store& store, const std::string& token, std::optional<long long> version) {
  auto parts = ParseApiToken(token);
  if (!parts) {
    return std::unexpected(
        Unauthenticated("the token is not a Trellis API token (trellis_T…_…)"));
  }
  const std::string secret = SecretHash(parts->secret);
  if (version) {
    if (auto checked = tokens_.Find(parts->id, *version);
        checked && SameSecret(checked->secret_sha256, secret)) {
      return Caller{checked->user, "token " + parts->id};
    }
  }
  auto found = store.FindApiToken(parts->id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !SameSecret((*found)->second, secret)) {
    return std::unexpected(
        Unauthenticated("the token is not recognised or was revoked"));
  }
  auto user = store.FindUser((*found)->first.user);
  if (!user) return std::unexpected(user.error());
  if (!*user || (*user)->disabled) {
    return std::unexpected(Unauthenticated("the account is not in use"));
  }
  if (version) {
    tokens_.Keep(parts->id, *version, CheckedToken{(*found)->second, **user},
                 sizeof(CheckedToken) + 256);
  }
  return Caller{**user, "token " + parts->id};
}

PersonContext ContextOf(const Candidate& candidate) {
  PersonContext context;
  context.person = &candidate.person;
  context.organisation =
      candidate.organisation ? &*candidate.organisation : nullptr;
  context.records = CurrentRecords(candidate.records);
  return context;
}

std::expected<Candidate, Error> AreaService::CandidateOf(
    Store& store, const Person& person) const {
  Candidate candidate;
  candidate.person = person;
  auto org = store.FindOrganisation(person.organisation);
  if (!org) return std::unexpected(org.error());
  candidate.organisation = std::move(*org);
  auto records = store.RecordsOf(person.id);
  if (!records) return std::unexpected(records.error());
  candidate.records = std::move(*records);
  return candidate;
}

std::expected<std::vector<Need>, Error> AreaService::NeedsOf(
    Store& store, const Person& person, Date on) const {
  auto candidate = CandidateOf(store, person);
  if (!candidate) return std::unexpected(candidate.error());
  NeedsOptions options;
  options.on = on;
  return ComputeNeeds(*framework_, ContextOf(*candidate), options);
}

std::expected<Person, Error> AreaService::SeePerson(Store& store,
                                                    const Caller& caller,
                                                    const std::string& id) {
  auto person = store.FindPerson(id);
  if (!person) return std::unexpected(person.error());
  if (!*person) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no person '" + id + "'",
                                 {{"person", "not known"}}});
  }
  bool trains_them = false;
  if (caller.Is(UserRole::kTrainer) && !caller.user.person.empty()) {
    auto bookings = store.BookingsOfPerson(id);
    if (!bookings) return std::unexpected(bookings.error());
    for (const auto& b : *bookings) {
      auto session = store.FindSession(b.session);
      if (!session) return std::unexpected(session.error());
      if (*session &&
          std::ranges::find((*session)->trainers, caller.user.person) !=
              (*session)->trainers.end()) {
        trains_them = true;
        break;
      }
    }
  }
  if (!MaySeePerson(caller, **person, trains_them)) {
    return std::unexpected(Forbidden(caller, "see person " + id));
  }
  return std::move(**person);
}

std::vector<std::string> AreaService::Ineligibility(
    const Candidate& candidate, const CourseSession& session, Date on) const {
  std::vector<std::string> reasons;
  const Course* course = framework_->FindCourse(session.course);
  if (course == nullptr) {
    reasons.push_back("the course '" + session.course +
                      "' is not in the framework");
    return reasons;
  }
  // Who the session is for: its own audiences, else the course's.
  std::vector<std::string> allowed = session.audiences;
  if (allowed.empty()) {
    for (const auto& ref : course->audiences) allowed.push_back(ref.id);
  }
  if (!allowed.empty()) {
    std::set<std::string> theirs(candidate.person.audiences.begin(),
                                 candidate.person.audiences.end());
    for (const auto& role : framework_->roles) {
      if (role.id != candidate.person.role) continue;
      for (const auto& ref : role.audiences) theirs.insert(ref.id);
    }
    const bool in = std::ranges::any_of(
        allowed, [&](const std::string& a) { return theirs.contains(a); });
    if (!in) {
      reasons.push_back("the session is for " + Join(allowed) + "; " +
                        candidate.person.id + " is in none of them");
    }
  }
  if (!session.case_management_system.empty()) {
    const std::string theirs =
        candidate.organisation ? candidate.organisation->case_management_system
                               : std::string();
    if (theirs != session.case_management_system) {
      reasons.push_back("the session trains " + session.case_management_system +
                        "; " + candidate.person.id + "'s organisation uses " +
                        (theirs.empty() ? "none on record" : theirs));
    }
  }
  PersonContext context = ContextOf(candidate);
  NeedsOptions options;
  options.on = on;
  std::set<std::string> seen;
  // A course teaches its modules in order: a later module's pre-requisite
  // met by an earlier one in the same course is met by taking the course,
  // and one taught on a session the person holds a place on that ends
  // before this one begins is met by going to it.
  std::vector<TrainingRecord> taught;
  std::size_t most = course->modules.size();
  for (const auto& place : candidate.held) {
    if (const Course* held = framework_->FindCourse(place.course)) {
      most += held->modules.size();
    }
  }
  taught.reserve(most);  // records point into it
  const auto teach = [&](const Module& module) {
    TrainingRecord record;
    record.person = candidate.person.id;
    record.module = module.ref;
    record.module_version = module.version;
    record.date = on;
    record.outcome = TrainingOutcome::kCompleted;
    taught.push_back(std::move(record));
    context.records.push_back(&taught.back());
  };
  for (const auto& place : candidate.held) {
    const Course* held = framework_->FindCourse(place.course);
    if (held == nullptr || session.parts.empty() ||
        session.parts.front().starts < place.ends ||
        place.session == session.id) {
      continue;
    }
    for (const auto& ref : held->modules) {
      if (const Module* module = framework_->FindModule(ref.id)) {
        teach(*module);
      }
    }
  }
  for (const auto& ref : course->modules) {
    const Module* module = framework_->FindModule(ref.id);
    if (module == nullptr) continue;
    const auto eligibility =
        CheckEligibility(*framework_, context, *module, options);
    for (const auto& reason : eligibility.reasons) {
      if (seen.insert(reason.text).second) reasons.push_back(reason.text);
    }
    teach(*module);
  }
  return reasons;
}

EligibilityCheck AreaService::Checker() const {
  return [this](const Candidate& candidate, const CourseSession& session) {
    return Ineligibility(candidate, session, Today());
  };
}

bool AreaService::InPriorityGroup(const Candidate& candidate,
                                  const CourseSession& session) const {
  if (session.reserved_for.empty()) return false;
  for (const auto& group : framework_->priority_groups) {
    if (group.id != session.reserved_for) continue;
    return Applies(*framework_, group.who, ContextOf(candidate));
  }
  return false;
}

std::expected<void, Error> AreaService::CheckAgainstFramework(
    const CourseSession& session) const {
  const Course* course = framework_->FindCourse(session.course);
  if (course == nullptr) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "no course '" + session.course +
                                     "' in framework " + framework_->info.id,
                                 {{"course", "not in the framework"}}});
  }
  for (const auto& audience : session.audiences) {
    if (framework_->FindAudience(audience) == nullptr) {
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "no audience '" + audience + "' in the framework",
                {{"audiences", "not in the framework: " + audience}}});
    }
  }
  if (!session.reserved_for.empty() &&
      std::ranges::none_of(framework_->priority_groups, [&](const auto& g) {
        return g.id == session.reserved_for;
      })) {
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "no priority group '" + session.reserved_for + "' in the framework",
        {{"reserved_for", "not a priority group"}}});
  }
  bool system_specific = false;
  for (const auto& ref : course->modules) {
    const Module* module = framework_->FindModule(ref.id);
    if (module != nullptr && module->system_specific) system_specific = true;
  }
  if (system_specific && session.case_management_system.empty()) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "course '" + session.course +
                  "' is taught per case-management system: name the system",
              {{"case_management_system", "is required for this course"}}});
  }
  return {};
}

std::expected<ImportReport, Error> AreaService::Import(Store& store,
                                                       const Caller& caller,
                                                       ImportKind kind,
                                                       std::string_view csv,
                                                       bool dry_run) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "import"));
  }
  return ImportCsv(store, *framework_, kind, csv, {}, Today(), caller.actor(),
                   dry_run);
}

std::expected<void, Error> AreaService::AddVenue(Store& store,
                                                 const Caller& caller,
                                                 const Venue& venue) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "add venues"));
  }
  return store.AddVenue(venue, caller.actor());
}

std::expected<void, Error> AreaService::AddRoom(Store& store,
                                                const Caller& caller,
                                                const Room& room) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "add rooms"));
  }
  return store.AddRoom(room, caller.actor());
}

int AreaService::ConditionCount(const std::string& checklist) const {
  const auto it = std::ranges::find(framework_->readiness, checklist,
                                    &ReadinessChecklist::id);
  if (it == framework_->readiness.end()) return 0;
  return std::max(it->condition_count.value_or(0),
                  static_cast<int>(it->conditions.size()));
}

std::expected<void, Error> AreaService::SetReadiness(
    Store& store, const Caller& caller, const std::string& organisation,
    Readiness readiness) {
  if (!MayChangeOrganisation(caller, organisation)) {
    return std::unexpected(
        Forbidden(caller, "change the readiness of " + organisation));
  }
  const auto it = std::ranges::find(framework_->readiness, readiness.checklist,
                                    &ReadinessChecklist::id);
  if (it == framework_->readiness.end()) {
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "no readiness checklist '" + readiness.checklist + "' in the framework",
        {{"checklist", "not in the framework"}}});
  }
  const int count = ConditionCount(readiness.checklist);
  std::set<int> seen;
  for (auto& c : readiness.conditions) {
    const std::string field = "conditions[" + std::to_string(c.number) + "]";
    if (c.number < 1 || c.number > count || !seen.insert(c.number).second) {
      return std::unexpected(
          Error{ErrorCode::kInvalidArgument,
                "condition " + std::to_string(c.number) + " is not one of " +
                    it->name + "'s " + std::to_string(count) +
                    " conditions, once each",
                {{field, "not a condition of the checklist"}}});
    }
    if (c.date && *c.date > Today()) {
      return std::unexpected(Error{
          ErrorCode::kInvalidArgument,
          "condition " + std::to_string(c.number) + " is dated after today",
          {{field, "dated in the future"}}});
    }
    const auto n = static_cast<std::size_t>(c.number);
    c.text = n <= it->conditions.size() ? it->conditions[n - 1] : "";
  }
  std::ranges::sort(readiness.conditions, {}, &ReadinessCondition::number);
  return store.SetReadiness(organisation, readiness, caller.actor());
}

std::expected<CourseSession, Error> AreaService::AddSession(
    Store& store, const Caller& caller, CourseSession session) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "schedule sessions"));
  }
  if (auto ok = CheckAgainstFramework(session); !ok) {
    return std::unexpected(ok.error());
  }
  return store.AddSession(std::move(session), caller.actor());
}

std::expected<Promotions, Error> AreaService::UpdateSession(
    Store& store, const Caller& caller, const CourseSession& session) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "change sessions"));
  }
  if (auto ok = CheckAgainstFramework(session); !ok) {
    return std::unexpected(ok.error());
  }
  return store.UpdateSession(session, Checker(), caller.actor());
}

std::expected<Candidate, Error> AreaService::LoadCandidate(
    Store& store, const std::string& person) const {
  auto found = store.FindPerson(person);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no person '" + person + "'",
                                 {{"person", "not known"}}});
  }
  return CandidateOf(store, **found);
}

std::expected<Booking, Error> AreaService::Book(Store& store,
                                                const Caller& caller,
                                                const std::string& session_id,
                                                const std::string& person) {
  auto candidate = LoadCandidate(store, person);
  if (!candidate) return std::unexpected(candidate.error());
  if (!MayBookFor(caller, candidate->person)) {
    return std::unexpected(Forbidden(caller, "book for " + person));
  }
  auto session = store.FindSession(session_id);
  if (!session) return std::unexpected(session.error());
  if (!*session) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no session '" + session_id + "'",
                                 {{"session", "not known"}}});
  }
  // Once under way the session takes no more requests: only a coordinator
  // adds someone, who came without a place, so the register has them.
  if (!caller.Is(UserRole::kCoordinator) && HasStarted(**session, LocalNow())) {
    return std::unexpected(
        Error{ErrorCode::kFailedPrecondition,
              "session " + session_id + " started at " +
                  FormatLocalTime((*session)->parts.front().starts) +
                  " and takes no more bookings",
              {{"session", "under way"}}});
  }
  auto reasons = Ineligibility(*candidate, **session, Today());
  if (!reasons.empty()) {
    // A pre-requisite may be met by a place the person holds on a session
    // that ends first: read them only when something is missing.
    auto held = store.PlacesHeldBy(person);
    if (!held) return std::unexpected(held.error());
    if (!held->empty()) {
      candidate->held = std::move(*held);
      reasons = Ineligibility(*candidate, **session, Today());
    }
  }
  if (!reasons.empty()) {
    Error refused{ErrorCode::kFailedPrecondition,
                  person + " may not book session " + session_id +
                      " yet: " + std::to_string(reasons.size()) + " reason" +
                      (reasons.size() == 1 ? "" : "s"),
                  {}};
    for (const auto& r : reasons) refused.fields.push_back({"person", r});
    return std::unexpected(std::move(refused));
  }
  const bool manages = caller.Is(UserRole::kManager) &&
                       candidate->person.manager == caller.user.person;
  BookingRequest request{.session = session_id,
                         .person = person,
                         .nominated = manages,
                         .approved = !(*session)->approval_required ||
                                     manages ||
                                     caller.Is(UserRole::kCoordinator),
                         .priority = InPriorityGroup(*candidate, **session),
                         .today = Today()};
  return store.RequestBooking(request, caller.actor());
}

std::expected<Booking, Error> AreaService::BookingFor(
    Store& store, const Caller& caller, const std::string& booking,
    bool (*may)(const Caller&, const Person&), const std::string& what) {
  auto found = store.FindBooking(booking);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no booking '" + booking + "'",
                                 {{"booking", "not known"}}});
  }
  auto person = store.FindPerson((*found)->person);
  if (!person) return std::unexpected(person.error());
  if (!*person || !may(caller, **person)) {
    return std::unexpected(Forbidden(caller, what + " booking " + booking));
  }
  return std::move(**found);
}

std::expected<Booking, Error> AreaService::Decide(Store& store,
                                                  const Caller& caller,
                                                  const std::string& booking,
                                                  bool approve,
                                                  const std::string& note) {
  auto found = BookingFor(store, caller, booking, &MayDecide, "decide on");
  if (!found) return std::unexpected(found.error());
  return store.DecideBooking(booking, approve, note, Today(), caller.actor());
}

std::expected<BookingChange, Error> AreaService::Cancel(
    Store& store, const Caller& caller, const std::string& booking,
    const std::string& note) {
  auto found = BookingFor(store, caller, booking, &MayCancel, "cancel");
  if (!found) return std::unexpected(found.error());
  auto session = store.FindSession(found->session);
  if (!session) return std::unexpected(session.error());
  bool late = false;
  if (*session && !(*session)->parts.empty()) {
    // Once the session is under way the register says who came: a place
    // given up then would hide a no-show.
    if (found->status == BookingStatus::kBooked &&
        HasStarted(**session, LocalNow())) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "session " + found->session + " started at " +
                    FormatLocalTime((*session)->parts.front().starts) +
                    "; its register records who came",
                {{"booking", "session under way"}}});
    }
    const long long minutes =
        MinutesBetween(LocalNow(), (*session)->parts.front().starts);
    late = minutes < static_cast<long long>(options_.late_cancel_hours) * 60;
  }
  return store.CancelBooking(booking, late, note, Today(), Checker(),
                             caller.actor());
}

std::expected<CourseSession, Error> AreaService::FindSession(
    Store& store, const std::string& id) const {
  auto found = store.FindSession(id);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no session '" + id + "'",
                                 {{"session", "not known"}}});
  }
  return std::move(**found);
}

std::expected<std::vector<RecordedModule>, Error> AreaService::ModulesOf(
    const CourseSession& session) const {
  const Course* course = framework_->FindCourse(session.course);
  if (course == nullptr || course->modules.empty()) {
    return std::unexpected(
        Error{ErrorCode::kFailedPrecondition,
              "course '" + session.course +
                  "' is not in the area's framework with modules; its "
                  "register cannot write training records",
              {{"course", "not in the framework"}}});
  }
  std::vector<RecordedModule> modules;
  for (const auto& ref : course->modules) {
    const Module* module = framework_->FindModule(ref.id);
    if (module == nullptr) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "module '" + ref.id + "' of course '" + session.course +
                    "' is not in the area's framework",
                {{"course", "module " + ref.id + " not known"}}});
    }
    modules.push_back({ref.id, module->version});
  }
  return modules;
}

std::expected<Register, Error> AreaService::ReadRegister(
    Store& store, const Caller& caller, const std::string& session) {
  auto found = FindSession(store, session);
  if (!found) return std::unexpected(found.error());
  if (!MayMarkRegister(caller, *found) && !MayReadEverything(caller)) {
    return std::unexpected(Forbidden(caller, "see this session's register"));
  }
  return store.ReadRegister(session);
}

std::expected<RegisterEntry, Error> AreaService::MarkRegister(
    Store& store, const Caller& caller, const std::string& session,
    const RegisterMark& mark) {
  auto found = FindSession(store, session);
  if (!found) return std::unexpected(found.error());
  if (!MayMarkRegister(caller, *found)) {
    return std::unexpected(Forbidden(caller, "mark this session's register"));
  }
  const LocalTime now = LocalNow();
  for (size_t i = 0; i < mark.present.size() && i < found->parts.size(); ++i) {
    if (mark.present[i] && now < found->parts[i].starts) {
      return std::unexpected(
          Error{ErrorCode::kFailedPrecondition,
                "part " + std::to_string(i + 1) + " of session " + session +
                    " starts at " + FormatLocalTime(found->parts[i].starts) +
                    "; nobody is present at it yet",
                {{"present[" + std::to_string(i) + "]", "part not started"}}});
    }
  }
  return store.MarkRegister(session, mark, caller.actor());
}

std::expected<RegisterClosing, Error> AreaService::CloseRegister(
    Store& store, const Caller& caller, const std::string& session) {
  auto found = FindSession(store, session);
  if (!found) return std::unexpected(found.error());
  if (!MayMarkRegister(caller, *found)) {
    return std::unexpected(Forbidden(caller, "close this session's register"));
  }
  if (LocalNow() < found->parts.back().ends) {
    return std::unexpected(
        Error{ErrorCode::kFailedPrecondition,
              "the last part of session " + session + " ends at " +
                  FormatLocalTime(found->parts.back().ends) +
                  "; close the register once it has taken place",
              {{"session", "not yet taken place"}}});
  }
  auto modules = ModulesOf(*found);
  if (!modules) return std::unexpected(modules.error());
  return store.CloseRegister(session, *modules, caller.actor());
}

std::expected<RegisterEntry, Error> AreaService::CorrectRegister(
    Store& store, const Caller& caller, const std::string& session,
    const RegisterMark& mark, const std::string& reason) {
  if (!MayManageArea(caller)) {
    return std::unexpected(Forbidden(caller, "correct a closed register"));
  }
  auto found = FindSession(store, session);
  if (!found) return std::unexpected(found.error());
  auto modules = ModulesOf(*found);
  if (!modules) return std::unexpected(modules.error());
  return store.CorrectRegister(session, mark, reason, *modules, caller.actor());
}

}  // namespace trellis::service
