// Trellis in a browser: the pages every role uses, server-rendered from the
// templates of web/templates, working without JavaScript (forms post, links
// navigate), and the built assets of web/ (stylesheet, scripts). Pages find
// their caller from the sign-in cookie and check a form's CSRF token; every
// rule is the service's, as for the JSON API. Handle is const and safe from
// many threads once made.
#pragma once

#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/store_pool.h"
#include "domain/error.h"
#include "http/message.h"
#include "http/router.h"
#include "service/access.h"
#include "service/area_service.h"
#include "service/dashboard.h"
#include "web/form.h"
#include "web/pages.h"

namespace trellis::web {

struct SiteOptions {
  // The built assets (build/<preset>/web/assets): read once, at start.
  std::filesystem::path assets;
  // Mark the sign-in cookie Secure (TLS here or at a proxy).
  bool secure_cookies = false;
  // The folder of the area's roll-out plan files (docs/plan-format.md).
  std::filesystem::path plans = "plans";
};

class Site {
 public:
  // kNotFound naming the folder when the assets are not there (build them:
  // the trellis_web_assets target).
  [[nodiscard]] static std::expected<std::unique_ptr<Site>, Error> Make(
      std::shared_ptr<service::AreaService> service,
      std::shared_ptr<api::StorePool> pool, SiteOptions options);

  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // A page, an asset, or an HTML page saying what went wrong.
  http::Response Handle(const http::Request& request) const;

  // Every page route's method and pattern, in the order added.
  const std::vector<std::pair<std::string, std::string>>& Routes() const {
    return routes_;
  }

 private:
  struct Asset {
    std::string body;
    std::string gzipped;  // the body gzipped once, for clients that accept it
    std::string content_type;
  };
  // Who is asking, from the sign-in cookie, with the sign-in's CSRF token.
  struct Visitor {
    service::Caller caller;
    std::string csrf_token;
  };
  struct FieldError {
    std::string field;  // the input's id
    std::string message;
  };

  Site(std::shared_ptr<service::AreaService> service,
       std::shared_ptr<api::StorePool> pool, SiteOptions options);
  void AddRoutes();
  void Add(const std::string& method, const std::string& pattern,
           http::RouteHandler handler);

  std::optional<Visitor> SignedIn(Store& store,
                                  const http::Request& request) const;
  // The page `content` (rendered from its template) inside the layout.
  http::Response Page(int status, const std::string& title,
                      const std::string& content, const Visitor* visitor,
                      const std::string& current,
                      const std::vector<FieldError>& errors = {},
                      const std::string& banner = "",
                      bool charts = false) const;
  http::Response Problem(int status, const std::string& heading,
                         const std::string& message,
                         const Visitor* visitor) const;
  static http::Response Redirect(const std::string& location);
  http::Response Unavailable(const Visitor* visitor) const;
  // A page for a signed-in visitor: `page` with a store and the visitor;
  // 503 without a store; to sign in first (and back here) when not signed in.
  http::Response ForVisitor(
      const http::Request& request,
      const std::function<http::Response(Store&, const Visitor&)>& page,
      api::StorePool::Use use = api::StorePool::Use::kRead) const;
  // The service's refusal as a page: 403 says what they may not do, 404
  // that there is no such thing, anything else that something went wrong.
  http::Response Refused(const Error& error, const Visitor* visitor) const;
  // The posted form when its CSRF token is the visitor's sign-in's.
  static std::optional<Form> Posted(const http::Request& request,
                                    const Visitor& who);
  http::Response StaleForm(const Visitor& who) const;
  // Adds a page's method and pattern, answered for signed-in visitors.
  void AddPage(
      const std::string& method, const std::string& pattern,
      std::function<http::Response(Store&, const Visitor&, const http::Request&,
                                   const http::Params&)>
          page);

  http::Response SignInPage(const http::Request& request) const;
  http::Response SignIn(const http::Request& request) const;
  http::Response SignOut(const http::Request& request) const;
  http::Response Home(const http::Request& request) const;
  http::Response HomeOf(Store& store, const Visitor& who,
                        std::string_view done) const;
  http::Response Plan(const http::Request& request) const;
  http::Response PlanOf(Store& store, const Visitor& who) const;

  // A learner's and a manager's pages (learning_pages.cc).
  void AddLearningPages();
  http::Response FindSessions(Store& store, const Visitor& who,
                              const http::Request& request) const;
  http::Response SessionPage(Store& store, const Visitor& who,
                             const std::string& id,
                             const http::Request& request,
                             const std::vector<FieldError>& errors = {},
                             int status = 200) const;
  http::Response BookPlace(Store& store, const Visitor& who,
                           const std::string& id,
                           const http::Request& request) const;
  http::Response CancelPage(Store& store, const Visitor& who,
                            const std::string& booking,
                            const std::vector<FieldError>& errors = {},
                            int status = 200) const;
  http::Response CancelBooking(Store& store, const Visitor& who,
                               const std::string& booking,
                               const http::Request& request) const;
  http::Response DecideBooking(Store& store, const Visitor& who,
                               const std::string& booking,
                               const http::Request& request) const;
  http::Response Records(Store& store, const Visitor& who) const;
  http::Response Team(Store& store, const Visitor& who) const;
  http::Response PersonPage(Store& store, const Visitor& who,
                            const std::string& id,
                            const http::Request& request) const;
  // Scheduling and changing sessions (session_form.cc).
  void AddSessionFormPages();
  CourseSession SessionFromForm(const Form& form,
                                std::vector<FieldError>& errors) const;
  http::Response SessionForm(Store& store, const Visitor& who,
                             const std::string& id, const Form& form,
                             const std::vector<FieldError>& errors,
                             int status) const;
  http::Response SaveSession(Store& store, const Visitor& who,
                             const std::string& id,
                             const http::Request& request) const;
  http::Response SessionRefused(Store& store, const Visitor& who,
                                const std::string& id, const Form& form,
                                const Error& error) const;
  // Importing a CSV file (import_pages.cc).
  void AddImportPages();
  http::Response ImportsPage(const Visitor& who, const http::Request& request,
                             const std::string& kind,
                             const std::vector<FieldError>& errors,
                             int status) const;
  http::Response CheckImport(Store& store, const Visitor& who,
                             const http::Request& request, bool confirm) const;
  // Readiness checklists (readiness_page.cc).
  void AddReadinessPages();
  http::Response ReadinessPage(Store& store, const Visitor& who,
                               const std::string& id,
                               const std::string& checklist,
                               const std::optional<Form>& posted,
                               const std::vector<FieldError>& errors,
                               int status) const;
  http::Response SaveReadiness(Store& store, const Visitor& who,
                               const std::string& id,
                               const std::string& checklist,
                               const http::Request& request) const;
  // Venues and rooms (venue_pages.cc).
  void AddVenuePages();
  http::Response VenuesPage(Store& store, const Visitor& who, const Form& form,
                            const std::vector<FieldError>& errors, int status,
                            std::string_view done) const;
  http::Response VenuePage(Store& store, const Visitor& who,
                           const std::string& id, const Form& form,
                           const std::vector<FieldError>& errors, int status,
                           std::string_view done) const;
  // A session's register (register_page.cc).
  void AddRegisterPages();
  http::Response RegisterPage(Store& store, const Visitor& who,
                              const std::string& id, std::string_view done,
                              const std::vector<FieldError>& errors = {},
                              int status = 200) const;
  http::Response MarkRegister(Store& store, const Visitor& who,
                              const std::string& id,
                              const http::Request& request) const;
  http::Response CloseRegister(Store& store, const Visitor& who,
                               const std::string& id,
                               const http::Request& request) const;
  http::Response CorrectionPage(Store& store, const Visitor& who,
                                const std::string& id,
                                const std::string& person,
                                const std::optional<Form>& posted,
                                const std::vector<FieldError>& errors,
                                int status) const;
  http::Response CorrectRegister(Store& store, const Visitor& who,
                                 const std::string& id,
                                 const std::string& person,
                                 const http::Request& request) const;

  // The dashboard (dashboard_page.cc).
  void AddDashboardPages();
  http::Response DashboardPage(Store& store, const Visitor& who) const;
  http::Response DashboardFile(Store& store, const Visitor& who,
                               const std::string& file) const;

  // The sessions calendar (calendar_page.cc).
  void AddCalendarPages();
  http::Response CalendarPage(Store& store, const Visitor& who,
                              const http::Request& request) const;

  // Organisations and people (area_pages.cc).
  void AddAreaPages();
  http::Response OrganisationsPage(Store& store, const Visitor& who) const;
  http::Response OrganisationPage(Store& store, const Visitor& who,
                                  const std::string& id,
                                  std::string_view done) const;
  http::Response PeoplePage(Store& store, const Visitor& who,
                            const http::Request& request) const;

  // The framework browser (framework_pages.cc).
  void AddFrameworkPages();
  http::Response FrameworkPage(const Visitor& who,
                               const http::Request& request) const;
  http::Response ModulePage(const Visitor& who, const std::string& ref) const;
  http::Response CoursePage(const Visitor& who, const std::string& id) const;

  // Roll-out plans (roll_out_pages.cc).
  void AddRollOutPages();
  http::Response RollOutsPage(const Visitor& who) const;
  // `data` holds the what-if form's values, shown back.
  http::Response RollOutPage(Store& store, const Visitor& who,
                             const std::string& id,
                             const std::vector<std::string>& settings,
                             const std::string& on_text, Data data) const;
  http::Response CommitRollOutPage(Store& store, const Visitor& who,
                                   const std::string& id,
                                   const std::vector<std::string>& settings,
                                   const std::string& on_text) const;

  // The audit trail (audit_page.cc).
  void AddAuditPages();
  http::Response AuditPage(Store& store, const Visitor& who,
                           const http::Request& request) const;

  // The plan of `person` as its template shows it.
  std::expected<Data, Error> PlanData(Store& store, const Person& person,
                                      const std::string& heading,
                                      const std::string& whom) const;

  std::shared_ptr<service::AreaService> service_;
  std::shared_ptr<api::StorePool> pool_;
  std::shared_ptr<service::Reports> reports_;
  SiteOptions options_;
  std::map<std::string, Asset> assets_;
  std::string assets_version_;
  http::Router router_;
  std::vector<std::pair<std::string, std::string>> routes_;
};

}  // namespace trellis::web
