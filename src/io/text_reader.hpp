// Reads corpus files, .gz files and stdin in large blocks of whole lines.
//
// A gzip input (one or more members) is recognised by its magic bytes, not its name, and
// inflated with ISA-L (igzip); anything else is read as it is. stdin ("-") is read exactly once. A
// line longer than the block size is handed out in pieces split at a space where possible; the
// piece's `continues` flag says the line goes on. Memory stays bounded by about two blocks whatever
// the input: a 200 MB line without a newline costs no more than a short one. Reads wait at most 100
// ms at a time, so a stop request (SIGINT / SIGTERM) ends even a read from a silent pipe at once:
// w2v::Interrupted is thrown.
//
// Rules for bad input (each throws w2v::Error, exit code 1, with a message naming the file):
//  * binary data: a NUL byte in the first kSniffBytes bytes of an input (after decompression),
//    or a UTF-16 / UTF-32 byte order mark, rejects the input. A NUL byte later in a text file is
//    not an error: the tokenizer treats it as a separator, and ReadStats::nul_bytes counts it.
//  * a truncated or damaged .gz, and any read error, is an error: a partial corpus is never
//    taken for a whole one.
//  * invalid UTF-8 is not the reader's business: the tokenizer replaces and counts it.
//
// An input can also be a byte range of a plain file (io/shard.hpp): the reader then hands out
// the lines whose first byte lies in the range. Sniffing works on absolute file offsets, so each
// byte is judged the same whichever part reads it. Or it is the members of a gzip file that
// start in a byte range: the reader hands out the lines whose first byte is in them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/shard.hpp"

struct inflate_state;  // ISA-L's (isa-l/igzip_lib.h)

namespace w2v::io {

struct TextBlock {
  std::string text;              // whole lines, each ending in '\n' (the last may lack it)
  std::size_t file_index = 0;    // which input (part) the block came from
  std::uint64_t first_line = 1;  // 1-based line number of the block's first line in that part
  bool continues = false;        // the last line of the block is cut and goes on in the next block
};

struct ReadStats {
  std::uint64_t bytes = 0;        // handed out
  std::uint64_t lines = 0;        // handed out
  std::uint64_t split_lines = 0;  // lines longer than a block, handed out in pieces
  std::uint64_t nul_bytes = 0;    // NUL bytes handed out at file offsets >= kSniffBytes
};

// How much of each input is inspected for binary content: the bytes at (decompressed) file
// offsets below this.
inline constexpr std::size_t kSniffBytes = 64 * 1024;

// Checks, before any work starts, that every input exists, is not a directory, can be opened
// for reading (or is "-", at most once), and throws w2v::Error naming the first that is not.
void check_inputs(const std::vector<std::string>& paths);

class TextReader {
 public:
  // Whole files.
  explicit TextReader(std::vector<std::string> paths,
                      std::size_t block_bytes = std::size_t{1} << 22);
  // Parts of files. begin > 0 needs a file that can seek. A part of a .gz file must begin and
  // end at member starts (io/shard.hpp), or reading it is an error naming the file; its first
  // 64 kB of text are sniffed for binary data only if it begins at 0 (where it starts in the
  // text is not known). A part's lines are numbered from 1 at its first line.
  explicit TextReader(std::vector<InputPart> parts, std::size_t block_bytes = std::size_t{1} << 22);
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Fills `block` with the next lines. Returns false at the end of the last input.
  // Throws w2v::Error (naming the file) on a read or decompression error or binary input.
  bool next(TextBlock& block);

  const std::string& path(std::size_t file_index) const { return parts_[file_index].path; }
  // "stdin" for "-", else the path.
  std::string display_name(std::size_t file_index) const;
  const ReadStats& stats() const { return stats_; }
  // Bytes read from the files so far (compressed bytes for a .gz), for progress.
  std::uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  bool open_next();
  void close_current() noexcept;
  std::size_t fill();  // reads more bytes into pending_, returns how many
  std::size_t read_raw(char* dst, std::size_t n);  // from the file; 0 at its end
  std::size_t inflate_into(char* dst, std::size_t n);
  void refill_compressed();
  // Binary sniffing of the n new bytes at pending_[from], which start at file offset `at`.
  void inspect(std::size_t from, std::size_t n, std::uint64_t at);

  std::vector<InputPart> parts_;
  std::size_t block_bytes_;
  std::uint64_t raw_bytes_ = 0;
  std::size_t current_ = 0;
  int fd_ = -1;
  bool close_fd_ = false;  // false for stdin
  enum class Mode { kUnknown, kPlain, kGzip } mode_ = Mode::kUnknown;
  struct FreeInflateState {
    void operator()(inflate_state* s) const noexcept;
  };
  std::unique_ptr<inflate_state, FreeInflateState> inflate_;  // while a gzip input is open
  std::string in_;  // compressed bytes read but not yet inflated
  std::size_t in_pos_ = 0;
  bool raw_eof_ = false;  // read() returned 0
  bool opened_ = false;
  bool eof_ = false;               // no more text from this input
  std::string pending_;            // bytes read but not yet handed out
  std::uint64_t line_ = 1;         // line number of pending_'s first line
  std::uint64_t file_bytes_ = 0;   // file offset (of the text) where the next read starts
  std::uint64_t end_ = kToEnd;     // the current part's end (text offset)
  std::uint64_t gz_end_ = kToEnd;  // a gzip part: the member start (file offset) it ends at
  std::uint64_t raw_pos_ = 0;      // file offset of the next byte read()
  std::uint64_t sniff_base_ = 0;   // added to text offsets when sniffing
  char last_byte_ = '\n';          // the last byte of text read from the current part
  bool skipping_ = false;          // dropping the line that holds byte begin-1
  bool mid_line_ = false;          // the last block handed out ended inside a line
  ReadStats stats_;
};

}  // namespace w2v::io
