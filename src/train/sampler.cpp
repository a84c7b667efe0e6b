#include "train/sampler.hpp"

#include <cmath>
#include <numeric>

namespace w2v::train {

NegativeSampler::NegativeSampler(const std::vector<std::uint64_t>& counts, double power) {
  const std::size_t n = counts.size();
  n_ = n;
  buckets_.assign(n, Bucket{0xFFFFFFFFu, 0});
  if (n == 0) return;
  std::vector<double> p(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += p[i] = std::pow(static_cast<double>(counts[i]), power);
  for (auto& x : p) x = x * static_cast<double>(n) / sum;  // mean 1
  // Vose's alias method.
  std::vector<std::uint32_t> small, large;
  for (std::uint32_t i = 0; i < n; ++i) (p[i] < 1.0 ? small : large).push_back(i);
  std::vector<double> prob(n, 1.0);
  std::vector<std::uint32_t> alias(n);
  std::iota(alias.begin(), alias.end(), 0u);
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    prob[s] = p[s];
    alias[s] = l;
    p[l] = (p[l] + p[s]) - 1.0;
    if (p[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double t = prob[i] * 4294967296.0;
    buckets_[i].threshold = t >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(t);
    buckets_[i].alias = alias[i];
    // A full bucket must never pick its alias: the low 32 bits can be 0xFFFFFFFF.
    if (prob[i] >= 1.0) buckets_[i].alias = static_cast<std::uint32_t>(i);
  }
}

double NegativeSampler::probability(std::uint32_t i) const {
  // The bucket index uses floor(r32 * n / 2^32): each bucket gets (almost exactly) 1/n.
  const double per_bucket = 1.0 / static_cast<double>(n_);
  double p = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    const double keep = buckets_[b].threshold / 4294967296.0;
    if (b == i) p += per_bucket * keep;
    if (buckets_[b].alias == i) p += per_bucket * (1.0 - keep);
  }
  return p;
}

double Subsampler::formula(double count, double total, double sample) {
  if (sample <= 0 || count <= 0) return 1.0;
  const double r = sample * total / count;  // t / f
  return std::min(1.0, std::sqrt(r) + r);
}

Subsampler::Subsampler(const std::vector<std::uint64_t>& counts, double sample) {
  const double total =
      std::accumulate(counts.begin(), counts.end(), 0.0,
                      [](double a, std::uint64_t c) { return a + static_cast<double>(c); });
  keep_.resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double p = formula(static_cast<double>(counts[i]), total, sample);
    keep_[i] = p >= 1.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(p * 4294967296.0);
  }
}

}  // namespace w2v::train
