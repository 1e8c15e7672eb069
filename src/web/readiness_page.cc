// An organisation's readiness checklist, kept by its lead or a coordinator
// [000 App. 3: the 28 ContactPoint accreditation conditions]: each condition
// met or not, with what shows it and when. Its staff cannot train for the
// programme until it is met, so the needs engine reads what is saved here.
#include <algorithm>

#include "domain/text.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

std::string Numbered(const char* field, int number) {
  return std::string(field) + "-" + std::to_string(number);
}

}  // namespace

void Site::AddReadinessPages() {
  AddPage("GET", "/organisations/{id}/readiness/{checklist}",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return ReadinessPage(store, who, std::string(params.Get("id")),
                                 std::string(params.Get("checklist")),
                                 std::nullopt, {}, 200);
          });
  AddPage("POST", "/organisations/{id}/readiness/{checklist}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return SaveReadiness(store, who, std::string(params.Get("id")),
                                 std::string(params.Get("checklist")), request);
          });
}

http::Response Site::ReadinessPage(Store& store, const Visitor& who,
                                   const std::string& id,
                                   const std::string& checklist,
                                   const std::optional<Form>& posted,
                                   const std::vector<FieldError>& errors,
                                   int status) const {
  if (!service::MayChangeOrganisation(who.caller, id)) {
    return Refused(
        service::Forbidden(who.caller, "change the readiness of " + id), &who);
  }
  const Framework& framework = service_->framework();
  const auto list = std::ranges::find(framework.readiness, checklist,
                                      &ReadinessChecklist::id);
  auto org = store.FindOrganisation(id);
  if (!org) return Refused(org.error(), &who);
  if (!*org || list == framework.readiness.end()) {
    return Refused(
        Error{ErrorCode::kNotFound,
              "no organisation '" + id + "' or checklist '" + checklist + "'",
              {}},
        &who);
  }
  // The form as posted, or as kept.
  Form form;
  if (posted) {
    form = *posted;
  } else {
    for (const auto& r : (*org)->readiness) {
      if (r.checklist != checklist) continue;
      for (const auto& c : r.conditions) {
        if (c.met) form.Add(Numbered("met", c.number), "yes");
        form.Add(Numbered("evidence", c.number), c.evidence);
        if (c.date) {
          const std::string prefix = Numbered("date", c.number);
          form.Add(prefix + "-day",
                   std::to_string(static_cast<unsigned>(c.date->day())));
          form.Add(prefix + "-month",
                   std::to_string(static_cast<unsigned>(c.date->month())));
          form.Add(prefix + "-year",
                   std::to_string(static_cast<int>(c.date->year())));
        }
      }
    }
  }
  const int count = service_->ConditionCount(checklist);
  Data conditions{Data::type::list};
  for (int n = 1; n <= count; ++n) {
    const auto i = static_cast<std::size_t>(n - 1);
    Data c;
    c.set("number", std::to_string(n));
    c.set("text", i < list->conditions.size()
                      ? list->conditions[i]
                      : "Condition " + std::to_string(n));
    c.set("met_field", Numbered("met", n));
    c.set("met", form.Get(Numbered("met", n)) == "yes");
    c.set("evidence_field", Numbered("evidence", n));
    c.set("evidence", form.Get(Numbered("evidence", n)));
    const std::string prefix = Numbered("date", n);
    c.set("date_field", prefix);
    for (const char* f : {"day", "month", "year"}) {
      c.set(f, form.Get(prefix + "-" + f));
    }
    for (const auto& e : errors) {
      if (e.field == prefix + "-day") SetText(c, "date_error", e.message);
    }
    conditions.push_back(c);
  }
  Data data;
  data.set("id", id);
  data.set("organisation", (*org)->name);
  data.set("checklist", list->name);
  data.set("action", "/organisations/" + http::PercentEncode(id) +
                         "/readiness/" + http::PercentEncode(checklist));
  data.set("conditions", conditions);
  data.set("has_conditions", count > 0);
  data.set("csrf_token", who.csrf_token);
  return Page(status, list->name, Render("readiness", data), &who,
              "/organisations", errors);
}

http::Response Site::SaveReadiness(Store& store, const Visitor& who,
                                   const std::string& id,
                                   const std::string& checklist,
                                   const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  Readiness readiness;
  readiness.checklist = checklist;
  std::vector<FieldError> errors;
  const int count = service_->ConditionCount(checklist);
  for (int n = 1; n <= count; ++n) {
    ReadinessCondition c;
    c.number = n;
    c.met = form->Get(Numbered("met", n)) == "yes";
    c.evidence = std::string(Trim(form->Get(Numbered("evidence", n))));
    const std::string prefix = Numbered("date", n);
    auto date = form->DateOf(prefix);
    if (!date) {
      errors.push_back({prefix + "-day", "Condition " + std::to_string(n) +
                                             ": the date " + date.error()});
    } else {
      c.date = *date;
    }
    readiness.conditions.push_back(std::move(c));
  }
  if (!errors.empty()) {
    return ReadinessPage(store, who, id, checklist, *form, errors, 400);
  }
  auto saved = service_->SetReadiness(store, who.caller, id, readiness);
  if (!saved) {
    const Error& e = saved.error();
    if (e.code != ErrorCode::kInvalidArgument || e.fields.empty()) {
      return Refused(e, &who);
    }
    // conditions[N]: condition N's date is what the service can refuse.
    const std::string& field = e.fields.front().field;
    const auto open = field.find('[');
    const std::string n =
        open == std::string::npos
            ? "1"
            : field.substr(open + 1, field.find(']') - open - 1);
    return ReadinessPage(store, who, id, checklist, *form,
                         {{"date-" + n + "-day", Capitalised(e.message)}}, 400);
  }
  return Redirect("/organisations/" + http::PercentEncode(id) +
                  "?done=readiness");
}

}  // namespace trellis::web
