#include "web/format.h"

#include <array>
#include <chrono>

namespace trellis::web {

const char* RoleLabel(UserRole role) {
  switch (role) {
    case UserRole::kCoordinator:
      return "Coordinator";
    case UserRole::kManager:
      return "Manager";
    case UserRole::kLearner:
      return "Learner";
    case UserRole::kTrainer:
      return "Trainer";
    case UserRole::kOrganisationLead:
      return "Organisation lead";
    case UserRole::kAuditor:
      return "Auditor";
  }
  return "";
}

std::pair<const char*, const char*> NeedLabel(NeedStatus status) {
  switch (status) {
    case NeedStatus::kDone:
      return {"Done", "govuk-tag--green"};
    case NeedStatus::kDueSoon:
      return {"Refresher due soon", "govuk-tag--yellow"};
    case NeedStatus::kExpired:
      return {"Out of date", "govuk-tag--red"};
    case NeedStatus::kOutstanding:
      return {"To do", "govuk-tag--blue"};
    case NeedStatus::kNotApplicable:
      break;
  }
  return {"Not needed", "govuk-tag--grey"};
}

std::pair<const char*, const char*> BookingLabel(BookingStatus status) {
  switch (status) {
    case BookingStatus::kRequested:
      return {"Waiting for approval", "govuk-tag--yellow"};
    case BookingStatus::kBooked:
      return {"Booked", "govuk-tag--green"};
    case BookingStatus::kWaiting:
      return {"On the waiting list", "govuk-tag--blue"};
    case BookingStatus::kAttended:
      return {"Attended", "govuk-tag--green"};
    case BookingStatus::kPartlyAttended:
      return {"Partly attended", "govuk-tag--yellow"};
    case BookingStatus::kNoShow:
      return {"Did not attend", "govuk-tag--red"};
    case BookingStatus::kCancelled:
      return {"Cancelled", "govuk-tag--grey"};
    case BookingStatus::kDeclined:
      return {"Declined", "govuk-tag--grey"};
  }
  return {"", "govuk-tag--grey"};
}

const char* SessionStatusLabel(SessionStatus status) {
  switch (status) {
    case SessionStatus::kPlanned:
      return "Planned";
    case SessionStatus::kOpen:
      return "Open for booking";
    case SessionStatus::kClosed:
      return "Closed";
    case SessionStatus::kCancelled:
      return "Cancelled";
  }
  return "";
}

std::string CourseName(const Framework& framework, const std::string& id) {
  const Course* course = framework.FindCourse(id);
  return course != nullptr ? course->name : id;
}

namespace {
constexpr std::array<const char*, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
}  // namespace

std::string ShortDate(Date date) {
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         kMonths.at(static_cast<unsigned>(date.month()) - 1) + " " +
         std::to_string(static_cast<int>(date.year()));
}

std::string LongDate(Date date) {
  static constexpr std::array<const char*, 7> kDays = {
      "Sunday",   "Monday", "Tuesday", "Wednesday",
      "Thursday", "Friday", "Saturday"};
  const std::chrono::weekday weekday{std::chrono::sys_days(date)};
  return std::string(kDays.at(weekday.c_encoding())) + " " + ShortDate(date);
}

std::string TimeOfDay(int minute) {
  const int hour = minute / 60;
  const int past = minute % 60;
  const int twelve = hour % 12 == 0 ? 12 : hour % 12;
  std::string text = std::to_string(twelve);
  if (past != 0) {
    text += (past < 10 ? ":0" : ":") + std::to_string(past);
  }
  return text + (hour < 12 ? "am" : "pm");
}

std::string PartTimes(const SessionPart& part) {
  std::string text = LongDate(part.starts.date) + ", " +
                     TimeOfDay(part.starts.minute) + " to ";
  if (part.ends.date != part.starts.date)
    text += LongDate(part.ends.date) + ", ";
  return text + TimeOfDay(part.ends.minute);
}

std::string SessionDate(const CourseSession& session) {
  return session.parts.empty() ? ""
                               : LongDate(session.parts.front().starts.date);
}

std::string Capitalised(std::string text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') {
    text.front() = static_cast<char>(text.front() - 'a' + 'A');
  }
  return text;
}

std::string DoneBanner(std::string_view done) {
  if (done == "booked") return "The place is booked.";
  if (done == "waiting") return "Added to the waiting list.";
  if (done == "requested")
    return "The request has gone to the manager for approval.";
  if (done == "cancelled") return "The place is cancelled.";
  if (done == "approved") return "The request is approved.";
  if (done == "declined") return "The request is declined.";
  if (done == "scheduled") return "The session is scheduled.";
  if (done == "changed") return "The session is changed.";
  return "";
}

}  // namespace trellis::web
