// Index files: an Index written once (`w2v index MODEL` writes MODEL.w2vi) and mapped with mmap
// by every later query, so a query command over a model of millions of words starts without
// parsing, normalising or allocating it: only the pages a query touches are read.
//
// Layout (little-endian, x86-64): a 4096-byte header, then 64-byte aligned arrays: the unit rows
// (rows x stride float32, zero padding), the rows as stored in the model (rows x dim), the
// norms, the word offsets (rows + 1 uint64), the hash slots (uint32, row + 1, 0 empty; FNV-1a
// with linear probing, see query/word_table.hpp) and the word bytes.
//
// Staleness: the header records the model's size, modification time (ns), inode and an FNV-1a
// hash of its first and last MiB. An index is used only when all of them match the model as it
// is now; size + mtime catch ordinary rewrites, the inode catches an atomic replacement (temp +
// rename, as w2v writes), and the hash catches a same-size rewrite whose mtime was kept or
// restored (cp -p, rsync -t, touch -r).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "query/index.hpp"

namespace w2v::query {

// What identifies a file as it is now: size, modification time (ns), inode and an FNV-1a hash of
// its first and last MiB.
struct FileFingerprint {
  std::uint64_t size = 0;
  std::int64_t mtime_sec = 0;
  std::int64_t mtime_nsec = 0;
  std::uint64_t inode = 0;
  std::uint64_t hash = 0;
  bool operator==(const FileFingerprint&) const = default;
};
// Throws w2v::Error when `path` cannot be read.
FileFingerprint file_fingerprint(const std::string& path);

// Where the index of `model` lives: "<model>.w2vi".
std::string index_path_for(const std::string& model);

// Writes `index` (built from `model`) to `out` atomically.
void write_index(const Index& index, const std::string& model, const std::string& out);

// Maps `index_path` if it is an index of `model` as the model is now. Returns nullopt when
// there is no such file (`why` empty) or when it cannot be used (`why` says why: stale, damaged,
// another version).
std::optional<IndexView> open_index(const std::string& index_path, const std::string& model,
                                    std::string& why);

}  // namespace w2v::query
