// w2v similarity: the cosine similarity of word pairs.
#include <spdlog/spdlog.h>

#include <memory>
#include <utility>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "query/similarity.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

int run_similarity(const QueryArgs& args) {
  OptionChecker check;
  const int threads = query_threads(args, check);
  std::vector<std::string> queries = args.queries;
  const bool from_stdin = queries.size() == 1 && queries[0] == "-";
  std::vector<std::string> words;
  if (!from_stdin) {
    for (const auto& q : queries) {
      for (auto& w : split_words(q)) words.push_back(std::move(w));
    }
    if (words.empty() || words.size() % 2 != 0) {
      check.problem(fmt::format("similarity takes words in pairs, got {}", words.size()));
    }
  }
  check.throw_if_any();
  set_threads(threads);
  if (!from_stdin) {
    queries.clear();
    for (std::size_t i = 0; i < words.size(); i += 2)
      queries.push_back(words[i] + " " + words[i + 1]);
  }
  const query::Index index = load_index(args);
  WordFinder finder(index, !args.no_normalize);
  Printer printer(args);
  const std::vector<std::string> header = {"word1", "word2", "similarity"};
  bool first_line = true;
  return for_each_batch(queries, [&](const std::vector<QueryText>& batch) {
    std::size_t failed = 0;
    for (const QueryText& q : batch) {
      bool header_line = false;
      std::vector<std::string> words = split_pair(q.text, header_line);
      // The header of a similarity file ("word1,word2,score") names no words: answered by our
      // header line (TSV), so the rows still line up with the input.
      if (std::exchange(first_line, false) && header_line && from_stdin) {
        spdlog::info("line {}: taken for a header line (its score field is not a number)", q.line);
        printer.want_header();
        continue;
      }
      const ResolvedQuery r =
          resolve_query(finder, q, std::move(words), 2, "two words W1 W2 (and a score)");
      // One row per query line: the words as read, the score empty when it failed.
      const std::string w1 = r.words.empty() ? std::string() : r.words[0];
      std::string w2;
      for (std::size_t i = 1; i < r.words.size(); ++i) w2 += (i > 1 ? " " : "") + r.words[i];
      if (!r.ok()) {
        printer.failed_row({w1, w2, ""},
                           fmt::format("{{\"word1\":{},\"word2\":{},\"similarity\":null,"
                                       "\"error\":{}}}",
                                       json_string(w1), json_string(w2), json_string(r.error)));
        ++failed;
        continue;
      }
      const std::string score = format_score(query::similarity(index, r.ids[0], r.ids[1]));
      printer.row({w1, w2, score}, fmt::format("{{\"word1\":{},\"word2\":{},\"similarity\":{}}}",
                                               json_string(w1), json_string(w2), score));
    }
    printer.flush(header);
    return failed;
  });
}

}  // namespace

void register_similarity(CLI::App& root, Commands& out) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* sub = root.add_subcommand(
      "similarity",
      "Cosine similarity of word pairs (W1 W2 [W3 W4 ...]); '-' reads one pair per line from "
      "stdin, also in similarity-file form 'W1 W2 SCORE' (tab, comma or space separated; the "
      "score is ignored; a header line is answered by the header). Output: word1, word2, "
      "similarity, one row per pair; an unknown word leaves the similarity empty (JSON: null) "
      "and makes the exit status 1.");
  add_query_options(sub, *args, false, "W1 W2 ..., or - for stdin");
  out.push_back({sub, [args] { return run_similarity(*args); }});
}

}  // namespace w2v::app
