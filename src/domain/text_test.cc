#include "domain/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace trellis {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Trim, DropsSurroundingWhiteSpaceOnly) {
  EXPECT_EQ(Trim("  IS02  "), "IS02");
  EXPECT_EQ(Trim("\t\n 2-3 hours\r\n"), "2-3 hours");
  EXPECT_EQ(Trim("half a day"), "half a day");  // inner spaces stay
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\n "), "");
}

TEST(Trim, ReturnsAViewIntoTheInput) {
  const std::string text = "  CAF01 ";
  const std::string_view trimmed = Trim(text);
  EXPECT_EQ(trimmed.data(), text.data() + 2);
  EXPECT_EQ(trimmed.size(), 5U);
}

TEST(ToLower, LowersAsciiAndLeavesOtherBytesAlone) {
  EXPECT_EQ(ToLower("CAF01"), "caf01");
  EXPECT_EQ(ToLower("Half A Day"), "half a day");
  EXPECT_EQ(ToLower("already lower"), "already lower");
  EXPECT_EQ(ToLower(""), "");
  EXPECT_EQ(ToLower("4 \u2013 5 HOURS"),
            "4 \u2013 5 hours");               // the en dash is untouched
  EXPECT_EQ(ToLower("\xC3\x89"), "\xC3\x89");  // "É" is not ASCII: kept
}

TEST(SplitWords, SplitsOnRunsOfWhiteSpace) {
  EXPECT_THAT(SplitWords("3 years"), ElementsAre("3", "years"));
  EXPECT_THAT(SplitWords("  3\t\tyears \n ago "),
              ElementsAre("3", "years", "ago"));
  EXPECT_THAT(SplitWords("one"), ElementsAre("one"));
  EXPECT_THAT(SplitWords(""), IsEmpty());
  EXPECT_THAT(SplitWords(" \t\n"), IsEmpty());
  EXPECT_THAT(SplitWords("2-3,hours"),
              ElementsAre("2-3,hours"));  // only spaces split
}

TEST(Join, PutsTheSeparatorBetweenItems) {
  const std::vector<std::string> none;
  const std::vector<std::string> one = {"IS01"};
  const std::vector<std::string> three = {"IS01", "CAF01", "LP01"};
  EXPECT_EQ(Join(none, ", "), "");
  EXPECT_EQ(Join(one, ", "), "IS01");
  EXPECT_EQ(Join(three, ", "), "IS01, CAF01, LP01");
  EXPECT_EQ(Join(three, ""), "IS01CAF01LP01");
}

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  struct Case {
    std::string_view a;
    std::string_view b;
    int distance;
  };
  const Case cases[] = {
      {"", "", 0},
      {"IS02", "IS02", 0},
      {"CA01", "CAF01", 1},   // insertion
      {"CAF01", "CA01", 1},   // deletion
      {"IS02", "IS03", 1},    // substitution
      {"CAF01", "CFA01", 1},  // two neighbours swapped: one edit
      {"nmae", "name", 1},    // the typo the loader's did-you-mean meets
      {"kitten", "sitting", 3},
      {"abc", "", 3},
      {"", "abc", 3},
      // Optimal string alignment, not full Damerau-Levenshtein: a swapped pair
      // is not edited again, so "CA" -> "ABC" is 3 (Damerau-Levenshtein says
      // 2).
      {"CA", "ABC", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " / " + std::string(c.b));
    EXPECT_EQ(EditDistance(c.a, c.b), c.distance);
    EXPECT_EQ(EditDistance(c.b, c.a), c.distance)
        << "the distance is symmetric";
  }
}

TEST(EditDistance, IgnoresCase) {
  EXPECT_EQ(EditDistance("caf01", "CAF01"), 0);
  EXPECT_EQ(EditDistance("Name", "nAME"), 0);
  EXPECT_EQ(EditDistance("cfa01", "CAF01"), 1);  // a swap, whatever the case
}

TEST(EditDistance, StopsAtTheCap) {
  const std::string a(20, 'a');
  const std::string b(20, 'b');
  EXPECT_EQ(EditDistance(a, b), 9) << "the default cap is 8";
  EXPECT_EQ(EditDistance(a, b, 3), 4);
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting", 3), 3)
      << "a distance equal to the cap is exact";
  EXPECT_EQ(EditDistance("a", "abcdefghijklm", 3), 4)
      << "lengths alone exceed the cap";
  EXPECT_EQ(EditDistance("", std::string(100, 'x')), 9);
  EXPECT_EQ(EditDistance("CAF01", "CFA01", 0), 1)
      << "any difference exceeds a cap of 0";
  EXPECT_EQ(EditDistance("CAF01", "caf01", 0), 0);
}

TEST(SuggestClosest, SuggestsALikelySlip) {
  const std::vector<std::string> modules = {"CAF01", "LP01", "IS01"};
  EXPECT_EQ(SuggestClosest("CA01", modules), "CAF01");
  EXPECT_EQ(SuggestClosest("CFA01", modules), "CAF01");
  EXPECT_EQ(SuggestClosest("lp01", modules), "LP01");

  const std::vector<std::string> fields = {"ref", "name", "process",
                                           "sequencing"};
  EXPECT_EQ(SuggestClosest("nmae", fields), "name");
  EXPECT_EQ(SuggestClosest("sequencingg", fields), "sequencing");
  EXPECT_EQ(SuggestClosest("sequensing", fields), "sequencing");
  EXPECT_EQ(SuggestClosest("proces", fields), "process");
}

TEST(SuggestClosest, NeverReplacesAWholeWord) {
  const std::vector<std::string> ids = {"A", "AB"};
  EXPECT_EQ(SuggestClosest("B", ids), std::nullopt);
  EXPECT_EQ(SuggestClosest("b", std::vector<std::string>{"B"}),
            "B");  // case only
}

TEST(SuggestClosest, SuggestsNothingForADistantWord) {
  const std::vector<std::string> modules = {"CAF01", "LP01", "IS01"};
  EXPECT_EQ(SuggestClosest("safeguarding", modules), std::nullopt);
  EXPECT_EQ(SuggestClosest("XYZ99", modules), std::nullopt);
  // A four-letter word may be one edit away, not two: IX02 is two from IS01.
  EXPECT_EQ(SuggestClosest("IX02", modules), std::nullopt);
  EXPECT_EQ(SuggestClosest("IX01", modules), "IS01");
  EXPECT_EQ(SuggestClosest("CAF01", std::vector<std::string>{}), std::nullopt);
}

TEST(SuggestClosest, PrefersTheNearestThenTheFirstListed) {
  const std::vector<std::string> candidates = {"IS03", "IS02", "IS2"};
  EXPECT_EQ(SuggestClosest("IS2", candidates),
            "IS2");  // exact beats one edit away
  const std::vector<std::string> ties = {"bat", "hat"};
  EXPECT_EQ(SuggestClosest("cat", ties), "bat");
}

}  // namespace
}  // namespace trellis
