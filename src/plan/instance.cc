#include "plan/instance.h"

#include <algorithm>

namespace trellis::plan {

DayNumber DayNumberOf(const Date& date) {
  return static_cast<DayNumber>(
      std::chrono::sys_days(date).time_since_epoch().count());
}

Date DateOfDayNumber(DayNumber day) {
  return Date{std::chrono::sys_days{std::chrono::days{day}}};
}

RequestIndex IndexRequests(const Instance& instance) {
  RequestIndex index;
  index.first.reserve(instance.learners.size());
  for (std::size_t l = 0; l < instance.learners.size(); ++l) {
    index.first.push_back(index.Count());
    for (int course : instance.learners[l].courses) {
      index.learner.push_back(static_cast<int>(l));
      index.course.push_back(course);
    }
  }
  return index;
}

int Weight(const Instance& instance, const Learner& learner) {
  return std::max(1, instance.priority_groups - learner.priority);
}

int OrganisationSeats(const Instance& instance, int seats) {
  return std::max(
      1, static_cast<int>(instance.max_organisation_share * seats + 1e-9));
}

int SessionsAMonth(const Instance& instance, const PlanTrainer& trainer) {
  if (instance.session_days <= 0) return 0;
  return static_cast<int>(trainer.days_per_month / instance.session_days +
                          1e-9);
}

int PeriodOf(const Instance& instance, DayNumber day) {
  const int length = 7 * std::max(1, instance.period_weeks);
  const int since = day - instance.period_start;
  return since >= 0 ? since / length : -((length - 1 - since) / length);
}

int MonthOf(DayNumber day) {
  const Date date = DateOfDayNumber(day);
  return static_cast<int>(date.year()) * 12 +
         static_cast<int>(static_cast<unsigned>(date.month())) - 1;
}

}  // namespace trellis::plan
