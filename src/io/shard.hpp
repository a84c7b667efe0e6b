// Splitting the inputs among MPI ranks by bytes, so that each rank reads only its share.
//
// All regular files form one stream, in the given order, of total size W (gzip files count with
// their compressed size, FIFOs with their size on disk, stdin with 0). Rank r of R owns the
// stream bytes [W*r/R, W*(r+1)/R).
//  * In a plain file a line belongs to the rank whose range holds the line's first byte:
//    together the ranks read every line exactly once.
//  * A gzip file (by its magic bytes) can only be cut where a member starts (io/gzip_members.hpp):
//    a rank reads the members that start in its range (the first member: if the file starts
//    there), and a line belongs to the rank that reads the member holding its first byte. A
//    file of one member (what gzip(1) and pigz write) is read whole by the rank holding its first
//    byte; one of many members (`cat a.gz b.gz`, bgzip) is split about evenly.
//  * FIFOs and "-" cannot be split: each is read whole by the rank whose range holds the midpoint
//    of the file's span (a point at or past the end of the stream belongs to the last rank).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace w2v::io {

inline constexpr std::uint64_t kToEnd = UINT64_MAX;

// One input, or a byte range of it. TextReader hands out the lines whose first byte lies in
// [begin, end).
struct InputPart {
  std::string path;            // "-" for stdin
  std::uint64_t begin = 0;     // byte offset in the file
  std::uint64_t end = kToEnd;  // exclusive
};

// floor(total * rank / ranks) without overflow: where rank `rank`'s range of the stream starts.
std::uint64_t shard_boundary(std::uint64_t total, int rank, int ranks);

// The parts of `paths` that rank `rank` of `ranks` reads, in input order. Parts of size 0 are
// left out; a part that runs to the end of its file has end == kToEnd; a part of a gzip file
// begins and ends at member starts (compressed offsets). ranks == 1 gives every path whole,
// without reading any. FIFOs and "-" are never opened. Throws w2v::Error naming the file if it
// cannot be stat'ed or opened, and w2v::Error (kExitUsage) if rank is not in [0, ranks).
std::vector<InputPart> plan_shard(const std::vector<std::string>& paths, int rank, int ranks);

// The bytes of the files these parts cover (compressed bytes for .gz), or 0 when one of them is
// not a regular file (stdin, a FIFO): its size is unknown. Never throws.
std::uint64_t total_bytes(const std::vector<InputPart>& parts);

}  // namespace w2v::io
