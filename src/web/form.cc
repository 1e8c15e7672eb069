#include "web/form.h"

#include <charconv>

#include "domain/text.h"
#include "http/message.h"

namespace trellis::web {

std::optional<int> WholeNumber(std::string_view text) {
  text = Trim(text);
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::expected<Form, Error> Form::Parse(std::string_view body) {
  Form form;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{}
                                         : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = http::PercentDecode(pair.substr(0, eq), true);
    if (!name) return std::unexpected(name.error());
    auto value = http::PercentDecode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1),
        true);
    if (!value) return std::unexpected(value.error());
    form.fields_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

std::string Form::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name) return v;
  }
  return "";
}

std::vector<std::string> Form::All(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : fields_) {
    if (n == name) values.push_back(v);
  }
  return values;
}

std::expected<std::optional<Date>, std::string> Form::DateOf(
    std::string_view prefix) const {
  const std::string base(prefix);
  const std::string day(Trim(Get(base + "-day")));
  const std::string month(Trim(Get(base + "-month")));
  const std::string year(Trim(Get(base + "-year")));
  if (day.empty() && month.empty() && year.empty()) return std::nullopt;
  if (day.empty() || month.empty() || year.empty()) {
    return std::unexpected(std::string("must include a day, month and year"));
  }
  const auto d = WholeNumber(day);
  const auto m = WholeNumber(month);
  const auto y = WholeNumber(year);
  if (!d || !m || !y || *y < 1900 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 ||
      *d > 31) {
    return std::unexpected(std::string("must be a real date"));
  }
  const Date date{std::chrono::year(*y),
                  std::chrono::month(static_cast<unsigned>(*m)),
                  std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::unexpected(std::string("must be a real date"));
  return date;
}

}  // namespace trellis::web
