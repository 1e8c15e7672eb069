#include "web/form.h"

#include "http/message.h"

namespace trellis::web {

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

}  // namespace trellis::web
