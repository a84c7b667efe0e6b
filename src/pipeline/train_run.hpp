// The whole of `w2v train` below its options: read the corpus (each MPI rank its own part),
// build the vocabulary (merged across ranks), set up the model (with character n-grams), train
// (with the ranks' model synchronisation), check the result, and hand it over to be written.
//
// One entry point, run_training(). MPI reaches it through one communicator, the dist::World
// passed in (one rank alone by default, whose collectives do nothing), and nowhere else: the
// caller makes no collective call. What the command line adds — printing, checkpoints,
// snapshots, the output files — it adds through TrainRunHooks, called at fixed points:
//
//   check_files          before reading                  every rank, in a step all take together
//   vocab_builder        before reading                  every rank (--init's rule, or none)
//   corpus_read          after reading and merging       every rank, global figures
//   write_vocab_only     --vocab-only instead of training  every rank, in a step all take
//   model_ready          the model initialised           every rank (rows may be replaced,
//                                                         training callbacks set)
//   training_starts      just before training            every rank
//   stopped              TrainOptions::stop_after ended it early (nothing written)  every rank
//   write                after the last epoch            rank 0 only, in a step all take
//   finished             the run's figures, summed       every rank
//
// "In a step all take" (World::together): a throw on one rank stops every rank with its message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dist/model_sync.hpp"
#include "dist/world.hpp"
#include "train/corpus.hpp"
#include "train/trainer.hpp"
#include "vocab/subwords.hpp"

namespace w2v::pipeline {

struct TrainRunConfig {
  std::vector<std::string> inputs;  // files, "-" for stdin (not under MPI)
  train::CorpusOptions corpus;
  train::TrainOptions train;  // subwords and hooks are set by the run
  std::string read_vocab;     // --read-vocab FILE: train on its words only (empty: off)
  std::optional<vocab::SubwordOptions> grams;  // character n-grams (none: word rows only)
  dist::SyncOptions sync;                      // between MPI ranks
  bool vocab_only = false;                     // count and stop (write_vocab_only)
};

// What corpus_read reports beside the corpus: over all ranks.
struct ReadSummary {
  std::uint64_t corpus_tokens = 0;          // in-vocabulary tokens to train on
  std::uint64_t vocab_bytes_exchanged = 0;  // merging the ranks' counts (0 in one process)
  int ranks = 1;
};

// What training_starts reports.
struct TrainingSetup {
  const train::TrainOptions* options = nullptr;
  const train::Model* model = nullptr;
  const vocab::SubwordTable* subwords = nullptr;  // null without n-grams
  int ranks = 1;
  std::vector<int> empty_ranks;  // ranks with no text to train on
};

// What finished reports: the training figures summed over the ranks.
struct RunSummary {
  train::TrainStats train;
  int total_threads = 1;                  // over all ranks
  const dist::SyncStats* sync = nullptr;  // null in one process
};

class TrainRunHooks {
 public:
  virtual ~TrainRunHooks() = default;
  virtual void check_files() {}
  virtual train::VocabBuilder vocab_builder() { return {}; }
  virtual void corpus_read(const train::LoadedCorpus& /*data*/, const ReadSummary& /*summary*/) {}
  virtual void write_vocab_only(const vocab::Vocab& /*vocab*/) {}
  virtual void model_ready(train::Model& /*model*/, const train::LoadedCorpus& /*data*/,
                           train::TrainOptions& /*options*/) {}
  virtual void training_starts(const TrainingSetup& /*setup*/) {}
  virtual void stopped(const train::TrainStats& /*stats*/, int /*epochs*/) {}
  // `words`: each word's vector (with n-grams the mean of its rows; else the model's input rows).
  virtual void write(const train::Model& /*model*/, const vocab::Vocab& /*vocab*/,
                     const Matrix& /*words*/) {}
  virtual void finished(const RunSummary& /*summary*/) {}
};

enum class RunEnd {
  kVocabOnly,  // --vocab-only: counted, nothing trained
  kStopped,    // TrainOptions::stop_after ended it before the last epoch (nothing written)
  kWritten,    // trained and written
};

// Throws w2v::Error (dist::GlobalError under MPI, the same on every rank) with the documented
// exit codes: usage (2) for what cannot run across ranks, input (1) for empty or unusable text,
// a diverged model, or what a hook threw.
RunEnd run_training(const TrainRunConfig& config, const dist::World& world, TrainRunHooks& hooks);

}  // namespace w2v::pipeline
