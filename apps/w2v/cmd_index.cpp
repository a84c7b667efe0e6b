// w2v index MODEL: writes MODEL.w2vi, which nearest, analogy, similarity and vec then map
// instead of parsing MODEL (query/index_file.hpp). A stale index (MODEL changed since) is
// reported and never used. With --ann it also builds the HNSW graph of `nearest --ann`
// (query/ann.hpp) and writes it beside the index as MODEL.w2vi.hnsw; an index already up to date
// with MODEL is kept and only the graph is built.
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "query/ann.hpp"
#include "query/index.hpp"
#include "query/index_file.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct IndexArgs {
  std::string model, output;
  bool ann = false;
  std::string m = "16", ef_construction = "200", threads = "0";
};

int run_index(const IndexArgs& a) {
  OptionChecker check;
  query::AnnOptions ann;
  ann.m = check.integer<std::size_t>("--m", a.m, 2, 256);
  ann.ef_construction =
      check.integer<std::size_t>("--ef-construction", a.ef_construction, 1, 100000);
  ann.threads = check.integer<int>("--threads", a.threads, 0, 4096);
  check.throw_if_any();
  const std::string out = a.output.empty() ? query::index_path_for(a.model) : a.output;
  const std::string graph_out = query::ann_path_for(out);
  io::check_outputs_differ({{"-o", out}}, {{"model", a.model}});
  if (a.ann) io::check_outputs_differ({{"graph", graph_out}}, {{"model", a.model}});
  io::check_writable(out);
  if (a.ann) io::check_writable(graph_out);
  Timer timer;
  std::string why;
  std::optional<query::Index> index;
  if (auto view = a.ann ? query::open_index(out, a.model, why) : std::nullopt) {
    index.emplace(std::move(*view));
    spdlog::info("{} is up to date with {}: kept; building its ANN graph only", out, a.model);
  } else {
    index.emplace(io::read_vectors(a.model));
    spdlog::info("read {}: {} words x {} dims ({}) in {:.2f} s", a.model, index->size(),
                 index->dim(), index->format(), timer.seconds());
    query::write_index(*index, a.model, out);
    spdlog::info("wrote {} in {:.2f} s", out, timer.seconds());
  }
  if (!a.ann) return kExitOk;
  // The graph is built over the mapped index file (the rows queries will read).
  if (!index->mapped()) {
    auto view = query::open_index(out, a.model, why);
    if (!view) throw Error(fmt::format("{}: cannot reopen the index just written: {}", out, why));
    index.emplace(std::move(*view));
  }
  Timer build;
  const query::AnnGraph graph = query::AnnGraph::build(*index, ann);
  spdlog::info("built the ANN graph (M {}, ef_construction {}) over {} rows in {:.2f} s", ann.m,
               ann.ef_construction, index->size(), build.seconds());
  graph.write(graph_out, out);
  spdlog::info("wrote {} in {:.2f} s", graph_out, timer.seconds());
  return kExitOk;
}

}  // namespace

void register_index(CLI::App& root, Commands& out) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* sub = root.add_subcommand(
      "index",
      "Write MODEL.w2vi: the normalised vectors and the word table in a layout that nearest, "
      "analogy, similarity and vec map instead of parsing MODEL (start in milliseconds, memory "
      "only for what a query touches). An index older than its model is never used.");
  sub->add_option("model", args->model, "vectors file in any readable format")
      ->required()
      ->type_name("MODEL");
  sub->add_option("-o,--output", args->output,
                  "where to write it (default MODEL.w2vi, the name queries look for)")
      ->type_name("FILE");
  sub->add_flag("--ann", args->ann,
                "also build the HNSW graph that nearest --ann searches (approximate, much faster "
                "on big models) and write it beside the index as INDEX.hnsw");
  sub->add_option("--m", args->m,
                  "graph links per word with --ann (default 16; more: better "
                  "recall, bigger graph)")
      ->type_name("INT");
  sub->add_option("--ef-construction", args->ef_construction,
                  "candidates considered per word while building with --ann (default 200)")
      ->type_name("INT");
  sub->add_option("--threads", args->threads, "threads building the graph (default 0: all cores)")
      ->type_name("INT");
  out.push_back({sub, [args] { return run_index(*args); }});
}

}  // namespace w2v::app
