#include "train/trainer.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "train/progress.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"
#include "util/stop.hpp"

namespace w2v::train {

Model init_model(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, int threads,
                 std::size_t bucket_rows) {
  Model m;
  m.dim = dim;
  m.stride = padded_stride(dim);
  m.in = Matrix(vocab_size + bucket_rows, m.stride);
  m.out = Matrix(vocab_size, m.stride);
  const float scale = 1.0f / static_cast<float>(dim);
  const auto rows = static_cast<std::int64_t>(vocab_size);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t r = 0; r < rows; ++r) {
    Rng rng(splitmix64(seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(r)));
    float* row = m.in.row(static_cast<std::size_t>(r));
    for (std::size_t d = 0; d < dim; ++d) row[d] = (rng.uniform() - 0.5f) * scale;
  }
  const auto buckets = static_cast<std::int64_t>(bucket_rows);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t b = 0; b < buckets; ++b) {
    const std::size_t r = vocab_size + static_cast<std::size_t>(b);
    Rng rng(splitmix64(seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(r)));
    float* row = m.in.row(r);
    for (std::size_t d = 0; d < dim; ++d) row[d] = (rng.uniform() - 0.5f) * 2.0f * scale;
  }
  return m;
}

Matrix word_vectors(const Model& model, const vocab::SubwordTable& subwords, int threads) {
  Matrix v(subwords.nwords, model.stride);
  const auto n = static_cast<std::int64_t>(subwords.nwords);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t w = 0; w < n; ++w) {
    float* out = v.row(static_cast<std::size_t>(w));
    const std::uint32_t b = subwords.offsets[static_cast<std::size_t>(w)];
    const std::uint32_t e = subwords.offsets[static_cast<std::size_t>(w) + 1];
    for (std::uint32_t k = b; k < e; ++k) {
      const float* r = model.in.row(subwords.rows[k]);
      for (std::size_t d = 0; d < model.dim; ++d) out[d] += r[d];
    }
    // As fastText: the sum times (float) 1/n.
    const auto scale = static_cast<float>(1.0 / static_cast<double>(e - b));
    for (std::size_t d = 0; d < model.dim; ++d) out[d] *= scale;
  }
  return v;
}

bool all_finite(const Model& m, int threads) {
  // The input matrix may hold more rows (n-grams) than the output matrix.
  const auto rows = static_cast<std::int64_t>(std::max(m.in.rows(), m.out.rows()));
  int bad = 0;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : bad)
  for (std::int64_t r = 0; r < rows; ++r) {
    for (const Matrix* mat : {&m.in, &m.out}) {
      if (static_cast<std::size_t>(r) >= mat->rows()) continue;
      const float* row = mat->row(static_cast<std::size_t>(r));
      for (std::size_t d = 0; d < m.dim; ++d) bad += std::isfinite(row[d]) ? 0 : 1;
    }
  }
  return bad == 0;
}

namespace {

// Splits the sentences into `parts` contiguous ranges of about equal token counts.
std::vector<std::size_t> split_sentences(const Corpus& corpus, int parts) {
  std::vector<std::size_t> bounds(static_cast<std::size_t>(parts) + 1, corpus.sentence_ends.size());
  bounds[0] = 0;
  const std::uint64_t total = corpus.tokens.size();
  std::size_t s = 0;
  for (int p = 1; p < parts; ++p) {
    const std::uint64_t target =
        total * static_cast<std::uint64_t>(p) / static_cast<std::uint64_t>(parts);
    while (s < corpus.sentence_ends.size() && corpus.sentence_ends[s] <= target) ++s;
    bounds[static_cast<std::size_t>(p)] = s;
  }
  return bounds;
}

}  // namespace

TrainStats train(Model& model, const vocab::Vocab& vocab, const Corpus& corpus,
                 const TrainOptions& o) {
  const int threads = std::max(1, o.threads);
  const bool hs = o.loss == LossKind::kHierarchical;
  const NegativeSampler negatives = hs ? NegativeSampler() : NegativeSampler(vocab.counts(), 0.75);
  const HuffmanTree tree = hs ? HuffmanTree(vocab.counts()) : HuffmanTree();
  const Subsampler subsample(vocab.counts(), o.sample);
  KernelConfig cfg;
  cfg.window = o.window;
  cfg.negative = hs ? 0 : o.negative;
  cfg.negatives = &negatives;
  cfg.tree = &tree;
  cfg.subsample = o.sample > 0 ? &subsample : nullptr;
  KernelModel sm{model.in.data(), model.out.data(), model.dim, model.stride};
  if (o.subwords != nullptr) {
    sm.sub_offsets = o.subwords->offsets.data();
    sm.sub_rows = o.subwords->rows.data();
  }
  const SentenceFn kernel =
      sentence_kernel(o.isa, o.model, o.loss, o.kernel, o.subwords != nullptr);

  const auto bounds = split_sentences(corpus, threads);
  TrainHooks* hooks = o.hooks;
  const std::uint64_t total_words =
      hooks != nullptr ? hooks->total_words()
                       : static_cast<std::uint64_t>(o.epochs) * corpus.tokens.size();
  const int thread_offset = hooks != nullptr ? hooks->thread_offset() : 0;
  auto global_done = [&](std::uint64_t done) {
    return hooks != nullptr ? hooks->global_done(done) : done;
  };
  const double lr0 = o.lr;
  const double min_lr = lr0 * o.min_lr_fraction;
  // Checkpoint / resume (train_state.hpp): where this run starts, each thread's state at a stop.
  const TrainState* resume = o.resume;
  if (resume != nullptr && resume->threads.size() != static_cast<std::size_t>(threads)) {
    throw Error(fmt::format("resuming needs the checkpoint's {} thread(s), not {}",
                            resume->threads.size(), threads),
                kExitUsage);
  }
  const int first_epoch = resume != nullptr ? resume->epoch : 0;
  std::vector<ThreadState> thread_states(static_cast<std::size_t>(threads));
  int epochs_done = first_epoch;
  std::atomic<std::uint64_t> words_done{resume != nullptr ? resume->words_done : 0};
  std::atomic<std::uint64_t> stop_signal{0};
  // Decided by thread 0 between two barriers, so every thread leaves the epoch loop together.
  std::atomic<bool> stop_now{false};
  std::vector<KernelCounters> results(static_cast<std::size_t>(threads));
  // Loss since the last progress line, summed by all threads.
  std::atomic<double> window_loss{0};
  std::atomic<std::uint64_t> window_terms{0};
  std::atomic<double> epoch_loss{0};
  std::atomic<std::uint64_t> epoch_terms{0};
  Progress progress(total_words, o.epochs, o.progress);
  std::exception_ptr epoch_error;

  auto lr_at = [&](std::uint64_t done) {
    const double frac =
        total_words == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_words + 1);
    return static_cast<float>(std::max(min_lr, lr0 * (1.0 - frac)));
  };

  if (hooks != nullptr) hooks->begin(words_done);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    Rng rng(splitmix64(o.seed) ^
            splitmix64(static_cast<std::uint64_t>(t + thread_offset) + 0x1234567ULL));
    KernelScratch scratch(model.stride, o.window, cfg.negative, o.max_sentence,
                          o.subwords != nullptr);
    KernelCounters counters;
    const std::size_t s_begin = bounds[static_cast<std::size_t>(t)];
    const std::size_t s_end = bounds[static_cast<std::size_t>(t) + 1];
    float lr = static_cast<float>(lr0);
    std::size_t s_first = s_begin;  // in the first epoch
    if (resume != nullptr) {
      const ThreadState& rs = resume->threads[static_cast<std::size_t>(t)];
      rng.restore(rs.rng);
      lr = rs.lr;
      s_first = std::clamp<std::size_t>(rs.next_sentence, s_begin, s_end);
    }
    std::size_t s_next = s_end;  // where a stop leaves this thread
    std::uint64_t reported_words = 0;
    double reported_loss = 0;
    std::uint64_t reported_terms = 0;
    constexpr std::uint64_t kSyncWords = 10000;
    bool stopped = false;
    for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
      for (std::size_t s = epoch == first_epoch ? s_first : s_begin; s < s_end && !stopped; ++s) {
        const std::uint64_t start = s == 0 ? 0 : corpus.sentence_ends[s - 1];
        const std::uint64_t end = corpus.sentence_ends[s];
        kernel(sm, cfg, corpus.tokens.data() + start, end - start, lr, rng, scratch, counters);
        if (counters.words - reported_words >= kSyncWords) {
          const std::uint64_t done =
              words_done.fetch_add(counters.words - reported_words, std::memory_order_relaxed) +
              (counters.words - reported_words);
          reported_words = counters.words;
          window_loss.fetch_add(counters.loss - reported_loss, std::memory_order_relaxed);
          window_terms.fetch_add(counters.loss_terms - reported_terms, std::memory_order_relaxed);
          epoch_loss.fetch_add(counters.loss - reported_loss, std::memory_order_relaxed);
          epoch_terms.fetch_add(counters.loss_terms - reported_terms, std::memory_order_relaxed);
          reported_loss = counters.loss;
          reported_terms = counters.loss_terms;
          lr = lr_at(global_done(done));
          if (stop_requested() != 0 || (hooks != nullptr && hooks->stop_all())) {
            stop_signal.store(1, std::memory_order_relaxed);
          }
          if (stop_signal.load(std::memory_order_relaxed) != 0) {
            stopped = true;
            s_next = s + 1;
            break;
          }
          if (t == 0) {
            const std::uint64_t terms = window_terms.exchange(0, std::memory_order_relaxed);
            const double loss = window_loss.exchange(0, std::memory_order_relaxed);
            progress.update(global_done(done), lr, terms ? loss / static_cast<double>(terms) : 0.0);
          }
        }
      }
      if (stop_requested() != 0 || (hooks != nullptr && hooks->stop_all())) {
        stop_signal.store(1, std::memory_order_relaxed);
      }
      if (!stopped) {
        // The epoch's last words count too; then wait for everyone so epochs line up.
        words_done.fetch_add(counters.words - reported_words, std::memory_order_relaxed);
        epoch_loss.fetch_add(counters.loss - reported_loss, std::memory_order_relaxed);
        epoch_terms.fetch_add(counters.loss_terms - reported_terms, std::memory_order_relaxed);
        reported_words = counters.words;
        reported_loss = counters.loss;
        reported_terms = counters.loss_terms;
      }
      thread_states[static_cast<std::size_t>(t)] = {rng.state(), lr, stopped ? s_next : s_end};
#pragma omp barrier
      if (t == 0) {
        if (epoch + 1 < o.epochs) {
          epoch_loss.store(0);
          epoch_terms.store(0);
        }
        stop_now.store(stop_signal.load(std::memory_order_relaxed) != 0);
        if (!stop_now.load() && o.on_epoch) {
          try {
            o.on_epoch(epoch + 1);
          } catch (...) {
            epoch_error = std::current_exception();
            stop_now.store(true);
          }
        }
        if (epoch_error == nullptr && o.on_state) {
          // A checkpoint: at the end of the epoch, or where the stop request left the threads.
          TrainState ts;
          ts.interrupted = stop_now.load();
          ts.epoch = ts.interrupted ? epoch : epoch + 1;
          ts.words_done = words_done.load();
          ts.threads = thread_states;
          if (!ts.interrupted) {
            for (int i = 0; i < threads; ++i) {
              ts.threads[static_cast<std::size_t>(i)].next_sentence =
                  bounds[static_cast<std::size_t>(i)];
            }
          }
          try {
            o.on_state(ts);
          } catch (...) {
            epoch_error = std::current_exception();
            stop_now.store(true);
          }
        }
        if (!stop_now.load()) {
          epochs_done = epoch + 1;
          if (o.stop_after == epoch + 1) stop_now.store(true);
        }
      }
#pragma omp barrier
      if (stop_now.load()) break;
    }
    results[static_cast<std::size_t>(t)] = counters;
  }
  progress.finish();
  if (epoch_error) std::rethrow_exception(epoch_error);
  if (hooks != nullptr) {
    const int sig = stop_requested();
    const int code = hooks->end(sig == 0 ? 0 : sig == SIGTERM ? kExitSigterm : kExitSigint);
    if (code != 0) throw Interrupted(code);
  }
  throw_if_stopped();

  TrainStats st;
  st.seconds = progress.seconds();
  for (const auto& r : results) {
    st.words += r.words;
    st.kept += r.kept;
    st.pairs += r.pairs;
  }
  st.words_per_second = st.seconds > 0 ? static_cast<double>(st.words) / st.seconds : 0;
  const std::uint64_t terms = epoch_terms.load();
  st.final_loss = terms ? epoch_loss.load() / static_cast<double>(terms) : 0.0;
  st.final_lr = lr_at(global_done(words_done.load()));
  st.epochs_done = epochs_done;
  return st;
}

}  // namespace w2v::train
