#include "io/shard.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>

#include "io/gzip_members.hpp"
#include "util/error.hpp"

namespace w2v::io {

namespace {

// Whether a regular file starts with gzip's magic bytes 1F 8B.
bool starts_gzip(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("{}: cannot read input: {}", path, errno_message(errno)));
  unsigned char magic[2] = {0, 0};
  std::size_t got = 0;
  while (got < 2) {
    const ssize_t n = ::pread(fd, magic + got, 2 - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(fmt::format("{}: read error: {}", path, errno_message(err)));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
}

}  // namespace

std::uint64_t shard_boundary(std::uint64_t total, int rank, int ranks) {
  // total = q * ranks + m, so total * rank / ranks = q * rank + m * rank / ranks (m < ranks).
  const auto r = static_cast<std::uint64_t>(rank);
  const auto n = static_cast<std::uint64_t>(ranks);
  const std::uint64_t q = total / n;
  const std::uint64_t m = total % n;
  return q * r + m * r / n;
}

std::vector<InputPart> plan_shard(const std::vector<std::string>& paths, int rank, int ranks) {
  if (ranks < 1 || rank < 0 || rank >= ranks) {
    throw Error(fmt::format("rank {} of {} ranks is out of range", rank, ranks), kExitUsage);
  }
  struct Span {
    std::uint64_t size = 0;
    bool whole = false;  // cannot be split
    bool gzip = false;   // split at member starts only
  };
  std::vector<Span> spans;
  spans.reserve(paths.size());
  for (const auto& p : paths) {
    if (p == "-") {
      spans.push_back({0, true});
      continue;
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      throw Error(fmt::format("{}: cannot open input: {}", p, errno_message(errno)));
    }
    const auto size = static_cast<std::uint64_t>(std::max<off_t>(st.st_size, 0));
    if (!S_ISREG(st.st_mode)) {
      spans.push_back({size, true});  // opening a FIFO could block or steal data
      continue;
    }
    spans.push_back({size, false, starts_gzip(p)});
  }

  std::vector<InputPart> parts;
  if (ranks == 1) {
    for (const auto& p : paths) parts.push_back(InputPart{p});
    return parts;
  }
  std::uint64_t total = 0;
  for (const auto& s : spans) total += s.size;
  const std::uint64_t lo = shard_boundary(total, rank, ranks);
  const std::uint64_t hi = shard_boundary(total, rank + 1, ranks);
  std::uint64_t at = 0;  // stream offset of the current file
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::uint64_t size = spans[i].size;
    const std::uint64_t b = std::max(lo, at);
    const std::uint64_t e = std::min(hi, at + size);
    if (spans[i].whole) {
      const std::uint64_t mid = at + size / 2;
      const bool mine = mid >= total ? rank == ranks - 1 : lo <= mid && mid < hi;
      if (mine) parts.push_back(InputPart{paths[i]});
    } else if (spans[i].gzip) {
      if (b < e) {
        // This rank's bytes of the file are [x, y); it reads the members that start in them,
        // and the first member of the file if the file starts in them.
        const std::uint64_t x = b - at;
        const std::uint64_t y = e - at;
        const int fd = ::open(paths[i].c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          throw Error(fmt::format("{}: cannot read input: {}", paths[i], errno_message(errno)));
        }
        std::uint64_t first = 0;
        std::uint64_t last = size;
        try {
          const GzipFile g{fd, paths[i], size};
          first = x == 0 ? 0 : find_member_start(g, x, y);
          if (first < y && y < size) last = find_member_start(g, y, size);
        } catch (...) {
          ::close(fd);
          throw;
        }
        ::close(fd);
        if (first < y) parts.push_back(InputPart{paths[i], first, last == size ? kToEnd : last});
      }
    } else {
      if (b < e) parts.push_back(InputPart{paths[i], b - at, e == at + size ? kToEnd : e - at});
    }
    at += size;
  }
  return parts;
}

std::uint64_t total_bytes(const std::vector<InputPart>& parts) {
  std::uint64_t total = 0;
  for (const auto& p : parts) {
    struct stat st {};
    if (p.path == "-" || ::stat(p.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::uint64_t end = std::min(size, p.end);
    total += end > p.begin ? end - p.begin : 0;
  }
  return total;
}

}  // namespace w2v::io
