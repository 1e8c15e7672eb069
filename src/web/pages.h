// The page templates (web/templates/*.mustache, compiled in) and rendering
// them. Mustache escapes every {{value}} for HTML; only {{{content}}}, the
// page inside the layout, goes in as it is. Thread-safe: each render parses
// its own copy.
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace trellis::web {

using Data = kainjow::mustache::data;

// Sets `key` to `value` only when it is not empty: a template's section
// {{#key}}...{{/key}} then shows only for a value (Mustache counts an empty
// string as true).
void SetText(Data& data, const std::string& key, const std::string& value);

// The page number a list's `?page=` asks for, from 1 to `last`; 1 when it
// is missing or not a number.
int PageNumber(std::optional<std::string_view> text, int last);

// Every template by name ("layout", "sign_in", ...).
const std::map<std::string, std::string>& Templates();

// The template `name` rendered with `data`. An unknown name or a template
// that does not parse is a bug (a test parses them all): std::logic_error.
std::string Render(const std::string& name, const Data& data);

}  // namespace trellis::web
