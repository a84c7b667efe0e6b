// Approximate nearest neighbours: an HNSW graph (hnswlib, Debian's libhnswlib-dev) over the unit
// rows of an Index, built once by `w2v index MODEL --ann` and stored beside the index file as
// "<index>.hnsw"; `w2v nearest --ann` searches it instead of scoring every row.
//
// The graph holds row ids, not copies of the vectors: hnswlib's distance function reads the unit
// rows from the (mapped) index, so the graph file is about rows x (8 M + 16) bytes and the
// vectors are stored once. Distance = 1 - dot(unit rows); the answers are then scored with exact
// search's kernel (query/scoring), so a word found by both has the same score in both.
//
// Graph file (little-endian): a 4096-byte header (magic, version, the fingerprint of the index
// file it was built over, rows, dim, the HNSW parameters and sizes), hnswlib's level-0 block
// (rows x bytes_per_element), then per row a uint32 byte count and its upper-level links.
// Staleness: the graph is used only when the index file is, byte for byte in its fingerprint, the
// one it was built over (query/index_file.hpp's FileFingerprint: size, mtime, inode, hash), so a
// rebuilt index or a graph copied from another model is refused with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/index.hpp"
#include "query/topk.hpp"

namespace w2v::query {

struct AnnOptions {
  std::size_t m = 16;                 // links per node (2 M on level 0)
  std::size_t ef_construction = 200;  // candidate list while building
  int threads = 0;                    // 0: OpenMP's default
  std::uint64_t seed = 100;           // level assignment
};

// Where the graph of `index_path` lives: "<index_path>.hnsw".
std::string ann_path_for(const std::string& index_path);

class AnnGraph {
 public:
  // Builds the graph over every row of `index` (which must outlive the graph), in parallel.
  static AnnGraph build(const Index& index, const AnnOptions& options);
  // Maps `path`, the graph of `index_path`, for `index` (opened from that file), after one pass
  // that checks every link lies inside the graph. Throws
  // w2v::Error (exit 1) naming the file when it is missing, damaged, or stale (built over
  // another index file) with how to rebuild it.
  static AnnGraph open(const std::string& path, const std::string& index_path, const Index& index,
                       const std::string& model);

  AnnGraph(AnnGraph&&) noexcept;
  AnnGraph& operator=(AnnGraph&&) noexcept;
  ~AnnGraph();

  // Writes a graph just built atomically to `path`, bound to the index file `index_path`.
  void write(const std::string& path, const std::string& index_path) const;

  // The k best rows for each unit-length target (index.stride() floats, 64-byte aligned), best
  // first with exact ties broken by word, never a row in exclude[q]; `ef` (>= k) is the search
  // breadth. Queries run in parallel over `threads` (0: OpenMP's default).
  std::vector<Neighbours> search(const float* targets, std::size_t n_queries,
                                 const std::vector<std::vector<std::uint32_t>>& exclude,
                                 std::size_t k, std::size_t ef, int threads) const;

  std::size_t m() const;
  std::size_t ef_construction() const;

 private:
  struct Impl;
  explicit AnnGraph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace w2v::query
