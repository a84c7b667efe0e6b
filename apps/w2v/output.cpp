#include "output.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <omp.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "commands.hpp"
#include "eval/text_fields.hpp"
#include "io/vectors_format.hpp"
#include "line_editor.hpp"
#include "options.hpp"
#include "query/index_file.hpp"
#include "text/korean.hpp"
#include "text/utf8.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::app {
namespace {

constexpr std::size_t kBatchLines = 1000;

// Reads stdin in large blocks and hands out lines.
class LineReader {
 public:
  // Fills `out` with up to `max` lines: blocks for the first, then takes only what is already
  // waiting. Returns false at EOF with nothing read.
  bool next_batch(std::vector<QueryText>& out, std::size_t max) {
    out.clear();
    while (out.size() < max) {
      const std::size_t nl = buf_.find('\n', pos_);
      if (nl != std::string::npos) {
        take(nl - pos_, nl + 1, out);
        continue;
      }
      if (eof_) {
        if (pos_ < buf_.size()) take(buf_.size() - pos_, buf_.size(), out);
        break;
      }
      if (!out.empty() && !input_waiting()) break;
      fill();
    }
    return !out.empty();
  }

 private:
  void take(std::size_t len, std::size_t next, std::vector<QueryText>& out) {
    std::string_view line(buf_.data() + pos_, len);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no_;
    pos_ = next;
    if (line_no_ == 1 && line.substr(0, eval::kBom.size()) == eval::kBom) {
      line.remove_prefix(eval::kBom.size());
    }
    if (!is_blank_or_comment(line)) out.push_back({std::string(line), line_no_});
  }
  // Blank: nothing but separators. Comment: the first character after them is '#'.
  static bool is_blank_or_comment(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
      std::size_t len = 1;
      const std::int32_t cp = text::decode(line, i, len);
      if (cp < 0 || !text::is_separator(static_cast<char32_t>(cp))) return line[i] == '#';
      i += len;
    }
    return true;
  }
  static bool input_waiting() {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  void fill() {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    char chunk[1 << 16];
    for (;;) {
      // Wait in short steps: the signal may be delivered to another thread, and must still
      // end a read from an idle pipe at once.
      pollfd p{STDIN_FILENO, POLLIN, 0};
      const int pr = ::poll(&p, 1, 100);
      throw_if_stopped();
      if (pr == 0 || (pr < 0 && errno == EINTR)) continue;
      const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0) {
        if (errno == EINTR) {
          throw_if_stopped();
          continue;
        }
        throw Error(fmt::format("reading stdin: {}", errno_message(errno)));
      }
      if (n == 0) eof_ = true;
      buf_.append(chunk, static_cast<std::size_t>(n));
      return;
    }
  }

  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t line_no_ = 0;
  bool eof_ = false;
};

bool looks_numeric(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return !s.empty() && s.front() >= '0' && s.front() <= '9';
}

}  // namespace

void add_query_options(CLI::App* sub, QueryArgs& args, bool with_k, const char* query_help) {
  sub->add_option("queries", args.queries, query_help)->type_name("QUERY");
  sub->add_option("-m,--model", args.model,
                  "vectors file in any word2vec format (default: $W2V_MODEL, else vectors.bin)")
      ->type_name("FILE");
  if (with_k) {
    sub->add_option("-k", args.k, "number of answers per query (default 10)")->type_name("INT");
    sub->add_option("--restrict", args.restrict_rows,
                    "search only the first N words of the file, the most frequent (default: all); "
                    "unlike --limit, words after them are still found as queries")
        ->type_name("INT");
  }
  add_limit_option(sub, args.limit);
  sub->add_flag("--header", args.header, "print a header line before TSV output");
  sub->add_flag("--json", args.json, "one JSON object per query");
  sub->add_flag("--tsv", args.tsv, "TSV even on a terminal");
  sub->add_flag("--no-normalize", args.no_normalize,
                "look words up by their exact bytes only (no NFC normalisation)");
  sub->add_option("--threads", args.threads, "threads for scoring (default 0: all cores)")
      ->type_name("INT");
}

query::SearchOptions search_options(const QueryArgs& args, OptionChecker& check) {
  query::SearchOptions o;
  o.k = check.integer<std::size_t>("-k", args.k, 1, 1000000000);
  o.max_rows = check.integer<std::size_t>("--restrict", args.restrict_rows, 0, SIZE_MAX);
  o.threads = query_threads(args, check);
  return o;
}

void add_limit_option(CLI::App* sub, std::string& limit) {
  sub->add_option("--limit", limit,
                  "read only the first N rows of the vectors file (the most frequent words in "
                  "word2vec files): nothing after them is read or allocated (default 0: all)")
      ->type_name("INT");
}

std::size_t limit_rows(const std::string& limit, OptionChecker& check) {
  return check.integer<std::size_t>("--limit", limit, 0, SIZE_MAX);
}

int query_threads(const QueryArgs& args, OptionChecker& check) {
  limit_rows(args.limit, check);  // checked with the other options; load_index applies it
  return check.integer<int>("--threads", args.threads, 0, 4096);
}

void set_threads(int threads) {
  if (threads > 0) omp_set_num_threads(threads);
}

void check_queries(const QueryArgs& args, OptionChecker& check) {
  if (args.queries.empty() && !interactive_terminal())
    check.problem("no query given (give words, or - to read stdin)");
}

query::Index load_index(const QueryArgs& args) {
  const std::string path = model_path(args.model);
  const auto t0 = std::chrono::steady_clock::now();
  OptionChecker check;
  const std::size_t limit = limit_rows(args.limit, check);
  check.throw_if_any();
  // MODEL.w2vi (w2v index) when it was made from the model as it is now.
  const std::string index_file = query::index_path_for(path);
  std::string why;
  if (auto view = query::open_index(index_file, path, why)) {
    query::Index index(std::move(*view), limit);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    spdlog::debug("mapped {}: {} words x {} dims in {:.3f} s", index_file, index.size(),
                  index.dim(), secs);
    return index;
  }
  if (!why.empty()) {
    spdlog::warn("{}: not used ({}); reading {} instead (rebuild it with: w2v index {})",
                 index_file, why, path, path);
  }
  io::Vectors v = io::read_vectors(path, limit);
  std::string format = v.format;
  query::Index index(std::move(v));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::debug("loaded {}: {} words x {} dims ({}) in {:.3f} s", path, index.size(), index.dim(),
                format, secs);
  return index;
}

WordFinder::WordFinder(const query::Index& index, bool normalize)
    : index_(index), normalize_(normalize) {}

std::uint32_t WordFinder::find(std::string_view word) {
  std::uint32_t id = index_.find(word);
  std::string nfc(word);
  if (id == query::Index::kNone && normalize_) {
    nfc = tokenizer_.normalize_word(word);
    if (nfc != word) id = index_.find(nfc);
  }
  if (id == query::Index::kNone && index_.can_compose()) {
    // A fastText model with n-grams: the word's vector from them, as fastText gives it.
    std::size_t ngrams = 0;
    id = index_.compose(word, ngrams);
    if (id != query::Index::kNone) {
      spdlog::info(
          "'{}' is not in the vocabulary: its vector is composed from its {} character "
          "n-grams",
          capped(word), ngrams);
    }
  }
  if (id == query::Index::kNone) {
    // A Korean eojeol the vectors file does not hold: its stem, if the file holds that.
    const auto known = [&](std::string_view s) { return index_.find(s) != query::Index::kNone; };
    if (const auto r = text::korean::resolve(nfc, known)) {
      id = index_.find(r->stem);
      spdlog::info("'{}' is not in the vocabulary: using '{}' ({} + {}: stem + particle/ending)",
                   word, r->stem, r->stem, r->suffix);
    }
  }
  return id;
}

namespace {

// Byte length of the separator at text[i], 0 if text[i] does not start one. The tokenizer's
// classification (text::is_separator), so a query splits where training text does.
std::size_t separator_at(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return text::is_separator(c) ? 1 : 0;
  std::size_t len = 1;
  const std::int32_t cp = text::decode(text, i, len);
  return cp >= 0 && text::is_separator(static_cast<char32_t>(cp)) ? len : 0;
}

// Splits at `sep` (',' or '\t'); each field trimmed of separators.
std::vector<std::string> split_at(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (;;) {
    const std::size_t e = std::min(text.find(sep, b), text.size());
    const std::vector<std::string> words = split_words(text.substr(b, e - b));
    out.push_back(join_words(words));
    if (e == text.size()) break;
    b = e + 1;
  }
  return out;
}

bool is_number(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && res.ec == std::errc() && res.ptr == s.data() + s.size() && std::isfinite(v);
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 0;
    while (i < text.size() && (len = separator_at(text, i)) > 0) i += len;
    const std::size_t b = i;
    while (i < text.size() && separator_at(text, i) == 0) ++i;
    if (i > b) out.emplace_back(text.substr(b, i - b));
  }
  return out;
}

std::vector<std::string> split_pair(std::string_view text, bool& header) {
  // A pair: two fields, each one word, and an optional third that is a number.
  auto as_pair = [](std::vector<std::string>& fields) {
    if (fields.size() == 3 && is_number(fields[2])) fields.pop_back();
    if (fields.size() != 2) return false;
    return std::all_of(fields.begin(), fields.end(),
                       [](const std::string& f) { return split_words(f).size() == 1; });
  };
  // The separator of similarity evaluation files: a tab if the line has one, else a comma if it
  // has one, else blanks. Blanks are tried last in any case (a word may hold a comma: "1,000").
  std::vector<std::string> fields;
  if (text.find('\t') != std::string_view::npos) {
    fields = split_at(text, '\t');
  } else if (text.find(',') != std::string_view::npos) {
    fields = split_at(text, ',');
  } else {
    fields = split_words(text);
  }
  std::vector<std::string> words = fields;
  if (as_pair(words)) {
    header = false;
    return words;
  }
  // "word1,word2,score": three fields, the last not a number.
  header = fields.size() == 3 && !fields[2].empty() && !is_number(fields[2]);
  words = split_words(text);
  std::vector<std::string> pair = words;
  if (as_pair(pair)) {
    header = false;
    return pair;
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

std::string resolve_words(WordFinder& finder, const std::vector<std::string>& words,
                          std::vector<std::uint32_t>& ids) {
  ids.clear();
  std::vector<std::string> unknown;
  for (const auto& w : words) {
    const std::uint32_t id = finder.find(w);
    if (id == query::Index::kNone) {
      if (std::find(unknown.begin(), unknown.end(), w) == unknown.end()) unknown.push_back(w);
    } else {
      ids.push_back(id);
    }
  }
  if (unknown.empty()) return {};
  std::string msg = unknown.size() == 1 ? "unknown word " : "unknown words ";
  for (std::size_t i = 0; i < unknown.size(); ++i) {
    if (i > 0) msg += ", ";
    msg += "'" + tsv_cell(capped(unknown[i])) + "'";
  }
  return msg;
}

int for_each_batch(const std::vector<std::string>& args,
                   const std::function<std::size_t(const std::vector<QueryText>&)>& batch,
                   const char* prompt) {
  if (args.empty() && prompt != nullptr && interactive_terminal()) {
    std::size_t failed = 0;
    LineEditor editor(prompt);
    std::string line;
    while (editor.read_line(line)) {
      if (split_words(line).empty()) continue;
      failed += batch({{line, 0}});
    }
    return failed > 0 ? kExitInput : kExitOk;
  }
  if (args.empty()) throw Error("no query given (give words, or - to read stdin)", kExitUsage);
  const bool from_stdin = std::find(args.begin(), args.end(), "-") != args.end();
  std::size_t failed = 0;
  if (!from_stdin) {
    std::vector<QueryText> qs;
    qs.reserve(args.size());
    for (const auto& a : args) qs.push_back({a, 0});
    failed = batch(qs);
  } else {
    if (args.size() != 1) throw Error("'-' (stdin) must be the only query", kExitUsage);
    LineReader reader;
    std::vector<QueryText> qs;
    while (reader.next_batch(qs, kBatchLines)) {
      throw_if_stopped();
      failed += batch(qs);
    }
  }
  return failed > 0 ? kExitInput : kExitOk;
}

ResolvedQuery resolve_query(WordFinder& finder, const QueryText& q, std::vector<std::string> words,
                            std::size_t want, const char* expected) {
  ResolvedQuery r;
  r.text = join_words(words);
  if (words.empty()) {
    r.error = "empty query";
  } else if (want != 0 && words.size() != want) {
    r.error = fmt::format("expected {}, got {}", expected, words.size());
  } else {
    r.error = resolve_words(finder, words, r.ids);
  }
  r.words = std::move(words);
  if (!r.ok()) report_failure(q, r.error);
  return r;
}

std::vector<ResolvedQuery> resolve_batch(WordFinder& finder, const std::vector<QueryText>& batch,
                                         std::size_t want, const char* expected,
                                         std::size_t& failed) {
  std::vector<ResolvedQuery> out;
  out.reserve(batch.size());
  for (const QueryText& q : batch) {
    out.push_back(resolve_query(finder, q, split_words(q.text), want, expected));
    if (!out.back().ok()) ++failed;
  }
  return out;
}

std::string where(const QueryText& q) {
  return q.line == 0 ? std::string() : fmt::format("line {}: ", q.line);
}

void report_failure(const QueryText& q, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "w2v: error: %s%s\n", where(q).c_str(), message.c_str());
}

std::string tsv_cell(std::string_view s) {
  if (s.find_first_of("\t\n\r") == std::string_view::npos) return std::string(s);
  std::string out;
  for (char c : s) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string format_score(float score) {
  return fmt::format("{:.6f}", score);
}

Printer::Printer(const QueryArgs& args) : header_(args.header) {
  if (args.json) {
    mode_ = OutputMode::kJson;
  } else if (args.tsv || ::isatty(STDOUT_FILENO) == 0) {
    mode_ = OutputMode::kTsv;
  } else {
    mode_ = OutputMode::kTable;
  }
}

void Printer::neighbours(const std::string& query, const query::Neighbours& result,
                         const query::Index& index, const std::string& extra_json) {
  if (mode_ == OutputMode::kJson) {
    json_ += "{\"query\":" + json_string(query) + "," + extra_json + "\"results\":[";
    for (std::size_t i = 0; i < result.size(); ++i) {
      if (i > 0) json_ += ',';
      json_ += fmt::format("{{\"rank\":{},\"word\":{},\"score\":{}}}", i + 1,
                           json_string(index.word(result[i].id)), format_score(result[i].score));
    }
    json_ += "]}\n";
    return;
  }
  for (std::size_t i = 0; i < result.size(); ++i) {
    rows_.push_back({tsv_cell(query), std::to_string(i + 1), tsv_cell(index.word(result[i].id)),
                     format_score(result[i].score)});
  }
}

void Printer::row(std::vector<std::string> fields, const std::string& json) {
  if (mode_ == OutputMode::kJson) {
    json_ += json;
    json_ += '\n';
    return;
  }
  for (auto& f : fields) f = tsv_cell(f);
  rows_.push_back(std::move(fields));
}

void Printer::failed(const std::string& query, const std::string& message) {
  if (mode_ != OutputMode::kJson) return;
  json_ += "{\"query\":" + json_string(query) + ",\"error\":" + json_string(message) +
           ",\"results\":[]}\n";
}

void Printer::failed_row(std::vector<std::string> fields, const std::string& json) {
  row(std::move(fields), json);
}

void Printer::flush(const std::vector<std::string>& header) {
  std::string out;
  if (mode_ == OutputMode::kJson) {
    out.swap(json_);
  } else if (mode_ == OutputMode::kTsv) {
    auto line = [&out](const std::vector<std::string>& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out.push_back('\t');
        out += cells[i];
      }
      out.push_back('\n');
    };
    if (header_ && !header_done_) line(header);
    header_done_ = true;
    for (const auto& r : rows_) line(r);
  } else if (!rows_.empty()) {
    // Table: widths by display columns (Hangul and CJK are two wide), numbers right-aligned.
    std::vector<std::size_t> width(header.size(), 0);
    auto measure = [&width](const std::vector<std::string>& cells) {
      if (width.size() < cells.size()) width.resize(cells.size(), 0);
      for (std::size_t i = 0; i < cells.size(); ++i) {
        width[i] = std::max(width[i], text::display_width(cells[i]));
      }
    };
    measure(header);
    for (const auto& r : rows_) measure(r);
    auto line = [&out, &width](const std::vector<std::string>& cells, bool is_header) {
      std::string text;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::size_t pad = width[i] - text::display_width(cells[i]);
        const bool right = !is_header && looks_numeric(cells[i]);
        if (i > 0) text += "  ";
        if (right) text.append(pad, ' ');
        text += cells[i];
        if (!right && i + 1 < cells.size()) text.append(pad, ' ');
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text;
      out.push_back('\n');
    };
    line(header, true);
    for (const auto& r : rows_) line(r, false);
  }
  rows_.clear();
  json_.clear();
  errno = 0;
  if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (std::ferror(stdout) != 0) {
    // The reader of a pipe stopped early (`w2v nearest - | head`): it has what it wanted.
    if (errno == EPIPE) std::_Exit(kExitOk);
    throw Error("writing to stdout failed: " + errno_message(errno));
  }
}

}  // namespace w2v::app
