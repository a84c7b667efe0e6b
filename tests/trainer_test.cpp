#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <tuple>

#include "cli/grouped.hpp"
#include "cli/process.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::train {
namespace {

// A synthetic corpus where words of two groups only co-occur within their group.
LoadedCorpus grouped_corpus(const testing::ScratchDir& dir) {
  testing::write_file(dir.file("c.txt"), testing::grouped_text(4000, 1));
  CorpusOptions o;
  o.vocab.min_count = 1;
  return load_corpus({dir.file("c.txt")}, o);
}

double cosine(const Model& m, std::uint32_t a, std::uint32_t b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t d = 0; d < m.dim; ++d) {
    ab += m.in.row(a)[d] * m.in.row(b)[d];
    aa += m.in.row(a)[d] * m.in.row(a)[d];
    bb += m.in.row(b)[d] * m.in.row(b)[d];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(Trainer, InitIsUniformInHalfOverDimAndIndependentOfThreads) {
  Model a = init_model(100, 50, 7, 1);
  Model b = init_model(100, 50, 7, 4);
  EXPECT_EQ(a.stride, 64u);
  EXPECT_EQ(std::memcmp(a.in.data(), b.in.data(), 100 * 64 * sizeof(float)), 0);
  for (std::size_t r = 0; r < 100; ++r) {
    for (std::size_t d = 0; d < 64; ++d) {
      const float v = a.in.row(r)[d];
      if (d >= 50)
        ASSERT_EQ(v, 0.0f);
      else
        ASSERT_LE(std::abs(v), 0.5f / 50);
      ASSERT_EQ(a.out.row(r)[d], 0.0f);
    }
  }
}

class TrainerKinds : public ::testing::TestWithParam<std::tuple<ModelKind, LossKind, KernelKind>> {
};

TEST_P(TrainerKinds, LearnsWhichWordsShareContexts) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  auto data = grouped_corpus(dir);
  TrainOptions o;
  o.dim = 20;
  o.epochs = 3;
  o.sample = 0;
  std::tie(o.model, o.loss, o.kernel) = GetParam();
  o.isa = best_isa();
  o.progress = false;
  Model m = init_model(data.vocab.size(), o.dim, 1, 1);
  const auto st = train(m, data.vocab, data.corpus, o);
  EXPECT_EQ(st.words, 3 * data.corpus.size());
  EXPECT_GT(st.final_loss, 0.0);
  // Well below log(2) = 0.69 of an untrained model. Hierarchical softmax's floor is higher: the
  // centre is one of 20 equally likely words, ln(20) = 3.0 nats over a path of about 5.3 nodes.
  EXPECT_LT(st.final_loss, o.loss == LossKind::kHierarchical ? 0.65 : 0.6);
  const auto a1 = data.vocab.find("a1"), a2 = data.vocab.find("a2"), b1 = data.vocab.find("b1");
  EXPECT_GT(cosine(m, a1, a2), cosine(m, a1, b1) + 0.3);
}

INSTANTIATE_TEST_SUITE_P(
    AllPairings, TrainerKinds,
    ::testing::Combine(::testing::Values(ModelKind::kSkipGram, ModelKind::kCbow),
                       ::testing::Values(LossKind::kNegative, LossKind::kHierarchical),
                       ::testing::Values(KernelKind::kExact, KernelKind::kBatched)));

TEST(Trainer, OneThreadSameSeedIsDeterministic) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  auto data = grouped_corpus(dir);
  TrainOptions o;
  o.dim = 16;
  o.epochs = 1;
  o.isa = best_isa();
  o.progress = false;
  auto run = [&](std::uint64_t seed) {
    o.seed = seed;
    Model m = init_model(data.vocab.size(), o.dim, seed, 1);
    train(m, data.vocab, data.corpus, o);
    return m;
  };
  Model a = run(3), b = run(3), c = run(4);
  const std::size_t bytes = a.in.rows() * a.in.cols() * sizeof(float);
  EXPECT_EQ(std::memcmp(a.in.data(), b.in.data(), bytes), 0);
  EXPECT_NE(std::memcmp(a.in.data(), c.in.data(), bytes), 0);
}

TEST(Trainer, StopRequestThrowsInterrupted) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  auto data = grouped_corpus(dir);
  TrainOptions o;
  o.dim = 8;
  o.epochs = 50;
  o.threads = 2;
  o.isa = best_isa();
  o.progress = false;
  Model m = init_model(data.vocab.size(), o.dim, 1, 2);
  request_stop(15);
  EXPECT_THROW(train(m, data.vocab, data.corpus, o), Interrupted);
  clear_stop();
}

}  // namespace
}  // namespace w2v::train
