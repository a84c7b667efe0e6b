// w2v eval agrees with the reference tools on the same vectors file:
//  * analogy correct/seen per section equal word2vec's original `compute-accuracy FILE N`
//    (found through scripts/install-peers.sh; the test FAILS when it cannot be installed);
//  * with --rules gensim, correct/seen equal gensim's evaluate_word_analogies(restrict_vocab=N);
//    with the default (word2vec) rules the accuracy is within 0.1 points of it on a trained model;
//  * Spearman within 0.001 of gensim's evaluate_word_pairs.
//  Compared with --no-stems (the reference tools look words up only as they are); without it,
//  w2v also answers Korean eojeol through their stems, and the Korean set sees more questions.
// gensim runs through /usr/bin/python3 (Debian python3-gensim) and tests/interop/gensim_eval.py.
//
// SyntheticModel runs on a bare clone: a generated embedding over the words of
// tests/data/eval/questions-words-subset.txt, with case variants and filler words, so the two
// references' rules really differ. SharedData trains small English and Korean models on
// ../shared/data and uses the full evaluation sets; it is SKIPPED when that folder is absent.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "eval/analogy_eval.hpp"
#include "io/vectors_format.hpp"

namespace w2v {
namespace {

namespace fs = std::filesystem;

const std::string kPython = "/usr/bin/python3";

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return q + "'";
}

struct Cmd {
  int code = -1;
  std::string out, err;
};

// Runs `command` through /bin/sh with stdout/stderr captured in files named after `tag`.
Cmd sh(const fs::path& dir, const std::string& tag, const std::string& command) {
  const fs::path out = dir / (tag + ".out"), err = dir / (tag + ".err");
  const std::string full =
      "(" + command + ") >" + quote(out.string()) + " 2>" + quote(err.string());
  const int status = std::system(full.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

fs::path scratch(const std::string& name) {
  const fs::path d = fs::path(W2V_BUILD_DIR) / "test-scratch" /
                     ("eval-agree-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// The directory of word2vec's C tools, installed on first use. Empty (and a failure recorded)
// when that is impossible: these tests must not pass without the reference tool.
std::string compute_accuracy() {
  static const std::string path = [] {
    // $W2V_PEERS_DIR (scripts/test.sh points every build at one install), else per build.
    const char* env = std::getenv("W2V_PEERS_DIR");
    const fs::path dir =
        env != nullptr && *env != '\0' ? fs::path(env) : fs::path(W2V_BUILD_DIR) / "peers";
    fs::create_directories(dir);
    const std::string cmd = quote(std::string(W2V_SOURCE_DIR) + "/scripts/install-peers.sh") + " " +
                            quote(dir.string());
    const Cmd r = sh(dir, "install-peers", cmd);
    std::string src = r.out;
    while (!src.empty() && (src.back() == '\n' || src.back() == '\r')) {
      src.pop_back();
    }
    const std::string tool = src + "/compute-accuracy";
    if (r.code != 0 || src.empty() || ::access(tool.c_str(), X_OK) != 0) {
      ADD_FAILURE() << "word2vec's compute-accuracy is not available: scripts/install-peers.sh "
                    << dir << " exited " << r.code << "\n"
                    << r.err;
      return std::string();
    }
    return tool;
  }();
  return path;
}

struct SectionCount {
  std::string name;
  std::size_t correct = 0, seen = 0;
};

struct CaResult {
  std::vector<SectionCount> sections;
  std::size_t seen = 0, total = 0;
};

// Parses compute-accuracy's output: "NAME:" then "ACCURACY TOP1: x %  (c / n)" per section,
// "Questions seen / total: s t ..." at the end.
CaResult parse_compute_accuracy(const std::string& out) {
  CaResult r;
  std::istringstream in(out);
  std::string line;
  const std::regex top1(R"(ACCURACY TOP1: .*\((\d+) / (\d+)\))");
  const std::regex seen(R"(Questions seen / total: (\d+) (\d+))");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, top1)) {
      if (r.sections.empty()) {
        continue;
      }
      r.sections.back().correct = std::stoul(m[1]);
      // compute-accuracy prints 1 for a section without seen questions (TCN = 1).
      r.sections.back().seen = std::stoul(m[2]);
    } else if (std::regex_search(line, m, seen)) {
      r.seen = std::stoul(m[1]);
      r.total = std::stoul(m[2]);
    } else if (!line.empty() && line.back() == ':' && line.find(' ') == std::string::npos) {
      r.sections.push_back({line.substr(0, line.size() - 1), 0, 0});
    }
  }
  return r;
}

// The values of "key": number pairs in a flat JSON object; sections[] entries under "s.NAME.key".
std::map<std::string, double> parse_json_numbers(const std::string& json) {
  std::map<std::string, double> out;
  const std::regex kv(R"x("(\w+)": (-?[0-9.eE+-]+|null))x");
  const std::regex section(R"x(\{"name": "([^"]*)"([^}]*)\})x");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), section);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1], body = (*it)[2];
    for (auto k = std::sregex_iterator(body.begin(), body.end(), kv); k != std::sregex_iterator();
         ++k) {
      out["s." + name + "." + (*k)[1].str()] =
          (*k)[2] == "null" ? std::nan("") : std::stod((*k)[2]);
    }
  }
  const std::string top = json.substr(0, json.find("\"sections\""));
  for (auto k = std::sregex_iterator(top.begin(), top.end(), kv); k != std::sregex_iterator();
       ++k) {
    out[(*k)[1].str()] = (*k)[2] == "null" ? std::nan("") : std::stod((*k)[2]);
  }
  // gensim_eval.py's sections: {"name": ..., "correct": c, "seen": s}
  return out;
}

void expect_same_as_compute_accuracy(const CaResult& ca, const std::map<std::string, double>& w,
                                     std::size_t questions_total) {
  ASSERT_FALSE(ca.sections.empty()) << "compute-accuracy printed no section";
  EXPECT_EQ(ca.total, questions_total);
  EXPECT_EQ(static_cast<double>(ca.seen), w.at("seen"));
  EXPECT_EQ(static_cast<double>(ca.total), w.at("total"));
  double correct = 0;
  for (const auto& s : ca.sections) {
    SCOPED_TRACE(s.name);
    ASSERT_TRUE(w.count("s." + s.name + ".correct")) << "w2v has no section " << s.name;
    const double seen = w.at("s." + s.name + ".seen");
    EXPECT_EQ(static_cast<double>(s.correct), w.at("s." + s.name + ".correct"));
    // compute-accuracy reports an empty section as (0 / 1).
    EXPECT_EQ(static_cast<double>(s.seen), seen == 0 ? 1.0 : seen);
    correct += static_cast<double>(s.correct);
  }
  EXPECT_EQ(correct, w.at("correct"));
}

// ------------------------------------------------------------------------- synthetic model

struct Synthetic {
  std::vector<std::string> words;
  std::vector<float> data;
  std::size_t dim = 32;
};

// Words of the questions in first-appearance order; B and D placed near A and C plus a relation
// vector per section, so about half the analogies hold. Every 4th word gets a case variant (some
// before the original, some after) near it, and filler words are interleaved, so restricting
// the vocabulary cuts some question words.
Synthetic make_synthetic(const eval::AnalogySet& set) {
  std::mt19937_64 rng(20240611);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  Synthetic s;
  const std::size_t dim = s.dim;
  std::map<std::string, std::vector<float>> vec;
  std::vector<std::string> order;
  auto random_vec = [&] {
    std::vector<float> v(dim);
    for (auto& x : v) {
      x = gauss(rng);
    }
    return v;
  };
  for (const auto& section : set.sections) {
    const std::vector<float> rel = random_vec();
    for (const auto& q : section.questions) {
      const std::pair<const std::string*, const std::string*> pairs[2] = {{&q.a, &q.b},
                                                                          {&q.c, &q.d}};
      for (const auto& [x, y] : pairs) {
        if (!vec.count(*x)) {
          vec[*x] = random_vec();
          order.push_back(*x);
        }
        if (!vec.count(*y)) {
          std::vector<float> v = vec[*x];
          for (std::size_t k = 0; k < dim; ++k) {
            v[k] += rel[k] + 0.9f * gauss(rng);
          }
          vec[*y] = v;
          order.push_back(*y);
        }
      }
    }
  }
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  std::set<std::string> taken(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::string& w = order[i];
    std::vector<std::pair<std::string, std::vector<float>>> here{{w, vec[w]}};
    if (i % 4 == 1) {
      std::string variant = w;
      const bool has_upper =
          std::any_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      for (char& c : variant) {
        if (has_upper && c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c - 'A' + 'a');
        }
      }
      if (!has_upper && !variant.empty() && variant[0] >= 'a' && variant[0] <= 'z') {
        variant[0] = static_cast<char>(variant[0] - 'a' + 'A');
      }
      if (variant != w && !taken.count(variant)) {
        taken.insert(variant);
        std::vector<float> v = vec[w];
        for (auto& x : v) {
          x += 0.5f * gauss(rng);
        }
        if (i % 8 == 1) {
          here.insert(here.begin(), {variant, v});
        } else {
          here.push_back({variant, v});
        }
      }
    }
    for (auto& h : here) {
      rows.push_back(std::move(h));
    }
    if (i % 3 == 0) {
      rows.push_back({"filler" + std::to_string(i), random_vec()});
    }
  }
  for (auto& [w, v] : rows) {
    s.words.push_back(w);
    s.data.insert(s.data.end(), v.begin(), v.end());
  }
  return s;
}

TEST(EvalAgreement, SyntheticModelMatchesComputeAccuracyAndGensim) {
  const std::string ca_tool = compute_accuracy();
  ASSERT_FALSE(ca_tool.empty());
  const fs::path dir = scratch("synthetic");
  const std::string questions =
      std::string(W2V_SOURCE_DIR) + "/tests/data/eval/questions-words-subset.txt";
  const eval::AnalogySet set = eval::read_analogies(questions);
  const Synthetic syn = make_synthetic(set);
  const std::string model = (dir / "syn.bin").string();
  io::write_vectors(model, syn.words, syn.data.data(), syn.dim, syn.dim, io::VectorFormat::kBinary);
  const std::size_t restrict = syn.words.size() * 17 / 20;  // cuts about 15 % of the rows
  ASSERT_GT(syn.words.size(), 1000u);

  // Similarity pairs: words, case variants, unknown words, tied gold scores.
  std::mt19937_64 rng(7);
  std::string pairs = "# synthetic\n";
  for (int i = 0; i < 300; ++i) {
    const std::string& a = syn.words[rng() % syn.words.size()];
    const std::string b =
        i % 29 == 0 ? std::string("notaword") : syn.words[rng() % syn.words.size()];
    pairs += a + "\t" + b + "\t" + std::to_string(static_cast<int>(rng() % 21) / 2.0) + "\n";
  }
  const std::string pairs_file = (dir / "pairs.tsv").string();
  std::ofstream(pairs_file) << pairs;

  const std::string w2v = quote(W2V_BINARY);
  const std::string r = std::to_string(restrict);
  auto ca = std::async(std::launch::async, [&] {
    return sh(dir, "ca", quote(ca_tool) + " " + quote(model) + " " + r + " <" + quote(questions));
  });
  auto gensim = std::async(std::launch::async, [&] {
    return sh(dir, "gensim",
              kPython + " " + quote(std::string(W2V_SOURCE_DIR) + "/tests/interop/gensim_eval.py") +
                  " analogy " + quote(model) + " " + quote(questions) + " " + r);
  });
  const Cmd w_default = sh(dir, "w2v-default",
                           w2v + " eval analogy " + quote(questions) + " -m " + quote(model) +
                               " --restrict " + r + " --no-stems --json");
  const Cmd w_gensim = sh(dir, "w2v-gensim",
                          w2v + " eval analogy " + quote(questions) + " -m " + quote(model) +
                              " --restrict " + r + " --rules gensim --no-stems --json");
  const Cmd w_sim = sh(dir, "w2v-sim",
                       w2v + " eval similarity " + quote(pairs_file) + " -m " + quote(model) +
                           " --restrict " + r + " --no-stems --json");
  const Cmd g_sim =
      sh(dir, "gensim-sim",
         kPython + " " + quote(std::string(W2V_SOURCE_DIR) + "/tests/interop/gensim_eval.py") +
             " similarity " + quote(model) + " " + quote(pairs_file) + " " + r);
  const Cmd ca_r = ca.get();
  const Cmd g_r = gensim.get();
  ASSERT_EQ(w_default.code, 0) << w_default.err;
  ASSERT_EQ(w_gensim.code, 0) << w_gensim.err;
  ASSERT_EQ(ca_r.code, 0) << ca_r.err;
  ASSERT_EQ(g_r.code, 0) << g_r.err;

  const auto wd = parse_json_numbers(w_default.out);
  const auto wg = parse_json_numbers(w_gensim.out);
  const auto gg = parse_json_numbers(g_r.out);
  // compute-accuracy: exact, per section.
  expect_same_as_compute_accuracy(parse_compute_accuracy(ca_r.out), wd, set.questions());
  // gensim: exact with --rules gensim.
  EXPECT_EQ(wg.at("correct"), gg.at("correct"));
  EXPECT_EQ(wg.at("seen"), gg.at("seen"));
  for (const auto& section : set.sections) {
    EXPECT_EQ(wg.at("s." + section.name + ".correct"), gg.at("s." + section.name + ".correct"))
        << section.name;
  }
  // The data was made so the two references' rules disagree; say by how much.
  EXPECT_GT(wd.at("correct"), 100.0);
  EXPECT_NE(wd.at("correct"), wg.at("correct"));
  std::printf("synthetic: w2v default %g/%g (compute-accuracy rules), gensim %g/%g\n",
              wd.at("correct"), wd.at("seen"), gg.at("correct"), gg.at("seen"));

  ASSERT_EQ(w_sim.code, 0) << w_sim.err;
  ASSERT_EQ(g_sim.code, 0) << g_sim.err;
  const auto ws = parse_json_numbers(w_sim.out);
  const auto gs = parse_json_numbers(g_sim.out);
  EXPECT_NEAR(ws.at("spearman"), gs.at("spearman"), 0.001);
  EXPECT_NEAR(ws.at("pearson"), gs.at("pearson"), 0.001);
  EXPECT_NEAR(100.0 * ws.at("skipped") / (ws.at("pairs") + ws.at("skipped")), gs.at("oov_percent"),
              1e-9);
  fs::remove_all(dir);
}

// ------------------------------------------------------------------------- shared data

fs::path shared_data() {
  return fs::path(W2V_SOURCE_DIR) / ".." / "shared" / "data";
}

TEST(EvalAgreement, SharedDataTrainedModels) {
  const fs::path data = shared_data();
  if (!fs::is_directory(data / "eval") || !fs::is_directory(data / "corpus")) {
    GTEST_SKIP() << "needs the shared data folder " << data
                 << " (corpora and evaluation sets); absent in a bare clone";
  }
  const std::string ca_tool = compute_accuracy();
  ASSERT_FALSE(ca_tool.empty());
  const fs::path dir = scratch("shared");
  const std::string w2v = quote(W2V_BINARY);
  const std::string py =
      kPython + " " + quote(std::string(W2V_SOURCE_DIR) + "/tests/interop/gensim_eval.py");
  const std::string en = (dir / "en.bin").string(), ko = (dir / "ko.bin").string();
  // Small models: the first 20,000 lines of each corpus, 2 epochs (English) / 1 (Korean).
  for (const auto& [corpus, model, epochs] :
       {std::tuple{data / "corpus/en/en_mix.txt.gz", en, "2"},
        std::tuple{data / "corpus/ko/ko_wiki.txt.gz", ko, "1"}}) {
    const std::string text = model + ".txt";
    const Cmd cut =
        sh(dir, "cut", "zcat " + quote(corpus.string()) + " | head -n 20000 > " + quote(text));
    ASSERT_TRUE(fs::file_size(text) > 1000000) << cut.err;
    const Cmd t = sh(dir, "train",
                     w2v + " train " + quote(text) + " -o " + quote(model) + " --dim 50 --epochs " +
                         epochs + " --min-count 3 --sample 1e-4 --threads 2 -q");
    ASSERT_EQ(t.code, 0) << t.err;
  }
  const std::string qw = (data / "eval/en/questions-words.txt").string();
  const std::string ko_analogy = (data / "eval/ko/analogy_ko.txt").string();

  // The slow reference runs in the background while w2v scores the same files.
  auto ca_en = std::async(std::launch::async, [&] {
    return sh(dir, "ca-en", quote(ca_tool) + " " + quote(en) + " 30000 <" + quote(qw));
  });
  auto g_en = std::async(std::launch::async, [&] {
    return sh(dir, "g-en", py + " analogy " + quote(en) + " " + quote(qw) + " 30000");
  });
  auto ca_ko = std::async(std::launch::async, [&] {
    return sh(dir, "ca-ko", quote(ca_tool) + " " + quote(ko) + " 30000 <" + quote(ko_analogy));
  });
  const Cmd w_en = sh(
      dir, "w-en", w2v + " eval analogy " + quote(qw) + " -m " + quote(en) + " --no-stems --json");
  const Cmd wg_en = sh(dir, "wg-en",
                       w2v + " eval analogy " + quote(qw) + " -m " + quote(en) +
                           " --rules gensim --no-stems --json");
  const Cmd w_ko =
      sh(dir, "w-ko",
         w2v + " eval analogy " + quote(ko_analogy) + " -m " + quote(ko) + " --no-stems --json");
  ASSERT_EQ(w_en.code, 0) << w_en.err;
  ASSERT_EQ(wg_en.code, 0) << wg_en.err;
  ASSERT_EQ(w_ko.code, 0) << w_ko.err;
  const Cmd ca_en_r = ca_en.get();
  const Cmd g_en_r = g_en.get();

  {
    SCOPED_TRACE("English analogy vs compute-accuracy");
    ASSERT_EQ(ca_en_r.code, 0) << ca_en_r.err;
    expect_same_as_compute_accuracy(parse_compute_accuracy(ca_en_r.out),
                                    parse_json_numbers(w_en.out), 19544);
  }
  {
    SCOPED_TRACE("English analogy vs gensim");
    ASSERT_EQ(g_en_r.code, 0) << g_en_r.err;
    const auto w = parse_json_numbers(w_en.out), wg = parse_json_numbers(wg_en.out),
               g = parse_json_numbers(g_en_r.out);
    EXPECT_EQ(w.at("seen"), g.at("seen"));
    EXPECT_NEAR(w.at("accuracy_pct"), g.at("accuracy"), 0.1);  // default (word2vec) rules
    EXPECT_EQ(wg.at("correct"), g.at("correct"));              // --rules gensim: exact
    EXPECT_EQ(wg.at("seen"), g.at("seen"));
  }
  // Similarity: English WordSim-353 and SimLex-999, Korean WordSim-353 (BOM, header, commas).
  for (const auto& [file, model, delim] :
       {std::tuple{data / "eval/en/wordsim353.tsv", en, "\t"},
        std::tuple{data / "eval/en/simlex999.txt", en, "\t"},
        std::tuple{data / "eval/ko/wordsim353_ko.csv", ko, ","}}) {
    SCOPED_TRACE(file.string());
    const Cmd w = sh(dir, "w-sim",
                     w2v + " eval similarity " + quote(file.string()) + " -m " + quote(model) +
                         " --no-stems --json");
    const Cmd g = sh(dir, "g-sim",
                     py + " similarity " + quote(model) + " " + quote(file.string()) + " 300000 " +
                         quote(delim));
    ASSERT_EQ(w.code, 0) << w.err;
    ASSERT_EQ(g.code, 0) << g.err;
    const auto wn = parse_json_numbers(w.out), gn = parse_json_numbers(g.out);
    EXPECT_NEAR(wn.at("spearman"), gn.at("spearman"), 0.001);
    EXPECT_NEAR(100.0 * wn.at("skipped") / (wn.at("pairs") + wn.at("skipped")),
                gn.at("oov_percent"), 1e-9);
    EXPECT_GT(wn.at("pairs"), 100.0);
  }
  {
    SCOPED_TRACE("Korean analogy vs compute-accuracy");
    const Cmd ca_ko_r = ca_ko.get();
    ASSERT_EQ(ca_ko_r.code, 0) << ca_ko_r.err;
    expect_same_as_compute_accuracy(parse_compute_accuracy(ca_ko_r.out),
                                    parse_json_numbers(w_ko.out), 10000);
  }
  {
    // By default Korean eojeol the vocabulary lacks are answered through their stems: more
    // questions are seen, and the JSON says how many took which route.
    SCOPED_TRACE("Korean analogy through stems");
    const Cmd w_ko_stems =
        sh(dir, "w-ko-stems",
           w2v + " eval analogy " + quote(ko_analogy) + " -m " + quote(ko) + " --json");
    ASSERT_EQ(w_ko_stems.code, 0) << w_ko_stems.err;
    const auto plain = parse_json_numbers(w_ko.out), stems = parse_json_numbers(w_ko_stems.out);
    EXPECT_GT(stems.at("stem"), 0);
    EXPECT_EQ(stems.at("vocabulary"), plain.at("seen"));
    EXPECT_EQ(stems.at("vocabulary") + stems.at("stem"), stems.at("seen"));
    EXPECT_EQ(stems.at("vocabulary") + stems.at("stem") + stems.at("none"), 10000);
    EXPECT_GT(stems.at("seen"), plain.at("seen"));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace w2v
