// Reads word2vec-format vector files. The format is chosen from the content, never the name.
//
// Rules:
//  * fastText .bin: a file starting with fastText's magic number is read by io/fasttext_format.cpp
//    (its own layout); the rules below are for word2vec and GloVe files.
//  * Header: a first line of exactly two whole numbers "V D" means word2vec binary, word2vec text
//    or fastText .vec; any other first line means GloVe text (no header, D = fields - 1 of line 1).
//  * Binary or text: after the header, the first row's bytes after its word decide. Text rows are
//    ASCII numbers separated by spaces; binary rows are D raw float32 values (little-endian), whose
//    exponent bytes can never all be digits, signs or dots.
//  * The header is checked against the file size before anything is allocated: every binary row
//    needs at least 4D + 2 bytes, every text row at least 2D + 1.
//  * Binary: a word is the bytes up to the first ' '. Any '\n' before a word is skipped, so files
//    with a newline after each vector (word2vec.c) and without one (gensim) both load. A word that
//    holds a '\n' means the rows are misaligned (usually a wrong D) and is an error.
//  * Text: fields are separated by spaces or tabs; trailing spaces and a '\r' are ignored
//    (fastText writes a space before each newline); blank lines are skipped. Every row must have
//    exactly D values after its word, else the error names the line. Words cannot hold spaces.
//  * Exactly V rows must follow a header; only whitespace may follow them.
//  * NaN and infinite values are rejected (the error names the row and the column).
//  * Words are bytes: invalid UTF-8 is kept as-is and counted in one warning, never an error.
//  * Duplicate words: the first occurrence is kept and later ones are dropped with one warning
//    (gensim does the same), so every word maps to exactly one row.
//  * gzip: a file that starts with gzip's magic bytes (any name) is inflated first, one member
//    or several (`cat a.gz b.gz`), and its content read by the rules above; lines, rows and
//    bytes in messages count in the inflated content. The inflated size is not known before,
//    so memory grows with what has actually been inflated, and the header is checked against
//    the inflated size as against a plain file's. A truncated or damaged .gz is an error.
//  * A limit N > 0 (gensim's `limit=`, `--limit N`) reads and allocates only the first N rows:
//    nothing after row N is looked at (a damaged row, extra rows, a truncated tail or a header
//    announcing more rows than the file holds), and a .gz file is inflated only as far as the
//    first N rows reach. The header is checked against the size for min(V, N) rows. A file
//    of no more than N rows (V <= N) is read whole, by the rules above.
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/fasttext_format.hpp"
#include "io/vectors_format.hpp"
#include "text/utf8.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"
#include "vocab/counter.hpp"

namespace w2v::io {
namespace {

constexpr std::size_t kMaxWordBytes = 1 << 16;

// The whole file in memory: mapped when it is a regular file, read otherwise.
class FileBytes {
 public:
  // `whole`: the whole file will be read (advise the kernel to read it all ahead).
  FileBytes(const std::string& path, bool whole) {
    // A FIFO without a writer blocks in open(): a signal ends the wait (EINTR) and the run.
    do {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd_ < 0 && errno == EINTR && stop_requested() == 0);
    if (fd_ < 0 && errno == EINTR) throw_if_stopped();
    if (fd_ < 0) throw Error(fmt::format("{}: cannot open: {}", path, errno_message(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      const int err = errno;
      ::close(fd_);
      throw Error(fmt::format("{}: cannot stat: {}", path, errno_message(err)));
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      throw Error(fmt::format("{}: is a directory, not a vectors file", path));
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      size_ = static_cast<std::size_t>(st.st_size);
      // Not MAP_POPULATE: paging in a large file at once could not be interrupted; the parse,
      // which polls the stop request, reads it in instead (with the kernel's read-ahead).
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (p != MAP_FAILED) {
        map_ = p;
        data_ = static_cast<const char*>(p);
        ::madvise(p, size_, MADV_SEQUENTIAL);
        if (whole) ::madvise(p, size_, MADV_WILLNEED);
        return;
      }
    }
    // Pipes, character devices, or a failed map: read it all. Waits are short, so a stop
    // request (SIGINT / SIGTERM) is seen on a silent pipe and on an endless device.
    char buf[1 << 16];
    for (;;) {
      pollfd pfd{fd_, POLLIN, 0};
      const int pr = ::poll(&pfd, 1, 100);
      if (stop_requested() != 0) {
        ::close(fd_);
        fd_ = -1;
        throw_if_stopped();
      }
      if (pr == 0 || (pr < 0 && errno == EINTR)) continue;
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        const int err = errno;
        ::close(fd_);
        throw Error(fmt::format("{}: read failed: {}", path, errno_message(err)));
      }
      if (n == 0) break;
      copy_.append(buf, static_cast<std::size_t>(n));
    }
    data_ = copy_.data();
    size_ = copy_.size();
  }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes() {
    if (map_ != nullptr) ::munmap(map_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  std::string_view view() const { return {data_, size_}; }

 private:
  int fd_ = -1;
  void* map_ = nullptr;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string copy_;
};

bool is_sep(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_sep(s.front())) s.remove_prefix(1);
  return s;
}

// Shows a field in an error message: printable ASCII as-is, at most 40 bytes.
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  if (s.size() > 40) out += "...";
  return out;
}

bool parse_uint(std::string_view s, std::uint64_t& v) {
  if (s.empty()) return false;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Splits s at separators into at most `max` fields; returns how many there were (counting on
// past `max` without storing).
std::size_t split_fields(std::string_view s, std::vector<std::string_view>& out, std::size_t max) {
  out.clear();
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_sep(s[i])) ++i;
    if (i >= s.size()) break;
    const std::size_t b = i;
    while (i < s.size() && !is_sep(s[i])) ++i;
    if (n < max) out.push_back(s.substr(b, i - b));
    ++n;
  }
  return n;
}

bool is_finite_bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return (u & 0x7f800000u) != 0x7f800000u;
}

// Counts words that are not valid UTF-8 and words seen twice; drops the later duplicates.
class WordChecks {
 public:
  // True if the word is new (keep the row).
  bool add(std::string_view word, std::size_t row) {
    if (!valid_utf8(word)) {
      if (invalid_ == 0) first_invalid_ = row;
      ++invalid_;
    }
    const std::size_t before = seen_.size();
    seen_.add(word);
    if (seen_.size() == before) {
      if (duplicates_ == 0) {
        first_duplicate_ = std::string(word);
        first_duplicate_row_ = row;
      }
      ++duplicates_;
      return false;
    }
    return true;
  }
  void report(const std::string& path, const char* unit) const {
    if (invalid_ > 0) {
      spdlog::warn("{}: {} word(s) are not valid UTF-8 (first at {} {}); kept as raw bytes", path,
                   invalid_, unit, first_invalid_);
    }
    if (duplicates_ > 0) {
      spdlog::warn(
          "{}: {} duplicate word(s) dropped, the first occurrence of each is kept (first: '{}' "
          "at {} {})",
          path, duplicates_, shown(first_duplicate_), unit, first_duplicate_row_);
    }
  }
  std::size_t duplicates() const { return duplicates_; }

 private:
  static bool valid_utf8(std::string_view w) {
    if (text::is_ascii(w)) return true;
    std::size_t i = 0;
    while (i < w.size()) {
      std::size_t len = 1;
      if (text::decode(w, i, len) < 0) return false;
      i += len;
    }
    return true;
  }
  vocab::Counter seen_{0};
  std::size_t invalid_ = 0;
  std::size_t first_invalid_ = 0;
  std::size_t duplicates_ = 0;
  std::string first_duplicate_;
  std::size_t first_duplicate_row_ = 0;
};

// Copies the first `rows` rows of m into an exactly sized matrix (after dropped duplicates).
Matrix shrink(Matrix m, std::size_t rows) {
  if (rows == m.rows()) return m;
  Matrix out(rows, m.cols());
  if (rows > 0) std::memcpy(out.data(), m.data(), rows * m.cols() * sizeof(float));
  return out;
}

// The header line "V D", if line 1 is one.
struct Header {
  bool present = false;
  std::uint64_t words = 0;
  std::uint64_t dim = 0;
  std::size_t body = 0;  // offset of the first row
};

Header read_header(std::string_view bytes) {
  Header h;
  const std::size_t nl = bytes.find('\n');
  std::string_view line = bytes.substr(0, nl == std::string_view::npos ? bytes.size() : nl);
  line = trim_left(trim_right(line));
  const std::size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) return h;
  const std::string_view a = line.substr(0, sp);
  const std::string_view b = trim_left(line.substr(sp));
  if (!parse_uint(a, h.words) || !parse_uint(b, h.dim)) return h;
  h.present = true;
  h.body = nl == std::string_view::npos ? bytes.size() : nl + 1;
  return h;
}

// True when line 1 is made of numbers only (as a header is) but is not a valid "V D" header
// ("5 -3", "5 3 7", "5.0 3"): the next row has another number of fields, so line 1 is not a
// GloVe row whose word happens to be a number.
bool bad_header(std::string_view bytes, std::string_view& line1) {
  const std::size_t nl = bytes.find('\n');
  if (nl == std::string_view::npos) return false;
  line1 = trim_right(bytes.substr(0, nl));
  std::vector<std::string_view> fields;
  const std::size_t n = split_fields(line1, fields, 4);
  if (n < 2 || n > 3) return false;
  for (const auto f : fields) {
    double d = 0;
    const char* b = f.data();
    if (*b == '+') ++b;
    const auto res = std::from_chars(b, f.data() + f.size(), d);
    if (res.ec != std::errc() || res.ptr != f.data() + f.size()) return false;
  }
  std::size_t pos = nl + 1;
  while (pos < bytes.size()) {
    const std::size_t e = bytes.find('\n', pos);
    const std::size_t stop = e == std::string_view::npos ? bytes.size() : e;
    const std::string_view line = trim_right(bytes.substr(pos, stop - pos));
    if (!trim_left(line).empty()) {
      // Binary rows hold bytes that are not text: any count differs from a header's.
      return split_fields(line, fields, 0) != n;
    }
    pos = stop + 1;
  }
  return false;
}

// True when the first row after the header is text: the bytes after its word (up to the end of
// the line) are only the characters of decimal numbers and separators.
bool looks_like_text(std::string_view body, std::uint64_t dim) {
  std::size_t i = 0;
  while (i < body.size() && (body[i] == '\n' || body[i] == '\r')) ++i;
  const std::size_t nl = body.find('\n', i);
  std::string_view line = body.substr(i, nl == std::string_view::npos ? body.size() - i : nl - i);
  const std::size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  std::string_view rest = trim_right(line.substr(sp));
  if (trim_left(rest).empty()) return false;
  bool numeric = true;
  bool printable = true;
  for (char c : rest) {
    numeric &= (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' ||
               is_sep(c) || c == 'n' || c == 'a' || c == 'i' || c == 'f' || c == 'N' || c == 'A' ||
               c == 'I' || c == 'F';
    printable &= (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
  }
  if (numeric && dim < 2) return true;
  std::vector<std::string_view> fields;
  if (split_fields(rest, fields, 2) < 2) return false;
  if (numeric) return true;
  // A malformed text row ("w 1 x 3"): printable, and the next 4D + 64 bytes hold neither a NUL
  // nor a byte >= 0x80, which D trained float32 values practically always do.
  if (!printable || dim < 2) return false;
  const std::string_view ahead = body.substr(i + sp, 4 * dim + 64);
  for (char c : ahead) {
    if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Values too small for float (1e-46): read as the nearest float (0 or subnormal), as numpy does,
// and counted for one warning.
struct Underflows {
  std::size_t count = 0;
  std::size_t first_line = 0;
};

// Parses one text row into `out` (dim floats). `line` has no newline and is trimmed on the right.
std::string_view parse_text_row(const std::string& path, std::size_t line_no, std::string_view line,
                                std::size_t dim, float* out, Underflows& tiny) {
  const char* p = line.data();
  const char* end = p + line.size();
  const char* w = p;
  while (p < end && !is_sep(*p)) ++p;
  const std::string_view word(w, static_cast<std::size_t>(p - w));
  std::size_t n = 0;
  while (p < end) {
    while (p < end && is_sep(*p)) ++p;
    if (p >= end) break;
    const char* b = p;
    while (p < end && !is_sep(*p)) ++p;
    if (n < dim) {
      const char* s = b;
      if (*s == '+') ++s;
      float v = 0;
      auto res = std::from_chars(s, p, v);
      if (res.ec == std::errc::result_out_of_range && res.ptr == p) {
        const std::string copy(s, p);
        const double d = std::strtod(copy.c_str(), nullptr);
        if (std::fabs(d) < 1.0) {
          v = static_cast<float>(d);
          if (tiny.count++ == 0) tiny.first_line = line_no;
          res.ec = std::errc();
        }
      }
      if (res.ec != std::errc() || res.ptr != p) {
        const std::string_view f(b, static_cast<std::size_t>(p - b));
        if (res.ec == std::errc::result_out_of_range && res.ptr == p) {
          throw Error(fmt::format("{}: line {}: value {} of '{}' ('{}') is out of float range",
                                  path, line_no, n + 1, shown(word), shown(f)));
        }
        throw Error(fmt::format("{}: line {}: value {} of '{}' ('{}') is not a number", path,
                                line_no, n + 1, shown(word), shown(f)));
      }
      if (!std::isfinite(v)) {
        throw Error(fmt::format("{}: line {}: value {} of '{}' is {} (not allowed)", path, line_no,
                                n + 1, shown(word), std::isnan(v) ? "NaN" : "infinite"));
      }
      out[n] = v;
    }
    ++n;
  }
  if (n != dim) {
    throw Error(fmt::format("{}: line {}: '{}' has {} value(s), expected {}", path, line_no,
                            shown(word), n, dim));
  }
  return word;
}

// Text rows from `pos` on. `rows` is exact (header) or an upper bound (GloVe); `limited`: stop
// after `rows` rows without looking further.
Vectors read_text(const std::string& path, std::string_view bytes, std::size_t pos,
                  std::size_t first_line, std::size_t rows, std::size_t dim, bool exact,
                  bool limited, const char* format) {
  Vectors v;
  v.format = format;
  Matrix m(rows, dim);
  v.words.reserve(rows);
  WordChecks checks;
  Underflows tiny;
  std::size_t line_no = first_line;
  std::size_t row = 0;
  std::size_t data_rows = 0;
  while (pos < bytes.size()) {
    if ((line_no & 1023) == 0) throw_if_stopped();
    const std::size_t nl = bytes.find('\n', pos);
    const std::size_t stop = nl == std::string_view::npos ? bytes.size() : nl;
    const std::string_view line = trim_right(bytes.substr(pos, stop - pos));
    pos = stop + 1;
    const std::size_t this_line = line_no++;
    if (trim_left(line).empty()) continue;
    if (data_rows == rows) {
      if (limited) break;
      throw Error(fmt::format("{}: line {}: more rows than the {} the header announces", path,
                              this_line, rows));
    }
    if (is_sep(line.front())) {
      throw Error(
          fmt::format("{}: line {}: the row starts with a space (empty word)", path, this_line));
    }
    ++data_rows;
    const std::string_view word = parse_text_row(path, this_line, line, dim, m.row(row), tiny);
    if (checks.add(word, this_line)) {
      v.words.emplace_back(word);
      ++row;
    }
  }
  if (exact && data_rows != rows) {
    throw Error(fmt::format("{}: the file ends after {} row(s) but the header announces {}", path,
                            data_rows, rows));
  }
  checks.report(path, "line");
  if (tiny.count > 0) {
    spdlog::warn(
        "{}: {} value(s) too small for float read as 0 or the nearest subnormal (first at line {})",
        path, tiny.count, tiny.first_line);
  }
  v.matrix = shrink(std::move(m), row);
  return v;
}

// `limited`: the first `rows` rows are wanted, whatever follows them.
Vectors read_binary(const std::string& path, std::string_view bytes, std::size_t pos,
                    std::size_t rows, std::size_t dim, bool limited) {
  Vectors v;
  v.format = "word2vec binary";
  Matrix m(rows, dim);
  v.words.reserve(rows);
  WordChecks checks;
  const std::size_t vec_bytes = dim * sizeof(float);
  const char* data = bytes.data();
  const std::size_t size = bytes.size();
  std::size_t kept = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if ((r & 1023) == 0) throw_if_stopped();
    while (pos < size && data[pos] == '\n') ++pos;
    if (pos >= size) {
      throw Error(
          fmt::format("{}: row {}: the file ends after {} row(s) but the header announces {}", path,
                      r + 1, r, rows));
    }
    const std::size_t limit = std::min(size - pos, kMaxWordBytes + 1);
    const void* sp = std::memchr(data + pos, ' ', limit);
    if (sp == nullptr) {
      if (limit <= kMaxWordBytes) {
        throw Error(
            fmt::format("{}: row {} (byte {}): the file ends inside a word", path, r + 1, pos));
      }
      throw Error(fmt::format(
          "{}: row {} (byte {}): no space within {} bytes; not word2vec binary, or the header's "
          "dimension is wrong",
          path, r + 1, pos, kMaxWordBytes));
    }
    const std::size_t wend = static_cast<std::size_t>(static_cast<const char*>(sp) - data);
    const std::string_view word(data + pos, wend - pos);
    if (word.empty()) {
      throw Error(fmt::format("{}: row {} (byte {}): empty word", path, r + 1, pos));
    }
    if (word.find('\n') != std::string_view::npos) {
      throw Error(fmt::format(
          "{}: row {} (byte {}): the word holds a newline; rows are misaligned (is the header's "
          "dimension {} right?)",
          path, r + 1, pos, dim));
    }
    pos = wend + 1;
    if (size - pos < vec_bytes) {
      throw Error(
          fmt::format("{}: row {} ('{}'): the file ends inside the vector ({} of {} bytes present)",
                      path, r + 1, shown(word), size - pos, vec_bytes));
    }
    float* out = m.row(kept);
    std::memcpy(out, data + pos, vec_bytes);
    pos += vec_bytes;
    bool finite = true;
    for (std::size_t d = 0; d < dim; ++d) finite &= is_finite_bits(out[d]);
    if (!finite) {
      std::size_t d = 0;
      while (is_finite_bits(out[d])) ++d;
      throw Error(fmt::format("{}: row {} ('{}'): value {} is {} (not allowed)", path, r + 1,
                              shown(word), d + 1, std::isnan(out[d]) ? "NaN" : "infinite"));
    }
    if (checks.add(word, r + 1)) {
      v.words.emplace_back(word);
      ++kept;
    }
  }
  while (pos < size && (data[pos] == '\n' || data[pos] == '\r' || is_sep(data[pos]))) ++pos;
  if (pos < size && !limited) {
    throw Error(
        fmt::format("{}: byte {}: data after the {} rows the header announces", path, pos, rows));
  }
  checks.report(path, "row");
  v.matrix = shrink(std::move(m), kept);
  return v;
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && bytes[0] == '\x1F' && bytes[1] == '\x8B';
}

// Tells, while a gzip file is inflated, whether the content so far holds the first `limit` rows
// (and one more line, which the format checks may look at). Scans each byte once.
class PrefixScan {
 public:
  explicit PrefixScan(std::size_t limit) : limit_(limit) {}
  bool enough(std::string_view content, bool final) {
    if (final) return true;
    if (!started_) {
      std::size_t skip = content.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
      const std::string_view c = content.substr(skip);
      if (c.find('\n') == std::string_view::npos) return false;
      const Header h = read_header(c);
      if (h.present && h.dim > 0 && h.dim <= (1u << 24)) {
        // Binary or text is decided from the first row and up to 4D + 64 bytes after its word.
        if (c.size() - h.body < 4 * h.dim + kMaxWordBytes + 128) return false;
        binary_ = !looks_like_text(c.substr(h.body), h.dim);
        dim_ = h.dim;
        pos_ = skip + h.body;
      } else {
        pos_ = skip;  // GloVe: line 1 is a row
      }
      started_ = true;
    }
    if (binary_) return scan_binary(content);
    while (rows_ < limit_ + 1) {
      const std::size_t nl = content.find('\n', pos_);
      if (nl == std::string_view::npos) return false;
      if (!trim_left(trim_right(content.substr(pos_, nl - pos_))).empty()) ++rows_;
      pos_ = nl + 1;
    }
    return true;
  }

 private:
  bool scan_binary(std::string_view content) {
    while (rows_ < limit_) {
      while (pos_ < content.size() && content[pos_] == '\n') ++pos_;
      const std::size_t avail = content.size() - std::min(pos_, content.size());
      const std::size_t sp = content.find(' ', pos_);
      if (sp == std::string_view::npos) return avail > kMaxWordBytes;  // the parser reports it
      if (content.size() - sp - 1 < 4 * dim_) return false;
      pos_ = sp + 1 + 4 * dim_;
      ++rows_;
    }
    return true;
  }
  std::size_t limit_;
  bool started_ = false;
  bool binary_ = false;
  std::size_t dim_ = 0;
  std::size_t pos_ = 0;
  std::size_t rows_ = 0;
};

// The content of gzip data (one or more members), grown as it is inflated; with limit > 0 only
// as far as the first `limit` rows reach.
std::string gunzip(const std::string& path, std::string_view in, std::size_t limit) {
  PrefixScan scan(limit);
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw Error(fmt::format("{}: out of memory", path));
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  std::string out;
  std::size_t pos = 0;  // of `in` consumed
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  for (;;) {
    throw_if_stopped();
    const std::size_t old = out.size();
    try {
      out.resize(old + kChunk);
    } catch (const std::bad_alloc&) {
      throw Error(fmt::format("{}: out of memory after inflating {} bytes", path, old));
    }
    const std::size_t in_step = std::min<std::size_t>(in.size() - pos, 1u << 30);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
    zs.avail_in = static_cast<uInt>(in_step);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(kChunk);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    pos += in_step - zs.avail_in;
    out.resize(old + (kChunk - zs.avail_out));
    if (limit > 0 && scan.enough(out, false)) break;
    if (ret == Z_STREAM_END) {
      if (pos == in.size()) break;
      if (!is_gzip(in.substr(pos))) {
        throw Error(
            fmt::format("{}: unexpected data after the end of the gzip data (byte {})", path, pos));
      }
      inflateReset(&zs);  // another member follows
      continue;
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR && pos == in.size()) {
      throw Error(fmt::format(
          "{}: the gzip data ends early after {} bytes of content: the .gz file is truncated", path,
          out.size()));
    }
    if (ret == Z_BUF_ERROR) continue;
    if (ret == Z_MEM_ERROR) throw Error(fmt::format("{}: out of memory", path));
    throw Error(fmt::format("{}: damaged gzip data after {} bytes of content ({})", path,
                            out.size(), zs.msg != nullptr ? zs.msg : "invalid data"));
  }
  return out;
}

}  // namespace

Vectors read_vectors(const std::string& path, std::size_t limit) {
  const FileBytes file(path, limit == 0);
  std::string_view bytes = file.view();
  std::string inflated;  // the content of a gzip file
  if (is_gzip(bytes)) {
    inflated = gunzip(path, bytes, limit);
    bytes = inflated;
  }
  // fastText's binary model: its own layout (io/fasttext_format.cpp).
  if (fasttext::is_model(bytes)) return fasttext::read_model(path, bytes);
  // A UTF-8 byte order mark (Windows editors) is not part of the first word.
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.empty()) throw Error(fmt::format("{}: the file is empty", path));

  const Header h = read_header(bytes);
  if (h.present) {
    if (h.dim == 0) throw Error(fmt::format("{}: line 1: the header's dimension is 0", path));
    const std::size_t body = bytes.size() - h.body;
    const bool text = looks_like_text(bytes.substr(h.body), h.dim);
    // Smallest possible row: text "w 0 0 ...\n" = 2D + 2 bytes (the last without '\n');
    // binary "w " + 4D bytes.
    const std::uint64_t row_min = text ? 2 * h.dim + 2 : 4 * h.dim + 2;
    // A limit below V stops after N rows, whatever follows; otherwise the file is read whole.
    const bool limited = limit > 0 && limit < h.words;
    const std::uint64_t rows = limited ? limit : h.words;
    if (h.dim > (1u << 24)) {
      throw Error(fmt::format("{}: line 1: the header's dimension {} is too large (limit {})", path,
                              h.dim, 1u << 24));
    }
    if (rows > 0 && rows > (body + 1) / row_min) {
      throw Error(fmt::format(
          "{}: line 1: the header announces {} words of dimension {}, but only {} bytes follow it "
          "(a {} row needs at least {} bytes{}); the file is truncated or the header is wrong",
          path, h.words, h.dim, body, text ? "text" : "binary", row_min,
          limited ? fmt::format(", and {} rows are asked for", rows) : std::string()));
    }
    if (text) {
      return read_text(path, bytes, h.body, 2, rows, h.dim, true, limited, "word2vec text");
    }
    return read_binary(path, bytes, h.body, rows, h.dim, limited);
  }

  if (std::string_view line1; bad_header(bytes, line1)) {
    throw Error(fmt::format(
        "{}: line 1: bad header '{}': a word2vec header is two whole numbers, \"WORDS DIM\"", path,
        shown(line1)));
  }
  // GloVe: no header. D from the first non-blank line; rows bounded by the line count.
  std::size_t pos = 0;
  std::size_t first_line = 1;
  std::string_view line;
  while (pos < bytes.size()) {
    const std::size_t nl = bytes.find('\n', pos);
    const std::size_t stop = nl == std::string_view::npos ? bytes.size() : nl;
    line = trim_right(bytes.substr(pos, stop - pos));
    if (!trim_left(line).empty()) break;
    pos = stop + 1;
    ++first_line;
  }
  if (trim_left(line).empty()) throw Error(fmt::format("{}: the file holds no vectors", path));
  std::vector<std::string_view> fields;
  const std::size_t n = split_fields(line, fields, 2);
  if (n < 2 || is_sep(line.front())) {
    throw Error(
        fmt::format("{}: line {}: neither a \"WORDS DIM\" header nor a GloVe row (word and values)",
                    path, first_line));
  }
  if (line.find('\0') != std::string_view::npos) {
    throw Error(
        fmt::format("{}: line {}: binary data without a \"WORDS DIM\" header", path, first_line));
  }
  // Every row needs at least 2D + 1 bytes: bound the allocation by the size as well.
  const std::size_t dim = n - 1;
  const std::size_t by_size = (bytes.size() - pos) / (2 * dim + 1) + 1;
  if (limit > 0) {
    return read_text(path, bytes, pos, first_line, std::min(limit, by_size), dim, false, true,
                     "GloVe text");
  }
  const std::size_t lines =
      static_cast<std::size_t>(
          std::count(bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.end(), '\n')) +
      1;
  return read_text(path, bytes, pos, first_line, std::min(lines, by_size), dim, false, false,
                   "GloVe text");
}

}  // namespace w2v::io
