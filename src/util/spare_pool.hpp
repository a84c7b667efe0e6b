#pragma once

#include <cstddef>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace w2v {

// Objects handed back after use, so that their memory (a grown hash table, a block buffer) is
// allocated and its pages faulted in once rather than once per use. Thread-safe; holds at most
// `limit` spares and drops what comes back beyond that.
template <class T>
class SparePool {
 public:
  explicit SparePool(std::size_t limit = std::numeric_limits<std::size_t>::max()) : limit_(limit) {}

  void put(T&& x) {
    std::lock_guard lock(m_);
    if (spares_.size() < limit_) spares_.push_back(std::move(x));
  }
  // A spare, or nothing when none is left.
  std::optional<T> take() {
    std::lock_guard lock(m_);
    if (spares_.empty()) return std::nullopt;
    std::optional<T> x(std::move(spares_.back()));
    spares_.pop_back();
    return x;
  }
  // Frees every spare (and the pool's own array).
  void clear() {
    std::lock_guard lock(m_);
    std::vector<T>().swap(spares_);
  }

 private:
  std::size_t limit_;
  std::mutex m_;
  std::vector<T> spares_;
};

}  // namespace w2v
