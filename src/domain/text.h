// Small text helpers shared by the parsers: trimming, case, splitting, and the
// "did you mean" suggestion for misspelt ids. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trellis {

std::string_view Trim(std::string_view text);
std::string ToLower(std::string_view text);
// Splits on runs of ASCII white space.
std::vector<std::string> SplitWords(std::string_view text);
// Joins with `separator` between items.
std::string Join(std::span<const std::string> items,
                 std::string_view separator);

// The byte offset of the first byte that is not well-formed UTF-8 (RFC 3629:
// no overlong forms, surrogates or code points past U+10FFFF), if any.
std::optional<size_t> InvalidUtf8At(std::string_view text);

// The 1-based line and column (in characters) of a byte offset.
std::pair<int, int> LineAndColumn(std::string_view text, size_t offset);

// Optimal-string-alignment edit distance (insert, delete, substitute, swap two
// neighbours), case-insensitive, capped: returns at most `cap` + 1.
int EditDistance(std::string_view a, std::string_view b, int cap = 8);

// The candidate closest to `word` if it is close enough to be a likely slip:
// at most a third of the word's length in edits (at least one), and never as
// many edits as the word has characters.
std::optional<std::string> SuggestClosest(
    std::string_view word, std::span<const std::string> candidates);

}  // namespace trellis
