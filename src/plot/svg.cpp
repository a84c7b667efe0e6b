#include "plot/svg.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/atomic_file.hpp"
#include "plot/labels.hpp"
#include "text/utf8.hpp"
#include "util/error.hpp"

extern char** environ;

namespace w2v::plot {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 1;
    const std::int32_t cp = text::decode(text, i, len);
    const bool forbidden = cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                           cp == 0xFFFE || cp == 0xFFFF || (cp >= 0x7F && cp <= 0x9F);
    if (forbidden) {
      text::encode(text::kReplacement, out);
    } else {
      switch (cp) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
        case '\n':
        case '\r':
          out += fmt::format("&#{};", cp);
          break;
        default:
          out.append(text.data() + i, len);
      }
    }
    i += len;
  }
  return out;
}

namespace {

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

}  // namespace

namespace {

constexpr std::array<const char*, 8> kPairColours = {"#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                                     "#8c564b", "#e377c2", "#17becf", "#bcbd22"};

std::size_t render_panel(std::string& s, const Panel& panel, double ox, double w, double h,
                         std::size_t panel_index) {
  const double left = ox + 60;
  const double right = ox + w - 40;
  const double top = 60;
  const double bottom = h - 60;
  const auto& points = panel.points;

  double xmin = 0;
  double xmax = 0;
  double ymin = 0;
  double ymax = 0;
  for (const auto& p : points) {
    xmin = std::min(xmin, p[0]);
    xmax = std::max(xmax, p[0]);
    ymin = std::min(ymin, p[1]);
    ymax = std::max(ymax, p[1]);
  }
  // Room for labels on every side of the points.
  const double inner_left = left + 45;
  const double inner_right = right - 45;
  const double inner_top = top + 25;
  const double inner_bottom = bottom - 25;
  const double xr = xmax - xmin;
  const double yr = ymax - ymin;
  double scale = 1;
  if (xr > 0 || yr > 0) {
    scale = std::min(xr > 0 ? (inner_right - inner_left) / xr : 1e300,
                     yr > 0 ? (inner_bottom - inner_top) / yr : 1e300);
  }
  // Centre the data in the plot area.
  const double cx = (inner_left + inner_right) / 2 - scale * (xmin + xmax) / 2;
  const double cy = (inner_top + inner_bottom) / 2 + scale * (ymin + ymax) / 2;
  auto px = [&](double x) { return cx + scale * x; };
  auto py = [&](double y) { return cy - scale * y; };

  if (!panel.title.empty()) {
    s += fmt::format(
        "<text class=\"panel-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"16\" "
        "fill=\"#222222\">{}</text>\n",
        num((left + right) / 2), num(top - 8), xml_escape(panel.title));
  }
  s += fmt::format(
      "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
      "stroke=\"#888888\" stroke-width=\"1\"/>\n",
      num(left), num(top), num(right - left), num(bottom - top));
  s += "<g class=\"axes\" stroke=\"#aaaaaa\" stroke-width=\"1\" stroke-dasharray=\"4 3\">\n";
  const double oxl = std::clamp(px(0), left, right);
  const double oyl = std::clamp(py(0), top, bottom);
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", num(left), num(oyl),
                   num(right), num(oyl));
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", num(oxl), num(top),
                   num(oxl), num(bottom));
  s += "</g>\n";
  s += fmt::format(
      "<text class=\"xlabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" "
      "fill=\"#444444\">{}</text>\n",
      num((left + right) / 2), num(bottom + 35), xml_escape(panel.x_label));
  s += fmt::format(
      "<text class=\"ylabel\" x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" font-size=\"14\" "
      "fill=\"#444444\" transform=\"rotate(-90 {0} {1})\">{2}</text>\n",
      num(left - 25), num((top + bottom) / 2), xml_escape(panel.y_label));

  // Pixel positions, rounded as written so the labels are placed around the drawn dots.
  LabelInput li;
  li.font_size = kLabelFontSize;
  li.dot_radius = kDotRadius;
  li.area = {left + 3, top + 3, right - 3, bottom - 3};
  li.texts = panel.labels;
  for (const auto& p : points) {
    li.dots.push_back({std::round(px(p[0]) * 10) / 10, std::round(py(p[1]) * 10) / 10});
  }
  // An arrow leaves its first point to the right-ish and enters its second: put the first's
  // label on the left and the second's on the right, off the arrow.
  if (!panel.arrows.empty()) {
    li.first_candidate.assign(points.size(), 0);
    for (const auto& [a, b] : panel.arrows) {
      if (a >= points.size() || b >= points.size()) continue;
      const bool rightwards = li.dots[b][0] >= li.dots[a][0];
      li.first_candidate[a] = rightwards ? 4 : 0;
      li.first_candidate[b] = rightwards ? 0 : 4;
    }
  }
  const std::vector<PlacedLabel> placed = place_labels(li);

  // Colour per point: points of the k-th arrow take the k-th pair colour.
  std::vector<const char*> colour(points.size(), "#1f77b4");
  for (std::size_t k = 0; k < panel.arrows.size(); ++k) {
    for (std::size_t e : panel.arrows[k]) {
      if (e < points.size()) colour[e] = kPairColours[k % kPairColours.size()];
    }
  }
  if (!panel.arrows.empty()) {
    s += "<g class=\"arrows\" stroke-width=\"2\">\n";
    for (std::size_t k = 0; k < panel.arrows.size(); ++k) {
      const auto [a, b] = panel.arrows[k];
      if (a >= points.size() || b >= points.size()) continue;
      const double x1 = li.dots[a][0];
      const double y1 = li.dots[a][1];
      const double x2 = li.dots[b][0];
      const double y2 = li.dots[b][1];
      const double len = std::hypot(x2 - x1, y2 - y1);
      if (len < 2 * kDotRadius + 4) continue;
      // From the edge of one dot to just before the other.
      const double ux = (x2 - x1) / len;
      const double uy = (y2 - y1) / len;
      const char* c = kPairColours[k % kPairColours.size()];
      s += fmt::format(
          "<line class=\"arrow\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
          "marker-end=\"url(#head{}-{})\"/>\n",
          num(x1 + ux * (kDotRadius + 1)), num(y1 + uy * (kDotRadius + 1)),
          num(x2 - ux * (kDotRadius + 2)), num(y2 - uy * (kDotRadius + 2)), c, panel_index, k);
      s += fmt::format(
          "<defs><marker id=\"head{}-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
          "markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
          "fill=\"{}\"/></marker></defs>\n",
          panel_index, k, c);
    }
    s += "</g>\n";
  }
  s += "<g class=\"leaders\" stroke=\"#999999\" stroke-width=\"0.7\">\n";
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (!placed[i].leader) continue;
    const Box& b = placed[i].box;
    const double dx = li.dots[i][0];
    const double dy = li.dots[i][1];
    const double tx = std::clamp(dx, b.x0, b.x1);
    const double ty = std::clamp(dy, b.y0, b.y1);
    const double len = std::hypot(tx - dx, ty - dy);
    if (len <= kDotRadius) continue;
    s += fmt::format("<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
                     num(dx + (tx - dx) / len * kDotRadius), num(dy + (ty - dy) / len * kDotRadius),
                     num(tx), num(ty));
  }
  s += "</g>\n";
  s += "<g class=\"points\">\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    s += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#0b3c61\" "
        "stroke-width=\"1\"><title>{}</title></circle>\n",
        num(li.dots[i][0]), num(li.dots[i][1]), kDotRadius, colour[i], xml_escape(panel.labels[i]));
  }
  std::size_t hidden = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!placed[i].visible) {
      ++hidden;
      continue;
    }
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#111111\">{}</text>\n",
                     num(placed[i].x), num(placed[i].y), kLabelFontSize,
                     xml_escape(panel.labels[i]));
  }
  s += "</g>\n";
  return hidden;
}

}  // namespace

std::string render_panels(const std::vector<Panel>& panels, const SvgOptions& o,
                          std::size_t* hidden) {
  if (panels.empty()) throw Error("plot: nothing to draw");
  for (const auto& p : panels) {
    if (p.labels.size() != p.points.size()) throw Error("plot: labels and points differ in number");
  }
  const double pw = std::max(o.width, 200);
  const double h = std::max(o.height, 200);
  const double w = pw * static_cast<double>(panels.size());
  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"{2}\">\n",
      w, h, kFontFamily);
  s += fmt::format("<title>{}</title>\n", xml_escape(o.title));
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  const bool subtitles =
      std::any_of(panels.begin(), panels.end(), [](const Panel& p) { return !p.title.empty(); });
  s += fmt::format(
      "<text class=\"title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"20\" "
      "font-weight=\"bold\" fill=\"#222222\">{}</text>\n",
      num(w / 2), subtitles ? 26.0 : 35.0, xml_escape(o.title));
  for (std::size_t k = 0; k < panels.size(); ++k) {
    s += fmt::format("<g class=\"panel\" id=\"panel{}\">\n", k);
    const std::size_t n = render_panel(s, panels[k], pw * static_cast<double>(k), pw, h, k);
    if (hidden != nullptr) *hidden += n;
    s += "</g>\n";
  }
  s += "</svg>\n";
  return s;
}

std::string render_svg(const std::vector<std::string>& labels,
                       const std::vector<std::array<double, 2>>& points, const SvgOptions& o) {
  Panel p;
  p.labels = labels;
  p.points = points;
  p.x_label = o.x_label;
  p.y_label = o.y_label;
  return render_panels({p}, o);
}

void write_svg(const std::string& path, const std::string& svg) {
  io::AtomicFile f(path);
  f.write(svg);
  f.commit();
}

namespace {

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t b = 0;
  while (b <= dirs.size()) {
    std::size_t e = dirs.find(':', b);
    if (e == std::string::npos) e = dirs.size();
    std::string candidate = e > b ? dirs.substr(b, e - b) : ".";
    candidate += '/';
    candidate += name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    b = e + 1;
  }
  return {};
}

}  // namespace

void write_png(const std::string& path, const std::string& svg, int width, int height) {
  const std::string tool = find_in_path("rsvg-convert");
  if (tool.empty()) {
    throw Error(
        "--format png needs rsvg-convert, which is not installed (Debian: apt-get install "
        "librsvg2-bin); write an SVG instead");
  }
  namespace fs = std::filesystem;
  // Temporary SVG and PNG next to the output, so the final rename stays on one file system.
  const std::string tmp_svg = path + ".w2v-tmp.svg";
  const std::string tmp_png = path + ".w2v-tmp.png";
  write_svg(tmp_svg, svg);
  struct Cleanup {
    std::string a, b;
    ~Cleanup() {
      std::error_code ec;
      fs::remove(a, ec);
      fs::remove(b, ec);
    }
  } cleanup{tmp_svg, tmp_png};

  std::vector<std::string> args = {tool,
                                   "--format",
                                   "png",
                                   "--width",
                                   std::to_string(width),
                                   "--height",
                                   std::to_string(height),
                                   "--output",
                                   tmp_png,
                                   tmp_svg};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, tool.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) throw Error(fmt::format("cannot run {}: {}", tool, errno_message(rc)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(fmt::format("waiting for {}: {}", tool, errno_message(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(fmt::format("{} failed to convert the plot to PNG", tool));
  }
  std::ifstream in(tmp_png, std::ios::binary);
  const std::string png{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (png.size() < 8 || png.compare(1, 3, "PNG") != 0) {
    throw Error(fmt::format("{} wrote no PNG", tool));
  }
  io::AtomicFile out(path);
  out.write(png);
  out.commit();
}

}  // namespace w2v::plot
