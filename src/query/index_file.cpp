#include "query/index_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "io/atomic_file.hpp"
#include "util/error.hpp"
#include "util/matrix.hpp"

namespace w2v::query {
namespace {

constexpr char kMagic[8] = {'W', '2', 'V', 'I', 'N', 'D', 'E', 'X'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 4096;
constexpr std::size_t kHashSpan = std::size_t{1} << 20;

using Fingerprint = FileFingerprint;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t dim;
  std::uint64_t rows, stride, n_slots, blob_bytes, file_size;
  std::uint64_t off_unit, off_raw, off_norms, off_offsets, off_slots, off_blob;
  Fingerprint model;
  char format[32];
};
static_assert(sizeof(Header) <= kHeaderBytes);

std::uint64_t fnv(const char* p, std::size_t n, std::uint64_t h) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

Fingerprint file_fingerprint(const std::string& model) {
  const int fd = ::open(model.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("{}: cannot open: {}", model, errno_message(errno)));
  struct stat st {};
  Fingerprint f;
  std::vector<char> buf(kHashSpan);
  std::uint64_t h = 14695981039346656037ULL;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_sec = st.st_mtim.tv_sec;
    f.mtime_nsec = st.st_mtim.tv_nsec;
    f.inode = st.st_ino;
    const auto span = static_cast<std::int64_t>(std::min<std::uint64_t>(kHashSpan, f.size));
    for (const std::int64_t at : {std::int64_t{0}, static_cast<std::int64_t>(f.size) - span}) {
      const ssize_t n = ::pread(fd, buf.data(), static_cast<std::size_t>(span), at);
      if (n != span) ok = false;
      if (n > 0) h = fnv(buf.data(), static_cast<std::size_t>(n), h);
    }
  }
  const int err = errno;
  ::close(fd);
  if (!ok) throw Error(fmt::format("{}: cannot read: {}", model, errno_message(err)));
  f.hash = h;
  return f;
}

namespace {

std::uint64_t align64(std::uint64_t x) {
  return (x + 63) / 64 * 64;
}

}  // namespace

std::string index_path_for(const std::string& model) {
  return model + ".w2vi";
}

void write_index(const Index& index, const std::string& model, const std::string& out) {
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.dim = static_cast<std::uint32_t>(index.dim());
  h.rows = index.size();
  h.stride = index.stride();
  const WordTable& words = index.words();
  h.n_slots = words.slot_count();
  h.blob_bytes = words.blob_bytes();
  h.off_unit = kHeaderBytes;
  h.off_raw = align64(h.off_unit + h.rows * h.stride * 4);
  h.off_norms = align64(h.off_raw + h.rows * h.dim * 4);
  h.off_offsets = align64(h.off_norms + h.rows * 4);
  h.off_slots = align64(h.off_offsets + (h.rows + 1) * 8);
  h.off_blob = align64(h.off_slots + h.n_slots * 4);
  h.file_size = h.off_blob + h.blob_bytes;
  h.model = file_fingerprint(model);
  std::snprintf(h.format, sizeof h.format, "%s", index.format().c_str());

  io::AtomicFile file(out);
  std::uint64_t at = 0;
  const std::vector<char> zeros(kHeaderBytes, 0);
  auto put = [&](std::uint64_t offset, const void* data, std::uint64_t n) {
    file.write(zeros.data(), offset - at);
    if (n > 0) file.write(data, n);
    at = offset + n;
  };
  put(0, &h, sizeof h);
  put(h.off_unit, index.unit_data(), h.rows * h.stride * 4);
  // raw rows are contiguous (dim floats each) in a parsed index
  put(h.off_raw, h.rows > 0 ? index.raw(0) : nullptr, h.rows * h.dim * 4);
  std::vector<float> norms(h.rows);
  for (std::size_t r = 0; r < h.rows; ++r) norms[r] = index.norm(static_cast<std::uint32_t>(r));
  put(h.off_norms, norms.data(), h.rows * 4);
  put(h.off_offsets, words.offsets(), (h.rows + 1) * 8);
  put(h.off_slots, words.slots(), h.n_slots * 4);
  put(h.off_blob, words.blob(), h.blob_bytes);
  file.commit();
}

std::optional<IndexView> open_index(const std::string& index_path, const std::string& model,
                                    std::string& why) {
  why.clear();
  const int fd = ::open(index_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) why = fmt::format("cannot open: {}", errno_message(errno));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::size_t>(st.st_size) < kHeaderBytes) {
    ::close(fd);
    why = "not an index file (too short)";
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    why = fmt::format("cannot map: {}", errno_message(errno));
    return std::nullopt;
  }
  std::shared_ptr<const void> keep(p,
                                   [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
  Header h{};
  std::memcpy(&h, p, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
    why = "not an index file";
    return std::nullopt;
  }
  if (h.version != kVersion) {
    why = fmt::format("index version {} (this w2v reads version {})", h.version, kVersion);
    return std::nullopt;
  }
  const bool sane =
      h.file_size == size && h.stride == padded_stride(h.dim) && h.rows < 0xFFFFFFFFULL &&
      h.n_slots >= 16 && (h.n_slots & (h.n_slots - 1)) == 0 &&
      h.off_unit + h.rows * h.stride * 4 <= h.off_raw &&
      h.off_raw + h.rows * h.dim * 4 <= h.off_norms && h.off_norms + h.rows * 4 <= h.off_offsets &&
      h.off_offsets + (h.rows + 1) * 8 <= h.off_slots &&
      h.off_slots + h.n_slots * 4 <= h.off_blob && h.off_blob + h.blob_bytes == h.file_size;
  if (!sane) {
    why = "damaged index file (its sizes do not add up)";
    return std::nullopt;
  }
  if (!(file_fingerprint(model) == h.model)) {
    why = "stale: the model changed after the index was written";
    return std::nullopt;
  }
  const char* base = static_cast<const char*>(p);
  const auto* offsets = reinterpret_cast<const std::uint64_t*>(base + h.off_offsets);
  // Every word inside the blob (a damaged file must not make lookups read outside the map).
  bool ordered = offsets[0] == 0 && offsets[h.rows] == h.blob_bytes;
  for (std::size_t r = 0; r < h.rows && ordered; ++r) ordered = offsets[r] <= offsets[r + 1];
  if (!ordered) {
    why = "damaged index file (word table)";
    return std::nullopt;
  }
  IndexView v;
  v.rows = h.rows;
  v.dim = h.dim;
  v.stride = h.stride;
  v.unit = reinterpret_cast<const float*>(base + h.off_unit);
  v.raw = reinterpret_cast<const float*>(base + h.off_raw);
  v.norms = reinterpret_cast<const float*>(base + h.off_norms);
  v.words = WordTable(base + h.off_blob, offsets, h.rows,
                      reinterpret_cast<const std::uint32_t*>(base + h.off_slots), h.n_slots);
  h.format[sizeof h.format - 1] = '\0';
  v.format = std::string(h.format) + ", mapped index";
  v.keep = std::move(keep);
  return v;
}

}  // namespace w2v::query
