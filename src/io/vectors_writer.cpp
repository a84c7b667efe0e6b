#include <fmt/format.h>
#include <cstring>

#include "io/atomic_file.hpp"
#include "io/vectors_format.hpp"
#include "util/error.hpp"

namespace w2v::io {

VectorFormat format_for_path(const std::string& path) {
  auto ends_with = [&](const char* suffix) {
    const std::size_t n = std::strlen(suffix);
    return path.size() >= n && path.compare(path.size() - n, n, suffix) == 0;
  };
  return ends_with(".txt") || ends_with(".vec") ? VectorFormat::kText : VectorFormat::kBinary;
}

VectorFormat parse_format(const std::string& name) {
  if (name == "bin" || name == "binary") return VectorFormat::kBinary;
  if (name == "txt" || name == "text") return VectorFormat::kText;
  throw Error(fmt::format("unknown --format '{}' (use binary or text)", name), kExitUsage);
}

void write_vectors(const std::string& path, const std::vector<std::string>& words,
                   const float* data, std::size_t dim, std::size_t stride, VectorFormat format) {
  static_assert(sizeof(float) == 4);
  AtomicFile out(path);
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), "{} {}\n", words.size(), dim);
  for (std::size_t r = 0; r < words.size(); ++r) {
    const float* v = data + r * stride;
    buf.append(words[r]);
    if (format == VectorFormat::kBinary) {
      buf.push_back(' ');
      // x86-64 is little-endian, which is what the format means in practice.
      const char* bytes = reinterpret_cast<const char*>(v);
      buf.append(bytes, bytes + dim * sizeof(float));
    } else {
      for (std::size_t d = 0; d < dim; ++d) fmt::format_to(std::back_inserter(buf), " {}", v[d]);
    }
    buf.push_back('\n');
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), buf.size());
      buf.clear();
    }
  }
  out.write(buf.data(), buf.size());
  out.commit();
}

}  // namespace w2v::io
