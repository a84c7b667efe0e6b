// w2v vec: a word's row id (its frequency rank in word2vec files) and its vector.
#include <algorithm>
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
  const bool from_stdin = args.query.queries.size() == 1 && args.query.queries[0] == "-";
  return for_each_batch(args.query.queries, [&](const std::vector<QueryText>& batch) {
    std::size_t failed = 0;
    for (const QueryText& q : batch) {
      // stdin: one word a line, one row a line. Arguments: one row per word.
      std::vector<std::vector<std::string>> rows;
      if (from_stdin) {
        rows.push_back(split_words(q.text));
      } else {
        for (std::string& w : split_words(q.text)) rows.push_back({std::move(w)});
      }
      for (std::vector<std::string>& words : rows) {
        const ResolvedQuery r = resolve_query(finder, q, std::move(words), 1, "one word per line");
        if (!r.ok()) {
          printer.failed_row({r.text, "", ""},
                             fmt::format("{{\"word\":{},\"id\":null,\"vector\":null,"
                                         "\"error\":{}}}",
                                         json_string(r.text), json_string(r.error)));
          ++failed;
          continue;
        }
        const std::uint32_t id = r.ids[0];
        const float* v = args.unit ? index.unit(id) : index.raw(id);
        std::string values;
        for (std::size_t d = 0; d < index.dim(); ++d) {
          if (d > 0) values.push_back(' ');
          values += fmt::format("{}", v[d]);
        }
        std::string json_values = values;
        std::replace(json_values.begin(), json_values.end(), ' ', ',');
        // A word composed from n-grams (fastText models) has no row in the file: no id.
        const bool composed = index.composed(id);
        printer.row(
            {std::string(index.word(id)), composed ? std::string() : std::to_string(id), values},
            fmt::format("{{\"word\":{},\"id\":{},\"vector\":[{}]}}", json_string(index.word(id)),
                        composed ? std::string("null") : std::to_string(id), json_values));
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
      "and its vector as stored, values separated by spaces. '-' reads one word per line from "
      "stdin and prints one row per line; an unknown word leaves id and vector empty (JSON: "
      "null) and makes the exit status 1. A word composed from a fastText model's n-grams has "
      "no id.");
  add_query_options(sub, args->query, false, "words, or - for stdin");
  sub->add_flag("--unit", args->unit, "print the L2-normalised vector instead");
  out.push_back({sub, [args] { return run_vec(*args); }});
}

}  // namespace w2v::app
