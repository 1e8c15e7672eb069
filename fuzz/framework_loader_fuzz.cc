// libFuzzer target: any bytes, as a framework file, must give findings and
// never crash, hang or leak. Drives the loader and everything a loaded
// framework feeds: the validator, every route, the matrix and the course
// checks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/course_check.h"
#include "engine/framework_validator.h"
#include "engine/matrix.h"
#include "engine/route.h"
#include "store/framework_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  trellis::LoadResult result =
      trellis::LoadFrameworkFromText(text, "fuzz.yaml");
  if (!result.framework) return 0;
  const trellis::Framework& framework = *result.framework;
  (void)trellis::ValidateFramework(framework);
  (void)trellis::BuildMatrix(framework);
  for (const auto& role : framework.roles)
    (void)trellis::BuildRoute(framework, "", role.id);
  for (const auto& course : framework.courses)
    (void)trellis::CheckCourse(framework, course.id);
  return 0;
}
