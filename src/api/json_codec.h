// The JSON API's documents: domain values to JSON, and request bodies to
// domain values with every problem named by field. Pure functions.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/accounts.h"
#include "domain/error.h"
#include "domain/sessions.h"
#include "domain/workforce.h"
#include "engine/needs.h"
#include "store/store.h"

namespace trellis::api {

// Reads a request body's fields, gathering every problem, so one answer
// names them all. Unknown fields are problems too: a misspelt optional field
// must not pass silently.
class FieldReader {
 public:
  // kInvalidArgument when the body is not a JSON object; `malformed` is set
  // when it is not JSON at all (400 rather than 422).
  static std::expected<FieldReader, Error> Parse(std::string_view body,
                                                 bool& malformed);

  std::string String(const std::string& name, bool required,
                     size_t max_length = 2000);
  std::optional<int> Int(const std::string& name, bool required, int min,
                         int max);
  bool Bool(const std::string& name, bool fallback);
  // Whether the body gives `name` a value (null counts as not given).
  bool Has(const std::string& name) const {
    auto it = object_.find(name);
    return it != object_.end() && !it->is_null();
  }
  std::vector<std::string> Strings(const std::string& name);
  std::vector<bool> Bools(const std::string& name, bool required);
  std::optional<Date> IsoDate(const std::string& name, bool required);
  // The value of a field that holds an array of objects; each is read by a
  // FieldReader of its own, its problems prefixed "name[i]." (pass them on
  // with Problem after its Finish).
  std::vector<FieldReader> Objects(const std::string& name, bool required);

  // A problem with `field` (this reader's prefix is added).
  void Problem(const std::string& field, const std::string& message);
  // A problem a child reader found, its field already in full.
  void ChildProblem(FieldError problem) {
    problems_.push_back(std::move(problem));
  }
  // Every problem, or nothing: kInvalidArgument "the request has N
  // problems" with the fields.
  std::expected<void, Error> Finish();

 private:
  FieldReader(nlohmann::json object, std::string prefix)
      : object_(std::move(object)), prefix_(std::move(prefix)) {}
  const nlohmann::json* Find(const std::string& name, bool required);

  nlohmann::json object_;
  std::string prefix_;
  std::set<std::string> read_;
  std::vector<FieldError> problems_;
};

nlohmann::json ToJson(const Person& person);
nlohmann::json ToJson(const Organisation& org);
nlohmann::json ToJson(const TrainingRecord& record);
nlohmann::json ToJson(const User& user);
nlohmann::json ToJson(const Venue& venue);
nlohmann::json ToJson(const Room& room);
nlohmann::json ToJson(const CourseSession& session);
nlohmann::json ToJson(const Booking& booking);
nlohmann::json ToJson(const Notification& note);
nlohmann::json ToJson(const AuditEntry& entry);
nlohmann::json ToJson(const Need& need);
nlohmann::json ToJson(const Promotions& promotions);
nlohmann::json ToJson(const RegisterEntry& entry);
nlohmann::json ToJson(const Register& reg);
nlohmann::json ToJson(const RegisterClosing& closing);

// One person's register marks from a request body; the caller finishes it.
RegisterMark MarkFromJson(FieldReader& body, std::string person);

// A session from a request body (a new one, or the whole of one replaced).
std::expected<CourseSession, Error> SessionFromJson(FieldReader& body);

}  // namespace trellis::api
