// Stores for the server's worker threads. A Store serves one thread at a
// time, so each request borrows one and gives it back; the pool opens more
// as more requests run at once, up to the number of workers, and drops a
// store whose connection failed so the next request opens a fresh one.
#pragma once

#include <expected>
#include <memory>
#include <mutex>
#include <vector>

#include "domain/error.h"
#include "store/store.h"

namespace trellis::api {

class StorePool {
 public:
  explicit StorePool(DatabaseUrl url) : url_(std::move(url)) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }
    // The connection failed: do not give this store to another request.
    void Discard() { discard_ = true; }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
    bool discard_ = false;
  };

  // A store of the pool's, or a newly opened one (kUnavailable, kNotFound,
  // kFailedPrecondition as OpenStore answers).
  std::expected<Lease, Error> Borrow();

 private:
  void GiveBack(std::unique_ptr<Store> store);

  DatabaseUrl url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace trellis::api
