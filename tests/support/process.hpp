// Test support: run the built w2v binary (or any command) with given stdin, capture stdout,
// stderr and the exit code.
#pragma once

#include <string>
#include <vector>

namespace w2v::testing {

struct RunResult {
  int exit_code = -1;  // 128 + signal if killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] with the arguments, feeding `input` on stdin. `env` entries are "NAME=value"
// added to the environment.
RunResult run(const std::vector<std::string>& argv, const std::string& input = {},
              const std::vector<std::string>& env = {});
// run() with the built w2v binary as argv[0].
RunResult run_w2v(const std::vector<std::string>& args, const std::string& input = {},
                  const std::vector<std::string>& env = {});

// A fresh directory under the build tree, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& contents);
bool file_exists(const std::string& path);
// Path of a file in the repository (W2V_SOURCE_DIR).
std::string source_path(const std::string& relative);
// ../shared/data beside the repository, or "" if absent.
std::string shared_data_dir();

}  // namespace w2v::testing
