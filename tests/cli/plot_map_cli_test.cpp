// w2v plot's lesson pictures through the built binary: --pairs arrows, --before panels, --frames,
// --top without function words, and the HTML map driven in a real headless browser (Debian's
// chromium; missing chromium is a test failure, not a skip).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/png_decode.hpp"
#include "cli/process.hpp"
#include "plot/svg.hpp"
#include "plot_svg_boxes.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

std::string test_dir_name() {
  return std::string("PlotMap-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

// Text vectors in 8-D: three pairs base_i -> base_i + offset with orthogonal bases of one length
// (so the unit vectors the plot uses keep one offset along the offset's direction), plus four
// filler words in the other dimensions.
std::string pairs_model() {
  std::mt19937 rng(8);
  std::normal_distribution<double> g;
  std::string out = "10 8\n";
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"king", "queen"}, {"man", "woman"}, {"boy", "girl"}};
  auto row = [&](const std::string& w, const std::vector<double>& v) {
    out += w;
    for (double x : v) out += " " + std::to_string(x);
    out += "\n";
  };
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    std::vector<double> base(8, 0.0);
    base[1 + k] = 3;
    row(pairs[k].first, base);
    base[0] = 1;
    row(pairs[k].second, base);
  }
  for (const char* w : {"apple", "pear", "river", "stone"}) {
    std::vector<double> v(8, 0.0);
    for (std::size_t d = 4; d < 8; ++d) v[d] = g(rng);
    row(w, v);
  }
  return out;
}

TEST(PlotMapCli, PairsAreParallelArrows) {
  ScratchDir dir(test_dir_name());
  write_file(dir.file("m.txt"), pairs_model());
  const auto r = run_w2v({"plot", "-m", dir.file("m.txt"), "apple", "--pairs", "king:queen",
                          "man:woman", "boy:girl", "-o", dir.file("pairs.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = read_file(dir.file("pairs.svg"));
  plot::expect_clear(svg, 7);
  const std::regex arrow(
      R"re(<line class="arrow" x1="([-0-9.]+)" y1="([-0-9.]+)" x2="([-0-9.]+)" y2="([-0-9.]+)")re");
  std::vector<double> angles;
  std::vector<double> lengths;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), arrow); it != std::sregex_iterator();
       ++it) {
    const double dx = std::stod((*it)[3]) - std::stod((*it)[1]);
    const double dy = std::stod((*it)[4]) - std::stod((*it)[2]);
    angles.push_back(std::atan2(dy, dx));
    lengths.push_back(std::hypot(dx, dy));
  }
  ASSERT_EQ(angles.size(), 3U);
  for (std::size_t k = 0; k < 3; ++k) {
    // The offset is the first axis: each arrow points right, nearly horizontally, all as long.
    EXPECT_LT(std::abs(angles[k]), 0.3) << k;
    EXPECT_NEAR(lengths[k], lengths[0], 0.1 * lengths[0]) << k;
  }
  EXPECT_NE(svg.find("mean offset of the pairs (king→queen"), std::string::npos);
  // Bad pair syntax and t-SNE with pairs are usage errors.
  EXPECT_EQ(run_w2v({"plot", "-m", dir.file("m.txt"), "--pairs", "king", "-o", dir.file("x.svg")})
                .exit_code,
            2);
  EXPECT_EQ(run_w2v({"plot", "-m", dir.file("m.txt"), "--pairs", "king:queen", "--projection",
                     "tsne", "-o", dir.file("x.svg")})
                .exit_code,
            2);
  EXPECT_FALSE(fs::exists(dir.file("x.svg")));
}

std::string corpus() {
  std::string text;
  Rng rng(6);
  for (int line = 0; line < 800; ++line) {
    // Two topics: a-words and b-words never share a sentence.
    const char t = line % 2 == 0 ? 'a' : 'b';
    for (int k = 0; k < 10; ++k) text += std::string(1, t) + std::to_string(rng.below(8)) + " ";
    text += "\n";
  }
  return text;
}

TEST(PlotMapCli, BeforeAndAfterPanelsAndFrames) {
  ScratchDir dir(test_dir_name());
  write_file(dir.file("c.txt"), corpus());
  auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--threads", "1", "--dim",
                    "16", "--epochs", "3", "--min-count", "1", "--save-init", dir.file("init.bin"),
                    "--snapshots", dir.file("snaps"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> words = {"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"};
  std::vector<std::string> args = {
      "plot", "--before", dir.file("init.bin"), "-m", dir.file("v.bin"), "-o", dir.file("ba.svg")};
  args.insert(args.end(), words.begin(), words.end());
  r = run_w2v(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = read_file(dir.file("ba.svg"));
  EXPECT_NE(svg.find("width=\"1800\""), std::string::npos) << "two 900-pixel panels";
  const auto ps = plot::panels(svg);
  ASSERT_EQ(ps.size(), 2U);
  for (const auto& p : ps) plot::expect_clear(p, words.size());
  EXPECT_NE(ps[0].find("before training"), std::string::npos);
  EXPECT_NE(ps[1].find("after training"), std::string::npos);
  // After training the two topics separate: the mean distance between topics, over the mean
  // distance within one, grows from the random start (each panel has its own scale).
  auto separation = [&](const std::string& panel) {
    const plot::Parsed q = plot::parse(panel);
    auto centre = [&](std::size_t i) {
      return std::array<double, 2>{(q.dots[i].x0 + q.dots[i].x1) / 2,
                                   (q.dots[i].y0 + q.dots[i].y1) / 2};
    };
    double within = 0;
    double between = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      for (std::size_t j = i + 1; j < 8; ++j) {
        const auto a = centre(i);
        const auto b = centre(j);
        const double d = std::hypot(a[0] - b[0], a[1] - b[1]);
        ((i < 4) == (j < 4) ? within : between) += d;
      }
    }
    return (between / 16) / (within / 12);
  };
  EXPECT_GT(separation(ps[1]), 1.5 * separation(ps[0]));

  args = {"plot", "--frames", dir.file("snaps"), "-o", dir.file("frames")};
  args.insert(args.end(), words.begin(), words.end());
  r = run_w2v(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int e = 0; e <= 3; ++e) {
    const std::string f = dir.file("frames/epoch-" + std::to_string(e) + ".svg");
    ASSERT_TRUE(fs::exists(f)) << f;
    const std::string frame = read_file(f);
    plot::expect_clear(frame, words.size());
    EXPECT_NE(frame.find("epoch " + std::to_string(e) + " of 3"), std::string::npos);
  }
  // --frames on a directory without snapshots is an error.
  EXPECT_EQ(
      run_w2v({"plot", "--frames", dir.file("frames"), "-o", dir.file("f2"), "a0", "a1"}).exit_code,
      1);
}

TEST(PlotMapCli, TopSkipsFunctionWordsUnlessKept) {
  ScratchDir dir(test_dir_name());
  std::string m = "9 3\n";
  int k = 0;
  for (const char* w : {"the", "를", "있다", "of", "1990", "서울", "부산", "king", "대학교"}) {
    m += std::string(w) + " " + std::to_string(k % 3) + " " + std::to_string(k * 0.1) + " 1\n";
    ++k;
  }
  write_file(dir.file("m.txt"), m);
  auto r = run_w2v({"plot", "-m", dir.file("m.txt"), "--top", "3", "-o", dir.file("a.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string svg = read_file(dir.file("a.svg"));
  for (const char* w : {">서울</text>", ">부산</text>", ">king</text>"}) {
    EXPECT_NE(svg.find(w), std::string::npos) << w;
  }
  for (const char* w : {">the</text>", ">를</text>", ">있다</text>", ">1990</text>"}) {
    EXPECT_EQ(svg.find(w), std::string::npos) << w;
  }
  EXPECT_NE(r.err.find("skipped 5 function words"), std::string::npos) << r.err;
  r = run_w2v(
      {"plot", "-m", dir.file("m.txt"), "--top", "3", "--keep-stopwords", "-o", dir.file("b.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  svg = read_file(dir.file("b.svg"));
  for (const char* w : {">the</text>", ">를</text>", ">있다</text>"}) {
    EXPECT_NE(svg.find(w), std::string::npos) << w;
  }
  // A word named on the command line is drawn even if it is a function word.
  r = run_w2v({"plot", "-m", dir.file("m.txt"), "--top", "2", "the", "-o", dir.file("c.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir.file("c.svg")).find(">the</text>"), std::string::npos);
}

TEST(PlotMapCli, TsneProjectionIsDeterministicForASeed) {
  ScratchDir dir(test_dir_name());
  write_file(dir.file("m.txt"), pairs_model());
  for (const char* out : {"a.svg", "b.svg"}) {
    const auto r = run_w2v({"plot", "-m", dir.file("m.txt"), "--top", "10", "--keep-stopwords",
                            "--projection", "tsne", "--seed", "3", "-o", dir.file(out)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(dir.file("a.svg")), read_file(dir.file("b.svg")));
  EXPECT_NE(read_file(dir.file("a.svg")).find("t-SNE 1"), std::string::npos);
  plot::expect_clear(read_file(dir.file("a.svg")), 10);
  EXPECT_EQ(run_w2v({"plot", "-m", dir.file("m.txt"), "king", "queen", "--projection", "umap", "-o",
                     dir.file("c.svg")})
                .exit_code,
            2);
}

std::string find_chromium() {
  for (const char* p :
       {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return {};
}

// Runs headless chromium on `url` with `extra` flags; returns stdout.
testing::RunResult chromium(const std::string& bin, const ScratchDir& dir,
                            const std::vector<std::string>& extra, const std::string& url) {
  const std::string profile = dir.file("profile");
  fs::create_directories(profile);
  std::vector<std::string> argv = {bin,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--no-first-run",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile,
                                   "--virtual-time-budget=5000"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  testing::RunOptions o;
  o.timeout_seconds = 120;
  return testing::run_command(argv, o);
}

std::string percent_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

TEST(PlotMapCli, HtmlMapSearchesAndDrawsInARealBrowser) {
  const std::string bin = find_chromium();
  ASSERT_FALSE(bin.empty()) << "chromium is not installed (Debian: apt-get install chromium): this "
                               "test needs a real browser";
  ScratchDir dir(test_dir_name());
  const std::string model = std::string(W2V_SOURCE_DIR) + "/tests/data/plot_vectors.txt";
  auto r = run_w2v({"plot", "-m", model, "--top", "10", "--keep-stopwords", "--neighbours", "3",
                    "-o", dir.file("map.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = read_file(dir.file("map.html"));
  EXPECT_EQ(page.find("src="), std::string::npos) << "nothing loaded from elsewhere";
  EXPECT_EQ(page.find("http:"), std::string::npos);
  EXPECT_EQ(page.find("https:"), std::string::npos);

  // The neighbours the page must show for 서울, from the query command itself.
  r = run_w2v({"nearest", "-m", model, "-k", "3", "서울"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> expected;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    // TSV on a pipe: query, rank, word, score.
    std::istringstream f(line);
    std::string query;
    std::string rank;
    std::string word;
    std::getline(f, query, '\t');
    std::getline(f, rank, '\t');
    std::getline(f, word, '\t');
    if (!word.empty()) expected.push_back(word);
  }
  ASSERT_EQ(expected.size(), 3U) << r.out;

  const std::string url = "file://" + dir.file("map.html") + "#search=" + percent_encode("서울");
  auto dom = chromium(bin, dir, {"--dump-dom"}, url);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find("data-ready=\"1\""), std::string::npos) << "the script ran";
  const auto at = dom.out.find("<div id=\"result\">");
  ASSERT_NE(at, std::string::npos) << dom.out.substr(0, 2000);
  const std::string result = dom.out.substr(at, dom.out.find("</ol>", at) - at);
  EXPECT_NE(result.find("<div class=\"word\">서울</div>"), std::string::npos) << result;
  std::size_t pos = 0;
  for (const auto& w : expected) {
    const auto p = result.find("<li>" + w + "<span", pos);
    EXPECT_NE(p, std::string::npos) << w << " in order in " << result;
    if (p != std::string::npos) pos = p;
  }
  // A word that is not there says so.
  dom = chromium(bin, dir, {"--dump-dom"},
                 "file://" + dir.file("map.html") + "#search=" + percent_encode("없는말"));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find("not found: 없는말"), std::string::npos);

  // Zoom, pan and hover through the page's own event handlers: a script appended to a copy of
  // the page sends a wheel event, a drag and a hover, and reports what the map did.
  std::string driven = page;
  driven.insert(driven.rfind("</body>"), R"js(<script>
(function () {
  const c = document.getElementById("map");
  const m = window.w2vMap;
  const out = [];
  const v0 = m.view();
  c.dispatchEvent(new WheelEvent("wheel", { deltaY: -400, clientX: 300, clientY: 300, bubbles: true, cancelable: true }));
  const v1 = m.view();
  out.push("zoom=" + (v1.scale / v0.scale).toFixed(2));
  c.dispatchEvent(new MouseEvent("mousedown", { clientX: 100, clientY: 100, bubbles: true }));
  c.dispatchEvent(new MouseEvent("mousemove", { clientX: 160, clientY: 130, bubbles: true }));
  window.dispatchEvent(new MouseEvent("mouseup", { clientX: 160, clientY: 130, bubbles: true }));
  const v2 = m.view();
  out.push("pan=" + Math.round(v2.x - v1.x) + "," + Math.round(v2.y - v1.y));
  const p = m.screen("apple");
  c.dispatchEvent(new MouseEvent("mousemove", { clientX: p[0] + 1, clientY: p[1] + 1, bubbles: true }));
  out.push("hover=" + document.querySelector("#result .word").textContent);
  const pre = document.createElement("pre");
  pre.id = "driven";
  pre.textContent = out.join(" ");
  document.body.appendChild(pre);
})();
</script>)js");
  write_file(dir.file("driven.html"), driven);
  dom = chromium(bin, dir, {"--dump-dom", "--window-size=900,600"},
                 "file://" + dir.file("driven.html"));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  const auto d = dom.out.find("<pre id=\"driven\">");
  ASSERT_NE(d, std::string::npos) << dom.out.substr(0, 1000);
  const std::string report = dom.out.substr(d, dom.out.find("</pre>", d) - d);
  const std::regex zoom_re("zoom=([0-9.]+)");
  std::smatch zm;
  ASSERT_TRUE(std::regex_search(report, zm, zoom_re)) << report;
  EXPECT_GT(std::stod(zm[1]), 1.5) << report;  // exp(400 * 0.0015) = 1.82
  EXPECT_NE(report.find("pan=60,30"), std::string::npos) << report;
  EXPECT_NE(report.find("hover=apple"), std::string::npos) << report;

  // A screenshot after the search: not blank, the points drawn, the found word marked red.
  const std::string shot = dir.file("shot.png");
  auto s = chromium(bin, dir,
                    {"--hide-scrollbars", "--window-size=900,600", "--screenshot=" + shot}, url);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const testing::Image img = testing::decode_png(read_file(shot));
  ASSERT_EQ(img.width, 900U);
  std::size_t dark = 0;
  std::size_t blue = 0;
  std::size_t red = 0;
  for (const auto& p : img.pixels) {
    if (p[0] + p[1] + p[2] < 300) ++dark;
    if (p[2] > 140 && p[0] < 80 && p[1] > 90 && p[1] < 150) ++blue;  // #1f77b4
    if (p[0] > 180 && p[1] < 80 && p[2] < 80) ++red;                 // #d62728
  }
  EXPECT_GT(dark, 500U) << "labels and panel text";
  EXPECT_GT(blue, 30U) << "the blue points (some overlap)";
  EXPECT_GT(red, 40U) << "the selected word";
}

// The width rule of plot/labels.hpp against real fonts: the three label layouts are drawn by
// chromium, which measures every label (getBBox with the installed fonts: Noto CJK for Hangul)
// and reports any two that intersect, any label over a dot, any outside its frame.
TEST(PlotMapCli, LabelsDoNotOverlapWhenABrowserMeasuresThem) {
  const std::string bin = find_chromium();
  ASSERT_FALSE(bin.empty()) << "chromium is not installed (Debian: apt-get install chromium)";
  ScratchDir dir(test_dir_name());
  std::string page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n";
  for (const plot::Layout& l :
       {plot::demo_cities(), plot::hundred_words(), plot::dense_cluster()}) {
    std::string svg = plot::render_svg(l.words, l.points, plot::SvgOptions{});
    svg.erase(0, svg.find("<svg"));
    page += svg;
  }
  page += R"js(<pre id="report"></pre><script>
const lines = [];
document.querySelectorAll("svg").forEach(function (svg, k) {
  const texts = Array.from(svg.querySelectorAll("g.points text"));
  const boxes = texts.map(function (t) { return t.getBBox(); });
  const dots = Array.from(svg.querySelectorAll("g.points circle")).map(function (c) {
    const r = c.r.baseVal.value;
    return { x: c.cx.baseVal.value - r, y: c.cy.baseVal.value - r, width: 2 * r, height: 2 * r };
  });
  const f = svg.querySelector("rect.frame").getBBox();
  function hit(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }
  let bad = [];
  for (let i = 0; i < boxes.length; ++i) {
    const a = boxes[i];
    if (!(a.width > 0)) bad.push("empty " + texts[i].textContent);
    if (a.x < f.x || a.y < f.y || a.x + a.width > f.x + f.width || a.y + a.height > f.y + f.height)
      bad.push("outside " + texts[i].textContent);
    for (let j = i + 1; j < boxes.length; ++j)
      if (hit(a, boxes[j])) bad.push(texts[i].textContent + "/" + texts[j].textContent);
    dots.forEach(function (d, m) { if (hit(a, d)) bad.push(texts[i].textContent + " on dot " + m); });
  }
  lines.push("svg" + k + " labels=" + boxes.length + " bad=" + bad.length + " " + bad.join(", "));
});
document.getElementById("report").textContent = lines.join("\n");
</script></body></html>
)js";
  write_file(dir.file("labels.html"), page);
  const auto dom = chromium(bin, dir, {"--dump-dom"}, "file://" + dir.file("labels.html"));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  const auto at = dom.out.find("<pre id=\"report\">");
  ASSERT_NE(at, std::string::npos) << dom.out.substr(0, 500);
  const std::string report = dom.out.substr(at, dom.out.find("</pre>", at) - at);
  EXPECT_NE(report.find("svg0 labels=16 bad=0 "), std::string::npos) << report;
  EXPECT_NE(report.find("svg1 labels=100 bad=0 "), std::string::npos) << report;
  EXPECT_NE(report.find("svg2 labels=32 bad=0 "), std::string::npos) << report;
}

}  // namespace
}  // namespace w2v
