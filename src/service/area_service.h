// The area's services: what the JSON API and the pages do, with who may do
// it, over one Store per call. Signing in, seeing people, scheduling
// sessions, booking, approving, cancelling. No business rule lives in a
// handler or a template: they call these. Thread-safe: the framework is read
// only, and each call brings the calling thread's Store.
#pragma once

#include <chrono>
#include <deque>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/framework.h"
#include "engine/needs.h"
#include "service/access.h"
#include "service/imports.h"
#include "service/version_cache.h"
#include "store/store.h"

namespace trellis::service {

struct ServiceOptions {
  // A booked place given up less than this many hours before the session
  // starts is flagged as a late cancellation.
  int late_cancel_hours = 48;
  // How long a browser stays signed in.
  std::chrono::hours sign_in_lifetime{12};
  // Failed sign-ins allowed per email in `sign_in_window`; past them,
  // sign-in is refused for the email until the window has moved on.
  int sign_in_failures = 10;
  std::chrono::minutes sign_in_window{15};
  // The time now; tests set it.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

// A browser sign-in as the cookie carries it, and its CSRF token for forms.
struct StartedSignIn {
  std::string secret;
  std::string csrf_token;
  std::chrono::system_clock::time_point expires;
};

// The needs engine's view of a candidate; it points into `candidate`, which
// must outlive it.
PersonContext ContextOf(const Candidate& candidate);

class AreaService {
 public:
  AreaService(std::shared_ptr<const Framework> framework,
              ServiceOptions options);

  const Framework& framework() const { return *framework_; }
  const ServiceOptions& options() const { return options_; }
  // Today and the time now in the area's local time.
  Date Today() const;
  LocalTime LocalNow() const;

  // Signing in. Wrong email and wrong password answer alike
  // (kUnauthenticated), and take the same time.
  std::expected<Caller, Error> SignInWithPassword(Store& store,
                                                  const std::string& email,
                                                  const std::string& password);
  std::expected<StartedSignIn, Error> StartSignIn(Store& store,
                                                  const Caller& caller) const;
  // The caller of a sign-in cookie, and its CSRF token.
  std::expected<std::pair<Caller, std::string>, Error> CallerFromSignIn(
      Store& store, const std::string& secret) const;
  // Whether sign-in for `email` is held back: too many failures in the
  // window (the API answers 429, the page says wait). Thread-safe.
  bool SignInBlocked(const std::string& email,
                     std::chrono::steady_clock::time_point now) const;
  void SignInFailed(const std::string& email,
                    std::chrono::steady_clock::time_point now) const;

  // The caller of an API token. Given the data version read at the
  // request's start (Store::DataVersion), a token already checked under
  // that version is answered from memory: revoking it or changing its
  // account moves the version.
  std::expected<Caller, Error> CallerFromToken(
      Store& store, const std::string& token,
      std::optional<long long> version = std::nullopt);

  // The person with their organisation and records, as the needs engine
  // and the eligibility checks read them.
  std::expected<Candidate, Error> CandidateOf(Store& store,
                                              const Person& person) const;

  // The person's needs on `on`, in route order: their organisation and
  // records read from the store, the needs engine over the framework.
  std::expected<std::vector<Need>, Error> NeedsOf(Store& store,
                                                  const Person& person,
                                                  Date on) const;

  // A person the caller may see (kPermissionDenied otherwise; kNotFound when
  // there is no such person).
  std::expected<Person, Error> SeePerson(Store& store, const Caller& caller,
                                         const std::string& id);

  // Why the candidate may not take a place on the session on `on`: every
  // pre-requisite of every module of the course, the session's audiences,
  // its case-management system. Empty when they may.
  std::vector<std::string> Ineligibility(const Candidate& candidate,
                                         const CourseSession& session,
                                         Date on) const;
  // The check the store runs when the waiting list moves.
  EligibilityCheck Checker() const;
  // Whether the candidate is in the priority group the session holds places
  // for.
  bool InPriorityGroup(const Candidate& candidate,
                       const CourseSession& session) const;

  // Imports a CSV file of `kind` (docs/import.md), or checks it when
  // `dry_run`: coordinators. A bad file is a report, not an error.
  std::expected<ImportReport, Error> Import(Store& store, const Caller& caller,
                                            ImportKind kind,
                                            std::string_view csv, bool dry_run);

  // Venues and rooms: coordinators.
  std::expected<void, Error> AddVenue(Store& store, const Caller& caller,
                                      const Venue& venue);
  std::expected<void, Error> AddRoom(Store& store, const Caller& caller,
                                     const Room& room);

  // An organisation's standing on one of the framework's readiness
  // checklists [000 App. 3]: its lead and coordinators. Conditions are
  // numbered within the checklist, each once; a met condition's date is not
  // after today. The conditions' words are the framework's.
  std::expected<void, Error> SetReadiness(Store& store, const Caller& caller,
                                          const std::string& organisation,
                                          Readiness readiness);
  // How many conditions the checklist has: as the framework counts or names
  // them; 0 for a checklist the framework does not have.
  int ConditionCount(const std::string& checklist) const;

  // Sessions: coordinators. The course must be the framework's; a
  // system-specific course's session names its case-management system; the
  // audiences and priority group must be the framework's.
  std::expected<CourseSession, Error> AddSession(Store& store,
                                                 const Caller& caller,
                                                 CourseSession session);
  std::expected<Promotions, Error> UpdateSession(Store& store,
                                                 const Caller& caller,
                                                 const CourseSession& session);

  // Bookings. Book: the person, their manager (a nomination, approved by
  // being made) or a coordinator; refused with every reason when the person
  // is not eligible.
  std::expected<Booking, Error> Book(Store& store, const Caller& caller,
                                     const std::string& session,
                                     const std::string& person);
  std::expected<Booking, Error> Decide(Store& store, const Caller& caller,
                                       const std::string& booking, bool approve,
                                       const std::string& note);
  std::expected<BookingChange, Error> Cancel(Store& store, const Caller& caller,
                                             const std::string& booking,
                                             const std::string& note);

  // Registers [MISSION D3]: coordinators and the session's trainers mark and
  // close them, auditors read them. A part is marked present only once it
  // has started, and the register closes only once the last part has. A
  // closed register is corrected by a coordinator alone, with a reason.
  std::expected<Register, Error> ReadRegister(Store& store,
                                              const Caller& caller,
                                              const std::string& session);
  std::expected<RegisterEntry, Error> MarkRegister(Store& store,
                                                   const Caller& caller,
                                                   const std::string& session,
                                                   const RegisterMark& mark);
  std::expected<RegisterClosing, Error> CloseRegister(
      Store& store, const Caller& caller, const std::string& session);
  std::expected<RegisterEntry, Error> CorrectRegister(
      Store& store, const Caller& caller, const std::string& session,
      const RegisterMark& mark, const std::string& reason);

 private:
  std::expected<CourseSession, Error> FindSession(Store& store,
                                                  const std::string& id) const;
  // The course's modules at their current versions: what attendance earns.
  std::expected<std::vector<RecordedModule>, Error> ModulesOf(
      const CourseSession& session) const;
  std::expected<Candidate, Error> LoadCandidate(
      Store& store, const std::string& person) const;
  // The booking, when the caller passes `may` for its person; else
  // kPermissionDenied saying they may not `what` it.
  std::expected<Booking, Error> BookingFor(
      Store& store, const Caller& caller, const std::string& booking,
      bool (*may)(const Caller&, const Person&), const std::string& what);
  std::expected<void, Error> CheckAgainstFramework(
      const CourseSession& session) const;

  std::shared_ptr<const Framework> framework_;
  ServiceOptions options_;
  // Checked tokens by id: the secret's hash and the account.
  struct CheckedToken {
    std::string secret_sha256;
    User user;
  };
  VersionCache<CheckedToken> tokens_{4U << 20};
  // Failed sign-ins per email, oldest first.
  mutable std::mutex failures_mutex_;
  mutable std::map<std::string,
                   std::deque<std::chrono::steady_clock::time_point>>
      failures_;
};

}  // namespace trellis::service
