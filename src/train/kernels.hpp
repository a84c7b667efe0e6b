// The SGNS update, compiled once per instruction set and chosen at run time.
//
// kernels_scalar.cpp (any x86-64), kernels_avx2.cpp (AVX2 + FMA) and kernels_avx512.cpp
// (AVX-512F) all compile sgns_impl.hpp; dispatch picks the best the CPU supports, so the default
// build runs everywhere and is fast where the CPU allows. Matrices have a padded row stride (a
// multiple of 16 floats, padding kept at zero), so kernels never need a tail loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "train/sampler.hpp"
#include "util/rng.hpp"

namespace w2v::train {

enum class Isa { kScalar, kAvx2, kAvx512 };
enum class KernelKind { kExact, kBatched };

Isa best_isa();  // what this CPU supports (W2V_ISA=scalar|avx2|avx512 caps it)
const char* isa_name(Isa isa);
bool isa_supported(Isa isa);
KernelKind parse_kernel(const std::string& name);  // "exact" | "batched"; exit 2 otherwise
const char* kernel_name(KernelKind k);

constexpr std::size_t kStrideFloats = 16;
constexpr std::size_t padded_stride(std::size_t dim) {
  return (dim + kStrideFloats - 1) / kStrideFloats * kStrideFloats;
}

struct SgnsModel {
  float* in = nullptr;   // input vectors (the word vectors), rows x stride
  float* out = nullptr;  // output vectors (negative sampling weights), rows x stride
  std::size_t dim = 0;
  std::size_t stride = 0;
};

struct SgnsConfig {
  int window = 5;
  int negative = 5;
  KernelKind kernel = KernelKind::kBatched;
  const NegativeSampler* negatives = nullptr;
  const Subsampler* subsample = nullptr;
};

// Per-thread scratch, allocated once before training.
struct SgnsScratch {
  SgnsScratch(std::size_t stride, int window, int negative, std::size_t max_sentence);
  ~SgnsScratch();
  SgnsScratch(const SgnsScratch&) = delete;
  SgnsScratch& operator=(const SgnsScratch&) = delete;
  float* grad = nullptr;          // (2 * window) x stride: input-gradient rows (and one for exact)
  float* scores = nullptr;        // (2 * window) x (negative + 1)
  std::uint32_t* kept = nullptr;  // the sentence after subsampling
  std::uint32_t* targets = nullptr;  // centre word + negatives
  std::uint32_t* contexts = nullptr;
  std::size_t max_sentence = 0;
};

struct SgnsCounters {
  std::uint64_t words = 0;  // tokens consumed (before subsampling)
  std::uint64_t kept = 0;   // tokens kept by subsampling
  std::uint64_t pairs = 0;  // (centre, context) pairs trained
  double loss = 0;          // summed negative log-likelihood
  std::uint64_t loss_terms = 0;
};

// Trains one sentence (tokens[0..n), n <= scratch.max_sentence) with learning rate lr.
using SentenceFn = void (*)(const SgnsModel&, const SgnsConfig&, const std::uint32_t* tokens,
                            std::size_t n, float lr, Rng& rng, SgnsScratch& scratch,
                            SgnsCounters& counters);

SentenceFn sentence_kernel(Isa isa, KernelKind kind);

// Vector primitives, exposed for tests (n a multiple of kStrideFloats, 64-byte aligned).
using DotFn = float (*)(const float* a, const float* b, std::size_t n);
using AxpyFn = void (*)(float alpha, const float* x, float* y, std::size_t n);
DotFn dot_kernel(Isa isa);
AxpyFn axpy_kernel(Isa isa);

// sigma(x) and -log(sigma(x)) as the kernels compute them (table, clamped at |x| >= 8).
float table_sigmoid(float x);
float table_neg_log_sigmoid(float x);

}  // namespace w2v::train
