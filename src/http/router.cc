#include "http/router.h"

#include <algorithm>
#include <cassert>
#include <exception>
#include <optional>
#include <set>
#include <stdexcept>

#include "http/log.h"

namespace trellis::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" is {""} and "/a/" is {"a", ""}, so a
// trailing slash makes a different path. `path` starts with '/'.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// Whether each segment is a parameter: the shape that orders routes (a
// literal, false, sorts first) and tells duplicates apart.
template <typename Segments>
std::vector<bool> ShapeOf(const Segments& segments) {
  std::vector<bool> shape;
  for (const auto& segment : segments) shape.push_back(segment.is_parameter);
  return shape;
}

}  // namespace

std::string_view Params::Get(std::string_view name) const {
  for (const auto& [key, value] : values_)
    if (key == name) return value;
  assert(false && "Params::Get: the route's pattern has no such name");
  return {};
}

void Params::Add(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

void Router::Add(std::string method, std::string pattern,
                 RouteHandler handler) {
  if (method.empty())
    throw std::invalid_argument("route " + pattern + ": the method is empty");
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route " + pattern +
                                ": a pattern starts with '/'");
  Route route{std::move(method), std::move(pattern), {}, std::move(handler)};
  std::set<std::string, std::less<>> names;
  for (const std::string_view segment : SplitPath(route.pattern)) {
    const bool opens = segment.find('{') != std::string_view::npos;
    const bool closes = segment.find('}') != std::string_view::npos;
    if (!opens && !closes) {
      route.segments.push_back({std::string(segment), false});
      continue;
    }
    const bool whole = segment.size() > 2 && segment.front() == '{' &&
                       segment.back() == '}' &&
                       segment.find_first_of("{}", 1) == segment.size() - 1;
    if (!whole)
      throw std::invalid_argument("route " + route.pattern +
                                  ": a parameter is a whole segment, {name}");
    std::string name(segment.substr(1, segment.size() - 2));
    if (!names.insert(name).second)
      throw std::invalid_argument("route " + route.pattern + ": {" + name +
                                  "} appears twice");
    route.segments.push_back({std::move(name), true});
  }
  for (const Route& other : routes_) {
    if (other.method != route.method ||
        other.segments.size() != route.segments.size() ||
        ShapeOf(other.segments) != ShapeOf(route.segments))
      continue;
    bool same = true;
    for (size_t i = 0; i < route.segments.size() && same; ++i)
      same = route.segments[i].is_parameter ||
             route.segments[i].text == other.segments[i].text;
    if (same)
      throw std::invalid_argument(route.method + " " + route.pattern +
                                  " is already routed as " + other.pattern);
  }
  routes_.push_back(std::move(route));
}

Response Router::Dispatch(const Request& request) const {
  // Match on the raw target, decoding each segment on its own, so that an
  // escaped slash ("%2F") stays inside its segment. A request built by hand
  // without a target is matched on its already-decoded path.
  const bool from_target = !request.target.empty();
  std::string_view raw_path = from_target ? request.target : request.path;
  raw_path = raw_path.substr(0, raw_path.find('?'));
  if (raw_path.empty() || raw_path.front() != '/')
    return ErrorResponse(400, "bad_request",
                         "The request path must start with '/'.");
  std::vector<std::string> segments;
  for (const std::string_view raw : SplitPath(raw_path)) {
    if (!from_target) {
      segments.emplace_back(raw);
      continue;
    }
    auto decoded = PercentDecode(raw, false);
    if (!decoded)
      return ErrorResponse(
          400, "bad_request",
          "The request path cannot be read: " + decoded.error().message + ".");
    segments.push_back(std::move(*decoded));
  }

  const std::string_view wanted =
      request.method == "HEAD" ? std::string_view("GET") : request.method;
  std::set<std::string, std::less<>> allowed;
  const Route* best = nullptr;         // for the method asked
  const Route* best_wanted = nullptr;  // for GET in place of HEAD
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      const Segment& segment = route.segments[i];
      matches = segment.is_parameter ? !segments[i].empty()
                                     : segment.text == segments[i];
    }
    if (!matches) continue;
    allowed.insert(route.method);
    auto better = [&](const Route* current) {
      return current == nullptr ||
             ShapeOf(route.segments) < ShapeOf(current->segments);
    };
    if (route.method == request.method && better(best)) best = &route;
    if (route.method == wanted && better(best_wanted)) best_wanted = &route;
  }
  if (best == nullptr) best = best_wanted;

  if (allowed.empty())
    return ErrorResponse(404, Error{ErrorCode::kNotFound,
                                    "There is nothing at " + request.path + ".",
                                    {}});
  if (best == nullptr) {
    if (allowed.contains("GET")) allowed.insert("HEAD");
    std::string allow;
    for (const std::string& method : allowed)
      allow += (allow.empty() ? "" : ", ") + method;
    Response response = ErrorResponse(
        405, "method_not_allowed",
        request.method + " is not allowed here; use " + allow + ".");
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  Params params;
  for (size_t i = 0; i < segments.size(); ++i)
    if (best->segments[i].is_parameter)
      params.Add(best->segments[i].text, std::move(segments[i]));
  // A handler's exception is a bug, but one request's bug must not take the
  // server down or leave the client without an answer.
  try {
    return best->handler(request, params);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "handler_exception",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"route", best->pattern},
              {"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "handler_exception",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"route", best->pattern},
              {"error", "an exception not derived from std::exception"}});
  }
  return InternalErrorResponse(request.request_id);
}

}  // namespace trellis::http
