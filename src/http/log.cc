#include "http/log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace trellis::http {
namespace {

struct Loggers {
  std::shared_ptr<spdlog::logger> trellis;
  std::shared_ptr<spdlog::logger> http;
  bool json = true;
};

// The loggers in use, made on first use, and the lock that guards them.
struct LogState {
  std::mutex mutex;
  std::optional<Loggers> loggers;
};

LogState& State() {
  static LogState state;
  return state;
}

// Makes and registers both loggers over one stderr sink, whose own lock keeps
// their lines whole. Called with the state's lock held.
Loggers MakeLoggers(bool json, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  Loggers loggers;
  loggers.json = json;
  for (auto* logger : {&loggers.trellis, &loggers.http}) {
    const std::string name = logger == &loggers.trellis ? "trellis" : "http";
    *logger = std::make_shared<spdlog::logger>(name, sink);
    // The line is composed here, time and level included, so that both
    // formats carry the same UTC timestamp.
    (*logger)->set_pattern("%v");
    (*logger)->set_level(level);
    spdlog::drop(name);
    spdlog::register_logger(*logger);
  }
  return loggers;
}

// The loggers, made with the defaults on first use. A copy, so the lock is
// not held while a line is written.
Loggers CurrentLoggers() {
  LogState& state = State();
  const std::lock_guard lock(state.mutex);
  if (!state.loggers) state.loggers = MakeLoggers(true, spdlog::level::info);
  return *state.loggers;
}

void ReplaceLoggers(bool json, spdlog::level::level_enum level) {
  LogState& state = State();
  const std::lock_guard lock(state.mutex);
  state.loggers = MakeLoggers(json, level);
}

std::optional<spdlog::level::level_enum> LevelNamed(std::string_view name) {
  using spdlog::level::level_enum;
  static constexpr std::array<std::pair<std::string_view, level_enum>, 8>
      kLevels = {{{"trace", level_enum::trace},
                  {"debug", level_enum::debug},
                  {"info", level_enum::info},
                  {"warn", level_enum::warn},
                  {"warning", level_enum::warn},
                  {"error", level_enum::err},
                  {"critical", level_enum::critical},
                  {"off", level_enum::off}}};
  for (const auto& [level_name, level] : kLevels)
    if (level_name == name) return level;
  return std::nullopt;
}

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          now.time_since_epoch())
                          .count() %
                      1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> text{};
  const size_t n =
      std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(text.data(), n);
  std::array<char, 8> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%03dZ",
                static_cast<int>(millis));
  return out + fraction.data();
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A text-format value: bare when it is a plain word, JSON-quoted otherwise so
// that a space or '=' cannot make one field look like two.
std::string TextValue(const nlohmann::json& value) {
  if (!value.is_string()) return Dump(value);
  const auto& text = value.get_ref<const std::string&>();
  const bool plain = !text.empty() &&
                     text.find_first_of(" =\"\\") == std::string::npos &&
                     std::all_of(text.begin(), text.end(), [](char c) {
                       return static_cast<unsigned char>(c) > 0x20 &&
                              static_cast<unsigned char>(c) < 0x7F;
                     });
  return plain ? text : Dump(value);
}

std::string FormatLine(bool json, spdlog::level::level_enum level,
                       std::string_view event, const nlohmann::json& fields) {
  const std::string_view level_name(
      spdlog::level::to_string_view(level).data(),
      spdlog::level::to_string_view(level).size());
  nlohmann::json rest =
      fields.is_object() ? fields : nlohmann::json{{"value", fields}};
  for (const char* reserved : {"ts", "level", "event"}) rest.erase(reserved);
  std::string line;
  if (json) {
    line = R"({"ts":")" + UtcTimestamp() + R"(","level":)" + Dump(level_name) +
           R"(,"event":)" + Dump(event);
    for (const auto& [key, value] : rest.items())
      line += "," + Dump(key) + ":" + Dump(value);
    line += "}";
  } else {
    line = UtcTimestamp() + " " + std::string(level_name) + " " +
           TextValue(std::string(event));
    for (const auto& [key, value] : rest.items())
      line += " " + key + "=" + TextValue(value);
  }
  return line;
}

void Log(const std::shared_ptr<spdlog::logger>& logger, bool json,
         spdlog::level::level_enum level, std::string_view event,
         const nlohmann::json& fields) {
  if (!logger->should_log(level)) return;
  // Logging must never be why a request fails: a bad_alloc or a sink error
  // loses the line, nothing more.
  try {
    logger->log(level, FormatLine(json, level, event, fields));
  } catch (...) {  // NOLINT(bugprone-empty-catch): see above
  }
}

}  // namespace

std::expected<void, Error> InitLogging(std::string_view format,
                                       std::string_view level) {
  if (format != "json" && format != "text")
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "log format '" + std::string(format) + "' is not one of json, text",
        {{"log-format", "use json or text"}}});
  const auto parsed = LevelNamed(level);
  if (!parsed)
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "log level '" + std::string(level) +
            "' is not one of trace, debug, info, warn, error, critical, off",
        {{"log-level",
          "use trace, debug, info, warn, error, critical or off"}}});
  ReplaceLoggers(format == "json", *parsed);
  return {};
}

void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const nlohmann::json& fields) {
  const Loggers loggers = CurrentLoggers();
  Log(loggers.trellis, loggers.json, level, event, fields);
}

void LogRequest(const nlohmann::json& fields) {
  const Loggers loggers = CurrentLoggers();
  Log(loggers.http, loggers.json, spdlog::level::info, "request", fields);
}

}  // namespace trellis::http
