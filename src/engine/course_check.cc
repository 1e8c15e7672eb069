#include "engine/course_check.h"

#include <algorithm>

#include "domain/text.h"

namespace trellis {
namespace {

void Mark(std::vector<CoverageLine>& lines, const std::vector<Ref>& refs,
          const std::string& by) {
  for (const auto& r : refs) {
    for (auto& line : lines) {
      if (line.id == r.id &&
          std::find(line.covered_by.begin(), line.covered_by.end(), by) ==
              line.covered_by.end()) {
        line.covered_by.push_back(by);
      }
    }
  }
}

}  // namespace

size_t CourseCheck::MissingCount() const {
  auto missing = [](const std::vector<CoverageLine>& lines) {
    return std::count_if(lines.begin(), lines.end(),
                         [](const CoverageLine& l) { return !l.Covered(); });
  };
  return static_cast<size_t>(missing(course_content) +
                             missing(common_messages));
}

std::expected<CourseCheck, Error> CheckCourse(const Framework& framework,
                                              std::string_view ref) {
  CourseCheck check;
  check.ref = std::string(ref);
  for (const auto& s : framework.course_content)
    check.course_content.push_back({s.id, s.text, {}});
  for (const auto& m : framework.common_messages)
    check.common_messages.push_back({m.id, m.text, {}});

  auto add_module = [&](const Module& m) {
    check.modules.push_back(m.ref);
    Mark(check.course_content, m.covers.course_content, m.ref);
    Mark(check.common_messages, m.covers.common_messages, m.ref);
  };
  if (const Course* course = framework.FindCourse(ref)) {
    check.name = course->name;
    Mark(check.course_content, course->covers.course_content, course->id);
    Mark(check.common_messages, course->covers.common_messages, course->id);
    for (const auto& r : course->modules) {
      if (const Module* m = framework.FindModule(r.id)) add_module(*m);
    }
  } else if (const Module* module = framework.FindModule(ref)) {
    check.name = module->name;
    add_module(*module);
  } else {
    std::vector<std::string> ids;
    for (const auto& c : framework.courses) ids.push_back(c.id);
    for (const auto& m : framework.modules) ids.push_back(m.ref);
    std::string message = "no course or module '" + std::string(ref) +
                          "' in framework " + framework.info.id;
    if (auto near = SuggestClosest(ref, ids))
      message += "; did you mean '" + *near + "'?";
    return std::unexpected(Error{ErrorCode::kNotFound, message, {}});
  }
  return check;
}

}  // namespace trellis
