#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gradient_check.hpp"
#include "train/kernels.hpp"
#include "util/matrix.hpp"

namespace w2v::train {
namespace {

using testing::supported_isas;

TEST(Kernels, DotAndAxpyMatchScalarReference) {
  for (std::size_t n : {16u, 32u, 112u, 304u}) {
    Matrix m(3, n);
    Rng rng(n);
    for (std::size_t i = 0; i < n; ++i) {
      m.row(0)[i] = rng.uniform() - 0.5f;
      m.row(1)[i] = rng.uniform() - 0.5f;
    }
    double ref = 0;
    for (std::size_t i = 0; i < n; ++i) ref += static_cast<double>(m.row(0)[i]) * m.row(1)[i];
    for (Isa isa : supported_isas()) {
      EXPECT_NEAR(dot_kernel(isa)(m.row(0), m.row(1), n), ref, 1e-5) << isa_name(isa) << " n=" << n;
      std::copy(m.row(1), m.row(1) + n, m.row(2));
      axpy_kernel(isa)(0.75f, m.row(0), m.row(2), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_NEAR(m.row(2)[i], m.row(1)[i] + 0.75f * m.row(0)[i], 1e-6) << isa_name(isa);
      }
    }
  }
}

TEST(Kernels, SigmoidTableIsAccurate) {
  for (float x = -10; x <= 10; x += 0.01f) {
    EXPECT_NEAR(table_sigmoid(x), 1 / (1 + std::exp(-x)), 2e-3) << x;
    EXPECT_NEAR(table_neg_log_sigmoid(x), std::log1p(std::exp(-x)), 5e-3) << x;
  }
}

// The SGNS loss of sentence [0, 1] with window 1 and `neg` negatives that are always word 2:
// pairs (centre 0, context 1) and (centre 1, context 0).
double sgns_loss(const std::vector<double>& in, const std::vector<double>& out, std::size_t dim,
                 int neg) {
  auto dotd = [&](const std::vector<double>& a, int ra, const std::vector<double>& b, int rb) {
    double s = 0;
    for (std::size_t d = 0; d < dim; ++d) s += a[ra * dim + d] * b[rb * dim + d];
    return s;
  };
  auto nls = [](double x) { return std::log1p(std::exp(-x)); };  // -log sigma(x)
  double loss = 0;
  for (auto [centre, context] : {std::pair{0, 1}, std::pair{1, 0}}) {
    loss += nls(dotd(in, context, out, centre));
    loss += neg * nls(-dotd(in, context, out, 2));
  }
  return loss;
}

class SgnsGradient : public ::testing::TestWithParam<std::tuple<Isa, KernelKind, std::size_t>> {};

TEST_P(SgnsGradient, UpdateIsMinusLrTimesTheFiniteDifferenceGradient) {
  const auto [isa, kind, dim] = GetParam();
  if (!isa_supported(isa)) GTEST_SKIP() << isa_name(isa) << " not supported on this CPU";
  const int neg = 3;
  const std::size_t stride = padded_stride(dim);
  Matrix in(3, stride), out(3, stride);
  Rng rng(7);
  std::vector<double> in0(3 * dim), out0(3 * dim);
  for (int r = 0; r < 3; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      in.row(r)[d] = static_cast<float>(in0[r * dim + d] = (rng.uniform() - 0.5) * 0.6);
      out.row(r)[d] = static_cast<float>(out0[r * dim + d] = (rng.uniform() - 0.5) * 0.6);
    }
  }
  // Keep the float copies exact in the double reference.
  for (int r = 0; r < 3; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      in0[r * dim + d] = in.row(r)[d];
      out0[r * dim + d] = out.row(r)[d];
    }
  }
  NegativeSampler negatives({0, 0, 1});
  KernelConfig cfg;
  cfg.window = 1;
  cfg.negative = neg;
  cfg.negatives = &negatives;
  KernelModel model{in.data(), out.data(), dim, stride};
  KernelScratch scratch(stride, cfg.window, cfg.negative, 16);
  KernelCounters counters;
  const std::uint32_t sentence[] = {0, 1};
  const float lr = 1e-3f;
  Rng krng(1);
  sentence_kernel(isa, ModelKind::kSkipGram, LossKind::kNegative, kind)(model, cfg, sentence, 2, lr,
                                                                        krng, scratch, counters);
  EXPECT_EQ(counters.words, 2u);
  EXPECT_EQ(counters.pairs, 2u);
  EXPECT_NEAR(counters.loss / static_cast<double>(counters.loss_terms),
              sgns_loss(in0, out0, dim, neg) / (2 * (neg + 1)), 1e-2);

  const double eps = 1e-4;
  auto check = [&](std::vector<double>& params, Matrix& updated, const char* name) {
    for (int r = 0; r < 3; ++r) {
      for (std::size_t d = 0; d < dim; ++d) {
        double& p = params[r * dim + d];
        const double keep = p;
        p = keep + eps;
        const double up = sgns_loss(in0, out0, dim, neg);
        p = keep - eps;
        const double down = sgns_loss(in0, out0, dim, neg);
        p = keep;
        const double grad = (up - down) / (2 * eps);
        const double step = (updated.row(r)[d] - keep) / lr;
        ASSERT_NEAR(step, -grad, 5e-3 + 1e-2 * std::abs(grad))
            << name << " row " << r << " dim " << d << " " << isa_name(isa) << " "
            << kernel_name(kind);
      }
      for (std::size_t d = dim; d < stride; ++d) ASSERT_EQ(updated.row(r)[d], 0.0f) << "padding";
    }
  };
  check(in0, in, "input");
  check(out0, out, "output");
}

INSTANTIATE_TEST_SUITE_P(
    AllKernels, SgnsGradient,
    ::testing::Combine(::testing::Values(Isa::kScalar, Isa::kAvx2, Isa::kAvx512),
                       ::testing::Values(KernelKind::kExact, KernelKind::kBatched),
                       ::testing::Values(std::size_t{7}, std::size_t{100}, std::size_t{300})));

TEST(Kernels, AllIsasTrainTheSameSentenceAlike) {
  const std::size_t dim = 100, stride = padded_stride(dim), vocab = 50;
  std::vector<std::uint32_t> sentence;
  Rng r(3);
  for (int i = 0; i < 200; ++i) sentence.push_back(r.below(vocab));
  std::vector<std::uint64_t> counts(vocab, 10);
  NegativeSampler negatives(counts);
  std::vector<Matrix> results;
  for (Isa isa : supported_isas()) {
    Matrix in(vocab, stride), out(vocab, stride);
    Rng init(5);
    for (std::size_t w = 0; w < vocab; ++w) {
      for (std::size_t d = 0; d < dim; ++d) in.row(w)[d] = (init.uniform() - 0.5f) / dim;
    }
    KernelConfig cfg;
    cfg.negatives = &negatives;
    KernelModel model{in.data(), out.data(), dim, stride};
    KernelScratch scratch(stride, cfg.window, cfg.negative, 1000);
    KernelCounters c;
    Rng krng(11);
    sentence_kernel(isa, ModelKind::kSkipGram, LossKind::kNegative, KernelKind::kBatched)(
        model, cfg, sentence.data(), sentence.size(), 0.025f, krng, scratch, c);
    results.push_back(std::move(in));
  }
  for (std::size_t k = 1; k < results.size(); ++k) {
    for (std::size_t w = 0; w < vocab; ++w) {
      for (std::size_t d = 0; d < dim; ++d) {
        ASSERT_NEAR(results[k].row(w)[d], results[0].row(w)[d], 1e-5);
      }
    }
  }
}

}  // namespace
}  // namespace w2v::train
