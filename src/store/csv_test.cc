#include "store/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace trellis {
namespace {

using ::testing::ElementsAre;

TEST(ParseCsv, ReadsWhatASpreadsheetSaves) {
  // A byte-order mark, CRLF, a quoted comma, a doubled quote, a line break in a
  // field, spaces around unquoted fields, a blank ",,," row, no final newline.
  const std::string text =
      "\xEF\xBB\xBFperson_id, Name ,email\r\n"
      "P1, Ann Smith ,ann@example.org\r\n"
      "P2,\"Brown, Bob\",\"bob \"\"the trainer\"\"@example.org\"\r\n"
      ",,\r\n"
      "P3,\"Cara\r\nJones\",cara@example.org";
  auto table = ParseCsv(text);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_THAT(table->header, ElementsAre("person_id", "name", "email"));
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].line, 2);
  EXPECT_THAT(table->rows[0].fields,
              ElementsAre("P1", "Ann Smith", "ann@example.org"));
  EXPECT_THAT(
      table->rows[1].fields,
      ElementsAre("P2", "Brown, Bob", "bob \"the trainer\"@example.org"));
  EXPECT_EQ(table->rows[2].line, 5);
  EXPECT_THAT(table->rows[2].fields,
              ElementsAre("P3", "Cara\r\nJones", "cara@example.org"));
}

TEST(ParseCsv, KeepsSpacesInsideQuotesAndReadsLf) {
  auto table = ParseCsv("a,b\n\"  x  \" , y\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_THAT(table->rows.at(0).fields, ElementsAre("  x  ", "y"));
}

struct BadCase {
  const char* name;
  std::string text;
  int line;
  int column;
  const char* fragment;
};

TEST(ParseCsv, NamesWhereTheFileIsWrong) {
  const std::vector<BadCase> cases = {
      {"unclosed quote", "a,b\n1,\"open\n2,3\n", 2, 3, "never closed"},
      {"text after closing quote", "a,b\n1,\"x\"y\n", 2, 6,
       "after a closing quote"},
      {"quote inside a field", "a,b\n1,x\"y\n", 2, 4,
       "quote inside an unquoted field"},
      {"not UTF-8", "a,b\n1,Caf\xE9\n", 2, 6, "not UTF-8"},
      {"empty", "", 1, 1, "empty"},
      {"only a BOM", "\xEF\xBB\xBF", 1, 1, "empty"},
      {"unnamed column", "a,,c\n", 1, 2, "no name"},
      {"repeated column", "a,B,b\n", 1, 3, "appears twice"},
  };
  for (const auto& c : cases) {
    auto table = ParseCsv(c.text);
    ASSERT_FALSE(table.has_value()) << c.name;
    EXPECT_EQ(table.error().line, c.line) << c.name;
    EXPECT_EQ(table.error().column, c.column) << c.name;
    EXPECT_THAT(table.error().message, ::testing::HasSubstr(c.fragment))
        << c.name;
  }
}

TEST(ParseCsv, SurvivesRandomBytes) {
  std::mt19937 random(20091001);  // fixed: a failure must be reproducible
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 200);
  for (int round = 0; round < 2000; ++round) {
    std::string text(length(random), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    auto table = ParseCsv(text);  // a table or an error, never a crash
    if (table.has_value()) {
      EXPECT_FALSE(table->header.empty());
    }
  }
}

}  // namespace
}  // namespace trellis
