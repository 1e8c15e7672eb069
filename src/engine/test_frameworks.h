// Helpers for engine tests: the shipped frameworks and small inline ones.
// Test-only; not thread-safe (caches in function statics).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/framework.h"
#include "store/framework_loader.h"

namespace trellis::testing {

// The shipped framework with this id, loaded once; fails the test on errors.
inline const Framework& Shipped(const std::string& id) {
  static std::map<std::string, Framework> cache;
  auto it = cache.find(id);
  if (it == cache.end()) {
    LoadResult result =
        LoadFramework(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/" + id);
    EXPECT_FALSE(result.HasErrors()) << id;
    EXPECT_TRUE(result.framework.has_value()) << id;
    it = cache.emplace(id, result.framework.value_or(Framework{})).first;
  }
  return it->second;
}

// A framework from inline YAML, with the loader's findings.
inline LoadResult Inline(const std::string& yaml) {
  return LoadFrameworkFromText(yaml, "t.yaml");
}

}  // namespace trellis::testing
