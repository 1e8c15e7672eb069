#include "api/store_pool.h"

namespace trellis::api {

StorePool::Lease::~Lease() {
  if (pool_ != nullptr && store_ != nullptr && !discard_) {
    pool_->GiveBack(std::move(store_));
  }
}

std::expected<StorePool::Lease, Error> StorePool::Borrow() {
  {
    std::scoped_lock lock(mutex_);
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
  }
  auto store = OpenStore(url_, OpenMode::kExisting);
  if (!store) return std::unexpected(store.error());
  return Lease(this, std::move(*store));
}

void StorePool::GiveBack(std::unique_ptr<Store> store) {
  std::scoped_lock lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace trellis::api
