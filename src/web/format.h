// How the pages write things: dates and times as people write them (GOV.UK
// style: "Tuesday 2 March 2027", "9:30am to 12pm"), and the words and tag
// colours of roles, needs and bookings.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "domain/accounts.h"
#include "domain/calendar.h"
#include "domain/framework.h"
#include "domain/sessions.h"
#include "engine/needs.h"

namespace trellis::web {

const char* RoleLabel(UserRole role);
// A need's status as the plan shows it: its words and its tag's class.
std::pair<const char*, const char*> NeedLabel(NeedStatus status);
// A booking's status for the person it is about ("Booked", "On the waiting
// list"), and its tag's class.
std::pair<const char*, const char*> BookingLabel(BookingStatus status);
const char* SessionStatusLabel(SessionStatus status);
// The course's name in the framework, or its id when the framework has none.
std::string CourseName(const Framework& framework, const std::string& id);

std::string LongDate(Date date);    // "Tuesday 2 March 2027"
std::string ShortDate(Date date);   // "2 March 2027"
std::string TimeOfDay(int minute);  // "9:30am", "12pm", "12:30pm"
// When a session runs: "Tuesday 2 March 2027, 9:30am to 12pm", a part a
// line.
std::string PartTimes(const SessionPart& part);
// The first day of the session, or "" when it has no parts.
std::string SessionDate(const CourseSession& session);

// The text with its first letter a capital: "booked" -> "Booked".
std::string Capitalised(std::string text);

// What the page after a form says was done (?done=booked, ...); "" for
// anything else.
std::string DoneBanner(std::string_view done);

}  // namespace trellis::web
