#include "domain/duration.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "domain/text.h"

namespace trellis {
namespace {

constexpr double kMaxMinutes = 7 * 24 * 60;
constexpr double kMaxDays = 60;
constexpr int kMaxParts = 20;

struct Token {
  enum Kind { kNumber, kWord, kDash, kOpen, kClose } kind;
  double number = 0;
  std::string word;
};

// Splits into numbers, words, '-', '(' and ')'. "½" is a half, "2½" is 2.5.
std::expected<std::vector<Token>, std::string> Tokenise(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto half_at = [&](size_t at) {
    return at + 1 < text.size() &&
           static_cast<unsigned char>(text[at]) == 0xC2 &&
           static_cast<unsigned char>(text[at + 1]) == 0xBD;
  };
  auto dash_at = [&](size_t at) -> size_t {  // length of a dash at `at`, or 0
    if (text[at] == '-') return 1;
    // U+2013 en dash and U+2014 em dash, as documents often print ranges.
    if (at + 2 < text.size() && static_cast<unsigned char>(text[at]) == 0xE2 &&
        static_cast<unsigned char>(text[at + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[at + 2]) == 0x93 ||
         static_cast<unsigned char>(text[at + 2]) == 0x94)) {
      return 3;
    }
    return 0;
  };
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c) != 0) {
      ++i;
    } else if (std::isdigit(c) != 0 || c == '.') {
      size_t start = i;
      while (i < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[i])) != 0 ||
              text[i] == '.')) {
        ++i;
      }
      std::string digits(text.substr(start, i - start));
      if (digits.find('.') != digits.rfind('.') || digits == ".") {
        return std::unexpected("'" + digits + "' is not a number");
      }
      double value = std::strtod(digits.c_str(), nullptr);
      if (i < text.size() && half_at(i)) {
        value += 0.5;
        i += 2;
      }
      tokens.push_back({Token::kNumber, value, {}});
    } else if (half_at(i)) {
      tokens.push_back({Token::kNumber, 0.5, {}});
      i += 2;
    } else if (size_t len = dash_at(i); len > 0) {
      tokens.push_back({Token::kDash, 0, {}});
      i += len;
    } else if (c == '(') {
      tokens.push_back({Token::kOpen, 0, {}});
      ++i;
    } else if (c == ')') {
      tokens.push_back({Token::kClose, 0, {}});
      ++i;
    } else if (std::isalpha(c) != 0) {
      size_t start = i;
      while (i < text.size() &&
             std::isalpha(static_cast<unsigned char>(text[i])) != 0)
        ++i;
      tokens.push_back(
          {Token::kWord, 0, ToLower(text.substr(start, i - start))});
    } else {
      // Quote the whole character, not half of a UTF-8 sequence ("×" for "x").
      size_t length = 1;
      if ((c & 0xE0) == 0xC0) {
        length = 2;
      } else if ((c & 0xF0) == 0xE0) {
        length = 3;
      } else if ((c & 0xF8) == 0xF0) {
        length = 4;
      }
      return std::unexpected("unexpected character '" +
                             std::string(text.substr(i, length)) + "'");
    }
  }
  return tokens;
}

struct Amount {
  DurationUnit unit;
  double low;
  double high;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  bool AtEnd() const { return pos_ >= tokens_.size(); }
  const Token* Peek() const { return AtEnd() ? nullptr : &tokens_[pos_]; }
  bool TakeWord(std::string_view word) {
    if (const Token* t = Peek();
        t != nullptr && t->kind == Token::kWord && t->word == word) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Take(Token::Kind kind) {
    if (const Token* t = Peek(); t != nullptr && t->kind == kind) {
      ++pos_;
      return true;
    }
    return false;
  }

  // amount := "half" ["a"] "day" | number [("-" | "to") number] unit
  std::expected<Amount, std::string> ParseAmount() {
    if (TakeWord("half")) {
      TakeWord("a");
      if (TakeWord("day")) return Amount{DurationUnit::kDays, 0.5, 0.5};
      return std::unexpected("expected 'day' after 'half'");
    }
    const Token* t = Peek();
    if (t == nullptr || t->kind != Token::kNumber) {
      return std::unexpected("expected a number");
    }
    double low = t->number;
    ++pos_;
    double high = low;
    if (Take(Token::kDash) || TakeWord("to")) {
      t = Peek();
      if (t == nullptr || t->kind != Token::kNumber) {
        return std::unexpected("expected a number after the range dash");
      }
      high = t->number;
      ++pos_;
    }
    t = Peek();
    if (t == nullptr || t->kind != Token::kWord) {
      return std::unexpected("expected a unit: minutes, hours or days");
    }
    const std::string& unit = t->word;
    ++pos_;
    if (high < low) {
      std::array<char, 96> buffer{};
      std::snprintf(buffer.data(), buffer.size(),
                    "the range ends (%g %s) before it starts (%g %s)", high,
                    unit.c_str(), low, unit.c_str());
      return std::unexpected(std::string(buffer.data()));
    }
    if (unit == "min" || unit == "mins" || unit == "minute" ||
        unit == "minutes") {
      return Amount{DurationUnit::kMinutes, low, high};
    }
    if (unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") {
      return Amount{DurationUnit::kMinutes, low * 60, high * 60};
    }
    if (unit == "day" || unit == "days")
      return Amount{DurationUnit::kDays, low, high};
    return std::unexpected("'" + unit +
                           "' is not a unit: use minutes, hours or days");
  }

 private:
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

bool Near(double a, double b) { return std::fabs(a - b) < 1e-6; }

std::string Number(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%g", value);
  return buffer.data();
}

std::string FormatAmount(DurationUnit unit, double low, double high) {
  if (unit == DurationUnit::kDays) {
    if (Near(low, 0.5) && Near(high, 0.5)) return "half a day";
    std::string range =
        Near(low, high) ? Number(low) : Number(low) + "-" + Number(high);
    return range + (Near(high, 1) ? " day" : " days");
  }
  // Whole hours read better as hours; anything else stays in minutes.
  if (low >= 60 && std::fmod(low, 30) == 0 && std::fmod(high, 30) == 0) {
    std::string range = Near(low, high)
                            ? Number(low / 60)
                            : Number(low / 60) + "-" + Number(high / 60);
    return range + (Near(high, 60) ? " hour" : " hours");
  }
  std::string range =
      Near(low, high) ? Number(low) : Number(low) + "-" + Number(high);
  return range + " minutes";
}

}  // namespace

std::expected<std::optional<Duration>, std::string> ParseDuration(
    std::string_view text) {
  const std::string kExamples =
      " (expected e.g. '30-60 minutes', '2-3 hours', '5 hours (2 x 2.5 "
      "hours)', "
      "'1 day', 'half a day' or 'unknown')";
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return std::unexpected("empty duration" + kExamples);
  if (ToLower(trimmed) == "unknown") return std::optional<Duration>{};

  // Untimed extras start at "plus" or "with": they are kept, never timed.
  std::string lower = ToLower(trimmed);
  std::string extra;
  size_t extra_at = std::string::npos;
  for (std::string_view marker : {" plus ", " with "}) {
    extra_at = std::min(extra_at, lower.find(marker));
  }
  if (extra_at != std::string::npos) {
    extra = std::string(Trim(trimmed.substr(extra_at)));
    trimmed = trimmed.substr(0, extra_at);
  }
  auto tokens = Tokenise(trimmed);
  if (!tokens) return std::unexpected(tokens.error() + kExamples);
  Parser parser(std::move(*tokens));
  auto total = parser.ParseAmount();
  // A reversed range is understood, just wrong: no examples needed.
  auto with_examples = [&](const std::string& error) {
    return error.starts_with("the range ends") ? error : error + kExamples;
  };
  if (!total) return std::unexpected(with_examples(total.error()));

  Duration duration{.unit = total->unit,
                    .low = total->low,
                    .high = total->high,
                    .extra = extra};
  if (parser.Take(Token::kOpen)) {
    const Token* count = parser.Peek();
    if (count == nullptr || count->kind != Token::kNumber ||
        count->number != std::floor(count->number)) {
      return std::unexpected("expected a whole number of parts after '('" +
                             kExamples);
    }
    const double parts = count->number;
    parser.Take(Token::kNumber);
    if (!parser.TakeWord("x"))
      return std::unexpected("expected 'x' after the number of parts" +
                             kExamples);
    auto part = parser.ParseAmount();
    if (!part) return std::unexpected(with_examples(part.error()));
    if (!parser.Take(Token::kClose))
      return std::unexpected("expected ')'" + kExamples);
    if (parts < 1 || parts > kMaxParts) {
      return std::unexpected("the number of parts must be between 1 and " +
                             std::to_string(kMaxParts));
    }
    if (part->unit != total->unit || !Near(part->low * parts, total->low) ||
        !Near(part->high * parts, total->high)) {
      return std::unexpected(
          Number(parts) + " parts of " +
          FormatAmount(part->unit, part->low, part->high) +
          " do not add up to " +
          FormatAmount(total->unit, total->low, total->high));
    }
    duration.parts = static_cast<int>(parts);
  }
  if (!parser.AtEnd())
    return std::unexpected("unexpected words after the duration" + kExamples);
  if (duration.low <= 0)
    return std::unexpected("a duration must be more than zero");
  const double cap =
      duration.unit == DurationUnit::kDays ? kMaxDays : kMaxMinutes;
  if (duration.high > cap) {
    return std::unexpected("a module longer than " +
                           FormatAmount(duration.unit, cap, cap) +
                           " is not plausible");
  }
  return std::optional<Duration>{duration};
}

std::string FormatDuration(const Duration& d) {
  std::string out = FormatAmount(d.unit, d.low, d.high);
  if (d.parts > 1) {
    out += " in " + std::to_string(d.parts) + " parts of " +
           FormatAmount(d.unit, d.low / d.parts, d.high / d.parts);
  }
  if (!d.extra.empty()) out += ", " + d.extra;
  return out;
}

}  // namespace trellis
