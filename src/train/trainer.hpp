// Word2vec training (skip-gram | CBOW, negative sampling | hierarchical softmax) over the
// encoded corpus, OpenMP threads, Hogwild updates.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "train/corpus.hpp"
#include "train/kernels.hpp"
#include "train/train_state.hpp"
#include "util/matrix.hpp"
#include "vocab/subwords.hpp"
#include "vocab/vocab.hpp"

namespace w2v::train {

// What a distributed run adds to training (dist/model_sync.hpp); a plain run has none.
class TrainHooks {
 public:
  virtual ~TrainHooks() = default;
  // Before the training threads start; `words_done` is this process's running count.
  virtual void begin(const std::atomic<std::uint64_t>& words_done) = 0;
  // After they end; `local_stop` is this process's exit code if it was interrupted, else 0.
  // Returns 0, or the exit code of a rank that was interrupted (training stops everywhere).
  virtual int end(int local_stop) = 0;
  virtual std::uint64_t total_words() const = 0;  // all ranks, all epochs
  // Words done by all ranks, estimated from this rank's count between synchronisations.
  virtual std::uint64_t global_done(std::uint64_t local_done) const = 0;
  virtual bool stop_all() const = 0;      // another rank stopped: stop too
  virtual int thread_offset() const = 0;  // this rank's first thread in the job (random seeds)
  virtual int total_threads() const = 0;
};

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
  ModelKind model = ModelKind::kSkipGram;
  LossKind loss = LossKind::kNegative;  // kHierarchical ignores `negative`
  KernelKind kernel = KernelKind::kBatched;
  Isa isa = Isa::kScalar;
  std::size_t max_sentence = 1000;
  bool progress = true;
  TrainHooks* hooks = nullptr;  // distributed training (not owned)
  // Character n-grams (fastText's model; not owned): the model's input matrix holds
  // subwords->nwords + subwords->bucket rows. Null: word rows only.
  const vocab::SubwordTable* subwords = nullptr;
  // Called after each completed epoch (1, 2, ..., epochs) by one thread while the others wait
  // at a barrier, so the model is whole and unchanging during the call (snapshots). Never per
  // token; an exception it throws stops training and is rethrown by train().
  std::function<void(int epoch)> on_epoch;
  // Checkpoints (train/checkpoint.hpp). `resume`: start from this state (one entry per thread,
  // as on_state reported it) instead of the beginning. `on_state`: called like on_epoch, after
  // it, at the end of each epoch, and once more when a stop request ends training early (before
  // train() throws Interrupted). `stop_after` > 0: end normally after that epoch (1-based).
  const TrainState* resume = nullptr;
  std::function<void(const TrainState&)> on_state;
  int stop_after = 0;
};

struct TrainStats {
  double seconds = 0;
  std::uint64_t words = 0;  // tokens processed over all epochs
  std::uint64_t kept = 0;   // after subsampling
  std::uint64_t pairs = 0;
  double words_per_second = 0;
  double final_loss = 0;  // average loss per prediction over the last epoch
  double final_lr = 0;
  int epochs_done = 0;  // < epochs if stop_after ended training early
};

struct Model {
  std::size_t dim = 0;
  std::size_t stride = 0;
  Matrix in;   // the word vectors (padded rows)
  Matrix out;  // the output vectors (negative-sampling words | Huffman tree nodes)
};

// Input rows uniform in [-0.5/dim, 0.5/dim) from a per-row seed (so any thread count gives the
// same initial model); output rows zero. Padding stays zero.
// With bucket_rows, the input matrix has that many n-gram rows after the words', uniform in
// [-1/dim, 1/dim) as fastText initialises them; the output matrix stays vocab_size rows.
Model init_model(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, int threads,
                 std::size_t bucket_rows = 0);

// The word vectors of a subword model as fastText's getWordVector gives them: the mean of each
// word's own row and its n-gram rows. nwords x stride, padding zero.
Matrix word_vectors(const Model& model, const vocab::SubwordTable& subwords, int threads);

// False if any vector holds NaN or infinity (training diverged: far too high a learning rate).
bool all_finite(const Model& model, int threads);

// Trains `model` in place. Throws w2v::Interrupted when a stop is requested (within about a
// hundred milliseconds).
TrainStats train(Model& model, const vocab::Vocab& vocab, const Corpus& corpus,
                 const TrainOptions& options);

}  // namespace w2v::train
