// Output files written to a temporary file in the same directory and renamed into place on
// commit(), so a failed or interrupted run never leaves a partial file and never harms an
// earlier file at the same path.
//
// Special cases:
//  * a path that is a symbolic link: the file it points to is replaced (the link stays);
//  * a path that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO): written
//    directly, since such a file cannot be renamed over and holds nothing to protect.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

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

  // Buffered writes; errors (disk full, file too large) throw w2v::Error naming the path, remove
  // the temporary file and leave any earlier file at the path unchanged.
  void write(const void* data, std::size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  // Flushes, fsyncs, closes and renames onto the final path (while a CommitGroup is alive the
  // rename is left to the group). A stop request (SIGINT / SIGTERM) before the rename abandons
  // the file: the temporary file is removed and w2v::Interrupted thrown.
  void commit();

  const std::string& path() const { return path_; }
  // Empty when the path is written directly (see above).
  const std::string& temp_path() const { return temp_; }

 private:
  [[noreturn]] void fail(const char* what);
  void abort_if_stopped();
  std::string path_;    // as given, for messages
  std::string target_;  // where the file ends up (path_, or a symbolic link's target)
  std::string temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  bool handed_over_ = false;  // to a CommitGroup
  int cleanup_slot_ = -1;
};

// All outputs of one run replace their earlier files together, or none does: while a group is
// alive, AtomicFile::commit() writes and syncs the temporary file but leaves it for the group;
// the group's commit() renames them all (unless a stop was requested: then none). A group
// destroyed without commit() removes the temporary files. One group at a time.
class CommitGroup {
 public:
  CommitGroup();
  ~CommitGroup();
  CommitGroup(const CommitGroup&) = delete;
  CommitGroup& operator=(const CommitGroup&) = delete;
  void commit();

 private:
  friend class AtomicFile;
  struct File {
    std::string temp, target, path;
    int slot = -1;
    bool renamed = false;
  };
  std::vector<File> files_;
};

// fsyncs the directory holding `target` (after a rename into it); errors are ignored.
void sync_dir(const std::string& target);

// True once any output of this process has been renamed into place (an interruption after that,
// e.g. while `train --eval-*` scores the vectors, must not claim that nothing was written).
bool outputs_committed() noexcept;

// Removes temporary files of AtomicFiles still open (called on a second signal or at exit).
void remove_pending_temp_files() noexcept;

}  // namespace w2v::io
