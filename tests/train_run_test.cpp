// The training pipeline (pipeline/train_run.hpp) as a library, in one process (a default
// dist::World): the hooks come in their documented order, each kind of run ends where it should,
// what reaches write() is each word's vector, and errors stop the run before the long work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "pipeline/train_run.hpp"
#include "util/error.hpp"

namespace w2v::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Recorder : public TrainRunHooks {
 public:
  std::vector<std::string> calls;
  bool fail_checks = false;
  train::VocabBuilder builder;
  ReadSummary read;
  std::size_t vocab_words = 0;
  std::size_t written_rows = 0;
  bool wrote_input_rows = false;  // write() got the model's input matrix itself
  std::vector<float> first_word;  // write()'s row 0
  std::vector<float> composed;    // word 0's rows averaged here, from the model

  void check_files() override {
    calls.emplace_back("check_files");
    if (fail_checks) throw Error("out.bin: is one of the inputs", kExitUsage);
  }
  train::VocabBuilder vocab_builder() override {
    calls.emplace_back("vocab_builder");
    return builder;
  }
  void corpus_read(const train::LoadedCorpus& data, const ReadSummary& s) override {
    calls.emplace_back("corpus_read");
    read = s;
    vocab_words = data.vocab.size();
  }
  void write_vocab_only(const vocab::Vocab& /*vocab*/) override {
    calls.emplace_back("write_vocab_only");
  }
  void model_ready(train::Model& /*model*/, const train::LoadedCorpus& /*data*/,
                   train::TrainOptions& /*options*/) override {
    calls.emplace_back("model_ready");
  }
  void training_starts(const TrainingSetup& s) override {
    calls.emplace_back("training_starts");
    subwords = s.subwords;
  }
  void stopped(const train::TrainStats& stats, int epochs) override {
    calls.push_back("stopped " + std::to_string(stats.epochs_done) + "/" + std::to_string(epochs));
  }
  void write(const train::Model& model, const vocab::Vocab& vocab, const Matrix& words) override {
    calls.emplace_back("write");
    written_rows = words.rows();
    wrote_input_rows = &words == &model.in;
    first_word.assign(words.row(0), words.row(0) + model.dim);
    EXPECT_EQ(words.rows(), vocab.size());
    if (subwords != nullptr) {
      composed.assign(model.dim, 0.0f);
      const std::uint32_t b = subwords->offsets[0], e = subwords->offsets[1];
      for (std::uint32_t k = b; k < e; ++k) {
        for (std::size_t d = 0; d < model.dim; ++d)
          composed[d] += model.in.row(subwords->rows[k])[d];
      }
      for (float& x : composed) x *= static_cast<float>(1.0 / static_cast<double>(e - b));
    }
  }
  void finished(const RunSummary& s) override {
    calls.emplace_back("finished");
    EXPECT_GT(s.train.words, 0u);
    EXPECT_EQ(s.sync, nullptr);
  }

 private:
  const vocab::SubwordTable* subwords = nullptr;
};

class TrainRun : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(corpus, testing::make_corpus(300, 10, 40, 3));
    config.inputs = {corpus};
    config.corpus.vocab.min_count = 1;
    config.train.dim = 8;
    config.train.epochs = 2;
    config.train.threads = 1;
    config.train.progress = false;
  }
  testing::ScratchDir dir{"train_run"};
  std::string corpus = dir.file("c.txt");
  TrainRunConfig config;
  Recorder hooks;
  const dist::World one;  // one rank alone
};

TEST_F(TrainRun, HooksComeInOrderAndWriteGetsTheInputRows) {
  EXPECT_EQ(run_training(config, one, hooks), RunEnd::kWritten);
  EXPECT_THAT(hooks.calls, ElementsAre("check_files", "vocab_builder", "corpus_read", "model_ready",
                                       "training_starts", "write", "finished"));
  EXPECT_EQ(hooks.read.corpus_tokens, 3000u);
  EXPECT_EQ(hooks.read.ranks, 1);
  EXPECT_TRUE(hooks.wrote_input_rows);
  EXPECT_GT(hooks.vocab_words, 30u);
  EXPECT_EQ(hooks.written_rows, hooks.vocab_words);
}

TEST_F(TrainRun, WithNgramsWriteGetsEachWordsMeanOfRows) {
  config.grams = vocab::SubwordOptions{2, 4, 500, false};
  EXPECT_EQ(run_training(config, one, hooks), RunEnd::kWritten);
  EXPECT_FALSE(hooks.wrote_input_rows);
  ASSERT_EQ(hooks.composed.size(), 8u);
  for (std::size_t d = 0; d < 8; ++d) EXPECT_FLOAT_EQ(hooks.first_word[d], hooks.composed[d]);
}

TEST_F(TrainRun, StopAfterEndsBeforeWriting) {
  config.train.stop_after = 1;
  EXPECT_EQ(run_training(config, one, hooks), RunEnd::kStopped);
  EXPECT_EQ(hooks.calls.back(), "stopped 1/2");
  EXPECT_THAT(hooks.calls, ::testing::Not(::testing::Contains("write")));
}

TEST_F(TrainRun, VocabOnlyCountsAndStops) {
  config.vocab_only = true;
  config.corpus.encode = false;
  EXPECT_EQ(run_training(config, one, hooks), RunEnd::kVocabOnly);
  EXPECT_THAT(hooks.calls,
              ElementsAre("check_files", "vocab_builder", "corpus_read", "write_vocab_only"));
}

TEST_F(TrainRun, AHooksVocabularyRuleIsUsed) {
  hooks.builder = [](const vocab::Counter& counts, train::CorpusStats& cst) {
    // Only the words w0 .. w9.
    std::vector<std::pair<std::string, std::uint64_t>> words;
    for (std::uint32_t id = 0; id < counts.size(); ++id) {
      const std::string w(counts.word(id));
      if (w.size() == 2) words.emplace_back(w, counts.count(id));
    }
    vocab::VocabOptions all;
    all.min_count = 1;
    train::VocabChoice choice;
    choice.vocab = vocab::Vocab::from_counts(std::move(words), all);
    choice.to_vocab.resize(counts.size());
    for (std::uint32_t id = 0; id < counts.size(); ++id) {
      choice.to_vocab[id] = choice.vocab.find(counts.word(id));
    }
    cst.distinct_words = counts.size();
    return choice;
  };
  EXPECT_EQ(run_training(config, one, hooks), RunEnd::kWritten);
  EXPECT_EQ(hooks.written_rows, 10u);
  EXPECT_LT(hooks.read.corpus_tokens, 3000u);
}

TEST_F(TrainRun, ErrorsStopBeforeTheLongWork) {
  hooks.fail_checks = true;
  EXPECT_THROW(run_training(config, one, hooks), Error);
  EXPECT_THAT(hooks.calls, ElementsAre("check_files"));

  hooks = Recorder();
  testing::write_file(corpus, " \n\t\n");
  try {
    run_training(config, one, hooks);
    ADD_FAILURE() << "an empty corpus trained";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(corpus + ": no words found in the input"));
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
  EXPECT_THAT(hooks.calls, ElementsAre("check_files", "vocab_builder"));

  hooks = Recorder();
  testing::write_file(corpus, "alone\n");
  try {
    run_training(config, one, hooks);
    ADD_FAILURE() << "one token trained";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("too little text to train on: 1 in-vocabulary token"));
  }
  EXPECT_THAT(hooks.calls, ::testing::Not(::testing::Contains("model_ready")));
}

}  // namespace
}  // namespace w2v::pipeline
