#include "service/plan.h"

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

}  // namespace trellis::service
