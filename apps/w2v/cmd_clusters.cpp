// w2v clusters: k-means of the unit vectors, one "word<TAB>cluster" line per word in the model's
// order, as word2vec.c -classes (which writes "word cluster").
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cluster/kmeans.hpp"
#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/vectors_format.hpp"
#include "options.hpp"
#include "output.hpp"
#include "util/error.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct ClustersArgs {
  std::string model;
  std::string output = "-";
  std::string k;
  std::string iterations = "10";
  std::string seed = "1";
  std::string threads = "0";
};

int run_clusters(const ClustersArgs& a) {
  OptionChecker check;
  cluster::KMeansOptions o;
  o.k = check.integer<std::uint32_t>("-k", a.k, 1, 100000000);
  o.iterations = check.integer<int>("--iterations", a.iterations, 1, 100000);
  o.seed = check.integer<std::uint64_t>("--seed", a.seed, 0, UINT64_MAX);
  const int threads = check.integer<int>("--threads", a.threads, 0, 4096);
  check.throw_if_any();
  set_threads(threads);

  const std::string model = model_path(a.model);
  if (a.output != "-") {
    io::check_outputs_differ({{"-o", a.output}}, {{"-m", model}});
    io::check_writable(a.output);
  }
  Timer timer;
  const io::Vectors v = io::read_vectors(model);
  if (o.k > v.size()) {
    throw Error(fmt::format("-k {} is more clusters than {} has words ({})", o.k, model, v.size()),
                kExitUsage);
  }
  const cluster::KMeansResult r = cluster::kmeans(v.matrix, o);
  std::string text;
  text.reserve(v.size() * 16);
  for (std::size_t i = 0; i < v.size(); ++i) {
    text += v.words[i];
    text += '\t';
    text += std::to_string(r.cluster[i]);
    text += '\n';
  }
  if (a.output == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      throw Error("writing to stdout failed");
    }
  } else {
    io::AtomicFile f(a.output);
    f.write(text);
    f.commit();
  }
  spdlog::info(
      "{} words of {} in {} clusters: {} iterations ({}), mean squared distance to the centroid "
      "{:.4f}{}; {:.1f} s",
      v.size(), model, o.k, r.iterations,
      r.iterations < o.iterations ? "converged" : "the --iterations limit",
      r.inertia / static_cast<double>(v.size()),
      r.empty > 0 ? fmt::format(", {} clusters left empty", r.empty) : std::string(),
      timer.seconds());
  return kExitOk;
}

}  // namespace

void register_clusters(CLI::App& root, Commands& out) {
  auto args = std::make_shared<ClustersArgs>();
  CLI::App* sub = root.add_subcommand(
      "clusters",
      "Group the words into k clusters (k-means of the unit vectors, k-means++ start), as "
      "word2vec -classes: prints word<TAB>cluster (0..k-1) for every word in the model's order. "
      "The same --seed gives the same clusters whatever the number of threads.");
  sub->add_option("-m,--model", args->model, "Vectors file (default: $W2V_MODEL or vectors.bin)")
      ->type_name("FILE");
  sub->add_option("-k,--clusters", args->k, "Number of clusters (at most the number of words)")
      ->required()
      ->type_name("INT");
  sub->add_option("-o,--output", args->output, "Output TSV file, or - for stdout")
      ->capture_default_str()
      ->type_name("FILE");
  sub->add_option("--iterations", args->iterations,
                  "k-means iterations at most (fewer when no word changes cluster)")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--seed", args->seed, "Random seed of the k-means++ start")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--threads", args->threads, "Threads (default 0: all cores)")
      ->capture_default_str()
      ->type_name("INT");
  out.push_back({sub, [args] { return run_clusters(*args); }});
}

}  // namespace w2v::app
