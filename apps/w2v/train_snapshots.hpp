// `w2v train --save-init FILE` and `--snapshots DIR`: the lesson's "before training" vectors and
// the vectors after each epoch, for `w2v plot --before` and `w2v plot --frames`.
//
// --save-init writes the random initial vectors (before any update) like the output: the same
// words in the same order, the format from FILE's extension (.txt / .vec text, else binary)
// unless --format names one. --snapshots writes DIR/epoch-0 (the initial vectors), DIR/epoch-1,
// ... DIR/epoch-N in the output's format (.bin or .txt), each atomically, from a per-epoch
// callback of the trainer (between two barriers: the training threads wait, nothing in the hot
// loop changes, and --threads 1 --seed N stays byte-for-byte deterministic). With character
// n-grams (options.subwords) each word's vector is the mean of its rows, as in the output.
#pragma once

#include <string>
#include <vector>

#include "io/vectors_format.hpp"
#include "train/trainer.hpp"

namespace w2v::app {

struct SnapshotArgs {
  std::string save_init;  // empty: off
  std::string dir;        // empty: off
};

// Checks the options before any work (throws w2v::Error, exit 2 for usage, 1 for I/O); creates
// the snapshot directory.
void check_snapshot_args(const SnapshotArgs& a, bool distributed);

// Writes the initial vectors and sets options.on_epoch. `words` and `model` must outlive training.
// `format_option` is --format's text (may be empty).
void start_snapshots(const SnapshotArgs& a, const std::string& format_option,
                     io::VectorFormat output_format, const std::vector<std::string>& words,
                     const train::Model& model, train::TrainOptions& options);

}  // namespace w2v::app
