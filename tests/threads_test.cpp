// The threaded parts that must be race-free, written to be run under ThreadSanitizer (they also
// check results in every build): parallel counting in load_corpus, the stop flag, errors raised
// in the reader and in worker threads, and the shared progress counters of a 2-thread training
// run. The Hogwild updates of the model matrices are racy by design and suppressed (tsan.supp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "cli/process.hpp"
#include "train/corpus.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::make_corpus;
using testing::ScratchDir;
using testing::write_file;

// Clears the process-wide stop flag whatever the test did.
struct StopGuard {
  StopGuard() { clear_stop(); }
  ~StopGuard() { clear_stop(); }
};

train::CorpusOptions options(int threads) {
  train::CorpusOptions o;
  o.threads = threads;
  o.block_bytes = 2048;  // many small blocks: the queue and the workers are busy
  o.vocab.min_count = 1;
  return o;
}

TEST(Threads, ParallelCountingMatchesOneThread) {
  StopGuard guard;
  ScratchDir d("th-count");
  write_file(d.file("c.txt"), make_corpus(3000, 15, 2000, 7));
  const auto one = train::load_corpus({d.file("c.txt")}, options(1));
  const auto four = train::load_corpus({d.file("c.txt")}, options(4));
  EXPECT_EQ(one.stats.tokens_read, 45000u);
  EXPECT_EQ(four.stats.tokens_read, one.stats.tokens_read);
  EXPECT_EQ(four.vocab.words(), one.vocab.words());
  EXPECT_EQ(four.vocab.counts(), one.vocab.counts());
  EXPECT_EQ(four.corpus.tokens, one.corpus.tokens);
  EXPECT_EQ(four.corpus.sentence_ends, one.corpus.sentence_ends);
}

TEST(Threads, ParallelCountingWithPruningReportsIt) {
  StopGuard guard;
  ScratchDir d("th-prune");
  std::string text;
  for (int i = 0; i < 40000; ++i) text += "rare" + std::to_string(i) + " common the\n";
  write_file(d.file("c.txt"), text);
  auto o = options(3);
  o.max_counter_entries = 2000;
  const auto r = train::load_corpus({d.file("c.txt")}, o);
  EXPECT_GT(r.stats.prune.rounds, 0u);
  EXPECT_GT(r.stats.prune.entries_removed, 30000u);
  EXPECT_GE(r.stats.prune.threshold, 2u);
  EXPECT_EQ(r.vocab.word(0) == "common" || r.vocab.word(0) == "the", true);
  EXPECT_EQ(r.vocab.count(0), 40000u);
}

TEST(Threads, ReaderErrorIsCapturedAndRethrown) {
  // The second input is a truncated .gz: the error surfaces once, from the calling thread,
  // after all workers have stopped.
  StopGuard guard;
  ScratchDir d("th-error");
  write_file(d.file("a.txt"), make_corpus(500, 10, 100));
  std::string gz(1 << 16, '\0');
  {
    const std::string text = make_corpus(3000, 10, 1000);
    uLongf len = static_cast<uLongf>(gz.size());
    z_stream zs{};
    ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(gz.data());
    zs.avail_out = static_cast<uInt>(len);
    ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    gz.resize(zs.total_out / 2);  // truncated
    deflateEnd(&zs);
  }
  write_file(d.file("b.gz"), gz);
  try {
    train::load_corpus({d.file("a.txt"), d.file("b.gz")}, options(4));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(d.file("b.gz") + ": compressed data ends early"));
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
}

TEST(Threads, StopRequestDuringLoadingThrowsInterrupted) {
  StopGuard guard;
  ScratchDir d("th-stop-load");
  write_file(d.file("c.txt"), make_corpus(20000, 10, 500));
  std::atomic<bool> started{false};
  std::thread stopper([&] {
    while (!started.load()) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    request_stop(SIGTERM);
  });
  try {
    started = true;
    auto o = options(3);
    o.block_bytes = 256;
    for (int i = 0; i < 1000; ++i) train::load_corpus({d.file("c.txt")}, o);
    ADD_FAILURE() << "the stop request was not seen";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exit_code(), kExitSigterm);
  }
  stopper.join();
}

struct SmallRun {
  SmallRun() : dir("th-train") {
    write_file(dir.file("c.txt"), make_corpus(400, 20, 200, 3));
    data = train::load_corpus({dir.file("c.txt")}, options(2));
  }
  ScratchDir dir;
  train::LoadedCorpus data;
};

TEST(Threads, TwoThreadTrainingCountsEveryWordOnce) {
  StopGuard guard;
  SmallRun run;
  train::TrainOptions o;
  o.dim = 16;
  o.epochs = 3;
  o.threads = 2;
  o.progress = false;
  train::Model m = train::init_model(run.data.vocab.size(), o.dim, o.seed, o.threads);
  const auto st = train::train(m, run.data.vocab, run.data.corpus, o);
  EXPECT_EQ(st.words, 3u * run.data.corpus.size());  // the shared counters add up exactly
  EXPECT_GT(st.pairs, 0u);
  EXPECT_TRUE(std::isfinite(st.final_loss));
  EXPECT_GT(st.final_loss, 0.0);
}

TEST(Threads, TrainingWithProgressOutputIsRaceFree) {
  StopGuard guard;
  SmallRun run;
  train::TrainOptions o;
  o.dim = 8;
  o.epochs = 2;
  o.threads = 2;
  o.progress = true;  // thread 0 reads the shared counters and prints
  train::Model m = train::init_model(run.data.vocab.size(), o.dim, o.seed, o.threads);
  const auto st = train::train(m, run.data.vocab, run.data.corpus, o);
  EXPECT_EQ(st.words, 2u * run.data.corpus.size());
}

TEST(Threads, StopRequestDuringTrainingThrowsInterrupted) {
  StopGuard guard;
  SmallRun run;
  train::TrainOptions o;
  o.dim = 8;
  o.epochs = 1000;  // each thread sees < 10k words per epoch: the stop must be polled per epoch too
  o.threads = 2;
  o.progress = false;
  train::Model m = train::init_model(run.data.vocab.size(), o.dim, o.seed, o.threads);
  std::atomic<std::chrono::steady_clock::time_point> stop_time{std::chrono::steady_clock::now()};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop_time = std::chrono::steady_clock::now();
    request_stop(SIGINT);
  });
  try {
    train::train(m, run.data.vocab, run.data.corpus, o);
    ADD_FAILURE() << "training was not interrupted";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exit_code(), kExitSigint);
  }
  stopper.join();
  // The full run takes about 20 s (release); a stop seen within a few epochs takes
  // milliseconds. A generous bound, measured from the request:
  const double after_stop =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_time.load()).count();
  EXPECT_LT(after_stop, 5.0);
}

}  // namespace
}  // namespace w2v
