// w2v similarity: placeholder until its issue lands.
#include "commands.hpp"
#include "util/error.hpp"

namespace w2v::app {
void register_similarity(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("similarity", "(not yet available)");
  sub->allow_extras();
  out.push_back({sub, [] () -> int { throw Error("w2v similarity is not implemented yet", kExitUsage); }});
}
}  // namespace w2v::app
