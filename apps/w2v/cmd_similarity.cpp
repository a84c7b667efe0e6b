// w2v similarity: the cosine similarity of word pairs.
#include <memory>

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
  return for_each_batch(queries, [&](const std::vector<QueryText>& batch) {
    std::size_t failed = 0;
    std::vector<std::uint32_t> found;
    for (const QueryText& q : batch) {
      const std::vector<std::string> words = split_words(q.text);
      std::string error = words.size() != 2
                              ? fmt::format("expected two words, got {}", words.size())
                              : resolve_words(finder, words, found);
      if (!error.empty()) {
        report_failure(q, error);
        printer.failed(join_words(words), error);
        ++failed;
        continue;
      }
      const float s = query::similarity(index, found[0], found[1]);
      printer.row({words[0], words[1], format_score(s)},
                  fmt::format("{{\"word1\":{},\"word2\":{},\"similarity\":{}}}",
                              json_string(words[0]), json_string(words[1]), format_score(s)));
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
      "stdin. Output: word1, word2, similarity. Exit 1 if any pair had an unknown word.");
  add_query_options(sub, *args, false, "W1 W2 ..., or - for stdin");
  out.push_back({sub, [args] { return run_similarity(*args); }});
}

}  // namespace w2v::app
