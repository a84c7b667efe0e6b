// The corpus, read once and encoded as vocabulary ids; every epoch replays it.
//
// Reading, tokenising and counting run in parallel: one thread reads (and decompresses) blocks of
// whole lines, worker threads tokenise them and count each block's words in a table of its own;
// the blocks' tables are merged into one global count strictly in input order, and pruning (the
// max_counter_entries bound) applies to that global count only. At the end the vocabulary is
// built and the blocks are remapped to vocabulary ids in input order, so the result never
// depends on the number of threads. Out-of-vocabulary tokens are dropped (as word2vec.c does); a
// newline ends a sentence; sentences longer than max_sentence tokens are split. In Korean mode the
// global eojeol counts decide the splits (text/korean.hpp), the vocabulary is built over stems,
// suffixes and unsplit eojeol, and each counted eojeol is encoded as one or two ids: still one
// pass over the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/shard.hpp"
#include "io/text_reader.hpp"
#include "text/korean.hpp"
#include "text/tokenizer.hpp"
#include "vocab/counter.hpp"
#include "vocab/vocab.hpp"

namespace w2v::train {

struct Corpus {
  std::vector<std::uint32_t> tokens;         // vocabulary ids, sentences back to back
  std::vector<std::uint64_t> sentence_ends;  // exclusive end offset of each sentence
  std::size_t size() const { return tokens.size(); }
};

struct CorpusOptions {
  text::TokenizerOptions tokenizer;
  vocab::VocabOptions vocab;
  std::size_t max_sentence = 1000;
  // Distinct words the global count may hold before it prunes rare ones (0: no bound); the same
  // for any number of threads.
  std::size_t max_counter_entries = 20'000'000;
  int threads = 1;
  std::string read_vocab;  // if set: vocabulary from this file instead of the counts
  std::size_t block_bytes = std::size_t{1} << 22;
  bool encode = true;     // false: count only (vocabulary pass), keep no token ids
  bool progress = false;  // a progress line on stderr while counting
  // Korean mode (tokenizer.mode kKorean, or kAuto on Hangul-dominant input): how eojeol are split,
  // and whether the particle/ending becomes a token of its own (else it is dropped).
  text::korean::SegmenterOptions korean;
  bool korean_suffix_tokens = true;
};

struct CorpusStats {
  io::ReadStats read;
  text::TokenizerStats tokenizer;
  vocab::PruneStats prune;
  std::uint64_t tokens_read = 0;                              // tokens produced by the tokenizer
  text::TokenizeMode mode = text::TokenizeMode::kWhitespace;  // the mode used (auto resolved)
  double hangul_share = 0;              // Hangul share of the letters of the first block
  text::korean::SegmenterStats korean;  // Korean mode: what the segmentation did
  std::uint64_t units = 0;              // Korean mode: tokens after splitting (stems + suffixes)
  std::uint64_t distinct_units = 0;     // Korean mode: distinct stems, suffixes and whole eojeol
  std::uint64_t distinct_words = 0;     // distinct tokens counted (after pruning)
  std::uint64_t max_count = 0;          // count of the most frequent token
  std::uint64_t tokens_dropped = 0;     // out-of-vocabulary tokens dropped
  std::uint64_t sentences = 0;          // sentences in the encoded corpus
  std::uint64_t sentences_split = 0;    // sentences longer than max_sentence, split
  double seconds = 0;
};

struct LoadedCorpus {
  vocab::Vocab vocab;
  Corpus corpus;
  CorpusStats stats;
};

// The vocabulary chosen for the counted words: vocabulary, and counter id -> vocabulary id (or
// Vocab::kNone). A distributed run merges the ranks' counts here (dist/vocab_merge.hpp).
struct VocabChoice {
  vocab::Vocab vocab;
  std::vector<std::uint32_t> to_vocab;
};
using VocabBuilder = std::function<VocabChoice(const vocab::Counter& counts, CorpusStats& stats)>;

// Reads all inputs once. Throws w2v::Error naming the file on I/O errors, w2v::Interrupted on a
// stop request. Does not judge an empty vocabulary: the caller decides what to say.
LoadedCorpus load_corpus(const std::vector<std::string>& paths, const CorpusOptions& options);
// The same over parts of files (an MPI rank's shard); `build`, if given, replaces the local
// vocabulary rule (min_count / max_vocab / read_vocab).
LoadedCorpus load_corpus(const std::vector<io::InputPart>& parts, const CorpusOptions& options,
                         const VocabBuilder& build = {});

}  // namespace w2v::train
