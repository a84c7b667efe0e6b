// w2v index MODEL: writes MODEL.w2vi, which nearest, analogy, similarity and vec then map
// instead of parsing MODEL (query/index_file.hpp). A stale index (MODEL changed since) is
// reported and never used.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "query/index.hpp"
#include "query/index_file.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct IndexArgs {
  std::string model, output;
};

int run_index(const IndexArgs& a) {
  const std::string out = a.output.empty() ? query::index_path_for(a.model) : a.output;
  io::check_outputs_differ({{"-o", out}}, {{"model", a.model}});
  io::check_writable(out);
  Timer timer;
  const query::Index index(io::read_vectors(a.model));
  spdlog::info("read {}: {} words x {} dims ({}) in {:.2f} s", a.model, index.size(), index.dim(),
               index.format(), timer.seconds());
  query::write_index(index, a.model, out);
  spdlog::info("wrote {} in {:.2f} s", out, timer.seconds());
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
  out.push_back({sub, [args] { return run_index(*args); }});
}

}  // namespace w2v::app
