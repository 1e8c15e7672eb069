#include "web/pages.h"

#include <algorithm>
#include <stdexcept>

#include "web/form.h"

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
  const auto page = text ? WholeNumber(*text) : std::nullopt;
  return page ? std::clamp(*page, 1, last) : 1;
}

void SetText(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

}  // namespace trellis::web
