// Shared plumbing of the query subcommands (nearest, analogy, similarity, vec): common options,
// loading the model, resolving query words, reading queries from the arguments or stdin, and
// printing results.
//
// Output: TSV when stdout is not a terminal (`query<TAB>rank<TAB>word<TAB>score`, one neighbour per
// line, a header line only with --header), an aligned table on a terminal, one JSON object per
// query with --json. Tabs, newlines and carriage returns inside words are written as \t, \n, \r in
// TSV and tables; JSON replaces bytes that are not UTF-8 with U+FFFD.
//
// Queries: each argument is one query; the single argument `-` reads one query per line from stdin
// until EOF, loading the model once. Blank lines and comment lines (first non-space character
// '#') are skipped, and a UTF-8 byte order mark at the start of stdin is ignored. Words are
// separated by the characters the tokenizer separates tokens on (text::is_separator: ASCII
// blanks, U+00A0, U+3000 and every other Unicode space, controls, U+200B, U+FEFF), so a query
// never holds a character that no trained word can hold. Lines are scored in batches of up to
// 1,000 (as matrix-matrix work); a batch ends early when no more input is waiting, so interactive
// use answers each line at once. A query with an unknown word is named on stderr (with its line
// number in stdin mode) and the rest continue; the exit status is 1 if any query failed, 0
// otherwise. similarity and vec print exactly one row per query line, a failed one included
// (with empty result cells), so the output lines up with the input (`paste`).
#pragma once

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "query/index.hpp"
#include "query/scoring.hpp"
#include "query/topk.hpp"
#include "text/json.hpp"
#include "text/tokenizer.hpp"

namespace w2v::app {

struct QueryArgs {
  std::vector<std::string> queries;
  std::string model;
  std::string k = "10";
  std::string threads = "0";
  std::string restrict_rows = "0";
  std::string limit = "0";
  bool header = false;
  bool json = false;
  bool tsv = false;
  bool no_normalize = false;
};

// Adds -m, --limit, --header, --json, --tsv, --no-normalize, --threads (and -k, --restrict when
// `with_k`) and the positional query list.
void add_query_options(CLI::App* sub, QueryArgs& args, bool with_k, const char* query_help);

class OptionChecker;
// Checked numeric options (-k, --restrict, --threads); problems are recorded in `check`.
query::SearchOptions search_options(const QueryArgs& args, OptionChecker& check);
// Adds `--limit N` to `sub` (every command that reads vectors has it), stored in `limit`.
void add_limit_option(CLI::App* sub, std::string& limit);
// Checks --limit text into `check`: 0 (all rows) or more.
std::size_t limit_rows(const std::string& limit, OptionChecker& check);
// Checks --threads (and --limit) into `check`; set_threads applies it (call after
// check.throw_if_any()).
int query_threads(const QueryArgs& args, OptionChecker& check);
void set_threads(int threads);
// Records "no query given" in `check` when there is none.
void check_queries(const QueryArgs& args, OptionChecker& check);

// Loads -m FILE, else $W2V_MODEL, else ./vectors.bin (its first --limit rows); logs what was
// loaded to stderr.
query::Index load_index(const QueryArgs& args);

// Finds query words: the exact bytes first, then their NFC form unless --no-normalize, then for
// a fastText model with n-grams a vector composed from the word's n-grams (fastText's rule for
// unknown words), else for a Korean eojeol its stem (a known particle/ending stripped,
// text/korean.hpp); either is said on stderr.
class WordFinder {
 public:
  WordFinder(const query::Index& index, bool normalize);
  std::uint32_t find(std::string_view word);

 private:
  const query::Index& index_;
  bool normalize_;
  text::Tokenizer tokenizer_;
};

// Splits a query at separators (text::is_separator, as the tokenizer does). Bytes that are not
// UTF-8 are kept inside words.
std::vector<std::string> split_words(std::string_view text);
// The pair of a similarity query line: "W1 W2", or "W1 W2 SCORE" as in similarity evaluation
// files (tab-, comma- or space-separated; the score is ignored). Returns the words found when
// the line is not a pair (their count tells what went wrong). `header` is set when the line
// has three fields whose last is not a number ("word1,word2,score").
std::vector<std::string> split_pair(std::string_view text, bool& header);
// Words joined by single spaces (how a query is echoed in the output).
std::string join_words(const std::vector<std::string>& words);
// Looks every word up into `ids`; returns "" or a message naming every unknown word.
std::string resolve_words(WordFinder& finder, const std::vector<std::string>& words,
                          std::vector<std::uint32_t>& ids);

// One query as typed, with its stdin line number (0 for a command-line argument).
struct QueryText {
  std::string text;
  std::size_t line = 0;
};

// Calls `batch` with the queries: all the arguments at once, or stdin in batches when the only
// argument is "-". `batch` returns how many of its queries failed. Returns the exit code (0, or 1
// if any query failed). Throws w2v::Error (exit 2) when there is no query, unless `prompt` is
// given and stdin and stderr are terminals: then queries are read one a line with `prompt` and
// line editing (line_editor.hpp) until Ctrl-D, each answered at once.
int for_each_batch(const std::vector<std::string>& args,
                   const std::function<std::size_t(const std::vector<QueryText>&)>& batch,
                   const char* prompt = nullptr);

// One query made ready for scoring: its words, their ids, or why it failed.
struct ResolvedQuery {
  std::string text;  // the words joined by single spaces (how the query is echoed)
  std::vector<std::string> words;
  std::vector<std::uint32_t> ids;  // one per word when error is ""
  std::string error;
  bool ok() const { return error.empty(); }
};

// Looks up `words` of query `q`: exactly `want` of them (0: one or more; else the error is
// "expected <expected>, got N"), every one known. A failure is reported on stderr.
ResolvedQuery resolve_query(WordFinder& finder, const QueryText& q, std::vector<std::string> words,
                            std::size_t want, const char* expected);
// resolve_query on the split_words of every query of a batch; `failed` counts the failures.
std::vector<ResolvedQuery> resolve_batch(WordFinder& finder, const std::vector<QueryText>& batch,
                                         std::size_t want, const char* expected,
                                         std::size_t& failed);

// "line 3: " in stdin mode, "" for an argument.
std::string where(const QueryText& q);
// Reports a failed query on stderr.
void report_failure(const QueryText& q, const std::string& message);

enum class OutputMode { kTable, kTsv, kJson };

// Collects one batch of results and writes it to stdout.
class Printer {
 public:
  explicit Printer(const QueryArgs& args);
  OutputMode mode() const { return mode_; }

  // Neighbour lists: query, rank, word, score. `extra_json` is spliced into the JSON object
  // (e.g. "\"method\":\"3cosmul\","), may be empty.
  void neighbours(const std::string& query, const query::Neighbours& result,
                  const query::Index& index, const std::string& extra_json = {});
  // Any other row of fields (similarity, vec). `json` is the complete JSON object.
  void row(std::vector<std::string> fields, const std::string& json);
  // A failed query in JSON mode becomes {"query": ..., "error": ...} so lines stay aligned.
  void failed(const std::string& query, const std::string& message);
  // A failed row of a one-row-per-line command (similarity, vec): `fields` (empty result cells
  // included) in TSV and tables, `json` (with its "error") in JSON mode.
  void failed_row(std::vector<std::string> fields, const std::string& json);
  // Asks for the header line in TSV as --header does (an input's own header line is answered
  // with ours, so the output stays line for line with the input).
  void want_header() { header_ = true; }
  // Writes the batch (header first when asked and not yet written) and flushes stdout.
  void flush(const std::vector<std::string>& header);

 private:
  OutputMode mode_;
  bool header_;
  bool header_done_ = false;
  std::vector<std::vector<std::string>> rows_;  // table / TSV cells (numbers right-aligned)
  std::string json_;
};

using text::json_string;  // the one JSON escaper (text/json.hpp)
std::string tsv_cell(std::string_view s);
std::string format_score(float score);

}  // namespace w2v::app
