// Output files written to a temporary file in the same directory and renamed into place on
// commit(), so a failed or interrupted run never leaves a partial file and never harms an
// earlier file at the same path.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace w2v::io {

// Throws w2v::Error if `path` could not be written (directory missing or not writable, path
// is a directory). Called before long work starts so the user learns it at once.
void check_writable(const std::string& path);

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Buffered writes; errors (disk full, file too large) throw w2v::Error naming the path.
  void write(const void* data, std::size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  // Flushes, fsyncs, closes and renames onto the final path.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_; }

 private:
  void fail(const char* what);
  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// Removes temporary files of AtomicFiles still open (called on a second signal or at exit).
void remove_pending_temp_files() noexcept;

}  // namespace w2v::io
