// `w2v train --checkpoint FILE`, `--resume FILE`, `--stop-after N` and `--init FILE`: the
// command-line side of train/checkpoint.hpp, kept apart from cmd_train.cpp's pipeline.
//
// --resume takes every training option (the list cmd_train gives: dimension, window, model,
// loss, epochs, threads, seed, learning rates, vocabulary and tokenizer options) from the
// checkpoint; one given on the command line with another value is a usage error (exit 2). The
// corpus is given again and must be the one the checkpoint was trained on: its vocabulary
// (words and counts) and its encoded size are compared (exit 1 on a mismatch).
//
// --init FILE (a checkpoint or a vectors file) starts a new run: the vocabulary is the new
// text's words with at least --min-count occurrences plus every word of FILE; words of FILE
// start from its input rows (and, from a checkpoint trained with --loss ns, its output rows
// when this run uses --loss ns too); new words start from fresh random rows; the schedule, the
// random state and the counts of words absent from the new text start afresh.
//
// Character n-grams (--maxn > 0) are kept like the rest: a checkpoint holds the n-gram rows after
// the words' and the n-gram options, so --resume continues the same model. --init from a
// checkpoint with the same --minn, --maxn, --bucket and --jamo carries the n-gram rows too (an
// old word's vector, the mean of its rows, starts where it was); from any other source a word's
// row starts from its vector there (a checkpoint's n-gram words composed first), and the n-gram
// rows start afresh, as fastText's -pretrainedVectors does.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "train/checkpoint.hpp"
#include "train/corpus.hpp"
#include "train/trainer.hpp"
#include "vocab/subwords.hpp"

namespace w2v::app {

// One training option as cmd_train holds it: a text (`text`) or a flag (`flag`).
struct OptionRef {
  const char* name;  // without the leading "--"
  std::string* text = nullptr;
  bool* flag = nullptr;
};

struct InitSource {
  std::string path;
  bool from_checkpoint = false;
  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;  // from a checkpoint; empty from a vectors file
  Matrix in;                          // words.size() (or more) rows, `dim` used columns
  Matrix out;                         // from a checkpoint, else empty
  std::string loss;                   // the checkpoint's --loss
  std::size_t dim = 0;
  // A checkpoint trained with character n-grams: its options; `in` then has the n-gram rows
  // after the words' (bucket of them).
  std::optional<vocab::SubwordOptions> grams;
};

struct CheckpointArgs {
  std::string checkpoint;  // --checkpoint FILE (empty: off)
  std::string resume;      // --resume FILE
  std::string init;        // --init FILE
  std::string stop_after = "0";
  std::vector<OptionRef> options;  // the training options, pointing into cmd_train's arguments
  // Read before the run starts (prepare_checkpoint_args).
  std::shared_ptr<train::Checkpoint> resumed;
  std::shared_ptr<InitSource> init_source;
};

void add_checkpoint_options(CLI::App* sub, CheckpointArgs& a);

// Before the run: with --resume reads the checkpoint and sets `options` from it (usage error if
// one given on `sub`'s command line differs); with --init reads FILE and takes --dim from it
// unless given (a different --dim is a usage error).
void prepare_checkpoint_args(const CLI::App* sub, CheckpointArgs& a,
                             const std::vector<OptionRef>& options);

// Usage checks (exit 2): combinations, and refusal under MPI (the ranks' states are not saved).
void check_checkpoint_args(const CheckpointArgs& a, bool distributed, bool save_init,
                           bool read_vocab);

// The option values to store, `threads` resolved ("all" -> the count used).
train::OptionList option_values(const std::vector<OptionRef>& options, int threads);

// --init: the vocabulary is the new text's words (min-count applied) plus FILE's words.
train::VocabBuilder init_vocab_builder(const InitSource& src, const vocab::VocabOptions& options);

// After the vocabulary: with --resume, checks the corpus is the checkpoint's (exit 1 if not).
void check_resume_corpus(const CheckpointArgs& a, const vocab::Vocab& vocab,
                         const train::Corpus& corpus);

// After init_model: --resume puts the checkpoint's matrices and state in place; --init copies
// the old words' rows (and n-gram rows, see above); --checkpoint / --stop-after set the
// trainer's hooks. `grams` is this run's n-gram options (null: none). Everything named must
// outlive training.
void start_checkpoints(const CheckpointArgs& a, const train::OptionList& options,
                       const std::vector<std::string>& inputs, const std::string& output,
                       const vocab::Vocab& vocab, const train::Corpus& corpus,
                       const vocab::SubwordOptions* grams, bool quiet, train::Model& model,
                       train::TrainOptions& topt);

}  // namespace w2v::app
