#include "service/next_steps.h"

#include <algorithm>
#include <chrono>

#include "domain/text.h"
#include "service/plan.h"

namespace trellis::service {
namespace {

std::string FirstDay(const CourseSession& session) {
  return session.parts.empty()
             ? ""
             : FormatIsoDate(session.parts.front().starts.date);
}

}  // namespace

std::expected<NextSteps, Error> NextStepsFor(AreaService& service, Store& store,
                                             const Caller& caller) {
  NextSteps steps;
  const Date today = service.Today();
  const std::string& me = caller.user.person;

  if (!me.empty()) {
    auto person = store.FindPerson(me);
    if (!person) return std::unexpected(person.error());
    if (!*person) {
      return std::unexpected(Error{ErrorCode::kNotFound,
                                   "the account's person '" + me + "' is gone",
                                   {{"person", "not known"}}});
    }
    auto needs = service.NeedsOf(store, **person, today);
    if (!needs) return std::unexpected(needs.error());
    steps.has_plan = true;
    const NeedCounts counts = CountNeeds(*needs);
    steps.expired = counts.expired;
    steps.outstanding = counts.outstanding;
    steps.due_soon = counts.due_soon;
    steps.done = counts.done;
    auto bookings = store.BookingsOfPerson(me);
    if (!bookings) return std::unexpected(bookings.error());
    for (const auto& booking : *bookings) {
      if (!IsActive(booking.status)) continue;
      auto session = store.FindSession(booking.session);
      if (!session) return std::unexpected(session.error());
      if (!*session || FirstDay(**session) < FormatIsoDate(today)) continue;
      steps.bookings.push_back({booking, **session});
    }
    std::ranges::sort(steps.bookings, {}, [](const BookedSession& b) {
      return FirstDay(b.session);
    });
  }

  if (caller.Is(UserRole::kManager) && !me.empty()) {
    auto team =
        store.ListPeople("", me, ListWindow{.limit = 1000, .offset = 0});
    if (!team) return std::unexpected(team.error());
    for (const auto& person : *team) {
      auto bookings = store.BookingsOfPerson(person.id);
      if (!bookings) return std::unexpected(bookings.error());
      for (const auto& booking : *bookings) {
        if (booking.status != BookingStatus::kRequested) continue;
        auto session = store.FindSession(booking.session);
        if (!session) return std::unexpected(session.error());
        if (*session) {
          steps.decisions.push_back({booking, **session, person.name});
        }
      }
    }
    std::ranges::sort(steps.decisions, {}, [](const WaitingDecision& d) {
      return d.booking.queued;
    });
  }

  if (caller.Is(UserRole::kTrainer) && !me.empty()) {
    SessionFilter filter;
    filter.trainer = me;
    filter.from = today;
    filter.window = ListWindow{.limit = 50, .offset = 0};
    auto sessions = store.ListSessions(filter);
    if (!sessions) return std::unexpected(sessions.error());
    steps.training = std::move(*sessions);
    filter.from = Date{std::chrono::sys_days(today) - std::chrono::weeks(4)};
    filter.to = today;
    filter.window = ListWindow{.limit = 200, .offset = 0};
    auto run = store.ListSessions(filter);
    if (!run) return std::unexpected(run.error());
    const LocalTime now = service.LocalNow();
    for (auto& session : *run) {
      if (session.status == SessionStatus::kCancelled ||
          !session.register_closed_at.empty() || !HasStarted(session, now)) {
        continue;
      }
      steps.registers.push_back(std::move(session));
    }
  }

  if (caller.Is(UserRole::kCoordinator) || caller.Is(UserRole::kAuditor)) {
    SessionFilter filter;
    filter.from = today;
    filter.to =
        Date{std::chrono::sys_days(today) + std::chrono::days(7 * steps.weeks)};
    filter.window = ListWindow{.limit = 100, .offset = 0};
    auto sessions = store.ListSessions(filter);
    if (!sessions) return std::unexpected(sessions.error());
    steps.coming_up = std::move(*sessions);
  }
  return steps;
}

}  // namespace trellis::service
