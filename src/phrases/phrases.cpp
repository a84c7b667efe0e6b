#include "phrases/phrases.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/stop.hpp"
#include "util/timer.hpp"
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

// Open addressing, linear probing: pair key -> count. Keys are never ~0 (ids < kNone).
class PairMap {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  PairMap() { resize(1 << 12); }
  void add(std::uint64_t key, std::uint64_t n) {
    if ((size_ + 1) * 2 > keys_.size()) resize(keys_.size() * 2);
    std::size_t i = mix(key) & mask_;
    while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask_;
    if (keys_[i] == kEmpty) {
      keys_[i] = key;
      ++size_;
    }
    counts_[i] += n;
  }
  std::uint64_t get(std::uint64_t key) const {
    std::size_t i = mix(key) & mask_;
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) return counts_[i];
      i = (i + 1) & mask_;
    }
    return 0;
  }
  std::size_t size() const { return size_; }
  template <typename F>
  void for_each(F f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != kEmpty) f(keys_[i], counts_[i]);
    }
  }
  // Room for n keys without growing.
  void reserve(std::size_t n) {
    std::size_t cap = keys_.size();
    while (n * 2 > cap) cap *= 2;
    if (cap != keys_.size()) resize(cap);
  }

 private:
  void resize(std::size_t cap) {
    std::vector<std::uint64_t> old_keys(cap, kEmpty), old_counts(cap, 0);
    old_keys.swap(keys_);
    old_counts.swap(counts_);
    mask_ = cap - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != kEmpty) add(old_keys[i], old_counts[i]);
    }
  }
  std::vector<std::uint64_t> keys_, counts_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
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

// Splits [0, text.size()) into about `n` ranges whose ends lie just after a `boundary` char.
template <typename IsBoundary>
std::vector<std::size_t> cut(const std::string& text, std::size_t n, IsBoundary is_boundary) {
  std::vector<std::size_t> cuts{0};
  const std::size_t step = std::max<std::size_t>(1, text.size() / std::max<std::size_t>(1, n));
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t at = std::max(cuts.back(), i * step);
    while (at < text.size() && !is_boundary(text[at])) ++at;
    if (at < text.size()) ++at;
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
  PairMap pairs;                          // global ids
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
      return pairs.get(key) + literal.get(key);
    }
    scratch.assign(this->words.word(prev));
    scratch += '_';
    scratch += this->words.word(word);
    return string_count(scratch);
  }
};

void count(const std::string& text, Vocabulary& v, PassStats& stats) {
  const int threads = std::max(1, omp_get_max_threads());
  const std::vector<std::size_t> cuts =
      cut(text, static_cast<std::size_t>(threads) * 8, is_separator);
  const std::size_t ranges = cuts.size() - 1;
  std::vector<LocalCounts> local(static_cast<std::size_t>(threads));
  std::vector<RangeEnds> ends(ranges);
#pragma omp parallel num_threads(threads)
  {
    LocalCounts& mine = local[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 1)
    for (std::size_t r = 0; r < ranges; ++r) {
      if (stop_requested() != 0) continue;
      std::uint32_t prev = kNone;
      RangeEnds& e = ends[r];
      for_each_token(text, cuts[r], cuts[r + 1], [&](std::string_view t) {
        if (t == "\n") {
          ++mine.lines;
          return;
        }
        const std::uint32_t id = mine.words.add(t);
        ++mine.tokens;
        if (prev != kNone) mine.pairs.add(pair_key(prev, id), 1);
        if (e.first.empty()) e.first = t;
        e.last = t;
        prev = id;
      });
    }
  }
  throw_if_stopped();

  // Words: one table with global ids; then pairs, each thread's remapped.
  std::vector<std::vector<std::uint32_t>> remap(local.size());
  for (std::size_t t = 0; t < local.size(); ++t) {
    const vocab::Counter& w = local[t].words;
    remap[t].resize(w.size());
    for (std::uint32_t i = 0; i < w.size(); ++i) remap[t][i] = v.words.add(w.word(i), w.count(i));
    stats.words += local[t].tokens;
    stats.lines += local[t].lines;
  }
  std::size_t most = 0;
  for (const LocalCounts& l : local) most = std::max(most, l.pairs.size());
  v.pairs.reserve(most + most / 2);
  for (std::size_t t = 0; t < local.size(); ++t) {
    const std::vector<std::uint32_t>& m = remap[t];
    local[t].pairs.for_each([&](std::uint64_t key, std::uint64_t n) {
      v.pairs.add(pair_key(m[key >> 32], m[key & 0xFFFFFFFFu]), n);
    });
    local[t].pairs = PairMap();
    local[t].words = vocab::Counter();
  }
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

// Rewrites text[begin, end) into `out`. The state at `begin` is word2phrase's at the start of
// the input; `at_start` says whether that is really the start (the previous "word" is then the
// empty string, else a line break).
void rewrite(const std::string& text, std::size_t begin, std::size_t end, bool at_start,
             const Vocabulary& v, const Options& o, float words, std::string& out, PairMap& joined,
             std::uint64_t& joined_count) {
  const std::int64_t mc = o.min_count;
  std::int64_t pa = 0, pb = 0, pab = 0;
  bool prev_known = false;
  std::uint32_t prev = kNone;
  std::string scratch;
  for_each_token(text, begin, end, [&](std::string_view t) {
    if (t == "\n") {
      out.push_back('\n');
      prev = kNone;
      at_start = false;
      return;
    }
    const std::uint32_t id = v.words.find(t);
    bool unknown = false;
    const auto tw = static_cast<std::int64_t>(v.word_total[id]);
    if (tw < mc) {
      unknown = true;
    } else {
      pb = tw;
    }
    if (!prev_known) unknown = true;
    prev_known = tw >= mc;
    if (!unknown) {
      const auto tab = static_cast<std::int64_t>(v.bigram_count(prev, id, at_start, scratch));
      if (tab < mc) {
        unknown = true;
      } else {
        pab = tab;
      }
    }
    if (pa < mc || pb < mc) unknown = true;
    float score = 0;
    if (!unknown) {
      score =
          static_cast<float>(pab - mc) / static_cast<float>(pa) / static_cast<float>(pb) * words;
    }
    if (score > o.threshold) {
      out.push_back('_');
      pb = 0;
      joined.add(pair_key(prev, id), 1);
      ++joined_count;
    } else {
      out.push_back(' ');
    }
    out.append(t);
    pa = pb;
    prev = id;
    at_start = false;
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
  Vocabulary v;
  count(text, v, stats);
  stats.count_seconds = timer.seconds();
  Timer write_timer;

  // Lines are independent (the first word of a line never joins) unless some token starts with
  // "</s>_": then one range, in order.
  const int threads = std::max(1, omp_get_max_threads());
  const std::vector<std::size_t> cuts =
      v.line_start_strings
          ? std::vector<std::size_t>{0, text.size()}
          : cut(text, static_cast<std::size_t>(threads) * 8, [](char c) { return c == '\n'; });
  const std::size_t ranges = cuts.size() - 1;
  std::vector<std::string> outs(ranges);
  std::vector<PairMap> joined(static_cast<std::size_t>(threads));
  std::vector<std::uint64_t> joined_count(static_cast<std::size_t>(threads), 0);
  const auto words = static_cast<float>(stats.words);
#pragma omp parallel num_threads(threads)
  {
    const auto me = static_cast<std::size_t>(omp_get_thread_num());
#pragma omp for schedule(dynamic, 1)
    for (std::size_t r = 0; r < ranges; ++r) {
      if (stop_requested() != 0) continue;
      outs[r].reserve(cuts[r + 1] - cuts[r] + (cuts[r + 1] - cuts[r]) / 8 + 16);
      rewrite(text, cuts[r], cuts[r + 1], r == 0, v, options, words, outs[r], joined[me],
              joined_count[me]);
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
