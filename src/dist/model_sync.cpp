#include "dist/model_sync.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>

#include "util/stop.hpp"
#include "util/timer.hpp"

namespace w2v::dist {

ModelSync::ModelSync(const World& world, train::Model& model, std::size_t rows,
                     std::uint64_t local_tokens, int epochs, int threads,
                     const SyncOptions& options, const vocab::SubwordTable* subwords)
    : world_(world), model_(model), rows_(rows), dim_(model.dim), options_(options) {
  if (subwords != nullptr) {
    // Each word's rows in table order, each row where it first appears.
    std::vector<bool> seen(model.in.rows(), false);
    in_count_.assign(rows_ + 1, 0);
    for (std::size_t w = 0; w < rows_; ++w) {
      for (std::uint32_t k = subwords->offsets[w]; k < subwords->offsets[w + 1]; ++k) {
        const std::uint32_t r = subwords->rows[k];
        if (seen[r]) continue;
        seen[r] = true;
        in_ids_.push_back(r);
      }
      in_count_[w + 1] = in_ids_.size();
    }
  }
  // Corpus sizes and thread counts of all ranks: [tokens, threads, threads before me].
  const auto p = static_cast<std::size_t>(world.size());
  std::vector<std::uint64_t> per_rank(2 * p, 0);
  per_rank[static_cast<std::size_t>(world.rank())] = local_tokens;
  per_rank[p + static_cast<std::size_t>(world.rank())] = static_cast<std::uint64_t>(threads);
  world.allreduce_sum(per_rank.data(), per_rank.size());
  for (std::size_t r = 0; r < p; ++r) {
    global_tokens_ += per_rank[r];
    if (per_rank[r] == 0) empty_ranks_.push_back(static_cast<int>(r));
    total_threads_ += static_cast<int>(per_rank[p + r]);
    if (r < static_cast<std::size_t>(world.rank())) {
      thread_offset_ += static_cast<int>(per_rank[p + r]);
    }
  }
  total_words_ = global_tokens_ * static_cast<std::uint64_t>(epochs);
  if (options_.hot_rows == 0 || options_.hot_rows > rows_) options_.hot_rows = rows_;
  options_.full_every = std::max(0, options_.full_every);
  const std::size_t in_total = in_rows(rows_);
  ref_in_.resize(in_total * dim_);
  ref_out_.resize(rows_ * dim_);
  for (std::size_t i = 0; i < in_total; ++i) {
    const std::size_t r = in_ids_.empty() ? i : in_ids_[i];
    std::memcpy(ref_in_.data() + i * dim_, model_.in.row(r), dim_ * sizeof(float));
  }
  for (std::size_t r = 0; r < rows_; ++r) {
    std::memcpy(ref_out_.data() + r * dim_, model_.out.row(r), dim_ * sizeof(float));
  }
  const std::size_t chunk = std::max<std::size_t>(1, (std::size_t{1} << 20) / dim_) * dim_;
  local_.resize(std::min(chunk, std::max(in_total, rows_) * dim_));
  sum_.resize(local_.size());
  row_bytes_ = dim_ * sizeof(float);
  stats_.bytes_hot = (in_rows(options_.hot_rows) + options_.hot_rows) * row_bytes_;
  stats_.bytes_full = (in_total + rows_) * row_bytes_;
}

ModelSync::~ModelSync() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(m_);
      finished_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
}

std::uint64_t ModelSync::global_done(std::uint64_t local_done) const {
  const std::uint64_t at = local_at_sync_.load(std::memory_order_relaxed);
  const std::uint64_t since = local_done > at ? local_done - at : 0;
  return global_at_sync_.load(std::memory_order_relaxed) +
         since * static_cast<std::uint64_t>(world_.size());
}

void ModelSync::begin(const std::atomic<std::uint64_t>& words_done) {
  words_done_ = &words_done;
  thread_ = std::thread([this] {
    try {
      run();
    } catch (...) {
      // An MPI failure here cannot be agreed on (the exchange itself failed).
      error_ = std::current_exception();
      stop_code_.store(kExitInput);
    }
  });
}

int ModelSync::end(int local_stop) {
  {
    std::lock_guard lock(m_);
    finished_ = true;
    local_stop_ = local_stop;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
  return stop_code_.load();
}

void ModelSync::run() {
  using Clock = std::chrono::steady_clock;
  const auto period = std::chrono::duration<double>(options_.every_seconds);
  auto last = Clock::now();
  std::uint64_t words_at_last = 0;
  const auto ranks = static_cast<double>(world_.size());
  for (std::uint64_t k = 1;; ++k) {
    // Wait for the period (or the word count), the end of local training, or a stop request.
    bool finished = false;
    int stop = 0;
    {
      std::unique_lock lock(m_);
      for (;;) {
        finished = finished_;
        stop = finished_ ? local_stop_ : 0;
        if (const int sig = stop_requested(); stop == 0 && sig != 0) {
          stop = sig == SIGTERM ? kExitSigterm : kExitSigint;
        }
        if (finished || stop != 0) break;
        if (options_.every_words != 0) {
          if (words_done_->load(std::memory_order_relaxed) - words_at_last >= options_.every_words)
            break;
        } else if (Clock::now() - last >= period) {
          break;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(2));
      }
    }
    Timer busy;
    const std::uint64_t local = words_done_->load(std::memory_order_relaxed);
    // [words, finished, interrupted by SIGINT, by SIGTERM]
    double control[4] = {static_cast<double>(local), finished ? 1.0 : 0.0,
                         stop == kExitSigint ? 1.0 : 0.0, stop == kExitSigterm ? 1.0 : 0.0};
    Timer comm;
    world_.allreduce_sum_waiting(control, 4);
    stats_.comm_seconds += comm.seconds();
    local_at_sync_.store(local, std::memory_order_relaxed);
    global_at_sync_.store(static_cast<std::uint64_t>(control[0]), std::memory_order_relaxed);
    words_at_last = local;
    if (control[2] > 0 || control[3] > 0) {
      stop_code_.store(control[2] > 0 ? kExitSigint : kExitSigterm);
      stats_.seconds += busy.seconds();
      return;
    }
    const bool all_finished = control[1] >= ranks;
    std::size_t rows = options_.hot_rows;
    if (options_.full_every == 0) {
      // Tiers: the first hot rows every time, twice as many every 2nd time, 4x every 4th, ...
      const int tier = __builtin_ctzll(k);
      rows = tier >= 40 ? rows_ : std::min(rows_, options_.hot_rows << tier);
    } else if (k % static_cast<std::uint64_t>(options_.full_every) == 0) {
      rows = rows_;
    }
    if (all_finished) rows = rows_;
    const bool full = rows == rows_;
    sync_rows(rows);
    ++stats_.syncs;
    if (full) ++stats_.full_syncs;
    stats_.bytes_total += (in_rows(rows) + rows) * row_bytes_;
    stats_.seconds += busy.seconds();
    if (all_finished) return;
    last = Clock::now();
  }
}

void ModelSync::sync_rows(std::size_t rows) {
  // The hot rows (below `damped` words) get their summed change times `hot_scale`, the others
  // the sum.
  const auto ranks = static_cast<float>(world_.size());
  std::size_t damped = 0;
  float hot_scale = 1.0f;
  if (options_.combine == Combine::kAverage) {
    damped = rows_;
    hot_scale = 1.0f / ranks;
  } else if (options_.combine == Combine::kAuto && world_.size() > 2) {
    damped = options_.hot_rows;
    hot_scale = 2.0f / ranks;
  }
  sync_matrix(model_.in.data(), ref_in_, in_rows(rows), in_ids_.empty() ? nullptr : in_ids_.data(),
              in_rows(damped), hot_scale);
  sync_matrix(model_.out.data(), ref_out_, rows, nullptr, damped, hot_scale);
}

void ModelSync::sync_matrix(float* m, std::vector<float>& ref, std::size_t count,
                            const std::uint32_t* ids, std::size_t damped, float hot_scale) {
  const std::size_t stride = model_.stride;
  const std::size_t chunk_rows = local_.size() / dim_;
  auto row_of = [&](std::size_t i) { return m + (ids != nullptr ? ids[i] : i) * stride; };
  for (std::size_t r0 = 0; r0 < count; r0 += chunk_rows) {
    const std::size_t n = std::min(chunk_rows, count - r0);
    for (std::size_t i = 0; i < n; ++i) {
      const float* row = row_of(r0 + i);
      const float* base = ref.data() + (r0 + i) * dim_;
      float* d = local_.data() + i * dim_;
      for (std::size_t j = 0; j < dim_; ++j) d[j] = row[j] - base[j];
    }
    std::memcpy(sum_.data(), local_.data(), n * dim_ * sizeof(float));
    Timer comm;
    world_.allreduce_sum_waiting(sum_.data(), n * dim_);
    stats_.comm_seconds += comm.seconds();
    for (std::size_t i = 0; i < n; ++i) {
      float* row = row_of(r0 + i);
      float* base = ref.data() + (r0 + i) * dim_;
      const float* d = local_.data() + i * dim_;
      const float* s = sum_.data() + i * dim_;
      const float scale = r0 + i < damped ? hot_scale : 1.0f;
      for (std::size_t j = 0; j < dim_; ++j) {
        const float change = s[j] * scale;
        row[j] += change - d[j];
        base[j] += change;
      }
    }
  }
}

}  // namespace w2v::dist
