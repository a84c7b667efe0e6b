#include "io/text_reader.hpp"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/gzip_members.hpp"
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

namespace {

std::vector<InputPart> whole(std::vector<std::string> paths) {
  std::vector<InputPart> parts;
  parts.reserve(paths.size());
  for (auto& p : paths) parts.push_back(InputPart{std::move(p)});
  return parts;
}

}  // namespace

TextReader::TextReader(std::vector<std::string> paths, std::size_t block_bytes)
    : TextReader(whole(std::move(paths)), block_bytes) {}

TextReader::TextReader(std::vector<InputPart> parts, std::size_t block_bytes)
    : parts_(std::move(parts)), block_bytes_(std::max<std::size_t>(block_bytes, 64)) {}

void TextReader::FreeInflateState::operator()(inflate_state* s) const noexcept {
  delete s;
}

TextReader::~TextReader() {
  close_current();
}

void TextReader::close_current() noexcept {
  inflate_.reset();
  if (fd_ >= 0 && close_fd_) ::close(fd_);
  fd_ = -1;
  opened_ = false;
  std::string().swap(in_);
  in_pos_ = 0;
}

std::string TextReader::display_name(std::size_t i) const {
  return parts_[i].path == "-" ? std::string("stdin") : parts_[i].path;
}

bool TextReader::open_next() {
  if (current_ >= parts_.size()) return false;
  const InputPart& part = parts_[current_];
  const std::string& p = part.path;
  if (p == "-") {
    fd_ = STDIN_FILENO;
    close_fd_ = false;
  } else {
    fd_ = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw Error(fmt::format("{}: cannot open input: {}", p, errno_message(errno)));
    }
    close_fd_ = true;
  }
  opened_ = true;
  mode_ = Mode::kUnknown;
  raw_eof_ = false;
  eof_ = false;
  line_ = 1;
  file_bytes_ = 0;
  mid_line_ = false;
  in_.clear();
  in_pos_ = 0;
  end_ = part.end;
  gz_end_ = kToEnd;
  raw_pos_ = 0;
  sniff_base_ = 0;
  last_byte_ = '\n';
  skipping_ = false;
  if (part.end <= part.begin) {
    eof_ = true;  // an empty range
  } else if (part.begin > 0) {
    // Start at byte begin-1 and drop the rest of its line, which the previous part hands out.
    const std::uint64_t at = part.begin - 1;
    if (at > static_cast<std::uint64_t>(INT64_MAX) ||
        ::lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0) {
      const int err = at > static_cast<std::uint64_t>(INT64_MAX) ? EOVERFLOW : errno;
      throw Error(fmt::format("{}: cannot seek to offset {}: {}", display_name(current_), at,
                              errno_message(err)));
    }
    unsigned char magic[2] = {0, 0};
    if (::pread(fd_, magic, 2, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B) {
      // A part of a gzip file, from a member start (io/shard.hpp): it starts inside a line if
      // the members before it end inside one, and drops the rest of that line.
      struct stat st {};
      if (::fstat(fd_, &st) != 0) {
        throw Error(
            fmt::format("{}: cannot read input: {}", display_name(current_), errno_message(errno)));
      }
      const TextBefore before =
          text_before(GzipFile{fd_, display_name(current_), static_cast<std::uint64_t>(st.st_size)},
                      part.begin);
      if (::lseek(fd_, static_cast<off_t>(part.begin), SEEK_SET) < 0) {
        throw Error(fmt::format("{}: cannot seek to offset {}: {}", display_name(current_),
                                part.begin, errno_message(errno)));
      }
      raw_pos_ = part.begin;
      skipping_ = before.any && before.last != '\n';
      sniff_base_ = kSniffBytes;  // its offset in the text is unknown, and not 0
      return true;
    }
    mode_ = Mode::kPlain;
    file_bytes_ = at;
    skipping_ = true;
  }
  return true;
}

std::size_t TextReader::read_raw(char* dst, std::size_t n) {
  for (;;) {
    // Wait in short steps so that a stop request is seen even on a silent pipe.
    pollfd pfd{fd_, POLLIN, 0};
    const int pr = ::poll(&pfd, 1, 100);
    throw_if_stopped();
    if (pr == 0 || (pr < 0 && errno == EINTR)) continue;
    const ssize_t got = ::read(fd_, dst, n);
    if (got >= 0) {
      raw_bytes_ += static_cast<std::uint64_t>(got);
      raw_pos_ += static_cast<std::uint64_t>(got);
      return static_cast<std::size_t>(got);
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    throw Error(fmt::format("{}: read error after {} bytes: {}", display_name(current_),
                            file_bytes_, errno_message(errno)));
  }
}

namespace {
const char* isal_error(int ret) {
  switch (ret) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "CRC-32 or length check failed";
    case ISAL_NEED_DICT:
      return "needs a preset dictionary";
    default:
      return "invalid data";
  }
}
}  // namespace

void TextReader::refill_compressed() {
  in_.resize(1 << 18);
  in_.resize(read_raw(in_.data(), in_.size()));
  in_pos_ = 0;
  raw_eof_ = in_.empty();
}

// Inflated with ISA-L's igzip (streaming, 3-4x zlib's speed on text; it picks its AVX2/AVX-512
// code at run time), which also checks each member's CRC-32 and length.
std::size_t TextReader::inflate_into(char* dst, std::size_t n) {
  inflate_state* st = inflate_.get();
  std::size_t produced = 0;
  while (produced < n) {
    if (in_pos_ == in_.size() && !raw_eof_) refill_compressed();
    st->next_in = reinterpret_cast<std::uint8_t*>(in_.data() + in_pos_);
    st->avail_in = static_cast<std::uint32_t>(in_.size() - in_pos_);
    const std::size_t room = std::min<std::size_t>(n - produced, std::uint32_t{1} << 30);
    st->next_out = reinterpret_cast<std::uint8_t*>(dst + produced);
    st->avail_out = static_cast<std::uint32_t>(room);
    const int ret = isal_inflate(st);
    in_pos_ = in_.size() - st->avail_in;
    const std::size_t got = room - st->avail_out;
    produced += got;
    if (ret < 0 || ret == ISAL_NEED_DICT) {
      throw Error(fmt::format("{}: damaged .gz data after {} bytes of text ({})",
                              display_name(current_), file_bytes_ + produced, isal_error(ret)));
    }
    if (st->block_state == ISAL_BLOCK_FINISH) {
      // End of one gzip member (its CRC checked): another may follow (as `cat a.gz b.gz`
      // makes).
      if (gz_end_ != kToEnd) {
        // A part of the file: its text ends where the member at gz_end_ starts (the line that
        // goes on there is still handed out, as in a plain part).
        const std::uint64_t member_end = raw_pos_ - (in_.size() - in_pos_);
        if (member_end > gz_end_) {
          throw Error(fmt::format(
              "{}: no gzip member starts at byte {} (one ends at byte {}), so the file cannot be "
              "split between MPI ranks there",
              display_name(current_), gz_end_, member_end));
        }
        if (member_end == gz_end_) {
          end_ = file_bytes_ + produced;
          gz_end_ = kToEnd;
        }
      }
      if (in_pos_ == in_.size() && !raw_eof_) refill_compressed();
      if (in_pos_ == in_.size()) {
        eof_ = true;
        return produced;
      }
      if (static_cast<unsigned char>(in_[in_pos_]) != 0x1F) {
        throw Error(fmt::format("{}: unexpected data after the end of the compressed data",
                                display_name(current_)));
      }
      isal_inflate_reset(st);
      st->crc_flag = ISAL_GZIP;
      continue;
    }
    if (got == 0 && in_pos_ == in_.size() && raw_eof_) {
      throw Error(fmt::format(
          "{}: compressed data ends early after {} bytes of text: the .gz file is truncated "
          "or damaged",
          display_name(current_), file_bytes_ + produced));
    }
  }
  return produced;
}

void TextReader::inspect(std::size_t from, std::size_t n, std::uint64_t at) {
  if (n == 0) return;
  const char* data = pending_.data() + from;
  if (at == 0 && n >= 2) {
    // A byte order mark of UTF-16 or UTF-32 (the NUL test below would say "binary").
    const auto* b = reinterpret_cast<const unsigned char*>(data);
    if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
      throw Error(fmt::format(
          "{}: this is UTF-16 or UTF-32 text (it starts with a byte order mark); w2v reads UTF-8: "
          "convert it first, e.g. iconv -f UTF-16 -t UTF-8",
          display_name(current_)));
    }
  }
  std::size_t i = 0;
  if (at < kSniffBytes) {
    const std::size_t sniff =
        static_cast<std::size_t>(std::min<std::uint64_t>(n, kSniffBytes - at));
    if (const void* z = std::memchr(data, '\0', sniff); z != nullptr) {
      throw Error(fmt::format(
          "{}: looks like binary data, not text (NUL byte at offset {}); w2v train reads UTF-8 "
          "text, plain or gzip-compressed",
          display_name(current_),
          at + static_cast<std::uint64_t>(static_cast<const char*>(z) - data)));
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
  const std::size_t old = pending_.size();
  // Enough for one block and one byte more (to see whether a line ends at the block's end), at
  // least 64 kB: what stays pending after a block is cut off is then short, not a whole block
  // to move to the front of the buffer every time.
  const std::size_t want = std::max(old <= block_bytes_ ? block_bytes_ + 1 - old : 0,
                                    std::min<std::size_t>(block_bytes_, std::size_t{1} << 16));
  pending_.resize(old + want);
  char* dst = pending_.data() + old;
  std::size_t n = 0;
  try {
    if (mode_ == Mode::kUnknown) {
      // Look at the first two bytes: gzip's magic number, or text.
      while (in_.size() < 2 && !raw_eof_) {
        char buf[2];
        const std::size_t got = read_raw(buf, 2 - in_.size());
        in_.append(buf, got);
        raw_eof_ = got == 0;
      }
      in_pos_ = 0;
      if (in_.size() == 2 && in_[0] == '\x1F' && in_[1] == '\x8B') {
        // A part's end is a member start (compressed); where its text ends is known when the
        // member before it ends.
        gz_end_ = end_;
        end_ = kToEnd;
        inflate_.reset(new inflate_state);
        isal_inflate_init(inflate_.get());
        inflate_->crc_flag = ISAL_GZIP;  // gzip only: header parsed, CRC-32 and length checked
        mode_ = Mode::kGzip;
      } else {
        mode_ = Mode::kPlain;
        n = in_.size();
        std::memcpy(dst, in_.data(), n);
        in_.clear();
      }
    }
    if (mode_ == Mode::kGzip) {
      n = inflate_into(dst, want);
    } else {
      while (n < want && !raw_eof_) {
        const std::size_t got = read_raw(dst + n, want - n);
        raw_eof_ = got == 0;
        n += got;
      }
      eof_ = raw_eof_;
    }
  } catch (...) {
    pending_.resize(old);
    throw;
  }
  pending_.resize(old + n);
  std::uint64_t at = file_bytes_;  // file offset of pending_[old]
  file_bytes_ += n;
  const char before = last_byte_;  // the text byte at file offset at-1
  if (n > 0) last_byte_ = pending_[old + n - 1];
  if (end_ == at && before == '\n') {
    // A gzip part whose end, found only now (when its last member's trailer came, perhaps
    // without text), follows a newline or holds no text at all (end_ 0): nothing more is its own.
    pending_.resize(old);
    eof_ = true;
    return 0;
  }
  if (skipping_) {
    const char* data = pending_.data() + old;
    const void* nl = std::memchr(data, '\n', n);
    if (nl == nullptr) {
      pending_.resize(old);
      if (file_bytes_ >= end_) eof_ = true;  // the dropped line reaches past the range
      return 0;
    }
    const auto drop = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
    pending_.erase(old, drop);
    at += drop;
    n -= drop;
    skipping_ = false;
    if (at >= end_) {  // no line starts in the range
      pending_.resize(old);
      eof_ = true;
      return 0;
    }
  }
  if (end_ != kToEnd && n > 0 && at + n >= end_) {
    // Stop after the newline that ends the line holding byte end-1.
    const std::size_t start = at >= end_ - 1 ? 0 : static_cast<std::size_t>(end_ - 1 - at);
    const char* data = pending_.data() + old;
    if (const void* nl = std::memchr(data + start, '\n', n - start); nl != nullptr) {
      n = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
      pending_.resize(old + n);
      eof_ = true;
    }
  }
  inspect(old, n, at + sniff_base_);
  return n;
}

bool TextReader::next(TextBlock& block) {
  block.text.clear();
  block.continues = false;
  for (;;) {
    if (!opened_) {
      if (!open_next()) return false;
    }
    // Read past the block, so that a last line ending exactly at the block's end is not handed
    // out as a piece that `continues`.
    while (!eof_ && pending_.size() <= block_bytes_) fill();
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
      // Never split inside a UTF-8 character: if the piece ends with an incomplete sequence,
      // end it before the sequence's first byte (at most 3 bytes back, so junk made of
      // continuation bytes cannot shrink the piece).
      std::size_t k = cut;
      std::size_t trailing = 0;
      while (trailing < 3 && k > 0 && (static_cast<unsigned char>(base[k - 1]) & 0xC0) == 0x80) {
        --k;
        ++trailing;
      }
      if (k > 1) {
        const auto lead = static_cast<unsigned char>(base[k - 1]);
        const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (need > trailing + 1) cut = k - 1;
      }
      continues = true;
    }
    block.text.assign(base, cut);
    pending_.erase(0, cut);
    stats_.bytes += cut;
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
