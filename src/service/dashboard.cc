#include "service/dashboard.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "engine/needs.h"

namespace trellis::service {
namespace {

void Add(NeedsRow& row, const SummaryRow& summary) {
  row.done += summary.done;
  row.due_soon += summary.due_soon;
  row.expired += summary.expired;
  row.outstanding += summary.outstanding;
}

// The summary's rows rolled up per group, with names, in the order of
// `order` (ids), others after in id order.
std::vector<NeedsRow> RollUp(const std::vector<SummaryRow>& summary,
                             const std::map<std::string, std::string>& names,
                             const std::map<std::string, int>& people) {
  std::map<std::string, NeedsRow> groups;
  for (const auto& row : summary) {
    NeedsRow& group = groups[row.group];
    group.key = row.group;
    Add(group, row);
  }
  std::vector<NeedsRow> rows;
  rows.reserve(groups.size());
  for (auto& [key, row] : groups) {
    auto name = names.find(key);
    row.label = name != names.end() ? name->second : key;
    auto count = people.find(key);
    row.people = count != people.end() ? count->second : 0;
    rows.push_back(std::move(row));
  }
  std::ranges::sort(rows, {}, &NeedsRow::label);
  return rows;
}

}  // namespace

std::expected<std::shared_ptr<const Dashboard>, Error> Reports::DashboardOf(
    Store& store, const Caller& caller) {
  if (!MayReadEverything(caller)) {
    return std::unexpected(Forbidden(caller, "read the dashboard"));
  }
  auto version = store.DataVersion();
  if (!version) return std::unexpected(version.error());
  const std::string key = FormatIsoDate(service_->Today());
  if (auto kept = kept_.Find(key, *version)) return kept;
  auto computed = Compute(store);
  if (!computed) return std::unexpected(computed.error());
  const std::size_t cost =
      sizeof(Dashboard) +
      (computed->by_organisation.size() + computed->by_module.size() +
       computed->by_sector.size()) *
          (sizeof(NeedsRow) + 96) +
      computed->take_up.size() * (sizeof(TakeUpRow) + 96);
  kept_.Keep(key, *version, *computed, cost);
  return std::make_shared<const Dashboard>(std::move(*computed));
}

std::expected<Dashboard, Error> Reports::Compute(Store& store) const {
  const Framework& framework = service_->framework();
  Dashboard board;
  board.on = service_->Today();
  auto area = store.LoadWorkforce();
  if (!area) return std::unexpected(area.error());
  board.people = static_cast<int>(area->people.size());
  const std::vector<PersonContext> contexts = ContextsOf(*area);
  NeedsOptions options;
  options.on = board.on;

  std::map<std::string, std::string> sector_names;
  for (const auto& sector : framework.sectors) {
    sector_names[sector.id] = sector.name;
  }
  std::map<std::string, std::string> org_names;
  std::map<std::string, int> per_org;
  std::map<std::string, int> per_sector;
  std::map<std::string, std::string> sector_of;
  for (const auto& org : area->organisations) {
    org_names[org.id] = org.name;
    sector_of[org.id] = org.sector;
  }
  for (const auto& person : area->people) {
    ++per_org[person.organisation];
    auto sector = sector_of.find(person.organisation);
    ++per_sector[sector != sector_of.end() && !sector->second.empty()
                     ? sector->second
                     : "(none)"];
  }
  const std::vector<SummaryRow> by_sector =
      SummariseNeeds(framework, contexts, GroupBy::kSector, options);
  board.by_sector = RollUp(by_sector, sector_names, per_sector);
  board.by_organisation = RollUp(
      SummariseNeeds(framework, contexts, GroupBy::kOrganisation, options),
      org_names, per_org);
  // Compliance: the sector rows again, per module, in framework order.
  std::map<std::string, NeedsRow> modules;
  for (const auto& row : by_sector) {
    NeedsRow& module = modules[row.module];
    module.key = row.module;
    module.people += row.people;
    Add(module, row);
  }
  for (const auto& module : framework.modules) {
    auto it = modules.find(module.ref);
    if (it == modules.end()) continue;
    it->second.label = module.name;
    board.by_module.push_back(std::move(it->second));
  }

  // Take-up: the sessions of the last 12 weeks and the next 8.
  board.from = Date{std::chrono::sys_days(board.on) - std::chrono::weeks(12)};
  board.to = Date{std::chrono::sys_days(board.on) + std::chrono::weeks(8)};
  SessionFilter filter;
  filter.from = board.from;
  filter.to = board.to;
  filter.window = ListWindow{.limit = 500, .offset = 0};
  std::map<std::string, TakeUpRow> courses;
  for (;;) {
    auto sessions = store.ListSessions(filter);
    if (!sessions) return std::unexpected(sessions.error());
    for (const auto& session : *sessions) {
      if (session.status == SessionStatus::kCancelled) continue;
      TakeUpRow& row = courses[session.course];
      row.course = session.course;
      ++row.sessions;
      row.seats += session.seats;
      auto bookings = store.BookingsOfSession(session.id);
      if (!bookings) return std::unexpected(bookings.error());
      for (const auto& b : *bookings) {
        switch (b.status) {
          case BookingStatus::kBooked:
            ++row.taken;
            break;
          case BookingStatus::kAttended:
          case BookingStatus::kPartlyAttended:
            ++row.taken;
            ++row.attended;
            break;
          case BookingStatus::kNoShow:
            ++row.taken;
            ++row.no_shows;
            break;
          case BookingStatus::kWaiting:
            ++row.waiting;
            break;
          default:
            break;
        }
      }
    }
    if (static_cast<int>(sessions->size()) < filter.window.limit) break;
    filter.window.offset += filter.window.limit;
  }
  for (const auto& course : framework.courses) {
    auto it = courses.find(course.id);
    if (it == courses.end()) continue;
    it->second.label = course.name;
    board.take_up.push_back(std::move(it->second));
  }
  return board;
}

}  // namespace trellis::service
