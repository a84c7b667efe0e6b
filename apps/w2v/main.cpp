// w2v: word2vec for the command line. Parses arguments, runs one subcommand, maps errors to the
// documented exit codes: 0 ok, 1 bad input or I/O, 2 usage, 130/143 interrupted.
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "dist/world.hpp"
#include "io/atomic_file.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::app {

std::string model_path(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("W2V_MODEL"); env != nullptr && *env != '\0') return env;
  if (::access("vectors.bin", F_OK) != 0) {
    throw Error(
        "no model: name a vectors file with -m FILE or set $W2V_MODEL (without either, w2v reads "
        "./vectors.bin, which w2v train writes by default; there is none in this directory)",
        kExitUsage);
  }
  return "vectors.bin";
}

}  // namespace w2v::app

namespace {

// Under mpirun, an error only this rank knows about cannot wait for the others: it names the
// rank and ends the whole job (MPI_Abort). Errors all ranks agreed on are printed by rank 0.
bool distributed_run() {
  return w2v::dist::World::initialised() && w2v::dist::World::get().distributed();
}

void report_interrupted() {
  if (w2v::io::outputs_committed()) {
    std::fprintf(stderr, "w2v: interrupted; the outputs written before are complete\n");
  } else {
    std::fprintf(stderr, "w2v: interrupted; no output was written, earlier files are intact\n");
  }
}

void report(const char* what) {
  if (distributed_run()) {
    const auto& w = w2v::dist::World::get();
    std::fprintf(stderr, "w2v: error: rank %d of %d: %s\n", w.rank(), w.size(), what);
  } else {
    std::fprintf(stderr, "w2v: error: %s\n", what);
  }
}

int fail_alone(int code) {
  if (distributed_run()) w2v::dist::World::abort(code);
  return code;
}

// Edit distance with adjacent transpositions (optimal string alignment), for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// `w2v trian` -> "unknown command 'trian'; did you mean 'train'?" (CLI11 would say only that
// an argument was not expected). Returns true if it reported an unknown command.
bool report_unknown_command(const CLI::App& root, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return false;
  const std::string_view given = argv[1];
  std::string best;
  std::size_t best_d = SIZE_MAX;
  std::string names;
  for (const CLI::App* sub : root.get_subcommands({})) {
    const std::string& name = sub->get_name();
    if (name == given) return false;
    names += (names.empty() ? "" : ", ") + name;
    const std::size_t d = edit_distance(given, name);
    if (d < best_d) {
      best_d = d;
      best = name;
    }
  }
  const std::string shown(given.substr(0, 200));
  if (best_d <= std::max<std::size_t>(2, given.size() / 3)) {
    std::fprintf(stderr, "w2v: unknown command '%s'; did you mean '%s'?\n", shown.c_str(),
                 best.c_str());
  } else {
    std::fprintf(stderr, "w2v: unknown command '%s'; the commands are: %s\n", shown.c_str(),
                 names.c_str());
  }
  std::fprintf(stderr, "Run 'w2v --help' for a summary of each.\n");
  return true;
}

int run_command(w2v::app::Commands& commands) {
  using namespace w2v;
  try {
    for (auto& c : commands) {
      if (c.sub->parsed()) return c.run();
    }
    return kExitUsage;
  } catch (const dist::GlobalError& e) {
    std::fflush(stdout);
    if (!distributed_run() || dist::World::get().root()) {
      if (e.interrupted()) {
        report_interrupted();
      } else {
        std::fprintf(stderr, "w2v: error: %s\n", e.what());
      }
    }
    return e.exit_code();
  } catch (const Error& e) {
    std::fflush(stdout);
    if (dynamic_cast<const Interrupted*>(&e) != nullptr) {
      report_interrupted();
    } else {
      report(e.what());
    }
    return fail_alone(e.exit_code());
  } catch (const std::bad_alloc&) {
    report("out of memory");
    return fail_alone(kExitInput);
  } catch (const std::exception& e) {
    report(e.what());
    return fail_alone(kExitInput);
  }
}

// Every command's results go to stdout: a write that failed (a full disk, `> /dev/full`) must not
// end with exit 0. A reader that went away (EPIPE, `| head`) had what it wanted.
int check_stdout(int code) {
  errno = 0;
  std::cout.flush();  // CLI11's help goes through std::cout
  const bool flushed = std::fflush(stdout) == 0 && !std::cout.fail();
  const int err = errno;
  if (flushed && std::ferror(stdout) == 0) return code;
  // A failed run has reported its error already (the printers report their own failed writes).
  if (err == EPIPE || code != w2v::kExitOk) return code;
  if (err != 0) {
    std::fprintf(stderr, "w2v: error: writing to stdout failed: %s\n", std::strerror(err));
  } else {
    std::fprintf(stderr, "w2v: error: writing to stdout failed\n");
  }
  return w2v::kExitInput;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace w2v;
  // Logs and progress go to stderr; stdout carries results only.
  auto logger = spdlog::stderr_color_mt("w2v");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug shows phase timings
  // A full disk or a file-size limit must be an error we report, not a signal that kills us.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  // Buffers of 1 MB and more (corpus blocks, matrices) come straight from mmap and go back to the
  // system when freed, so the peak memory is what is live, not what glibc's heap kept.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);

  CLI::App root{"w2v: train word vectors and ask them questions"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "w2v 0.1.0");
  app::Commands commands;
  app::register_train(root, commands);
  app::register_nearest(root, commands);
  app::register_analogy(root, commands);
  app::register_similarity(root, commands);
  app::register_vec(root, commands);
  app::register_eval(root, commands);
  app::register_plot(root, commands);
  app::register_phrases(root, commands);
  app::register_clusters(root, commands);
  app::register_convert(root, commands);
  app::register_index(root, commands);

  if (report_unknown_command(root, argc, argv)) return kExitUsage;
  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return check_stdout(root.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return check_stdout(root.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return check_stdout(root.exit(e));
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "w2v: usage error: %s\nRun 'w2v --help' or 'w2v SUBCOMMAND --help'.\n",
                 e.what());
    return kExitUsage;
  }

  install_stop_handlers();
  const int code = check_stdout(run_command(commands));
  // Under mpirun: every rank ends MPI together (errors known to one rank only have aborted).
  dist::World::finalize();
  return code;
}
