// The area's organisations with their readiness checklists, and its people
// [MISSION B]: read by everyone for organisations (the partnership's own
// list), by coordinators and auditors for people, an organisation lead for
// their own organisation's people.
#include <algorithm>
#include <map>

#include "domain/text.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

constexpr int kPeoplePerPage = 50;

std::string SectorName(const Framework& framework, const std::string& id) {
  const auto it = std::ranges::find(framework.sectors, id, &Sector::id);
  return it != framework.sectors.end() ? it->name : id;
}

// "3 of 5 met" for one checklist of the organisation's.
std::string MetOf(const Readiness& readiness) {
  const auto met = std::ranges::count_if(
      readiness.conditions, [](const ReadinessCondition& c) { return c.met; });
  return std::to_string(met) + " of " +
         std::to_string(readiness.conditions.size()) + " met";
}

}  // namespace

void Site::AddAreaPages() {
  AddPage(
      "GET", "/organisations",
      [this](Store& store, const Visitor& who, const http::Request&,
             const http::Params&) { return OrganisationsPage(store, who); });
  AddPage("GET", "/organisations/{id}",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return OrganisationPage(store, who, std::string(params.Get("id")),
                                    request.Query("done").value_or(""));
          });
  AddPage(
      "GET", "/people",
      [this](Store& store, const Visitor& who, const http::Request& request,
             const http::Params&) { return PeoplePage(store, who, request); });
}

http::Response Site::OrganisationsPage(Store& store, const Visitor& who) const {
  const Framework& framework = service_->framework();
  auto orgs = store.ListOrganisations(ListWindow{.limit = 5000, .offset = 0});
  if (!orgs) return Refused(orgs.error(), &who);
  std::ranges::sort(*orgs, {}, &Organisation::name);
  Data rows{Data::type::list};
  for (const auto& org : *orgs) {
    Data row;
    row.set("id", org.id);
    row.set("name", org.name);
    row.set("sector", SectorName(framework, org.sector));
    row.set("system", org.case_management_system);
    row.set("isp", org.isp_signed ? ShortDate(*org.isp_signed) : "Not signed");
    std::vector<std::string> readiness;
    for (const auto& r : org.readiness) readiness.push_back(MetOf(r));
    row.set("readiness", Join(readiness, "; "));
    rows.push_back(row);
  }
  Data data;
  data.set("organisations", rows);
  data.set("count", std::to_string(orgs->size()));
  data.set("may_import", service::MayManageArea(who.caller));
  return Page(200, "Organisations", Render("organisations", data), &who,
              "/organisations");
}

http::Response Site::OrganisationPage(Store& store, const Visitor& who,
                                      const std::string& id,
                                      std::string_view done) const {
  const Framework& framework = service_->framework();
  auto org = store.FindOrganisation(id);
  if (!org) return Refused(org.error(), &who);
  if (!*org) {
    return Refused(
        Error{ErrorCode::kNotFound, "no organisation '" + id + "'", {}}, &who);
  }
  const Organisation& o = **org;
  Data data;
  data.set("id", o.id);
  data.set("name", o.name);
  data.set("sector", SectorName(framework, o.sector));
  SetText(data, "type", o.type);
  SetText(data, "system", o.case_management_system);
  SetText(data, "locality", o.locality);
  data.set("isp", o.isp_signed ? ShortDate(*o.isp_signed) : "Not signed");
  Data checklists{Data::type::list};
  for (const auto& r : o.readiness) {
    const auto it = std::ranges::find(framework.readiness, r.checklist,
                                      &ReadinessChecklist::id);
    Data item;
    item.set("name", it != framework.readiness.end() ? it->name : r.checklist);
    item.set("met", MetOf(r));
    Data conditions{Data::type::list};
    for (const auto& c : r.conditions) {
      Data condition;
      condition.set("number", std::to_string(c.number));
      condition.set("text", c.text.empty()
                                ? "Condition " + std::to_string(c.number)
                                : c.text);
      condition.set("is_met", c.met);
      SetText(condition, "evidence", c.evidence);
      if (c.date) condition.set("date", ShortDate(*c.date));
      conditions.push_back(condition);
    }
    item.set("conditions", conditions);
    checklists.push_back(item);
  }
  data.set("checklists", checklists);
  data.set("has_checklists", !o.readiness.empty());
  const bool sees_people = service::MayReadEverything(who.caller) ||
                           (who.caller.Is(UserRole::kOrganisationLead) &&
                            who.caller.user.organisation == o.id);
  data.set("sees_people", sees_people);
  // Its lead and coordinators keep each of the framework's checklists.
  if (service::MayChangeOrganisation(who.caller, o.id)) {
    Data updates{Data::type::list};
    for (const auto& list : framework.readiness) {
      Data item;
      item.set("href", "/organisations/" + http::PercentEncode(o.id) +
                           "/readiness/" + http::PercentEncode(list.id));
      item.set("name", list.name);
      updates.push_back(item);
    }
    data.set("updates", updates);
    data.set("may_update", !framework.readiness.empty());
  }
  return Page(200, o.name, Render("organisation", data), &who, "/organisations",
              {},
              done == "readiness" ? "The readiness checklist is saved." : "");
}

http::Response Site::PeoplePage(Store& store, const Visitor& who,
                                const http::Request& request) const {
  const service::Caller& caller = who.caller;
  std::string organisation(request.Query("organisation").value_or(""));
  if (caller.Is(UserRole::kOrganisationLead)) {
    organisation = caller.user.organisation;
  } else if (!service::MayReadEverything(caller)) {
    return Refused(service::Forbidden(caller, "list the area's people"), &who);
  }
  // An id typed in goes straight to the person.
  const std::string id(Trim(request.Query("id").value_or("")));
  if (!id.empty()) {
    return Redirect("/people/" + http::PercentEncode(id));
  }
  const int page = PageNumber(request.Query("page"), 100000);
  auto people =
      store.ListPeople(organisation, "",
                       ListWindow{.limit = kPeoplePerPage + 1,
                                  .offset = (page - 1) * kPeoplePerPage});
  if (!people) return Refused(people.error(), &who);
  const bool more = static_cast<int>(people->size()) > kPeoplePerPage;
  if (more) people->pop_back();
  auto orgs = store.ListOrganisations(ListWindow{.limit = 5000, .offset = 0});
  if (!orgs) return Refused(orgs.error(), &who);
  std::ranges::sort(*orgs, {}, &Organisation::name);
  std::map<std::string, std::string> org_names;
  Data options{Data::type::list};
  for (const auto& org : *orgs) {
    org_names[org.id] = org.name;
    Data option;
    option.set("id", org.id);
    option.set("name", org.name);
    option.set("selected", org.id == organisation);
    options.push_back(option);
  }
  Data rows{Data::type::list};
  for (const auto& p : *people) {
    Data row;
    row.set("id", p.id);
    row.set("name", p.name);
    auto org = org_names.find(p.organisation);
    row.set("organisation",
            org != org_names.end() ? org->second : p.organisation);
    row.set("role", p.role);
    rows.push_back(row);
  }
  Data data;
  data.set("people", rows);
  data.set("has_people", !people->empty());
  data.set("organisations", options);
  data.set("may_import", service::MayManageArea(caller));
  data.set("choose_organisation", !caller.Is(UserRole::kOrganisationLead));
  data.set("page", std::to_string(page));
  auto link = [&](int to) {
    std::string target = "/people?page=" + std::to_string(to);
    if (!organisation.empty()) {
      target += "&organisation=" + http::PercentEncode(organisation);
    }
    return target;
  };
  if (page > 1) data.set("previous", link(page - 1));
  if (more) data.set("next", link(page + 1));
  return Page(200, "People", Render("people", data), &who, "/people");
}

}  // namespace trellis::web
