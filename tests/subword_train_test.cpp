// Character n-grams (vocab/subwords.*) and the subword context builders (train_impl.hpp) on
// every instruction set against a scalar double-precision reference: each kernel's update is -lr
// times the finite-difference gradient of the loss, with the input gradient going undivided to
// each of a word's rows (fastText's skip-gram and CBOW).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "gradient_check.hpp"
#include "io/fasttext_format.hpp"
#include "train/huffman.hpp"
#include "train/kernels.hpp"
#include "train/trainer.hpp"
#include "util/matrix.hpp"
#include "vocab/subwords.hpp"

namespace w2v::train {
namespace {

TEST(Subwords, NgramsOfAWordAsFastTextCountsThem) {
  std::vector<std::int32_t> ids;
  // "<where>": 7 characters, n-grams of 3..6: 5 + 4 + 3 + 2.
  vocab::ngram_buckets("where", 3, 6, 2000000, ids);
  EXPECT_EQ(ids.size(), 14u);
  // The first is "<wh", FNV-1a of its bytes.
  std::uint32_t h = 2166136261u;
  for (const char c : std::string("<wh")) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  EXPECT_EQ(ids[0], static_cast<std::int32_t>(h % 2000000));
  // Two-byte characters count as one; "</s>" has none.
  ids.clear();
  vocab::ngram_buckets("\xC3\xA9t\xC3\xA9", 3, 3, 100, ids);  // "<été>": 5 characters
  EXPECT_EQ(ids.size(), 3u);
  ids.clear();
  vocab::ngram_buckets("</s>", 3, 6, 100, ids);
  EXPECT_TRUE(ids.empty());
}

TEST(Subwords, TableRowsAreTheWordThenItsBuckets) {
  const std::vector<std::string> words{"the", "of", "</s>"};
  vocab::SubwordOptions o;
  o.bucket = 1000;
  const vocab::SubwordTable t = vocab::build_subwords(words, o, 2);
  ASSERT_EQ(t.offsets.size(), 4u);
  for (std::size_t w = 0; w < words.size(); ++w) {
    std::vector<std::int32_t> ids;
    vocab::ngram_buckets(words[w], 3, 6, 1000, ids);
    ASSERT_EQ(t.offsets[w + 1] - t.offsets[w], ids.size() + 1) << words[w];
    EXPECT_EQ(t.rows[t.offsets[w]], w);
    for (std::size_t k = 0; k < ids.size(); ++k) {
      EXPECT_EQ(t.rows[t.offsets[w] + 1 + k], 3u + static_cast<std::uint32_t>(ids[k]));
    }
  }
  // The same ids as the fastText reader gives for a word outside its dictionary.
  const io::fasttext::Subwords reader(3, 6, 1000, -1, {}, Matrix(1000, 4));
  const auto ids = reader.ngrams("the");
  ASSERT_EQ(ids.size() + 1, t.offsets[1] - t.offsets[0]);
  for (std::size_t k = 0; k < ids.size(); ++k)
    EXPECT_EQ(t.rows[1 + k], 3u + static_cast<std::uint32_t>(ids[k]));
}

TEST(Subwords, JamoDecomposition) {
  // 한 (U+D55C) = ᄒ U+1112 + ᅡ U+1161 + ᆫ U+11AB; 가 (U+AC00) has no final; 'a' stays.
  EXPECT_EQ(vocab::to_jamo("\xED\x95\x9C"), "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB");
  EXPECT_EQ(vocab::to_jamo("\xEA\xB0\x80"
                           "a"),
            "\xE1\x84\x80\xE1\x85\xA1"
            "a");
  vocab::SubwordOptions o;
  o.jamo = true;
  o.minn = 1;
  o.maxn = 1;
  // 한: three jamo, three 1-grams (and no lone boundary).
  const vocab::SubwordTable t = vocab::build_subwords({"\xED\x95\x9C"}, o, 1);
  EXPECT_EQ(t.offsets[1] - t.offsets[0], 4u);
}

// Words 0..3 (word 3 only a negative), n-gram rows 4..6, shared between words.
constexpr int kWords = 4, kRows = 7, kNeg = 3;
const std::vector<std::uint32_t> kOffsets{0, 3, 6, 8, 10};
const std::vector<std::uint32_t> kSubRows{0, 4, 5, 1, 5, 6, 2, 4, 3, 6};
const std::vector<std::uint32_t> kSentence{0, 1, 2};
const std::vector<std::vector<std::uint32_t>> kWindows{{1}, {0, 2}, {1}};  // window 1
const std::vector<std::uint64_t> kTreeCounts{5, 4, 3, 1};

// The sentence's loss in double precision. With input_scale, each prediction's loss is
// multiplied by the number of rows its input averages: the rows move by -lr * n * dL/d(row).
double reference_loss(const std::vector<double>& in, const std::vector<double>& out,
                      std::size_t dim, ModelKind model, LossKind loss, const HuffmanTree& tree,
                      bool input_scale) {
  auto predict = [&](const std::vector<double>& h, std::uint32_t centre) {
    return testing::prediction_loss(h, centre, out, dim, loss, tree, kNeg, 3);
  };
  double total = 0;
  for (std::size_t c = 0; c < kSentence.size(); ++c) {
    std::vector<double> h(dim, 0.0);
    std::size_t n = 0;
    for (std::uint32_t x : kWindows[c]) {
      if (model == ModelKind::kSkipGram) {
        std::fill(h.begin(), h.end(), 0.0);
        n = 0;
      }
      for (std::uint32_t k = kOffsets[x]; k < kOffsets[x + 1]; ++k, ++n) {
        for (std::size_t d = 0; d < dim; ++d) h[d] += in[kSubRows[k] * dim + d];
      }
      if (model == ModelKind::kSkipGram) {
        for (double& v : h) v /= static_cast<double>(n);
        total += predict(h, kSentence[c]) * (input_scale ? static_cast<double>(n) : 1.0);
      }
    }
    if (model == ModelKind::kCbow) {
      for (double& v : h) v /= static_cast<double>(n);
      total += predict(h, kSentence[c]) * (input_scale ? static_cast<double>(n) : 1.0);
    }
  }
  return total;
}

using Case = std::tuple<Isa, ModelKind, LossKind, KernelKind, std::size_t>;
class SubwordGradient : public ::testing::TestWithParam<Case> {};

TEST_P(SubwordGradient, UpdateIsMinusLrTimesTheFiniteDifferenceGradient) {
  const auto [isa, model, loss, kind, dim] = GetParam();
  if (!isa_supported(isa)) GTEST_SKIP() << isa_name(isa) << " not supported on this CPU";
  const std::size_t stride = padded_stride(dim);
  Matrix in(kRows, stride), out(kWords, stride);
  Rng rng(13);
  std::vector<double> in0(kRows * dim), out0(kWords * dim);
  for (int r = 0; r < kRows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      in.row(r)[d] = (rng.uniform() - 0.5f) * 0.6f;
      in0[r * dim + d] = in.row(r)[d];
      if (r < kWords) {
        out.row(r)[d] = (rng.uniform() - 0.5f) * 0.6f;
        out0[r * dim + d] = out.row(r)[d];
      }
    }
  }
  const NegativeSampler negatives({0, 0, 0, 1});
  const HuffmanTree tree(kTreeCounts);
  KernelConfig cfg;
  cfg.window = 1;
  cfg.negative = loss == LossKind::kNegative ? kNeg : 0;
  cfg.negatives = &negatives;
  cfg.tree = &tree;
  KernelModel km{in.data(), out.data(), dim, stride, kOffsets.data(), kSubRows.data()};
  KernelScratch scratch(stride, cfg.window, cfg.negative, 16, true);
  KernelCounters counters;
  const float lr = 1e-3f;
  Rng krng(1);
  sentence_kernel(isa, model, loss, kind, true)(km, cfg, kSentence.data(), kSentence.size(), lr,
                                                krng, scratch, counters);
  EXPECT_EQ(counters.pairs, 4u);
  const double ref = reference_loss(in0, out0, dim, model, loss, tree, false);
  EXPECT_NEAR(counters.loss, ref, 5e-3 * static_cast<double>(counters.loss_terms));

  const std::string what = testing::case_name(isa, model, loss, kind);
  testing::expect_update_is_gradient_step(
      in0, in, kRows, dim, stride, lr,
      [&] { return reference_loss(in0, out0, dim, model, loss, tree, true); }, "input " + what);
  testing::expect_update_is_gradient_step(
      out0, out, kWords, dim, stride, lr,
      [&] { return reference_loss(in0, out0, dim, model, loss, tree, false); }, "output " + what);
}

INSTANTIATE_TEST_SUITE_P(
    AllPairings, SubwordGradient,
    ::testing::Combine(::testing::Values(Isa::kScalar, Isa::kAvx2, Isa::kAvx512),
                       ::testing::Values(ModelKind::kSkipGram, ModelKind::kCbow),
                       ::testing::Values(LossKind::kNegative, LossKind::kHierarchical),
                       ::testing::Values(KernelKind::kExact, KernelKind::kBatched),
                       ::testing::Values(std::size_t{7}, std::size_t{100})));

// A long sentence (positions retire while others are still in windows, words repeat): every
// row moves, and the instruction sets differ only in the order of float additions.
TEST(SubwordTrain, AllIsasTrainTheSameSentenceAlike) {
  const std::size_t dim = 100, stride = padded_stride(dim), vocab = 30, buckets = 40;
  std::vector<std::uint32_t> sentence;
  Rng r(3);
  for (int i = 0; i < 300; ++i) sentence.push_back(r.below(vocab));
  std::vector<std::uint32_t> offsets{0}, rows;
  for (std::uint32_t w = 0; w < vocab; ++w) {
    rows.push_back(w);
    for (std::uint32_t g = 0; g < 1 + w % 5; ++g) rows.push_back(vocab + r.below(buckets));
    offsets.push_back(static_cast<std::uint32_t>(rows.size()));
  }
  std::vector<std::uint64_t> counts(vocab);
  for (std::size_t w = 0; w < vocab; ++w) counts[w] = 100 - w;
  const NegativeSampler negatives(counts);
  const HuffmanTree tree(counts);
  const std::vector<Isa> isas = testing::supported_isas();
  for (ModelKind model : {ModelKind::kSkipGram, ModelKind::kCbow}) {
    for (LossKind loss : {LossKind::kNegative, LossKind::kHierarchical}) {
      for (KernelKind kind : {KernelKind::kExact, KernelKind::kBatched}) {
        std::vector<Matrix> results;
        for (Isa isa : isas) {
          Matrix in(vocab + buckets, stride), out(vocab, stride);
          Rng init(5);
          for (std::size_t w = 0; w < vocab + buckets; ++w) {
            for (std::size_t d = 0; d < dim; ++d) in.row(w)[d] = (init.uniform() - 0.5f) / dim;
          }
          KernelConfig cfg;
          cfg.negatives = &negatives;
          cfg.tree = &tree;
          KernelModel km{in.data(), out.data(), dim, stride, offsets.data(), rows.data()};
          KernelScratch scratch(stride, cfg.window, cfg.negative, 1000, true);
          KernelCounters c;
          Rng krng(11);
          sentence_kernel(isa, model, loss, kind, true)(km, cfg, sentence.data(), sentence.size(),
                                                        0.025f, krng, scratch, c);
          EXPECT_GT(c.pairs, 0u);
          results.push_back(std::move(in));
        }
        double moved = 0;
        Rng init(5);
        for (std::size_t w = 0; w < vocab + buckets; ++w) {
          for (std::size_t d = 0; d < dim; ++d) {
            moved += std::fabs(results[0].row(w)[d] - (init.uniform() - 0.5f) / dim);
          }
        }
        EXPECT_GT(moved, 1e-3) << "every row trained";
        for (std::size_t k = 1; k < results.size(); ++k) {
          for (std::size_t w = 0; w < vocab + buckets; ++w) {
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

TEST(SubwordTrain, WordVectorsAreTheMeanOfTheirRowsAndBucketsStartUniform) {
  const std::vector<std::string> words{"alpha", "beta"};
  vocab::SubwordOptions o;
  o.bucket = 50;
  const vocab::SubwordTable t = vocab::build_subwords(words, o, 1);
  const Model m = init_model(words.size(), 10, 3, 1, o.bucket);
  ASSERT_EQ(m.in.rows(), 52u);
  ASSERT_EQ(m.out.rows(), 2u);
  float lo = 1, hi = -1;
  for (std::size_t r = 2; r < 52; ++r) {
    for (std::size_t d = 0; d < 10; ++d) {
      lo = std::min(lo, m.in.row(r)[d]);
      hi = std::max(hi, m.in.row(r)[d]);
    }
  }
  EXPECT_GE(lo, -0.1f);
  EXPECT_LT(hi, 0.1f);
  EXPECT_GT(hi - lo, 0.15f);  // the whole range [-1/dim, 1/dim) is used
  const Matrix v = word_vectors(m, t, 1);
  for (std::size_t w = 0; w < words.size(); ++w) {
    for (std::size_t d = 0; d < 10; ++d) {
      double s = 0;
      for (std::uint32_t k = t.offsets[w]; k < t.offsets[w + 1]; ++k) s += m.in.row(t.rows[k])[d];
      EXPECT_NEAR(v.row(w)[d], s / (t.offsets[w + 1] - t.offsets[w]), 1e-6);
    }
  }
  EXPECT_TRUE(all_finite(m, 1));
}

}  // namespace
}  // namespace w2v::train
