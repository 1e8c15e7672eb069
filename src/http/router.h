// Routes requests to handlers by method and path pattern, and answers what no
// route takes: 404 for an unknown path, 405 with Allow for a known path asked
// with another method, 500 for a handler that throws. Add routes before
// serving; after that Dispatch is const and safe from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace trellis::http {

// The path segments a route's pattern names, percent-decoded.
class Params {
 public:
  // The segment the pattern names `name`: "S12" for "{id}" in
  // "/sessions/{id}" asked as "/sessions/S12". Asking for a name the pattern
  // does not have is a bug: it asserts (and gives "" without asserts).
  std::string_view Get(std::string_view name) const;

  void Add(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& values() const {
    return values_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using RouteHandler = std::function<Response(const Request&, const Params&)>;

class Router {
 public:
  // Adds a route. `pattern` is '/' and segments separated by '/'; a segment
  // written "{name}" matches any one non-empty segment, the others match
  // themselves exactly after decoding. A trailing slash is part of the path:
  // "/people/" is not "/people". When several patterns match, the one with a
  // literal segment where another has a parameter, reading from the left,
  // wins ("/sessions/new" before "/sessions/{id}").
  // Throws std::invalid_argument, at start-up, for a pattern that is not of
  // that form, a parameter named twice, or a method and pattern shape (names
  // aside) added twice.
  void Add(std::string method, std::string pattern, RouteHandler handler);

  // The answer of the matching route's handler. HEAD is answered by the GET
  // route when there is no HEAD route (the server sends no body for HEAD).
  // Unknown path: 404 with code "not_found". Known path, other method: 405
  // with code "method_not_allowed" and an Allow header. A path segment that
  // does not decode: 400 "bad_request". A handler that throws: 500 with code
  // "internal" whose message quotes the request id; the exception is logged.
  Response Dispatch(const Request& request) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_parameter = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    RouteHandler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace trellis::http
