// w2v plot: project chosen word vectors to two dimensions with PCA and draw them as SVG (or PNG).
//
//   w2v plot 서울 부산 대전 도쿄 뉴욕 -o cities.svg
//   w2v plot --top 100 -m vectors.bin -o top100.svg --title "100 most frequent words"
//
// Words are looked up as typed, then in NFC (unless --no-normalize). Unknown words are named on
// stderr and left out; fewer than two known words is an error (exit 1). The rows are the unit
// (cosine-normalised) vectors, the geometry `w2v nearest` uses.
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <charconv>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "plot/pca.hpp"
#include "plot/svg.hpp"
#include "query/index.hpp"
#include "text/tokenizer.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

struct PlotArgs {
  std::vector<std::string> words;
  std::string model;
  std::string output = "plot.svg";
  std::string format;
  std::string title;
  std::string top = "0";
  std::string width = "900";
  std::string height = "700";
  bool no_normalize = false;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int run_plot(const PlotArgs& a) {
  OptionChecker check;
  const std::size_t top = check.integer<std::size_t>("--top", a.top, 0, 5000);
  const int width = check.integer<int>("--width", a.width, 200, 10000);
  const int height = check.integer<int>("--height", a.height, 200, 10000);
  std::string format = a.format;
  if (format.empty()) format = ends_with(a.output, ".png") ? "png" : "svg";
  if (format != "svg" && format != "png") {
    check.problem(fmt::format("--format '{}': use svg or png", format));
  }
  if (a.words.empty() && top == 0) check.problem("name the words to plot, or give --top N");
  check.throw_if_any();
  const std::string model = a.model.empty() ? default_model_path() : a.model;
  io::check_outputs_differ({{"-o", a.output}}, {{"-m", model}});
  io::check_writable(a.output);

  query::Index index(io::read_vectors(model));

  std::vector<std::uint32_t> ids;
  std::unordered_set<std::uint32_t> seen;
  for (std::size_t r = 0; r < top && r < index.size(); ++r) {
    if (seen.insert(static_cast<std::uint32_t>(r)).second)
      ids.push_back(static_cast<std::uint32_t>(r));
  }
  text::Tokenizer normalizer;
  std::vector<std::string> unknown;
  for (const auto& w : a.words) {
    std::uint32_t id = index.find(w);
    if (id == query::Index::kNone && !a.no_normalize) id = index.find(normalizer.normalize_word(w));
    if (id == query::Index::kNone) {
      unknown.push_back(w);
      continue;
    }
    if (seen.insert(id).second) ids.push_back(id);
  }
  if (!unknown.empty()) {
    spdlog::warn("not in {}, left out of the plot: {}", model, fmt::join(unknown, ", "));
  }
  if (ids.size() < 2) {
    throw Error(
        fmt::format("{}: need at least two known words to plot, found {}", model, ids.size()));
  }

  // The unit rows of the chosen words, packed.
  const std::size_t dim = index.dim();
  std::vector<float> rows(ids.size() * dim);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float* u = index.unit(ids[i]);
    std::copy(u, u + dim, rows.begin() + static_cast<std::ptrdiff_t>(i * dim));
    labels.push_back(index.word(ids[i]));
  }
  const plot::Projection p = plot::pca_2d(rows.data(), ids.size(), dim, dim);

  plot::SvgOptions o;
  o.width = width;
  o.height = height;
  o.title = a.title.empty() ? fmt::format("{} words from {} (PCA)", ids.size(), model) : a.title;
  o.x_label = fmt::format("PC1 ({:.1f}% of variance)", 100 * p.explained[0]);
  o.y_label = fmt::format("PC2 ({:.1f}% of variance)", 100 * p.explained[1]);
  const std::string svg = plot::render_svg(labels, p.points, o);
  if (format == "png") {
    plot::write_png(a.output, svg, width, height);
  } else {
    plot::write_svg(a.output, svg);
  }
  spdlog::info("wrote {}: {} words, PC1 {:.1f}% and PC2 {:.1f}% of their variance", a.output,
               ids.size(), 100 * p.explained[0], 100 * p.explained[1]);
  return kExitOk;
}

}  // namespace

void register_plot(CLI::App& root, Commands& out) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* sub = root.add_subcommand(
      "plot", "Draw words as points on a plane (PCA of their vectors) into an SVG or PNG");
  sub->add_option("words", args->words, "Words to plot")->type_name("WORD");
  sub->add_option("-m,--model", args->model, "Vectors file (default: $W2V_MODEL or vectors.bin)")
      ->type_name("FILE");
  sub->add_option("-o,--output", args->output, "Output file (.svg, or .png via rsvg-convert)")
      ->capture_default_str()
      ->type_name("FILE");
  sub->add_option("--format", args->format, "svg | png (default: from the output's extension)")
      ->type_name("FORMAT");
  sub->add_option("--top", args->top, "Also plot the N most frequent words (file order), N <= 5000")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--title", args->title, "Title (default: the word count and the model file)")
      ->type_name("TEXT");
  sub->add_option("--width", args->width, "Image width in pixels")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--height", args->height, "Image height in pixels")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_flag("--no-normalize", args->no_normalize, "Look words up only as typed (no NFC)");
  out.push_back({sub, [args] { return run_plot(*args); }});
}

}  // namespace w2v::app
