// The audit trail, read-only [MISSION I2]: every change to a record, who
// made it and when, before and after, newest first, for the whole area or
// one record; and a check that the hash chain is unbroken. Auditors and
// coordinators.
#include <charconv>
#include <ranges>

#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

constexpr int kPerPage = 50;

std::optional<long long> Number(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  long long value = 0;
  auto [ptr, ec] =
      std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

void Site::AddAuditPages() {
  AddPage(
      "GET", "/audit",
      [this](Store& store, const Visitor& who, const http::Request& request,
             const http::Params&) { return AuditPage(store, who, request); });
}

http::Response Site::AuditPage(Store& store, const Visitor& who,
                               const http::Request& request) const {
  if (!service::MayReadEverything(who.caller)) {
    return Refused(service::Forbidden(who.caller, "read the audit trail"),
                   &who);
  }
  const std::string entity(request.Query("entity").value_or(""));
  const std::string id(request.Query("id").value_or(""));
  if (entity.empty() != id.empty() || entity.size() > 40 || id.size() > 100) {
    return Problem(400, "That cannot be shown",
                   "Give both what kind of record and its id, or neither.",
                   &who);
  }
  auto head = store.DataVersion();
  if (!head) return Refused(head.error(), &who);
  // The page of entries after `after`: by default the newest.
  long long after = std::max(0LL, *head - kPerPage);
  if (auto asked = Number(request.Query("after"))) after = *asked;
  std::vector<AuditEntry> entries;
  if (entity.empty()) {
    auto found = store.AuditTrail("", "", after, kPerPage);
    if (!found) return Refused(found.error(), &who);
    entries = std::move(*found);
  } else {
    // One record's history is short: all of it.
    auto found = store.AuditTrail(entity, id, 0, 1000);
    if (!found) return Refused(found.error(), &who);
    entries = std::move(*found);
  }
  Data rows{Data::type::list};
  for (const AuditEntry& e : std::ranges::reverse_view(entries)) {
    Data row;
    row.set("seq", std::to_string(e.seq));
    row.set("at", e.at.substr(0, 19));
    row.set("actor", e.actor);
    row.set("action", e.action);
    row.set("entity", e.entity);
    row.set("entity_id", e.entity_id);
    SetText(row, "before", e.before);
    SetText(row, "after", e.after);
    rows.push_back(row);
  }
  Data data;
  data.set("entries", rows);
  data.set("has_entries", !entries.empty());
  data.set("head", std::to_string(*head));
  SetText(data, "entity", entity);
  SetText(data, "id", id);
  if (entity.empty()) {
    if (after > 0) {
      data.set("older", "/audit?after=" +
                            std::to_string(std::max(0LL, after - kPerPage)));
    }
    if (after + kPerPage < *head) {
      data.set("newer", "/audit?after=" + std::to_string(after + kPerPage));
    }
  }
  if (request.Query("verify").value_or("") == "yes") {
    auto verified = store.VerifyAudit();
    if (!verified) return Refused(verified.error(), &who);
    data.set("verified", true);
    data.set("checked", std::to_string(verified->entries));
    data.set("intact", verified->first_broken == 0);
    data.set("broken", std::to_string(verified->first_broken));
    SetText(data, "problem", verified->problem);
  }
  return Page(200, "Audit trail", Render("audit", data), &who, "/audit");
}

}  // namespace trellis::web
