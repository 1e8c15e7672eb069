#include "service/session_offers.h"

#include <algorithm>
#include <map>

namespace trellis::service {
namespace {

// A session under way or over is not offered for booking: its register
// says who came.
bool Started(const AreaService& service, const CourseSession& session) {
  return HasStarted(session, service.LocalNow());
}

// What is known of the person asked about: who they are and their bookings.
struct Asking {
  std::optional<Candidate> candidate;
  std::map<std::string, Booking> active;  // by session
};

std::expected<Asking, Error> AskingFor(AreaService& service, Store& store,
                                       const Caller& caller,
                                       const std::string& person) {
  Asking asking;
  if (person.empty()) return asking;
  auto seen = service.SeePerson(store, caller, person);
  if (!seen) return std::unexpected(seen.error());
  auto candidate = service.CandidateOf(store, *seen);
  if (!candidate) return std::unexpected(candidate.error());
  asking.candidate = std::move(*candidate);
  auto bookings = store.BookingsOfPerson(person);
  if (!bookings) return std::unexpected(bookings.error());
  for (auto& b : *bookings) {
    if (IsActive(b.status)) asking.active[b.session] = std::move(b);
  }
  return asking;
}

std::expected<SessionOffer, Error> Offer(AreaService& service, Store& store,
                                         const Caller& caller,
                                         const Asking& asking,
                                         CourseSession session) {
  SessionOffer offer;
  auto places = PlacesOf(store, session);
  if (!places) return std::unexpected(places.error());
  offer.places = *places;
  if (asking.candidate) {
    const Person& person = asking.candidate->person;
    if (auto it = asking.active.find(session.id); it != asking.active.end()) {
      offer.booking = it->second;
    }
    offer.why_not =
        service.Ineligibility(*asking.candidate, session, service.Today());
    if (Started(service, session)) {
      offer.why_not.insert(offer.why_not.begin(),
                           "the session has already started");
    }
    const bool manages = caller.Is(UserRole::kManager) &&
                         person.manager == caller.user.person &&
                         !caller.user.person.empty();
    offer.asks_approval = session.approval_required && !manages &&
                          !caller.Is(UserRole::kCoordinator);
  }
  offer.session = std::move(session);
  return offer;
}

// Whether the reader sees the session in a search: open ones for everyone;
// planned and closed ones too for those who run or read the area.
bool Listed(const Caller& caller, const CourseSession& session) {
  if (session.status == SessionStatus::kOpen) return true;
  return MayReadEverything(caller) &&
         session.status != SessionStatus::kCancelled;
}

}  // namespace

std::expected<Places, Error> PlacesOf(Store& store,
                                      const CourseSession& session) {
  auto counts = store.CountBookings(session.id);
  if (!counts) return std::unexpected(counts.error());
  return Places{.booked = counts->booked,
                .waiting = counts->waiting,
                .requested = counts->requested,
                .left = std::max(0, session.seats - counts->booked)};
}

std::expected<std::vector<SessionOffer>, Error> FindSessions(
    AreaService& service, Store& store, const Caller& caller,
    const std::string& person, const SessionSearch& search) {
  auto asking = AskingFor(service, store, caller, person);
  if (!asking) return std::unexpected(asking.error());
  SessionFilter filter;
  filter.course = search.course;
  filter.from = search.from;
  filter.to = search.to;
  constexpr int kBatch = 200;
  filter.window = ListWindow{.limit = kBatch, .offset = 0};
  std::vector<SessionOffer> found;
  int skipped = 0;
  for (;;) {
    auto sessions = store.ListSessions(filter);
    if (!sessions) return std::unexpected(sessions.error());
    for (auto& session : *sessions) {
      if (!Listed(caller, session)) continue;
      if (!search.module.empty()) {
        const Course* course = service.framework().FindCourse(session.course);
        if (course == nullptr ||
            std::ranges::none_of(course->modules, [&](const Ref& ref) {
              return ref.id == search.module;
            })) {
          continue;
        }
      }
      if (search.bookable_only) {
        if (session.status != SessionStatus::kOpen ||
            asking->active.contains(session.id) || Started(service, session)) {
          continue;
        }
        if (asking->candidate &&
            !service.Ineligibility(*asking->candidate, session, service.Today())
                 .empty()) {
          continue;
        }
      }
      if (skipped < search.window.offset) {
        ++skipped;
        continue;
      }
      auto offer = Offer(service, store, caller, *asking, std::move(session));
      if (!offer) return std::unexpected(offer.error());
      found.push_back(std::move(*offer));
      if (static_cast<int>(found.size()) >= search.window.limit) return found;
    }
    if (static_cast<int>(sessions->size()) < kBatch) return found;
    filter.window.offset += kBatch;
  }
}

std::expected<SessionOffer, Error> OfferOf(AreaService& service, Store& store,
                                           const Caller& caller,
                                           const std::string& person,
                                           const std::string& session) {
  auto found = store.FindSession(session);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no session '" + session + "'",
                                 {{"session", "not known"}}});
  }
  auto asking = AskingFor(service, store, caller, person);
  if (!asking) return std::unexpected(asking.error());
  return Offer(service, store, caller, *asking, std::move(**found));
}

}  // namespace trellis::service
