// query::{dot_tile, TopK, nearest, analogy, similarity}: values against references and the golden
// fixture (whose expected neighbours were computed by gensim, see tests/data/query/make_golden.py).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/vectors_format.hpp"
#include "query/analogy.hpp"
#include "query/index.hpp"
#include "query/nearest.hpp"
#include "query/scoring.hpp"
#include "query/similarity.hpp"
#include "query/topk.hpp"
#include "util/matrix.hpp"

namespace w2v::query {
namespace {

const std::string kGolden = std::string(W2V_SOURCE_DIR) + "/tests/data/query/";

struct Expected {
  std::string word;
  float score;
};

// query -> expected neighbours, from a golden TSV (query, rank, word, score).
std::map<std::string, std::vector<Expected>> read_expected(const std::string& path) {
  std::map<std::string, std::vector<Expected>> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream s(line);
    std::string q, rank, word, score;
    std::getline(s, q, '\t');
    std::getline(s, rank, '\t');
    std::getline(s, word, '\t');
    std::getline(s, score, '\t');
    out[q].push_back({word, std::stof(score)});
  }
  return out;
}

Index golden(const char* file = "golden.bin") {
  return Index(io::read_vectors(kGolden + file));
}

// An index from explicit rows (one word per row).
Index make_index(const std::vector<std::string>& words,
                 const std::vector<std::vector<float>>& rows) {
  io::Vectors v;
  v.words = words;
  v.matrix = Matrix(rows.size(), rows.empty() ? 1 : rows[0].size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t d = 0; d < rows[r].size(); ++d) v.matrix.row(r)[d] = rows[r][d];
  }
  return Index(std::move(v));
}

Index random_index(std::size_t n, std::size_t dim, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  io::Vectors v;
  v.matrix = Matrix(n, dim);
  for (std::size_t r = 0; r < n; ++r) {
    v.words.push_back("w" + std::to_string(r));
    for (std::size_t d = 0; d < dim; ++d) v.matrix.row(r)[d] = g(rng);
  }
  return Index(std::move(v));
}

TEST(QueryKernel, EveryIsaMatchesTheReference) {
  const std::size_t stride = 48;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  for (QueryIsa isa : {QueryIsa::kScalar, QueryIsa::kAvx2, QueryIsa::kAvx512}) {
    if (!isa_supported(isa)) continue;
    // Shapes that exercise every remainder of the 4 x 4 / 2 x 4 micro-tiles.
    for (std::size_t nr : {1u, 3u, 4u, 7u, 64u}) {
      for (std::size_t nq : {1u, 2u, 3u, 5u, 9u}) {
        Matrix rows(nr, stride), qs(nq, stride), got(nq, 64), want(nq, 64);
        for (std::size_t i = 0; i < nr * stride; ++i) rows.data()[i] = u(rng);
        for (std::size_t i = 0; i < nq * stride; ++i) qs.data()[i] = u(rng);
        dot_tile(isa, rows.data(), nr, qs.data(), nq, stride, got.data(), 64);
        dot_tile_reference(rows.data(), nr, qs.data(), nq, stride, want.data(), 64);
        for (std::size_t q = 0; q < nq; ++q) {
          for (std::size_t r = 0; r < nr; ++r) {
            ASSERT_NEAR(got.row(q)[r], want.row(q)[r], 1e-5)
                << isa_name(isa) << " nr=" << nr << " nq=" << nq << " q=" << q << " r=" << r;
          }
        }
      }
    }
  }
}

TEST(QueryTopK, KeepsTheBestAndBreaksTiesByWord) {
  const WordTable words(std::vector<std::string>{"d", "c", "b", "a", "e"});
  TopK top(3, &words);
  top.push(0, 0.5f);  // d
  top.push(1, 0.9f);  // c
  top.push(2, 0.5f);  // b
  top.push(3, 0.5f);  // a
  top.push(4, 0.1f);  // e
  EXPECT_EQ(top.threshold(), 0.5f);
  const Neighbours n = top.take_sorted();
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[0].id, 1u);  // c 0.9
  EXPECT_EQ(n[1].id, 3u);  // a 0.5 (a < b < d)
  EXPECT_EQ(n[2].id, 2u);  // b 0.5
}

TEST(QueryNearest, GoldenNeighboursMatchGensim) {
  const auto expected = read_expected(kGolden + "golden_nearest.tsv");
  ASSERT_EQ(expected.size(), 20u);
  for (const char* file : {"golden.bin", "golden.txt"}) {
    const Index index = golden(file);
    std::vector<std::vector<std::uint32_t>> queries;
    std::vector<std::string> names;
    for (const auto& [q, _] : expected) {
      names.push_back(q);
      queries.push_back({index.find(q)});
      ASSERT_NE(queries.back()[0], Index::kNone) << q;
    }
    SearchOptions o;
    o.k = 5;
    const auto results = nearest(index, queries, o);
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& want = expected.at(names[i]);
      ASSERT_EQ(results[i].size(), want.size()) << names[i];
      for (std::size_t r = 0; r < want.size(); ++r) {
        EXPECT_EQ(index.word(results[i][r].id), want[r].word)
            << file << " " << names[i] << " " << r;
        EXPECT_NEAR(results[i][r].score, want[r].score, 2e-6) << names[i];
      }
    }
  }
}

TEST(QueryAnalogy, GoldenAnswersMatchGensim) {
  const auto expected = read_expected(kGolden + "golden_analogy.tsv");
  ASSERT_EQ(expected.size(), 4u);
  const Index index = golden();
  for (const auto& [q, want] : expected) {
    std::istringstream s(q);
    std::string a, b, c;
    s >> a >> b >> c;
    SearchOptions o;
    o.k = 3;
    const auto res =
        analogy(index, {{index.find(a), index.find(b), index.find(c)}}, AnalogyMethod::k3CosAdd, o);
    ASSERT_EQ(res[0].size(), 3u);
    for (std::size_t r = 0; r < 3; ++r) {
      EXPECT_EQ(index.word(res[0][r].id), want[r].word) << q;
      EXPECT_NEAR(res[0][r].score, want[r].score, 2e-6) << q;
    }
  }
}

TEST(QueryAnalogy, CosMulScoresFollowLevyGoldberg) {
  const Index index = golden();
  const std::uint32_t a = index.find("king"), b = index.find("man"), c = index.find("woman");
  SearchOptions o;
  o.k = 5;
  const auto res = analogy(index, {{a, b, c}}, AnalogyMethod::k3CosMul, o);
  ASSERT_EQ(res[0].size(), 5u);
  // gensim most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=5):
  const std::vector<std::pair<std::string, float>> want = {{"cat", 1.7015489f},
                                                           {"queen", 1.6048301f},
                                                           {"princess", 1.4281547f},
                                                           {"girl", 1.1422594f},
                                                           {"france", 0.9110993f}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(index.word(res[0][i].id), want[i].first);
    EXPECT_NEAR(res[0][i].score, want[i].second, 3e-6);
  }
  for (const Neighbour& n : res[0]) {
    EXPECT_NE(n.id, a);
    EXPECT_NE(n.id, b);
    EXPECT_NE(n.id, c);
    const double pa = (1 + similarity(index, n.id, a)) / 2;
    const double pb = (1 + similarity(index, n.id, b)) / 2;
    const double pc = (1 + similarity(index, n.id, c)) / 2;
    EXPECT_NEAR(n.score, pa * pc / (pb + 1e-6), 1e-5);
  }
  for (std::size_t i = 1; i < res[0].size(); ++i) EXPECT_GE(res[0][i - 1].score, res[0][i].score);
}

TEST(QueryNearest, SeveralWordsQueryTheirNormalisedSum) {
  const Index index = golden();
  const std::uint32_t k = index.find("king"), q = index.find("queen");
  SearchOptions o;
  o.k = 18;  // every other word
  const auto res = nearest(index, {{k, q}}, o);
  ASSERT_EQ(res[0].size(), 18u);
  std::vector<float> sum(index.dim());
  double ss = 0;
  for (std::size_t d = 0; d < index.dim(); ++d) {
    sum[d] = index.unit(k)[d] + index.unit(q)[d];
    ss += sum[d] * sum[d];
  }
  for (const Neighbour& n : res[0]) {
    EXPECT_NE(n.id, k);
    EXPECT_NE(n.id, q);
    double dot = 0;
    for (std::size_t d = 0; d < index.dim(); ++d) dot += sum[d] * index.unit(n.id)[d];
    EXPECT_NEAR(n.score, dot / std::sqrt(ss), 1e-5) << index.word(n.id);
  }
}

TEST(QueryNearest, TiesAreBrokenByWordAndZeroVectorsScoreZero) {
  const Index index =
      make_index({"q", "zz", "aa", "mm", "zero"}, {{1, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 0}});
  SearchOptions o;
  o.k = 4;
  const auto res = nearest(index, {{0}}, o);
  ASSERT_EQ(res[0].size(), 4u);
  // All four score 0 (orthogonal or zero): ordered by word.
  EXPECT_EQ(index.word(res[0][0].id), "aa");
  EXPECT_EQ(index.word(res[0][1].id), "mm");
  EXPECT_EQ(index.word(res[0][2].id), "zero");
  EXPECT_EQ(index.word(res[0][3].id), "zz");
  for (const Neighbour& n : res[0]) EXPECT_EQ(n.score, 0.0f);
  EXPECT_EQ(similarity(index, 4, 0), 0.0f);
  // A query on the zero vector itself: every score 0, never NaN.
  const auto z = nearest(index, {{4}}, o);
  ASSERT_EQ(z[0].size(), 4u);
  for (const Neighbour& n : z[0]) EXPECT_EQ(n.score, 0.0f);
}

TEST(QueryNearest, BatchEqualsOneByOneForAnyThreadCount) {
  const Index index = random_index(3000, 37, 11);
  std::vector<std::vector<std::uint32_t>> queries;
  for (std::uint32_t i = 0; i < 150; ++i) queries.push_back({i * 17 % 3000});
  queries.push_back({1, 2, 3});
  SearchOptions o;
  o.k = 10;
  o.threads = 2;
  const auto batch = nearest(index, queries, o);
  o.threads = 1;
  for (std::size_t i = 0; i < queries.size(); i += 7) {
    const auto one = nearest(index, {queries[i]}, o);
    ASSERT_EQ(one[0].size(), 10u);
    for (std::size_t r = 0; r < 10; ++r) {
      EXPECT_EQ(one[0][r].id, batch[i][r].id) << i << " " << r;
      EXPECT_EQ(one[0][r].score, batch[i][r].score);
    }
  }
  // Against a brute-force scan in double precision.
  for (std::size_t i = 0; i < 20; ++i) {
    const std::uint32_t w = queries[i][0];
    std::vector<std::pair<double, std::uint32_t>> all;
    for (std::uint32_t r = 0; r < index.size(); ++r) {
      if (r == w) continue;
      double s = 0;
      for (std::size_t d = 0; d < index.dim(); ++d)
        s += double(index.unit(w)[d]) * index.unit(r)[d];
      all.emplace_back(-s, r);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t r = 0; r < 10; ++r) {
      EXPECT_EQ(batch[i][r].id, all[r].second) << i << " " << r;
      EXPECT_NEAR(batch[i][r].score, -all[r].first, 1e-5);
    }
  }
}

TEST(QueryNearest, RestrictAndLargeK) {
  const Index index = golden();
  SearchOptions o;
  o.k = 1000;
  const auto all = nearest(index, {{index.find("king")}}, o);
  EXPECT_EQ(all[0].size(), 19u);  // every word but the query
  o.max_rows = 4;                 // king queen man woman
  const auto few = nearest(index, {{index.find("king")}}, o);
  ASSERT_EQ(few[0].size(), 3u);
  EXPECT_EQ(index.word(few[0][0].id), "man");  // golden_nearest: man ranks first of these
  for (const Neighbour& n : few[0]) EXPECT_LT(n.id, 4u);
  o.k = 0;
  EXPECT_TRUE(nearest(index, {{0}}, o)[0].empty());
}

TEST(QuerySimilarity, CosineOfRows) {
  const Index index = make_index({"a", "b", "c"}, {{3, 4}, {4, 3}, {-3, -4}});
  EXPECT_NEAR(similarity(index, 0, 1), 24.0 / 25.0, 1e-6);
  EXPECT_NEAR(similarity(index, 0, 2), -1.0, 1e-6);
  EXPECT_NEAR(similarity(index, 1, 1), 1.0, 1e-6);
}

}  // namespace
}  // namespace w2v::query
