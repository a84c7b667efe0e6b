// w2v vec: a word's row id (its frequency rank in word2vec files) and its vector.
#include <memory>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "util/error.hpp"

namespace w2v::app {
namespace {

struct VecArgs {
  QueryArgs query;
  bool unit = false;
};

int run_vec(const VecArgs& args) {
  OptionChecker check;
  const int threads = query_threads(args.query, check);
  if (args.query.queries.empty()) check.problem("no word given (give words, or - to read stdin)");
  check.throw_if_any();
  set_threads(threads);
  const query::Index index = load_index(args.query);
  WordFinder finder(index, !args.query.no_normalize);
  Printer printer(args.query);
  const std::vector<std::string> header = {"word", "id", "vector"};
  return for_each_batch(args.query.queries, [&](const std::vector<QueryText>& batch) {
    std::size_t failed = 0;
    std::vector<std::uint32_t> found;
    for (const QueryText& q : batch) {
      for (const std::string& w : split_words(q.text)) {
        const std::string error = resolve_words(finder, {w}, found);
        if (!error.empty()) {
          report_failure(q, error);
          printer.failed(w, error);
          ++failed;
          continue;
        }
        const std::uint32_t id = found[0];
        const float* v = args.unit ? index.unit(id) : index.raw(id);
        std::string values;
        std::string json_values;
        for (std::size_t d = 0; d < index.dim(); ++d) {
          if (d > 0) {
            values.push_back(' ');
            json_values.push_back(',');
          }
          const std::string f = fmt::format("{}", v[d]);
          values += f;
          json_values += f;
        }
        printer.row({index.word(id), std::to_string(id), values},
                    fmt::format("{{\"word\":{},\"id\":{},\"vector\":[{}]}}",
                                json_string(index.word(id)), id, json_values));
      }
    }
    printer.flush(header);
    return failed;
  });
}

}  // namespace

void register_vec(CLI::App& root, Commands& out) {
  auto args = std::make_shared<VecArgs>();
  CLI::App* sub = root.add_subcommand(
      "vec",
      "Print each word, its id (row in the file, from 0; the frequency rank for word2vec files) "
      "and its vector as stored, values separated by spaces. '-' reads words from stdin. Exit 1 "
      "if any word is unknown.");
  add_query_options(sub, args->query, false, "words, or - for stdin");
  sub->add_flag("--unit", args->unit, "print the L2-normalised vector instead");
  out.push_back({sub, [args] { return run_vec(*args); }});
}

}  // namespace w2v::app
