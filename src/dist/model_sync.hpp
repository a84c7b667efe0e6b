// Keeps the ranks' models together while they train their shards: a background thread
// periodically sums every rank's change since the last synchronisation with MPI_Allreduce and
// applies it (or the mean of the changes) to every rank's model, while the training threads go on
// (Hogwild, as between threads). The most frequent words (the first rows) are synchronised more
// often than the rest: `hot_rows` rows every time, twice as many every 2nd time, four times as
// many every 4th time, and so on (or, with full_every = k, all rows every k-th time); all rows
// once more when every rank has finished, so the ranks end with the same model. The same exchange
// carries each rank's word count (for the global learning-rate schedule and progress), its finished
// flag and stop requests.
//
// With character n-grams (a SubwordTable) a word's input is its own row and its n-gram rows: the
// tiers still count words, and a tier of k words synchronises the input rows of the first k
// words' tables (each row once, where it first appears) and their k output rows. Bucket rows no
// vocabulary word uses are never trained, so never exchanged.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "dist/world.hpp"
#include "train/trainer.hpp"
#include "vocab/subwords.hpp"

namespace w2v::dist {

// How the ranks' changes to a row since the last synchronisation are combined. A row that every
// rank moves (nearly) to its optimum within one interval ends at x + P (x* - x) under the sum:
// stable only for P <= 2 (measured: 23 % analogy at 2 ranks, 0.2 % at 3). The mean is stable but
// divides the learning of rows that only one rank updates by P (16 % at 2 ranks).
enum class Combine {
  // The sum, but for the hot rows (updated by every rank) times 2/P above 2 ranks: their step is
  // twice the mean change, as with the sum at 2 ranks (measured: 22.3 % at 3 ranks, 18.5 % at 4).
  kAuto,
  kSum,      // added, as Hogwild threads add theirs
  kAverage,  // their mean over all ranks (model averaging)
};

struct SyncOptions {
  double every_seconds = 0.05;    // time between synchronisations
  std::uint64_t every_words = 0;  // if not 0: after this many words on this rank instead
  std::size_t hot_rows = 2000;    // rows synchronised every time (0: all)
  int full_every = 0;             // 0: doubling tiers; k: hot rows, and all rows every k-th time
  Combine combine = Combine::kAuto;
};

struct SyncStats {
  std::uint64_t syncs = 0;
  std::uint64_t full_syncs = 0;
  double seconds = 0;            // the sync thread's busy time (packing, reducing, applying)
  double comm_seconds = 0;       // of which in MPI_Allreduce
  std::uint64_t bytes_hot = 0;   // payload per rank of one hot-rows synchronisation
  std::uint64_t bytes_full = 0;  // and of a full one
  std::uint64_t bytes_total = 0;
};

class ModelSync final : public train::TrainHooks {
 public:
  // Collective: learns every rank's corpus size. `rows`: the vocabulary's words; `subwords`:
  // their input rows with n-grams (null: input row w is word w's).
  ModelSync(const World& world, train::Model& model, std::size_t rows, std::uint64_t local_tokens,
            int epochs, int threads, const SyncOptions& options,
            const vocab::SubwordTable* subwords = nullptr);
  ~ModelSync() override;
  ModelSync(const ModelSync&) = delete;
  ModelSync& operator=(const ModelSync&) = delete;

  void begin(const std::atomic<std::uint64_t>& words_done) override;
  int end(int local_stop) override;
  std::uint64_t total_words() const override { return total_words_; }
  std::uint64_t global_done(std::uint64_t local_done) const override;
  bool stop_all() const override { return stop_code_.load(std::memory_order_relaxed) != 0; }
  int thread_offset() const override { return thread_offset_; }
  int total_threads() const override { return total_threads_; }

  const SyncStats& stats() const { return stats_; }  // after end()
  std::uint64_t global_tokens() const { return global_tokens_; }
  // Ranks whose shard has no in-vocabulary token.
  const std::vector<int>& empty_ranks() const { return empty_ranks_; }

 private:
  void run();
  void sync_rows(std::size_t rows);
  // Rows ids[0..count) of m (ids null: rows 0..count), the first `damped` of them scaled.
  void sync_matrix(float* m, std::vector<float>& ref, std::size_t count, const std::uint32_t* ids,
                   std::size_t damped, float hot_scale);
  // The input rows of the first `words` words.
  std::size_t in_rows(std::size_t words) const {
    return in_count_.empty() ? words : in_count_[words];
  }

  const World& world_;
  train::Model& model_;
  std::size_t rows_;
  std::size_t dim_;
  std::size_t row_bytes_ = 0;  // sent per row
  SyncOptions options_;
  std::uint64_t total_words_ = 0;
  std::uint64_t global_tokens_ = 0;
  std::vector<int> empty_ranks_;
  int thread_offset_ = 0;
  int total_threads_ = 0;
  std::vector<std::uint32_t> in_ids_;    // with n-grams: the input rows in tier order
  std::vector<std::size_t> in_count_;    // with n-grams: in_ids_ entries of the first w words
  std::vector<float> ref_in_, ref_out_;  // the model as of the last synchronisation (dense)
  std::vector<float> local_, sum_;       // one chunk of changes
  const std::atomic<std::uint64_t>* words_done_ = nullptr;
  std::atomic<std::uint64_t> global_at_sync_{0};
  std::atomic<std::uint64_t> local_at_sync_{0};
  std::atomic<int> stop_code_{0};
  std::mutex m_;
  std::condition_variable cv_;
  bool finished_ = false;  // this rank's training threads are done
  int local_stop_ = 0;
  std::thread thread_;
  std::exception_ptr error_;
  SyncStats stats_;
};

}  // namespace w2v::dist
