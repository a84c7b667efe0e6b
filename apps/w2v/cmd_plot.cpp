// w2v plot: project chosen word vectors to two dimensions and draw them as SVG, PNG or an
// explorable HTML map.
//
//   w2v plot 서울 부산 대전 도쿄 뉴욕 -o cities.svg
//   w2v plot --top 100 -m vectors.bin -o top100.svg --title "100 most frequent words"
//   w2v plot --pairs king:queen man:woman boy:girl -m en.bin -o pairs.svg
//   w2v plot --before init.bin -m vectors.bin 서울 부산 ... -o before-after.svg
//   w2v plot --frames snapshots/ 서울 부산 ... -o frames/        (one SVG per epoch)
//   w2v plot --top 500 --projection tsne -o map.html
//
// Words are looked up as typed, then in NFC (unless --no-normalize). Unknown words are named on
// stderr and left out; fewer than two known words is an error (exit 1). The rows are the unit
// (cosine-normalised) vectors, the geometry `w2v nearest` uses. --top N skips function words
// (plot/stopwords.hpp) unless --keep-stopwords.
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "output.hpp"
#include "plot/html.hpp"
#include "plot/pca.hpp"
#include "plot/stopwords.hpp"
#include "plot/svg.hpp"
#include "plot/tsne.hpp"
#include "query/index.hpp"
#include "query/nearest.hpp"
#include "text/tokenizer.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

namespace fs = std::filesystem;

struct PlotArgs {
  std::vector<std::string> words;
  std::string model;
  std::string output;
  std::string format;
  std::string title;
  std::string top = "0";
  std::string width = "900";
  std::string height = "700";
  std::vector<std::string> pairs;
  std::string before;
  std::string frames;
  std::string projection = "pca";
  std::string seed = "1";
  std::string neighbours = "10";
  std::string limit = "0";
  bool keep_stopwords = false;
  bool no_normalize = false;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The plotted words of one model: ids in drawing order, and pairs as indices into them.
struct Selection {
  std::vector<std::uint32_t> ids;
  std::vector<std::array<std::size_t, 2>> pairs;
  std::size_t skipped = 0;  // function words --top passed over
};

struct WordPair {
  std::string from;
  std::string to;
};

std::vector<WordPair> parse_pairs(const std::vector<std::string>& texts) {
  std::vector<WordPair> out;
  for (const auto& t : texts) {
    const auto colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == t.size() ||
        t.find(':', colon + 1) != std::string::npos) {
      throw Error(fmt::format("--pairs '{}': write each pair as FROM:TO (e.g. king:queen)", t),
                  kExitUsage);
    }
    out.push_back({t.substr(0, colon), t.substr(colon + 1)});
  }
  return out;
}

class Lookup {
 public:
  Lookup(const query::Index& index, bool no_normalize) : index_(index), nfc_(!no_normalize) {}
  std::uint32_t find(const std::string& w) {
    std::uint32_t id = index_.find(w);
    if (id == query::Index::kNone && nfc_) id = index_.find(normalizer_.normalize_word(w));
    return id;
  }

 private:
  const query::Index& index_;
  bool nfc_;
  text::Tokenizer normalizer_;
};

Selection select_words(const query::Index& index, const std::string& model,
                       const std::vector<std::string>& words, const std::vector<WordPair>& pairs,
                       std::size_t top, bool keep_stopwords, bool no_normalize) {
  Selection sel;
  std::unordered_map<std::uint32_t, std::size_t> position;
  auto add = [&](std::uint32_t id) {
    const auto [it, fresh] = position.emplace(id, sel.ids.size());
    if (fresh) sel.ids.push_back(id);
    return it->second;
  };
  Lookup lookup(index, no_normalize);
  std::vector<std::string> unknown;
  for (const auto& p : pairs) {
    const std::uint32_t a = lookup.find(p.from);
    const std::uint32_t b = lookup.find(p.to);
    if (a == query::Index::kNone || b == query::Index::kNone) {
      unknown.push_back(p.from + ":" + p.to);
      continue;
    }
    const std::size_t ia = add(a);
    const std::size_t ib = add(b);
    sel.pairs.push_back({ia, ib});
  }
  for (const auto& w : words) {
    const std::uint32_t id = lookup.find(w);
    if (id == query::Index::kNone) {
      unknown.push_back(w);
      continue;
    }
    add(id);
  }
  std::size_t taken = 0;
  for (std::size_t r = 0; r < index.size() && taken < top; ++r) {
    const auto id = static_cast<std::uint32_t>(r);
    if (!keep_stopwords && position.count(id) == 0 && plot::is_function_word(index.word(id))) {
      ++sel.skipped;
      continue;
    }
    add(id);
    ++taken;
  }
  if (!unknown.empty()) {
    spdlog::warn("not in {}, left out of the plot: {}", model, fmt::join(unknown, ", "));
  }
  if (sel.ids.size() < 2) {
    throw Error(
        fmt::format("{}: need at least two known words to plot, found {}", model, sel.ids.size()));
  }
  return sel;
}

std::vector<float> unit_rows(const query::Index& index, const std::vector<std::uint32_t>& ids) {
  const std::size_t dim = index.dim();
  std::vector<float> rows(ids.size() * dim);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float* u = index.unit(ids[i]);
    std::copy(u, u + dim, rows.begin() + static_cast<std::ptrdiff_t>(i * dim));
  }
  return rows;
}

struct Projected {
  std::vector<std::array<double, 2>> points;
  std::string x_label;
  std::string y_label;
  std::string name;  // PCA, t-SNE, offsets
};

Projected project(const query::Index& index, const std::vector<std::uint32_t>& ids,
                  const std::vector<std::array<std::size_t, 2>>& pairs, bool tsne,
                  std::uint64_t seed, const std::vector<WordPair>& pair_words) {
  const std::vector<float> rows = unit_rows(index, ids);
  const std::size_t dim = index.dim();
  Projected out;
  if (!pairs.empty()) {
    const plot::Projection p = plot::offset_2d(rows.data(), ids.size(), dim, dim, pairs);
    out.points = p.points;
    std::string names;
    for (std::size_t k = 0; k < pair_words.size() && k < 3; ++k) {
      names += (k ? ", " : "") + pair_words[k].from + "→" + pair_words[k].to;
    }
    if (pair_words.size() > 3) names += ", ...";
    out.x_label = fmt::format("mean offset of the pairs ({}; {:.1f}% of variance)", names,
                              100 * p.explained[0]);
    out.y_label = fmt::format("PC1 of the rest ({:.1f}%)", 100 * p.explained[1]);
    out.name = "pair offsets";
  } else if (tsne) {
    plot::TsneOptions o;
    o.seed = seed;
    out.points = plot::tsne_2d(rows.data(), ids.size(), dim, dim, o).points;
    out.x_label = "t-SNE 1";
    out.y_label = "t-SNE 2";
    out.name = "t-SNE";
  } else {
    const plot::Projection p = plot::pca_2d(rows.data(), ids.size(), dim, dim);
    out.points = p.points;
    out.x_label = fmt::format("PC1 ({:.1f}% of variance)", 100 * p.explained[0]);
    out.y_label = fmt::format("PC2 ({:.1f}% of variance)", 100 * p.explained[1]);
    out.name = "PCA";
  }
  return out;
}

// Flips the axes of `p` (never rotates) to best match `ref`, so frames do not mirror.
void align_signs(std::vector<std::array<double, 2>>& p,
                 const std::vector<std::array<double, 2>>& ref) {
  for (int k = 0; k < 2; ++k) {
    double dot = 0;
    for (std::size_t i = 0; i < p.size() && i < ref.size(); ++i) dot += p[i][k] * ref[i][k];
    if (dot < 0) {
      for (auto& q : p) q[k] = -q[k] + 0.0;
    }
  }
}

plot::Panel make_panel(const query::Index& index, const std::vector<std::uint32_t>& ids,
                       const Selection& sel, const Projected& pr, std::string title) {
  plot::Panel panel;
  panel.title = std::move(title);
  panel.x_label = pr.x_label;
  panel.y_label = pr.y_label;
  panel.points = pr.points;
  panel.arrows = sel.pairs;
  for (std::uint32_t id : ids) panel.labels.emplace_back(index.word(id));
  return panel;
}

void write_picture(const std::string& path, const std::string& format,
                   const std::vector<plot::Panel>& panels, const plot::SvgOptions& o, int width,
                   int height) {
  std::size_t hidden = 0;
  const std::string svg = plot::render_panels(panels, o, &hidden);
  if (hidden > 0) {
    spdlog::warn(
        "{}: {} labels left out, no room for them (their dots are drawn): give a larger --width "
        "and --height, fewer words, or write an explorable map (-o map.html)",
        path, hidden);
  }
  if (format == "png") {
    plot::write_png(path, svg, width, height);
  } else {
    plot::write_svg(path, svg);
  }
}

// DIR/epoch-N.bin|txt, by N.
std::vector<std::pair<int, std::string>> snapshot_files(const std::string& dir) {
  std::vector<std::pair<int, std::string>> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(fmt::format("--frames {}: not a directory", dir));
  const std::regex name(R"(epoch-([0-9]{1,6})\.(bin|txt|vec))");
  for (const auto& e : fs::directory_iterator(dir)) {
    std::smatch m;
    const std::string f = e.path().filename().string();
    if (std::regex_match(f, m, name)) out.emplace_back(std::stoi(m[1]), e.path().string());
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) {
    throw Error(fmt::format(
        "--frames {}: no epoch-N.bin files (write them with w2v train --snapshots {})", dir, dir));
  }
  return out;
}

int run_plot(const PlotArgs& a) {
  // Every mistake on the command line is reported together, before any work.
  OptionChecker check;
  const std::size_t top = check.integer<std::size_t>("--top", a.top, 0, 5000);
  const int width = check.integer<int>("--width", a.width, 200, 10000);
  const int height = check.integer<int>("--height", a.height, 200, 10000);
  const std::uint64_t seed = check.integer<std::uint64_t>("--seed", a.seed, 0, UINT64_MAX);
  const std::size_t k_neighbours = check.integer<std::size_t>("--neighbours", a.neighbours, 1, 100);
  const std::size_t limit = limit_rows(a.limit, check);
  if (a.projection != "pca" && a.projection != "tsne") {
    check.problem(fmt::format("--projection '{}': use pca or tsne", a.projection));
  }
  const bool tsne = a.projection == "tsne";
  const std::vector<WordPair> pairs = check.choice([&] { return parse_pairs(a.pairs); });
  if (tsne && !pairs.empty()) {
    check.problem(
        "--pairs sets its own projection (the pairs' mean offset): drop --projection tsne");
  }
  if (!a.before.empty() && !a.frames.empty()) {
    check.problem("--before and --frames: give one of them");
  }
  std::string output = a.output;
  if (output.empty()) output = a.frames.empty() ? "plot.svg" : "frames";
  std::string format = a.format;
  if (format.empty()) {
    format = ends_with(output, ".png")                                 ? "png"
             : ends_with(output, ".html") || ends_with(output, ".htm") ? "html"
                                                                       : "svg";
  }
  if (format != "svg" && format != "png" && format != "html") {
    check.problem(fmt::format("--format '{}': use svg, png or html", format));
  }
  if (format == "html" && (!a.before.empty() || !a.frames.empty())) {
    check.problem("--before and --frames draw SVG or PNG pictures, not an HTML map");
  }
  if (a.words.empty() && top == 0 && pairs.empty()) {
    check.problem("name the words to plot, or give --top N or --pairs A:B ...");
  }
  check.throw_if_any();
  plot::SvgOptions o;
  o.width = width;
  o.height = height;

  if (!a.frames.empty()) {
    // One picture per snapshot; the words are chosen in the last one.
    const auto files = snapshot_files(a.frames);
    std::error_code ec;
    fs::create_directories(output, ec);
    if (ec || !fs::is_directory(output)) {
      throw Error(fmt::format("-o {}: with --frames, -o names a directory to write the frames into",
                              output));
    }
    const query::Index last(io::read_vectors(files.back().second, limit));
    const Selection sel = select_words(last, files.back().second, a.words, pairs, top,
                                       a.keep_stopwords, a.no_normalize);
    std::vector<std::string> words;
    for (std::uint32_t id : sel.ids) words.emplace_back(last.word(id));
    const Projected ref = project(last, sel.ids, sel.pairs, tsne, seed, pairs);
    const std::string ext = format == "png" ? "png" : "svg";
    for (const auto& [epoch, file] : files) {
      const query::Index index = &file == &files.back().second
                                     ? query::Index{}
                                     : query::Index(io::read_vectors(file, limit));
      const query::Index& ix = &file == &files.back().second ? last : index;
      std::vector<std::uint32_t> ids;
      for (const auto& w : words) {
        const std::uint32_t id = ix.find(w);
        if (id == query::Index::kNone) {
          throw Error(
              fmt::format("{}: has no '{}' (snapshots of one run share their words)", file, w));
        }
        ids.push_back(id);
      }
      Projected pr = project(ix, ids, sel.pairs, tsne, seed, pairs);
      if (!tsne) align_signs(pr.points, ref.points);
      o.title = a.title.empty() ? fmt::format("epoch {} of {}", epoch, files.back().first)
                                : fmt::format("{} — epoch {}", a.title, epoch);
      if (epoch == 0) o.title += a.title.empty() ? " (random initial vectors)" : "";
      const plot::Panel panel = make_panel(ix, ids, sel, pr, "");
      o.x_label = panel.x_label;
      o.y_label = panel.y_label;
      const std::string path = (fs::path(output) / fmt::format("epoch-{}.{}", epoch, ext)).string();
      write_picture(path, format, {panel}, o, width, height);
    }
    spdlog::info("wrote {} frames of {} words to {}/epoch-N.{}", files.size(), words.size(), output,
                 ext);
    return kExitOk;
  }

  const std::string model = model_path(a.model);
  // No output may be one of the inputs (plot -m m.bin -o m.bin would destroy the model).
  std::vector<io::NamedPath> inputs{{"-m", model}};
  if (!a.before.empty()) inputs.push_back({"--before", a.before});
  io::check_outputs_differ({{"-o", output}}, inputs);
  io::check_writable(output);
  const query::Index index(io::read_vectors(model, limit));
  const Selection sel =
      select_words(index, model, a.words, pairs, top, a.keep_stopwords, a.no_normalize);
  if (sel.skipped > 0) {
    spdlog::info("--top {}: skipped {} function words (--keep-stopwords keeps them)", top,
                 sel.skipped);
  }
  if (tsne && sel.ids.size() > plot::kTsneMaxRows) {
    throw Error(fmt::format("--projection tsne draws at most {} words", plot::kTsneMaxRows),
                kExitUsage);
  }
  const Projected pr = project(index, sel.ids, sel.pairs, tsne, seed, pairs);

  if (format == "html") {
    plot::MapData d;
    d.title = a.title.empty() ? fmt::format("{} words from {}", sel.ids.size(), model) : a.title;
    d.projection = pr.name;
    d.points = pr.points;
    std::vector<std::vector<std::uint32_t>> queries;
    for (std::uint32_t id : sel.ids) {
      d.words.emplace_back(index.word(id));
      queries.push_back({id});
    }
    query::SearchOptions so;
    so.k = k_neighbours;
    const auto found = query::nearest(index, queries, so);
    for (const auto& list : found) {
      std::vector<std::pair<std::string, float>> nb;
      nb.reserve(list.size());
      for (const auto& n : list) nb.emplace_back(index.word(n.id), n.score);
      d.neighbours.push_back(std::move(nb));
    }
    io::AtomicFile f(output);
    f.write(plot::render_html(d));
    f.commit();
    spdlog::info("wrote {}: an explorable map of {} words ({}), {} neighbours each", output,
                 sel.ids.size(), pr.name, k_neighbours);
    return kExitOk;
  }

  if (!a.before.empty()) {
    const query::Index before(io::read_vectors(a.before, limit));
    // The same words in the initial vectors; a word missing there is left out of both panels.
    std::vector<std::uint32_t> after_ids;
    std::vector<std::uint32_t> before_ids;
    std::vector<std::string> missing;
    Selection kept;
    std::vector<std::size_t> new_index(sel.ids.size(), SIZE_MAX);
    for (std::size_t i = 0; i < sel.ids.size(); ++i) {
      const std::uint32_t b = before.find(index.word(sel.ids[i]));
      if (b == query::Index::kNone) {
        missing.emplace_back(index.word(sel.ids[i]));
        continue;
      }
      new_index[i] = after_ids.size();
      after_ids.push_back(sel.ids[i]);
      before_ids.push_back(b);
    }
    for (const auto& [f, t] : sel.pairs) {
      if (new_index[f] != SIZE_MAX && new_index[t] != SIZE_MAX) {
        kept.pairs.push_back({new_index[f], new_index[t]});
      }
    }
    if (!missing.empty()) {
      spdlog::warn("not in {}, left out of both panels: {}", a.before, fmt::join(missing, ", "));
    }
    if (after_ids.size() < 2) {
      throw Error(fmt::format("{}: need at least two of the words to plot, found {}", a.before,
                              after_ids.size()));
    }
    const Projected pb = project(before, before_ids, kept.pairs, tsne, seed, pairs);
    const Projected pa = project(index, after_ids, kept.pairs, tsne, seed, pairs);
    o.title = a.title.empty() ? fmt::format("{} words before and after training", after_ids.size())
                              : a.title;
    o.width = width;
    const std::vector<plot::Panel> panels = {
        make_panel(before, before_ids, kept, pb, "before training: " + a.before),
        make_panel(index, after_ids, kept, pa, "after training: " + model)};
    write_picture(output, format, panels, o, width * 2, height);
    spdlog::info("wrote {}: {} words before ({}) and after ({}) training, side by side", output,
                 after_ids.size(), a.before, model);
    return kExitOk;
  }

  o.title = a.title.empty() ? fmt::format("{} words from {} ({})", sel.ids.size(), model, pr.name)
                            : a.title;
  o.x_label = pr.x_label;
  o.y_label = pr.y_label;
  const plot::Panel panel = make_panel(index, sel.ids, sel, pr, "");
  write_picture(output, format, {panel}, o, width, height);
  spdlog::info("wrote {}: {} words, {}; {} / {}", output, sel.ids.size(), pr.name, pr.x_label,
               pr.y_label);
  return kExitOk;
}

}  // namespace

void register_plot(CLI::App& root, Commands& out) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* sub = root.add_subcommand(
      "plot", "Draw words as points on a plane (PCA or t-SNE of their vectors): SVG, PNG or HTML");
  sub->add_option("words", args->words, "Words to plot")->type_name("WORD");
  sub->add_option("-m,--model", args->model, "Vectors file (default: $W2V_MODEL or vectors.bin)")
      ->type_name("FILE");
  add_limit_option(sub, args->limit);
  sub->add_option("-o,--output", args->output,
                  "Output file: .svg, .png (via rsvg-convert) or .html (explorable map); with "
                  "--frames a directory (default: plot.svg, frames)")
      ->type_name("FILE");
  sub->add_option("--format", args->format,
                  "svg | png | html (default: from the output's extension)")
      ->type_name("FORMAT");
  sub->add_option("--top", args->top,
                  "Also plot the N most frequent words (file order), skipping function words, "
                  "N <= 5000")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_flag("--keep-stopwords", args->keep_stopwords,
                "--top keeps function words (particles, 있다, the, of, ...; one-character and "
                "digit tokens)");
  sub->add_option("--pairs", args->pairs,
                  "Word pairs FROM:TO drawn as arrows, projected on their mean offset "
                  "(king:queen man:woman)")
      ->type_name("FROM:TO");
  sub->add_option("--before", args->before,
                  "Initial vectors (w2v train --save-init): draw before | after side by side")
      ->type_name("FILE");
  sub->add_option("--frames", args->frames,
                  "Snapshot directory (w2v train --snapshots): one picture per epoch into -o DIR")
      ->type_name("DIR");
  sub->add_option("--projection", args->projection,
                  "pca (default: global shape, exact) | tsne (neighbourhoods, for big maps)")
      ->capture_default_str()
      ->type_name("NAME");
  sub->add_option("--seed", args->seed, "Random seed of t-SNE")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--neighbours", args->neighbours, "Nearest neighbours per word in an HTML map")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--title", args->title, "Title (default: the word count and the model file)")
      ->type_name("TEXT");
  sub->add_option("--width", args->width, "Image (or panel) width in pixels")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--height", args->height, "Image height in pixels")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_flag("--no-normalize", args->no_normalize, "Look words up only as typed (no NFC)");
  out.push_back({sub, [args] { return run_plot(*args); }});
}

}  // namespace w2v::app
