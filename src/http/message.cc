#include "http/message.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "domain/text.h"

namespace trellis::http {
namespace {

// -1 when `c` is not a hex digit.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Response JsonError(int status, std::string_view code, std::string_view message,
                   const std::vector<FieldError>& fields) {
  // ordered_json keeps the keys in the documented order, which people reading
  // an answer in a terminal expect.
  nlohmann::ordered_json body = {{"code", code},
                                 {"message", message},
                                 {"fields", nlohmann::ordered_json::array()}};
  for (const FieldError& field : fields)
    body["fields"].push_back(
        {{"field", field.field}, {"message", field.message}});
  Response response;
  response.status = status;
  // Messages can quote what a client sent, which need not be UTF-8; replacing
  // bad bytes keeps dump() from throwing.
  response.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

std::optional<std::string_view> Request::Header(
    std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Request::Cookies() const {
  std::vector<std::pair<std::string, std::string>> cookies;
  for (const auto& [name, value] : headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t end = rest.find(';');
      const std::string_view piece = Trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view()
                                           : rest.substr(end + 1);
      const size_t equals = piece.find('=');
      if (equals == std::string_view::npos) continue;
      const std::string_view key = Trim(piece.substr(0, equals));
      std::string_view cookie = Trim(piece.substr(equals + 1));
      // RFC 6265 4.1.1: a cookie-value may be wrapped in DQUOTEs.
      if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"')
        cookie = cookie.substr(1, cookie.size() - 2);
      if (key.empty()) continue;
      cookies.emplace_back(key, cookie);
    }
  }
  return cookies;
}

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(int status, const Error& error) {
  return JsonError(status, ErrorCodeName(error.code), error.message,
                   error.fields);
}

Response ErrorResponse(int status, std::string_view code,
                       std::string_view message) {
  return JsonError(status, code, message, {});
}

Response InternalErrorResponse(std::string_view request_id) {
  std::string message = "Something went wrong on our side.";
  if (!request_id.empty())
    message +=
        " Quote request id " + std::string(request_id) + " if you report it.";
  return ErrorResponse(500, Error{ErrorCode::kInternal, message, {}});
}

std::string PercentEncode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::expected<std::string, Error> PercentDecode(std::string_view text,
                                                bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int high = complete ? HexValue(text[i + 1]) : -1;
      const int low = complete ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0)
        return std::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  "'%' must be followed by two hex digits (e.g. %20)",
                  {}});
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  // A NUL would cut the text short wherever it meets a C API, and every text
  // Trellis keeps is UTF-8.
  if (out.find('\0') != std::string::npos)
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument, "NUL is not allowed (%00)", {}});
  if (InvalidUtf8At(out))
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "the decoded text is not valid UTF-8",
                                 {}});
  return out;
}

std::expected<std::vector<std::pair<std::string, std::string>>, Error>
ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const size_t end = query.find('&');
    const std::string_view piece = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view()
                                          : query.substr(end + 1);
    if (piece.empty()) continue;
    const size_t equals = piece.find('=');
    auto name = PercentDecode(piece.substr(0, equals), true);
    if (!name)
      return std::unexpected(Error{
          ErrorCode::kInvalidArgument,
          "a query parameter's name cannot be read: " + name.error().message,
          {}});
    std::string value;
    if (equals != std::string_view::npos) {
      auto decoded = PercentDecode(piece.substr(equals + 1), true);
      if (!decoded)
        return std::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  "query parameter '" + *name +
                      "' cannot be read: " + decoded.error().message,
                  {}});
      value = std::move(*decoded);
    }
    pairs.emplace_back(std::move(*name), std::move(value));
  }
  return pairs;
}

}  // namespace trellis::http
