// w2v train: corpus -> vectors file.
#include <omp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dist/world.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "io/vocab_file.hpp"
#include "options.hpp"
#include "pipeline/train_run.hpp"
#include "train/corpus.hpp"
#include "train/trainer.hpp"
#include "train_checkpoint.hpp"
#include "train_fasttext.hpp"
#include "train_snapshots.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct TrainArgs {
  std::vector<std::string> inputs;
  std::string output = "vectors.bin";
  std::string format;
  std::string dim = "100", window = "5", negative, sample = "1e-3", min_count = "5";
  std::string max_vocab = "0", epochs = "5", threads = "all", seed = "1", lr;
  std::string model = "sg", loss = "ns";
  std::string max_counter = "20000000";
  std::string lr_end = "0.0001";
  std::string kernel = "batched";
  std::string tokenize = "auto";
  std::string korean_suffixes = "tokens";
  std::string save_vocab, read_vocab;
  std::string save_fasttext;  // --save-fasttext (train_fasttext.hpp)
  // Character n-grams (vocab/subwords.hpp), fastText's option names; off unless --maxn > 0.
  std::string minn = "3", maxn = "0", bucket = "2000000";
  bool jamo = false;
  std::string eval_analogy, eval_similarity;
  // Measured on en_mix with 2 ranks (BENCHMARKS.md): tiers of 2000 rows every 0.05 s matched
  // the single-process quality at the lowest sync volume of the settings tried.
  std::string sync_every = "0.05", sync_words = "0", sync_hot = "2000", sync_full_every = "0";
  std::string sync_combine = "auto";
  bool no_normalize = false;
  bool lowercase = false;
  bool quiet = false;
  bool vocab_only = false;
  SnapshotArgs snapshots;  // --save-init, --snapshots
  CheckpointArgs ckpt;     // --checkpoint, --resume, --stop-after, --init (train_checkpoint.hpp)
};

// The options that define a run: stored in a checkpoint and taken back from it by --resume.
std::vector<OptionRef> training_options(TrainArgs& a) {
  return {{"dim", &a.dim},
          {"window", &a.window},
          {"negative", &a.negative},
          {"sample", &a.sample},
          {"min-count", &a.min_count},
          {"max-vocab", &a.max_vocab},
          {"epochs", &a.epochs},
          {"threads", &a.threads},
          {"seed", &a.seed},
          {"lr", &a.lr},
          {"lr-end", &a.lr_end},
          {"model", &a.model},
          {"loss", &a.loss},
          {"kernel", &a.kernel},
          {"max-counter-words", &a.max_counter},
          {"tokenize", &a.tokenize},
          {"korean-suffixes", &a.korean_suffixes},
          {"read-vocab", &a.read_vocab},
          {"no-normalize", nullptr, &a.no_normalize},
          {"lowercase", nullptr, &a.lowercase},
          {"minn", &a.minn},
          {"maxn", &a.maxn},
          {"bucket", &a.bucket},
          {"jamo", nullptr, &a.jamo}};
}

constexpr int kMaxBatchedNegative = 100;
constexpr int kDefaultNegative = 5;

// The starting learning rate when --lr is not given (README, "train options"). Skip-gram: 0.05,
// measured better than word2vec.c's 0.025 at 1 and 5 epochs (BENCHMARKS.md). CBOW: 0.1, twice
// word2vec.c's 0.05: on 4.1M- and 1.4M-word en_mix slices (1 and 5 epochs) 0.05 scored 0.30 % /
// 0.09 and 0.68 % / 0.24 (analogy / WS-353), 0.1 scored 0.60 % / 0.19 and 2.31 % / 0.44.
double default_lr(train::ModelKind model, train::LossKind /*loss*/) {
  return model == train::ModelKind::kCbow ? 0.1 : 0.05;
}

// The command line's side of the run (pipeline/train_run.hpp): it prints, and adds the files
// and features of its options — the input/output checks, --init, --checkpoint and --resume,
// --snapshots and --save-init, -o, --save-vocab, --save-fasttext, --eval-*.
class TrainPrinter final : public pipeline::TrainRunHooks {
 public:
  TrainPrinter(const TrainArgs& a, const pipeline::TrainRunConfig& config, io::VectorFormat format,
               bool quiet, bool root, int ranks)
      : a_(a), c_(config), format_(format), quiet_(quiet), root_(root), ranks_(ranks) {}

  // Set by check_files when --eval-analogy / --eval-similarity are given (rank 0).
  std::function<int(const std::string&)> evaluate;

  void check_files() override {
    {
      // No output may be one of the inputs (by identity: another path, a link).
      std::vector<io::NamedPath> ins, outs;
      for (const auto& in : a_.inputs) ins.push_back({"input", in});
      if (!a_.read_vocab.empty()) ins.push_back({"--read-vocab", a_.read_vocab});
      if (!a_.eval_analogy.empty()) ins.push_back({"--eval-analogy", a_.eval_analogy});
      if (!a_.eval_similarity.empty()) ins.push_back({"--eval-similarity", a_.eval_similarity});
      if (!a_.ckpt.init.empty()) ins.push_back({"--init", a_.ckpt.init});
      // --resume FILE --checkpoint FILE is fine: the checkpoint was read whole before training.
      if (!a_.ckpt.resume.empty() && a_.ckpt.resume != a_.ckpt.checkpoint) {
        ins.push_back({"--resume", a_.ckpt.resume});
      }
      if (!a_.ckpt.checkpoint.empty()) outs.push_back({"--checkpoint", a_.ckpt.checkpoint});
      if (!a_.vocab_only) outs.push_back({"-o", a_.output});
      if (!a_.save_vocab.empty()) outs.push_back({"--save-vocab", a_.save_vocab});
      if (!a_.save_fasttext.empty()) outs.push_back({"--save-fasttext", a_.save_fasttext});
      if (!a_.snapshots.save_init.empty()) outs.push_back({"--save-init", a_.snapshots.save_init});
      io::check_outputs_differ(outs, ins);
    }
    io::check_inputs(a_.inputs);
    if (!a_.read_vocab.empty()) io::check_inputs({a_.read_vocab});
    for (const auto* f : {&a_.eval_analogy, &a_.eval_similarity}) {
      if (!f->empty()) io::check_inputs({*f});
    }
    if (root_) {
      if (!a_.vocab_only) io::check_writable(a_.output);
      if (!a_.save_vocab.empty()) io::check_writable(a_.save_vocab);
      if (!a_.save_fasttext.empty()) io::check_writable(a_.save_fasttext);
      if (!a_.ckpt.checkpoint.empty()) io::check_writable(a_.ckpt.checkpoint);
      // The evaluation sets are parsed now, not after the training.
      if (!a_.eval_analogy.empty() || !a_.eval_similarity.empty()) {
        evaluate = prepare_evaluation(a_.eval_analogy, a_.eval_similarity);
      }
    }
    total_ = Timer();
    if (quiet_) return;
    if (ranks_ > 1) {
      spdlog::info("reading {} input(s) with {} ranks x {} thread(s), each rank its own part",
                   a_.inputs.size(), ranks_, c_.train.threads);
    } else {
      spdlog::info("reading {} input(s) with {} thread(s)", a_.inputs.size(), c_.train.threads);
    }
  }

  train::VocabBuilder vocab_builder() override {
    if (a_.ckpt.init_source) return init_vocab_builder(*a_.ckpt.init_source, c_.corpus.vocab);
    return {};
  }

  void corpus_read(const train::LoadedCorpus& data, const pipeline::ReadSummary& sum) override {
    data_ = &data;
    if (quiet_) return;
    const auto& st = data.stats;
    if (sum.ranks > 1 && a_.read_vocab.empty()) {
      spdlog::info("vocabulary merged across {} ranks: {:.1f} MB exchanged", sum.ranks,
                   static_cast<double>(sum.vocab_bytes_exchanged) / 1e6);
    }
    spdlog::info(
        "read {} tokens ({} lines, {:.1f} MB) in {:.2f} s; {} distinct, vocabulary {} (min-count "
        "{})",
        st.tokens_read, st.read.lines, static_cast<double>(st.read.bytes) / 1e6, st.seconds,
        st.distinct_words, data.vocab.size(), c_.corpus.vocab.min_count);
    if (st.mode == text::TokenizeMode::kKorean) {
      const bool chosen = a_.tokenize == "auto";
      spdlog::info(
          "Korean mode{}: split {} of {} distinct eojeol ({:.1f}% of the tokens) into stem + "
          "particle/ending ({} stems learned from the counts), {} tokens after splitting, {} "
          "distinct; {}",
          chosen
              ? fmt::format(" (chosen: {:.0f}% of the letters are Hangul)", 100 * st.hangul_share)
              : std::string(),
          st.korean.split_distinct, st.distinct_words,
          st.tokens_read > 0 ? 100.0 * static_cast<double>(st.korean.split_tokens) /
                                   static_cast<double>(st.tokens_read)
                             : 0.0,
          st.korean.stems, st.units, st.distinct_units,
          chosen ? "--tokenize words (or whitespace) keeps eojeol whole"
                 : "--tokenize words keeps eojeol whole");
    }
    if (st.prune.rounds > 0) {
      spdlog::warn(
          "counting hit its bound of {} distinct words: pruned {} rare entries ({} occurrences) "
          "in {} rounds, final count threshold {}; raise --max-counter-words to keep them",
          a_.max_counter, st.prune.entries_removed, st.prune.tokens_removed, st.prune.rounds,
          st.prune.threshold);
    }
    const auto window = static_cast<std::uint64_t>(c_.train.window);
    if (!a_.vocab_only && sum.corpus_tokens >= 2 && sum.corpus_tokens < 2 * window + 1) {
      spdlog::warn(
          "the corpus has only {} in-vocabulary tokens, fewer than one full window (2 x {} + 1): "
          "the vectors will stay close to their random start",
          sum.corpus_tokens, window);
    }
  }

  void write_vocab_only(const vocab::Vocab& vocab) override {
    if (root_) io::write_vocab_file(a_.save_vocab, vocab);
    if (!quiet_) {
      spdlog::info("wrote vocabulary {} ({} words) in {:.2f} s", a_.save_vocab, vocab.size(),
                   total_.seconds());
    }
  }

  void model_ready(train::Model& model, const train::LoadedCorpus& data,
                   train::TrainOptions& topt) override {
    check_resume_corpus(a_.ckpt, data.vocab, data.corpus);
    run_options_ = option_values(a_.ckpt.options, c_.train.threads);
    start_checkpoints(a_.ckpt, run_options_, a_.inputs, a_.output, data.vocab, data.corpus,
                      c_.grams ? &*c_.grams : nullptr, quiet_, model, topt);
    if (root_) start_snapshots(a_.snapshots, a_.format, format_, data.vocab.words(), model, topt);
  }

  void training_starts(const pipeline::TrainingSetup& s) override {
    const train::TrainOptions& topt = *s.options;
    if (root_ && !s.empty_ranks.empty()) {
      spdlog::warn(
          "rank(s) {} of {} have no text to train on: a .gz file of one member (as gzip and "
          "pigz write) is read whole by one rank, so give at least as many .gz files as ranks, "
          "a .gz of many members (`cat a.gz b.gz`, bgzip), or plain text (split by bytes)",
          fmt::join(s.empty_ranks, ", "), s.ranks);
    }
    if (quiet_) return;
    const bool hs = topt.loss == train::LossKind::kHierarchical;
    spdlog::info(
        "training: {} with {}, dim {}, window {}, {}sample {}, lr {}, epochs {}, {} kernel on {}",
        topt.model == train::ModelKind::kCbow ? "CBOW" : "skip-gram",
        hs ? "hierarchical softmax" : "negative sampling", topt.dim, topt.window,
        hs ? "" : fmt::format("negative {}, ", topt.negative), topt.sample, topt.lr, topt.epochs,
        train::kernel_name(topt.kernel), train::isa_name(topt.isa));
    if (c_.grams) {
      const vocab::SubwordOptions& g = *c_.grams;
      const train::Model& model = *s.model;
      spdlog::info(
          "character n-grams of {}-{} characters{} in {} buckets: input matrix {} x {} ({:.0f} "
          "MB), {:.1f} rows per word",
          g.minn, g.maxn, g.jamo ? " (over jamo)" : "", g.bucket, model.in.rows(), model.stride,
          static_cast<double>(model.in.rows() * model.stride * sizeof(float)) / 1e6,
          static_cast<double>(s.subwords->rows.size()) /
              static_cast<double>(std::max<std::size_t>(1, s.subwords->nwords)));
    }
    if (s.ranks > 1) {
      const dist::SyncOptions& sopt = c_.sync;
      const std::size_t words = data_->vocab.size();
      const std::size_t hot = sopt.hot_rows == 0 ? words : std::min(sopt.hot_rows, words);
      spdlog::info(
          "synchronising {} ranks every {}: the {} most frequent words each time, {}; applying "
          "the {} of the ranks' changes",
          s.ranks,
          sopt.every_words != 0 ? fmt::format("{} words per rank", sopt.every_words)
                                : fmt::format("{} s", sopt.every_seconds),
          hot,
          sopt.full_every == 0
              ? fmt::format("twice as many every 2nd time, 4x every 4th, ... up to all {}", words)
              : fmt::format("all {} every {} times", words, sopt.full_every),
          sopt.combine == dist::Combine::kAverage ? std::string("mean")
          : sopt.combine == dist::Combine::kSum || s.ranks <= 2
              ? std::string("sum")
              : fmt::format("sum (for the {} hot rows times 2/{})", hot, s.ranks));
    }
  }

  void stopped(const train::TrainStats& ts, int epochs) override {
    // --stop-after: the run is not over; the checkpoint holds it, the vectors would be partial.
    if (quiet_) return;
    spdlog::info(
        "stopped after epoch {} of {} (--stop-after): {} not written; continue with: "
        "w2v train {} -o {} --resume {}",
        ts.epochs_done, epochs, a_.output, fmt::join(a_.inputs, " "), a_.output,
        a_.ckpt.checkpoint);
  }

  void write(const train::Model& model, const vocab::Vocab& vocab, const Matrix& words) override {
    // All outputs of the run replace their earlier files together, at the end, or none does.
    if (!quiet_) spdlog::info("writing {} ...", a_.output);
    io::CommitGroup outputs;
    if (!a_.save_vocab.empty()) io::write_vocab_file(a_.save_vocab, vocab);
    io::write_vectors(a_.output, vocab.words(), words.data(), model.dim, model.stride, format_);
    if (!a_.save_fasttext.empty()) {
      save_fasttext(a_.save_fasttext, c_.train, c_.corpus.vocab.min_count, vocab, model,
                    c_.grams ? &*c_.grams : nullptr);
    }
    outputs.commit();
  }

  void finished(const pipeline::RunSummary& done) override {
    if (quiet_) return;
    const train::TrainStats& ts = done.train;
    const auto& st = data_->stats;
    spdlog::info(
        "done in {:.1f} s: {} tokens read, vocabulary {}, {} words trained ({:.0f} words/s, "
        "{:.0f} words/s/thread), final loss {:.4f}",
        total_.seconds(), st.tokens_read, data_->vocab.size(), ts.words, ts.words_per_second,
        ts.words_per_second / done.total_threads, ts.final_loss);
    spdlog::info(
        "training {:.2f} s: {} centre words kept by subsampling, {} (centre, context) pairs",
        ts.seconds, ts.kept, ts.pairs);
    if (done.sync != nullptr) {
      const dist::SyncStats& ss = *done.sync;
      spdlog::info(
          "synchronisation: {} times ({} of all rows), {:.2f} MB per rank and sync on average "
          "({:.2f} MB for the most frequent rows, {:.2f} MB for all), {:.1f} MB in all; sync "
          "thread busy {:.2f} s ({:.1f}% of training), {:.2f} s of it in MPI_Allreduce",
          ss.syncs, ss.full_syncs,
          ss.syncs ? static_cast<double>(ss.bytes_total) / 1e6 / static_cast<double>(ss.syncs)
                   : 0.0,
          static_cast<double>(ss.bytes_hot) / 1e6, static_cast<double>(ss.bytes_full) / 1e6,
          static_cast<double>(ss.bytes_total) / 1e6, ss.seconds,
          ts.seconds > 0 ? 100 * ss.seconds / ts.seconds : 0.0, ss.comm_seconds);
    }
    spdlog::info(
        "skipped: {} out-of-vocabulary tokens, {} invalid UTF-8 bytes replaced, {} tokens "
        "truncated at {} bytes, {} long sentences split, {} long lines split",
        st.tokens_dropped, st.tokenizer.invalid_bytes, st.tokenizer.truncated_tokens,
        c_.corpus.tokenizer.max_token_bytes, st.sentences_split, st.read.split_lines);
    spdlog::info("wrote {} ({} x {}, {}{})", a_.output, data_->vocab.size(), c_.train.dim,
                 format_ == io::VectorFormat::kText ? "text" : "binary",
                 io::is_gzip_path(a_.output) ? ", gzip" : "");
  }

 private:
  const TrainArgs& a_;
  const pipeline::TrainRunConfig& c_;
  io::VectorFormat format_;
  bool quiet_;
  bool root_;
  int ranks_;
  Timer total_;
  const train::LoadedCorpus* data_ = nullptr;  // from corpus_read to the end of the run
  train::OptionList run_options_;              // what --checkpoint stores
};

int run_train(const TrainArgs& a) {
  OptionChecker check;
  train::CorpusOptions copt;
  train::TrainOptions topt;
  const int max_threads = 1024;
  topt.dim = check.integer<std::size_t>("--dim", a.dim, 1, 10000);
  topt.window = check.integer<int>("--window", a.window, 1, 1000);
  topt.model = check.choice([&] { return train::parse_model(a.model); });
  topt.loss = check.choice([&] { return train::parse_loss(a.loss); });
  const bool hs = topt.loss == train::LossKind::kHierarchical;
  if (hs && !a.negative.empty()) {
    check.problem(
        "--negative does not apply to --loss hs (hierarchical softmax draws no negatives)");
  }
  topt.negative =
      a.negative.empty() ? kDefaultNegative : check.integer<int>("--negative", a.negative, 1, 1000);
  topt.sample = check.real("--sample", a.sample, 0.0, 1.0);
  topt.lr = a.lr.empty() ? default_lr(topt.model, topt.loss) : check.real("--lr", a.lr, 1e-9, 10.0);
  topt.min_lr_fraction = check.real("--lr-end", a.lr_end, 0.0, 1.0);
  topt.epochs = check.integer<int>("--epochs", a.epochs, 1, 100000);
  int threads = a.threads == "all" ? omp_get_num_procs()
                                   : check.integer<int>("--threads", a.threads, 1, max_threads);
  topt.seed = check.integer<std::uint64_t>("--seed", a.seed, 0, UINT64_MAX);
  copt.vocab.min_count = check.integer<std::uint64_t>("--min-count", a.min_count, 1, UINT64_MAX);
  copt.vocab.max_vocab = check.integer<std::size_t>("--max-vocab", a.max_vocab, 0, 0xFFFFFFFEu);
  copt.max_counter_entries =
      check.integer<std::size_t>("--max-counter-words", a.max_counter, 0, 0xFFFFFFF0u);
  topt.kernel = check.choice([&] { return train::parse_kernel(a.kernel); });
  if (!hs && topt.kernel == train::KernelKind::kBatched && topt.negative > kMaxBatchedNegative) {
    // Measured: the batched step (one gradient shared by the window) diverges at the default
    // --lr from about 500 negatives; the exact kernel does not.
    check.problem(fmt::format(
        "--negative {} is too many for the batched kernel (at most {}: its shared-window step "
        "becomes unstable); use --kernel exact for more",
        topt.negative, kMaxBatchedNegative));
  }
  copt.tokenizer.mode = check.choice([&] { return text::parse_tokenize_mode(a.tokenize); });
  if (a.korean_suffixes == "drop") {
    copt.korean_suffix_tokens = false;
  } else if (a.korean_suffixes != "tokens") {
    check.problem(
        fmt::format("--korean-suffixes '{}' is not one of: tokens, drop", a.korean_suffixes));
  }
  dist::SyncOptions sopt;
  sopt.every_seconds = check.real("--sync-every", a.sync_every, 1e-3, 1e6);
  sopt.every_words = check.integer<std::uint64_t>("--sync-words", a.sync_words, 0, UINT64_MAX);
  sopt.hot_rows = check.integer<std::size_t>("--sync-hot", a.sync_hot, 0, 0xFFFFFFFFu);
  sopt.full_every = check.integer<int>("--sync-full-every", a.sync_full_every, 0, 1000000);
  if (a.sync_combine == "average") {
    sopt.combine = dist::Combine::kAverage;
  } else if (a.sync_combine == "sum") {
    sopt.combine = dist::Combine::kSum;
  } else if (a.sync_combine != "auto") {
    check.problem(
        fmt::format("--sync-combine '{}' is not one of: auto, sum, average", a.sync_combine));
  }
  vocab::SubwordOptions subopt;
  subopt.maxn = check.integer<int>("--maxn", a.maxn, 0, 100);
  subopt.minn = check.integer<int>("--minn", a.minn, 1, 100);
  subopt.bucket = check.integer<std::uint32_t>("--bucket", a.bucket, 1, 0x7FFFFFFFu);
  subopt.jamo = a.jamo;
  const bool subwords = subopt.maxn > 0;
  if (subwords && subopt.minn > subopt.maxn) {
    check.problem(fmt::format("--minn {} is more than --maxn {}", subopt.minn, subopt.maxn));
  }
  if (!subwords && a.jamo) check.problem("--jamo decomposes the n-grams: it needs --maxn > 0");
  if (a.jamo && !a.save_fasttext.empty()) {
    // The real fastText would take the n-grams of the syllables, not of their jamo: an unknown
    // word would get a wrong vector there, silently.
    check.problem(
        "--save-fasttext with --jamo: fastText would compose unknown words from syllables, not "
        "from the jamo this model was trained on; leave out one of them");
  }
  io::VectorFormat format = io::format_for_path(a.output);
  if (!a.format.empty()) format = check.choice([&] { return io::parse_format(a.format); });
  check.throw_if_any();

  topt.threads = threads;
  topt.isa = train::best_isa();
  topt.progress = !a.quiet;
  copt.threads = threads;
  copt.tokenizer.normalize = !a.no_normalize;
  copt.tokenizer.lowercase = a.lowercase;
  copt.read_vocab = a.read_vocab;
  copt.max_sentence = topt.max_sentence;
  copt.encode = !a.vocab_only;
  if (a.vocab_only && a.save_vocab.empty()) check.problem("--vocab-only needs --save-vocab FILE");
  if (a.vocab_only && !a.save_fasttext.empty()) {
    check.problem("--save-fasttext writes a trained model: not with --vocab-only");
  }
  check.throw_if_any();

  // Under mpirun every rank runs this; MPI starts here (a plain run never touches it).
  const dist::World& world = dist::World::get();
  const bool distributed = world.distributed();
  const bool root = world.root();
  const bool quiet = a.quiet || !root;
  copt.progress = !quiet;
  if (root) check_snapshot_args(a.snapshots, distributed);
  check_checkpoint_args(a.ckpt, distributed, !a.snapshots.save_init.empty(), !a.read_vocab.empty());
  if (distributed) {
    if (!root) spdlog::set_level(spdlog::level::warn);
    spdlog::default_logger()->set_pattern(fmt::format("%^%l%$: rank {}: %v", world.rank()));
  }

  pipeline::TrainRunConfig config;
  config.inputs = a.inputs;
  config.corpus = copt;
  config.train = topt;
  config.train.progress = !quiet;
  config.read_vocab = a.read_vocab;
  if (subwords) config.grams = subopt;
  config.sync = sopt;
  config.vocab_only = a.vocab_only;
  TrainPrinter printer(a, config, format, quiet, world.root(), world.size());
  const pipeline::RunEnd end = pipeline::run_training(config, world, printer);
  if (end == pipeline::RunEnd::kWritten && root && printer.evaluate) {
    return printer.evaluate(a.output);
  }
  return kExitOk;
}

}  // namespace

void register_train(CLI::App& root, Commands& out) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* sub = root.add_subcommand(
      "train",
      "Train word vectors (skip-gram or CBOW, negative sampling or hierarchical softmax, "
      "optionally with character n-grams) on text files (or - for stdin)");
  sub->add_option("inputs", args->inputs, "Text files, .gz files, or - for stdin")->required();
  sub->add_option("-o,--output", args->output,
                  "Output vectors file (.txt/.vec: text, else binary; a further .gz: gzip)")
      ->capture_default_str();
  sub->add_option("--format", args->format, "binary | text (default: from the output's extension)");
  sub->add_option("--dim", args->dim, "Vector dimension")->capture_default_str();
  sub->add_option("--window", args->window, "Maximum context window")->capture_default_str();
  sub->add_option("--model", args->model,
                  "sg (skip-gram: each context word predicts the centre) | cbow (the mean of the "
                  "window predicts the centre; word2vec.c -cbow 1)")
      ->capture_default_str();
  sub->add_option("--loss", args->loss,
                  "ns (negative sampling) | hs (hierarchical softmax over a Huffman tree; "
                  "word2vec.c -hs 1 -negative 0)")
      ->capture_default_str();
  sub->add_option("--negative", args->negative,
                  "Negative samples per prediction (default 5; --loss ns only)");
  sub->add_option("--sample", args->sample, "Subsampling threshold t (0: off)")
      ->capture_default_str();
  sub->add_option("--min-count", args->min_count, "Drop words rarer than this")
      ->capture_default_str();
  sub->add_option("--max-vocab", args->max_vocab, "Keep only the N most frequent words (0: all)")
      ->capture_default_str();
  sub->add_option("--epochs,--iter", args->epochs, "Passes over the corpus")->capture_default_str();
  sub->add_option("--threads", args->threads, "Threads, 1 to 1024 (default: all cores)")
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  sub->add_option("--lr,--alpha", args->lr,
                  "Starting learning rate (default 0.05; 0.1 with --model cbow)");
  sub->add_option("--lr-end", args->lr_end, "Learning rate at the end, as a fraction of --lr")
      ->capture_default_str();
  sub->add_option("--kernel", args->kernel,
                  "batched (shared negatives per window) | exact (word2vec.c)")
      ->capture_default_str();
  sub->add_option("--tokenize", args->tokenize,
                  "auto (korean on Hangul-dominant text, else whitespace) | whitespace | words "
                  "(splits punctuation off) | korean (words, then eojeol split into stem + "
                  "particle/ending learned from the corpus)")
      ->capture_default_str();
  sub->add_option("--korean-suffixes", args->korean_suffixes,
                  "Korean mode: tokens (particles/endings split off become tokens) | drop")
      ->capture_default_str()
      ->type_name("MODE");
  sub->add_flag("--no-normalize", args->no_normalize, "Do not put text in Unicode NFC");
  sub->add_flag("--lowercase", args->lowercase, "Lowercase with Unicode rules");
  sub->add_option("--save-vocab", args->save_vocab, "Write the vocabulary ('word count' lines)");
  sub->add_option("--save-fasttext", args->save_fasttext,
                  "Also write the model as a fastText .bin (words, input and output layers)")
      ->type_name("FILE");
  sub->add_option("--maxn", args->maxn,
                  "Train with character n-grams of --minn..--maxn characters (fastText's model; "
                  "0: words only)")
      ->capture_default_str();
  sub->add_option("--minn", args->minn, "Shortest character n-gram (with --maxn)")
      ->capture_default_str();
  sub->add_option("--bucket", args->bucket, "Hash buckets of the n-gram rows (with --maxn)")
      ->capture_default_str();
  sub->add_flag("--jamo", args->jamo,
                "Korean: n-grams over the jamo of each Hangul syllable (with --maxn)");
  sub->add_option("--read-vocab", args->read_vocab, "Use this vocabulary ('word count' lines)");
  sub->add_option("--max-counter-words", args->max_counter,
                  "Distinct words held while counting, all threads together, before rare ones are "
                  "pruned (0: no bound)")
      ->capture_default_str();
  sub->add_option("--eval-analogy", args->eval_analogy,
                  "Score analogies (questions-words format) after training");
  sub->add_option("--eval-similarity", args->eval_similarity,
                  "Score word similarity pairs after training");
  sub->add_flag("--vocab-only", args->vocab_only,
                "Count the vocabulary, write --save-vocab, do not train");
  sub->add_option("--save-init", args->snapshots.save_init,
                  "Also write the random initial vectors (before training) to this file")
      ->type_name("FILE");
  sub->add_option("--snapshots", args->snapshots.dir,
                  "Write the vectors before training and after each epoch to DIR/epoch-N.bin")
      ->type_name("DIR");
  sub->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  const char* group = "Under mpirun (build with -DW2V_MPI=ON)";
  sub->add_option("--sync-every", args->sync_every, "Seconds between model synchronisations")
      ->capture_default_str()
      ->group(group);
  sub->add_option("--sync-words", args->sync_words,
                  "Synchronise after this many words per rank instead (0: use --sync-every)")
      ->capture_default_str()
      ->group(group);
  sub->add_option("--sync-hot", args->sync_hot,
                  "Most frequent words synchronised every time; twice as many every 2nd time, 4x "
                  "every 4th, ... (0: all words every time)")
      ->capture_default_str()
      ->group(group);
  sub->add_option("--sync-full-every", args->sync_full_every,
                  "Instead of the doubling tiers: --sync-hot words every time, all words every "
                  "K-th time (0: tiers)")
      ->capture_default_str()
      ->group(group);
  sub->add_option("--sync-combine", args->sync_combine,
                  "auto | sum | average: add the ranks' changes to a row, or take their mean; auto "
                  "adds them, but above 2 ranks scales the --sync-hot rows' sum by 2/ranks")
      ->capture_default_str()
      ->group(group);
  name_placeholders(sub, {{"inputs", "FILE"},
                          {"--output", "FILE"},
                          {"--format", "FORMAT"},
                          {"--dim", "INT"},
                          {"--window", "INT"},
                          {"--model", "MODEL"},
                          {"--loss", "LOSS"},
                          {"--negative", "INT"},
                          {"--sample", "FLOAT"},
                          {"--min-count", "INT"},
                          {"--max-vocab", "INT"},
                          {"--epochs", "INT"},
                          {"--threads", "INT"},
                          {"--seed", "INT"},
                          {"--lr", "FLOAT"},
                          {"--lr-end", "FLOAT"},
                          {"--kernel", "KERNEL"},
                          {"--tokenize", "MODE"},
                          {"--save-vocab", "FILE"},
                          {"--read-vocab", "FILE"},
                          {"--max-counter-words", "INT"},
                          {"--maxn", "INT"},
                          {"--minn", "INT"},
                          {"--bucket", "INT"},
                          {"--eval-analogy", "FILE"},
                          {"--eval-similarity", "FILE"},
                          {"--sync-every", "FLOAT"},
                          {"--sync-words", "INT"},
                          {"--sync-hot", "INT"},
                          {"--sync-full-every", "INT"},
                          {"--sync-combine", "MODE"}});
  add_checkpoint_options(sub, args->ckpt);
  out.push_back({sub, [args, sub] {
                   args->ckpt.options = training_options(*args);
                   prepare_checkpoint_args(sub, args->ckpt, args->ckpt.options);
                   return run_train(*args);
                 }});
}

}  // namespace w2v::app
