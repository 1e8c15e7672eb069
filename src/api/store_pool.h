// Stores for the server's worker threads. A Store serves one thread at a
// time, so each request borrows one and gives it back; the pool opens more
// as more requests run at once, up to the number of workers, and drops a
// store whose connection failed so the next request opens a fresh one.
//
// On SQLite, requests that change something share one store, one at a time:
// SQLite's writers take turns anyway, and a connection that made the last
// commit keeps its page cache, where each commit by another connection
// empties it (every page read again from the file). On PostgreSQL writers
// borrow like readers.
#pragma once

#include <chrono>
#include <condition_variable>
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

  enum class Use { kRead, kChange };

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store, Use use)
        : pool_(pool), store_(std::move(store)), use_(use) {}
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
    Use use_;
    bool discard_ = false;
  };

  // A store of the pool's, or a newly opened one (kUnavailable, kNotFound,
  // kFailedPrecondition as OpenStore answers). For a change on SQLite, the
  // writers' store once the change before has given it back; kUnavailable
  // after `wait` without it.
  std::expected<Lease, Error> Borrow(
      Use use = Use::kRead,
      std::chrono::milliseconds wait = std::chrono::seconds(30));

 private:
  void GiveBack(std::unique_ptr<Store> store, Use use, bool discard);

  DatabaseUrl url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
  // SQLite's writers' store: lent to one change at a time.
  std::condition_variable writer_free_;
  std::unique_ptr<Store> writer_;
  bool writer_lent_ = false;
};

}  // namespace trellis::api
