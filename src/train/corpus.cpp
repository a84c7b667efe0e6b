#include "train/corpus.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "io/vocab_file.hpp"
#include "train/progress.hpp"
#include "util/error.hpp"
#include "util/spare_pool.hpp"
#include "util/stop.hpp"
#include "util/timer.hpp"

namespace w2v::train {
namespace {

struct Chunk {
  std::uint64_t seq = 0;
  std::vector<std::uint32_t> ids;            // ids of the block's own counter
  std::vector<std::uint32_t> sentence_ends;  // exclusive, relative to this chunk
  std::vector<std::uint32_t> to_global;      // block counter id -> global counter id (or kDead)
  vocab::Counter counts{0};                  // the block's words, until merged
  bool continues = false;                    // its last sentence goes on in the next chunk
};

struct Worker {
  explicit Worker(const CorpusOptions& o) : tokenizer(o.tokenizer) {}
  text::Tokenizer tokenizer;
  std::uint64_t tokens = 0;
  std::vector<std::uint32_t> ids;  // a line's ids when the corpus is not kept
};

// Merges the blocks' counts into one global counter strictly in input order, pruning it from the
// one global bound: the counts (and what pruning drops) depend on the input alone, never on the
// number of threads or on which thread counted which block. One thread merges at a time; the
// others go on tokenising.
class OrderedMerge {
 public:
  OrderedMerge(std::size_t max_entries, bool keep_maps) : global_(max_entries), keep_(keep_maps) {}

  void finished(Chunk* c) {
    std::unique_lock lock(m_);
    ready_.emplace(c->seq, c);
    if (merging_) return;
    merging_ = true;
    for (;;) {
      auto it = ready_.find(next_);
      if (it == ready_.end()) break;
      Chunk* next = it->second;
      ready_.erase(it);
      ++next_;
      lock.unlock();
      merge(*next);
      lock.lock();
    }
    merging_ = false;
  }
  vocab::Counter& global() { return global_; }
  // A cleared block counter that keeps its memory (its table has grown to a block's size once),
  // or a new one.
  vocab::Counter block_counter() {
    std::optional<vocab::Counter> c = spare_.take();
    return c ? std::move(*c) : vocab::Counter(0);
  }
  void drop_block_counters() { spare_.clear(); }

 private:
  void merge(Chunk& c) {
    const vocab::Counter& local = c.counts;
    if (keep_) c.to_global.resize(local.size());
    // Room, at the first block, for 16x its distinct words (Heaps' law: a text 40x longer has
    // ~10x the words): the table is then allocated, and its fresh pages zeroed, about once,
    // instead of growing through every power of two. It still grows past that if it must.
    if (c.seq == 0) {
      std::size_t room = local.size() * 16;
      if (global_.max_entries() != 0) room = std::min(room, global_.max_entries());
      global_.reserve(room);
    }
    global_.add_counts(local, keep_ ? c.to_global.data() : nullptr);
    c.counts.clear();
    spare_.put(std::move(c.counts));  // c.counts is not used again
    if (keep_) merged_.push_back(&c);
    if (global_.needs_prune()) {
      global_.prune(remap_);
      for (Chunk* m : merged_) {
        for (auto& g : m->to_global) g = g == vocab::Counter::kDead ? g : remap_[g];
      }
    }
  }

  std::mutex m_;
  std::map<std::uint64_t, Chunk*> ready_;
  std::uint64_t next_ = 0;
  bool merging_ = false;
  vocab::Counter global_;
  bool keep_;
  std::vector<Chunk*> merged_;
  std::vector<std::uint32_t> remap_;
  SparePool<vocab::Counter> spare_;
};

// A small bounded queue of blocks between the reader and the workers.
class BlockQueue {
 public:
  explicit BlockQueue(std::size_t capacity) : capacity_(capacity), spare_(capacity + 4) {}
  bool push(io::TextBlock&& b, std::uint64_t seq) {
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return q_.size() < capacity_ || closed_; });
    if (closed_) return false;
    q_.emplace_back(seq, std::move(b));
    not_empty_.notify_one();
    return true;
  }
  bool pop(io::TextBlock& b, std::uint64_t& seq) {
    std::unique_lock lock(m_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    seq = q_.front().first;
    b = std::move(q_.front().second);
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  // A worker hands back a block's buffer; the reader fills it again, so the blocks' memory is
  // allocated (and its pages faulted in) once, not once per block.
  void recycle(std::string&& text) { spare_.put(std::move(text)); }
  void drop_spares() { spare_.clear(); }
  std::string spare() { return spare_.take().value_or(std::string()); }
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex m_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::pair<std::uint64_t, io::TextBlock>> q_;
  SparePool<std::string> spare_;
  bool closed_ = false;
};

void encode_block(const io::TextBlock& block, Worker& w, Chunk& chunk, bool encode,
                  std::vector<std::string_view>& tokens) {
  std::string_view text = block.text;
  chunk.continues = block.continues;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    w.tokenizer.split(line, tokens);
    w.tokens += tokens.size();
    if (encode) {
      const std::size_t at = chunk.ids.size();
      chunk.ids.resize(at + tokens.size());
      chunk.counts.add_all(tokens.data(), tokens.size(), chunk.ids.data() + at);
    } else {
      w.ids.resize(tokens.size());
      chunk.counts.add_all(tokens.data(), tokens.size(), w.ids.data());
    }
    if (encode) chunk.sentence_ends.push_back(static_cast<std::uint32_t>(chunk.ids.size()));
  }
  // A block cut inside a line: its last sentence is not finished.
  if (encode && block.continues && !chunk.sentence_ends.empty()) chunk.sentence_ends.pop_back();
}

}  // namespace

LoadedCorpus load_corpus(const std::vector<std::string>& paths, const CorpusOptions& options) {
  io::check_inputs(paths);
  std::vector<io::InputPart> parts;
  parts.reserve(paths.size());
  for (const auto& p : paths) parts.push_back(io::InputPart{p});
  return load_corpus(parts, options);
}

LoadedCorpus load_corpus(const std::vector<io::InputPart>& parts, const CorpusOptions& options,
                         const VocabBuilder& build) {
  Timer timer;
  const int nworkers = std::max(1, options.threads);
  io::TextReader reader(parts, options.block_bytes);
  BlockQueue queue(static_cast<std::size_t>(nworkers) * 2);

  // Auto mode looks at the first block (stdin is read only once, so it is kept, not re-read).
  io::TextBlock first;
  const bool have_first = reader.next(first);
  CorpusOptions opts = options;
  opts.korean.threads = nworkers;
  const double share = have_first ? text::korean::hangul_share(first.text) : 0.0;
  if (opts.tokenizer.mode == text::TokenizeMode::kAuto) {
    opts.tokenizer.mode = have_first && text::korean::is_hangul_dominant(first.text)
                              ? text::TokenizeMode::kKorean
                              : text::TokenizeMode::kWhitespace;
  }
  const bool korean = opts.tokenizer.mode == text::TokenizeMode::kKorean;

  std::vector<Worker> workers;
  workers.reserve(static_cast<std::size_t>(nworkers));
  for (int i = 0; i < nworkers; ++i) workers.emplace_back(opts);
  std::deque<Chunk> chunks;  // stable addresses
  std::mutex chunks_mutex;
  std::atomic<std::uint64_t> tokens_seen{0};  // for the progress line only
  OrderedMerge merge(options.max_counter_entries, options.encode);
  std::exception_ptr error;
  std::mutex error_mutex;
  auto fail = [&](const std::exception_ptr& e) {
    std::lock_guard lock(error_mutex);
    if (!error) error = e;
    queue.close();
  };

  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(nworkers));
  for (int wi = 0; wi < nworkers; ++wi) {
    threads.emplace_back([&, wi] {
      try {
        Worker& w = workers[static_cast<std::size_t>(wi)];
        io::TextBlock block;
        std::uint64_t seq = 0;
        std::vector<std::string_view> tokens;
        while (queue.pop(block, seq)) {
          Chunk* chunk;
          {
            std::lock_guard lock(chunks_mutex);
            chunk = &chunks.emplace_back();
          }
          chunk->seq = seq;
          chunk->counts = merge.block_counter();
          const std::uint64_t before = w.tokens;
          encode_block(block, w, *chunk, options.encode, tokens);
          queue.recycle(std::move(block.text));
          block.text = std::string();
          tokens_seen.fetch_add(w.tokens - before, std::memory_order_relaxed);
          merge.finished(chunk);
          if (stop_requested() != 0) throw_if_stopped();
        }
      } catch (...) {
        fail(std::current_exception());
      }
    });
  }
  ProgressPrinter progress(options.progress);
  const std::uint64_t total_bytes = options.progress ? io::total_bytes(parts) : 0;
  try {
    io::TextBlock block;
    std::uint64_t seq = 0;
    const bool open = !have_first || queue.push(std::move(first), seq++);
    while (open && reader.next(block)) {
      if (!queue.push(std::move(block), seq++)) break;
      block = io::TextBlock{};
      block.text = queue.spare();
      if (stop_requested() != 0) throw_if_stopped();
      if (progress.due()) {
        progress.draw(
            format_count_line({reader.raw_bytes(), total_bytes,
                               tokens_seen.load(std::memory_order_relaxed), progress.seconds()},
                              progress.width()));
      }
    }
  } catch (...) {
    fail(std::current_exception());
  }
  queue.close();
  for (auto& t : threads) t.join();
  progress.finish();
  merge.drop_block_counters();
  queue.drop_spares();  // freed before the corpus is assembled: not part of the peak
  if (error) std::rethrow_exception(error);

  spdlog::debug("corpus: read + tokenise + count {:.3f} s", timer.seconds());
  LoadedCorpus out;
  CorpusStats& st = out.stats;
  st.read = reader.stats();
  st.mode = opts.tokenizer.mode;
  st.hangul_share = share;

  for (const auto& w : workers) {
    st.tokenizer.merge(w.tokenizer.stats());
    st.tokens_read += w.tokens;
  }
  const vocab::Counter& all = merge.global();
  st.prune = all.prune_stats();
  st.distinct_words = all.size();
  for (const std::uint64_t c : all.counts()) st.max_count = std::max(st.max_count, c);

  spdlog::debug("corpus: merged counts {:.3f} s", timer.seconds());

  // Korean mode: the splits are learned from the merged counts (so they do not depend on the
  // number of threads); the vocabulary is counted over the units the eojeol split into.
  vocab::Counter units(0);
  std::vector<std::uint32_t> unit_stem, unit_suffix;
  if (korean) {
    const text::korean::Segmenter seg = text::korean::Segmenter::learn(all, opts.korean);
    st.korean = seg.stats();
    unit_stem.resize(all.size());
    unit_suffix.assign(all.size(), vocab::Counter::kDead);
    const std::vector<std::uint64_t> all_counts = all.counts();
    for (std::uint32_t id = 0; id < all.size(); ++id) {
      const auto [stem, suffix] = text::korean::split(seg, all, id);
      const std::uint64_t c = all_counts[id];
      unit_stem[id] = units.add(stem, c);
      st.units += c;
      if (!suffix.empty() && opts.korean_suffix_tokens) {
        unit_suffix[id] = units.add(suffix, c);
        st.units += c;
      }
    }
    st.distinct_units = units.size();
    spdlog::debug("corpus: Korean segmentation learned {:.3f} s", timer.seconds());
  }
  const vocab::Counter& source = korean ? units : all;

  std::vector<std::uint32_t> to_vocab;
  if (build) {
    VocabChoice choice = build(source, st);
    out.vocab = std::move(choice.vocab);
    to_vocab = std::move(choice.to_vocab);
  } else if (options.read_vocab.empty()) {
    out.vocab = vocab::Vocab::build(source, options.vocab, &to_vocab);
  } else {
    out.vocab = io::read_vocab_file(options.read_vocab, options.vocab);
    to_vocab.assign(source.size(), vocab::Vocab::kNone);
    for (std::uint32_t id = 0; id < source.size(); ++id)
      to_vocab[id] = out.vocab.find(source.word(id));
  }
  if (korean) st.distinct_words = all.size();
  // Counted eojeol id -> its second vocabulary id (the suffix), kAbsent if it has none.
  constexpr std::uint32_t kAbsent = 0xFFFFFFFEu;
  std::vector<std::uint32_t> second;
  if (korean) {
    second.assign(all.size(), kAbsent);
    std::vector<std::uint32_t> stem_vocab(all.size());
    for (std::uint32_t id = 0; id < all.size(); ++id) {
      stem_vocab[id] = to_vocab[unit_stem[id]];
      if (unit_suffix[id] != vocab::Counter::kDead) second[id] = to_vocab[unit_suffix[id]];
    }
    to_vocab = std::move(stem_vocab);
    units = vocab::Counter(0);
  }
  spdlog::debug("corpus: vocabulary built {:.3f} s", timer.seconds());
  if (!options.encode) {
    st.seconds = timer.seconds();
    return out;
  }

  // The counting tables are not needed any more: free them before the corpus is assembled, so
  // they do not add to the peak memory.
  merge.global() = vocab::Counter(0);
  malloc_trim(0);

  // Remap every chunk to vocabulary ids, in input order; drop OOV tokens; split long sentences.
  std::vector<Chunk*> ordered;
  ordered.reserve(chunks.size());
  std::uint64_t total = 0;
  for (auto& c : chunks) {
    ordered.push_back(&c);
    total += c.ids.size();
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Chunk* a, const Chunk* b) { return a->seq < b->seq; });
  Corpus& corpus = out.corpus;
  // An upper bound, OOV tokens being dropped (Korean: about one suffix per two eojeol).
  corpus.tokens.reserve(korean ? total + total / 2 : total);
  std::uint64_t sentence_start = 0;
  auto end_sentence = [&] {
    const std::uint64_t end = corpus.tokens.size();
    if (end == sentence_start) return;
    if (end - sentence_start > options.max_sentence) {
      ++st.sentences_split;
      for (std::uint64_t s = sentence_start + options.max_sentence; s < end;
           s += options.max_sentence) {
        corpus.sentence_ends.push_back(s);
      }
    }
    corpus.sentence_ends.push_back(end);
    sentence_start = end;
  };
  for (Chunk* c : ordered) {
    const auto& map_c = c->to_global;
    std::size_t next_end = 0;
    for (std::size_t i = 0; i < c->ids.size(); ++i) {
      while (next_end < c->sentence_ends.size() && c->sentence_ends[next_end] == i) {
        end_sentence();
        ++next_end;
      }
      std::uint32_t id = map_c[c->ids[i]];
      std::uint32_t id2 = kAbsent;
      if (id != vocab::Counter::kDead) {
        if (korean) id2 = second[id];
        id = to_vocab[id];
      } else {
        id = vocab::Vocab::kNone;
      }
      if (id == vocab::Vocab::kNone) {
        ++st.tokens_dropped;
      } else {
        corpus.tokens.push_back(id);
      }
      if (id2 == vocab::Vocab::kNone) {
        ++st.tokens_dropped;
      } else if (id2 != kAbsent) {
        corpus.tokens.push_back(id2);
      }
    }
    while (next_end < c->sentence_ends.size()) {
      end_sentence();
      ++next_end;
    }
    std::vector<std::uint32_t>().swap(c->ids);
    std::vector<std::uint32_t>().swap(c->sentence_ends);
    std::vector<std::uint32_t>().swap(c->to_global);
  }
  end_sentence();
  st.sentences = corpus.sentence_ends.size();
  chunks.clear();
  malloc_trim(0);
  st.seconds = timer.seconds();
  return out;
}

}  // namespace w2v::train
