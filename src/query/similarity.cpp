#include "query/similarity.hpp"

namespace w2v::query {

float similarity(const Index& index, std::uint32_t a, std::uint32_t b) {
  const float* x = index.unit(a);
  const float* y = index.unit(b);
  double s = 0;
  for (std::size_t d = 0; d < index.dim(); ++d) s += static_cast<double>(x[d]) * y[d];
  return static_cast<float>(s);
}

}  // namespace w2v::query
