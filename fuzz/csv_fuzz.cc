// libFuzzer target: any bytes, as a CSV file, give a table or an error naming
// a line and column, and never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = trellis::ParseCsv(text);
  if (!table && (table.error().line < 1 || table.error().column < 1))
    __builtin_trap();
  return 0;
}
