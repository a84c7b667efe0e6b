// w2v nearest: the k words closest to each query by cosine similarity; with --ann, from the
// HNSW graph `w2v index MODEL --ann` stored beside the model's index (query/ann.hpp).
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <algorithm>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "query/ann.hpp"
#include "query/index_file.hpp"
#include "query/nearest.hpp"
#include "util/error.hpp"
#include "util/matrix.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

// The default search breadth of --ann. Measured (BENCHMARKS.md): 100 gave recall@10 0.953 on a
// trained 231k x 100 model and 0.914 on the 3M x 300 one, 200 gave 0.978 on both, at 3.2x and
// 34x exact search's query rate; recall at a fixed breadth falls as the graph grows.
constexpr std::size_t kDefaultEf = 200;

struct NearestArgs : QueryArgs {
  bool ann = false;
  std::string ef = "0";
};

// The mapped index of the model and its graph; throws w2v::Error (exit 1) saying how to build
// them when either is missing or stale.
query::Index load_ann_index(const NearestArgs& args, std::optional<query::AnnGraph>& graph) {
  const std::string model = model_path(args.model);
  const std::string index_file = query::index_path_for(model);
  const std::string graph_file = query::ann_path_for(index_file);
  Timer timer;
  std::string why;
  auto view = query::open_index(index_file, model, why);
  if (!view) {
    throw Error(
        fmt::format("{}: --ann needs the index and its graph ({}); build them with: w2v "
                    "index {} --ann",
                    index_file, why.empty() ? "no index" : why, model));
  }
  query::Index index(std::move(*view));
  graph.emplace(query::AnnGraph::open(graph_file, index_file, index, model));
  spdlog::debug("mapped {} and read {} ({} words) in {:.3f} s", index_file, graph_file,
                index.size(), timer.seconds());
  return index;
}

int run_nearest(const NearestArgs& args) {
  OptionChecker check;
  const query::SearchOptions options = search_options(args, check);
  const auto ef = check.integer<std::size_t>("--ef", args.ef, 0, 100000000);
  check_queries(args, check);
  if (args.ann && args.limit != "0") check.problem("--ann searches the whole graph: no --limit");
  if (args.ann && args.restrict_rows != "0") {
    check.problem("--ann searches the whole graph: no --restrict");
  }
  if (!args.ann && args.ef != "0") check.problem("--ef is the search breadth of --ann");
  check.throw_if_any();
  std::optional<query::AnnGraph> graph;
  const query::Index index = args.ann ? load_ann_index(args, graph) : load_index(args);
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
        std::vector<query::Neighbours> results;
        if (graph) {
          Matrix targets(ids.size(), index.stride());
          for (std::size_t q = 0; q < ids.size(); ++q) {
            query::combine_unit_vectors(index, ids[q], std::vector<float>(ids[q].size(), 1.0f),
                                        targets.row(q));
          }
          const std::size_t breadth = std::max(ef > 0 ? ef : kDefaultEf, options.k);
          results =
              graph->search(targets.data(), ids.size(), ids, options.k, breadth, options.threads);
        } else {
          results = query::nearest(index, ids, options);
        }
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
  auto args = std::make_shared<NearestArgs>();
  CLI::App* sub = root.add_subcommand(
      "nearest",
      "Nearest words by cosine similarity. Each argument is one query; an argument of several "
      "words queries the normalised sum of their vectors. '-' reads one query per line from "
      "stdin. Output: query, rank, word, score. Exit 1 if any query had an unknown word.");
  add_query_options(sub, *args, true, "query words, or - for stdin");
  sub->add_flag("--ann", args->ann,
                "approximate search in the HNSW graph built by `w2v index MODEL --ann` (much "
                "faster on big models; may miss a few true neighbours). Exit 1 if the model has "
                "no up-to-date index and graph");
  sub->add_option("--ef", args->ef,
                  fmt::format("search breadth of --ann (default {}, at least -k): more is slower "
                              "and finds more of the true neighbours",
                              kDefaultEf))
      ->type_name("INT");
  out.push_back({sub, [args] { return run_nearest(*args); }});
}

}  // namespace w2v::app
