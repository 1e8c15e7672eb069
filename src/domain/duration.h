// The expected duration of a module as the documents write it: "30 – 60
// minutes", "2-3 hours", "5 hours (2 x 2.5 hours)", "1 day", "half a day",
// possibly followed by untimed extras ("plus optional additional discussion and
// exercise"). Pure value type and parser; thread-safe.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace trellis {

enum class DurationUnit { kMinutes, kDays };

struct Duration {
  DurationUnit unit = DurationUnit::kMinutes;
  double low = 0;   // minutes or days, as `unit` says
  double high = 0;  // equal to `low` unless a range was given
  int parts = 1;    // delivered in this many equal parts
  std::string
      extra;  // untimed extras as written, e.g. "plus optional discussion"
};

// Parses a duration. "unknown" parses to std::nullopt: an unknown duration
// stays unknown rather than becoming an invented number. On failure the error
// says what was wrong and gives examples of what is accepted.
[[nodiscard]] std::expected<std::optional<Duration>, std::string> ParseDuration(
    std::string_view text);

// "30-60 minutes", "5 hours in 2 parts of 2.5 hours", "half a day".
std::string FormatDuration(const Duration& duration);

}  // namespace trellis
