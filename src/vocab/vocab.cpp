#include "vocab/vocab.hpp"

#include <algorithm>

namespace w2v::vocab {

namespace {
// The first 8 bytes of a word as a big-endian number (zero-padded): comparing two of them orders
// the words as their bytes do, as far as those bytes go.
std::uint64_t prefix_key(std::string_view w) {
  std::uint64_t k = 0;
  const std::size_t n = std::min<std::size_t>(w.size(), 8);
  for (std::size_t i = 0; i < n; ++i)
    k |= static_cast<std::uint64_t>(static_cast<unsigned char>(w[i])) << (56 - 8 * i);
  return k;
}

template <typename CountOf, typename WordOf>
std::vector<std::uint32_t> ranked(std::size_t n, CountOf count_of, WordOf word_of,
                                  const VocabOptions& options) {
  // The sort compares plain numbers in one array: the count, then (for the many ties among rare
  // words) the word's first 8 bytes; only words that agree on both are compared in full.
  struct Ranked {
    std::uint64_t count;
    std::uint64_t prefix;
    std::uint32_t id;
  };
  std::vector<Ranked> kept;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint64_t c = count_of(i);
    if (c >= options.min_count) kept.push_back(Ranked{c, prefix_key(word_of(i)), i});
  }
  std::sort(kept.begin(), kept.end(), [&](const Ranked& a, const Ranked& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return word_of(a.id) < word_of(b.id);
  });
  if (options.max_vocab != 0 && kept.size() > options.max_vocab) kept.resize(options.max_vocab);
  std::vector<std::uint32_t> order(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) order[i] = kept[i].id;
  return order;
}
}  // namespace

void Vocab::index() {
  lookup_ = Counter(0);
  lookup_.reserve(words_.size());
  const std::vector<std::string_view> views(words_.begin(), words_.end());
  std::vector<std::uint32_t> ids(views.size());
  lookup_.add_all(views.data(), views.size(), ids.data());
  total_ = 0;
  for (const std::uint64_t c : counts_) total_ += c;
}

Vocab Vocab::build(const Counter& counter, const VocabOptions& options,
                   std::vector<std::uint32_t>* mapping) {
  const std::vector<std::uint64_t> counts = counter.counts();
  const auto order = ranked(
      counter.size(), [&](std::uint32_t i) { return counts[i]; },
      [&](std::uint32_t i) { return counter.word(i); }, options);
  Vocab v;
  v.words_.reserve(order.size());
  v.counts_.reserve(order.size());
  if (mapping != nullptr) mapping->assign(counter.size(), kNone);
  for (std::uint32_t id = 0; id < order.size(); ++id) {
    v.words_.emplace_back(counter.word(order[id]));
    v.counts_.push_back(counts[order[id]]);
    if (mapping != nullptr) (*mapping)[order[id]] = id;
  }
  v.index();
  return v;
}

Vocab Vocab::from_counts(std::vector<std::pair<std::string, std::uint64_t>> words,
                         const VocabOptions& options) {
  const auto order = ranked(
      words.size(), [&](std::uint32_t i) { return words[i].second; },
      [&](std::uint32_t i) { return std::string_view(words[i].first); }, options);
  Vocab v;
  for (auto i : order) {
    v.words_.push_back(std::move(words[i].first));
    v.counts_.push_back(words[i].second);
  }
  v.index();
  return v;
}

std::uint32_t Vocab::find(std::string_view word) const {
  const std::uint32_t id = lookup_.find(word);
  return id == Counter::kDead ? kNone : id;
}

}  // namespace w2v::vocab
