// The training step, compiled once per instruction set and chosen at run time.
//
// A step is three parts (train_impl.hpp): a context builder (skip-gram | CBOW) turns each
// position of a sentence into input vectors and the rows their gradients go back to; a loss
// (negative sampling | hierarchical softmax) names the output rows to score against and their
// labels; an update rule (exact: word2vec.c's sequential updates | batched: one snapshot per
// window) computes the gradients and scatters them. kernels_scalar.cpp (any x86-64),
// kernels_avx2.cpp (AVX2 + FMA) and kernels_avx512.cpp (AVX-512F) compile train_impl.hpp;
// sentence_kernel() hands out one function per (model, loss, rule) for the chosen instruction
// set, picked once per run, so the hot loop has no virtual call. Matrices have a padded row
// stride (a multiple of 16 floats, padding kept at zero), so kernels never need a tail loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "train/huffman.hpp"
#include "train/sampler.hpp"
#include "util/isa.hpp"
#include "util/matrix.hpp"
#include "util/rng.hpp"

namespace w2v::train {

using w2v::best_isa;
using w2v::Isa;  // the program's one instruction-set choice (util/isa.hpp)
using w2v::isa_name;
using w2v::isa_supported;
enum class KernelKind { kExact, kBatched };
enum class ModelKind { kSkipGram, kCbow };
enum class LossKind { kNegative, kHierarchical };

KernelKind parse_kernel(const std::string& name);  // "exact" | "batched"; exit 2 otherwise
const char* kernel_name(KernelKind k);
ModelKind parse_model(const std::string& name);  // "sg" | "cbow"; exit 2 otherwise
const char* model_name(ModelKind m);
LossKind parse_loss(const std::string& name);  // "ns" | "hs"; exit 2 otherwise
const char* loss_name(LossKind l);

struct KernelModel {
  float* in = nullptr;   // input vectors (the word vectors), rows x stride
  float* out = nullptr;  // output vectors (negative-sampling words | tree nodes), rows x stride
  std::size_t dim = 0;
  std::size_t stride = 0;
  // Subwords (vocab/subwords.hpp): word w's input rows are sub_rows[sub_offsets[w] ..
  // sub_offsets[w + 1]) (its own row, then its n-gram rows); null for word-only models.
  const std::uint32_t* sub_offsets = nullptr;
  const std::uint32_t* sub_rows = nullptr;
};

struct KernelConfig {
  int window = 5;
  int negative = 5;                            // negative sampling
  const NegativeSampler* negatives = nullptr;  // negative sampling
  const HuffmanTree* tree = nullptr;           // hierarchical softmax
  const Subsampler* subsample = nullptr;
};

// Per-thread scratch, allocated once before training.
struct KernelScratch {
  // subwords: also the per-position arrays of the batched rule's subword builders.
  KernelScratch(std::size_t stride, int window, int negative, std::size_t max_sentence,
                bool subwords = false);
  ~KernelScratch();
  KernelScratch(const KernelScratch&) = delete;
  KernelScratch& operator=(const KernelScratch&) = delete;
  float* grad = nullptr;    // (2 * window + 1) x stride: input-gradient rows
  float* hidden = nullptr;  // (2 * window + 1) x stride: means of input rows (CBOW, subwords)
  static constexpr std::size_t kPad = 16;  // floats past scores and labels: one widest vector
  float* scores = nullptr;                 // (2 * window + 1) x max_targets, + kPad
  std::uint32_t* kept = nullptr;           // the sentence after subsampling
  std::uint32_t* targets = nullptr;  // 2 x max_targets: output rows (current and next centre's)
  float** out_rows = nullptr;        // max_targets: where the batched rule reads each target
  std::uint64_t* draws = nullptr;    // max_targets: the random numbers of the negatives two
                                     // centres ahead (batched rule; their buckets prefetched)
  // Hierarchical softmax, batched rule: the kHotNodes tree nodes nearest the root are on every
  // word's path, so every window of every thread writes them, and the threads' cores would
  // trade their cache lines all the time. Each thread works on its own copies of them during a
  // sentence (hot_local, from hot_base = the shared rows when first used) and adds its change to
  // the shared rows at the end of the sentence (Hogwild, as for any row).
  static constexpr std::size_t kHotNodes = 64;
  float* hot_local = nullptr;          // kHotNodes x stride
  float* hot_base = nullptr;           // kHotNodes x stride
  std::uint8_t* hot_used = nullptr;    // kHotNodes flags: copied in this sentence
  float* labels = nullptr;             // max_targets + kPad
  std::uint32_t* contexts = nullptr;   // 2 * window + 1 word ids
  const float** inputs = nullptr;      // 2 * window + 1 input vectors
  std::uint32_t* positions = nullptr;  // 2 * window + 1: the sentence position of each context
  // Subwords, batched rule (max_sentence x stride each): per kept position the mean of its
  // rows and the gradient gathered for them; sub_count its number of rows, 0 until computed.
  float* sub_mean = nullptr;
  float* sub_grad = nullptr;
  std::uint32_t* sub_count = nullptr;
  std::size_t max_sentence = 0;
  std::size_t max_targets = 0;  // max(negative + 1, HuffmanTree::kMaxDepth)
};

struct KernelCounters {
  std::uint64_t words = 0;  // tokens consumed (before subsampling)
  std::uint64_t kept = 0;   // tokens kept by subsampling
  std::uint64_t pairs = 0;  // (centre, context) pairs trained (CBOW: contexts averaged)
  double loss = 0;          // summed negative log-likelihood
  std::uint64_t loss_terms = 0;
};

// Trains one sentence (tokens[0..n), n <= scratch.max_sentence) with learning rate lr.
using SentenceFn = void (*)(const KernelModel&, const KernelConfig&, const std::uint32_t* tokens,
                            std::size_t n, float lr, Rng& rng, KernelScratch& scratch,
                            KernelCounters& counters);

// subwords: each input word is the mean of its rows in KernelModel::sub_rows (fastText's model).
SentenceFn sentence_kernel(Isa isa, ModelKind model, LossKind loss, KernelKind kind,
                           bool subwords = false);

// Vector primitives, exposed for tests (n a multiple of kStrideFloats, 64-byte aligned).
using DotFn = float (*)(const float* a, const float* b, std::size_t n);
using AxpyFn = void (*)(float alpha, const float* x, float* y, std::size_t n);
DotFn dot_kernel(Isa isa);
AxpyFn axpy_kernel(Isa isa);

// sigma(x) and -log(sigma(x)) as the kernels compute them (table, clamped at |x| >= 8).
float table_sigmoid(float x);
float table_neg_log_sigmoid(float x);

}  // namespace w2v::train
