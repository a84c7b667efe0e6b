// Word counting: an open-addressing hash table over a string arena, with pruning so that memory
// stays bounded on corpora with tens of millions of distinct tokens (as word2vec.c's ReduceVocab,
// but reported instead of silent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::vocab {

struct PruneStats {
  std::uint64_t rounds = 0;           // how many times the table was pruned
  std::uint64_t entries_removed = 0;  // distinct entries dropped over all rounds
  std::uint64_t tokens_removed = 0;   // occurrences those entries had counted
  std::uint64_t threshold = 0;        // last min count applied (entries below it were dropped)
  void merge(const PruneStats& o);
};

class Counter {
 public:
  static constexpr std::uint32_t kDead = 0xFFFFFFFFu;

  // max_entries: prune when more distinct words than this are held (0: never prune).
  explicit Counter(std::size_t max_entries = 0);

  // Adds `n` occurrences of `word`; returns its id (dense, 0..size()-1, stable until a prune).
  std::uint32_t add(std::string_view word, std::uint64_t n = 1);
  // Id of `word` or kDead.
  std::uint32_t find(std::string_view word) const;

  std::size_t size() const { return entries_.size(); }
  std::string_view word(std::uint32_t id) const {
    const Entry& e = entries_[id];
    return {arena_.data() + e.offset, e.length};
  }
  std::uint64_t count(std::uint32_t id) const { return entries_[id].count; }
  std::uint64_t total() const { return total_; }

  // True when add() has grown the table past max_entries: call prune() (the caller decides
  // when, because it must remap ids it has stored).
  bool needs_prune() const { return max_entries_ != 0 && entries_.size() > max_entries_; }
  // Drops entries with count < threshold, raising the threshold until at most
  // max_entries * 0.7 remain. remap[old id] = new id or kDead.
  void prune(std::vector<std::uint32_t>& remap);
  const PruneStats& prune_stats() const { return prune_stats_; }
  std::size_t max_entries() const { return max_entries_; }

  std::size_t memory_bytes() const;

 private:
  struct Entry {
    std::uint64_t count;
    std::uint64_t offset;  // into arena_
    std::uint32_t length;
    std::uint32_t hash;
  };
  static std::uint64_t hash_bytes(std::string_view s) noexcept;
  void rehash(std::size_t new_capacity);
  std::size_t slot_of(std::string_view word, std::uint32_t h) const;

  std::size_t max_entries_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> table_;  // entry id + 1; 0 = empty
  std::size_t mask_ = 0;
  std::string arena_;
  std::uint64_t total_ = 0;
  std::uint64_t min_reduce_ = 1;
  PruneStats prune_stats_;
};

}  // namespace w2v::vocab
