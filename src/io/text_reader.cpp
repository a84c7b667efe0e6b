#include "io/text_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::io {

void check_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw Error("no input given", kExitUsage);
  int stdin_count = 0;
  for (const auto& p : paths) {
    if (p == "-") {
      if (++stdin_count > 1) throw Error("stdin ('-') given more than once", kExitUsage);
      continue;
    }
    if (p.empty()) throw Error("an input path is empty", kExitUsage);
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      throw Error(fmt::format("{}: cannot open input: {}", p, errno_message(errno)));
    }
    if (S_ISDIR(st.st_mode)) throw Error(fmt::format("{}: is a directory, not a text file", p));
    if (S_ISREG(st.st_mode)) {
      // Opening is the only reliable test (access() ignores ACLs, and says yes to root).
      const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw Error(fmt::format("{}: cannot read input: {}", p, errno_message(errno)));
      ::close(fd);
    } else if (::access(p.c_str(), R_OK) != 0) {
      // A pipe or FIFO (<(zcat ...)): opening it here could block or steal data.
      throw Error(fmt::format("{}: cannot read input: {}", p, errno_message(errno)));
    }
  }
}

TextReader::TextReader(std::vector<std::string> paths, std::size_t block_bytes)
    : paths_(std::move(paths)), block_bytes_(std::max<std::size_t>(block_bytes, 64)) {}

TextReader::~TextReader() {
  close_current();
}

void TextReader::close_current() noexcept {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
  gz_ = nullptr;
  opened_ = false;
}

std::string TextReader::display_name(std::size_t i) const {
  return paths_[i] == "-" ? std::string("stdin") : paths_[i];
}

bool TextReader::open_next() {
  if (current_ >= paths_.size()) return false;
  const std::string& p = paths_[current_];
  errno = 0;
  gzFile f = nullptr;
  if (p == "-") {
    const int fd = ::dup(STDIN_FILENO);
    if (fd >= 0) {
      f = gzdopen(fd, "rb");
      if (f == nullptr) ::close(fd);
    }
  } else {
    f = gzopen(p.c_str(), "rb");
  }
  if (f == nullptr) {
    throw Error(fmt::format("{}: cannot open input: {}", display_name(current_),
                            errno != 0 ? errno_message(errno) : std::string("out of memory")));
  }
  gzbuffer(f, 1 << 18);
  gz_ = f;
  opened_ = true;
  eof_ = false;
  line_ = 1;
  file_bytes_ = 0;
  mid_line_ = false;
  return true;
}

void TextReader::inspect(std::size_t from, std::size_t n) {
  if (n == 0) return;
  const char* data = pending_.data() + from;
  // file_bytes_ counts the bytes before these n.
  if (file_bytes_ < 4) {
    // A byte order mark of UTF-16 or UTF-32 (the NUL test below would say "binary").
    const std::size_t have = std::min<std::size_t>(pending_.size(), 4);
    const auto* b = reinterpret_cast<const unsigned char*>(pending_.data());
    const bool utf16 =
        have >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
    if (utf16) {
      throw Error(fmt::format(
          "{}: this is UTF-16 or UTF-32 text (it starts with a byte order mark); w2v reads UTF-8: "
          "convert it first, e.g. iconv -f UTF-16 -t UTF-8",
          display_name(current_)));
    }
  }
  std::size_t i = 0;
  if (file_bytes_ < kSniffBytes) {
    const std::size_t sniff = std::min<std::size_t>(n, kSniffBytes - file_bytes_);
    if (const void* z = std::memchr(data, '\0', sniff); z != nullptr) {
      const auto at = file_bytes_ + static_cast<std::size_t>(static_cast<const char*>(z) - data);
      throw Error(fmt::format(
          "{}: looks like binary data, not text (NUL byte at offset {}); w2v train reads UTF-8 "
          "text, plain or gzip-compressed",
          display_name(current_), at));
    }
    i = sniff;
  }
  while (i < n) {
    const void* z = std::memchr(data + i, '\0', n - i);
    if (z == nullptr) break;
    ++stats_.nul_bytes;
    i = static_cast<std::size_t>(static_cast<const char*>(z) - data) + 1;
  }
}

std::size_t TextReader::fill() {
  auto* f = static_cast<gzFile>(gz_);
  const std::size_t old = pending_.size();
  const std::size_t want = block_bytes_;
  pending_.resize(old + want);
  errno = 0;
  const int n = gzread(f, pending_.data() + old, static_cast<unsigned>(want));
  // SIGINT / SIGTERM interrupt a blocking read (stdin, a pipe): stop as asked. (Retrying is not
  // an option: zlib drops what it had already delivered when a read fails.)
  if (n < 0 && errno == EINTR) throw_if_stopped();
  if (n < 0) {
    int errnum = 0;
    const char* msg = gzerror(f, &errnum);
    const int err = errno;
    pending_.resize(old);
    if (errnum == Z_ERRNO) {
      throw Error(fmt::format("{}: read error: {}", display_name(current_), errno_message(err)));
    }
    if (errnum == Z_MEM_ERROR)
      throw Error(fmt::format("{}: out of memory", display_name(current_)));
    // Z_DATA_ERROR: corrupt deflate data, a bad CRC or length in the trailer.
    std::string why = msg != nullptr ? msg : "";
    if (const auto colon = why.rfind(": "); colon != std::string::npos) why.erase(0, colon + 2);
    throw Error(fmt::format("{}: damaged .gz data after {} bytes of text ({})",
                            display_name(current_), file_bytes_, why));
  }
  pending_.resize(old + static_cast<std::size_t>(n));
  inspect(old, static_cast<std::size_t>(n));
  file_bytes_ += static_cast<std::uint64_t>(n);
  stats_.bytes += static_cast<std::uint64_t>(n);
  if (n == 0) {
    int errnum = 0;
    gzerror(f, &errnum);
    // zlib reports a gzip stream cut short as Z_BUF_ERROR ("unexpected end of file") and returns
    // what it could decompress; the end of the data is then a clean 0.
    if (errnum == Z_BUF_ERROR) {
      throw Error(fmt::format(
          "{}: compressed data ends early after {} bytes of text: the .gz file is truncated "
          "or damaged",
          display_name(current_), file_bytes_));
    }
    if (errnum != Z_OK && errnum != Z_STREAM_END) {
      throw Error(fmt::format("{}: read error (zlib code {})", display_name(current_), errnum));
    }
    eof_ = true;
  }
  return static_cast<std::size_t>(n);
}

bool TextReader::next(TextBlock& block) {
  block.text.clear();
  block.continues = false;
  for (;;) {
    if (!opened_) {
      if (!open_next()) return false;
    }
    while (!eof_ && pending_.size() < block_bytes_) fill();
    if (pending_.empty() && eof_) {
      close_current();
      ++current_;
      continue;
    }
    block.file_index = current_;
    block.first_line = line_;
    // Cut at the last newline within the block size; keep the rest pending.
    const std::size_t limit = std::min(pending_.size(), block_bytes_);
    const char* base = pending_.data();
    std::size_t cut = 0;
    bool continues = false;
    const char* nl = nullptr;
    for (std::size_t i = limit; i > 0; --i) {
      if (base[i - 1] == '\n') {
        nl = base + i - 1;
        break;
      }
    }
    if (nl != nullptr) {
      cut = static_cast<std::size_t>(nl - base) + 1;
    } else if (eof_ && pending_.size() <= block_bytes_) {
      cut = pending_.size();  // the input's last line, without a final newline
    } else {
      // One line longer than a block: hand out a piece, split at a space when there is one.
      cut = limit;
      for (std::size_t i = limit; i > limit / 2; --i) {
        const char c = base[i - 1];
        if (c == ' ' || c == '\t') {
          cut = i;
          break;
        }
      }
      // Never split inside a UTF-8 character: back up over at most three continuation bytes
      // (more cannot belong to one character; binary junk must not shrink the piece to nothing).
      for (int k = 0; k < 3 && cut > 1 && cut < pending_.size() &&
                      (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80;
           ++k) {
        --cut;
      }
      continues = true;
    }
    block.text.assign(base, cut);
    pending_.erase(0, cut);
    block.continues = continues;
    const auto lines =
        static_cast<std::uint64_t>(std::count(block.text.begin(), block.text.end(), '\n'));
    line_ += lines;
    stats_.lines += lines;
    if (continues) {
      // Count a long line once, at its first piece.
      if (!mid_line_) ++stats_.split_lines;
      mid_line_ = true;
    } else {
      if (block.text.back() != '\n') ++stats_.lines;  // the final line without a newline
      mid_line_ = false;
    }
    return true;
  }
}

}  // namespace w2v::io
