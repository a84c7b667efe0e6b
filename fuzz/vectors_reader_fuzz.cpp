// libFuzzer target: io::read_vectors on arbitrary file contents. A bad file must be a w2v::Error
// (never a crash, a hang, a huge allocation or another exception); a good one must be consistent.
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/vectors_format.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the reader warns about duplicates and encodings
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An in-memory file (no disk traffic), read through its /proc path like any other file.
  static const int fd = ::memfd_create("w2v-fuzz-vectors", 0);
  if (fd < 0) std::abort();
  if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) std::abort();
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    const w2v::io::Vectors v = w2v::io::read_vectors(path);
    if (v.words.size() != v.matrix.rows()) std::abort();
    if (!v.words.empty() && v.dim() == 0) std::abort();
    for (std::size_t r = 0; r < v.matrix.rows(); ++r) {
      const float* row = v.matrix.row(r);
      for (std::size_t c = 0; c < v.dim(); ++c) {
        if (!std::isfinite(row[c])) std::abort();
      }
    }
  } catch (const w2v::Error&) {
    // A clear error is the expected outcome for most inputs.
  }
  return 0;
}
