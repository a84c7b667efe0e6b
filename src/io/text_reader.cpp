#include "io/text_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "util/error.hpp"

namespace w2v::io {

void check_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw Error("no input given", kExitUsage);
  int stdin_count = 0;
  for (const auto& p : paths) {
    if (p == "-") {
      if (++stdin_count > 1) throw Error("stdin ('-') given more than once", kExitUsage);
      continue;
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      throw Error(fmt::format("{}: cannot open input: {}", p, errno_message(errno)));
    }
    if (S_ISDIR(st.st_mode)) throw Error(fmt::format("{}: is a directory, not a text file", p));
    if (::access(p.c_str(), R_OK) != 0) {
      throw Error(fmt::format("{}: cannot read input: {}", p, errno_message(errno)));
    }
  }
}

TextReader::TextReader(std::vector<std::string> paths, std::size_t block_bytes)
    : paths_(std::move(paths)), block_bytes_(std::max<std::size_t>(block_bytes, 64)) {}

TextReader::~TextReader() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

std::string TextReader::display_name(std::size_t i) const {
  return paths_[i] == "-" ? std::string("stdin") : paths_[i];
}

bool TextReader::open_next() {
  if (current_ >= paths_.size()) return false;
  const std::string& p = paths_[current_];
  gzFile f = p == "-" ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(p.c_str(), "rb");
  if (f == nullptr) {
    throw Error(fmt::format("{}: cannot open input: {}", display_name(current_),
                            errno != 0 ? errno_message(errno) : std::string("out of memory")));
  }
  gzbuffer(f, 1 << 18);
  gz_ = f;
  opened_ = true;
  eof_ = false;
  line_ = 1;
  mid_line_ = false;
  return true;
}

std::size_t TextReader::fill() {
  auto* f = static_cast<gzFile>(gz_);
  const std::size_t old = pending_.size();
  const std::size_t want = block_bytes_;
  pending_.resize(old + want);
  int n = gzread(f, pending_.data() + old, static_cast<unsigned>(want));
  if (n < 0) {
    int errnum = 0;
    const char* msg = gzerror(f, &errnum);
    pending_.resize(old);
    throw Error(fmt::format("{}: read error: {}", display_name(current_),
                            errnum == Z_ERRNO ? errno_message(errno) : std::string(msg)));
  }
  pending_.resize(old + static_cast<std::size_t>(n));
  if (n == 0) {
    int errnum = 0;
    const char* msg = gzerror(f, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END) {
      throw Error(fmt::format("{}: {}", display_name(current_), msg));
    }
    // A gzip member cut short reads as a clean end with zlib >= 1.2.9 unless we ask.
    if (gzdirect(f) == 0 && errnum == Z_OK && gzeof(f) == 0) {
      throw Error(fmt::format("{}: compressed data ends early (truncated .gz?)",
                              display_name(current_)));
    }
    eof_ = true;
  }
  stats_.bytes += static_cast<std::uint64_t>(n);
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
      gzclose(static_cast<gzFile>(gz_));
      gz_ = nullptr;
      opened_ = false;
      ++current_;
      continue;
    }
    block.file_index = current_;
    block.first_line = line_;
    // Cut at the last newline within the block size; keep the rest pending.
    std::size_t limit = std::min(pending_.size(), block_bytes_);
    std::size_t cut;
    const char* base = pending_.data();
    const void* nl = nullptr;
    for (std::size_t i = limit; i > 0; --i) {
      if (base[i - 1] == '\n') {
        nl = base + i - 1;
        break;
      }
    }
    bool continues = false;
    if (nl != nullptr) {
      cut = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
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
      // Never split inside a UTF-8 character: back up over continuation bytes.
      while (cut > 1 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;
      continues = true;
      ++stats_.split_lines;
    }
    block.text.assign(base, cut);
    pending_.erase(0, cut);
    block.continues = continues;
    const auto lines = static_cast<std::uint64_t>(std::count(block.text.begin(), block.text.end(), '\n'));
    stats_.lines += lines;
    line_ += lines;
    if (!continues && block.text.back() != '\n') ++stats_.lines;  // final line without newline
    return true;
  }
}

}  // namespace w2v::io
