// Training checkpoints: everything `w2v train --resume` needs to continue a run exactly where it
// stopped (both matrices, the vocabulary with its counts, the options, the schedule position and
// every thread's random state), and what `--init` reads to start a new run from an old one.
//
// File layout (version 1), little-endian, no padding; str = u32 byte length + bytes:
//
//   magic    8 bytes  "W2VCKPT\n"
//   version  u32      1
//   options  u32 n, then n x (str name, str value)  the run's training options (cmd_train names)
//   vocab    u64 n, then n x (str word, u64 count)  in id order (count descending, then word)
//   corpus   u64 tokens, u64 sentences              the encoded corpus it was trained on
//   state    i32 epoch (0-based, in progress), u32 interrupted (0 | 1), u64 words done,
//            u32 threads, then per thread: u64 rng state, f32 lr, u64 next sentence
//   input    u64 rows, u64 cols, rows x cols f32    row-major, as the model holds them
//   output   u64 rows, u64 cols, rows x cols f32    (negative-sampling words | Huffman nodes)
//   crc      u32      zlib CRC-32 of every byte before it
//
// The matrices are stored generically (rows x cols as they are), so a model whose input matrix
// has more rows than the vocabulary (e.g. subword buckets) fits the same layout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "train/train_state.hpp"
#include "train/trainer.hpp"

namespace w2v::train {

inline constexpr char kCheckpointMagic[8] = {'W', '2', 'V', 'C', 'K', 'P', 'T', '\n'};
inline constexpr std::uint32_t kCheckpointVersion = 1;

using OptionList = std::vector<std::pair<std::string, std::string>>;

struct Checkpoint {
  OptionList options;
  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;
  std::uint64_t corpus_tokens = 0;
  std::uint64_t corpus_sentences = 0;
  TrainState state;
  Model model;  // dim = the matrices' cols; rows padded to padded_stride(dim) in memory

  // The value of option `name`, or `fallback` if the checkpoint does not name it.
  std::string option(std::string_view name, std::string_view fallback = {}) const;
};

// True if the file at `path` starts with the checkpoint magic (false if it cannot be read).
bool is_checkpoint(const std::string& path);

// Writes atomically (temporary file + rename). A first stop request (pending, or arriving during
// the write) does not abandon it: it is held back while the file is written and restored after;
// a further signal during the write abandons it (w2v::Interrupted) and leaves any earlier
// checkpoint at `path`.
void write_checkpoint(const std::string& path, const OptionList& options, const vocab::Vocab& vocab,
                      const Corpus& corpus, const TrainState& state, const Model& model);

// Reads and checks a checkpoint; throws w2v::Error (exit 1) naming the file and what is wrong:
// not a checkpoint, another version, truncated, inconsistent sizes, or a CRC mismatch.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace w2v::train
