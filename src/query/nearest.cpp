#include "query/nearest.hpp"

#include <cmath>
#include <cstring>

#include "util/matrix.hpp"

namespace w2v::query {

void combine_unit_vectors(const Index& index, const std::vector<std::uint32_t>& ids,
                          const std::vector<float>& weights, float* out) {
  const std::size_t stride = index.stride();
  std::memset(out, 0, stride * sizeof(float));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float* u = index.unit(ids[i]);
    const float w = weights[i];
    for (std::size_t d = 0; d < stride; ++d) out[d] += w * u[d];
  }
  double ss = 0;
  for (std::size_t d = 0; d < stride; ++d) ss += static_cast<double>(out[d]) * out[d];
  if (ss > 0) {
    const auto inv = static_cast<float>(1.0 / std::sqrt(ss));
    for (std::size_t d = 0; d < stride; ++d) out[d] *= inv;
  }
}

std::vector<Neighbours> nearest(const Index& index,
                                const std::vector<std::vector<std::uint32_t>>& queries,
                                const SearchOptions& options) {
  Matrix targets(queries.size(), index.stride());
  std::vector<float> weights;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    weights.assign(queries[q].size(), 1.0f);
    combine_unit_vectors(index, queries[q], weights, targets.row(q));
  }
  return search(index, targets.data(), queries.size(), Combine::kCosine, queries, options);
}

}  // namespace w2v::query
