// w2v vec: placeholder until its issue lands.
#include "commands.hpp"
#include "util/error.hpp"

namespace w2v::app {
void register_vec(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("vec", "(not yet available)");
  sub->allow_extras();
  out.push_back({sub, [] () -> int { throw Error("w2v vec is not implemented yet", kExitUsage); }});
}
}  // namespace w2v::app
