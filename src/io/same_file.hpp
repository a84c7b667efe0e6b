// Refusing to write over an input: a command's outputs are compared with its inputs by file
// identity (device and inode), so another spelling, a symbolic link or a hard link to an input
// is caught as well as the same name.
#pragma once

#include <string>
#include <vector>

namespace w2v::io {

struct NamedPath {
  std::string option;  // how the command line named it: "-o", "--save-vocab", "input", ...
  std::string path;
};

// Throws w2v::Error (exit 2) naming both paths when an output is the same file as an input or
// as another output. Outputs that do not exist yet and non-regular files (/dev/null, FIFOs, "-")
// never match an input. Call before any work.
void check_outputs_differ(const std::vector<NamedPath>& outputs,
                          const std::vector<NamedPath>& inputs);

}  // namespace w2v::io
