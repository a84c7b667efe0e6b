#include "dist/vocab_merge.hpp"

#include <cstring>
#include <string>
#include <string_view>

namespace w2v::dist {
namespace {

// FNV-1a: the same owner on every machine, whatever the standard library.
std::uint64_t owner_hash(std::string_view w) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : w) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

void put(std::string& out, std::string_view word, std::uint64_t count) {
  const auto n = static_cast<std::uint32_t>(word.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(word);
  out.append(reinterpret_cast<const char*>(&count), sizeof count);
}

template <typename F>
void for_each_entry(const std::string& in, F f) {
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::uint32_t n = 0;
    std::memcpy(&n, in.data() + pos, sizeof n);
    pos += sizeof n;
    const std::string_view word(in.data() + pos, n);
    pos += n;
    std::uint64_t count = 0;
    std::memcpy(&count, in.data() + pos, sizeof count);
    pos += sizeof count;
    f(word, count);
  }
}

}  // namespace

MergedVocab merge_vocab(const World& world, const vocab::Counter& local,
                        const vocab::VocabOptions& options) {
  MergedVocab out;
  const auto ranks = static_cast<std::size_t>(world.size());
  std::vector<std::string> send(ranks);
  const std::vector<std::uint64_t> local_counts = local.counts();
  for (std::uint32_t id = 0; id < local.size(); ++id) {
    const std::string_view w = local.word(id);
    put(send[owner_hash(w) % ranks], w, local_counts[id]);
  }
  for (std::size_t r = 0; r < ranks; ++r) {
    if (r != static_cast<std::size_t>(world.rank())) out.bytes_sent += send[r].size();
  }
  const std::vector<std::string> received = world.alltoall(send);
  send.clear();
  send.shrink_to_fit();

  // This rank owns these words: sum their counts.
  vocab::Counter owned(0);
  for (const auto& part : received) {
    for_each_entry(part, [&](std::string_view w, std::uint64_t c) { owned.add(w, c); });
  }
  std::uint64_t stats[2] = {owned.size(), 0};
  std::string kept;
  const std::vector<std::uint64_t> owned_counts = owned.counts();
  for (std::uint32_t id = 0; id < owned.size(); ++id) {
    stats[1] = std::max(stats[1], owned_counts[id]);
    if (owned_counts[id] >= options.min_count) put(kept, owned.word(id), owned_counts[id]);
  }
  owned = vocab::Counter(0);
  world.allreduce_sum(&stats[0], 1);
  world.allreduce_max(&stats[1], 1);
  out.distinct_words = stats[0];
  out.max_count = stats[1];

  out.bytes_sent += kept.size() * (ranks - 1);
  const std::vector<std::string> all = world.allgather(kept);
  std::vector<std::pair<std::string, std::uint64_t>> words;
  for (const auto& part : all) {
    for_each_entry(part, [&](std::string_view w, std::uint64_t c) { words.emplace_back(w, c); });
  }
  out.vocab = vocab::Vocab::from_counts(std::move(words), options);
  out.to_vocab.resize(local.size());
  for (std::uint32_t id = 0; id < local.size(); ++id)
    out.to_vocab[id] = out.vocab.find(local.word(id));
  return out;
}

}  // namespace w2v::dist
