#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "domain/text.h"

namespace trellis::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// RFC 2046 section 5.1.1: a boundary is 1 to 70 characters.
constexpr size_t kMaxBoundaryLength = 70;

std::unexpected<Error> Invalid(std::string message) {
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument, std::move(message), {}});
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, IsTokenChar);
}

// RFC 2046's bchars: letters, digits, "'()+_,-./:=?" and a space, though not
// as the last character.
bool IsBoundary(std::string_view text) {
  if (text.empty() || text.size() > kMaxBoundaryLength || text.back() == ' ')
    return false;
  return std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
  });
}

std::unexpected<std::string> Fail(std::string message) {
  return std::unexpected(std::move(message));
}

std::string_view SkipBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  return text;
}

struct Parameter {
  std::string name;  // lower case
  std::string value;
};

// A header value such as `form-data; name="x"; filename="a.csv"`: what comes
// before the first ';', and the parameters after it.
struct HeaderValue {
  std::string_view main;
  std::vector<Parameter> parameters;
};

// Values are tokens or quoted strings. Inside quotes a backslash escapes only
// a quote or a backslash; before anything else it is kept, as older browsers
// send Windows paths with single backslashes. Unquoted values run to the next
// ';', so that boundaries holding RFC 2046's other characters still read.
// The error names a parameter only when it is a token (ASCII, safe to show).
std::expected<HeaderValue, std::string> ParseHeaderValue(
    std::string_view text) {
  HeaderValue out;
  const size_t semicolon = text.find(';');
  out.main = Trim(text.substr(0, semicolon));
  std::string_view rest =
      semicolon == std::string_view::npos ? "" : text.substr(semicolon + 1);
  for (;;) {
    rest = SkipBlanks(rest);
    if (rest.empty()) break;
    if (rest.front() == ';') {
      rest.remove_prefix(1);
      continue;
    }
    const size_t eq = rest.find_first_of("=;");
    const std::string_view name = Trim(rest.substr(0, eq));
    if (!IsToken(name)) return Fail("a parameter has no name or a bad one");
    if (eq == std::string_view::npos || rest[eq] == ';')
      return Fail("parameter '" + std::string(name) + "' has no value");
    rest = SkipBlanks(rest.substr(eq + 1));
    Parameter parameter{ToLower(name), {}};
    if (!rest.empty() && rest.front() == '"') {
      size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size() &&
            (rest[i + 1] == '"' || rest[i + 1] == '\\')) {
          ++i;
        }
        parameter.value += rest[i];
      }
      if (i == rest.size())
        return Fail("the quoted value of parameter '" + parameter.name +
                    "' is not closed");
      rest = SkipBlanks(rest.substr(i + 1));
      if (!rest.empty() && rest.front() != ';')
        return Fail("text follows the quoted value of parameter '" +
                    parameter.name + "'");
    } else {
      const size_t end = rest.find(';');
      parameter.value = Trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? "" : rest.substr(end);
    }
    out.parameters.push_back(std::move(parameter));
  }
  return out;
}

// The value of the parameter `name`, if given; an error when given twice.
std::expected<std::optional<std::string>, std::string> OneParameter(
    const HeaderValue& value, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& parameter : value.parameters) {
    if (parameter.name != name) continue;
    if (found) return Fail("parameter '" + parameter.name + "' is given twice");
    found = parameter.value;
  }
  return found;
}

bool IsUtf8(std::string_view text) { return !InvalidUtf8At(text).has_value(); }

// Reads one part's header lines, from `rest` up to and including the blank
// line after them; `rest` is left at the part's body.
std::expected<FormPart, std::string> ReadPartHeaders(std::string_view& rest,
                                                     std::string_view delimiter,
                                                     const std::string& part) {
  FormPart out;
  bool has_disposition = false;
  bool has_type = false;
  for (;;) {
    const size_t eol = rest.find(kCrlf);
    const std::string_view line = rest.substr(0, eol);
    if (eol == std::string_view::npos || line.starts_with(delimiter))
      return Fail(part + " has no blank line after its headers");
    rest.remove_prefix(eol + kCrlf.size());
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return Fail(part + " has a header line without a colon");
    const std::string_view name = line.substr(0, colon);
    if (!IsToken(name)) return Fail(part + " has a header with a bad name");
    const std::string_view text = Trim(line.substr(colon + 1));
    const std::string lower = ToLower(name);
    if (lower == "content-type") {
      if (has_type) return Fail(part + " has two Content-Type headers");
      has_type = true;
      out.content_type = text;
    } else if (lower == "content-disposition") {
      if (has_disposition)
        return Fail(part + " has two Content-Disposition headers");
      has_disposition = true;
      auto value = ParseHeaderValue(text);
      if (!value)
        return Fail(part + "'s Content-Disposition: " + value.error());
      if (ToLower(value->main) != "form-data")
        return Fail(part + "'s Content-Disposition is not form-data");
      auto field = OneParameter(*value, "name");
      if (!field)
        return Fail(part + "'s Content-Disposition: " + field.error());
      if (!*field) return Fail(part + " has no name");
      out.name = std::move(**field);
      auto file = OneParameter(*value, "filename");
      if (!file) return Fail(part + "'s Content-Disposition: " + file.error());
      out.is_file = file->has_value();
      out.filename = std::move(*file).value_or("");
    }
  }
  if (!has_disposition)
    return Fail(part + " has no Content-Disposition header");
  if (!IsUtf8(out.name) || !IsUtf8(out.filename) || !IsUtf8(out.content_type))
    return Fail(part + "'s name, file name or type is not UTF-8");
  return out;
}

}  // namespace

std::expected<std::string, Error> MultipartBoundary(
    std::string_view content_type) {
  auto value = ParseHeaderValue(content_type);
  if (!value) return Invalid("Content-Type: " + value.error());
  if (ToLower(value->main) != "multipart/form-data")
    return Invalid("the form is not sent as multipart/form-data");
  auto boundary = OneParameter(*value, "boundary");
  if (!boundary) return Invalid("Content-Type: " + boundary.error());
  if (!*boundary) return Invalid("Content-Type: the boundary is missing");
  if (!IsBoundary(**boundary)) {
    return Invalid(
        "Content-Type: the boundary must be 1 to 70 letters, digits or "
        "'()+_,-./:=? and not end in a space");
  }
  return std::move(**boundary);
}

std::expected<std::vector<FormPart>, Error> ParseMultipart(
    std::string_view content_type, std::string_view body) {
  auto boundary = MultipartBoundary(content_type);
  if (!boundary) return std::unexpected(boundary.error());
  const std::string delimiter = "--" + *boundary;
  // Every boundary line but a first one at the very start follows a CRLF,
  // which belongs to the boundary, not to the part before it.
  const std::string next_delimiter = std::string(kCrlf) + delimiter;

  size_t first = 0;
  if (!body.starts_with(delimiter)) {
    first = body.find(next_delimiter);
    if (first == std::string_view::npos)
      return Invalid("the form has no boundary line");
    first += kCrlf.size();
  }
  std::string_view rest = body.substr(first + delimiter.size());
  std::vector<FormPart> parts;
  for (;;) {
    if (rest.starts_with("--")) break;  // the closing line; the rest is ignored
    rest = SkipBlanks(rest);            // RFC 2046's transport padding
    if (rest.empty())
      return Invalid("the form ends without its closing boundary line");
    if (!rest.starts_with(kCrlf))
      return Invalid("text follows a boundary on its line");
    rest.remove_prefix(kCrlf.size());
    if (parts.size() == kMaxFormParts) {
      return Invalid("the form has more than " + std::to_string(kMaxFormParts) +
                     " parts");
    }
    const std::string part = "part " + std::to_string(parts.size() + 1);
    auto read = ReadPartHeaders(rest, delimiter, part);
    if (!read) return Invalid("the form's " + read.error());
    const size_t end = rest.find(next_delimiter);
    if (end == std::string_view::npos) {
      return Invalid("the form's " + part +
                     " is not followed by a boundary line: the form is cut "
                     "short");
    }
    read->body = rest.substr(0, end);
    parts.push_back(std::move(*read));
    rest.remove_prefix(end + next_delimiter.size());
  }
  return parts;
}

}  // namespace trellis::http
