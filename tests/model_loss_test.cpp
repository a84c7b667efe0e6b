// Every (model, loss, update rule) on every instruction set against a scalar double-precision
// reference: the update each kernel makes is -lr times the finite-difference gradient of the loss.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gradient_check.hpp"
#include "train/huffman.hpp"
#include "train/kernels.hpp"
#include "util/matrix.hpp"

namespace w2v::train {
namespace {

TEST(Huffman, PathsArePrefixFreeAndTheCostIsOptimal) {
  const std::vector<std::uint64_t> counts{50, 20, 20, 9, 7, 7, 3, 1, 1, 1};
  const HuffmanTree tree(counts);
  const std::size_t n = counts.size();
  ASSERT_EQ(tree.words(), n);
  std::set<std::string> codes;  // '0'/'1' strings
  std::uint64_t cost = 0;
  for (std::uint32_t w = 0; w < n; ++w) {
    const std::size_t d = tree.depth(w);
    ASSERT_GE(d, 1u);
    EXPECT_EQ(tree.points(w)[0], n - 2) << "every path starts at the root row";
    for (std::size_t k = 0; k < d; ++k) EXPECT_LT(tree.points(w)[k], n - 1);
    std::string code;
    for (std::size_t k = 0; k < d; ++k) code += tree.codes(w)[k] != 0 ? '1' : '0';
    codes.insert(code);
    cost += counts[w] * d;
  }
  // Prefix-free: no code is a prefix of another.
  for (const auto& a : codes) {
    for (const auto& b : codes) {
      if (a != b) {
        EXPECT_NE(b.rfind(a, 0), 0u) << a << " is a prefix of " << b;
      }
    }
  }
  // Optimal: the weighted depth equals the sum of the merged weights of any Huffman merge.
  std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<>> q(counts.begin(),
                                                                                   counts.end());
  std::uint64_t best = 0;
  while (q.size() > 1) {
    const auto a = q.top();
    q.pop();
    const auto b = q.top();
    q.pop();
    best += a + b;
    q.push(a + b);
  }
  EXPECT_EQ(cost, best);
  // More frequent words never sit deeper.
  for (std::uint32_t w = 1; w < n; ++w) EXPECT_LE(tree.depth(w - 1), tree.depth(w));
}

TEST(Huffman, OneWordHasNoPath) {
  const HuffmanTree tree(std::vector<std::uint64_t>{7});
  EXPECT_EQ(tree.depth(0), 0u);
}

using testing::supported_isas;

constexpr int kRows = 4;
constexpr int kNeg = 3;
// Sentence 0 1 2 with window 1 (the reach is always 1): windows {1} -> 0, {0, 2} -> 1, {1} -> 2.
const std::vector<std::uint32_t> kSentence{0, 1, 2};
const std::vector<std::vector<std::uint32_t>> kWindows{{1}, {0, 2}, {1}};
// Negative sampling draws only word 3; the tree is built from these counts.
const std::vector<std::uint64_t> kTreeCounts{5, 4, 3, 1};

// The loss of the whole sentence in double precision. With `input_scale`, each CBOW window's
// loss is multiplied by its size m: word2vec.c adds the mean's gradient to every context row
// undivided, so the input rows move by -lr * m * dL/d(row).
double reference_loss(const std::vector<double>& in, const std::vector<double>& out,
                      std::size_t dim, ModelKind model, LossKind loss, const HuffmanTree& tree,
                      bool input_scale) {
  auto predict = [&](const std::vector<double>& h, std::uint32_t centre) {
    return testing::prediction_loss(h, centre, out, dim, loss, tree, kNeg, 3);
  };
  double total = 0;
  for (std::size_t c = 0; c < kSentence.size(); ++c) {
    const auto& window = kWindows[c];
    std::vector<double> h(dim);
    if (model == ModelKind::kSkipGram) {
      for (std::uint32_t x : window) {
        for (std::size_t d = 0; d < dim; ++d) h[d] = in[x * dim + d];
        total += predict(h, kSentence[c]);
      }
    } else {
      for (std::uint32_t x : window) {
        for (std::size_t d = 0; d < dim; ++d) h[d] += in[x * dim + d] / window.size();
      }
      total += predict(h, kSentence[c]) * (input_scale ? window.size() : 1.0);
    }
  }
  return total;
}

// One call of the sentence kernel over kSentence (window 1), the way both tests below train.
KernelCounters train_sentence_once(Isa isa, ModelKind model, LossKind loss, KernelKind kind,
                                   Matrix& in, Matrix& out, std::size_t dim, float lr) {
  const NegativeSampler negatives({0, 0, 0, 1});
  const HuffmanTree tree(kTreeCounts);
  KernelConfig cfg;
  cfg.window = 1;
  cfg.negative = loss == LossKind::kNegative ? kNeg : 0;
  cfg.negatives = &negatives;
  cfg.tree = &tree;
  const std::size_t stride = padded_stride(dim);
  KernelModel km{in.data(), out.data(), dim, stride};
  KernelScratch scratch(stride, cfg.window, cfg.negative, 16);
  KernelCounters counters;
  Rng krng(1);
  sentence_kernel(isa, model, loss, kind)(km, cfg, kSentence.data(), kSentence.size(), lr, krng,
                                          scratch, counters);
  return counters;
}

using Case = std::tuple<Isa, ModelKind, LossKind, KernelKind, std::size_t>;
class ModelLossGradient : public ::testing::TestWithParam<Case> {};

TEST_P(ModelLossGradient, UpdateIsMinusLrTimesTheFiniteDifferenceGradient) {
  const auto [isa, model, loss, kind, dim] = GetParam();
  if (!isa_supported(isa)) GTEST_SKIP() << isa_name(isa) << " not supported on this CPU";
  const std::size_t stride = padded_stride(dim);
  Matrix in(kRows, stride), out(kRows, stride);
  Rng rng(11);
  std::vector<double> in0(kRows * dim), out0(kRows * dim);
  for (int r = 0; r < kRows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      in.row(r)[d] = (rng.uniform() - 0.5f) * 0.6f;
      out.row(r)[d] = (rng.uniform() - 0.5f) * 0.6f;
      in0[r * dim + d] = in.row(r)[d];
      out0[r * dim + d] = out.row(r)[d];
    }
  }
  const HuffmanTree tree(kTreeCounts);
  const float lr = 1e-3f;
  const KernelCounters counters = train_sentence_once(isa, model, loss, kind, in, out, dim, lr);
  EXPECT_EQ(counters.words, 3u);
  EXPECT_EQ(counters.pairs, 4u);
  const double ref = reference_loss(in0, out0, dim, model, loss, tree, false);
  EXPECT_NEAR(counters.loss, ref, 5e-3 * static_cast<double>(counters.loss_terms));

  const std::string what = testing::case_name(isa, model, loss, kind);
  testing::expect_update_is_gradient_step(
      in0, in, kRows, dim, stride, lr,
      [&] { return reference_loss(in0, out0, dim, model, loss, tree, true); }, "input " + what);
  testing::expect_update_is_gradient_step(
      out0, out, kRows, dim, stride, lr,
      [&] { return reference_loss(in0, out0, dim, model, loss, tree, false); }, "output " + what);
}

INSTANTIATE_TEST_SUITE_P(
    AllPairings, ModelLossGradient,
    ::testing::Combine(::testing::Values(Isa::kScalar, Isa::kAvx2, Isa::kAvx512),
                       ::testing::Values(ModelKind::kSkipGram, ModelKind::kCbow),
                       ::testing::Values(LossKind::kNegative, LossKind::kHierarchical),
                       ::testing::Values(KernelKind::kExact, KernelKind::kBatched),
                       ::testing::Values(std::size_t{7}, std::size_t{100})));

// The instruction sets differ only in the order of float additions.
TEST(ModelLoss, AllIsasTrainTheSameSentenceAlike) {
  const std::size_t dim = 100, stride = padded_stride(dim), vocab = 50;
  std::vector<std::uint32_t> sentence;
  Rng r(3);
  for (int i = 0; i < 200; ++i) sentence.push_back(r.below(vocab));
  std::vector<std::uint64_t> counts(vocab);
  for (std::size_t w = 0; w < vocab; ++w) counts[w] = 100 - w;
  const NegativeSampler negatives(counts);
  const HuffmanTree tree(counts);
  for (ModelKind model : {ModelKind::kSkipGram, ModelKind::kCbow}) {
    for (LossKind loss : {LossKind::kNegative, LossKind::kHierarchical}) {
      for (KernelKind kind : {KernelKind::kExact, KernelKind::kBatched}) {
        std::vector<Matrix> results;
        for (Isa isa : supported_isas()) {
          Matrix in(vocab, stride), out(vocab, stride);
          Rng init(5);
          for (std::size_t w = 0; w < vocab; ++w) {
            for (std::size_t d = 0; d < dim; ++d) in.row(w)[d] = (init.uniform() - 0.5f) / dim;
          }
          KernelConfig cfg;
          cfg.negatives = &negatives;
          cfg.tree = &tree;
          KernelModel km{in.data(), out.data(), dim, stride};
          KernelScratch scratch(stride, cfg.window, cfg.negative, 1000);
          KernelCounters c;
          Rng krng(11);
          sentence_kernel(isa, model, loss, kind)(km, cfg, sentence.data(), sentence.size(), 0.025f,
                                                  krng, scratch, c);
          EXPECT_GT(c.pairs, 0u);
          results.push_back(std::move(in));
        }
        for (std::size_t k = 1; k < results.size(); ++k) {
          for (std::size_t w = 0; w < vocab; ++w) {
            for (std::size_t d = 0; d < dim; ++d) {
              ASSERT_NEAR(results[k].row(w)[d], results[0].row(w)[d], 1e-5)
                  << model_name(model) << "/" << loss_name(loss) << " " << kernel_name(kind);
            }
          }
        }
      }
    }
  }
}

// A score beyond word2vec.c's sigmoid table (|f| >= 6): word2vec.c's hierarchical softmax leaves
// that node alone, so the exact rule does too; its negative sampling clips sigma and still steps,
// and the batched rule uses the sigmoid for both losses. Every score here is 7: past word2vec.c's
// table end, inside w2v's (8).
TEST(ModelLoss, OnlyExactHierarchicalSoftmaxSkipsSaturatedScores) {
  const std::size_t dim = 100, stride = padded_stride(dim);
  for (Isa isa : supported_isas()) {
    for (ModelKind model : {ModelKind::kSkipGram, ModelKind::kCbow}) {
      for (LossKind loss : {LossKind::kNegative, LossKind::kHierarchical}) {
        for (KernelKind kind : {KernelKind::kExact, KernelKind::kBatched}) {
          Matrix in(kRows, stride), out(kRows, stride);
          for (int r = 0; r < kRows; ++r) {
            for (std::size_t d = 0; d < dim; ++d) {
              in.row(r)[d] = 1.0f;
              out.row(r)[d] = 0.07f;
            }
          }
          const KernelCounters counters =
              train_sentence_once(isa, model, loss, kind, in, out, dim, 0.025f);
          EXPECT_EQ(counters.pairs, 4u);
          int changed = 0;
          for (int r = 0; r < kRows; ++r) {
            for (std::size_t d = 0; d < dim; ++d) {
              changed += in.row(r)[d] != 1.0f ? 1 : 0;
              changed += out.row(r)[d] != 0.07f ? 1 : 0;
            }
          }
          const std::string what = testing::case_name(isa, model, loss, kind);
          if (loss == LossKind::kHierarchical && kind == KernelKind::kExact) {
            EXPECT_EQ(changed, 0) << what;
          } else {
            EXPECT_GT(changed, 0) << what;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace w2v::train
