#include "domain/workforce.h"

#include <array>
#include <set>
#include <string_view>

namespace trellis {
namespace {

// In the order of the enumerators, so an enumerator indexes its name.
constexpr std::array<std::string_view, 5> kOutcomeNames = {
    "completed", "passed", "failed", "partly-attended", "withdrawn"};
constexpr std::array<std::string_view, 5> kSourceNames = {
    "session", "e-learning", "external", "single-agency", "import"};

template <typename Enum, size_t N>
std::optional<Enum> Find(const std::array<std::string_view, N>& names,
                         std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* TrainingOutcomeName(TrainingOutcome outcome) {
  return kOutcomeNames.at(static_cast<size_t>(outcome)).data();
}
std::optional<TrainingOutcome> ParseTrainingOutcome(std::string_view name) {
  return Find<TrainingOutcome>(kOutcomeNames, name);
}
const char* RecordSourceName(RecordSource source) {
  return kSourceNames.at(static_cast<size_t>(source)).data();
}
std::optional<RecordSource> ParseRecordSource(std::string_view name) {
  return Find<RecordSource>(kSourceNames, name);
}

bool Counts(TrainingOutcome outcome) {
  return outcome == TrainingOutcome::kCompleted ||
         outcome == TrainingOutcome::kPassed;
}

std::vector<const TrainingRecord*> CurrentRecords(
    const std::vector<TrainingRecord>& records) {
  std::set<std::string_view> superseded;
  for (const auto& r : records) {
    if (!r.supersedes.empty()) superseded.insert(r.supersedes);
  }
  std::vector<const TrainingRecord*> current;
  for (const auto& r : records) {
    if (!superseded.contains(r.id)) current.push_back(&r);
  }
  return current;
}

}  // namespace trellis
