#include "vocab/counter.hpp"

#include <algorithm>
#include <cstring>

namespace w2v::vocab {

void PruneStats::merge(const PruneStats& o) {
  rounds += o.rounds;
  entries_removed += o.entries_removed;
  tokens_removed += o.tokens_removed;
  threshold = std::max(threshold, o.threshold);
}

Counter::Counter(std::size_t max_entries) : max_entries_(max_entries) {
  rehash(1 << 16);
}

std::uint64_t Counter::hash_bytes(std::string_view s) noexcept {
  // 8 bytes at a time, multiply-xorshift mixing (wyhash-like); good enough for a hash table.
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xFF51AFD7ED558CCDULL);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94D049BB133111EBULL;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h;
}

void Counter::rehash(std::size_t new_capacity) {
  table_.assign(new_capacity, 0);
  mask_ = new_capacity - 1;
  for (std::uint32_t id = 0; id < entries_.size(); ++id) {
    std::size_t s = entries_[id].hash & mask_;
    while (table_[s] != 0) s = (s + 1) & mask_;
    table_[s] = id + 1;
  }
}

std::size_t Counter::slot_of(std::string_view word, std::uint32_t h) const {
  std::size_t s = h & mask_;
  for (;;) {
    const std::uint32_t t = table_[s];
    if (t == 0) return s;
    const Entry& e = entries_[t - 1];
    if (e.hash == h && e.length == word.size() &&
        std::memcmp(arena_.data() + e.offset, word.data(), word.size()) == 0) {
      return s;
    }
    s = (s + 1) & mask_;
  }
}

std::uint32_t Counter::add(std::string_view word, std::uint64_t n) {
  const auto h = static_cast<std::uint32_t>(hash_bytes(word));
  std::size_t s = slot_of(word, h);
  total_ += n;
  if (table_[s] != 0) {
    entries_[table_[s] - 1].count += n;
    return table_[s] - 1;
  }
  const auto id = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(Entry{n, arena_.size(), static_cast<std::uint32_t>(word.size()), h});
  arena_.append(word);
  table_[s] = id + 1;
  if (entries_.size() * 2 > table_.size()) rehash(table_.size() * 2);
  return id;
}

std::uint32_t Counter::find(std::string_view word) const {
  const auto h = static_cast<std::uint32_t>(hash_bytes(word));
  const std::size_t s = slot_of(word, h);
  return table_[s] == 0 ? kDead : table_[s] - 1;
}

void Counter::prune(std::vector<std::uint32_t>& remap) {
  const std::size_t target = max_entries_ == 0 ? entries_.size() : max_entries_ * 7 / 10;
  remap.assign(entries_.size(), kDead);
  std::size_t kept = entries_.size();
  do {
    ++min_reduce_;
    kept = 0;
    for (const Entry& e : entries_) kept += e.count >= min_reduce_ ? 1 : 0;
  } while (kept > target);
  std::vector<Entry> live;
  live.reserve(kept);
  std::string arena;
  arena.reserve(arena_.size() / 2);
  for (std::uint32_t id = 0; id < entries_.size(); ++id) {
    const Entry& e = entries_[id];
    if (e.count >= min_reduce_) {
      remap[id] = static_cast<std::uint32_t>(live.size());
      live.push_back(Entry{e.count, arena.size(), e.length, e.hash});
      arena.append(arena_, e.offset, e.length);
    } else {
      ++prune_stats_.entries_removed;
      prune_stats_.tokens_removed += e.count;
    }
  }
  entries_ = std::move(live);
  arena_ = std::move(arena);
  ++prune_stats_.rounds;
  prune_stats_.threshold = min_reduce_;
  std::size_t cap = 1 << 16;
  while (cap < entries_.size() * 2) cap *= 2;
  rehash(cap);
}

std::size_t Counter::memory_bytes() const {
  return entries_.capacity() * sizeof(Entry) + table_.capacity() * sizeof(std::uint32_t) +
         arena_.capacity();
}

}  // namespace w2v::vocab
