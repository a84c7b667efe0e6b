// Reads corpus files, .gz files and stdin in large blocks of whole lines.
//
// Every input is opened through zlib, which reads plain files unchanged, so one code path serves
// both. stdin ("-") is read exactly once. A line longer than the block size is handed out in
// pieces split at a space where possible; the piece's `continues` flag says the line goes on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace w2v::io {

struct TextBlock {
  std::string text;           // whole lines, each ending in '\n' (the last may lack it)
  std::size_t file_index = 0; // which input the block came from
  std::uint64_t first_line = 1;  // 1-based line number of the block's first line in that input
  bool continues = false;     // the last line of the block is cut and goes on in the next block
};

struct ReadStats {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t split_lines = 0;  // lines longer than a block, handed out in pieces
};

// Checks, before any work starts, that every input exists, is a readable regular file (or "-",
// at most once), and throws w2v::Error naming the first that is not.
void check_inputs(const std::vector<std::string>& paths);

class TextReader {
 public:
  explicit TextReader(std::vector<std::string> paths, std::size_t block_bytes = std::size_t{1} << 22);
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Fills `block` with the next lines. Returns false at the end of the last input.
  // Throws w2v::Error (naming the file) on a read or decompression error.
  bool next(TextBlock& block);

  const std::string& path(std::size_t file_index) const { return paths_[file_index]; }
  // "stdin" for "-", else the path.
  std::string display_name(std::size_t file_index) const;
  const ReadStats& stats() const { return stats_; }

 private:
  bool open_next();
  std::size_t fill();  // reads more bytes into pending_, returns how many

  std::vector<std::string> paths_;
  std::size_t block_bytes_;
  std::size_t current_ = 0;
  void* gz_ = nullptr;  // gzFile
  bool opened_ = false;
  bool eof_ = false;
  std::string pending_;   // bytes read but not yet handed out
  std::uint64_t line_ = 1;  // line number of pending_'s first line
  bool mid_line_ = false;   // pending_ starts in the middle of a line
  ReadStats stats_;
};

}  // namespace w2v::io
