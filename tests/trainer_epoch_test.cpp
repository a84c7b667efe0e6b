// The trainer's per-epoch callback (w2v train --snapshots): called once after every epoch with the
// model whole, and an exception from it stops training and reaches the caller.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "cli/process.hpp"
#include "train/trainer.hpp"
#include "util/rng.hpp"

namespace w2v::train {
namespace {

LoadedCorpus small_corpus(const testing::ScratchDir& dir) {
  std::string text;
  Rng rng(3);
  for (int line = 0; line < 300; ++line) {
    for (int k = 0; k < 10; ++k) text += "w" + std::to_string(rng.below(25)) + " ";
    text += "\n";
  }
  testing::write_file(dir.file("c.txt"), text);
  CorpusOptions o;
  o.vocab.min_count = 1;
  return load_corpus({dir.file("c.txt")}, o);
}

TEST(TrainerEpochs, CallbackAfterEveryEpochSeesTheModelChange) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  const LoadedCorpus data = small_corpus(dir);
  for (int threads : {1, 2}) {
    Model m = init_model(data.vocab.size(), 8, 5, threads);
    TrainOptions o;
    o.dim = 8;
    o.epochs = 4;
    o.threads = threads;
    o.progress = false;
    std::vector<int> seen;
    std::vector<std::vector<float>> copies;
    o.on_epoch = [&](int epoch) {
      seen.push_back(epoch);
      copies.emplace_back(m.in.data(), m.in.data() + m.in.rows() * m.stride);
    };
    train(m, data.vocab, data.corpus, o);
    EXPECT_EQ(seen, (std::vector<int>{1, 2, 3, 4})) << threads;
    ASSERT_EQ(copies.size(), 4U);
    EXPECT_NE(copies[0], copies[1]);
    // The last call saw the final model.
    EXPECT_EQ(std::memcmp(copies[3].data(), m.in.data(), copies[3].size() * sizeof(float)), 0);
  }
}

TEST(TrainerEpochs, CallbackErrorStopsTraining) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  const LoadedCorpus data = small_corpus(dir);
  Model m = init_model(data.vocab.size(), 8, 5, 2);
  TrainOptions o;
  o.dim = 8;
  o.epochs = 5;
  o.threads = 2;
  o.progress = false;
  int calls = 0;
  o.on_epoch = [&](int epoch) {
    ++calls;
    if (epoch == 2) throw std::runtime_error("disk full");
  };
  EXPECT_THROW(train(m, data.vocab, data.corpus, o), std::runtime_error);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace w2v::train
