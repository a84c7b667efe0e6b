#include "query/index.hpp"

#include <algorithm>
#include <cmath>

#include "io/fasttext_format.hpp"
#include "util/matrix.hpp"

namespace w2v::query {

Index::Index(io::Vectors vectors)
    : words_(vectors.words),
      raw_(std::move(vectors.matrix)),
      rows_(vectors.words.size()),
      dim_(raw_.cols()),
      format_(std::move(vectors.format)),
      subwords_(std::move(vectors.subwords)) {
  stride_ = padded_stride(dim_);
  unit_ = Matrix(rows_, stride_);
  norms_.resize(rows_);
  for (std::size_t r = 0; r < rows_; ++r) {
    const float* v = raw_.row(r);
    double ss = 0;
    for (std::size_t d = 0; d < dim_; ++d) ss += static_cast<double>(v[d]) * v[d];
    const double n = std::sqrt(ss);
    norms_[r] = static_cast<float>(n);
    float* u = unit_.row(r);
    if (n > 0) {
      for (std::size_t d = 0; d < dim_; ++d) u[d] = static_cast<float>(v[d] / n);
    }
  }
}

Index::Index(IndexView view, std::size_t limit)
    : words_(std::move(view.words)),
      view_(std::move(view)),
      rows_(limit > 0 ? std::min(limit, view_.rows) : view_.rows),
      dim_(view_.dim),
      stride_(view_.stride),
      format_(view_.format) {
  // Lookups past the limit find nothing: the table is over every row, rows_ bounds it.
  words_ = WordTable(words_.blob(), words_.offsets(), rows_, words_.slots(), words_.slot_count());
}

std::uint32_t Index::find(std::string_view word) const {
  return words_.find(word);
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
  const auto id = static_cast<std::uint32_t>(rows_ + composed_.size());
  composed_ids_.emplace(c.word, id);
  composed_.push_back(std::move(c));
  return id;
}

}  // namespace w2v::query
