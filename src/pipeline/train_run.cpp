#include "pipeline/train_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>

#include "dist/vocab_merge.hpp"
#include "io/shard.hpp"
#include "io/vocab_file.hpp"
#include "util/error.hpp"

namespace w2v::pipeline {

namespace {

// What cannot run across ranks yet: the same verdict on every rank.
void check_distributed(const TrainRunConfig& c, const dist::World& world) {
  if (!world.distributed()) return;
  if (c.train.loss == train::LossKind::kHierarchical) {
    // The synchronisation exchanges the output rows of the most frequent words; the tree's
    // rows are inner nodes, so it would exchange the wrong ones.
    throw dist::GlobalError("--loss hs is not supported across MPI ranks yet: use --loss ns",
                            kExitUsage);
  }
  for (const auto& in : c.inputs) {
    if (in == "-") {
      throw dist::GlobalError(
          fmt::format("stdin ('-') cannot be split among {} MPI ranks: give files (each rank "
                      "reads its own part of them)",
                      world.size()),
          kExitUsage);
    }
  }
}

// Under MPI the vocabulary is the ranks' merged counts (or --read-vocab's words on every rank).
train::VocabBuilder distributed_builder(const TrainRunConfig& c, const dist::World& world,
                                        std::uint64_t& bytes_sent) {
  return [&c, &world, &bytes_sent](const vocab::Counter& counts, train::CorpusStats& cst) {
    train::VocabChoice choice;
    // Whatever can fail on one rank comes before the exchange (a failure here is agreed on by
    // together()).
    if (!c.read_vocab.empty()) choice.vocab = io::read_vocab_file(c.read_vocab, c.corpus.vocab);
    world.agree(0, "");
    if (!c.read_vocab.empty()) {
      choice.to_vocab.resize(counts.size());
      for (std::uint32_t id = 0; id < counts.size(); ++id) {
        choice.to_vocab[id] = choice.vocab.find(counts.word(id));
      }
      std::uint64_t stats[2] = {counts.size(), 0};
      for (std::uint32_t id = 0; id < counts.size(); ++id) {
        stats[1] = std::max(stats[1], counts.count(id));
      }
      world.allreduce_max(stats, 2);  // distinct words: a lower bound here
      cst.distinct_words = stats[0];
      cst.max_count = stats[1];
      return choice;
    }
    dist::MergedVocab m = dist::merge_vocab(world, counts, c.corpus.vocab);
    cst.distinct_words = m.distinct_words;
    cst.max_count = m.max_count;
    bytes_sent = m.bytes_sent;
    choice.vocab = std::move(m.vocab);
    choice.to_vocab = std::move(m.to_vocab);
    return choice;
  };
}

// The reading figures of every rank, summed (the summary is about the whole input).
void sum_read_stats(const dist::World& world, train::CorpusStats& st, ReadSummary& summary) {
  std::uint64_t sums[] = {st.tokens_read,
                          st.read.lines,
                          st.read.bytes,
                          st.read.split_lines,
                          st.tokens_dropped,
                          st.sentences_split,
                          st.tokenizer.invalid_bytes,
                          st.tokenizer.truncated_tokens,
                          st.prune.rounds,
                          st.prune.entries_removed,
                          st.prune.tokens_removed,
                          summary.corpus_tokens,
                          summary.vocab_bytes_exchanged};
  world.allreduce_sum(sums, std::size(sums));
  const std::uint64_t* v = sums;
  st.tokens_read = *v++;
  st.read.lines = *v++;
  st.read.bytes = *v++;
  st.read.split_lines = *v++;
  st.tokens_dropped = *v++;
  st.sentences_split = *v++;
  st.tokenizer.invalid_bytes = *v++;
  st.tokenizer.truncated_tokens = *v++;
  st.prune.rounds = *v++;
  st.prune.entries_removed = *v++;
  st.prune.tokens_removed = *v++;
  summary.corpus_tokens = *v++;
  summary.vocab_bytes_exchanged = *v++;
}

// Nothing to train on: said the same on every rank (the figures are global).
void check_corpus(const TrainRunConfig& c, const train::LoadedCorpus& data) {
  const auto& st = data.stats;
  if (st.tokens_read == 0) {
    throw Error(fmt::format("{}: no words found in the input (empty or whitespace only)",
                            fmt::join(c.inputs, ", ")));
  }
  if (data.vocab.empty()) {
    // Say which --min-count would have kept something.
    const std::string hint =
        c.read_vocab.empty()
            ? fmt::format(
                  "; the most frequent word occurs {} times; --min-count {} or lower keeps words",
                  st.max_count, st.max_count)
            : fmt::format(" among the words of {}", c.read_vocab);
    throw Error(fmt::format("vocabulary is empty: no word occurs at least {} times{}",
                            c.corpus.vocab.min_count, hint));
  }
}

// The last epoch's loss and the counts, over all ranks (the loss weighted by their words).
void sum_train_stats(const dist::World& world, train::TrainStats& ts) {
  std::uint64_t sums[] = {ts.words, ts.kept, ts.pairs};
  world.allreduce_sum(sums, 3);
  double loss[] = {ts.final_loss * static_cast<double>(ts.words), static_cast<double>(ts.words)};
  world.allreduce_sum(loss, 2);
  ts.final_loss = loss[1] > 0 ? loss[0] / loss[1] : 0.0;
  ts.words = sums[0];
  ts.kept = sums[1];
  ts.pairs = sums[2];
  ts.words_per_second = ts.seconds > 0 ? static_cast<double>(ts.words) / ts.seconds : 0;
}

}  // namespace

RunEnd run_training(const TrainRunConfig& c, const dist::World& world, TrainRunHooks& hooks) {
  check_distributed(c, world);
  const bool distributed = world.distributed();
  // A step every rank takes: if it fails on one, all stop with that rank's message.
  auto together = [&](auto&& work) {
    if (distributed) {
      world.together(work);
    } else {
      work();
    }
  };
  const int threads = c.train.threads;

  together([&] { hooks.check_files(); });

  train::LoadedCorpus data;
  ReadSummary summary;
  summary.ranks = world.size();
  together([&] {
    const std::vector<io::InputPart> parts = io::plan_shard(c.inputs, world.rank(), world.size());
    train::VocabBuilder build = hooks.vocab_builder();
    if (!build && distributed) build = distributed_builder(c, world, summary.vocab_bytes_exchanged);
    data = train::load_corpus(parts, c.corpus, build);
  });
  summary.corpus_tokens = data.corpus.size();
  if (distributed) sum_read_stats(world, data.stats, summary);
  together([&] { check_corpus(c, data); });
  hooks.corpus_read(data, summary);
  if (c.vocab_only) {
    together([&] { hooks.write_vocab_only(data.vocab); });
    return RunEnd::kVocabOnly;
  }
  together([&] {
    if (summary.corpus_tokens < 2) {
      throw Error(fmt::format("{}: too little text to train on: {} in-vocabulary token(s)",
                              fmt::join(c.inputs, ", "), summary.corpus_tokens));
    }
  });

  train::TrainOptions topt = c.train;
  vocab::SubwordTable subword_table;
  if (c.grams) {
    if (static_cast<std::uint64_t>(data.vocab.size()) + c.grams->bucket > 0xFFFFFFFFu) {
      throw Error(fmt::format("{} words + {} buckets are more rows than fit 32-bit row ids",
                              data.vocab.size(), c.grams->bucket),
                  kExitUsage);
    }
    subword_table = vocab::build_subwords(data.vocab.words(), *c.grams, threads);
    topt.subwords = &subword_table;
  }
  train::Model model = train::init_model(data.vocab.size(), topt.dim, topt.seed, threads,
                                         c.grams ? c.grams->bucket : 0);
  hooks.model_ready(model, data, topt);

  TrainingSetup setup;
  setup.options = &topt;
  setup.model = &model;
  setup.subwords = c.grams ? &subword_table : nullptr;
  setup.ranks = world.size();
  std::unique_ptr<dist::ModelSync> sync;
  if (distributed) {
    sync = std::make_unique<dist::ModelSync>(world, model, data.vocab.size(), data.corpus.size(),
                                             topt.epochs, threads, c.sync, setup.subwords);
    topt.hooks = sync.get();
    setup.empty_ranks = sync->empty_ranks();
  }
  hooks.training_starts(setup);

  RunSummary done;
  together([&] {
    done.train = train::train(model, data.vocab, data.corpus, topt);
    if (!train::all_finite(model, threads)) {
      throw Error(fmt::format(
          "training diverged: the vectors hold NaN or infinite values, so nothing was written; "
          "lower the learning rate (--lr {}){}",
          topt.lr,
          distributed ? ", or sync more often (--sync-every), or use --sync-combine average" : ""));
    }
  });
  if (done.train.epochs_done < topt.epochs) {
    hooks.stopped(done.train, topt.epochs);
    return RunEnd::kStopped;
  }

  together([&] {
    if (!world.root()) return;
    if (c.grams) {
      // The words' vectors as fastText gives them: each the mean of its rows.
      const Matrix words = train::word_vectors(model, subword_table, threads);
      hooks.write(model, data.vocab, words);
    } else {
      hooks.write(model, data.vocab, model.in);
    }
  });
  done.total_threads = threads;
  if (distributed) {
    sum_train_stats(world, done.train);
    done.total_threads = sync->total_threads();
    done.sync = &sync->stats();
  }
  hooks.finished(done);
  return RunEnd::kWritten;
}

}  // namespace w2v::pipeline
