// Word counting: an open-addressing hash table over a string arena, with pruning so that memory
// stays bounded on corpora with tens of millions of distinct tokens (as word2vec.c's ReduceVocab,
// but reported instead of silent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/zeroed_buffer.hpp"

namespace w2v::vocab {

struct PruneStats {
  std::uint64_t rounds = 0;           // how many times the table was pruned
  std::uint64_t entries_removed = 0;  // distinct entries dropped over all rounds
  std::uint64_t tokens_removed = 0;   // occurrences those entries had counted
  std::uint64_t threshold = 0;        // last min count applied (entries below it were dropped)
  void merge(const PruneStats& o);
};

// The table's slots hold a word's length, its first and last 8 bytes (for words of up to 16
// bytes: the whole word, exactly) and its count, so counting a short word touches one slot of one
// cache line: no second look-up, no memcmp. Longer words also compare against the arena.
class Counter {
 public:
  static constexpr std::uint32_t kDead = 0xFFFFFFFFu;

  // max_entries: prune when more distinct words than this are held (0: never prune).
  explicit Counter(std::size_t max_entries = 0);

  // Adds `n` occurrences of `word`; returns its id (dense, 0..size()-1, stable until a prune).
  std::uint32_t add(std::string_view word, std::uint64_t n = 1);
  // add() for each word in turn, ids[i] = the id of words[i]; the same result as the loop, faster
  // (the slots are prefetched ahead).
  void add_all(const std::string_view* words, std::size_t count, std::uint32_t* ids);
  // Adds every word of `from` with its count, in from's id order; ids[i] (if given) = the id of
  // from's word i here. The same as the loop over add(), faster (prefetched).
  void add_counts(const Counter& from, std::uint32_t* ids = nullptr);
  // Id of `word` or kDead.
  std::uint32_t find(std::string_view word) const;

  std::size_t size() const { return entries_.size(); }
  std::string_view word(std::uint32_t id) const {
    const Entry& e = entries_[id];
    return {arena_.data() + e.offset, e.length};
  }
  std::uint64_t count(std::uint32_t id) const { return table_[entries_[id].slot].count; }
  std::uint64_t total() const { return total_; }
  // Every count, by id: one pass over the table in memory order, where count(id) for each id in
  // turn jumps around it (a cache miss per word on a big table).
  std::vector<std::uint64_t> counts() const;
  // Room for `n` words without growing the table.
  void reserve(std::size_t n);
  // Forgets every word, keeping the memory (a counter reused for the next block of text).
  void clear();

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
  // A word's key: for up to 16 bytes, (head, tail, length) is the word itself.
  struct Key {
    std::uint64_t head, tail;
    std::uint32_t hash;
  };
  struct Slot {
    std::uint64_t head, tail;
    std::uint64_t count;
    std::uint32_t length;
    std::uint32_t id;  // entry id + 1; 0 = empty
  };
  struct Entry {
    std::uint64_t offset;  // into arena_
    std::uint32_t length;
    std::uint32_t slot;  // into table_
  };
  static constexpr std::size_t kInitialSlots = 1024;
  static Key key_of(std::string_view s) noexcept;
  bool matches(const Slot& slot, const Key& k, std::string_view word) const noexcept {
    return slot.head == k.head && slot.tail == k.tail && slot.length == word.size() &&
           (word.size() <= 16 ||
            std::string_view(arena_.data() + entries_[slot.id - 1].offset, word.size()) == word);
  }
  std::size_t slot_of(std::string_view word, const Key& k) const noexcept;
  std::uint32_t add_at(std::size_t s, std::string_view word, const Key& k, std::uint64_t n);
  // add_at's new-word case (out of line: rare once the table has warmed up).
  std::uint32_t insert_at(std::size_t s, std::string_view word, const Key& k, std::uint64_t n);
  // add_at for words word_at(0 .. count-1) with counts count_at(i), their slots prefetched
  // ahead (and prefetch(i) called as far ahead, for what count_at(i) will read); ids[i] (if
  // given) = the id of word i.
  template <typename WordAt, typename CountAt, typename Prefetch>
  void add_each(std::size_t count, WordAt word_at, CountAt count_at, Prefetch prefetch,
                std::uint32_t* ids);
  void rehash(std::size_t new_capacity);

  std::size_t max_entries_;
  std::vector<Entry> entries_;
  void allocate(std::size_t slots);  // an empty table of `slots` slots (a power of two)

  ZeroedBuffer table_memory_;
  Slot* table_ = nullptr;
  std::size_t capacity_ = 0;  // slots
  std::size_t mask_ = 0;
  std::string arena_;
  std::uint64_t total_ = 0;
  std::uint64_t min_reduce_ = 1;
  PruneStats prune_stats_;
};

}  // namespace w2v::vocab
