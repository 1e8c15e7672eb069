// libFuzzer target: any bytes, as a roll-out plan file, give a plan or
// findings that name a line and column; a plan read is then worked out
// against the calendar and given what-ifs. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "plan/capacity.h"
#include "plan/roll_out_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const trellis::plan::PlanLoad load =
      trellis::plan::LoadPlanFromText(text, "fuzz.yaml");
  for (const auto& finding : load.findings) {
    if (finding.pos.line < 1 || finding.message.empty()) __builtin_trap();
  }
  if (!load.plan) return 0;
  trellis::plan::RollOutPlan plan = *load.plan;
  const auto& holidays = trellis::plan::BankHolidays::EnglandAndWales();
  const auto report = trellis::plan::WorkOutCapacity(plan, holidays);
  const std::string formatted = trellis::plan::FormatCapacity(plan, report);
  if (formatted.empty()) __builtin_trap();
  for (const char* setting :
       {"venue.seats=16", "trainers.days_per_month=3",
        "phases[0].delivery_weeks=4", "delivery.days=monday,friday",
        "rules.max_organisation_share=0.5"}) {
    (void)trellis::plan::SetInPlan(plan, setting);
  }
  (void)trellis::plan::WorkOutCapacity(plan, holidays);
  return 0;
}
