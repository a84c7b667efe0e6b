#include "query/ann.hpp"

#include <fcntl.h>
#include <omp.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
// hnswlib 0.6.2's SSE prefetches read one link past the end of a full link list (outside its
// allocation: AddressSanitizer reports it); without them it reads only what it owns. Its SIMD
// distances are not used here (RowSpace has its own).
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>
#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "io/atomic_file.hpp"
#include "query/index_file.hpp"
#include "query/scoring.hpp"
#include "util/error.hpp"
#include "util/isa.hpp"
#include "util/stop.hpp"

namespace w2v::query {
namespace {

constexpr char kMagic[8] = {'W', '2', 'V', 'H', 'N', 'S', 'W', '1'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 4096;
constexpr std::size_t kProgressRows = 100000;  // bigger graphs log each tenth done

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t dim;
  FileFingerprint index;
  std::uint64_t rows, stride, m, max_m0, ef_construction, bytes_per_element;
  std::int64_t max_level;
  std::uint64_t entry_point;
  std::uint64_t links_bytes;  // after the level-0 block: per row a uint32 count + its links
};
static_assert(sizeof(Header) <= kHeaderBytes);

using v4 = float __attribute__((vector_size(16)));
using v8 = float __attribute__((vector_size(32)));

// Dot products for the graph's distances: one pair at a time with independent accumulators
// (the tile kernel's single-pair path is one dependent chain). `n` is a multiple of 16.
float dot_sse2(const float* a, const float* b, std::size_t n) {
  v4 acc[4] = {};
  for (std::size_t d = 0; d < n; d += 16) {
    for (int j = 0; j < 4; ++j) {
      v4 x, y;
      std::memcpy(&x, a + d + 4 * j, sizeof x);
      std::memcpy(&y, b + d + 4 * j, sizeof y);
      acc[j] += x * y;
    }
  }
  const v4 s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  return (s[0] + s[1]) + (s[2] + s[3]);
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, std::size_t n) {
  v8 acc[2] = {};
  for (std::size_t d = 0; d < n; d += 16) {
    for (int j = 0; j < 2; ++j) {
      v8 x, y;
      std::memcpy(&x, a + d + 8 * j, sizeof x);
      std::memcpy(&y, b + d + 8 * j, sizeof y);
      acc[j] += x * y;
    }
  }
  const v8 s = acc[0] + acc[1];
  float t = 0;
  for (int l = 0; l < 8; ++l) t += s[l];
  return t;
}

// hnswlib's "space": a point is a uint32 row id; while searching, the first operand is the
// query's unit vector instead (hnswlib passes the query only as the first operand).
struct RowSpace final : hnswlib::SpaceInterface<float> {
  const float* unit = nullptr;
  std::size_t stride = 0;
  Isa isa = Isa::kScalar;
  bool query_is_vector = false;

  std::size_t get_data_size() override { return sizeof(std::uint32_t); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return this; }

  const float* row(const void* id) const {
    std::uint32_t r = 0;
    std::memcpy(&r, id, sizeof r);
    return unit + static_cast<std::size_t>(r) * stride;
  }
  static float distance(const void* a, const void* b, const void* param) {
    const auto* s = static_cast<const RowSpace*>(param);
    const float* x = s->query_is_vector ? static_cast<const float*>(a) : s->row(a);
    const float dot = s->isa == Isa::kScalar ? dot_sse2(x, s->row(b), s->stride)
                                             : dot_avx2(x, s->row(b), s->stride);
    return 1.0f - dot;
  }
};

using Hnsw = hnswlib::HierarchicalNSW<float>;

int thread_count(int threads) {
  return threads > 0 ? threads : omp_get_max_threads();
}

}  // namespace

struct AnnGraph::Impl {
  const Index* index = nullptr;
  RowSpace space;
  std::unique_ptr<Hnsw> hnsw;
  // A graph opened from its file: hnswlib's level-0 block and upper-level lists lie in `map`.
  char* map = nullptr;
  std::size_t map_bytes = 0;
  std::vector<char*> upper;  // per row, its upper-level lists in `map` (or nullptr)
  bool adopted = false;      // hnswlib's arrays point into `map` and `upper`

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (hnsw && adopted) {
      // not hnswlib's to free
      hnsw->data_level0_memory_ = nullptr;
      hnsw->linkLists_ = nullptr;
      hnsw->cur_element_count = 0;
    }
    hnsw.reset();
    if (map != nullptr) ::munmap(map, map_bytes);
  }
};

std::string ann_path_for(const std::string& index_path) {
  return index_path + ".hnsw";
}

AnnGraph::AnnGraph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AnnGraph::AnnGraph(AnnGraph&&) noexcept = default;
AnnGraph& AnnGraph::operator=(AnnGraph&&) noexcept = default;
AnnGraph::~AnnGraph() = default;

std::size_t AnnGraph::m() const {
  return impl_->hnsw->M_;
}
std::size_t AnnGraph::ef_construction() const {
  return impl_->hnsw->ef_construction_;
}

AnnGraph AnnGraph::build(const Index& index, const AnnOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->index = &index;
  impl->space.unit = index.unit_data();
  impl->space.stride = index.stride();
  impl->space.isa = best_isa();
  const std::size_t rows = std::max<std::size_t>(index.size(), 1);
  impl->hnsw =
      std::make_unique<Hnsw>(&impl->space, rows, options.m, options.ef_construction, options.seed);
  const std::size_t n = index.size();
  std::vector<std::uint32_t> ids(n);
  for (std::size_t r = 0; r < n; ++r) ids[r] = static_cast<std::uint32_t>(r);
  if (n > 0) impl->hnsw->addPoint(ids.data(), 0);
  std::atomic<std::size_t> done{1};
  std::atomic<bool> stopped{false};
  const std::size_t step = std::max<std::size_t>(n / 10, 1);
  const auto n_signed = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(dynamic, 64) num_threads(thread_count(options.threads))
  for (std::int64_t r = 1; r < n_signed; ++r) {
    if (stopped.load(std::memory_order_relaxed)) continue;
    if (stop_requested() != 0) {
      stopped.store(true);
      continue;
    }
    impl->hnsw->addPoint(&ids[static_cast<std::size_t>(r)], static_cast<hnswlib::labeltype>(r));
    const std::size_t d = done.fetch_add(1, std::memory_order_relaxed) + 1;
    if (d % step == 0 && n >= kProgressRows) spdlog::info("graph: {} of {} rows", d, n);
  }
  throw_if_stopped();
  impl->space.query_is_vector = true;
  return AnnGraph(std::move(impl));
}

void AnnGraph::write(const std::string& path, const std::string& index_path) const {
  if (impl_->adopted) throw std::logic_error("AnnGraph::write: only a graph just built is written");
  const Hnsw& g = *impl_->hnsw;
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.dim = static_cast<std::uint32_t>(impl_->index->dim());
  h.index = file_fingerprint(index_path);
  h.rows = g.cur_element_count;
  h.stride = impl_->index->stride();
  h.m = g.M_;
  h.max_m0 = g.maxM0_;
  h.ef_construction = g.ef_construction_;
  h.bytes_per_element = g.size_data_per_element_;
  h.max_level = g.maxlevel_;
  h.entry_point = g.enterpoint_node_;
  for (std::size_t i = 0; i < h.rows; ++i) {
    h.links_bytes +=
        4 + (g.element_levels_[i] > 0
                 ? g.size_links_per_element_ * static_cast<std::size_t>(g.element_levels_[i])
                 : 0);
  }
  io::AtomicFile file(path);
  std::vector<char> head(kHeaderBytes, 0);
  std::memcpy(head.data(), &h, sizeof h);
  file.write(head.data(), head.size());
  file.write(g.data_level0_memory_, h.rows * h.bytes_per_element);
  for (std::size_t i = 0; i < h.rows; ++i) {
    const auto bytes = static_cast<std::uint32_t>(
        g.element_levels_[i] > 0
            ? g.size_links_per_element_ * static_cast<std::size_t>(g.element_levels_[i])
            : 0);
    file.write(&bytes, sizeof bytes);
    if (bytes > 0) file.write(g.linkLists_[i], bytes);
  }
  file.commit();
}

AnnGraph AnnGraph::open(const std::string& path, const std::string& index_path, const Index& index,
                        const std::string& model) {
  const std::string rebuild = fmt::format("build it with: w2v index {} --ann", model);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(fmt::format("{}: no ANN graph for {} ({}); {}", path, model, errno_message(errno),
                            rebuild));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::size_t>(st.st_size) < kHeaderBytes) {
    ::close(fd);
    throw Error(fmt::format("{}: not an ANN graph (too short); {}", path, rebuild));
  }
  // Mapped, not read: a query touches only the rows its search visits, and opening a 3M-row
  // graph costs the one validating pass below instead of copying 430 MB (BENCHMARKS.md).
  const auto size = static_cast<std::size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    throw Error(fmt::format("{}: cannot map: {}; {}", path, errno_message(errno), rebuild));
  }
  auto impl = std::make_unique<Impl>();
  impl->map = static_cast<char*>(p);
  impl->map_bytes = size;
  const char* file = impl->map;
  Header h{};
  std::memcpy(&h, file, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.version != kVersion) {
    throw Error(fmt::format("{}: not an ANN graph of this w2v version; {}", path, rebuild));
  }
  if (!(h.index == file_fingerprint(index_path))) {
    throw Error(fmt::format(
        "{}: stale ANN graph: it was built over another index than {} (the model or its "
        "index changed since); {}",
        path, index_path, rebuild));
  }
  if (h.rows != index.size() || h.dim != index.dim() || h.stride != index.stride()) {
    throw Error(fmt::format("{}: ANN graph of {} rows x {} dims, the index has {} x {}; {}", path,
                            h.rows, h.dim, index.size(), index.dim(), rebuild));
  }
  impl->index = &index;
  impl->space.unit = index.unit_data();
  impl->space.stride = index.stride();
  impl->space.isa = best_isa();
  impl->space.query_is_vector = true;
  const std::string damaged = fmt::format("{}: damaged ANN graph; {}", path, rebuild);
  if (h.m < 2 || h.m > 10000 || h.max_m0 != 2 * h.m || h.rows > INT_MAX) {
    throw Error(damaged);
  }
  // A one-element graph with hnswlib's sizes for these parameters, then pointed at the mapping:
  // constructing it for all rows would allocate (and zero) a mutex and a level per row that a
  // search never uses.
  impl->hnsw = std::make_unique<Hnsw>(&impl->space, 1, h.m, h.ef_construction);
  Hnsw& g = *impl->hnsw;
  if (h.rows == 0) return AnnGraph(std::move(impl));  // an empty model: searches find nothing
  const std::size_t bpe = g.size_data_per_element_;
  const std::size_t per_level = g.size_links_per_element_;
  if (bpe != h.bytes_per_element || h.entry_point >= h.rows || h.max_level < 0 ||
      h.max_level > 64 || (size - kHeaderBytes) / bpe < h.rows) {
    throw Error(damaged);
  }
  const std::size_t rows = h.rows;
  // Every link inside the graph, so a damaged file cannot make a search read outside it.
  // (A max over the links, which GCC vectorises: this pass is most of the time to open a graph.)
  const auto valid_list = [limit = static_cast<std::uint32_t>(rows)](const char* list,
                                                                     std::size_t max_links) {
    std::uint32_t count = 0;
    std::memcpy(&count, list, 4);
    if (count > max_links) return false;
    std::uint32_t top = 0;
    for (std::uint32_t j = 0; j < count; ++j) {
      std::uint32_t id = 0;
      std::memcpy(&id, list + 4 + 4 * static_cast<std::size_t>(j), 4);
      top = std::max(top, id);
    }
    return count == 0 || top < limit;
  };
  const char* level0 = file + kHeaderBytes;
  for (std::size_t i = 0; i < rows; ++i) {
    const char* element = level0 + i * bpe;
    std::uint32_t id = 0;
    std::memcpy(&id, element + g.offsetData_, 4);
    hnswlib::labeltype label = 0;
    std::memcpy(&label, element + g.label_offset_, sizeof label);
    if (!valid_list(element, g.maxM0_) || id >= rows || label != id) throw Error(damaged);
  }
  // The upper levels: per row a uint32 byte count and its lists, pointed at where they lie.
  impl->upper.assign(rows, nullptr);
  std::vector<std::uint8_t> levels(rows, 0);
  std::size_t at = kHeaderBytes + rows * bpe;
  for (std::size_t i = 0; i < rows; ++i) {
    std::uint32_t bytes = 0;
    if (size - at < 4) throw Error(damaged);
    std::memcpy(&bytes, file + at, 4);
    at += 4;
    if (bytes % per_level != 0 || bytes / per_level > static_cast<std::size_t>(h.max_level) ||
        size - at < bytes) {
      throw Error(damaged);
    }
    levels[i] = static_cast<std::uint8_t>(bytes / per_level);
    if (bytes > 0) impl->upper[i] = impl->map + at;
    at += bytes;
  }
  if (at != size || levels[h.entry_point] != h.max_level) throw Error(damaged);
  // A link on level l must lead to a row that has level l: the search reads that row's list
  // of level l next. Level 1 is checked in a bitmap of the rows above level 0 (3M rows: 375 kB,
  // held in L2, where the byte per row would not be).
  std::vector<std::uint64_t> upper_rows((rows + 63) / 64, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    if (levels[i] > 0) upper_rows[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t l = 1; l <= levels[i]; ++l) {
      const char* list = impl->upper[i] + (l - 1) * per_level;
      if (!valid_list(list, g.maxM_)) throw Error(damaged);
      std::uint32_t count = 0;
      std::memcpy(&count, list, 4);
      std::uint64_t missing = 0;
      for (std::uint32_t j = 0; j < count; ++j) {
        std::uint32_t id = 0;
        std::memcpy(&id, list + 4 + 4 * static_cast<std::size_t>(j), 4);
        if (l == 1) {
          missing |= ~upper_rows[id / 64] & (std::uint64_t{1} << (id % 64));
        } else {
          missing |= static_cast<std::uint64_t>(levels[id] < l);
        }
      }
      if (missing != 0) throw Error(damaged);
    }
  }
  // hnswlib's arrays now point into the mapping; ~Impl takes them back before hnswlib's
  // destructor would free them.
  auto* visited = new hnswlib::VisitedListPool(1, static_cast<int>(rows));
  std::free(g.data_level0_memory_);
  std::free(static_cast<void*>(g.linkLists_));
  delete g.visited_list_pool_;
  g.data_level0_memory_ = impl->map + kHeaderBytes;
  g.linkLists_ = impl->upper.data();
  g.visited_list_pool_ = visited;
  impl->adopted = true;
  g.max_elements_ = rows;
  g.cur_element_count = rows;
  g.maxlevel_ = static_cast<int>(h.max_level);
  g.enterpoint_node_ = static_cast<hnswlib::tableint>(h.entry_point);
  return AnnGraph(std::move(impl));
}

std::vector<Neighbours> AnnGraph::search(const float* targets, std::size_t n_queries,
                                         const std::vector<std::vector<std::uint32_t>>& exclude,
                                         std::size_t k, std::size_t ef, int threads) const {
  const Index& index = *impl_->index;
  const std::size_t stride = index.stride();
  std::vector<Neighbours> out(n_queries);
  const std::size_t rows = index.size();
  Hnsw& g = *impl_->hnsw;
  g.setEf(ef);
  const auto n = static_cast<std::int64_t>(n_queries);
  const Isa isa = impl_->space.isa;
#pragma omp parallel for schedule(dynamic, 1) num_threads(thread_count(threads))
  for (std::int64_t q = 0; q < n; ++q) {
    const auto qi = static_cast<std::size_t>(q);
    const float* target = targets + qi * stride;
    const std::vector<std::uint32_t>& skip = exclude[qi];
    const std::size_t want = std::min(rows, k + skip.size());
    auto found = g.searchKnn(target, want);
    TopK top(k, &index.words());
    while (!found.empty()) {
      const auto id = static_cast<std::uint32_t>(found.top().second);
      found.pop();
      if (std::find(skip.begin(), skip.end(), id) != skip.end()) continue;
      float score = 0;
      dot_tile(isa, index.unit(id), 1, target, 1, stride, &score, 1);
      top.push(id, score);
    }
    out[qi] = top.take_sorted();
  }
  return out;
}

}  // namespace w2v::query
