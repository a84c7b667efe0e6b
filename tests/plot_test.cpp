#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "plot/pca.hpp"
#include "plot/svg.hpp"

namespace w2v::plot {
namespace {

// Three points in 5-D: mean m plus a_i u + b_i v with orthonormal u, v and centred, orthogonal
// a = (2, -1, -1), b = (0, 1, -1). By hand: PC1 scores = a, PC2 scores = b (signs by the
// convention: the largest |score|, first on a tie, is positive), variance 6/3 and 2/3, explained
// 6/8 and 2/8. Fewer rows than dimensions: the Gram-matrix path.
TEST(Pca, MatchesHandComputedProjectionGramPath) {
  const double u[5] = {0.6, 0.8, 0, 0, 0};
  const double v[5] = {0, 0, 0, 0.8, -0.6};
  const double m[5] = {1, -2, 3, 0.5, 7};
  const double a[3] = {2, -1, -1};
  const double b[3] = {0, 1, -1};
  std::vector<float> x(3 * 5);
  for (int r = 0; r < 3; ++r) {
    for (int d = 0; d < 5; ++d) x[r * 5 + d] = static_cast<float>(m[d] + a[r] * u[d] + b[r] * v[d]);
  }
  const Projection p = pca_2d(x.data(), 3, 5, 5);
  ASSERT_EQ(p.points.size(), 3U);
  for (int r = 0; r < 3; ++r) {
    EXPECT_NEAR(p.points[r][0], a[r], 1e-5) << r;
    EXPECT_NEAR(p.points[r][1], b[r], 1e-5) << r;
  }
  EXPECT_NEAR(p.variance[0], 2.0, 1e-5);
  EXPECT_NEAR(p.variance[1], 2.0 / 3, 1e-5);
  EXPECT_NEAR(p.explained[0], 0.75, 1e-6);
  EXPECT_NEAR(p.explained[1], 0.25, 1e-6);
}

// Four points in 2-D along rotated axes: (±3 along (0.6, 0.8)), (±1 along (-0.8, 0.6)), plus an
// offset. More rows than dimensions: the scatter-matrix path. Scores (3, -3, 0, 0) and (0, 0, 1,
// -1); explained 18/20 and 2/20.
TEST(Pca, MatchesHandComputedProjectionScatterPath) {
  const float x[] = {10 + 1.8F, 20 + 2.4F, 10 - 1.8F, 20 - 2.4F,
                     10 - 0.8F, 20 + 0.6F, 10 + 0.8F, 20 - 0.6F};
  const Projection p = pca_2d(x, 4, 2, 2);
  const double s1[4] = {3, -3, 0, 0};
  const double s2[4] = {0, 0, 1, -1};
  for (int r = 0; r < 4; ++r) {
    EXPECT_NEAR(p.points[r][0], s1[r], 1e-4) << r;
    EXPECT_NEAR(p.points[r][1], s2[r], 1e-4) << r;
  }
  EXPECT_NEAR(p.explained[0], 0.9, 1e-6);
  EXPECT_NEAR(p.explained[1], 0.1, 1e-6);
}

TEST(Pca, SignAndOffsetDoNotChangeThePicture) {
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  const std::size_t n = 12;
  const std::size_t dim = 7;
  const std::size_t stride = 8;  // padded rows are read correctly
  std::vector<float> x(n * stride, 99.0F), neg(n * stride), shifted(n * stride);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t d = 0; d < dim; ++d) {
      x[r * stride + d] = g(rng) * static_cast<float>(d + 1);
      neg[r * stride + d] = -x[r * stride + d];
      shifted[r * stride + d] = x[r * stride + d] + 5.0F;
    }
  }
  const Projection p = pca_2d(x.data(), n, dim, stride);
  const Projection q = pca_2d(neg.data(), n, dim, stride);
  const Projection s = pca_2d(shifted.data(), n, dim, stride);
  double total = 0;
  for (std::size_t r = 0; r < n; ++r) {
    for (int k = 0; k < 2; ++k) {
      EXPECT_NEAR(p.points[r][k], q.points[r][k], 1e-4);
      EXPECT_NEAR(p.points[r][k], s.points[r][k], 1e-3);
      total += std::abs(p.points[r][k]);
    }
  }
  EXPECT_GT(total, 1.0);
  EXPECT_GE(p.variance[0], p.variance[1]);
  EXPECT_LE(p.explained[0] + p.explained[1], 1.0 + 1e-9);
}

TEST(Pca, BothSolverPathsAgree) {
  // The same 6 points in 5 dimensions (scatter path: dim <= rows) and padded with zeros to 9
  // dimensions (Gram path: dim > rows) must project identically.
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  std::vector<float> x(6 * 5), wide(6 * 9, 0.0F);
  for (std::size_t r = 0; r < 6; ++r) {
    for (std::size_t d = 0; d < 5; ++d) x[r * 5 + d] = wide[r * 9 + d] = g(rng);
  }
  const Projection a = pca_2d(x.data(), 6, 5, 5);     // scatter (dim <= rows)
  const Projection b = pca_2d(wide.data(), 6, 9, 9);  // Gram (dim > rows)
  for (std::size_t r = 0; r < 6; ++r) {
    EXPECT_NEAR(a.points[r][0], b.points[r][0], 1e-4);
    EXPECT_NEAR(a.points[r][1], b.points[r][1], 1e-4);
  }
}

TEST(Pca, DegenerateInputs) {
  const float one[] = {1, 2, 3};
  const Projection p = pca_2d(one, 1, 3, 3);
  EXPECT_EQ(p.points[0][0], 0.0);
  EXPECT_EQ(p.points[0][1], 0.0);
  const float two[] = {0, 0, 2, 0};
  const Projection q = pca_2d(two, 2, 2, 2);
  EXPECT_NEAR(q.points[0][0], 1.0, 1e-9);  // largest |score| positive; first on the tie
  EXPECT_NEAR(q.points[1][0], -1.0, 1e-9);
  EXPECT_EQ(q.points[0][1], 0.0);
  EXPECT_EQ(q.explained[1], 0.0);
  EXPECT_THROW(pca_2d(one, 0, 3, 3), std::exception);
}

TEST(Pca, SymmetricEigen) {
  std::vector<double> a = {2, 1, 1, 2};
  std::vector<double> values, vectors;
  symmetric_eigen(a, 2, values, vectors);
  EXPECT_NEAR(values[0], 3, 1e-12);
  EXPECT_NEAR(values[1], 1, 1e-12);
  EXPECT_NEAR(std::abs(vectors[0]), std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(vectors[0] * vectors[2], 0.5, 1e-12);   // (1, 1) / sqrt 2
  EXPECT_NEAR(vectors[1] * vectors[3], -0.5, 1e-12);  // (1, -1) / sqrt 2

  // A random symmetric 6x6: A v = lambda v, V orthonormal.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> g(-1, 1);
  const std::size_t n = 6;
  std::vector<double> m(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i; j < n; ++j) m[i * n + j] = m[j * n + i] = g(rng);
  }
  std::vector<double> work = m;
  symmetric_eigen(work, n, values, vectors);
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0) {
      EXPECT_GE(values[k - 1], values[k]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      double av = 0;
      for (std::size_t j = 0; j < n; ++j) av += m[i * n + j] * vectors[j * n + k];
      EXPECT_NEAR(av, values[k] * vectors[i * n + k], 1e-9);
    }
    for (std::size_t l = 0; l < n; ++l) {
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i) dot += vectors[i * n + k] * vectors[i * n + l];
      EXPECT_NEAR(dot, k == l ? 1.0 : 0.0, 1e-9);
    }
  }
}

TEST(Svg, EscapesLabels) {
  EXPECT_EQ(xml_escape("a<b&c\"d'e>"), "a&lt;b&amp;c&quot;d&apos;e&gt;");
  EXPECT_EQ(xml_escape("서울"), "서울");
  EXPECT_EQ(xml_escape(std::string("x\x01y\xFFz\x7F", 6)), "x\uFFFDy\uFFFDz\uFFFD");
  EXPECT_EQ(xml_escape("a\tb"), "a&#9;b");
}

TEST(Svg, DrawsEveryPointWithItsLabelInsideTheFrame) {
  const std::vector<std::string> labels = {"서울", "부산", "a<b&c", "\x01"};
  const std::vector<std::array<double, 2>> pts = {{1, 0}, {0.5, 0.5}, {-1, -0.25}, {0, 0}};
  SvgOptions o;
  o.title = "도시 & <cities>";
  o.width = 800;
  o.height = 600;
  const std::string svg = render_svg(labels, pts, o);
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0U);
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"600\""),
            std::string::npos);
  EXPECT_NE(svg.find("'Noto Sans CJK KR'"), std::string::npos);
  EXPECT_NE(svg.find("NanumGothic"), std::string::npos);
  EXPECT_NE(svg.find("sans-serif\""), std::string::npos);
  EXPECT_NE(svg.find(">도시 &amp; &lt;cities&gt;</text>"), std::string::npos);
  EXPECT_NE(svg.find(">서울</text>"), std::string::npos);
  EXPECT_NE(svg.find(">부산</text>"), std::string::npos);
  EXPECT_NE(svg.find(">a&lt;b&amp;c</text>"), std::string::npos);
  EXPECT_NE(svg.find(">\uFFFD</text>"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  EXPECT_NE(svg.find(">PC1</text>"), std::string::npos);
  EXPECT_NE(svg.find(">PC2</text>"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);

  // Circles: one per point, inside the frame, same scale on both axes.
  const std::regex circle("<circle cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\"");
  std::vector<std::array<double, 2>> xy;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it) {
    xy.push_back({std::stod((*it)[1]), std::stod((*it)[2])});
  }
  ASSERT_EQ(xy.size(), 4U);
  for (const auto& c : xy) {
    EXPECT_GT(c[0], 60);
    EXPECT_LT(c[0], 760);
    EXPECT_GT(c[1], 60);
    EXPECT_LT(c[1], 540);
  }
  EXPECT_LT(xy[2][0], xy[3][0]);  // x grows to the right
  EXPECT_LT(xy[3][0], xy[0][0]);
  EXPECT_LT(xy[1][1], xy[3][1]);  // y grows upwards
  const double sx = (xy[0][0] - xy[3][0]) / 1.0;
  const double sy = (xy[3][1] - xy[1][1]) / 0.5;
  EXPECT_NEAR(sx, sy, 0.5);

  // Balanced tags (a cheap well-formedness check).
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (std::size_t p = svg.find(s); p != std::string::npos; p = svg.find(s, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<text"), count("</text>"));
  EXPECT_EQ(count("<g"), count("</g>"));
  EXPECT_EQ(count("<svg"), 1U);
  EXPECT_EQ(count("</svg>"), 1U);
}

TEST(Svg, WritesTheFileAtomically) {
  const auto dir = std::filesystem::path(W2V_BUILD_DIR) / "test_tmp" / "svg_write";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "p.svg").string();
  write_svg(path, "<svg/>\n");
  std::ifstream in(path);
  const std::string got{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(got, "<svg/>\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1U);  // no temporary left behind
}

}  // namespace
}  // namespace w2v::plot
