#include "eval/eval_vocab.hpp"

#include <algorithm>

#include "text/korean.hpp"

namespace w2v::eval {

EvalVocab::EvalVocab(const std::vector<std::string>& words, std::size_t restrict, CaseFold fold)
    : fold_(fold) {
  const std::size_t n = restrict == 0 ? words.size() : std::min(restrict, words.size());
  canon_.resize(n);
  next_.assign(n, kNone);
  std::vector<std::uint32_t> last(n, kNone);  // canonical row -> last variant seen so far
  map_.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto row = static_cast<std::uint32_t>(r);
    auto [it, inserted] = map_.try_emplace(fold_case(words[r], fold), row);
    const std::uint32_t c = it->second;
    canon_[r] = c;
    if (!inserted) {
      next_[last[c]] = row;
    }
    last[c] = row;
  }
}

std::uint32_t EvalVocab::find_folded(const std::string& key) const {
  const auto it = map_.find(key);
  return it == map_.end() ? kNone : it->second;
}

std::uint32_t EvalVocab::lookup(std::string_view word, bool stems, Route& route) const {
  std::uint32_t row = lookup(word);
  route = Route::kVocabulary;
  if (row == kNone && stems) {
    const auto known = [&](std::string_view s) { return lookup(s) != kNone; };
    if (const auto r = text::korean::resolve(word, known)) {
      row = lookup(r->stem);
      route = Route::kStem;
    }
  }
  if (row == kNone) route = Route::kMissing;
  return row;
}

}  // namespace w2v::eval
