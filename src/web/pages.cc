#include "web/pages.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace trellis::web {

std::string Render(const std::string& name, const Data& data) {
  auto it = Templates().find(name);
  if (it == Templates().end()) {
    throw std::logic_error("no page template '" + name + "'");
  }
  kainjow::mustache::mustache page{it->second};
  if (!page.is_valid()) {
    throw std::logic_error("page template '" + name +
                           "': " + page.error_message());
  }
  return page.render(data);
}

int PageNumber(std::optional<std::string_view> text, int last) {
  if (!text) return 1;
  int page = 1;
  auto [ptr, ec] =
      std::from_chars(text->data(), text->data() + text->size(), page);
  if (ec != std::errc() || ptr != text->data() + text->size()) return 1;
  return std::clamp(page, 1, last);
}

void SetText(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

}  // namespace trellis::web
