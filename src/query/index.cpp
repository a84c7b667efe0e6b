#include "query/index.hpp"

#include <cmath>

#include "io/fasttext_format.hpp"

namespace w2v::query {

Index::Index(io::Vectors vectors)
    : words_(std::move(vectors.words)),
      raw_(std::move(vectors.matrix)),
      dim_(raw_.cols()),
      format_(std::move(vectors.format)),
      subwords_(std::move(vectors.subwords)) {
  const std::size_t stride = (dim_ + 15) / 16 * 16;
  unit_ = Matrix(words_.size(), stride == 0 ? 16 : stride);
  norms_.resize(words_.size());
  for (std::size_t r = 0; r < words_.size(); ++r) {
    const float* v = raw_.row(r);
    double ss = 0;
    for (std::size_t d = 0; d < dim_; ++d) ss += static_cast<double>(v[d]) * v[d];
    const double n = std::sqrt(ss);
    norms_[r] = static_cast<float>(n);
    float* u = unit_.row(r);
    if (n > 0) {
      for (std::size_t d = 0; d < dim_; ++d) u[d] = static_cast<float>(v[d] / n);
    }
    if (lookup_.find(words_[r]) == vocab::Counter::kDead) {
      lookup_.add(words_[r]);
      rows_.push_back(static_cast<std::uint32_t>(r));
    }
  }
}

std::uint32_t Index::find(std::string_view word) const {
  const std::uint32_t id = lookup_.find(word);
  return id == vocab::Counter::kDead ? kNone : rows_[id];
}

std::uint32_t Index::compose(std::string_view word, std::size_t& ngrams) const {
  ngrams = 0;
  if (subwords_ == nullptr) return kNone;
  if (const auto it = composed_ids_.find(std::string(word)); it != composed_ids_.end()) {
    ngrams = subwords_->ngrams(word).size();
    return it->second;
  }
  Composed c;
  c.raw.assign(dim_, 0.0f);
  ngrams = subwords_->compose(word, c.raw.data());
  if (ngrams == 0) return kNone;
  c.word = std::string(word);
  c.unit.assign(stride(), 0.0f);
  double ss = 0;
  for (std::size_t d = 0; d < dim_; ++d) ss += static_cast<double>(c.raw[d]) * c.raw[d];
  const double n = std::sqrt(ss);
  c.norm = static_cast<float>(n);
  if (n > 0) {
    for (std::size_t d = 0; d < dim_; ++d) c.unit[d] = static_cast<float>(c.raw[d] / n);
  }
  const auto id = static_cast<std::uint32_t>(words_.size() + composed_.size());
  composed_ids_.emplace(c.word, id);
  composed_.push_back(std::move(c));
  return id;
}

}  // namespace w2v::query
