#include "domain/sessions.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace trellis {
namespace {

constexpr std::array<std::pair<SessionStatus, const char*>, 4> kSessionStatuses{
    {{SessionStatus::kPlanned, "planned"},
     {SessionStatus::kOpen, "open"},
     {SessionStatus::kClosed, "closed"},
     {SessionStatus::kCancelled, "cancelled"}}};

constexpr std::array<std::pair<BookingStatus, const char*>, 8> kBookingStatuses{
    {{BookingStatus::kRequested, "requested"},
     {BookingStatus::kBooked, "booked"},
     {BookingStatus::kWaiting, "waiting"},
     {BookingStatus::kAttended, "attended"},
     {BookingStatus::kPartlyAttended, "partly-attended"},
     {BookingStatus::kNoShow, "no-show"},
     {BookingStatus::kCancelled, "cancelled"},
     {BookingStatus::kDeclined, "declined"}}};

template <typename Table, typename Value>
const char* NameIn(const Table& table, Value value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename Value, typename Table>
std::optional<Value> ParseIn(const Table& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (name == n) return v;
  }
  return std::nullopt;
}

bool TwoDigits(std::string_view text, int& out) {
  if (text.size() != 2) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + 2, out);
  return ec == std::errc() && ptr == text.data() + 2;
}

}  // namespace

std::expected<LocalTime, std::string> ParseLocalTime(std::string_view text) {
  const std::string expected =
      "expected a local date and time 'yyyy-mm-ddThh:mm', e.g. "
      "2026-12-01T09:30";
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':') {
    return std::unexpected(expected);
  }
  auto date = ParseIsoDate(text.substr(0, 10));
  if (!date) return std::unexpected(date.error());
  int hour = 0;
  int minute = 0;
  if (!TwoDigits(text.substr(11, 2), hour) ||
      !TwoDigits(text.substr(14, 2), minute) || hour > 23 || minute > 59) {
    return std::unexpected(expected);
  }
  return LocalTime{*date, hour * 60 + minute};
}

std::string FormatLocalTime(const LocalTime& time) {
  std::string text = FormatIsoDate(time.date);
  const int hour = time.minute / 60;
  const int minute = time.minute % 60;
  text += 'T';
  text += static_cast<char>('0' + hour / 10);
  text += static_cast<char>('0' + hour % 10);
  text += ':';
  text += static_cast<char>('0' + minute / 10);
  text += static_cast<char>('0' + minute % 10);
  return text;
}

const char* SessionStatusName(SessionStatus status) {
  return NameIn(kSessionStatuses, status);
}
std::optional<SessionStatus> ParseSessionStatus(std::string_view name) {
  return ParseIn<SessionStatus>(kSessionStatuses, name);
}
const char* BookingStatusName(BookingStatus status) {
  return NameIn(kBookingStatuses, status);
}
std::optional<BookingStatus> ParseBookingStatus(std::string_view name) {
  return ParseIn<BookingStatus>(kBookingStatuses, name);
}

bool IsActive(BookingStatus status) {
  return status == BookingStatus::kRequested ||
         status == BookingStatus::kBooked || status == BookingStatus::kWaiting;
}

BookingStatus AttendanceOutcome(const std::vector<bool>& present) {
  const auto attended = std::ranges::count(present, true);
  if (attended == 0) return BookingStatus::kNoShow;
  if (attended == std::ssize(present)) return BookingStatus::kAttended;
  return BookingStatus::kPartlyAttended;
}

bool HasStarted(const CourseSession& session, const LocalTime& now) {
  return !session.parts.empty() && session.parts.front().starts <= now;
}

}  // namespace trellis
