// Bounded top-k selection over (id, score) pairs: highest score first, ties broken by the word
// (byte order) so that output is stable across runs, thread counts and instruction sets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "query/word_table.hpp"

namespace w2v::query {

struct Neighbour {
  std::uint32_t id = 0;
  float score = 0;
};
using Neighbours = std::vector<Neighbour>;

class TopK {
 public:
  TopK() = default;
  TopK(std::size_t k, const WordTable* words) : k_(k), words_(words) { heap_.reserve(k); }

  // Scores below threshold() can be skipped without calling push().
  float threshold() const {
    return heap_.size() < k_ || k_ == 0 ? (k_ == 0 ? std::numeric_limits<float>::infinity()
                                                   : -std::numeric_limits<float>::infinity())
                                        : heap_.front().score;
  }
  void push(std::uint32_t id, float score);
  // Adds every entry of another selection (merging per-thread results).
  void merge(const TopK& other) {
    for (const Neighbour& n : other.heap_) push(n.id, n.score);
  }
  // The selection, best first. Leaves this empty.
  Neighbours take_sorted();
  std::size_t size() const { return heap_.size(); }

  // True when a ranks before b: higher score, then smaller word.
  bool before(const Neighbour& a, const Neighbour& b) const {
    if (a.score != b.score) return a.score > b.score;
    return (*words_)[a.id] < (*words_)[b.id];
  }

 private:
  std::size_t k_ = 0;
  const WordTable* words_ = nullptr;
  std::vector<Neighbour> heap_;  // front = the worst kept entry
};

}  // namespace w2v::query
