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
  allocate(kInitialSlots);
}

void Counter::allocate(std::size_t slots) {
  table_memory_ = ZeroedBuffer(slots * sizeof(Slot));
  table_ = static_cast<Slot*>(table_memory_.data());
  capacity_ = slots;
  mask_ = slots - 1;
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

// key_of, slot_of and add_at's common case are inlined into the counting loop (they run once per
// token; as three calls the counting pass took 0.81 s on en_mix, inlined 0.72 s, medians of 9).
[[gnu::always_inline]] inline Counter::Key Counter::key_of(std::string_view s) noexcept {
  // Fixed-size loads only (overlapping at the ends), no byte loop and no memcpy call: words are
  // short, and this runs once per token of the corpus. For n <= 16 bytes, (a, b, n) determine
  // the word: the slot compares them instead of the bytes.
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
  return Key{a, b, static_cast<std::uint32_t>(mum(k1 ^ n, mum(a ^ k1, b ^ seed)))};
}

void Counter::rehash(std::size_t new_capacity) {
  ZeroedBuffer old_memory = std::move(table_memory_);
  const Slot* old = static_cast<const Slot*>(old_memory.data());
  allocate(new_capacity);
  constexpr std::size_t kAhead = 16;
  const std::size_t n = entries_.size();
  std::uint32_t ahead[kAhead];
  auto hash_of = [&](std::size_t id) {
    const Entry& e = entries_[id];
    return key_of({arena_.data() + e.offset, e.length}).hash;
  };
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) {
    ahead[i] = hash_of(i);
    __builtin_prefetch(&table_[ahead[i] & mask_], 1);
    __builtin_prefetch(&old[entries_[i].slot]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t s = ahead[i % kAhead] & mask_;
    if (i + kAhead < n) {
      ahead[i % kAhead] = hash_of(i + kAhead);
      __builtin_prefetch(&table_[ahead[i % kAhead] & mask_], 1);
      __builtin_prefetch(&old[entries_[i + kAhead].slot]);
    }
    Entry& e = entries_[i];
    while (table_[s].id != 0) s = (s + 1) & mask_;
    table_[s] = old[e.slot];
    e.slot = static_cast<std::uint32_t>(s);
  }
}

[[gnu::always_inline]] inline std::size_t Counter::slot_of(std::string_view word,
                                                           const Key& k) const noexcept {
  std::size_t s = k.hash & mask_;
  for (;;) {
    const Slot& slot = table_[s];
    if (slot.id == 0 || matches(slot, k, word)) return s;
    s = (s + 1) & mask_;
  }
}

[[gnu::always_inline]] inline std::uint32_t Counter::add_at(std::size_t s, std::string_view word,
                                                            const Key& k, std::uint64_t n) {
  total_ += n;
  Slot& slot = table_[s];
  if (slot.id != 0) {
    slot.count += n;
    return slot.id - 1;
  }
  return insert_at(s, word, k, n);
}

std::uint32_t Counter::insert_at(std::size_t s, std::string_view word, const Key& k,
                                 std::uint64_t n) {
  Slot& slot = table_[s];
  const auto id = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(
      Entry{arena_.size(), static_cast<std::uint32_t>(word.size()), static_cast<std::uint32_t>(s)});
  arena_.append(word);
  slot = Slot{k.head, k.tail, n, static_cast<std::uint32_t>(word.size()), id + 1};
  // At most 3/4 full: the slots are 32 bytes, and a big table must stay compact.
  if (entries_.size() * 4 > capacity_ * 3) rehash(capacity_ * 2);
  return id;
}

std::uint32_t Counter::add(std::string_view word, std::uint64_t n) {
  const Key k = key_of(word);
  return add_at(slot_of(word, k), word, k, n);
}

template <typename WordAt, typename CountAt, typename Prefetch>
void Counter::add_each(std::size_t count, WordAt word_at, CountAt count_at, Prefetch prefetch,
                       std::uint32_t* ids) {
  // The slot of word i + kAhead is prefetched while word i is counted: a rare word's slot is a
  // cache miss, and the misses of several words then overlap.
  constexpr std::size_t kAhead = 16;
  Key ahead[kAhead];
  for (std::size_t i = 0; i < std::min(count, kAhead); ++i) {
    ahead[i] = key_of(word_at(i));
    __builtin_prefetch(&table_[ahead[i].hash & mask_]);
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Key k = ahead[i % kAhead];
    if (i + kAhead < count) {
      Key& next = ahead[i % kAhead];
      next = key_of(word_at(i + kAhead));
      __builtin_prefetch(&table_[next.hash & mask_]);
      prefetch(i + kAhead);
    }
    const std::string_view w = word_at(i);
    const std::uint32_t got = add_at(slot_of(w, k), w, k, count_at(i));
    if (ids != nullptr) ids[i] = got;
  }
}

void Counter::add_all(const std::string_view* words, std::size_t count, std::uint32_t* ids) {
  add_each(
      count, [&](std::size_t i) { return words[i]; }, [](std::size_t) { return 1; },
      [](std::size_t) {}, ids);
}

void Counter::add_counts(const Counter& from, std::uint32_t* ids) {
  const auto id = [](std::size_t i) { return static_cast<std::uint32_t>(i); };
  add_each(
      from.size(), [&](std::size_t i) { return from.word(id(i)); },
      [&](std::size_t i) { return from.count(id(i)); },
      [&](std::size_t i) { __builtin_prefetch(&from.table_[from.entries_[i].slot]); }, ids);
}

std::uint32_t Counter::find(std::string_view word) const {
  const Key k = key_of(word);
  const std::size_t s = slot_of(word, k);
  return table_[s].id == 0 ? kDead : table_[s].id - 1;
}

std::vector<std::uint64_t> Counter::counts() const {
  std::vector<std::uint64_t> out(entries_.size());
  for (std::size_t s = 0; s < capacity_; ++s) {
    if (table_[s].id != 0) out[table_[s].id - 1] = table_[s].count;
  }
  return out;
}

void Counter::reserve(std::size_t n) {
  std::size_t cap = capacity_;
  while (n * 4 > cap * 3) cap *= 2;
  if (cap != capacity_) rehash(cap);
  entries_.reserve(n);
}

void Counter::clear() {
  if (entries_.size() * 8 < capacity_) {
    for (const Entry& e : entries_) table_[e.slot] = Slot{};
  } else {
    std::fill(table_, table_ + capacity_, Slot{});
  }
  entries_.clear();
  arena_.clear();
  total_ = 0;
  min_reduce_ = 1;
  prune_stats_ = PruneStats{};
}

void Counter::prune(std::vector<std::uint32_t>& remap) {
  const std::size_t target = max_entries_ == 0 ? entries_.size() : max_entries_ * 7 / 10;
  remap.assign(entries_.size(), kDead);
  const std::vector<std::uint64_t> counts = this->counts();
  std::size_t kept = entries_.size();
  do {
    ++min_reduce_;
    kept = 0;
    for (const std::uint64_t c : counts) kept += c >= min_reduce_ ? 1 : 0;
  } while (kept > target);
  std::vector<Entry> live;
  live.reserve(kept);
  std::string arena;
  arena.reserve(arena_.size() / 2);
  for (std::uint32_t id = 0; id < entries_.size(); ++id) {
    const Entry& e = entries_[id];
    if (counts[id] >= min_reduce_) {
      const auto new_id = static_cast<std::uint32_t>(live.size());
      remap[id] = new_id;
      table_[e.slot].id = new_id + 1;  // the slot keeps its key and count; rehash moves it
      live.push_back(Entry{arena.size(), e.length, e.slot});
      arena.append(arena_, e.offset, e.length);
    } else {
      ++prune_stats_.entries_removed;
      prune_stats_.tokens_removed += counts[id];
    }
  }
  entries_ = std::move(live);
  arena_ = std::move(arena);
  ++prune_stats_.rounds;
  prune_stats_.threshold = min_reduce_;
  std::size_t cap = kInitialSlots;
  while (cap < entries_.size() * 2) cap *= 2;  // half full after a prune
  rehash(cap);
}

std::size_t Counter::memory_bytes() const {
  return entries_.capacity() * sizeof(Entry) + capacity_ * sizeof(Slot) + arena_.capacity();
}

}  // namespace w2v::vocab
