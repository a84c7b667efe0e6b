// Random choices of the trainer: negative words from the unigram distribution raised to 0.75
// (Walker's alias method: O(1) per draw, 8 bytes per word instead of word2vec.c's 400 MB table),
// and the keep-probabilities of frequent-word subsampling.
#pragma once

#include <cstdint>
#include <vector>

#include "util/rng.hpp"

namespace w2v::train {

class NegativeSampler {
 public:
  NegativeSampler() = default;
  // counts[i] = corpus count of word i; weight of i = counts[i]^power.
  explicit NegativeSampler(const std::vector<std::uint64_t>& counts, double power = 0.75);
  std::uint32_t sample(Rng& rng) const noexcept { return pick(rng.next()); }
  // sample() in two halves, for drawing ahead: the word that the random number r picks, and a
  // prefetch of the bucket it reads (the table is 8 bytes a word, larger than L2 for a large
  // vocabulary, and each draw reads a uniformly random bucket).
  std::uint32_t pick(std::uint64_t r) const noexcept {
    // High 32 bits pick the bucket, low 32 bits decide between it and its alias.
    const std::uint32_t bucket = bucket_of(r);
    const Bucket& b = buckets_[bucket];
    return static_cast<std::uint32_t>(r) < b.threshold ? bucket : b.alias;
  }
  void prefetch(std::uint64_t r) const noexcept { __builtin_prefetch(&buckets_[bucket_of(r)]); }
  // Probability that sample() returns i (for tests).
  double probability(std::uint32_t i) const;
  std::size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    std::uint32_t threshold;  // keep the bucket if the low 32 random bits are below this
    std::uint32_t alias;
  };
  std::uint32_t bucket_of(std::uint64_t r) const noexcept {
    return static_cast<std::uint32_t>(((r >> 32) * n_) >> 32);
  }
  std::vector<Bucket> buckets_;
  std::uint64_t n_ = 0;
};

// word2vec's subsampling: a word of relative frequency f is kept with probability
// min(1, sqrt(t/f) + t/f). sample <= 0 keeps everything.
class Subsampler {
 public:
  Subsampler() = default;
  Subsampler(const std::vector<std::uint64_t>& counts, double sample);
  bool keep(std::uint32_t word, Rng& rng) const noexcept {
    return keep_[word] == 0xFFFFFFFFu || rng.next32() < keep_[word];
  }
  double keep_probability(std::uint32_t word) const {
    return keep_[word] == 0xFFFFFFFFu ? 1.0 : keep_[word] / 4294967296.0;
  }
  static double formula(double count, double total, double sample);

 private:
  std::vector<std::uint32_t> keep_;  // probability scaled to 2^32; 0xFFFFFFFF = always
};

}  // namespace w2v::train
