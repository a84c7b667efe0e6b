#include "io/same_file.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "util/error.hpp"

namespace w2v::io {
namespace {

bool identity(const std::string& path, struct stat& st) {
  if (path.empty() || path == "-") return false;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

[[noreturn]] void refuse(const NamedPath& out, const NamedPath& other, bool input) {
  throw Error(
      fmt::format("{} {} is the same file as {} {}{}; {}", out.option, out.path, other.option,
                  other.path, out.path == other.path ? "" : " (another path to it)",
                  input ? "refusing to overwrite an input" : "two outputs cannot share a file"),
      kExitUsage);
}

}  // namespace

void check_outputs_differ(const std::vector<NamedPath>& outputs,
                          const std::vector<NamedPath>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& out = outputs[i];
    struct stat os {};
    const bool exists = identity(out.path, os);
    for (const NamedPath& in : inputs) {
      struct stat is {};
      if (exists && identity(in.path, is) && os.st_dev == is.st_dev && os.st_ino == is.st_ino) {
        refuse(out, in, true);
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      const NamedPath& prev = outputs[j];
      struct stat ps {};
      const bool same =
          exists ? identity(prev.path, ps) && os.st_dev == ps.st_dev && os.st_ino == ps.st_ino
                 : !out.path.empty() && out.path == prev.path && out.path != "-";
      if (same) refuse(out, prev, false);
    }
  }
}

}  // namespace w2v::io
