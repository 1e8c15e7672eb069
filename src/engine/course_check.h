// Checks a course against the standard course content [001 2.5] and the common
// messages [001 3.2] (MISSION A6): what it covers, through which module, and
// what is missing. Pure; safe from many threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/framework.h"

namespace trellis {

struct CoverageLine {
  std::string id;
  std::string text;
  std::vector<std::string> covered_by;  // module refs, or the course id itself
  bool Covered() const { return !covered_by.empty(); }
};

struct CourseCheck {
  std::string ref;  // the course or module checked
  std::string name;
  std::vector<std::string> modules;
  std::vector<CoverageLine> course_content;  // every standard section, in order
  std::vector<CoverageLine> common_messages;  // every common message, in order

  size_t MissingCount() const;
};

// Checks a course, or a single module as if it were a course of one module.
// Returns kNotFound (with a suggestion) when REF names neither.
[[nodiscard]] std::expected<CourseCheck, Error> CheckCourse(
    const Framework& framework, std::string_view ref);

}  // namespace trellis
