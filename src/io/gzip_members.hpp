// Where the members of a multi-member gzip file start (`cat a.gz b.gz`, bgzip, `split` then
// gzip then cat), found without inflating the whole file, so that MPI ranks can split such a
// file between them (io/shard.hpp).
//
// A candidate is a header (1F 8B 08, no reserved flag bits). Compressed data holds those bytes
// by chance about once in 16 MB, and a stored block can hold a whole gzip file verbatim, so a
// candidate counts as a member start only when (1) it inflates without error for kConfirmBytes
// of text, or to its end followed by the end of the file or another header (a quick test that
// chance candidates fail within a few bytes: a back-reference before the start of the output or
// an invalid code), and (2) the member before it, inflated, ends exactly there with its CRC-32
// and length right. The cost: inflating one member per cut, besides the scan for candidates.
#pragma once

#include <cstdint>
#include <string>

namespace w2v::io {

// How much text a candidate member must inflate without error to count as a member start.
inline constexpr std::uint64_t kConfirmBytes = 1 << 18;

// An open regular file, read with pread (its offset is not moved).
struct GzipFile {
  int fd = -1;
  std::string name;  // for messages
  std::uint64_t size = 0;
};

// The offset of the first member start in [from, to), or `to` if there is none. Throws
// w2v::Error naming the file on a read error.
std::uint64_t find_member_start(const GzipFile& f, std::uint64_t from, std::uint64_t to);

// What comes before the member that starts at `start` (> 0): the last byte of text of the
// members before it, if any of them holds text. Inflates the member(s) that end at `start`,
// back to the first that holds text. Throws w2v::Error naming the file if no member ends
// exactly at `start` (it is not a member start).
struct TextBefore {
  bool any = false;  // false: the members before `start` hold no text
  char last = '\n';
};
TextBefore text_before(const GzipFile& f, std::uint64_t start);

}  // namespace w2v::io
