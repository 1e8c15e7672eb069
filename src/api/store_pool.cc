#include "api/store_pool.h"

namespace trellis::api {

StorePool::Lease::~Lease() {
  if (pool_ != nullptr && store_ != nullptr) {
    pool_->GiveBack(std::move(store_), use_, discard_);
  }
}

std::expected<StorePool::Lease, Error> StorePool::Borrow(
    Use use, std::chrono::milliseconds wait) {
  if (use == Use::kChange && url_.kind == DatabaseUrl::Kind::kSqlite) {
    std::unique_lock lock(mutex_);
    if (!writer_free_.wait_for(lock, wait, [&] { return !writer_lent_; })) {
      return std::unexpected(
          Error{ErrorCode::kUnavailable,
                "the database is busy with other changes; try again shortly",
                {}});
    }
    writer_lent_ = true;
    if (writer_) return Lease(this, std::move(writer_), use);
    lock.unlock();
    auto store = OpenStore(url_, OpenMode::kExisting);
    if (!store) {
      GiveBack(nullptr, use, true);
      return std::unexpected(store.error());
    }
    return Lease(this, std::move(*store), use);
  }
  {
    std::scoped_lock lock(mutex_);
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store), Use::kRead);
    }
  }
  auto store = OpenStore(url_, OpenMode::kExisting);
  if (!store) return std::unexpected(store.error());
  return Lease(this, std::move(*store), Use::kRead);
}

void StorePool::GiveBack(std::unique_ptr<Store> store, Use use, bool discard) {
  // Only the writers' store is lent as kChange (Borrow lends PostgreSQL's
  // changes as reads).
  if (use == Use::kChange) {
    {
      std::scoped_lock lock(mutex_);
      if (!discard) writer_ = std::move(store);
      writer_lent_ = false;
    }
    writer_free_.notify_one();
    return;
  }
  if (discard || store == nullptr) return;
  std::scoped_lock lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace trellis::api
