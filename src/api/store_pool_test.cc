#include "api/store_pool.h"

#include <gtest/gtest.h>

#include <chrono>

#include "store/store_test_support.h"

namespace trellis::api {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

class StorePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = Sqlite().fresh(dir_.path());
    auto created = OpenStore(url_, OpenMode::kCreate);
    ASSERT_TRUE(created.has_value()) << Describe(created);
  }

  TempDir dir_;
  DatabaseUrl url_;
};

TEST_F(StorePoolTest, OnSqliteChangesShareOneStoreOneAtATime) {
  StorePool pool(url_);
  Store* first_store = nullptr;
  {
    auto first = pool.Borrow(StorePool::Use::kChange);
    ASSERT_TRUE(first.has_value()) << Describe(first);
    first_store = &**first;
    // While one change holds it, the next waits and gives up at its limit.
    auto second = pool.Borrow(StorePool::Use::kChange, 20ms);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
    // Reads do not wait for it.
    auto read = pool.Borrow(StorePool::Use::kRead, 20ms);
    ASSERT_TRUE(read.has_value()) << Describe(read);
    EXPECT_NE(&**read, first_store);
  }
  // Given back, the same store serves the next change.
  auto again = pool.Borrow(StorePool::Use::kChange, 20ms);
  ASSERT_TRUE(again.has_value()) << Describe(again);
  EXPECT_EQ(&**again, first_store);
}

TEST_F(StorePoolTest, ADiscardedWritersStoreIsReplaced) {
  StorePool pool(url_);
  {
    auto first = pool.Borrow(StorePool::Use::kChange);
    ASSERT_TRUE(first.has_value()) << Describe(first);
    first->Discard();
  }
  auto next = pool.Borrow(StorePool::Use::kChange, 20ms);
  ASSERT_TRUE(next.has_value()) << Describe(next);
  auto version = (*next)->SchemaVersion();
  EXPECT_TRUE(version.has_value()) << Describe(version);
}

}  // namespace
}  // namespace trellis::api
