#include "domain/framework.h"

#include <algorithm>
#include <array>

namespace trellis {
namespace {

template <typename T, typename Key>
const T* FindBy(const std::vector<T>& items, std::string_view id, Key key) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.*key == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

namespace {

// In the order of the Delivery enumerators, so an enumerator indexes its name.
constexpr std::array<std::string_view, 8> kDeliveryNames = {
    "classroom",  "presentation", "workshop", "self-study",
    "e-learning", "cbt",          "blended",  "online-test"};
static_assert(static_cast<size_t>(Delivery::kOnlineTest) + 1 ==
              kDeliveryNames.size());

}  // namespace

const char* DeliveryName(Delivery delivery) {
  return kDeliveryNames.at(static_cast<size_t>(delivery)).data();
}

std::optional<Delivery> ParseDelivery(std::string_view name) {
  for (size_t i = 0; i < kDeliveryNames.size(); ++i) {
    if (kDeliveryNames[i] == name) return static_cast<Delivery>(i);
  }
  return std::nullopt;
}

std::span<const std::string_view> DeliveryNames() { return kDeliveryNames; }

const char* DreyfusStageId(DreyfusStage stage) {
  switch (stage) {
    case DreyfusStage::kNovice:
      return "novice";
    case DreyfusStage::kAdvancedBeginner:
      return "advanced-beginner";
    case DreyfusStage::kCompetent:
      return "competent";
    case DreyfusStage::kProficient:
      return "proficient";
    case DreyfusStage::kExpert:
      return "expert";
  }
  return "novice";
}

const Module* Framework::FindModule(std::string_view ref) const {
  return FindBy(modules, ref, &Module::ref);
}
const Course* Framework::FindCourse(std::string_view id) const {
  return FindBy(courses, id, &Course::id);
}
const Audience* Framework::FindAudience(std::string_view id) const {
  return FindBy(audiences, id, &Audience::id);
}
std::vector<const Module*> Framework::ModulesOf(std::string_view ref) const {
  if (const Module* m = FindModule(ref)) return {m};
  std::vector<const Module*> out;
  if (const Course* c = FindCourse(ref)) {
    for (const auto& r : c->modules) {
      if (const Module* m = FindModule(r.id)) out.push_back(m);
    }
  }
  return out;
}

std::vector<const Module*> Framework::ModulesOf(
    const Alternative& alternative) const {
  std::vector<const Module*> out;
  for (const Condition* atom : alternative) {
    if (atom->kind != ConditionKind::kCompleted) continue;
    for (const Module* m : ModulesOf(atom->ref.id)) {
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
  }
  return out;
}

const Process* Framework::FindProcess(std::string_view id) const {
  return FindBy(processes, id, &Process::id);
}

}  // namespace trellis
