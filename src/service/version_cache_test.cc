#include "service/version_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace trellis::service {
namespace {

TEST(VersionCacheTest, AValueIsFoundOnlyUnderTheVersionItWasKeptAt) {
  VersionCache<std::string> cache(1000);
  cache.Keep("list", 7, "seven", 5);
  ASSERT_NE(cache.Find("list", 7), nullptr);
  EXPECT_EQ(*cache.Find("list", 7), "seven");
  EXPECT_EQ(cache.Find("list", 8), nullptr);
  EXPECT_EQ(cache.Find("list", 6), nullptr);
  EXPECT_EQ(cache.Find("other", 7), nullptr);
}

TEST(VersionCacheTest, AnEarlierVersionNeverReplacesALaterOne) {
  VersionCache<std::string> cache(1000);
  cache.Keep("list", 9, "nine", 4);
  cache.Keep("list", 8, "eight", 5);
  EXPECT_EQ(cache.Find("list", 8), nullptr);
  EXPECT_EQ(*cache.Find("list", 9), "nine");
  cache.Keep("list", 10, "ten", 3);
  EXPECT_EQ(*cache.Find("list", 10), "ten");
}

TEST(VersionCacheTest, ItStaysWithinItsBudget) {
  VersionCache<std::string> cache(100);
  cache.Keep("too-big", 1, std::string(200, 'x'), 200);
  EXPECT_EQ(cache.Find("too-big", 1), nullptr);
  cache.Keep("a", 1, "a", 60);
  cache.Keep("b", 1, "b", 60);  // over budget: the cache starts again
  EXPECT_EQ(cache.Find("a", 1), nullptr);
  EXPECT_NE(cache.Find("b", 1), nullptr);
  // A value found stays whole while the cache moves on.
  auto held = cache.Find("b", 1);
  cache.Keep("c", 1, "c", 90);
  EXPECT_EQ(*held, "b");
}

}  // namespace
}  // namespace trellis::service
