#include "query/index.hpp"

#include <cmath>

namespace w2v::query {

Index::Index(io::Vectors vectors)
    : words_(std::move(vectors.words)),
      raw_(std::move(vectors.matrix)),
      dim_(raw_.cols()),
      format_(std::move(vectors.format)) {
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

}  // namespace w2v::query
