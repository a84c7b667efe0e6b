// w2v analogy: A B C -> the words closest to A - B + C (king man woman -> queen).
#include <memory>

#include "commands.hpp"
#include "line_editor.hpp"
#include "options.hpp"
#include "output.hpp"
#include "query/analogy.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

struct AnalogyArgs {
  QueryArgs query;
  std::string method = "3cosadd";
};

int run_analogy(const AnalogyArgs& args) {
  OptionChecker check;
  const query::SearchOptions options = search_options(args.query, check);
  const query::AnalogyMethod method =
      check.choice([&] { return query::parse_analogy_method(args.method); });
  // Arguments: the words of all arguments, taken three at a time.
  std::vector<std::string> queries = args.query.queries;
  const bool from_stdin = queries.size() == 1 && queries[0] == "-";
  const bool prompt = queries.empty() && interactive_terminal();
  if (!from_stdin && !prompt) {
    std::vector<std::string> words;
    for (const auto& q : queries) {
      for (auto& w : split_words(q)) words.push_back(std::move(w));
    }
    if (words.empty() || words.size() % 3 != 0) {
      check.problem(fmt::format("analogy takes words in threes (A B C means A - B + C), got {}",
                                words.size()));
    }
  }
  check.throw_if_any();
  if (!from_stdin) {
    std::vector<std::string> words;
    for (const auto& q : queries) {
      for (auto& w : split_words(q)) words.push_back(std::move(w));
    }
    queries.clear();
    for (std::size_t i = 0; i < words.size(); i += 3) {
      queries.push_back(words[i] + " " + words[i + 1] + " " + words[i + 2]);
    }
  }
  const query::Index index = load_index(args.query);
  WordFinder finder(index, !args.query.no_normalize);
  Printer printer(args.query);
  const std::vector<std::string> header = {"query", "rank", "word", "score"};
  const std::string extra = fmt::format("\"method\":\"{}\",", query::analogy_method_name(method));
  return for_each_batch(
      queries,
      [&](const std::vector<QueryText>& batch) {
        std::size_t failed = 0;
        const std::vector<ResolvedQuery> qs =
            resolve_batch(finder, batch, 3, "three words A B C", failed);
        std::vector<query::AnalogyQuestion> questions;
        for (const ResolvedQuery& q : qs) {
          if (q.ok()) questions.push_back({q.ids[0], q.ids[1], q.ids[2]});
        }
        const std::vector<query::Neighbours> results =
            query::analogy(index, questions, method, options);
        std::size_t next = 0;
        for (const ResolvedQuery& q : qs) {
          if (q.ok()) {
            printer.neighbours(q.text, results[next++], index, extra);
          } else {
            printer.failed(q.text, q.error);
          }
        }
        printer.flush(header);
        return failed;
      },
      "analogy (A B C)> ");
}

}  // namespace

void register_analogy(CLI::App& root, Commands& out) {
  auto args = std::make_shared<AnalogyArgs>();
  CLI::App* sub = root.add_subcommand(
      "analogy",
      "Analogies: 'A B C' answers A - B + C, so 'king man woman' gives queen (word2vec.c's "
      "word-analogy takes the order B A C instead). The three words are never answers. Words "
      "are taken three at a time; '-' reads one question per line from stdin. Output: query, "
      "rank, word, score. Exit 1 if any question had an unknown word.");
  add_query_options(sub, args->query, true, "A B C (A - B + C), or - for stdin");
  sub->add_option("--method", args->method,
                  "3cosadd (default; gensim most_similar) or 3cosmul (gensim most_similar_cosmul)")
      ->type_name("METHOD");
  out.push_back({sub, [args] { return run_analogy(*args); }});
}

}  // namespace w2v::app
