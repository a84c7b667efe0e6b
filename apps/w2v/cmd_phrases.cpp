// w2v phrases: word2phrase. Joins frequent bigrams into one token ("new york" -> "new_york"),
// one or more passes; the rules are word2phrase.c's (src/phrases/phrases.hpp).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "io/atomic_file.hpp"
#include "io/same_file.hpp"
#include "io/text_reader.hpp"
#include "options.hpp"
#include "output.hpp"
#include "phrases/phrases.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"
#include "util/timer.hpp"

namespace w2v::app {
namespace {

struct PhrasesArgs {
  std::string input;
  std::string output;
  std::string min_count = "5";
  std::string threshold = "100";
  std::string passes = "1";
  std::string threads = "0";
};

std::string millions(std::uint64_t n) {
  if (n >= 1000000) return fmt::format("{:.2f}M", static_cast<double>(n) / 1e6);
  if (n >= 1000) return fmt::format("{:.1f}k", static_cast<double>(n) / 1e3);
  return std::to_string(n);
}

int run_phrases(const PhrasesArgs& a) {
  OptionChecker check;
  phrases::Options o;
  o.min_count = check.integer<std::int64_t>("--min-count", a.min_count, 1, 1000000000000);
  o.threshold = static_cast<float>(check.real("--threshold", a.threshold, -1e30, 1e30));
  const int passes = check.integer<int>("--passes", a.passes, 1, 100);
  const int threads = check.integer<int>("--threads", a.threads, 0, 4096);
  check.throw_if_any();
  set_threads(threads);

  io::check_inputs({a.input});
  if (a.output != "-") {
    io::check_outputs_differ({{"-o", a.output}}, {{"input", a.input}});
    io::check_writable(a.output);
  }

  Timer timer;
  std::string text;
  {
    io::TextReader reader({a.input});
    io::TextBlock block;
    while (reader.next(block)) {
      throw_if_stopped();
      text += block.text;
    }
  }
  phrases::strip_carriage_returns(text);
  const std::string shown = a.input == "-" ? std::string("stdin") : a.input;
  spdlog::info("read {}: {} MB in {:.1f} s", shown, fmt::format("{:.1f}", text.size() / 1e6),
               timer.seconds());

  for (int p = 1; p <= passes; ++p) {
    phrases::PassStats s;
    text = phrases::phrase_pass(text, o, s);
    spdlog::info(
        "pass {}/{}: {} words, {} distinct words, {} distinct bigrams counted in {:.1f} s; "
        "joined {} bigrams ({} distinct phrases) in {:.1f} s",
        p, passes, millions(s.words), millions(s.unigrams), millions(s.bigrams), s.count_seconds,
        millions(s.joined), millions(s.distinct_joined), s.write_seconds);
  }

  if (a.output == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      throw Error("writing to stdout failed");
    }
  } else {
    io::AtomicFile f(a.output);
    f.write(text);
    f.commit();
    spdlog::info("wrote {} ({:.1f} s in all)", a.output, timer.seconds());
  }
  return kExitOk;
}

}  // namespace

void register_phrases(CLI::App& root, Commands& out) {
  auto args = std::make_shared<PhrasesArgs>();
  CLI::App* sub = root.add_subcommand(
      "phrases",
      "Join frequent word pairs into phrases (new york -> new_york), as word2vec's word2phrase: "
      "a pair is joined when (count(a_b) - min_count) / (count(a) * count(b)) * words > "
      "threshold. Output is word2phrase's, byte for byte (each word preceded by a space or '_'). "
      "Run again on the output, or give --passes, for longer phrases.");
  sub->add_option("input", args->input, "Text file, .gz, or - for stdin")
      ->required()
      ->type_name("FILE");
  sub->add_option("-o,--output", args->output, "Output text file, or - for stdout")
      ->required()
      ->type_name("FILE");
  sub->add_option("--min-count", args->min_count,
                  "Words and pairs seen fewer times are never joined (word2phrase -min-count)")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--threshold", args->threshold,
                  "Score a pair must exceed to be joined; higher means fewer phrases "
                  "(word2phrase -threshold)")
      ->capture_default_str()
      ->type_name("REAL");
  sub->add_option("--passes", args->passes,
                  "Passes, each over the previous one's output: 2 can form 3- and 4-word phrases")
      ->capture_default_str()
      ->type_name("INT");
  sub->add_option("--threads", args->threads, "Threads (default 0: all cores)")
      ->capture_default_str()
      ->type_name("INT");
  out.push_back({sub, [args] { return run_phrases(*args); }});
}

}  // namespace w2v::app
