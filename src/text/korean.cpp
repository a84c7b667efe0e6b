#include "text/korean.hpp"

#include <algorithm>

#include "text/utf8.hpp"

namespace w2v::text::korean {
namespace {

// The closed set. Particles (조사) and their usual combinations, the copula, the plural 들, verb
// endings (어미) and the light verbs 하다 / 되다 / 시키다 after a noun. Written out by hand.
constexpr const char* kSuffixes[] = {
    // case particles
    "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "에게서", "께", "께서", "한테",
    "로", "으로", "와", "과", "도", "만", "까지", "부터", "마저", "조차", "보다", "처럼", "마다",
    "밖에", "이나", "나", "든지", "이든지", "라도", "이라도", "랑", "이랑", "에다", "에의", "께는",
    // combinations
    "에는", "에도", "에만", "에서는", "에서도", "에서의", "에서만", "에서부터", "에게는", "에게도",
    "에게만", "에까지", "에서와", "에서처럼", "으로는", "로는", "으로도", "로도", "으로의", "로의",
    "으로서", "로서", "으로써", "로써", "으로서의", "로서의", "으로부터", "로부터", "으로만",
    "로만", "와는", "과는", "와도", "과도", "와의", "과의", "와가", "까지는", "까지의", "까지도",
    "부터는", "만을", "만이", "만의", "만은", "만으로", "보다는", "보다도", "처럼", "이라",
    "이라는", "라는", "이라고", "라고", "이란", "란", "이며", "이고", "이다", "이었다", "였다",
    "이었으며", "였으며", "이었고", "였고", "이었던", "였던", "인", "이자", "이지만", "입니다",
    "이던", "이므로", "이기", "이기도", "이면", "이어서", "이었지만", "였지만",
    // plural
    "들", "들이", "들은", "들을", "들의", "들에게", "들과", "들도", "들로", "들에", "들에서",
    "들이다", "들로부터", "들는",
    // verb and adjective endings
    "다", "었다", "았다", "였다", "었고", "았고", "었으며", "았으며", "었던", "았던", "었을",
    "았을", "었지만", "았지만", "었다가", "았다가", "었다는", "았다는", "었다고", "았다고",
    "었는데", "았는데", "는다", "는다는", "는데", "으며", "며", "고", "면", "으면", "어서", "아서",
    "어", "아", "게", "지", "지만", "도록", "기", "기도", "기에", "던", "는지", "을지", "어야",
    "아야", "으나", "으려고", "려고", "으려는", "려는",
    // light verbs after a noun
    "하다", "했다", "하였다", "하는", "한", "할", "하고", "하며", "하여", "해", "해서", "하기",
    "하기도", "했으며", "하였으며", "했고", "하였고", "하지", "하지만", "하면", "함", "했던",
    "하였던", "하던", "하게", "하도록", "한다", "합니다", "했다고", "한다는", "하는데", "했지만",
    "하였지만", "해야", "하여야", "했을", "하였을", "하면서", "하거나", "하자", "한다고", "하려고",
    "하려는", "했다는", "되다", "된", "되는", "될", "되고", "되며", "되어", "되었다", "됐다",
    "되었으며", "되었고", "되기", "되면", "되지", "되던", "되었던", "된다", "된다는", "되었다가",
    "되었지만", "되어서", "되면서", "되거나", "되도록", "시키는", "시킨", "시켜", "시켰다",
    "시키고", "시키기", "시켰으며"};

// Membership through vocab::Counter: its hash is faster than std::hash, and find() is const, so
// threads may share it.
struct SuffixSet {
  vocab::Counter table{0};
  bool count(std::string_view s) const { return table.find(s) != vocab::Counter::kDead; }
  bool insert(std::string_view s) {
    if (count(s)) return false;
    table.add(s);
    return true;
  }
};

struct Set {
  SuffixSet set;
  std::vector<std::string_view> by_length;
  Set() {
    for (const char* s : kSuffixes) {
      if (set.insert(s)) by_length.emplace_back(s);
    }
    std::stable_sort(by_length.begin(), by_length.end(),
                     [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  }
};
const Set& the_set() {
  static const Set s;
  return s;
}

constexpr std::size_t kMaxSuffixChars = 5;

// A Hangul syllable's UTF-8 form starts with EA..ED and is 3 bytes long.
bool hangul_at(std::string_view s, std::size_t i) {
  if (i + 3 > s.size()) return false;
  std::size_t len = 0;
  const std::int32_t cp = decode(s, i, len);
  return cp >= 0xAC00 && cp <= 0xD7A3;
}

// Byte offsets of the character starts of `s` after the first character, at most `max_from_end`
// of them counted from the end (the positions where a suffix can begin).
void suffix_starts(std::string_view s, std::size_t max_from_end, std::vector<std::size_t>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    decode(s, i, len);
    i += len;
    if (i < s.size()) out.push_back(i);
  }
  if (out.size() > max_from_end)
    out.erase(out.begin(), out.end() - static_cast<long>(max_from_end));
}

}  // namespace

bool is_suffix(std::string_view s) {
  return the_set().set.count(s) != 0;
}

const std::vector<std::string_view>& suffixes() {
  return the_set().by_length;
}

namespace {
struct Letters {
  std::uint64_t hangul = 0, all = 0;
};
Letters count_letters(std::string_view text) {
  Letters l;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c | 0x20U) >= 'a' && (c | 0x20U) <= 'z') ++l.all;
      ++i;
      continue;
    }
    std::size_t len = 1;
    const std::int32_t cp = decode(text, i, len);
    i += len;
    if (cp < 0 || is_separator(static_cast<char32_t>(cp))) continue;
    if (cp >= 0x2000 && cp < 0x3000) continue;  // punctuation and symbols
    ++l.all;
    if (cp >= 0xAC00 && cp <= 0xD7A3) ++l.hangul;
  }
  return l;
}
}  // namespace

double hangul_share(std::string_view text) {
  const Letters l = count_letters(text);
  return l.all == 0 ? 0.0 : static_cast<double>(l.hangul) / static_cast<double>(l.all);
}

bool is_hangul_dominant(std::string_view text) {
  const Letters l = count_letters(text);
  return l.hangul >= 20 && 2 * l.hangul >= l.all;
}

Segmenter Segmenter::learn(const vocab::Counter& eojeol, const SegmenterOptions& options) {
  const Set& set = the_set();
  const std::uint32_t n = static_cast<std::uint32_t>(eojeol.size());
  const std::vector<std::uint64_t> count = eojeol.counts();  // by id, in one pass
  // Candidate stems: every L of an eojeol L + R with R a known suffix.
  vocab::Counter cands(0);
  std::vector<std::uint64_t> known;  // occurrences followed by a known suffix
  std::vector<std::uint32_t> forms;  // distinct eojeol L + R
  std::vector<std::size_t> starts;
  for (std::uint32_t id = 0; id < n; ++id) {
    const std::string_view w = eojeol.word(id);
    if (w.size() < 6 || !hangul_at(w, w.size() - 3)) continue;  // ends in a Hangul syllable
    suffix_starts(w, kMaxSuffixChars, starts);
    for (const std::size_t b : starts) {
      if (set.set.count(w.substr(b)) == 0) continue;
      const std::uint32_t c = cands.add(w.substr(0, b), 0);
      if (c >= known.size()) {
        known.resize(c + 1, 0);
        forms.resize(c + 1, 0);
      }
      known[c] += count[id];
      ++forms[c];
    }
  }
  const std::size_t m = cands.size();
  std::vector<std::uint64_t> alone(m, 0), starts_count(m, 0);
  const int threads = std::max(1, options.threads);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::uint32_t c = 0; c < m; ++c) {
    const std::uint32_t id = eojeol.find(cands.word(c));
    if (id != vocab::Counter::kDead) alone[c] = count[id];
  }
  // How often each candidate starts an eojeol (alone included).
#pragma omp parallel for schedule(dynamic, 4096) num_threads(threads)
  for (std::uint32_t id = 0; id < n; ++id) {
    const std::string_view w = eojeol.word(id);
    std::size_t i = 0;
    while (i < w.size()) {
      std::size_t len = 1;
      decode(w, i, len);
      i += len;
      if (i >= w.size()) break;
      const std::uint32_t c = cands.find(w.substr(0, i));
      if (c != vocab::Counter::kDead) {
#pragma omp atomic
        starts_count[c] += count[id];
      }
    }
  }
  std::vector<char> stem(m, 0);
  Segmenter seg;
  for (std::uint32_t c = 0; c < m; ++c) {
    const std::uint64_t support = alone[c] + known[c];
    const std::uint64_t all = starts_count[c] + alone[c];
    const bool two_forms = forms[c] + (alone[c] > 0 ? 1 : 0) >= 2;
    stem[c] = support >= options.min_support && two_forms &&
              static_cast<double>(support) >= options.min_score * static_cast<double>(all);
    seg.stats_.stems += static_cast<std::uint64_t>(stem[c]);
  }
  seg.stem_bytes_.assign(n, kWhole);
  std::uint64_t split_distinct = 0, split_tokens = 0;
#pragma omp parallel for schedule(dynamic, 4096) num_threads(threads) private(starts) \
    reduction(+ : split_distinct, split_tokens)
  for (std::uint32_t id = 0; id < n; ++id) {
    const std::string_view w = eojeol.word(id);
    if (w.size() < 6 || !hangul_at(w, w.size() - 3)) continue;
    // A stem in its own right stays whole.
    const std::uint32_t self = cands.find(w);
    if (self != vocab::Counter::kDead && stem[self] != 0 &&
        static_cast<double>(known[self]) >= options.whole_ratio * static_cast<double>(alone[self]))
      continue;
    suffix_starts(w, kMaxSuffixChars, starts);
    for (const std::size_t b : starts) {  // shortest stem first
      if (set.set.count(w.substr(b)) == 0) continue;
      const std::uint32_t c = cands.find(w.substr(0, b));
      if (c == vocab::Counter::kDead || stem[c] == 0) continue;
      seg.stem_bytes_[id] = static_cast<std::uint32_t>(b);
      ++split_distinct;
      split_tokens += count[id];
      break;
    }
  }
  seg.stats_.split_distinct = split_distinct;
  seg.stats_.split_tokens = split_tokens;
  return seg;
}

std::pair<std::string_view, std::string_view> split(const Segmenter& seg,
                                                    const vocab::Counter& counter,
                                                    std::uint32_t id) {
  const std::string_view w = counter.word(id);
  const std::uint32_t b = seg.stem_bytes(id);
  if (b == Segmenter::kWhole) return {w, {}};
  return {w.substr(0, b), w.substr(b)};
}

std::optional<Resolved> resolve(std::string_view word,
                                const std::function<bool(std::string_view)>& known) {
  if (word.size() < 6 || !hangul_at(word, word.size() - 3)) return std::nullopt;
  for (const std::string_view r : suffixes()) {
    if (r.size() >= word.size() || word.substr(word.size() - r.size()) != r) continue;
    const std::string_view stem = word.substr(0, word.size() - r.size());
    if (known(stem)) return Resolved{std::string(stem), std::string(r)};
  }
  return std::nullopt;
}

}  // namespace w2v::text::korean
