#include "train_checkpoint.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <unordered_map>

#include <unistd.h>

#include "dist/world.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace w2v::app {

void add_checkpoint_options(CLI::App* sub, CheckpointArgs& a) {
  sub->add_option("--checkpoint", a.checkpoint,
                  "Write the full training state to FILE at the end of each epoch and at a first "
                  "Ctrl-C (continue with --resume FILE)")
      ->type_name("FILE");
  sub->add_option("--resume", a.resume,
                  "Continue the run a --checkpoint FILE saved (its options; the same corpus)")
      ->type_name("FILE");
  sub->add_option("--stop-after", a.stop_after,
                  "Stop after epoch N of --epochs, leaving the --checkpoint to --resume later "
                  "(no vectors written)")
      ->type_name("N");
  sub->add_option("--init", a.init,
                  "Start from a checkpoint or vectors FILE: its words keep their rows, new words "
                  "are added")
      ->type_name("FILE");
}

namespace {

std::string flag_text(bool b) {
  return b ? "1" : "0";
}

// The n-gram options a checkpoint was trained with, or none (also for checkpoints written
// before n-grams could be saved: they name no --maxn).
std::optional<vocab::SubwordOptions> checkpoint_grams(const train::Checkpoint& c,
                                                      const std::string& path) {
  auto number = [&](const char* name, const char* fallback) -> std::uint64_t {
    const std::string v = c.option(name, fallback);
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n > 0x7FFFFFFFu) {
      throw Error(fmt::format("{}: not a usable checkpoint: --{} is '{}'", path, name, v));
    }
    return n;
  };
  vocab::SubwordOptions g;
  g.maxn = static_cast<int>(number("maxn", "0"));
  if (g.maxn == 0) return std::nullopt;
  g.minn = static_cast<int>(number("minn", "3"));
  g.bucket = static_cast<std::uint32_t>(number("bucket", "2000000"));
  g.jamo = c.option("jamo", "0") == "1";
  if (c.model.in.rows() != c.words.size() + g.bucket) {
    throw Error(fmt::format(
        "{}: not a usable checkpoint: its input matrix has {} rows, not {} words + {} buckets",
        path, c.model.in.rows(), c.words.size(), g.bucket));
  }
  return g;
}

std::shared_ptr<InitSource> load_init(const std::string& path) {
  auto src = std::make_shared<InitSource>();
  src->path = path;
  if (train::is_checkpoint(path)) {
    train::Checkpoint c = train::read_checkpoint(path);
    src->grams = checkpoint_grams(c, path);
    src->from_checkpoint = true;
    src->words = std::move(c.words);
    src->counts = std::move(c.counts);
    src->in = std::move(c.model.in);
    src->out = std::move(c.model.out);
    src->dim = c.model.dim;
    src->loss = c.option("loss", "ns");
  } else {
    io::Vectors v = io::read_vectors(path);
    if (v.words.empty()) throw Error(fmt::format("--init {}: no vectors in the file", path));
    src->words = std::move(v.words);
    src->dim = v.matrix.cols();
    src->in = std::move(v.matrix);
  }
  return src;
}

}  // namespace

void prepare_checkpoint_args(const CLI::App* sub, CheckpointArgs& a,
                             const std::vector<OptionRef>& options) {
  auto given = [&](const char* name) { return sub->count(std::string("--") + name) > 0; };
  if (!a.resume.empty()) {
    a.resumed = std::make_shared<train::Checkpoint>(train::read_checkpoint(a.resume));
    std::vector<std::string> conflicts;
    for (const auto& option : a.resumed->options) {
      const std::string& name = option.first;
      const std::string& value = option.second;
      const auto it = std::find_if(options.begin(), options.end(),
                                   [&](const OptionRef& o) { return name == o.name; });
      if (it == options.end()) {
        throw Error(fmt::format("{}: the checkpoint names an option this w2v does not know: --{}",
                                a.resume, name));
      }
      const std::string now = it->flag != nullptr ? flag_text(*it->flag) : *it->text;
      if (given(it->name) && now != value) {
        conflicts.push_back(fmt::format("--{} {} (the checkpoint has {})", name, now,
                                        value.empty() ? "the default" : value));
      }
      if (it->flag != nullptr) {
        *it->flag = value == "1";
      } else {
        *it->text = value;
      }
    }
    if (!conflicts.empty()) {
      throw Error(fmt::format("--resume {} continues the run with the checkpoint's options; "
                              "these differ: {} (leave them out; to train further on other "
                              "terms, start a new run with --init {})",
                              a.resume, fmt::join(conflicts, ", "), a.resume),
                  kExitUsage);
    }
  }
  if (!a.init.empty()) {
    a.init_source = load_init(a.init);
    for (const auto& o : options) {
      if (std::strcmp(o.name, "dim") != 0 || o.text == nullptr) continue;
      const std::string file_dim = std::to_string(a.init_source->dim);
      if (!given("dim")) {
        *o.text = file_dim;
      } else if (*o.text != file_dim) {
        throw Error(fmt::format("--dim {} does not match --init {}, whose vectors have {} "
                                "dimensions (leave --dim out to take it from the file)",
                                *o.text, a.init, file_dim),
                    kExitUsage);
      }
    }
  }
}

void check_checkpoint_args(const CheckpointArgs& a, bool distributed, bool save_init,
                           bool read_vocab) {
  std::vector<std::string> problems;
  const bool any = !a.checkpoint.empty() || !a.resume.empty() || !a.init.empty();
  if (distributed && any) {
    // Each rank's threads, shard and synchronisation state would have to be saved together.
    problems.emplace_back(
        "--checkpoint, --resume and --init are not supported across MPI ranks yet: run them "
        "without mpirun");
  }
  if (!a.resume.empty() && !a.init.empty()) {
    problems.emplace_back(
        "--resume continues a run and --init starts a new one from an old one: give one");
  }
  if (!a.resume.empty() && save_init) {
    problems.emplace_back("--save-init writes the start of a run: not with --resume");
  }
  if (!a.init.empty() && read_vocab) {
    problems.emplace_back(
        "--init builds the vocabulary from the new text and FILE's words: not with --read-vocab");
  }
  if (a.stop_after != "0") {
    OptionChecker check;
    check.integer<int>("--stop-after", a.stop_after, 1, 100000);
    try {
      check.throw_if_any();
    } catch (const Error& e) {
      problems.emplace_back(e.what());
    }
    if (a.checkpoint.empty()) {
      problems.emplace_back("--stop-after needs --checkpoint FILE (to resume from)");
    }
  }
  if (problems.empty()) return;
  const std::string message = fmt::format("{}", fmt::join(problems, "; "));
  // Every rank reaches the same verdict: under mpirun it is reported once, as the others are.
  if (distributed) throw dist::GlobalError(message, kExitUsage);
  throw Error(message, kExitUsage);
}

train::OptionList option_values(const std::vector<OptionRef>& options, int threads) {
  train::OptionList out;
  for (const auto& o : options) {
    std::string v = o.flag != nullptr ? flag_text(*o.flag) : *o.text;
    if (std::strcmp(o.name, "threads") == 0) v = std::to_string(threads);
    out.emplace_back(o.name, std::move(v));
  }
  return out;
}

train::VocabBuilder init_vocab_builder(const InitSource& src, const vocab::VocabOptions& options) {
  return [&src, options](const vocab::Counter& counts, train::CorpusStats& cst) {
    std::unordered_map<std::string_view, std::uint64_t> old;  // word -> its count in FILE
    old.reserve(src.words.size());
    for (std::size_t i = 0; i < src.words.size(); ++i) {
      old.emplace(src.words[i], src.counts.empty() ? 1 : std::max<std::uint64_t>(1, src.counts[i]));
    }
    std::vector<std::pair<std::string, std::uint64_t>> words;
    std::uint64_t max_count = 0;
    for (std::uint32_t id = 0; id < counts.size(); ++id) {
      const std::uint64_t c = counts.count(id);
      max_count = std::max(max_count, c);
      const auto it = old.find(counts.word(id));
      if (it != old.end()) {
        // Counted in both: the checkpoint's count adds to the new one (a vectors file has none).
        words.emplace_back(std::string(counts.word(id)), c + (src.counts.empty() ? 0 : it->second));
        it->second = 0;
      } else if (c >= options.min_count) {
        words.emplace_back(std::string(counts.word(id)), c);
      }
    }
    for (const auto& w : src.words) {
      const auto it = old.find(w);
      if (it->second != 0) {
        words.emplace_back(w, it->second);
        it->second = 0;
      }
    }
    train::VocabChoice choice;
    vocab::VocabOptions all = options;
    all.min_count = 1;
    choice.vocab = vocab::Vocab::from_counts(std::move(words), all);
    choice.to_vocab.resize(counts.size());
    for (std::uint32_t id = 0; id < counts.size(); ++id) {
      choice.to_vocab[id] = choice.vocab.find(counts.word(id));
    }
    cst.distinct_words = counts.size();
    cst.max_count = max_count;
    return choice;
  };
}

void check_resume_corpus(const CheckpointArgs& a, const vocab::Vocab& vocab,
                         const train::Corpus& corpus) {
  if (!a.resumed) return;
  const train::Checkpoint& c = *a.resumed;
  std::string why;
  if (vocab.size() != c.words.size()) {
    why =
        fmt::format("its vocabulary has {} words, this corpus's {}", c.words.size(), vocab.size());
  } else {
    for (std::uint32_t id = 0; id < vocab.size() && why.empty(); ++id) {
      if (vocab.word(id) != c.words[id] || vocab.count(id) != c.counts[id]) {
        why = fmt::format("word {} is '{}' ({} times) there, '{}' ({} times) here", id + 1,
                          c.words[id], c.counts[id], vocab.word(id), vocab.count(id));
      }
    }
  }
  if (why.empty() && (corpus.tokens.size() != c.corpus_tokens ||
                      corpus.sentence_ends.size() != c.corpus_sentences)) {
    why = fmt::format("it was trained on {} tokens in {} sentences, this corpus has {} in {}",
                      c.corpus_tokens, c.corpus_sentences, corpus.tokens.size(),
                      corpus.sentence_ends.size());
  }
  if (!why.empty()) {
    throw Error(fmt::format(
        "--resume {}: the corpus is not the one the checkpoint was trained on: {} (give the same "
        "input files; to train on new text, use --init {})",
        a.resume, why, a.resume));
  }
}

namespace {

void copy_rows(const Matrix& from, std::size_t from_row, Matrix& to, std::size_t to_row,
               std::size_t dim) {
  std::memcpy(to.row(to_row), from.row(from_row), dim * sizeof(float));
}

bool same_grams(const vocab::SubwordOptions& a, const vocab::SubwordOptions& b) {
  return a.minn == b.minn && a.maxn == b.maxn && a.bucket == b.bucket && a.jamo == b.jamo;
}

// `grams`: this run's n-gram options (null: none).
void apply_init(InitSource& src, const vocab::Vocab& vocab, const vocab::SubwordOptions* grams,
                bool ns, bool quiet, int threads, train::Model& model) {
  const bool with_out = src.from_checkpoint && ns && src.loss == "ns" && src.out.rows() > 0;
  // The same n-gram options hash every n-gram to the same bucket: those rows carry over as they
  // are. Otherwise a word of FILE starts from its vector there, the mean of its rows.
  const bool with_grams = src.grams && grams != nullptr && same_grams(*src.grams, *grams);
  if (src.grams && !with_grams) {
    const vocab::SubwordTable table = vocab::build_subwords(src.words, *src.grams, threads);
    train::Model old;
    old.dim = src.dim;
    old.stride = src.in.cols();
    old.in = std::move(src.in);
    src.in = train::word_vectors(old, table, threads);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < src.words.size(); ++i) {
    const std::uint32_t id = vocab.find(src.words[i]);
    if (id == vocab::Vocab::kNone) continue;  // cut by --max-vocab
    copy_rows(src.in, i, model.in, id, model.dim);
    if (with_out && i < src.out.rows()) copy_rows(src.out, i, model.out, id, model.dim);
    ++kept;
  }
  if (with_grams) {
    for (std::uint32_t b = 0; b < grams->bucket; ++b) {
      copy_rows(src.in, src.words.size() + b, model.in, vocab.size() + b, model.dim);
    }
  }
  if (!quiet) {
    spdlog::info(
        "--init {}: {} of the vocabulary's {} words start from its vectors{}{}, {} new words from "
        "random rows",
        src.path, kept, vocab.size(),
        with_out ? " (input and output rows)"
        : src.from_checkpoint
            ? " (input rows; the output layer starts afresh: --loss hs or another loss)"
            : " (input rows; a vectors file has no output layer)",
        with_grams ? fmt::format(", the {} n-gram rows from its n-gram rows", grams->bucket)
        : grams != nullptr
            ? std::string(src.grams ? ", the n-gram rows afresh (other n-gram options there)"
                                    : ", the n-gram rows afresh (none there)")
            : std::string(),
        vocab.size() - kept);
  }
}

}  // namespace

void start_checkpoints(const CheckpointArgs& a, const train::OptionList& options,
                       const std::vector<std::string>& inputs, const std::string& output,
                       const vocab::Vocab& vocab, const train::Corpus& corpus,
                       const vocab::SubwordOptions* grams, bool quiet, train::Model& model,
                       train::TrainOptions& topt) {
  if (a.init_source) {
    apply_init(*a.init_source, vocab, grams, topt.loss == train::LossKind::kNegative, quiet,
               topt.threads, model);
    a.init_source->in = Matrix();  // its rows are in the model now
    a.init_source->out = Matrix();
  }
  if (a.resumed) {
    train::Checkpoint& c = *a.resumed;
    if (c.model.in.rows() != model.in.rows() || c.model.out.rows() != model.out.rows() ||
        c.model.dim != model.dim || c.model.stride != model.stride) {
      throw Error(
          fmt::format("--resume {}: its matrices ({} and {} rows x {}) do not fit this "
                      "model ({} and {} rows x {})",
                      a.resume, c.model.in.rows(), c.model.out.rows(), c.model.dim, model.in.rows(),
                      model.out.rows(), model.dim));
    }
    model.in = std::move(c.model.in);
    model.out = std::move(c.model.out);
    topt.resume = &c.state;
    if (!quiet) {
      spdlog::info("--resume {}: continuing {} at epoch {} of {}, {} words done{}", a.resume,
                   c.state.interrupted ? "an interrupted run" : "a run", c.state.epoch + 1,
                   topt.epochs, c.state.words_done,
                   topt.threads > 1 ? " (with several threads the result is not the same as one "
                                      "uninterrupted run: their updates interleave by timing)"
                                    : "");
    }
  }
  if (a.stop_after != "0") topt.stop_after = std::stoi(a.stop_after);
  if (a.checkpoint.empty()) return;
  if (!quiet) {
    spdlog::info(
        "--checkpoint {}: the training state is written there after each epoch and at "
        "a first Ctrl-C",
        a.checkpoint);
  }
  // One line per epoch into a file or a pipe; on a terminal it would break the progress line
  // drawn in place (which shows the epoch).
  const bool log_epochs = !quiet && ::isatty(2) == 0;
  topt.on_state = [&a, options, inputs, output, &vocab, &corpus, &model,
                   log_epochs](const train::TrainState& state) {
    train::write_checkpoint(a.checkpoint, options, vocab, corpus, state, model);
    if (state.interrupted) {
      spdlog::warn(
          "interrupted in epoch {}: checkpoint {} written ({} words done), {} not written; "
          "continue with: w2v train {} -o {} --resume {}",
          state.epoch + 1, a.checkpoint, state.words_done, output, fmt::join(inputs, " "), output,
          a.checkpoint);
    } else if (log_epochs) {
      spdlog::info("checkpoint {} written after epoch {}", a.checkpoint, state.epoch);
    }
  };
}

}  // namespace w2v::app
