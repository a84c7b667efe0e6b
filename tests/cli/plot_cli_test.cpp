// `w2v plot` through the real binary, and the SVG rendered by a real renderer (rsvg-convert from
// Debian's librsvg2-bin). Missing rsvg-convert is a test failure, not a skip.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/png_decode.hpp"

namespace {

using w2v::testing::decode_png;
using w2v::testing::Image;

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string err;
};

// Runs a shell command; stderr captured to a file.
Result sh(const std::string& cmd, const fs::path& dir) {
  const fs::path err = dir / "stderr.txt";
  const int status = std::system((cmd + " 2> '" + err.string() + "'").c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string find_rsvg() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
    const std::string p = std::string(dir) + "/rsvg-convert";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

struct Counts {
  std::size_t opaque = 0;  // alpha > 0
  std::size_t dark = 0;    // text, frame: opaque and r + g + b < 300
  std::size_t blue = 0;    // the points (#1f77b4)
};

Counts count(const Image& img) {
  Counts c;
  for (const auto& p : img.pixels) {
    if (p[3] == 0) continue;
    ++c.opaque;
    if (p[0] + p[1] + p[2] < 300) ++c.dark;
    if (p[2] > 140 && p[0] < 80 && p[1] > 90 && p[1] < 150) ++c.blue;
  }
  return c;
}

class PlotCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(W2V_BUILD_DIR) / "test_tmp" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    model_ = (fs::path(W2V_SOURCE_DIR) / "tests/data/plot_vectors.txt").string();
  }
  std::string w2v() const { return std::string("'") + W2V_BINARY + "'"; }
  fs::path dir_;
  std::string model_;
};

TEST_F(PlotCli, WritesAnSvgThatRendersToANonBlankImage) {
  const fs::path svg = dir_ / "cities.svg";
  const Result r = sh(w2v() + " plot 서울 부산 대구 도쿄 뉴욕 Paris apple 'a<b&c' 없는말 -m '" +
                          model_ + "' -o '" + svg.string() + "' --title '도시 & fruit'",
                      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("없는말"), std::string::npos) << r.err;  // unknown word named
  const std::string text = slurp(svg);
  for (const char* label : {">서울</text>", ">부산</text>", ">도쿄</text>", ">Paris</text>",
                            ">a&lt;b&amp;c</text>", ">도시 &amp; fruit</text>"}) {
    EXPECT_NE(text.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(text.find("없는말"), std::string::npos);
  std::size_t circles = 0;
  for (auto p = text.find("<circle"); p != std::string::npos; p = text.find("<circle", p + 1)) {
    ++circles;
  }
  EXPECT_EQ(circles, 8U);

  const std::string rsvg = find_rsvg();
  ASSERT_FALSE(rsvg.empty())
      << "rsvg-convert is not installed: apt-get install librsvg2-bin (this test needs a real "
         "SVG renderer)";
  const fs::path png = dir_ / "cities.png";
  const Result conv = sh("'" + rsvg + "' -o '" + png.string() + "' '" + svg.string() + "'", dir_);
  ASSERT_EQ(conv.code, 0) << conv.err;
  const Image img = decode_png(slurp(png));
  EXPECT_EQ(img.width, 900U);
  EXPECT_EQ(img.height, 700U);
  const Counts c = count(img);
  EXPECT_EQ(c.opaque, img.pixels.size());  // white background everywhere
  EXPECT_GT(c.dark, 800U);                 // title, labels, frame
  EXPECT_GT(c.blue, 8U * 40);              // eight filled circles of radius 5

  // The same plot without labels has far fewer dark pixels: the labels were drawn.
  std::string bare = text;
  for (auto p = bare.find("<text x="); p != std::string::npos; p = bare.find("<text x=", p)) {
    bare.erase(p, bare.find("</text>", p) + 7 - p);
  }
  std::ofstream(dir_ / "bare.svg") << bare;
  ASSERT_EQ(sh("'" + rsvg + "' -o '" + (dir_ / "bare.png").string() + "' '" +
                   (dir_ / "bare.svg").string() + "'",
               dir_)
                .code,
            0);
  const Counts b = count(decode_png(slurp(dir_ / "bare.png")));
  EXPECT_GT(c.dark, b.dark + 500);
}

TEST_F(PlotCli, PngOutputAndTop) {
  ASSERT_FALSE(find_rsvg().empty())
      << "rsvg-convert is not installed: apt-get install librsvg2-bin";
  const fs::path png = dir_ / "top.png";
  const Result r = sh(w2v() + " plot --top 5 -m '" + model_ + "' -o '" + png.string() +
                          "' --width 400 --height 300",
                      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const Image img = decode_png(slurp(png));
  EXPECT_EQ(img.width, 400U);
  EXPECT_EQ(img.height, 300U);
  EXPECT_GT(count(img).blue, 5U * 40);
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().string().find("w2v-tmp"), std::string::npos) << e.path();
  }
}

TEST_F(PlotCli, ErrorsAreReported) {
  const fs::path out = dir_ / "x.svg";
  // Fewer than two known words.
  Result r = sh(w2v() + " plot 서울 nope -m '" + model_ + "' -o '" + out.string() + "'", dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // Nothing to plot.
  r = sh(w2v() + " plot -m '" + model_ + "' -o '" + out.string() + "'", dir_);
  EXPECT_EQ(r.code, 2) << r.err;
  // PNG without a converter on PATH: a clear error, no file.
  const fs::path png = dir_ / "x.png";
  r = sh("PATH=/nonexistent " + w2v() + " plot 서울 부산 -m '" + model_ + "' -o '" + png.string() +
             "'",
         dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("librsvg2-bin"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(png));
}

TEST_F(PlotCli, NfdQueryFindsTheNfcWord) {
  const fs::path svg = dir_ / "nfd.svg";
  const std::string nfd_seoul = "\u1109\u1165\u110B\u116E\u11AF";
  const Result r = sh(
      w2v() + " plot '" + nfd_seoul + "' 부산 -m '" + model_ + "' -o '" + svg.string() + "'", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(slurp(svg).find(">서울</text>"), std::string::npos);
}

}  // namespace
