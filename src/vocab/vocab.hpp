// The training vocabulary: words sorted by count descending, then by word (bytewise), so ids are
// deterministic; id = frequency rank.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/counter.hpp"

namespace w2v::vocab {

struct VocabOptions {
  std::uint64_t min_count = 5;
  std::size_t max_vocab = 0;  // 0: no limit
};

class Vocab {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  Vocab() = default;
  // Keeps the words of `counter` with count >= min_count, the max_vocab most frequent.
  // If `mapping` is given, mapping[counter id] = vocab id or kNone.
  static Vocab build(const Counter& counter, const VocabOptions& options,
                     std::vector<std::uint32_t>* mapping = nullptr);
  // From (word, count) pairs (e.g. a vocabulary file): sorted and filtered the same way.
  static Vocab from_counts(std::vector<std::pair<std::string, std::uint64_t>> words,
                           const VocabOptions& options);

  std::size_t size() const { return words_.size(); }
  bool empty() const { return words_.empty(); }
  const std::string& word(std::uint32_t id) const { return words_[id]; }
  std::uint64_t count(std::uint32_t id) const { return counts_[id]; }
  const std::vector<std::string>& words() const { return words_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  std::uint64_t total_count() const { return total_; }
  // Id of `word` or kNone.
  std::uint32_t find(std::string_view word) const;

 private:
  void index();
  std::vector<std::string> words_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  Counter lookup_;  // word -> id
};

}  // namespace w2v::vocab
