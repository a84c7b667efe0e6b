// w2v eval: placeholder until its issue lands.
#include "commands.hpp"
#include "util/error.hpp"

namespace w2v::app {
void register_eval(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("eval", "(not yet available)");
  sub->allow_extras();
  out.push_back({sub, []() -> int { throw Error("w2v eval is not implemented yet", kExitUsage); }});
}
int evaluate_after_training(const std::string&, const std::string&, const std::string&) {
  throw Error("--eval-analogy / --eval-similarity are not implemented yet", kExitUsage);
}
}  // namespace w2v::app
