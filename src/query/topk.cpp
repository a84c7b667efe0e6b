#include "query/topk.hpp"

#include <algorithm>

namespace w2v::query {

void TopK::push(std::uint32_t id, float score) {
  if (k_ == 0) return;
  const Neighbour n{id, score};
  auto cmp = [this](const Neighbour& a, const Neighbour& b) { return before(a, b); };
  if (heap_.size() < k_) {
    heap_.push_back(n);
    std::push_heap(heap_.begin(), heap_.end(), cmp);
    return;
  }
  if (!before(n, heap_.front())) return;
  std::pop_heap(heap_.begin(), heap_.end(), cmp);
  heap_.back() = n;
  std::push_heap(heap_.begin(), heap_.end(), cmp);
}

Neighbours TopK::take_sorted() {
  Neighbours out = std::move(heap_);
  heap_.clear();
  std::sort(out.begin(), out.end(),
            [this](const Neighbour& a, const Neighbour& b) { return before(a, b); });
  return out;
}

}  // namespace w2v::query
