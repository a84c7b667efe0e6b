// What the training-kernel tests share: the instruction sets this CPU runs, the double-precision
// loss of one prediction, and the check that a kernel's update is -lr times the loss's gradient
// (central finite differences of a reference loss).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "train/huffman.hpp"
#include "train/kernels.hpp"
#include "util/matrix.hpp"

namespace w2v::train::testing {

inline std::vector<Isa> supported_isas() {
  std::vector<Isa> v{Isa::kScalar};
  if (isa_supported(Isa::kAvx2)) v.push_back(Isa::kAvx2);
  if (isa_supported(Isa::kAvx512)) v.push_back(Isa::kAvx512);
  return v;
}

// The loss of predicting `centre` from the input `h`, with output rows `out` (dim values each):
// negative sampling against `negatives` draws of the one noise row `noise`, or the centre's path
// in `tree` (hierarchical softmax).
inline double prediction_loss(const std::vector<double>& h, std::uint32_t centre,
                              const std::vector<double>& out, std::size_t dim, LossKind loss,
                              const HuffmanTree& tree, int negatives, std::uint32_t noise) {
  const auto nls = [](double x) { return std::log1p(std::exp(-x)); };  // -log sigma(x)
  const auto score = [&](std::uint32_t row) {
    double s = 0;
    for (std::size_t d = 0; d < dim; ++d) s += h[d] * out[row * dim + d];
    return s;
  };
  if (loss == LossKind::kNegative) return nls(score(centre)) + negatives * nls(-score(noise));
  double l = 0;
  for (std::size_t k = 0; k < tree.depth(centre); ++k) {
    const double f = score(tree.points(centre)[k]);
    l += tree.codes(centre)[k] != 0 ? nls(-f) : nls(f);
  }
  return l;
}

// "avx2 sg/ns exact": the case a kernel test names in its failures.
inline std::string case_name(Isa isa, ModelKind model, LossKind loss, KernelKind kind) {
  return std::string(isa_name(isa)) + " " + model_name(model) + "/" + loss_name(loss) + " " +
         kernel_name(kind);
}

// Each of the first `rows` rows of `updated` (a kernel's result from `params`, the parameters
// before it, dim values per row) moved by -lr times the gradient of `loss()`, which reads
// `params`; the padding past dim stayed 0. `what` names the case in a failure.
inline void expect_update_is_gradient_step(std::vector<double>& params, const Matrix& updated,
                                           int rows, std::size_t dim, std::size_t stride, float lr,
                                           const std::function<double()>& loss,
                                           const std::string& what) {
  const double eps = 1e-4;
  for (int r = 0; r < rows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      double& p = params[r * dim + d];
      const double keep = p;
      p = keep + eps;
      const double up = loss();
      p = keep - eps;
      const double down = loss();
      p = keep;
      const double grad = (up - down) / (2 * eps);
      const double step = (updated.row(r)[d] - keep) / lr;
      ASSERT_NEAR(step, -grad, 5e-3 + 1e-2 * std::abs(grad))
          << what << " row " << r << " dim " << d;
    }
    for (std::size_t d = dim; d < stride; ++d) ASSERT_EQ(updated.row(r)[d], 0.0f) << "padding";
  }
}

}  // namespace w2v::train::testing
