// w2v nearest: the k words closest to each query by cosine similarity.
#include <memory>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "query/nearest.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

int run_nearest(const QueryArgs& args) {
  OptionChecker check;
  const query::SearchOptions options = search_options(args, check);
  check_queries(args, check);
  check.throw_if_any();
  const query::Index index = load_index(args);
  WordFinder finder(index, !args.no_normalize);
  Printer printer(args);
  const std::vector<std::string> header = {"query", "rank", "word", "score"};
  return for_each_batch(
      args.queries,
      [&](const std::vector<QueryText>& batch) {
        std::size_t failed = 0;
        const std::vector<ResolvedQuery> qs = resolve_batch(finder, batch, 0, "", failed);
        std::vector<std::vector<std::uint32_t>> ids;
        for (const ResolvedQuery& q : qs) {
          if (q.ok()) ids.push_back(q.ids);
        }
        const std::vector<query::Neighbours> results = query::nearest(index, ids, options);
        std::size_t next = 0;
        for (const ResolvedQuery& q : qs) {
          if (q.ok()) {
            printer.neighbours(q.text, results[next++], index);
          } else {
            printer.failed(q.text, q.error);
          }
        }
        printer.flush(header);
        return failed;
      },
      "nearest> ");
}

}  // namespace

void register_nearest(CLI::App& root, Commands& out) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* sub = root.add_subcommand(
      "nearest",
      "Nearest words by cosine similarity. Each argument is one query; an argument of several "
      "words queries the normalised sum of their vectors. '-' reads one query per line from "
      "stdin. Output: query, rank, word, score. Exit 1 if any query had an unknown word.");
  add_query_options(sub, *args, true, "query words, or - for stdin");
  out.push_back({sub, [args] { return run_nearest(*args); }});
}

}  // namespace w2v::app
