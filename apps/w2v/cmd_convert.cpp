// w2v convert IN OUT: rewrites a vectors file in another format.
//
// IN is any format read_vectors reads (word2vec binary or text, fastText .vec, GloVe text, any of
// them gzipped). OUT's format is --format, else its name: ".txt" / ".vec" -> word2vec text,
// anything else -> word2vec binary, a ".gz" ending -> gzip. GloVe text (rows without the header
// line) only with --format glove, since GloVe files are named ".txt" as well.
//
// --limit N keeps the first N rows (only those are read). --words FILE keeps the words FILE
// lists (one a line; blank lines and '#' lines skipped), in the model's order, not the file's:
// the rows stay ranked by frequency, which --limit and --restrict rely on. Listed words the
// model does not hold are counted in one warning. --normalize writes unit-length vectors.
// Values are copied exactly: binary -> text -> binary gives the same bytes (shortest round-trip
// decimals).
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "output.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct ConvertArgs {
  std::string input, output, format, words, limit = "0";
  bool normalize = false;
};

io::VectorFormat output_format(const ConvertArgs& a, OptionChecker& check) {
  if (a.format.empty()) return io::format_for_path(a.output);
  if (a.format == "glove") return io::VectorFormat::kGlove;
  return check.choice([&] {
    try {
      return io::parse_format(a.format);
    } catch (const Error&) {
      throw Error(fmt::format("--format '{}': use binary, text or glove", a.format), kExitUsage);
    }
  });
}

// The words of a --words file: one a line, surrounding blanks and a '\r' dropped.
std::vector<std::string> read_word_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("--words {}: cannot open: {}", path, errno_message(errno)));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    const auto e = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(b, e - b + 1));
  }
  if (in.bad()) throw Error(fmt::format("--words {}: read failed", path));
  return out;
}

int run_convert(const ConvertArgs& a) {
  OptionChecker check;
  const std::size_t limit = limit_rows(a.limit, check);
  const io::VectorFormat format = output_format(a, check);
  check.throw_if_any();
  std::vector<io::NamedPath> inputs{{"input", a.input}};
  if (!a.words.empty()) inputs.push_back({"--words", a.words});
  io::check_outputs_differ({{"output", a.output}}, inputs);
  io::check_writable(a.output);
  std::vector<std::string> wanted;
  if (!a.words.empty()) wanted = read_word_list(a.words);

  Timer timer;
  io::Vectors v = io::read_vectors(a.input, limit);
  const std::size_t dim = v.dim();
  spdlog::info("read {}: {} words x {} dims ({}) in {:.2f} s", a.input, v.size(), dim, v.format,
               timer.seconds());
  std::vector<std::uint32_t> rows;
  if (a.words.empty()) {
    rows.resize(v.size());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<std::uint32_t>(r);
  } else {
    const std::unordered_set<std::string> keep(wanted.begin(), wanted.end());
    std::unordered_set<std::string> found;
    for (std::size_t r = 0; r < v.size(); ++r) {
      if (keep.count(v.words[r]) != 0) {
        rows.push_back(static_cast<std::uint32_t>(r));
        found.insert(v.words[r]);
      }
    }
    if (found.size() < keep.size()) {
      std::string first;
      for (const auto& w : wanted) {
        if (found.count(w) == 0) {
          first = w;
          break;
        }
      }
      spdlog::warn("--words {}: {} of its {} words are not in {}{} (first: '{}')", a.words,
                   keep.size() - found.size(), keep.size(), a.input,
                   limit > 0 ? fmt::format("'s first {} rows", limit) : std::string(), first);
    }
  }
  std::vector<std::string> words;
  words.reserve(rows.size());
  Matrix out(rows.size(), dim);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    words.push_back(std::move(v.words[rows[i]]));
    const float* src = v.matrix.row(rows[i]);
    float* dst = out.row(i);
    if (a.normalize) {
      double ss = 0;
      for (std::size_t d = 0; d < dim; ++d) ss += static_cast<double>(src[d]) * src[d];
      const double n = std::sqrt(ss);
      for (std::size_t d = 0; d < dim; ++d) {
        dst[d] = n > 0 ? static_cast<float>(src[d] / n) : 0.0F;
      }
    } else if (dim > 0) {
      std::memcpy(dst, src, dim * sizeof(float));
    }
  }
  v.matrix = Matrix();
  io::write_vectors(a.output, words, out.data(), dim, dim, format);
  const char* name = format == io::VectorFormat::kBinary ? "word2vec binary"
                     : format == io::VectorFormat::kText ? "word2vec text"
                                                         : "GloVe text";
  spdlog::info("wrote {}: {} words x {} dims ({}{}) in {:.2f} s", a.output, words.size(), dim, name,
               io::is_gzip_path(a.output) ? ", gzip" : "", timer.seconds());
  return kExitOk;
}

}  // namespace

void register_convert(CLI::App& root, Commands& out) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* sub = root.add_subcommand(
      "convert",
      "Rewrite a vectors file in another format: IN is any readable format (word2vec binary or "
      "text, .vec, GloVe, gzipped or not); OUT's format comes from --format, else its name "
      "(.txt/.vec text, else binary; .gz compresses). Values are copied exactly.");
  sub->add_option("input", args->input, "vectors file to read")->required()->type_name("IN");
  sub->add_option("output", args->output, "file to write (atomically; never IN)")
      ->required()
      ->type_name("OUT");
  sub->add_option("--format", args->format,
                  "binary | text | glove (text rows without the header line); default from OUT")
      ->type_name("FORMAT");
  add_limit_option(sub, args->limit);
  sub->add_option("--words", args->words,
                  "keep only the words FILE lists, one a line, in the model's order (frequency "
                  "rank), not the file's; unknown ones are counted in a warning")
      ->type_name("FILE");
  sub->add_flag("--normalize", args->normalize, "write L2-normalised (unit-length) vectors");
  out.push_back({sub, [args] { return run_convert(*args); }});
}

}  // namespace w2v::app
