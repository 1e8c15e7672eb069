// An HTML form's fields as a browser posts them
// (application/x-www-form-urlencoded). Plain values; thread-safe.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/calendar.h"
#include "domain/error.h"

namespace trellis::web {

// `text`, less surrounding white space, as a whole number; nothing when it is
// empty, has anything else in it, or does not fit an int.
std::optional<int> WholeNumber(std::string_view text);

class Form {
 public:
  // kInvalidArgument when a name or value does not decode (a stray '%', not
  // UTF-8).
  [[nodiscard]] static std::expected<Form, Error> Parse(std::string_view body);

  // The first value named `name`, or "" when there is none.
  std::string Get(std::string_view name) const;
  // Adds a field, as if posted: a form filled from what is kept.
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Every value named `name`, in the order posted (checkboxes sharing a
  // name).
  std::vector<std::string> All(std::string_view name) const;
  // A GOV.UK date input: the fields `prefix`-day, -month and -year. Nothing
  // when all three are blank; what is wrong, in words, when some are blank or
  // they make no date.
  std::expected<std::optional<Date>, std::string> DateOf(
      std::string_view prefix) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace trellis::web
