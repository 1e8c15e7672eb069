// Roll-out plans [MISSION E]: the plans the area keeps, each planned on the
// area's people as the page is asked for: the forecast chart (people
// trained, cumulative, against each phase's target) drawn from its table,
// the binding limit in words, the proposed calendar, what-ifs as a form
// (start, seats, trainer-days, any plan key), and for coordinators a button
// that commits the calendar as the area's sessions and bookings.
// Coordinators and auditors read; coordinators commit.
#include <sstream>

#include "domain/text.h"
#include "service/roll_out.h"
#include "web/format.h"
#include "web/site.h"
#include "web/table.h"

namespace trellis::web {
namespace {

constexpr const char* kTrained = "#1d70b8";
constexpr const char* kTarget = "#505a5f";

// The what-ifs a form asks for, as the plan's KEY=VALUE settings: the
// named fields first, then each line of "more".
struct WhatIfs {
  std::string start;
  std::string seats;
  std::string days_per_month;
  std::string more;
  std::string on;

  std::vector<std::string> Settings() const {
    std::vector<std::string> out;
    if (!start.empty()) out.push_back("start=" + start);
    if (!seats.empty()) out.push_back("venue.seats=" + seats);
    if (!days_per_month.empty()) {
      out.push_back("trainers.days_per_month=" + days_per_month);
    }
    std::istringstream lines(more);
    for (std::string line; std::getline(lines, line);) {
      const auto trimmed = Trim(line);
      if (!trimmed.empty()) out.emplace_back(trimmed);
    }
    return out;
  }
};

template <typename Get>
WhatIfs ReadWhatIfs(const Get& get) {
  return WhatIfs{.start = std::string(Trim(get("start"))),
                 .seats = std::string(Trim(get("seats"))),
                 .days_per_month = std::string(Trim(get("days_per_month"))),
                 .more = get("more"),
                 .on = std::string(Trim(get("on")))};
}

void SetWhatIfs(Data& data, const WhatIfs& what_ifs) {
  data.set("start", what_ifs.start);
  data.set("seats", what_ifs.seats);
  data.set("days_per_month", what_ifs.days_per_month);
  data.set("more", what_ifs.more);
  data.set("on", what_ifs.on);
}

std::string Forecast(const plan::RollOutResult& result) {
  if (result.objective.unplaced > 0) {
    return std::to_string(result.objective.unplaced) +
           " places cannot be given within the plan's dates";
  }
  if (!result.forecast) return "nobody needs these courses";
  return "everyone placed by " +
         ShortDate(plan::DateOfDayNumber(*result.forecast));
}

Table PhaseTable(const plan::RollOutResult& result) {
  Table table{.name = "phases",
              .caption = "People trained by phase, against the targets",
              .columns = {{"Phase", false, ""},
                          {"Dates", false, ""},
                          {"Sessions", true, ""},
                          {"Trained", true, ""},
                          {"Trained so far", true, kTrained},
                          {"Target so far", true, kTarget},
                          {"Status", false, ""}},
              .rows = {}};
  for (const auto& phase : result.phases) {
    table.rows.push_back(
        {phase.name, ShortDate(phase.from) + " to " + ShortDate(phase.to),
         std::to_string(phase.sessions), std::to_string(phase.trained),
         std::to_string(phase.cumulative),
         phase.cumulative_target ? std::to_string(*phase.cumulative_target)
                                 : "",
         phase.rag.empty() ? "no target" : Capitalised(phase.rag)});
  }
  return table;
}

Table CalendarTable(const Framework& framework,
                    const service::PlannedRollOut& planned) {
  Table table{.name = "proposed-calendar",
              .caption = "The sessions the plan proposes, in time order",
              .columns = {{"Date", false, ""},
                          {"Half-day", false, ""},
                          {"Course", false, ""},
                          {"For", false, ""},
                          {"System", false, ""},
                          {"Venue", false, ""},
                          {"Trainer", false, ""},
                          {"Places", true, ""}},
              .rows = {}};
  const plan::Instance& in = planned.instance.instance;
  const auto& sessions = planned.result.schedule.sessions;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const plan::PlannedSession& s = sessions[i];
    const plan::PlanSlot& slot = in.slots[s.slot];
    const std::string& course = planned.instance.session_courses[s.course];
    table.rows.push_back({ShortDate(plan::DateOfDayNumber(slot.day)),
                          slot.part == 0 ? "Morning" : "Afternoon",
                          course.empty() ? in.courses[s.course].name
                                         : CourseName(framework, course),
                          in.mix.empty() ? "" : in.audiences[s.audience],
                          s.system >= 0 ? in.systems[s.system] : "",
                          in.venues[slot.venue],
                          s.trainer >= 0 ? in.trainers[s.trainer].id : "",
                          std::to_string(planned.result.places[i])});
  }
  return table;
}

}  // namespace

void Site::AddRollOutPages() {
  AddPage("GET", "/roll-outs",
          [this](Store&, const Visitor& who, const http::Request&,
                 const http::Params&) { return RollOutsPage(who); });
  AddPage("GET", "/roll-outs/{id}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            const auto what_ifs = ReadWhatIfs([&](const char* name) {
              return std::string(request.Query(name).value_or(""));
            });
            Data form;
            SetWhatIfs(form, what_ifs);
            return RollOutPage(store, who, std::string(params.Get("id")),
                               what_ifs.Settings(), what_ifs.on,
                               std::move(form));
          });
  AddPage("POST", "/roll-outs/{id}/commit",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            auto form = Posted(request, who);
            if (!form) return StaleForm(who);
            const auto what_ifs =
                ReadWhatIfs([&](const char* name) { return form->Get(name); });
            return CommitRollOutPage(store, who, std::string(params.Get("id")),
                                     what_ifs.Settings(), what_ifs.on);
          });
}

http::Response Site::RollOutsPage(const Visitor& who) const {
  auto plans = service::ListPlans(who.caller, options_.plans.string());
  if (!plans) return Refused(plans.error(), &who);
  Data list{Data::type::list};
  for (const auto& p : *plans) {
    Data item;
    item.set("href", "/roll-outs/" + p.id);
    item.set("name", p.name);
    item.set("id", p.id);
    item.set("dates", p.from && p.to
                          ? ShortDate(*p.from) + " to " + ShortDate(*p.to)
                          : std::string());
    item.set("errors", p.errors == 0 ? std::string()
                                     : std::to_string(p.errors) + " error" +
                                           (p.errors == 1 ? "" : "s"));
    list.push_back(item);
  }
  Data data;
  data.set("plans", list);
  data.set("has_plans", !plans->empty());
  data.set("folder", options_.plans.string());
  return Page(200, "Roll-out plans", Render("roll_outs", data), &who,
              "/roll-outs");
}

http::Response Site::RollOutPage(Store& store, const Visitor& who,
                                 const std::string& id,
                                 const std::vector<std::string>& settings,
                                 const std::string& on_text, Data data) const {
  data.set("id", id);
  data.set("csrf_token", who.csrf_token);
  std::vector<FieldError> errors;
  Date on = service_->Today();
  if (!on_text.empty()) {
    if (auto date = ParseIsoDate(on_text)) {
      on = *date;
    } else {
      errors.push_back({"on", "Enter the day as yyyy-mm-dd: " + date.error()});
    }
  }
  auto planned = service::PlanFromFolder(
      *service_, store, who.caller, options_.plans.string(), id, settings, on);
  if (!planned && planned.error().code == ErrorCode::kInvalidArgument &&
      !settings.empty()) {
    // A what-if the plan does not take: the plan as it stands, and why.
    errors.push_back({"more", planned.error().message});
    planned = service::PlanFromFolder(*service_, store, who.caller,
                                      options_.plans.string(), id, {}, on);
  }
  if (!planned) return Refused(planned.error(), &who);
  const plan::RollOutResult& result = planned->result;
  data.set("name", planned->plan.name);
  if (!planned->plan.source.empty()) {
    data.set("source", planned->plan.source);
  }
  data.set("on_text", ShortDate(planned->on));
  Data findings{Data::type::list};
  for (const auto& f : planned->findings) {
    Data item;
    item.set("error", f.severity == Severity::kError);
    item.set("text", "line " + std::to_string(f.pos.line) + ": " + f.message);
    findings.push_back(item);
  }
  data.set("findings", findings);
  data.set("has_findings", !planned->findings.empty());
  data.set("learners", std::to_string(result.learners));
  data.set("requests", std::to_string(result.requests));
  data.set("sessions", std::to_string(result.schedule.sessions.size()));
  data.set("from", ShortDate(planned->instance.from));
  data.set("to", ShortDate(planned->instance.to));
  Data not_ready{Data::type::list};
  for (const auto& [why, count] : planned->instance.not_ready) {
    Data item;
    item.set("count", std::to_string(count));
    item.set("why", why == "organisation-not-ready"
                        ? std::string("their organisation is not yet ready")
                    : why == "check-missing" ? std::string("a check is missing")
                                             : why);
    not_ready.push_back(item);
  }
  data.set("not_ready", not_ready);
  if (planned->instance.already_held > 0) {
    data.set("already_held", std::to_string(planned->instance.already_held));
  }
  data.set("forecast", Forecast(result));
  if (result.bound.date) {
    data.set("bound", ShortDate(plan::DateOfDayNumber(*result.bound.date)));
  }
  if (result.gap) {
    std::ostringstream gap;
    gap.precision(1);
    gap << std::fixed << *result.gap * 100;
    data.set("gap", gap.str());
  }
  if (!result.bound.limits.empty()) {
    data.set("binding", result.bound.limits.front().words);
  }
  if (planned->stated_result) {
    data.set("what_if", true);
    data.set("settings", Join(planned->settings, ", "));
    data.set("stated_forecast", Forecast(*planned->stated_result));
  }

  Data phases = TableData(PhaseTable(result));
  phases.set("chart", std::string("line"));
  phases.set("charted", true);
  phases.set("no_downloads", true);
  phases.set("table_html", Render("table", phases));
  data.set("phases", Render("table_chart", phases));
  Data calendar = TableData(CalendarTable(service_->framework(), *planned));
  calendar.set("no_downloads", true);
  data.set("calendar", Render("table", calendar));
  data.set("may_commit", service::MayManageArea(who.caller));
  for (const auto& e : errors) data.set(e.field + "_error", e.message);
  return Page(errors.empty() ? 200 : 422, planned->plan.name,
              Render("roll_out", data), &who, "/roll-outs", errors, "",
              /*charts=*/true);
}

http::Response Site::CommitRollOutPage(Store& store, const Visitor& who,
                                       const std::string& id,
                                       const std::vector<std::string>& settings,
                                       const std::string& on_text) const {
  Date on = service_->Today();
  if (auto date = ParseIsoDate(on_text)) on = *date;
  auto planned = service::PlanFromFolder(
      *service_, store, who.caller, options_.plans.string(), id, settings, on);
  if (!planned) return Refused(planned.error(), &who);
  auto report = service::CommitRollOut(*service_, store, who.caller, *planned);
  Data data;
  data.set("id", id);
  data.set("name", planned->plan.name);
  if (!report) {
    if (report.error().code != ErrorCode::kFailedPrecondition) {
      return Refused(report.error(), &who);
    }
    data.set("refused", report.error().message);
    Data why{Data::type::list};
    for (const auto& f : report.error().fields) {
      Data item;
      item.set("text", f.message);
      why.push_back(item);
    }
    data.set("why", why);
    return Page(409, "Not committed: " + planned->plan.name,
                Render("roll_out_commit", data), &who, "/roll-outs");
  }
  data.set("committed", true);
  data.set("added", std::to_string(report->sessions_added));
  data.set("kept", std::to_string(report->sessions_kept));
  data.set("booked", std::to_string(report->booked));
  data.set("already", std::to_string(report->already_booked));
  if (report->held_elsewhere > 0) {
    data.set("held_elsewhere", std::to_string(report->held_elsewhere));
  }
  Data not_booked{Data::type::list};
  for (const auto& [why, count] : report->not_booked) {
    Data item;
    item.set("count", std::to_string(count));
    item.set("why", why);
    not_booked.push_back(item);
  }
  data.set("not_booked", not_booked);
  Data refusals{Data::type::list};
  for (const auto& r : report->refused) {
    Data item;
    item.set("session", r.session);
    item.set("href", r.person.empty() ? "" : "/sessions/" + r.session);
    item.set("person", r.person);
    item.set("why", r.why);
    refusals.push_back(item);
  }
  data.set("refusals", refusals);
  data.set("has_refusals", !report->refused.empty());
  data.set("refused_count", std::to_string(report->refused.size()));
  if (!report->sessions.empty()) {
    data.set("first", report->sessions.front());
  }
  return Page(200, "Committed: " + planned->plan.name,
              Render("roll_out_commit", data), &who, "/roll-outs");
}

}  // namespace trellis::web
