// w2v analogy: placeholder until its issue lands.
#include "commands.hpp"
#include "util/error.hpp"

namespace w2v::app {
void register_analogy(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("analogy", "(not yet available)");
  sub->allow_extras();
  out.push_back({sub, [] () -> int { throw Error("w2v analogy is not implemented yet", kExitUsage); }});
}
}  // namespace w2v::app
