// One vocabulary for all ranks from the counts of their shards.
#pragma once

#include <cstdint>
#include <vector>

#include "dist/world.hpp"
#include "vocab/counter.hpp"
#include "vocab/vocab.hpp"

namespace w2v::dist {

struct MergedVocab {
  vocab::Vocab vocab;
  std::vector<std::uint32_t> to_vocab;  // local counter id -> vocabulary id or Vocab::kNone
  std::uint64_t distinct_words = 0;     // over all ranks
  std::uint64_t max_count = 0;
  std::uint64_t bytes_sent = 0;  // by this rank
};

// Each word's counts go to one owner rank (by a hash of the word), which sums them and keeps the
// words with count >= min_count; every rank then gathers those and builds the vocabulary
// (max_vocab applied last). The result is identical on every rank and equals Vocab::build over
// the counts of the whole input. Collective.
MergedVocab merge_vocab(const World& world, const vocab::Counter& local,
                        const vocab::VocabOptions& options);

}  // namespace w2v::dist
