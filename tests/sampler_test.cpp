#include <gtest/gtest.h>

#include <cmath>

#include "train/sampler.hpp"

namespace w2v::train {
namespace {

TEST(NegativeSampler, FrequenciesFollowCountToThePower075) {
  const std::vector<std::uint64_t> counts{1000, 300, 100, 50, 10, 1, 0, 7};
  NegativeSampler s(counts);
  double z = 0;
  for (auto c : counts) z += std::pow(static_cast<double>(c), 0.75);
  // The table itself is exact...
  for (std::uint32_t i = 0; i < counts.size(); ++i) {
    EXPECT_NEAR(s.probability(i), std::pow(static_cast<double>(counts[i]), 0.75) / z, 1e-6) << i;
  }
  // ...and so are the draws, within sampling error (fixed seed).
  Rng rng(12345);
  std::vector<double> hits(counts.size());
  const int n = 2'000'000;
  for (int k = 0; k < n; ++k) hits[s.sample(rng)] += 1;
  for (std::uint32_t i = 0; i < counts.size(); ++i) {
    const double p = std::pow(static_cast<double>(counts[i]), 0.75) / z;
    const double sd = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(hits[i] / n, p, 5 * sd + 1e-9) << "word " << i;
  }
  EXPECT_EQ(hits[6], 0);  // a zero count is never drawn
}

TEST(NegativeSampler, SingleWord) {
  NegativeSampler s({42});
  Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(s.sample(rng), 0u);
}

TEST(Subsampler, KeepProbabilityIsTheFormula) {
  const std::vector<std::uint64_t> counts{1'000'000, 10'000, 100, 1};
  const double total = 1'010'101;
  const double t = 1e-3;
  Subsampler sub(counts, t);
  for (std::uint32_t i = 0; i < counts.size(); ++i) {
    const double f = counts[i] / total;
    const double expected = std::min(1.0, std::sqrt(t / f) + t / f);
    EXPECT_NEAR(sub.keep_probability(i), expected, 1e-8) << i;
  }
  // Empirically too.
  Rng rng(99);
  int kept = 0;
  const int n = 1'000'000;
  for (int k = 0; k < n; ++k) kept += sub.keep(0, rng) ? 1 : 0;
  const double p = sub.keep_probability(0);
  EXPECT_NEAR(static_cast<double>(kept) / n, p, 5 * std::sqrt(p * (1 - p) / n));
  EXPECT_TRUE(sub.keep(3, rng));
}

TEST(Subsampler, ZeroSampleKeepsEverything) {
  Subsampler sub({100, 1}, 0.0);
  EXPECT_EQ(sub.keep_probability(0), 1.0);
  EXPECT_EQ(Subsampler::formula(5, 10, 0), 1.0);
}

}  // namespace
}  // namespace w2v::train
