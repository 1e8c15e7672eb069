// Values kept while the area's data version stands (Store::DataVersion): a
// found value is exactly what computing it afresh would give, in every
// process on the database, because every change moves the version. The
// caller reads the version before the data the value is made from, so a
// value kept under a version is never older than that version.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace trellis::service {

template <typename Value>
class VersionCache {
 public:
  // At most `budget` in total of the costs given to Keep; past it the cache
  // empties and starts again (simple, and a cold cache is only slower).
  explicit VersionCache(std::size_t budget) : budget_(budget) {}

  // The value kept under `key` for exactly `version`, or null.
  std::shared_ptr<const Value> Find(const std::string& key,
                                    long long version) const {
    std::scoped_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return nullptr;
    return it->second.value;
  }

  // Keeps `value`, made from data read after `version` was read. An entry
  // of a later version is not replaced by an earlier one.
  void Keep(const std::string& key, long long version, Value value,
            std::size_t cost) {
    auto kept = std::make_shared<const Value>(std::move(value));
    cost += key.size();
    std::scoped_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (it->second.version > version) return;
      used_ -= it->second.cost;
      entries_.erase(it);
    }
    if (cost > budget_) return;
    if (used_ + cost > budget_) {
      entries_.clear();
      used_ = 0;
    }
    entries_.emplace(key, Entry{version, std::move(kept), cost});
    used_ += cost;
  }

 private:
  struct Entry {
    long long version = 0;
    std::shared_ptr<const Value> value;
    std::size_t cost = 0;
  };

  const std::size_t budget_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t used_ = 0;
};

}  // namespace trellis::service
