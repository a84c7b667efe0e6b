// Small, fast, explicitly seeded random generators. No global state.
#pragma once

#include <cstdint>

namespace w2v {

// SplitMix64: used to derive independent seeds (per thread, per row).
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// xoshiro256+-style generator would be overkill; xorshift64* passes BigCrush's
// relevant tests and costs a multiply. High bits are the good ones: use them.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 1) noexcept : state_(splitmix64(seed) | 1ULL) {}
  std::uint64_t next() noexcept {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  std::uint32_t next32() noexcept { return static_cast<std::uint32_t>(next() >> 32); }
  // Uniform in [0, n) without division (Lemire's multiply-shift; bias < n / 2^32).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next32()) * n) >> 32);
  }
  // Uniform in [0, 1).
  float uniform() noexcept { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

  // The whole state, for checkpoints (train/checkpoint.hpp): restore() continues the sequence.
  std::uint64_t state() const noexcept { return state_; }
  void restore(std::uint64_t state) noexcept { state_ = state; }

 private:
  std::uint64_t state_;
};

}  // namespace w2v
