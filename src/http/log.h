// Structured logging for Trellis: one line per event on stderr, either a JSON
// object ({"ts":"2024-05-01T09:30:00.123Z","level":"info","event":"request",
// ...fields}) or the same as text ("ts level event key=value ..."). Events go
// through spdlog's "trellis" logger, the per-request lines through "http".
// Safe to call from many threads; lines never interleave.
#pragma once

#include <spdlog/common.h>

#include <expected>
#include <nlohmann/json.hpp>
#include <string_view>

#include "domain/error.h"

namespace trellis::http {

// (Re)configures both loggers. `format` is "json" or "text"; `level` one of
// trace, debug, info, warn, error, critical, off: events below it are dropped.
// kInvalidArgument naming the value when either is something else, and then
// nothing changes. Until it is called, events are JSON at level info.
[[nodiscard]] std::expected<void, Error> InitLogging(std::string_view format,
                                                     std::string_view level);

// Logs `event` with `fields` (an object; anything else is logged under
// "value"). Keys "ts", "level" and "event" belong to the line and are dropped
// from `fields`. Never throws: text that is not UTF-8 is logged with
// replacement characters.
void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const nlohmann::json& fields);

// The per-request line, event "request" at level info, through the "http"
// logger so it can be told apart from, and silenced separately from, the rest.
void LogRequest(const nlohmann::json& fields);

}  // namespace trellis::http
