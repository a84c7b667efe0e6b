#include "io/gzip_members.hpp"

#include <isa-l/igzip_lib.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "util/error.hpp"

namespace w2v::io {

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;

// Reads up to n bytes at offset `at`; fewer only at the end of the file.
std::size_t read_at(const GzipFile& f, unsigned char* dst, std::size_t n, std::uint64_t at) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(f.fd, dst + got, n - got, static_cast<off_t>(at + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      throw Error(
          fmt::format("{}: read error at byte {}: {}", f.name, at + got, errno_message(errno)));
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

// gzip's magic, deflate, and no reserved flag bits (RFC 1952, 2.3.1).
bool header_at(const unsigned char* p) {
  return p[0] == 0x1F && p[1] == 0x8B && p[2] == 8 && (p[3] & 0xE0) == 0;
}

bool header_at(const GzipFile& f, std::uint64_t at) {
  unsigned char h[4];
  return read_at(f, h, 4, at) == 4 && header_at(h);
}

struct Inflated {
  enum Status { kEnded, kEnough, kBad, kShort } status = kBad;
  std::uint64_t end = 0;   // kEnded: the offset just past the member
  std::uint64_t text = 0;  // bytes of text inflated
  char last = 0;           // the last of them, when text > 0
};

// Inflates one member from `at`, reading no byte at or past `limit`. kEnough: `enough` bytes of
// text (0: no such stop) came out without an error. kShort: the input ran out at `limit` first.
Inflated inflate_one(const GzipFile& f, std::uint64_t at, std::uint64_t limit,
                     std::uint64_t enough) {
  auto st = std::make_unique<inflate_state>();
  isal_inflate_init(st.get());
  st->crc_flag = ISAL_GZIP;
  std::vector<unsigned char> in(std::size_t{1} << 16);
  std::vector<unsigned char> out(std::size_t{1} << 16);
  Inflated r;
  std::uint64_t pos = at;  // the offset of the next byte to read
  for (;;) {
    if (st->avail_in == 0 && pos < limit) {
      const std::size_t n =
          read_at(f, in.data(),
                  static_cast<std::size_t>(std::min<std::uint64_t>(in.size(), limit - pos)), pos);
      pos += n;
      if (n == 0) limit = pos;  // the end of the file
      st->next_in = in.data();
      st->avail_in = static_cast<std::uint32_t>(n);
    }
    const std::uint32_t avail_before = st->avail_in;
    st->next_out = out.data();
    st->avail_out = static_cast<std::uint32_t>(out.size());
    const int ret = isal_inflate(st.get());
    const std::size_t got = out.size() - st->avail_out;
    if (got > 0) {
      r.text += got;
      r.last = static_cast<char>(out[got - 1]);
    }
    if (ret < 0 || ret == ISAL_NEED_DICT) {
      r.status = Inflated::kBad;
      return r;
    }
    if (st->block_state == ISAL_BLOCK_FINISH) {
      r.status = Inflated::kEnded;
      r.end = pos - st->avail_in;
      return r;
    }
    if (enough > 0 && r.text >= enough) {
      r.status = Inflated::kEnough;
      return r;
    }
    if (got == 0 && st->avail_in == avail_before && (st->avail_in > 0 || pos >= limit)) {
      // No progress: out of input at `limit`, or stuck on what it has.
      r.status = st->avail_in > 0 ? Inflated::kBad : Inflated::kShort;
      return r;
    }
  }
}

// Whether a member starts at `at`, a quick test: its header is there and it inflates without
// error for kConfirmBytes of text, or to its end followed by the end of the file or another
// header.
bool plausible(const GzipFile& f, std::uint64_t at) {
  const Inflated r = inflate_one(f, at, f.size, kConfirmBytes);
  if (r.status == Inflated::kEnough) return true;
  if (r.status != Inflated::kEnded) return false;
  return r.end == f.size || header_at(f, r.end);
}

// The member that ends exactly at `start` (> 0): sets `found` to where it starts and `member` to
// what it inflated to. Tries the candidates before `start` nearest first, and passes over one
// that fails to inflate (a chance 1F 8B 08), runs on to `start` without ending (the member that
// holds a false `start`), or ends elsewhere (a gzip file stored inside a member); false when
// none is left. The real member before a real start is the nearest that can end there.
bool member_ending_at(const GzipFile& f, std::uint64_t start, std::vector<unsigned char>& buf,
                      std::uint64_t& found, Inflated& member) {
  std::uint64_t hi = start;  // candidates below this are still to try
  while (hi > 0) {
    const std::uint64_t base = hi > kChunk ? hi - kChunk : 0;
    const std::size_t n = read_at(
        f, buf.data(),
        static_cast<std::size_t>(std::min<std::uint64_t>(hi - base + 3, f.size - base)), base);
    for (std::size_t i = static_cast<std::size_t>(hi - base); i-- > 0;) {
      if (buf[i] != 0x1F || i + 4 > n || !header_at(buf.data() + i)) continue;
      member = inflate_one(f, base + i, start, 0);
      if (member.status != Inflated::kEnded || member.end != start) continue;
      found = base + i;
      return true;
    }
    hi = base;
  }
  return false;
}

}  // namespace

std::uint64_t find_member_start(const GzipFile& f, std::uint64_t from, std::uint64_t to) {
  to = std::min(to, f.size);
  std::vector<unsigned char> buf(kChunk + 3);
  std::vector<unsigned char> back(kChunk + 3);
  for (std::uint64_t base = from; base < to; base += kChunk) {
    // Three bytes more than the chunk, for a header that starts at its end.
    const std::size_t n =
        read_at(f, buf.data(),
                static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), f.size - base)), base);
    const auto scan = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, to - base));
    std::size_t i = 0;
    while (i < scan) {
      const void* hit = std::memchr(buf.data() + i, 0x1F, scan - i);
      if (hit == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - buf.data());
      const std::uint64_t c = base + i;
      std::uint64_t found = 0;
      Inflated member;
      if (i + 4 <= n && header_at(buf.data() + i) && plausible(f, c) &&
          (c == 0 || member_ending_at(f, c, back, found, member))) {
        return c;
      }
      ++i;
    }
  }
  return to;
}

TextBefore text_before(const GzipFile& f, std::uint64_t start) {
  std::vector<unsigned char> buf(kChunk + 3);
  for (;;) {  // once per member before `start`, back to one that holds text
    std::uint64_t found = 0;
    Inflated member;
    if (!member_ending_at(f, start, buf, found, member)) {
      throw Error(
          fmt::format("{}: no gzip member ends at byte {}, so the file cannot be split between "
                      "MPI ranks there (is it damaged?)",
                      f.name, start));
    }
    if (member.text > 0) return TextBefore{true, member.last};
    if (found == 0) return TextBefore{};
    start = found;  // an empty member: look further back
  }
}

}  // namespace w2v::io
