// Approximate nearest neighbours through the binary: `w2v index MODEL --ann` builds the HNSW
// graph beside the index, `nearest --ann` answers from it with the output of exact search (same
// columns, query words excluded) and at least 0.95 of exact search's top 10; a graph that is
// missing, stale (its index was rebuilt, or it belongs to another model) or damaged is refused
// with exit 1 and a message saying how to build it.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

// A word2vec text model with the structure of real embeddings: `clusters` centres, each word its
// centre plus a point of its cluster's own 4-dimensional subspace plus a little noise.
std::string clustered_model(std::size_t words, std::size_t dim, std::size_t clusters,
                            unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0F, 1.0F);
  constexpr std::size_t kSub = 4;
  std::vector<float> centre(clusters * dim), basis(clusters * kSub * dim);
  for (float& x : centre) x = normal(rng);
  for (float& x : basis) x = 0.5F * normal(rng);
  std::string s = fmt::format("{} {}\n", words, dim);
  std::vector<float> v(dim);
  for (std::size_t w = 0; w < words; ++w) {
    const std::size_t c = rng() % clusters;
    for (std::size_t d = 0; d < dim; ++d) v[d] = centre[c * dim + d] + 0.3F * normal(rng);
    for (std::size_t k = 0; k < kSub; ++k) {
      const float a = normal(rng);
      for (std::size_t d = 0; d < dim; ++d) v[d] += a * basis[(c * kSub + k) * dim + d];
    }
    s += "w" + std::to_string(w);
    for (const float x : v) s += fmt::format(" {:.4f}", x);
    s += "\n";
  }
  return s;
}

// query -> its answers, in order, from nearest's TSV.
std::map<std::string, std::vector<std::string>> answers(const std::string& tsv) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::istringstream fields(line);
    std::string f;
    while (std::getline(fields, f, '\t')) cols.push_back(f);
    EXPECT_EQ(cols.size(), 4U) << line;
    if (cols.size() != 4) continue;
    std::vector<std::string>& list = out[cols[0]];
    EXPECT_EQ(std::stoi(cols[1]), static_cast<int>(list.size()) + 1) << line;
    list.push_back(cols[2]);
  }
  return out;
}

TEST(AnnCli, AnswersAsExactSearchWithRecallAtTenAbove95Percent) {
  ScratchDir dir("ann-recall");
  const std::string model = dir.file("m.txt");
  write_file(model, clustered_model(6000, 32, 60, 7));
  const auto built =
      run_w2v({"index", model, "--ann", "--m", "12", "--ef-construction", "100", "--threads", "2"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  ASSERT_TRUE(std::filesystem::exists(model + ".w2vi.hnsw"));
  std::string queries;
  std::mt19937 rng(3);
  std::set<unsigned> picked;
  while (picked.size() < 300) picked.insert(static_cast<unsigned>(rng() % 6000));
  for (const unsigned w : picked) queries += "w" + std::to_string(w) + "\n";
  queries += "w1 w2\nw10 w20 w30\n";  // several words: the normalised sum, none of them returned
  const auto exact = run_w2v({"nearest", "-m", model, "-"}, {.stdin_data = queries});
  const auto ann =
      run_w2v({"nearest", "-m", model, "--ann", "--ef", "64", "-"}, {.stdin_data = queries});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  ASSERT_EQ(ann.exit_code, 0) << ann.err;
  const auto e = answers(exact.out);
  const auto a = answers(ann.out);
  ASSERT_EQ(e.size(), a.size());
  std::size_t found = 0, total = 0;
  for (const auto& [query, words] : e) {
    ASSERT_TRUE(a.count(query)) << query;
    const std::vector<std::string>& got = a.at(query);
    EXPECT_EQ(got.size(), 10U) << query;
    std::istringstream split(query);
    std::string qw;
    while (split >> qw) EXPECT_EQ(std::count(got.begin(), got.end(), qw), 0) << query;
    const std::set<std::string> truth(words.begin(), words.end());
    for (const std::string& w : got) found += truth.count(w);
    total += words.size();
  }
  const double recall = static_cast<double>(found) / static_cast<double>(total);
  EXPECT_GE(recall, 0.95) << found << " of " << total;
  // A word found by both has exact search's score (same kernel): the first rows agree whenever
  // the first answer does.
  const std::string first_exact = exact.out.substr(0, exact.out.find('\n'));
  const std::string first_ann = ann.out.substr(0, ann.out.find('\n'));
  EXPECT_EQ(first_exact, first_ann);
}

TEST(AnnCli, WithoutAGraphFailsSayingHowToBuildOne) {
  ScratchDir dir("ann-missing");
  const std::string model = dir.file("m.txt");
  write_file(model, clustered_model(300, 8, 5, 1));
  const auto no_index = run_w2v({"nearest", "-m", model, "--ann", "w1"});
  EXPECT_EQ(no_index.exit_code, 1) << no_index.err;
  EXPECT_THAT(no_index.err, HasSubstr("w2v index " + model + " --ann"));
  ASSERT_EQ(run_w2v({"index", model}).exit_code, 0);
  const auto no_graph = run_w2v({"nearest", "-m", model, "--ann", "w1"});
  EXPECT_EQ(no_graph.exit_code, 1) << no_graph.err;
  EXPECT_THAT(no_graph.err, HasSubstr("no ANN graph"));
  EXPECT_THAT(no_graph.err, HasSubstr("w2v index " + model + " --ann"));
  EXPECT_EQ(no_graph.out, "");
  // Exact search stays the default and needs no graph.
  EXPECT_EQ(run_w2v({"nearest", "-m", model, "w1"}).exit_code, 0);
  // Options that do not go with --ann are usage errors, before any work.
  EXPECT_EQ(run_w2v({"nearest", "-m", model, "--ef", "10", "w1"}).exit_code, 2);
  EXPECT_EQ(run_w2v({"nearest", "-m", model, "--ann", "--limit", "10", "w1"}).exit_code, 2);
  EXPECT_EQ(run_w2v({"index", model, "--ann", "--m", "1"}).exit_code, 2);
}

TEST(AnnCli, AStaleOrDamagedGraphIsRefused) {
  ScratchDir dir("ann-stale");
  const std::string a = dir.file("a.txt");
  const std::string b = dir.file("b.txt");
  write_file(a, clustered_model(400, 8, 5, 1));
  write_file(b, clustered_model(400, 8, 5, 2));
  ASSERT_EQ(run_w2v({"index", a, "--ann"}).exit_code, 0);
  ASSERT_EQ(run_w2v({"index", b, "--ann"}).exit_code, 0);
  ASSERT_EQ(run_w2v({"nearest", "-m", a, "--ann", "w1"}).exit_code, 0);
  // Another model's graph in a's place.
  const std::string a_graph = a + ".w2vi.hnsw";
  const std::string a_saved = read_file(a_graph);
  write_file(a_graph, read_file(b + ".w2vi.hnsw"));
  auto r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stale ANN graph"));
  EXPECT_THAT(r.err, HasSubstr("w2v index " + a + " --ann"));
  EXPECT_EQ(r.out, "");
  // Its own graph after its index was rebuilt (the model changed, or `w2v index` ran again).
  write_file(a_graph, a_saved);
  ASSERT_EQ(run_w2v({"nearest", "-m", a, "--ann", "w1"}).exit_code, 0);
  ASSERT_EQ(run_w2v({"index", a}).exit_code, 0);
  r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stale ANN graph"));
  // Rebuilt: used again. Then damaged (cut short, or a link beyond the rows): refused.
  ASSERT_EQ(run_w2v({"index", a, "--ann"}).exit_code, 0);
  ASSERT_EQ(run_w2v({"nearest", "-m", a, "--ann", "w1"}).exit_code, 0);
  const std::string good = read_file(a_graph);
  const std::string index_bytes = read_file(a + ".w2vi");
  std::string bad = good;
  bad.resize(good.size() - 3);
  const std::filesystem::file_time_type index_time = std::filesystem::last_write_time(a + ".w2vi");
  write_file(a_graph, bad);
  r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("damaged ANN graph"));
  // The graph is mapped, not read: a byte too many, a cut inside the level-0 block and a file
  // shorter than its header are refused as well, before any search reads it.
  for (const std::string& cut : {good + "x", good.substr(0, 4096 + 10), good.substr(0, 100)}) {
    write_file(a_graph, cut);
    r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
    EXPECT_EQ(r.exit_code, 1) << cut.size() << ": " << r.err;
    EXPECT_THAT(r.err, ::testing::AnyOf(HasSubstr("damaged ANN graph"),
                                        HasSubstr("not an ANN graph (too short)")))
        << cut.size();
    EXPECT_EQ(r.out, "");
  }
  bad = good;
  // the first level-0 link of row 0 (its count at 4096, the link after it)
  bad[4096] = 1;
  bad[4100] = '\xff';
  bad[4101] = '\xff';
  bad[4102] = '\xff';
  bad[4103] = '\x7f';
  write_file(a_graph, bad);
  r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("damaged ANN graph"));
  // the index itself was never touched by any of this
  EXPECT_EQ(read_file(a + ".w2vi"), index_bytes);
  EXPECT_EQ(std::filesystem::last_write_time(a + ".w2vi"), index_time);
}

// An upper-level link that leads to a row without that level (the search would read that row's
// missing list next) is refused as damaged.
TEST(AnnCli, AnUpperLevelLinkToARowWithoutThatLevelIsRefused) {
  ScratchDir dir("ann-levels");
  const std::string a = dir.file("a.txt");
  constexpr std::size_t kRows = 300;
  write_file(a, clustered_model(kRows, 8, 4, 5));
  ASSERT_EQ(run_w2v({"index", a, "--ann", "--m", "4"}).exit_code, 0);
  const std::string graph = a + ".w2vi.hnsw";
  std::string bytes = read_file(graph);
  // --m 4: level-0 elements of 2 x 4 links + count, the row id and the 8-byte label; each upper
  // level a count and 4 links (graph layout: query/ann.hpp).
  constexpr std::size_t kElement = 4 + 8 * 4 + 4 + 8, kLevel = 4 + 4 * 4;
  const auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  };
  std::size_t at = 4096 + kRows * kElement;
  std::size_t upper_list = 0, level0_only = kRows;
  for (std::size_t r = 0; r < kRows; ++r) {
    const std::uint32_t n = u32(at);
    ASSERT_EQ(n % kLevel, 0U);
    if (n > 0 && upper_list == 0 && u32(at + 4) > 0) upper_list = at + 4;
    // a row with no upper level (links hold internal ids: the order of this section)
    if (n == 0 && level0_only == kRows) level0_only = r;
    at += 4 + n;
  }
  ASSERT_EQ(at, bytes.size());
  ASSERT_NE(upper_list, 0U);
  ASSERT_LT(level0_only, kRows);
  ASSERT_EQ(run_w2v({"nearest", "-m", a, "--ann", "w1"}).exit_code, 0);
  const auto id = static_cast<std::uint32_t>(level0_only);
  std::memcpy(bytes.data() + upper_list + 4, &id, 4);  // its first link
  write_file(graph, bytes);
  const auto r = run_w2v({"nearest", "-m", a, "--ann", "w1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("damaged ANN graph"));
}

// Any one byte of the graph changed: `nearest --ann` answers (exit 0) or refuses the file
// (exit 1), and never reads outside the graph (no crash; the sanitizer build checks the reads).
TEST(AnnCli, NoSingleDamagedByteMakesTheSearchCrash) {
  ScratchDir dir("ann-bytes");
  const std::string a = dir.file("a.txt");
  write_file(a, clustered_model(300, 8, 4, 3));
  ASSERT_EQ(run_w2v({"index", a, "--ann", "--m", "4"}).exit_code, 0);
  const std::string graph = a + ".w2vi.hnsw";
  const std::string good = read_file(graph);
  ASSERT_GT(good.size(), 4096U);
  std::mt19937 rng(11);
  int refused = 0;
  constexpr int kTrials = 60;
  for (int t = 0; t < kTrials; ++t) {
    std::string bad = good;
    // past the header's magic and version (whose damage is refused before anything is read)
    const std::size_t at = 12 + rng() % (bad.size() - 12);
    bad[at] = static_cast<char>(bad[at] ^ static_cast<char>(1 + rng() % 255));
    write_file(graph, bad);
    const auto r = run_w2v({"nearest", "-m", a, "--ann", "w1", "w150", "-k", "5"});
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1)
        << "byte " << at << ": exit " << r.exit_code << ", signal " << r.term_signal << ": "
        << r.err;
    if (r.exit_code == 1) {
      ++refused;
      EXPECT_THAT(r.err, HasSubstr("ANN graph")) << "byte " << at;
    }
  }
  // most bytes are links, row ids and sizes: their damage is caught
  EXPECT_GT(refused, kTrials / 3);
}

}  // namespace
}  // namespace w2v
