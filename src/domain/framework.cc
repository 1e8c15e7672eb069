#include "domain/framework.h"

#include <algorithm>

namespace trellis {
namespace {

template <typename T, typename Key>
const T* FindBy(const std::vector<T>& items, std::string_view id, Key key) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.*key == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const char* DeliveryName(Delivery delivery) {
  switch (delivery) {
    case Delivery::kClassroom:
      return "classroom";
    case Delivery::kPresentation:
      return "presentation";
    case Delivery::kWorkshop:
      return "workshop";
    case Delivery::kSelfStudy:
      return "self-study";
    case Delivery::kELearning:
      return "e-learning";
    case Delivery::kCbt:
      return "cbt";
    case Delivery::kBlended:
      return "blended";
    case Delivery::kOnlineTest:
      return "online-test";
  }
  return "classroom";
}

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
const Process* Framework::FindProcess(std::string_view id) const {
  return FindBy(processes, id, &Process::id);
}

}  // namespace trellis
