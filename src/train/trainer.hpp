// Skip-gram with negative sampling over the encoded corpus, OpenMP threads, Hogwild updates.
#pragma once

#include <cstddef>
#include <cstdint>

#include "train/corpus.hpp"
#include "train/kernels.hpp"
#include "util/matrix.hpp"
#include "vocab/vocab.hpp"

namespace w2v::train {

struct TrainOptions {
  std::size_t dim = 100;
  int window = 5;
  int negative = 5;
  double sample = 1e-3;
  double lr = 0.05;  // measured better than word2vec.c's 0.025 at 1 and 5 epochs (BENCHMARKS.md)
  double min_lr_fraction = 1e-4;  // lr decays linearly to lr * this over all epochs
  int epochs = 5;
  int threads = 1;
  std::uint64_t seed = 1;
  KernelKind kernel = KernelKind::kBatched;
  Isa isa = Isa::kScalar;
  std::size_t max_sentence = 1000;
  bool progress = true;
};

struct TrainStats {
  double seconds = 0;
  std::uint64_t words = 0;  // tokens processed over all epochs
  std::uint64_t kept = 0;   // after subsampling
  std::uint64_t pairs = 0;
  double words_per_second = 0;
  double final_loss = 0;  // average loss per prediction over the last epoch
  double final_lr = 0;
};

struct Model {
  std::size_t dim = 0;
  std::size_t stride = 0;
  Matrix in;   // the word vectors (padded rows)
  Matrix out;  // the output (negative-sampling) vectors
};

// Input rows uniform in [-0.5/dim, 0.5/dim) from a per-row seed (so any thread count gives the
// same initial model); output rows zero. Padding stays zero.
Model init_model(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, int threads);

// Trains `model` in place. Throws w2v::Interrupted when a stop is requested (within about a
// hundred milliseconds).
TrainStats train(Model& model, const vocab::Vocab& vocab, const Corpus& corpus,
                 const TrainOptions& options);

}  // namespace w2v::train
