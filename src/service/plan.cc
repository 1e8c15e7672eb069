#include "service/plan.h"

#include <algorithm>

namespace trellis::service {

std::expected<std::vector<PlanItem>, Error> PlanOf(const AreaService& service,
                                                   Store& store,
                                                   const Person& person,
                                                   Date on) {
  auto candidate = service.CandidateOf(store, person);
  if (!candidate) return std::unexpected(candidate.error());
  const PersonContext context = ContextOf(*candidate);
  NeedsOptions options;
  options.on = on;
  const Framework& framework = service.framework();
  std::vector<PlanItem> plan;
  for (auto& need : ComputeNeeds(framework, context, options)) {
    if (need.status == NeedStatus::kNotApplicable || need.module == nullptr) {
      continue;
    }
    PlanItem item{std::move(need), std::nullopt};
    if (item.need.status != NeedStatus::kDone) {
      item.eligibility =
          CheckEligibility(framework, context, *item.need.module, options);
    }
    plan.push_back(std::move(item));
  }
  return plan;
}

NeedCounts CountNeeds(const std::vector<Need>& needs) {
  NeedCounts counts;
  for (const auto& need : needs) {
    switch (need.status) {
      case NeedStatus::kExpired:
        ++counts.expired;
        break;
      case NeedStatus::kOutstanding:
        ++counts.outstanding;
        break;
      case NeedStatus::kDueSoon:
        ++counts.due_soon;
        break;
      case NeedStatus::kDone:
        ++counts.done;
        break;
      case NeedStatus::kNotApplicable:
        break;
    }
  }
  return counts;
}

std::expected<std::vector<TeamMember>, Error> TeamOf(const AreaService& service,
                                                     Store& store,
                                                     const Caller& caller) {
  if (!caller.Is(UserRole::kManager) || caller.user.person.empty()) {
    return std::unexpected(Forbidden(caller, "have a team"));
  }
  const Date today = service.Today();
  std::vector<TeamMember> team;
  ListWindow window{.limit = 500, .offset = 0};
  for (;;) {
    auto people = store.ListPeople("", caller.user.person, window);
    if (!people) return std::unexpected(people.error());
    for (auto& person : *people) {
      TeamMember member;
      auto needs = service.NeedsOf(store, person, today);
      if (!needs) return std::unexpected(needs.error());
      member.needs = CountNeeds(*needs);
      auto bookings = store.BookingsOfPerson(person.id);
      if (!bookings) return std::unexpected(bookings.error());
      for (const auto& b : *bookings) {
        if (b.status == BookingStatus::kRequested) ++member.requests;
        if (b.status == BookingStatus::kBooked ||
            b.status == BookingStatus::kWaiting) {
          ++member.booked;
        }
      }
      member.person = std::move(person);
      team.push_back(std::move(member));
    }
    if (static_cast<int>(people->size()) < window.limit) break;
    window.offset += window.limit;
  }
  std::ranges::sort(team, {},
                    [](const TeamMember& m) { return m.person.name; });
  return team;
}

}  // namespace trellis::service
