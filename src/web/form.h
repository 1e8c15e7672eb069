// An HTML form's fields as a browser posts them
// (application/x-www-form-urlencoded). Plain values; thread-safe.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.h"

namespace trellis::web {

class Form {
 public:
  // kInvalidArgument when a name or value does not decode (a stray '%', not
  // UTF-8).
  [[nodiscard]] static std::expected<Form, Error> Parse(std::string_view body);

  // The first value named `name`, or "" when there is none.
  std::string Get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace trellis::web
