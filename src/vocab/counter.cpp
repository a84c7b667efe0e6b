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

namespace {
inline std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t load4(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// 64x64 -> 128-bit multiply, folded (the "mum" mixer of wyhash).
inline std::uint64_t mum(std::uint64_t a, std::uint64_t b) {
  __extension__ using u128 = unsigned __int128;
  const auto m = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}
}  // namespace

std::uint64_t Counter::hash_bytes(std::string_view s) noexcept {
  // Fixed-size loads only (overlapping at the ends), no byte loop and no memcpy call: words are
  // short, and this runs once per token of the corpus.
  constexpr std::uint64_t k0 = 0xA0761D6478BD642FULL, k1 = 0xE7037ED1A0B428DBULL;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t a, b, seed = k0 ^ n;
  if (n <= 16) {
    if (n >= 8) {
      a = load8(p);
      b = load8(p + n - 8);
    } else if (n >= 4) {
      a = load4(p);
      b = load4(p + n - 4);
    } else if (n > 0) {
      a = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
          (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
          static_cast<unsigned char>(p[n - 1]);
      b = 0;
    } else {
      a = b = 0;
    }
  } else {
    std::size_t i = 0;
    for (; i + 16 < n; i += 16) seed = mum(load8(p + i) ^ k1, load8(p + i + 8) ^ seed);
    a = load8(p + n - 16);
    b = load8(p + n - 8);
  }
  return mum(k1 ^ n, mum(a ^ k1, b ^ seed));
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
