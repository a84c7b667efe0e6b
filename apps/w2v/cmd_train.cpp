// w2v train: corpus -> vectors file.
#include <omp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fmt/format.h>
#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/vectors_format.hpp"
#include "train/corpus.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

// Every numeric option is taken as text and checked here, so all mistakes are reported together
// (CLI11 would stop at the first).
class OptionChecker {
 public:
  template <typename T>
  T integer(const char* name, const std::string& text, T lo, T hi) {
    T v{};
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size()) {
      problems_.push_back(fmt::format("{} '{}' is not a whole number", name, text));
    } else if (v < lo || v > hi) {
      problems_.push_back(fmt::format("{} {} is out of range ({} to {})", name, text, lo, hi));
    }
    return v;
  }
  double real(const char* name, const std::string& text, double lo, double hi) {
    double v = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v)) {
      problems_.push_back(fmt::format("{} '{}' is not a finite number", name, text));
    } else if (v < lo || v > hi) {
      problems_.push_back(fmt::format("{} {} is out of range ({} to {})", name, text, lo, hi));
    }
    return v;
  }
  template <typename F>
  auto choice(F parse) -> decltype(parse()) {
    try {
      return parse();
    } catch (const Error& e) {
      problems_.emplace_back(e.what());
      return {};
    }
  }
  void problem(std::string p) { problems_.push_back(std::move(p)); }
  void throw_if_any() const {
    if (problems_.empty()) return;
    std::string msg = problems_.size() == 1 ? "bad option: " : "bad options:";
    if (problems_.size() == 1) {
      msg += problems_[0];
    } else {
      for (const auto& p : problems_) msg += "\n  " + p;
    }
    throw Error(msg, kExitUsage);
  }

 private:
  std::vector<std::string> problems_;
};

struct TrainArgs {
  std::vector<std::string> inputs;
  std::string output = "vectors.bin";
  std::string format;
  std::string dim = "100", window = "5", negative = "5", sample = "1e-3", min_count = "5";
  std::string max_vocab = "0", epochs = "5", threads = "all", seed = "1", lr = "0.05";
  std::string max_counter = "20000000";
  std::string lr_end = "0.0001";
  std::string kernel = "batched";
  std::string tokenize = "whitespace";
  std::string save_vocab, read_vocab;
  std::string eval_analogy, eval_similarity;
  bool no_normalize = false;
  bool lowercase = false;
  bool quiet = false;
  bool vocab_only = false;
};

int run_train(const TrainArgs& a) {
  OptionChecker check;
  train::CorpusOptions copt;
  train::TrainOptions topt;
  const int max_threads = 1024;
  topt.dim = check.integer<std::size_t>("--dim", a.dim, 1, 10000);
  topt.window = check.integer<int>("--window", a.window, 1, 1000);
  topt.negative = check.integer<int>("--negative", a.negative, 1, 1000);
  topt.sample = check.real("--sample", a.sample, 0.0, 1.0);
  topt.lr = check.real("--lr", a.lr, 1e-9, 10.0);
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
  copt.tokenizer.mode = check.choice([&] { return text::parse_tokenize_mode(a.tokenize); });
  io::VectorFormat format = io::format_for_path(a.output);
  if (!a.format.empty()) format = check.choice([&] { return io::parse_format(a.format); });
  check.throw_if_any();

  topt.threads = threads;
  topt.isa = train::best_isa();
  topt.progress = !a.quiet;
  copt.threads = threads;
  // The counting bound is for all threads together: each holds its share.
  if (copt.max_counter_entries != 0) {
    copt.max_counter_entries = std::max<std::size_t>(copt.max_counter_entries / threads, 1000);
  }
  copt.tokenizer.normalize = !a.no_normalize;
  copt.tokenizer.lowercase = a.lowercase;
  copt.read_vocab = a.read_vocab;
  copt.max_sentence = topt.max_sentence;
  copt.encode = !a.vocab_only;
  if (a.vocab_only && a.save_vocab.empty()) check.problem("--vocab-only needs --save-vocab FILE");
  check.throw_if_any();

  // Everything that can be checked before the long work is checked now.
  io::check_inputs(a.inputs);
  if (!a.read_vocab.empty()) io::check_inputs({a.read_vocab});
  if (!a.vocab_only) io::check_writable(a.output);
  if (!a.save_vocab.empty()) io::check_writable(a.save_vocab);
  for (const auto* f : {&a.eval_analogy, &a.eval_similarity}) {
    if (!f->empty()) io::check_inputs({*f});
  }

  Timer total;
  if (!a.quiet) spdlog::info("reading {} input(s) with {} thread(s)", a.inputs.size(), threads);
  train::LoadedCorpus data = train::load_corpus(a.inputs, copt);
  const auto& st = data.stats;
  if (st.tokens_read == 0) {
    throw Error(fmt::format("{}: no words found in the input (empty or whitespace only)",
                            fmt::join(a.inputs, ", ")));
  }
  if (data.vocab.empty()) {
    // Say which --min-count would have kept something.
    std::string hint;
    if (a.read_vocab.empty()) {
      hint = fmt::format(
          "; the most frequent word occurs {} times; --min-count {} or lower keeps words",
          st.max_count, st.max_count);
    } else {
      hint = fmt::format(" among the words of {}", a.read_vocab);
    }
    throw Error(fmt::format("vocabulary is empty: no word occurs at least {} times{}",
                            copt.vocab.min_count, hint));
  }
  if (!a.quiet) {
    spdlog::info(
        "read {} tokens ({} lines, {:.1f} MB) in {:.2f} s; {} distinct, vocabulary {} (min-count "
        "{})",
        st.tokens_read, st.read.lines, static_cast<double>(st.read.bytes) / 1e6, st.seconds,
        st.distinct_words, data.vocab.size(), copt.vocab.min_count);
  }
  if (st.prune.rounds > 0) {
    spdlog::warn(
        "counting hit its bound of {} distinct words ({} per thread): pruned {} rare entries "
        "({} occurrences) in {} rounds, final count threshold {}; raise --max-counter-words "
        "to keep them",
        a.max_counter, copt.max_counter_entries, st.prune.entries_removed, st.prune.tokens_removed,
        st.prune.rounds, st.prune.threshold);
  }
  if (!a.save_vocab.empty()) data.vocab.save(a.save_vocab);
  if (a.vocab_only) {
    if (!a.quiet)
      spdlog::info("wrote vocabulary {} ({} words) in {:.2f} s", a.save_vocab, data.vocab.size(),
                   total.seconds());
    return kExitOk;
  }
  if (data.corpus.size() < 2) {
    throw Error(fmt::format("{}: too little text to train on: {} in-vocabulary token(s)",
                            fmt::join(a.inputs, ", "), data.corpus.size()));
  }

  if (data.corpus.size() < 2 * static_cast<std::size_t>(topt.window) + 1) {
    spdlog::warn(
        "the corpus has only {} in-vocabulary tokens, fewer than one full window (2 x {} + 1): "
        "the vectors will stay close to their random start",
        data.corpus.size(), topt.window);
  }
  train::Model model = train::init_model(data.vocab.size(), topt.dim, topt.seed, threads);
  if (!a.quiet) {
    spdlog::info(
        "training: dim {}, window {}, negative {}, sample {}, lr {}, epochs {}, {} kernel on {}",
        topt.dim, topt.window, topt.negative, topt.sample, topt.lr, topt.epochs,
        train::kernel_name(topt.kernel), train::isa_name(topt.isa));
  }
  const train::TrainStats ts = train::train(model, data.vocab, data.corpus, topt);
  io::write_vectors(a.output, data.vocab.words(), model.in.data(), model.dim, model.stride, format);

  if (!a.quiet) {
    spdlog::info(
        "done in {:.1f} s: {} tokens read, vocabulary {}, {} words trained ({:.0f} words/s, "
        "{:.0f} words/s/thread), final loss {:.4f}",
        total.seconds(), st.tokens_read, data.vocab.size(), ts.words, ts.words_per_second,
        ts.words_per_second / threads, ts.final_loss);
    spdlog::info(
        "training {:.1f} s: {} centre words kept by subsampling, {} (centre, context) pairs",
        ts.seconds, ts.kept, ts.pairs);
    spdlog::info(
        "skipped: {} out-of-vocabulary tokens, {} invalid UTF-8 bytes replaced, {} tokens "
        "truncated at {} bytes, {} long sentences split, {} long lines split",
        st.tokens_dropped, st.tokenizer.invalid_bytes, st.tokenizer.truncated_tokens,
        copt.tokenizer.max_token_bytes, st.sentences_split, st.read.split_lines);
    spdlog::info("wrote {} ({} x {}, {})", a.output, data.vocab.size(), topt.dim,
                 format == io::VectorFormat::kText ? "text" : "binary");
  }
  if (!a.eval_analogy.empty() || !a.eval_similarity.empty()) {
    return evaluate_after_training(a.output, a.eval_analogy, a.eval_similarity);
  }
  return kExitOk;
}

}  // namespace

void register_train(CLI::App& root, Commands& out) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* sub =
      root.add_subcommand("train", "Train skip-gram word vectors on text files (or - for stdin)");
  sub->add_option("inputs", args->inputs, "Text files, .gz files, or - for stdin")->required();
  sub->add_option("-o,--output", args->output, "Output vectors file (.txt/.vec: text, else binary)")
      ->capture_default_str();
  sub->add_option("--format", args->format, "binary | text (default: from the output's extension)");
  sub->add_option("--dim", args->dim, "Vector dimension")->capture_default_str();
  sub->add_option("--window", args->window, "Maximum context window")->capture_default_str();
  sub->add_option("--negative", args->negative, "Negative samples per prediction")
      ->capture_default_str();
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
  sub->add_option("--lr,--alpha", args->lr, "Starting learning rate")->capture_default_str();
  sub->add_option("--lr-end", args->lr_end, "Learning rate at the end, as a fraction of --lr")
      ->capture_default_str();
  sub->add_option("--kernel", args->kernel,
                  "batched (shared negatives per window) | exact (word2vec.c)")
      ->capture_default_str();
  sub->add_option("--tokenize", args->tokenize, "whitespace | words (splits punctuation off)")
      ->capture_default_str();
  sub->add_flag("--no-normalize", args->no_normalize, "Do not put text in Unicode NFC");
  sub->add_flag("--lowercase", args->lowercase, "Lowercase with Unicode rules");
  sub->add_option("--save-vocab", args->save_vocab, "Write the vocabulary ('word count' lines)");
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
  sub->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  out.push_back({sub, [args] { return run_train(*args); }});
}

}  // namespace w2v::app
