#include "phrases/phrases.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/stop.hpp"
#include "util/timer.hpp"
#include "util/zeroed_buffer.hpp"
#include "vocab/counter.hpp"

namespace w2v::phrases {
namespace {

constexpr std::uint32_t kNone = vocab::Counter::kDead;
constexpr std::string_view kLineBreakToken = "</s>";

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  return x ^ (x >> 33);
}

// Open addressing, linear probing: pair key -> count, key and count side by side (one cache
// miss per look-up). A slot holds key + 1 (0: empty; keys are never ~0, ids < kNone).
class PairMap {
 public:
  PairMap() { resize(1 << 12); }
  void add(std::uint64_t key, std::uint64_t n) {
    if ((size_ + 1) * 2 > cap_) resize(cap_ * 2);
    const std::uint64_t stored = key + 1;
    std::size_t i = mix(key) & mask_;
    while (slots_[i].key != 0 && slots_[i].key != stored) i = (i + 1) & mask_;
    if (slots_[i].key == 0) {
      slots_[i].key = stored;
      ++size_;
    }
    slots_[i].count += n;
  }
  std::uint64_t get(std::uint64_t key) const {
    const std::uint64_t stored = key + 1;
    std::size_t i = mix(key) & mask_;
    while (slots_[i].key != 0) {
      if (slots_[i].key == stored) return slots_[i].count;
      i = (i + 1) & mask_;
    }
    return 0;
  }
  // A hint that `key` will be looked up soon (the tables are far larger than the caches).
  void prefetch(std::uint64_t key) const { __builtin_prefetch(&slots_[mix(key) & mask_]); }
  std::size_t size() const { return size_; }
  template <typename F>
  void for_each(F f) const {
    for (std::size_t i = 0; i < cap_; ++i) {
      if (slots_[i].key != 0) f(slots_[i].key - 1, slots_[i].count);
    }
  }
  // Room for n keys without growing.
  void reserve(std::size_t n) {
    std::size_t cap = cap_;
    while (n * 2 > cap) cap *= 2;
    if (cap != cap_) resize(cap);
  }

 private:
  struct Slot {
    std::uint64_t key;
    std::uint64_t count;
  };
  void resize(std::size_t cap) {
    ZeroedBuffer old = std::move(buffer_);
    const Slot* old_slots = slots_;
    const std::size_t old_cap = cap_;
    buffer_ = ZeroedBuffer(cap * sizeof(Slot));
    slots_ = static_cast<Slot*>(buffer_.data());
    cap_ = cap;
    mask_ = cap - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_cap; ++i) {
      if (old_slots[i].key != 0) add(old_slots[i].key - 1, old_slots[i].count);
    }
  }
  ZeroedBuffer buffer_;
  Slot* slots_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// Pair counts split into shards by hash, so that threads can fill them side by side.
class ShardedPairs {
 public:
  static constexpr int kBits = 6;
  static constexpr std::size_t kShards = std::size_t{1} << kBits;
  ShardedPairs() : shards_(kShards) {}
  static std::size_t shard_of(std::uint64_t key) {
    return mix(key ^ 0x9E3779B97F4A7C15ULL) >> (64 - kBits);
  }
  void add(std::uint64_t key, std::uint64_t n) { shards_[shard_of(key)].add(key, n); }
  std::uint64_t get(std::uint64_t key) const { return shards_[shard_of(key)].get(key); }
  void prefetch(std::uint64_t key) const { shards_[shard_of(key)].prefetch(key); }
  std::size_t size() const {
    std::size_t n = 0;
    for (const PairMap& m : shards_) n += m.size();
    return n;
  }
  PairMap& shard(std::size_t i) { return shards_[i]; }

 private:
  std::vector<PairMap> shards_;
};

// Calls f(token) for each word in text[begin, end) and f("\n") for each line break ('\n' or the
// token "</s>"); `begin` and `end` lie at separators or the ends of the text.
template <typename F>
void for_each_token(const std::string& text, std::size_t begin, std::size_t end, F f) {
  const char* p = text.data() + begin;
  const char* const stop = text.data() + end;
  while (p < stop) {
    const char c = *p;
    if (c == '\n') {
      f(std::string_view("\n"));
      ++p;
      continue;
    }
    if (c == ' ' || c == '\t') {
      ++p;
      continue;
    }
    const char* q = p;
    while (q < stop && !is_separator(*q)) ++q;
    const std::string_view token(p, static_cast<std::size_t>(q - p));
    f(token == kLineBreakToken ? std::string_view("\n") : token);
    p = q;
  }
}

// Splits [0, text.size()) into about `n` ranges that end just after a '\n' where one comes
// soon enough, else just after another separator (a corpus of one long line still splits).
std::vector<std::size_t> cut(const std::string& text, std::size_t n) {
  std::vector<std::size_t> cuts{0};
  const std::size_t step = std::max<std::size_t>(1, text.size() / std::max<std::size_t>(1, n));
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t at = std::max(cuts.back(), i * step);
    if (at >= text.size()) break;
    const std::size_t nl = text.find('\n', at);
    if (nl != std::string::npos && nl < at + step) {
      at = nl + 1;
    } else {
      while (at < text.size() && !is_separator(text[at])) ++at;
      if (at < text.size()) ++at;
    }
    if (at > cuts.back() && at < text.size()) cuts.push_back(at);
  }
  cuts.push_back(text.size());
  return cuts;
}

// What one thread counted: words with local ids and pairs of local ids.
struct LocalCounts {
  vocab::Counter words;
  PairMap pairs;
  std::uint64_t tokens = 0;
  std::uint64_t lines = 0;
};

// First and last word of a range, for the pairs that span two ranges.
struct RangeEnds {
  std::string_view first, last;
};

class Vocabulary {
 public:
  vocab::Counter words;
  ShardedPairs pairs;                     // global ids
  std::vector<std::uint64_t> word_total;  // count of the word's string (token and bigram)
  std::vector<std::uint8_t> has_underscore;
  PairMap literal;                  // (a, b) -> count of the token "a_b" (a, b without '_')
  bool line_start_strings = false;  // some token starts with "</s>_"

  std::uint64_t string_count(std::string_view s) const {
    std::uint64_t n = 0;
    const std::uint32_t id = words.find(s);
    if (id != kNone) n += words.count(id);
    for (std::size_t k = 0; k < s.size(); ++k) {
      if (s[k] != '_') continue;
      const std::uint32_t a = words.find(s.substr(0, k));
      if (a == kNone) continue;
      const std::uint32_t b = words.find(s.substr(k + 1));
      if (b == kNone) continue;
      n += pairs.get(pair_key(a, b));
    }
    return n;
  }

  // Count of the string prev + "_" + word; prev == kNone: the previous token was a line break
  // ("</s>"), or there was none (the empty string).
  std::uint64_t bigram_count(std::uint32_t prev, std::uint32_t word, bool at_start,
                             std::string& scratch) const {
    if (prev == kNone) {
      if (at_start) {
        scratch = "_";
      } else {
        if (!line_start_strings) return 0;
        scratch = "</s>_";
      }
      scratch += this->words.word(word);
      return string_count(scratch);
    }
    if (has_underscore[prev] == 0 && has_underscore[word] == 0) {
      const std::uint64_t key = pair_key(prev, word);
      return pairs.get(key) + (literal.size() == 0 ? 0 : literal.get(key));
    }
    scratch.assign(this->words.word(prev));
    scratch += '_';
    scratch += this->words.word(word);
    return string_count(scratch);
  }
};

// Counts the words and pairs of text; ids[r] gets the (global) id of every word of range r.
void count(const std::string& text, const std::vector<std::size_t>& cuts, Vocabulary& v,
           std::vector<std::vector<std::uint32_t>>& ids, PassStats& stats) {
  const int threads = std::max(1, omp_get_max_threads());
  const std::size_t ranges = cuts.size() - 1;
  std::vector<LocalCounts> local(static_cast<std::size_t>(threads));
  std::vector<RangeEnds> ends(ranges);
  std::vector<std::size_t> owner(ranges, 0);
  ids.assign(ranges, {});
#pragma omp parallel num_threads(threads)
  {
    const auto me = static_cast<std::size_t>(omp_get_thread_num());
    LocalCounts& mine = local[me];
    // About one distinct pair per 12 bytes of text (English: 6 bytes a word, half the pairs new).
    mine.pairs.reserve(text.size() / 12 / static_cast<std::size_t>(threads));
#pragma omp for schedule(dynamic, 1)
    for (std::size_t r = 0; r < ranges; ++r) {
      if (stop_requested() != 0) continue;
      owner[r] = me;
      std::vector<std::uint32_t>& out = ids[r];
      out.reserve((cuts[r + 1] - cuts[r]) / 5);
      RangeEnds& e = ends[r];
      // Words are counted 256 at a time (Counter::add_all prefetches their slots ahead).
      std::vector<std::string_view> batch;
      batch.reserve(256);
      auto flush = [&] {
        const std::size_t at = out.size();
        out.resize(at + batch.size());
        mine.words.add_all(batch.data(), batch.size(), out.data() + at);
        batch.clear();
      };
      for_each_token(text, cuts[r], cuts[r + 1], [&](std::string_view t) {
        if (t == "\n") {
          ++mine.lines;
          return;
        }
        batch.push_back(t);
        if (batch.size() == 256) flush();
        if (e.first.empty()) e.first = t;
        e.last = t;
      });
      flush();
      mine.tokens += out.size();
      // Pairs of neighbours (across line breaks too), each looked up ahead of time.
      constexpr std::size_t kAhead = 16;
      for (std::size_t j = 1; j < out.size(); ++j) {
        if (j + kAhead < out.size())
          mine.pairs.prefetch(pair_key(out[j + kAhead - 1], out[j + kAhead]));
        mine.pairs.add(pair_key(out[j - 1], out[j]), 1);
      }
    }
  }
  throw_if_stopped();

  // Words: one table with global ids; then pairs, each thread's remapped.
  std::vector<std::vector<std::uint32_t>> remap(local.size());
  for (std::size_t t = 0; t < local.size(); ++t) {
    const vocab::Counter& w = local[t].words;
    remap[t].resize(w.size());
    v.words.add_counts(w, remap[t].data());
    stats.words += local[t].tokens;
    stats.lines += local[t].lines;
  }
  // Pairs: each thread's remapped and sorted by shard (key, count, key, count, ...), then each
  // shard filled by one thread.
  const std::size_t shards = ShardedPairs::kShards;
  std::vector<std::vector<std::vector<std::uint64_t>>> parts(
      local.size(), std::vector<std::vector<std::uint64_t>>(shards));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t t = 0; t < local.size(); ++t) {
    const std::vector<std::uint32_t>& m = remap[t];
    std::vector<std::vector<std::uint64_t>>& mine = parts[t];
    for (std::vector<std::uint64_t>& b : mine) b.reserve(local[t].pairs.size() * 2 / shards + 64);
    local[t].pairs.for_each([&](std::uint64_t key, std::uint64_t n) {
      const std::uint64_t k = pair_key(m[key >> 32], m[key & 0xFFFFFFFFu]);
      std::vector<std::uint64_t>& b = mine[ShardedPairs::shard_of(k)];
      b.push_back(k);
      b.push_back(n);
    });
    local[t].pairs = PairMap();
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t sh = 0; sh < shards; ++sh) {
    std::size_t n = 0;
    for (const auto& p : parts) n += p[sh].size() / 2;
    PairMap& into = v.pairs.shard(sh);
    into.reserve(n * 3 / 4);
    for (auto& p : parts) {
      std::vector<std::uint64_t>& b = p[sh];
      for (std::size_t i = 0; i < b.size(); i += 2) {
        if (i + 32 < b.size()) into.prefetch(b[i + 32]);
        into.add(b[i], b[i + 1]);
      }
      std::vector<std::uint64_t>().swap(b);
    }
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t r = 0; r < ranges; ++r) {
    const std::vector<std::uint32_t>& m = remap[owner[r]];
    for (std::uint32_t& id : ids[r]) id = m[id];
  }
  for (LocalCounts& l : local) l.words = vocab::Counter();
  // Pairs across range ends (and across line breaks: word2phrase counts those too).
  std::string_view last;
  for (const RangeEnds& e : ends) {
    if (e.first.empty()) continue;
    if (!last.empty()) v.pairs.add(pair_key(v.words.find(last), v.words.find(e.first)), 1);
    last = e.last;
  }

  const auto n = static_cast<std::int64_t>(v.words.size());
  v.word_total.assign(static_cast<std::size_t>(n), 0);
  v.has_underscore.assign(static_cast<std::size_t>(n), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string_view w = v.words.word(static_cast<std::uint32_t>(i));
    v.has_underscore[static_cast<std::size_t>(i)] = w.find('_') != std::string_view::npos ? 1 : 0;
  }
#pragma omp parallel for schedule(dynamic, 4096) num_threads(threads)
  for (std::int64_t i = 0; i < n; ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    v.word_total[static_cast<std::size_t>(i)] = v.has_underscore[static_cast<std::size_t>(i)] != 0
                                                    ? v.string_count(v.words.word(id))
                                                    : v.words.count(id);
  }
  for (std::uint32_t i = 0; i < v.words.size(); ++i) {
    if (v.has_underscore[i] == 0) continue;
    const std::string_view w = v.words.word(i);
    if (w.starts_with("</s>_")) v.line_start_strings = true;
    const std::size_t k = w.find('_');
    if (w.find('_', k + 1) != std::string_view::npos) continue;
    const std::uint32_t a = v.words.find(w.substr(0, k));
    const std::uint32_t b = v.words.find(w.substr(k + 1));
    if (a != kNone && b != kNone) v.literal.add(pair_key(a, b), v.words.count(i));
  }
  stats.unigrams = v.words.size();
  stats.bigrams = v.pairs.size();
}

// word2phrase's state between two words.
struct State {
  std::int64_t pa = 0, pb = 0, pab = 0;  // counts of the previous word, this word, the pair
  bool prev_known = false;               // the previous word was counted min_count times
  std::uint32_t prev = kNone;            // kNone: a line break (or nothing) came last
  bool at_start = true;                  // nothing read yet: the previous word is ""
};

// Rewrites text[begin, end) into `out`; ids: the words' ids in order.
void rewrite(const std::string& text, std::size_t begin, std::size_t end,
             const std::vector<std::uint32_t>& ids, const Vocabulary& v, const Options& o,
             float words, State& st, std::string& out, PairMap& joined,
             std::uint64_t& joined_count) {
  const std::int64_t mc = o.min_count;
  std::string scratch;
  std::size_t next = 0;
  for_each_token(text, begin, end, [&](std::string_view t) {
    if (t == "\n") {
      out.push_back('\n');
      st.prev = kNone;
      st.at_start = false;
      return;
    }
    if (next + 16 < ids.size()) v.pairs.prefetch(pair_key(ids[next + 15], ids[next + 16]));
    const std::uint32_t id = ids[next++];
    bool unknown = false;
    const auto tw = static_cast<std::int64_t>(v.word_total[id]);
    if (tw < mc) {
      unknown = true;
    } else {
      st.pb = tw;
    }
    if (!st.prev_known) unknown = true;
    st.prev_known = tw >= mc;
    if (!unknown) {
      const auto tab = static_cast<std::int64_t>(v.bigram_count(st.prev, id, st.at_start, scratch));
      if (tab < mc) {
        unknown = true;
      } else {
        st.pab = tab;
      }
    }
    if (st.pa < mc || st.pb < mc) unknown = true;
    float score = 0;
    if (!unknown) {
      score = static_cast<float>(st.pab - mc) / static_cast<float>(st.pa) /
              static_cast<float>(st.pb) * words;
    }
    if (score > o.threshold) {
      out.push_back('_');
      st.pb = 0;
      joined.add(pair_key(st.prev, id), 1);
      ++joined_count;
    } else {
      out.push_back(' ');
    }
    out.append(t);
    st.pa = st.pb;
    st.prev = id;
    st.at_start = false;
  });
}

}  // namespace

void strip_carriage_returns(std::string& text) {
  if (text.find('\r') == std::string::npos) return;
  std::erase(text, '\r');
}

std::string phrase_pass(const std::string& text, const Options& options, PassStats& stats) {
  stats = PassStats{};
  Timer timer;
  const int threads = std::max(1, omp_get_max_threads());
  const std::vector<std::size_t> cuts = cut(text, static_cast<std::size_t>(threads) * 8);
  const std::size_t ranges = cuts.size() - 1;
  Vocabulary v;
  std::vector<std::vector<std::uint32_t>> ids;
  count(text, cuts, v, ids, stats);
  stats.count_seconds = timer.seconds();
  Timer write_timer;

  // A range that starts a line starts from word2phrase's state at a line start (the first word
  // of a line never joins), unless some token starts with "</s>_". So the ranges are rewritten
  // in segments, each from a line start to the next range that starts one; one segment when
  // there are such tokens.
  std::vector<std::size_t> segment{0};
  for (std::size_t r = 1; r < ranges; ++r) {
    if (!v.line_start_strings && text[cuts[r] - 1] == '\n') segment.push_back(r);
  }
  segment.push_back(ranges);
  const std::size_t segments = segment.size() - 1;
  std::vector<std::string> outs(ranges);
  std::vector<PairMap> joined(static_cast<std::size_t>(threads));
  std::vector<std::uint64_t> joined_count(static_cast<std::size_t>(threads), 0);
  const auto words = static_cast<float>(stats.words);
#pragma omp parallel num_threads(threads)
  {
    const auto me = static_cast<std::size_t>(omp_get_thread_num());
#pragma omp for schedule(dynamic, 1)
    for (std::size_t g = 0; g < segments; ++g) {
      if (stop_requested() != 0) continue;
      State st;
      st.at_start = segment[g] == 0;
      for (std::size_t r = segment[g]; r < segment[g + 1]; ++r) {
        outs[r].reserve(cuts[r + 1] - cuts[r] + (cuts[r + 1] - cuts[r]) / 8 + 16);
        rewrite(text, cuts[r], cuts[r + 1], ids[r], v, options, words, st, outs[r], joined[me],
                joined_count[me]);
        std::vector<std::uint32_t>().swap(ids[r]);
      }
    }
  }
  throw_if_stopped();
  std::size_t total = 0;
  for (const std::string& s : outs) total += s.size();
  std::string out;
  out.reserve(total);
  for (std::string& s : outs) {
    out += s;
    std::string().swap(s);
  }
  PairMap distinct;
  for (std::size_t t = 0; t < joined.size(); ++t) {
    stats.joined += joined_count[t];
    joined[t].for_each([&](std::uint64_t key, std::uint64_t n) { distinct.add(key, n); });
  }
  stats.distinct_joined = distinct.size();
  stats.write_seconds = write_timer.seconds();
  return out;
}

}  // namespace w2v::phrases
