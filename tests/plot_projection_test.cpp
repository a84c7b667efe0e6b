// The pairs projection, t-SNE, the --top function-word rule and the HTML map's JSON escaping.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "plot/html.hpp"
#include "plot/pca.hpp"
#include "plot/stopwords.hpp"
#include "plot/tsne.hpp"
#include "text/json.hpp"

namespace w2v::plot {
namespace {

// Four pairs in 6-D sharing one offset o (plus small noise), at spread-out bases: along axis 1
// every pair moves by about |o|, so the arrows are parallel and of one length on the page.
TEST(OffsetProjection, FirstAxisIsTheMeanOffset) {
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  const std::size_t dim = 6;
  const float o[dim] = {0.5F, -0.3F, 0.2F, 0.0F, 0.1F, 0.4F};
  std::vector<float> x;
  std::vector<std::array<std::size_t, 2>> pairs;
  for (std::size_t p = 0; p < 4; ++p) {
    std::vector<float> base(dim);
    for (auto& b : base) b = 2 * g(rng);
    for (std::size_t d = 0; d < dim; ++d) x.push_back(base[d]);
    for (std::size_t d = 0; d < dim; ++d) x.push_back(base[d] + o[d] + 0.01F * g(rng));
    pairs.push_back({2 * p, 2 * p + 1});
  }
  const Projection pr = offset_2d(x.data(), 8, dim, dim, pairs);
  double norm = 0;
  for (float v : o) norm += v * v;
  norm = std::sqrt(norm);
  for (const auto& [a, b] : pairs) {
    EXPECT_NEAR(pr.points[b][0] - pr.points[a][0], norm, 0.03);
    // The rest's first component carries the bases, not the offset: the pair moves little on y.
    EXPECT_LT(std::abs(pr.points[b][1] - pr.points[a][1]), 0.1);
  }
  EXPECT_GT(pr.explained[0], 0);
  EXPECT_LE(pr.explained[0] + pr.explained[1], 1 + 1e-9);
  // A pair pointing nowhere falls back to PCA.
  const Projection same = offset_2d(x.data(), 8, dim, dim, {{0, 0}});
  const Projection pca = pca_2d(x.data(), 8, dim, dim);
  EXPECT_EQ(same.points, pca.points);
}

// k clusters at the corners of a simplex in 30-D (all equally far apart): no 2-D linear map keeps
// them apart, t-SNE does.
std::vector<float> simplex_clusters(std::size_t k, std::size_t per, std::size_t dim,
                                    std::vector<int>& label) {
  std::mt19937 rng(11);
  std::normal_distribution<float> g;
  std::vector<float> x;
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t i = 0; i < per; ++i) {
      for (std::size_t d = 0; d < dim; ++d) x.push_back((d == c ? 3.0F : 0.0F) + 0.35F * g(rng));
      label.push_back(static_cast<int>(c));
    }
  }
  return x;
}

double nearest_neighbour_agreement(const std::vector<std::array<double, 2>>& p,
                                   const std::vector<int>& label) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::size_t best = i == 0 ? 1 : 0;
    double bd = 1e300;
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (j == i) continue;
      const double d = std::hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]);
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    same += label[best] == label[i] ? 1 : 0;
  }
  return static_cast<double>(same) / static_cast<double>(p.size());
}

TEST(Tsne, KeepsNeighbourhoodsThatPcaLoses) {
  std::vector<int> label;
  const std::size_t dim = 30;
  const std::vector<float> x = simplex_clusters(8, 15, dim, label);
  const std::size_t n = label.size();
  TsneOptions o;
  o.seed = 4;
  const Projection t = tsne_2d(x.data(), n, dim, dim, o);
  const Projection p = pca_2d(x.data(), n, dim, dim);
  const double at = nearest_neighbour_agreement(t.points, label);
  const double ap = nearest_neighbour_agreement(p.points, label);
  EXPECT_GT(at, 0.97);
  EXPECT_GT(at, ap + 0.1) << "PCA " << ap;
  for (const auto& q : t.points) {
    EXPECT_TRUE(std::isfinite(q[0]) && std::isfinite(q[1]));
  }
}

TEST(Tsne, DeterministicForASeed) {
  std::vector<int> label;
  const std::vector<float> x = simplex_clusters(3, 10, 8, label);
  TsneOptions o;
  o.iterations = 300;
  o.seed = 9;
  const Projection a = tsne_2d(x.data(), 30, 8, 8, o);
  const Projection b = tsne_2d(x.data(), 30, 8, 8, o);
  EXPECT_EQ(a.points, b.points);
  o.seed = 10;
  const Projection c = tsne_2d(x.data(), 30, 8, 8, o);
  EXPECT_NE(a.points, c.points);
  EXPECT_THROW(tsne_2d(x.data(), 1, 8, 8, o), std::exception);
}

TEST(Stopwords, FunctionWordsAndOnlyThose) {
  for (const char* w : {"를",  "이",  "가", "은",  "는", "의",   "있다", "있는", "한다", "그리고",
                        "the", "The", "of", "and", "a",  "12월", "1990", ",",    "--",   "x"}) {
    EXPECT_TRUE(is_function_word(w)) << w;
  }
  for (const char* w : {"서울", "부산", "대학교", "축구", "king", "Queen", "paris", "도시", "지역",
                        "경제", "a-ha"}) {
    EXPECT_FALSE(is_function_word(w)) << w;
  }
  EXPECT_GT(korean_stopword_count(), 100U);
  EXPECT_GT(english_stopword_count(), 100U);
}

TEST(HtmlMap, JsonStringsAreSafeInsideScript) {
  const auto html = [](std::string_view s) {
    return text::json_string(s, text::JsonContext::kInsideHtml);
  };
  EXPECT_EQ(html("서울"), "\"서울\"");
  EXPECT_EQ(html("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(html("</script>"), "\"\\u003c/script\\u003e\"");
  EXPECT_EQ(text::json_string("</script>"), "\"</script>\"");
  EXPECT_EQ(html(std::string("x\ny\x01\x7f", 5)), "\"x\\ny\\u0001\\u007f\"");
  EXPECT_EQ(html("\xff\xe2\x80\xa8"), "\"\\ufffd\\u2028\"");
  MapData d;
  d.title = "t</title><script>";
  d.projection = "PCA";
  d.words = {"서울", "</script>"};
  d.points = {{0, 0}, {1, 1}};
  d.neighbours = {{{"부산", 0.5F}}, {}};
  const std::string page = render_html(d);
  // One closing script tag per script element: the data cannot end its element early.
  std::size_t closes = 0;
  for (auto p = page.find("</script>"); p != std::string::npos; p = page.find("</script>", p + 1)) {
    ++closes;
  }
  EXPECT_EQ(closes, 2U);
  EXPECT_EQ(page.find("http://"), std::string::npos) << "no network reference";
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_NE(page.find("[\"부산\",0.5000]"), std::string::npos);
}

}  // namespace
}  // namespace w2v::plot
