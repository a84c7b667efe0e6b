// fastText's .bin models against the real fastText (Debian package fasttext; a missing binary
// FAILS these tests, never skips):
//  * a model trained by `fasttext skipgram` with n-grams: `w2v vec` gives the vectors
//    `fasttext print-word-vectors` gives, for known words and for unknown ones (composed from
//    n-grams), within 1e-5 per component; `w2v nearest -k 10` gives `fasttext nn`'s top 10 in
//    order (the query word left out, as fastText does);
//  * a model written by `w2v train --save-fasttext` loads in the real fastText, whose
//    print-word-vectors equals the word2vec file written in the same run (nn and analogies
//    answer from it);
//  * a quantized model (.ftz) is refused with a message naming the file.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::run_command;
using testing::RunOptions;
using testing::ScratchDir;

const char* const kFastText = "/usr/bin/fasttext";

// The first `bytes` bytes of the demo corpus, cut at a line end.
std::string corpus_slice(std::size_t bytes) {
  const std::string path = std::string(W2V_SOURCE_DIR) + "/data/en_wiki_demo.txt.gz";
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  std::string out(bytes, '\0');
  const int n = gzread(f, out.data(), static_cast<unsigned>(bytes));
  gzclose(f);
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  out.resize(out.rfind('\n') + 1);
  return out;
}

std::vector<std::string> fields(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : line) {
    if (c == sep) {
      if (!cur.empty() || sep == '\t') out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

// `fasttext print-word-vectors`: "word v1 ... vD " per line.
std::map<std::string, std::vector<double>> parse_fasttext_vectors(const std::string& out) {
  std::map<std::string, std::vector<double>> m;
  for (const std::string& l : lines(out)) {
    std::vector<std::string> f = fields(l, ' ');
    if (f.empty()) continue;
    std::vector<double>& v = m[f[0]];
    for (std::size_t i = 1; i < f.size(); ++i) v.push_back(std::stod(f[i]));
  }
  return m;
}

// `w2v vec --tsv`: "word<TAB>id<TAB>v1 v2 ... vD".
std::map<std::string, std::vector<double>> parse_w2v_vectors(const std::string& out) {
  std::map<std::string, std::vector<double>> m;
  for (const std::string& l : lines(out)) {
    const std::vector<std::string> f = fields(l, '\t');
    if (f.size() != 3) continue;
    std::vector<double>& v = m[f[0]];
    for (const std::string& x : fields(f[2], ' ')) v.push_back(std::stod(x));
  }
  return m;
}

// fastText prints vectors with 5 significant digits: half a unit of the last one printed.
double print_step(double printed) {
  if (printed == 0) return 0;
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(printed))) - 4);
}

// Largest |a - b| over the words of `words`, beyond the rounding of b's printed digits when
// `b_printed` (b: fastText's output); `raw` gets the largest |a - b| itself. Fails the test on
// a missing word or dimension.
double max_diff(const std::map<std::string, std::vector<double>>& a,
                const std::map<std::string, std::vector<double>>& b,
                const std::vector<std::string>& words, std::size_t dim, bool b_printed = false,
                double* raw = nullptr) {
  double worst = 0;
  for (const std::string& w : words) {
    const auto ia = a.find(w);
    const auto ib = b.find(w);
    EXPECT_TRUE(ia != a.end()) << "first output lacks " << w;
    EXPECT_TRUE(ib != b.end()) << "second output lacks " << w;
    if (ia == a.end() || ib == b.end()) continue;
    EXPECT_EQ(ia->second.size(), dim) << w;
    EXPECT_EQ(ib->second.size(), dim) << w;
    if (ia->second.size() != dim || ib->second.size() != dim) continue;
    for (std::size_t d = 0; d < dim; ++d) {
      const double diff = std::fabs(ia->second[d] - ib->second[d]);
      if (raw != nullptr) *raw = std::max(*raw, diff);
      worst = std::max(worst, b_printed ? std::max(0.0, diff - print_step(ib->second[d])) : diff);
    }
  }
  return worst;
}

struct Neighbour {
  std::string word;
  double score = 0;
};

// `fasttext nn MODEL 10` on stdin: a "Query word? " prompt, then "word score" lines, per query.
// `fasttext analogies` prompts "Query triplet (A - B + C)?" instead.
std::vector<std::vector<Neighbour>> parse_fasttext_nn(const std::string& out,
                                                      const std::string& prompt = "Query word?") {
  std::vector<std::vector<Neighbour>> res;
  std::size_t pos = out.find(prompt);
  while (pos != std::string::npos) {
    const std::size_t next = out.find(prompt, pos + prompt.size());
    const std::string chunk =
        out.substr(pos + prompt.size(),
                   next == std::string::npos ? std::string::npos : next - pos - prompt.size());
    std::vector<Neighbour> list;
    for (const std::string& l : lines(chunk)) {
      const std::vector<std::string> f = fields(l, ' ');
      if (f.size() == 2) list.push_back({f[0], std::stod(f[1])});
    }
    if (!list.empty()) res.push_back(list);
    pos = next;
  }
  return res;
}

// `w2v nearest --tsv`: "query<TAB>rank<TAB>word<TAB>score", queries in order.
std::vector<std::vector<Neighbour>> parse_w2v_nn(const std::string& out) {
  std::vector<std::vector<Neighbour>> res;
  std::string last;
  for (const std::string& l : lines(out)) {
    const std::vector<std::string> f = fields(l, '\t');
    if (f.size() != 4) continue;
    if (res.empty() || f[0] != last || f[1] == "1") res.emplace_back();
    last = f[0];
    res.back().push_back({f[2], std::stod(f[3])});
  }
  return res;
}

void require_fasttext() {
  ASSERT_TRUE(std::filesystem::exists(kFastText))
      << kFastText << " is missing: apt-get install fasttext (scripts/install-deps.sh --test)";
}

std::string join_lines(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += w + "\n";
  return s;
}

// `fasttext print-word-vectors FT_MODEL` against `w2v vec -m W2V_MODEL --tsv` on `words`: both
// outputs, and their largest difference beyond the rounding of fastText's printed digits (`diff`)
// and as printed (`raw`), which `what` reports. Fails the test if either command fails.
struct VectorsCompared {
  testing::RunResult ours;
  std::map<std::string, std::vector<double>> theirs;
  double diff = 0, raw = 0;
};

VectorsCompared compare_with_fasttext(const std::string& ft_model, const std::string& w2v_model,
                                      const std::vector<std::string>& words, std::size_t dim,
                                      const std::string& what) {
  VectorsCompared c;
  RunOptions stdin_words;
  stdin_words.stdin_data = join_lines(words);
  const auto ft = run_command({kFastText, "print-word-vectors", ft_model}, stdin_words);
  EXPECT_EQ(ft.exit_code, 0) << ft.err;
  std::vector<std::string> args = {W2V_BINARY, "vec", "-m", w2v_model, "--tsv"};
  args.insert(args.end(), words.begin(), words.end());
  c.ours = run_command(args);
  EXPECT_EQ(c.ours.exit_code, 0) << c.ours.err;
  if (ft.exit_code != 0 || c.ours.exit_code != 0) return c;
  c.theirs = parse_fasttext_vectors(ft.out);
  c.diff = max_diff(parse_w2v_vectors(c.ours.out), c.theirs, words, dim, true, &c.raw);
  std::printf(
      "%s: %zu words, max abs diff %.3g, %.3g beyond the rounding of fastText's printed "
      "digits\n",
      what.c_str(), words.size(), c.raw, c.diff);
  return c;
}

TEST(FastTextInterop, VectorsAndNeighboursOfAFastTextModel) {
  require_fasttext();
  if (HasFatalFailure()) return;
  ScratchDir dir("fasttext-read");
  const std::string corpus = dir.file("slice.txt");
  testing::write_file(corpus, corpus_slice(150000));
  const std::string prefix = dir.file("ft");
  // 5 epochs at lr 0.1: fewer make a model whose neighbours all score 1.00000 (ties).
  const std::vector<std::string> ft_args = {
      kFastText, "skipgram", "-input",    corpus, "-output", prefix, "-dim",  "16",
      "-epoch",  "5",        "-lr",       "0.1",  "-minn",   "3",    "-maxn", "6",
      "-bucket", "20000",    "-minCount", "3",    "-thread", "2"};
  const auto train = run_command(ft_args);
  ASSERT_EQ(train.exit_code, 0) << train.err << train.out;
  const std::string model = prefix + ".bin";

  // Known words from the .vec fastText wrote (frequent, middle and rare ones), unknown words
  // (ASCII, and Hangul and Latin-1 letters, whose bytes >= 0x80 meet fastText's signed-char hash).
  const std::vector<std::string> vec = lines(testing::read_file(prefix + ".vec"));
  ASSERT_GT(vec.size(), 200u);
  std::vector<std::string> known;
  for (const std::size_t i : {1, 2, 3, 10, 50, 100, 150, 199}) {
    known.push_back(fields(vec[i], ' ')[0]);
  }
  known.push_back(fields(vec.back(), ' ')[0]);
  const std::vector<std::string> unknown = {"kingdomz", "xqzvw", "서울에서만", "Ünïcødé"};
  std::vector<std::string> words = known;
  words.insert(words.end(), unknown.begin(), unknown.end());

  const auto compared = compare_with_fasttext(model, model, words, 16, "vec vs print-word-vectors");
  if (HasFailure()) return;
  const auto& ours = compared.ours;
  for (const std::string& w : unknown) {
    EXPECT_NE(ours.err.find("'" + w + "' is not in the vocabulary: its vector is composed"),
              std::string::npos)
        << ours.err;
  }
  EXPECT_EQ(ours.err.find("'" + known[0] + "' is not in the vocabulary"), std::string::npos);
  EXPECT_LT(compared.diff, 1e-5);

  // Neighbours: fastText leaves the query word out, as w2v does.
  const std::vector<std::string> queries = {known[0], known[3], known[5], "kingdomz", "서울에서만"};
  RunOptions stdin_queries;
  stdin_queries.stdin_data = join_lines(queries);
  const auto ft_nn = run_command({kFastText, "nn", model, "10"}, stdin_queries);
  ASSERT_EQ(ft_nn.exit_code, 0) << ft_nn.err;
  std::vector<std::string> args = {W2V_BINARY, "nearest", "-m", model, "-k", "10", "--tsv"};
  args.insert(args.end(), queries.begin(), queries.end());
  const auto our_nn = run_command(args);
  ASSERT_EQ(our_nn.exit_code, 0) << our_nn.err;
  const auto a = parse_fasttext_nn(ft_nn.out);
  const auto b = parse_w2v_nn(our_nn.out);
  ASSERT_EQ(a.size(), queries.size()) << ft_nn.out;
  ASSERT_EQ(b.size(), queries.size()) << our_nn.out;
  double worst = 0;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    ASSERT_EQ(a[q].size(), 10u) << queries[q];
    ASSERT_EQ(b[q].size(), 10u) << queries[q];
    for (std::size_t r = 0; r < 10; ++r) {
      // The same word at each rank, except where two neighbours' scores tie within 1e-5 (float
      // sums in another order may swap them; the 10th may then be the 11th).
      const bool tied_swap = (r > 0 && a[q][r - 1].word == b[q][r].word &&
                              std::fabs(a[q][r - 1].score - a[q][r].score) < 1e-5) ||
                             (r + 1 < 10 && a[q][r + 1].word == b[q][r].word &&
                              std::fabs(a[q][r + 1].score - a[q][r].score) < 1e-5) ||
                             (r == 9 && std::fabs(a[q][r].score - b[q][r].score) < 1e-5);
      if (!tied_swap) {
        EXPECT_EQ(a[q][r].word, b[q][r].word) << "query " << queries[q] << " rank " << r + 1;
      }
      EXPECT_NE(a[q][r].word, queries[q]);
      worst = std::max(worst, std::fabs(a[q][r].score - b[q][r].score));
    }
  }
  std::printf("nearest vs nn: %zu queries x 10, max abs score diff %.3g\n", queries.size(), worst);
  EXPECT_LT(worst, 1e-5);

  // similarity and eval similarity take unknown words too; the .vec of the same model (words
  // only) skips the pairs with them.
  const auto sim =
      run_command({W2V_BINARY, "similarity", "-m", model, "--tsv", "kingdomz " + known[1]});
  EXPECT_EQ(sim.exit_code, 0) << sim.err;
  const std::string pairs = dir.file("pairs.tsv");
  testing::write_file(pairs, known[1] + "\t" + known[2] + "\t5\nkingdomz\t" + known[3] + "\t3\n" +
                                 known[4] + "\txqzvw\t1\n");
  const auto ev = run_command({W2V_BINARY, "eval", "similarity", pairs, "-m", model, "--json"});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  EXPECT_NE(ev.out.find("\"pairs\": 3, \"skipped\": 0"), std::string::npos) << ev.out;
  const auto ev_vec =
      run_command({W2V_BINARY, "eval", "similarity", pairs, "-m", prefix + ".vec", "--json"});
  ASSERT_EQ(ev_vec.exit_code, 0) << ev_vec.err;
  EXPECT_NE(ev_vec.out.find("\"pairs\": 1, \"skipped\": 2"), std::string::npos) << ev_vec.out;
}

TEST(FastTextInterop, FastTextLoadsTheModelW2vWrites) {
  require_fasttext();
  if (HasFatalFailure()) return;
  ScratchDir dir("fasttext-write");
  const std::string corpus = dir.file("slice.txt");
  testing::write_file(corpus, corpus_slice(200000));
  const std::string vec = dir.file("out.vec");
  const std::string bin = dir.file("our.bin");
  const auto train =
      run_command({W2V_BINARY, "train", corpus, "-o", vec, "--save-fasttext", bin, "--dim", "24",
                   "--epochs", "1", "--min-count", "3", "--threads", "1", "-q"});
  ASSERT_EQ(train.exit_code, 0) << train.err;

  const std::vector<std::string> rows = lines(testing::read_file(vec));
  ASSERT_GT(rows.size(), 100u);
  std::vector<std::string> words;
  for (std::size_t i = 1; i < rows.size(); i += 7) words.push_back(fields(rows[i], ' ')[0]);
  words.push_back(fields(rows.back(), ' ')[0]);

  const auto compared = compare_with_fasttext(
      bin, vec, words, 24, "fasttext print-word-vectors our.bin vs w2v vec out.vec");
  if (HasFailure()) return;
  const auto& ours = compared.ours;
  EXPECT_LT(compared.diff, 1e-5);

  // fastText's nn answers from it, and w2v reads it back as the same vectors.
  RunOptions one;
  one.stdin_data = words[0] + "\n";
  const auto nn = run_command({kFastText, "nn", bin, "5"}, one);
  ASSERT_EQ(nn.exit_code, 0) << nn.err;
  const auto parsed = parse_fasttext_nn(nn.out);
  ASSERT_EQ(parsed.size(), 1u) << nn.out;
  EXPECT_EQ(parsed[0].size(), 5u) << nn.out;
  RunOptions triplet;
  triplet.stdin_data = words[0] + " " + words[1] + " " + words[2] + "\n";
  // analogies never stops at the end of its input (it repeats the last answer): its first four
  // lines (the "Loading model" line and 3 answers) are taken and it ends on SIGPIPE.
  const auto an = run_command(
      {"/bin/sh", "-c", std::string(kFastText) + " analogies \"$0\" 3 | head -n 4", bin}, triplet);
  ASSERT_EQ(an.exit_code, 0) << an.err;
  const auto answers = parse_fasttext_nn(an.out, "Query triplet (A - B + C)?");
  ASSERT_GE(answers.size(), 1u) << an.out;
  EXPECT_EQ(answers[0].size(), 3u) << an.out;
  std::vector<std::string> args = {W2V_BINARY, "vec", "-m", bin, "--tsv"};
  args.insert(args.end(), words.begin(), words.end());
  const auto back = run_command(args);
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(max_diff(parse_w2v_vectors(back.out), parse_w2v_vectors(ours.out), words, 24), 0.0);
}

// Trained with character n-grams (--maxn): the real fastText composes the same vectors from our
// .bin as w2v does, for the words (against the word2vec file of the same run) and for words
// outside the vocabulary (against `w2v vec -m our.bin`), and its nn answers from it.
TEST(FastTextInterop, FastTextComposesTheSubwordModelW2vWrites) {
  require_fasttext();
  if (HasFatalFailure()) return;
  ScratchDir dir("fasttext-subwords");
  const std::string corpus = dir.file("slice.txt");
  testing::write_file(corpus, corpus_slice(200000));
  const std::string vec = dir.file("out.vec");
  const std::string bin = dir.file("our.bin");
  const auto train = run_command(
      {W2V_BINARY, "train",     corpus, "-o",          vec, "--save-fasttext", bin, "--dim",
       "24",       "--epochs",  "1",    "--min-count", "3", "--maxn",          "6", "--bucket",
       "20000",    "--threads", "1",    "-q"});
  ASSERT_EQ(train.exit_code, 0) << train.err;

  const std::vector<std::string> rows = lines(testing::read_file(vec));
  ASSERT_GT(rows.size(), 100u);
  std::vector<std::string> words;
  for (std::size_t i = 1; i < rows.size(); i += 7) words.push_back(fields(rows[i], ' ')[0]);
  const std::vector<std::string> unknown{"kingdomz", "unfoundedly", "xq", "\xC3\xA9t\xC3\xA9s"};
  EXPECT_LT(
      compare_with_fasttext(bin, vec, words, 24,
                            "subwords: fasttext print-word-vectors our.bin vs w2v vec out.vec")
          .diff,
      1e-5);

  // Words outside the vocabulary: composed from the n-gram rows by both.
  const auto oov = compare_with_fasttext(
      bin, bin, unknown, 24,
      "subwords: unknown words, fasttext print-word-vectors vs w2v vec -m our.bin");
  if (HasFailure()) return;
  EXPECT_LT(oov.diff, 1e-5);
  const auto& ft_v = oov.theirs;
  // Trained n-gram rows, not zeros: an unknown word has a vector of its own.
  const auto it = ft_v.find("kingdomz");
  ASSERT_TRUE(it != ft_v.end());
  double norm = 0;
  for (const double x : it->second) norm += x * x;
  EXPECT_GT(norm, 1e-6);

  RunOptions one;
  one.stdin_data = "kingdomz\n";
  const auto nn = run_command({kFastText, "nn", bin, "5"}, one);
  ASSERT_EQ(nn.exit_code, 0) << nn.err;
  const auto parsed = parse_fasttext_nn(nn.out);
  ASSERT_EQ(parsed.size(), 1u) << nn.out;
  EXPECT_EQ(parsed[0].size(), 5u) << nn.out;
}

TEST(FastTextInterop, QuantizedModelIsRefused) {
  ScratchDir dir("fasttext-ftz");
  // A model header as `fasttext quantize` writes it: the quantization flag after the dictionary
  // is set (quantize only takes supervised models, too slow to train here).
  std::string b;
  const auto put32 = [&b](std::int32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); };
  const auto put64 = [&b](std::int64_t v) { b.append(reinterpret_cast<const char*>(&v), 8); };
  put32(793712314);
  put32(12);
  for (const std::int32_t v : {4, 5, 5, 1, 5, 1, 2, 3, 0, 0, 0, 100}) put32(v);
  const double t = 1e-4;
  b.append(reinterpret_cast<const char*>(&t), 8);
  put32(1);  // size
  put32(1);  // nwords
  put32(0);  // nlabels
  put64(10);
  put64(-1);
  b += "word";
  b.push_back('\0');
  put64(10);
  b.push_back('\0');
  b.push_back('\1');  // quantized input
  b += std::string(64, '\0');
  const std::string ftz = dir.file("model.ftz");
  testing::write_file(ftz, b);
  const auto r = run_command({W2V_BINARY, "vec", "-m", ftz, "word"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(ftz + ": a quantized fastText model (.ftz) is not supported"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace w2v
