// w2v eval analogy|similarity FILE: scores a vectors file on an evaluation set with the reference
// tools' rules (see src/eval/analogy_eval.hpp and similarity_eval.hpp), and the same scoring for
// `w2v train --eval-analogy/--eval-similarity`.
//
// Output: an aligned table on a terminal, TSV on a pipe (a header line, the settings repeated on
// every row), or one JSON object with --json. Every score is printed with the settings that
// produced it (restrict, method, case folding, rules). Accuracies are percentages.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>

#include "commands.hpp"
#include "eval/analogy_eval.hpp"
#include "eval/eval_vocab.hpp"
#include "eval/similarity_eval.hpp"
#include "io/fasttext_format.hpp"
#include "io/vectors_format.hpp"
#include "io/vocab_file.hpp"
#include "options.hpp"
#include "output.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {

namespace {

enum class Style { kTable, kTsv, kJson };

Style pick_style(bool json) {
  if (json) {
    return Style::kJson;
  }
  return ::isatty(::fileno(stdout)) != 0 ? Style::kTable : Style::kTsv;
}

std::string json_number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("null");
}

std::string percent(const eval::AnalogyCount& c, int decimals) {
  return c.seen == 0 ? std::string("-") : fmt::format("{:.{}f}", c.accuracy(), decimals);
}

std::string json_accuracy(const eval::AnalogyCount& c) {
  return c.seen == 0 ? std::string("null") : fmt::format("{:.4f}", c.accuracy());
}

struct AnalogySettings {
  std::string file, model;
  eval::AnalogyOptions options;
  std::size_t model_words = 0;
};

void print_analogy(const eval::AnalogyScore& s, const AnalogySettings& st, Style style) {
  const char* method = eval::analogy_method_name(st.options.method);
  const char* fold = eval::case_fold_name(st.options.fold);
  const char* rules = eval::analogy_rules_name(st.options.rules);
  const std::size_t restrict = st.options.restrict;
  std::string out;
  if (style == Style::kJson) {
    out += fmt::format(
        "{{\"task\": \"analogy\", \"file\": {}, \"model\": {}, \"restrict\": {}, \"vocab\": {}, "
        "\"method\": \"{}\", \"case\": \"{}\", \"rules\": \"{}\", \"correct\": {}, \"seen\": {}, "
        "\"total\": {}, \"accuracy_pct\": {}, \"coverage_pct\": {}, \"semantic_pct\": {}, "
        "\"semantic_correct\": "
        "{}, \"semantic_seen\": {}, \"syntactic_pct\": {}, \"syntactic_correct\": {}, "
        "\"syntactic_seen\": {}, \"correct_of_all_pct\": {}, \"stems\": {}, "
        "\"composed\": {}, \"answered_by\": {{\"vocabulary\": {}, \"composed\": {}, \"stem\": {}, "
        "\"none\": {}}}, \"sections\": [",
        json_string(st.file), json_string(st.model), restrict, s.vocab, method, fold, rules,
        s.overall.correct, s.overall.seen, s.overall.total, json_accuracy(s.overall),
        json_number(s.overall.coverage(), 4), json_accuracy(s.semantic), s.semantic.correct,
        s.semantic.seen, json_accuracy(s.syntactic), s.syntactic.correct, s.syntactic.seen,
        json_number(s.overall.accuracy_of_all(), 4), st.options.stems ? "true" : "false",
        s.composed, s.routes.vocabulary, s.routes.composed, s.routes.stem, s.routes.missing);
    for (std::size_t i = 0; i < s.sections.size(); ++i) {
      const auto& sec = s.sections[i];
      out += fmt::format(
          "{}{{\"name\": {}, \"kind\": \"{}\", \"correct\": {}, \"seen\": {}, \"total\": {}, "
          "\"accuracy_pct\": {}}}",
          i == 0 ? "" : ", ", json_string(sec.name), sec.syntactic ? "syntactic" : "semantic",
          sec.count.correct, sec.count.seen, sec.count.total, json_accuracy(sec.count));
    }
    out += "]}\n";
  } else if (style == Style::kTsv) {
    // Accuracy is a percentage in every format, and every format says so.
    out += "name\tkind\tcorrect\tseen\ttotal\taccuracy_pct\trestrict\tmethod\tcase\trules\n";
    auto row = [&](const std::string& name, const char* kind, const eval::AnalogyCount& c) {
      out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", tsv_cell(name), kind,
                         c.correct, c.seen, c.total, percent(c, 4), restrict, method, fold, rules);
    };
    for (const auto& sec : s.sections) {
      row(sec.name, sec.syntactic ? "syntactic" : "semantic", sec.count);
    }
    row("semantic", "total", s.semantic);
    row("syntactic", "total", s.syntactic);
    row("all", "total", s.overall);
  } else {
    out += fmt::format("analogy {}  model {}\n", st.file, st.model);
    out += fmt::format(
        "settings: restrict {} (searched {} of the {} words read), method {}, case {}, rules {}\n",
        restrict, s.vocab, st.model_words, method, fold, rules);
    std::size_t width = 9;
    for (const auto& sec : s.sections) {
      width = std::max(width, sec.name.size());
    }
    out += fmt::format("{:<{}}  {:>8}  {:>8}  {:>8}  {:>9}\n", "section", width, "correct", "seen",
                       "total", "accuracy");
    auto row = [&](const std::string& name, const eval::AnalogyCount& c) {
      out += fmt::format("{:<{}}  {:>8}  {:>8}  {:>8}  {:>7} %\n", name.empty() ? "-" : name, width,
                         c.correct, c.seen, c.total, percent(c, 2));
    };
    for (const auto& sec : s.sections) {
      row(sec.name, sec.count);
    }
    out += std::string(width + 43, '-') + "\n";
    row("semantic", s.semantic);
    row("syntactic", s.syntactic);
    row("total", s.overall);
    out += fmt::format("coverage: {} of {} questions seen ({:.2f} %)\n", s.overall.seen,
                       s.overall.total, s.overall.coverage());
    out += fmt::format(
        "correct of all questions: {} of {} ({:.2f} %; an unseen one counts as wrong)\n",
        s.overall.correct, s.overall.total, s.overall.accuracy_of_all());
    if (st.options.stems) {
      out += fmt::format(
          "answered: {} through the vocabulary, {} through composed forms ({} candidates), {} "
          "through the stem of a Korean eojeol, {} not at all\n",
          s.routes.vocabulary, s.routes.composed, s.composed, s.routes.stem, s.routes.missing);
    }
  }
  std::fputs(out.c_str(), stdout);
}

struct SimilaritySettings {
  std::string file, model;
  eval::SimilarityOptions options;
  std::size_t model_words = 0;
};

void print_similarity(const eval::SimilarityScore& s, const SimilaritySettings& st, Style style) {
  const char* fold = eval::case_fold_name(st.options.fold);
  const std::size_t restrict = st.options.restrict;
  std::string out;
  if (style == Style::kJson) {
    out = fmt::format(
        "{{\"task\": \"similarity\", \"file\": {}, \"model\": {}, \"restrict\": {}, \"vocab\": {}, "
        "\"case\": \"{}\", \"spearman\": {}, \"pearson\": {}, \"pairs\": {}, \"skipped\": {}, "
        "\"stems\": {}, \"answered_by\": {{\"vocabulary\": {}, \"stem\": {}, \"none\": {}}}}}\n",
        json_string(st.file), json_string(st.model), restrict, s.vocab, fold,
        json_number(s.spearman, 6), json_number(s.pearson, 6), s.pairs, s.skipped,
        st.options.stems ? "true" : "false", s.by_vocabulary, s.by_stem, s.skipped);
  } else if (style == Style::kTsv) {
    out = "file\tspearman\tpearson\tpairs\tskipped\trestrict\tcase\n";
    out += fmt::format("{}\t{:.6f}\t{:.6f}\t{}\t{}\t{}\t{}\n", tsv_cell(st.file), s.spearman,
                       s.pearson, s.pairs, s.skipped, restrict, fold);
  } else {
    out = fmt::format("similarity {}  model {}\n", st.file, st.model);
    out += fmt::format("settings: restrict {} (searched {} of the {} words read), case {}\n",
                       restrict, s.vocab, st.model_words, fold);
    out += fmt::format("spearman  {:.4f}\npearson   {:.4f}\n", s.spearman, s.pearson);
    out += fmt::format("pairs     {} used, {} skipped (a word outside the vocabulary)\n", s.pairs,
                       s.skipped);
    if (st.options.stems && s.by_stem > 0) {
      out += fmt::format("          {} of them through the stem of a Korean eojeol\n", s.by_stem);
    }
  }
  std::fputs(out.c_str(), stdout);
}

// The rows an evaluation reads: it only ever looks at the first `restrict` rows, so those are all
// it reads (--restrict implies --limit); --limit N reads fewer when smaller. 0 = unbounded.
std::size_t rows_to_read(std::size_t restrict, std::size_t limit) {
  if (restrict == 0) return limit;
  if (limit == 0) return restrict;
  return std::min(restrict, limit);
}

io::Vectors load_model(const std::string& path, std::size_t limit) {
  Timer timer;
  io::Vectors v = io::read_vectors(path, limit);
  spdlog::info("loaded {}: {} words x {} dims ({}) in {:.2f} s", path, v.size(), v.dim(), v.format,
               timer.seconds());
  return v;
}

void run_analogy(const io::Vectors& v, const eval::AnalogySet& set, AnalogySettings st,
                 Style style) {
  Timer timer;
  const auto score = eval::evaluate_analogies(v, set, st.options);
  spdlog::info("analogy: {} questions over {} words in {:.3f} s", set.questions(), score.vocab,
               timer.seconds());
  st.model_words = v.size();
  print_analogy(score, st, style);
}

// A fastText model with n-grams: the pairs' words outside the (restricted) vocabulary get the
// vectors fastText gives them, composed from their n-grams, after the vocabulary's rows.
eval::SimilarityScore similarity_with_subwords(const io::Vectors& v, const eval::SimilaritySet& set,
                                               eval::SimilarityOptions options) {
  const std::size_t n = options.restrict == 0 ? v.size() : std::min(options.restrict, v.size());
  const eval::EvalVocab vocab(v.words, options.restrict, options.fold);
  std::vector<std::string> extra;
  std::unordered_set<std::string> seen;
  for (const auto& pair : set.pairs) {
    for (const std::string* w : {&pair.a, &pair.b}) {
      if (vocab.lookup(*w) == eval::EvalVocab::kNone && seen.insert(*w).second) {
        extra.push_back(*w);
      }
    }
  }
  std::vector<std::string> words(v.words.begin(), v.words.begin() + static_cast<std::ptrdiff_t>(n));
  Matrix m(n + extra.size(), v.dim());
  if (n > 0) std::memcpy(m.data(), v.matrix.data(), n * v.dim() * sizeof(float));
  for (const std::string& w : extra) {
    if (v.subwords->compose(w, m.row(words.size())) > 0) words.push_back(w);
  }
  spdlog::info(
      "similarity: {} word(s) outside the vocabulary get vectors composed from their "
      "character n-grams",
      words.size() - n);
  options.restrict = 0;
  eval::SimilarityScore score = eval::evaluate_similarity(words, m, set, options);
  score.vocab = n;  // the words searched; the composed ones are extra
  return score;
}

void run_similarity(const io::Vectors& v, const eval::SimilaritySet& set, SimilaritySettings st,
                    Style style) {
  const auto score = v.subwords != nullptr ? similarity_with_subwords(v, set, st.options)
                                           : eval::evaluate_similarity(v, set, st.options);
  if (score.pairs == 0) {
    spdlog::warn("similarity: no pair of {} has both words in the vocabulary", st.file);
  }
  st.model_words = v.size();
  print_similarity(score, st, style);
}

struct EvalArgs {
  std::string file, model;
  std::string restrict_analogy = "30000";
  std::string restrict_similarity = "300000";
  std::string method = "3cosadd", rules = "word2vec", fold;
  std::string threads = "0";
  std::string limit = "0";
  std::string forms;
  bool json = false;
  bool no_stems = false;
};

}  // namespace

void register_eval(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("eval", "Score vectors on analogy or word-similarity sets");
  sub->require_subcommand(1);
  auto args = std::make_shared<EvalArgs>();

  CLI::App* an = sub->add_subcommand(
      "analogy",
      "Analogy accuracy (questions-words.txt format), as word2vec's compute-accuracy counts it");
  an->add_option("file", args->file, "Questions: ': section' lines, then 'A B C D' lines")
      ->required()
      ->type_name("FILE");
  an->add_option("-m,--model", args->model, "Vectors file (default: $W2V_MODEL, else vectors.bin)")
      ->type_name("FILE");
  an->add_option("--restrict", args->restrict_analogy,
                 "Search and accept only the N most frequent words (0 = all); only they are "
                 "read (it implies --limit N)")
      ->capture_default_str()
      ->type_name("INT");
  an->add_option("--method", args->method, "3cosadd | 3cosmul")
      ->capture_default_str()
      ->type_name("METHOD");
  an->add_option("--rules", args->rules,
                 "word2vec: compute-accuracy's rules (exclude the question rows, answer must "
                 "score > 0); gensim: evaluate_word_analogies' (exclude every case variant of the "
                 "question words)")
      ->capture_default_str()
      ->type_name("RULES");
  an->add_option(
        "--case", args->fold,
        "Case folding of questions and vocabulary: ascii (toupper, compute-accuracy; "
        "default with --rules word2vec) | unicode (uppercase, gensim; default with --rules "
        "gensim) | none")
      ->type_name("CASE");
  an->add_option("--threads", args->threads, "Threads (0 = all cores)")->type_name("INT");
  add_limit_option(an, args->limit);
  an->add_option("--forms", args->forms,
                 "The corpus's surface forms, a word-count file ('word count' lines: w2v train "
                 "CORPUS --tokenize words --vocab-only --save-vocab FILE): each Korean form the "
                 "model lacks that is a stem + particle/ending of its rows becomes a candidate, "
                 "unit(stem) + unit(suffix)")
      ->type_name("FILE");
  an->add_flag("--json", args->json, "Print one JSON object");
  an->add_flag("--no-stems", args->no_stems,
               "Look up only the words themselves, not the stem of a Korean eojeol the vocabulary "
               "lacks (the reference tools' rule)");

  CLI::App* si = sub->add_subcommand(
      "similarity",
      "Spearman/Pearson correlation with human scores, as gensim's evaluate_word_pairs");
  si->add_option("file", args->file, "Pairs: 'word SEP word SEP score', SEP tab, comma or spaces")
      ->required()
      ->type_name("FILE");
  si->add_option("-m,--model", args->model, "Vectors file (default: $W2V_MODEL, else vectors.bin)")
      ->type_name("FILE");
  si->add_option("--restrict", args->restrict_similarity,
                 "Accept only the N most frequent words (0 = all; gensim's default 300000); only "
                 "they are read (it implies --limit N)")
      ->capture_default_str()
      ->type_name("INT");
  si->add_option("--case", args->fold, "Case folding: unicode (gensim, default) | ascii | none")
      ->type_name("CASE");
  add_limit_option(si, args->limit);
  si->add_flag("--json", args->json, "Print one JSON object");
  si->add_flag("--no-stems", args->no_stems,
               "Look up only the words themselves, not the stem of a Korean eojeol the vocabulary "
               "lacks (the reference tools' rule)");

  out.push_back(
      {sub, [args, an]() -> int {
         const Style style = pick_style(args->json);
         const std::string model = model_path(args->model);
         OptionChecker check;
         const std::size_t limit = limit_rows(args->limit, check);
         if (an->parsed()) {
           AnalogySettings st;
           st.file = args->file;
           st.model = model;
           st.options.restrict =
               check.integer<std::size_t>("--restrict", args->restrict_analogy, 0, SIZE_MAX);
           st.options.method =
               check.choice([&] { return eval::parse_analogy_method(args->method); });
           st.options.rules = check.choice([&] { return eval::parse_analogy_rules(args->rules); });
           st.options.fold =
               !args->fold.empty() ? check.choice([&] { return eval::parse_case_fold(args->fold); })
               : st.options.rules == eval::AnalogyRules::kGensim ? eval::CaseFold::kUnicode
                                                                 : eval::CaseFold::kAscii;
           st.options.threads = check.integer<int>("--threads", args->threads, 0, 4096);
           st.options.stems = !args->no_stems;
           check.throw_if_any();
           // The set is checked before the (possibly large) model is read.
           const eval::AnalogySet set = eval::read_analogies(st.file);
           std::vector<std::string> forms;
           if (!args->forms.empty()) {
             forms = io::read_vocab_file(args->forms, vocab::VocabOptions{1, 0}).words();
             st.options.forms = &forms;
           }
           run_analogy(load_model(model, rows_to_read(st.options.restrict, limit)), set, st, style);
           return kExitOk;
         }
         SimilaritySettings st;
         st.file = args->file;
         st.model = model;
         st.options.restrict =
             check.integer<std::size_t>("--restrict", args->restrict_similarity, 0, SIZE_MAX);
         st.options.fold = !args->fold.empty()
                               ? check.choice([&] { return eval::parse_case_fold(args->fold); })
                               : eval::CaseFold::kUnicode;
         st.options.stems = !args->no_stems;
         check.throw_if_any();
         const eval::SimilaritySet set = eval::read_similarity(st.file);
         run_similarity(load_model(model, rows_to_read(st.options.restrict, limit)), set, st,
                        style);
         return kExitOk;
       }});
}

std::function<int(const std::string&)> prepare_evaluation(const std::string& analogy_file,
                                                          const std::string& similarity_file) {
  // The sets are read now, before the (possibly long) work that makes the vectors.
  auto analogies = std::make_shared<eval::AnalogySet>();
  auto pairs = std::make_shared<eval::SimilaritySet>();
  if (!analogy_file.empty()) *analogies = eval::read_analogies(analogy_file);
  if (!similarity_file.empty()) *pairs = eval::read_similarity(similarity_file);
  return [=](const std::string& vectors_path) {
    const Style style = pick_style(false);
    // Both sets with their default restrict: read as many rows as the larger needs.
    const std::size_t rows =
        analogy_file.empty() ? eval::SimilarityOptions{}.restrict
        : similarity_file.empty()
            ? eval::AnalogyOptions{}.restrict
            : std::max(eval::AnalogyOptions{}.restrict, eval::SimilarityOptions{}.restrict);
    const io::Vectors v = load_model(vectors_path, rows);
    if (!analogy_file.empty()) {
      AnalogySettings st;
      st.file = analogy_file;
      st.model = vectors_path;
      run_analogy(v, *analogies, st, style);
    }
    if (!similarity_file.empty()) {
      if (!analogy_file.empty()) std::fputs("\n", stdout);
      SimilaritySettings st;
      st.file = similarity_file;
      st.model = vectors_path;
      run_similarity(v, *pairs, st, style);
    }
    std::fflush(stdout);
    return static_cast<int>(kExitOk);
  };
}

}  // namespace w2v::app
