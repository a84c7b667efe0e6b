#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::io {
namespace {

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// The file a path names: the target of a symbolic link (so the link survives), else the path.
std::string resolve_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return path;  // dangling: replace the link
  return buf;
}

// True if `path` exists and is something other than a regular file or a directory.
bool is_special(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

CommitGroup* g_group = nullptr;
bool g_committed = false;  // the active group (one at a time, on the main thread)

std::mutex& pending_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>& pending() {
  static std::vector<std::string> v;
  return v;
}

// mkstemp on "<path><suffix>XXXXXX"; returns the fd (or -1, errno set) and the name. When that
// name would be too long for the file system (NAME_MAX), the file name part of `path` is cut, so
// every output name the file system allows can be written.
int make_temp(const std::string& path, const char* suffix, std::string& name) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t base = slash == std::string::npos ? 0 : slash + 1;
  const std::size_t extra = std::char_traits<char>::length(suffix) + 6;
  std::string stem = path;
  if (path.size() - base + extra > NAME_MAX) stem.resize(base + (NAME_MAX - extra));
  std::string templ = stem + suffix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd >= 0) name.assign(buf.data());
  return fd;
}

}  // namespace

void check_writable(const std::string& path) {
  if (path.empty()) throw Error("output path is empty", kExitUsage);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw Error(fmt::format("{}: output path is a directory", path));
    if (!S_ISREG(st.st_mode)) {
      if (::access(path.c_str(), W_OK) != 0) {
        throw Error(fmt::format("{}: cannot write output: {}", path, errno_message(errno)));
      }
      return;  // /dev/null and the like: written directly
    }
  }
  const std::string target = resolve_target(path);
  const std::string dir = dir_of(target);
  if (::stat(dir.c_str(), &st) != 0) {
    throw Error(fmt::format("{}: cannot write output: directory {} does not exist", path, dir));
  }
  if (!S_ISDIR(st.st_mode)) {
    throw Error(fmt::format("{}: cannot write output: {} is not a directory", path, dir));
  }
  // Creating a file is the only reliable test (read-only mounts, ACLs, root squash...).
  std::string probe;
  const int fd = make_temp(target, ".w2v-probe-", probe);
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot write output: {}", path, errno_message(errno)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw Error("output path is empty", kExitUsage);
  if (is_special(path_)) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      throw Error(fmt::format("{}: cannot open output: {}", path_, errno_message(errno)));
    }
    target_ = path_;
    return;
  }
  target_ = resolve_target(path_);
  const int fd = make_temp(target_, ".tmp-", temp_);
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot create output: {}", path_, errno_message(errno)));
  }
  // mkstemp creates 0600; give the file the mode a plain open() would (0666 minus the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp_.c_str());
    throw Error(fmt::format("{}: cannot create output: {}", path_, errno_message(err)));
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  cleanup_slot_ = register_cleanup_path(temp_.c_str());
  std::lock_guard lock(pending_mutex());
  pending().push_back(temp_);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (temp_.empty() || handed_over_) return;
  if (!committed_) ::unlink(temp_.c_str());
  unregister_cleanup_path(cleanup_slot_);
  std::lock_guard lock(pending_mutex());
  auto& v = pending();
  v.erase(std::remove(v.begin(), v.end(), temp_), v.end());
}

void AtomicFile::abort_if_stopped() {
  if (stop_requested() == 0) return;
  // A signal while writing: the write is abandoned, the earlier file stays.
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temp_.empty()) ::unlink(temp_.c_str());
  throw_if_stopped();
}

void AtomicFile::fail(const char* what) {
  const int err = errno;
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (temp_.empty()) {
    throw Error(fmt::format("{}: {} failed: {}", path_, what, errno_message(err)));
  }
  ::unlink(temp_.c_str());
  throw Error(fmt::format("{}: {} failed: {}; any earlier file at this path is unchanged", path_,
                          what, errno_message(err)));
}

void AtomicFile::write(const void* data, std::size_t n) {
  if (file_ == nullptr) throw Error(fmt::format("{}: write after close", path_));
  abort_if_stopped();
  if (n != 0 && std::fwrite(data, 1, n, file_) != n) fail("write");
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw Error(fmt::format("{}: commit after close", path_));
  if (std::fflush(file_) != 0) fail("write");
  if (temp_.empty()) {
    // Written directly (/dev/null, a pipe): nothing to sync or rename.
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) fail("close");
    committed_ = true;
    return;
  }
  abort_if_stopped();
  if (::fsync(::fileno(file_)) != 0 && errno != EINVAL) fail("fsync");
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) fail("close");
  if (g_group != nullptr) {
    // Renamed with the other outputs of the run by CommitGroup::commit().
    g_group->files_.push_back({temp_, target_, path_, cleanup_slot_});
    handed_over_ = true;
    committed_ = true;
    return;
  }
  abort_if_stopped();
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail("rename");
  committed_ = true;
  g_committed = true;
  sync_dir(target_);
}

void sync_dir(const std::string& target) {
  // Make the rename itself durable; a failure here cannot undo it, so it is not an error.
  const int dfd = ::open(dir_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

CommitGroup::CommitGroup() {
  if (g_group != nullptr) throw Error("internal error: nested output groups");
  g_group = this;
}

CommitGroup::~CommitGroup() {
  if (g_group == this) g_group = nullptr;
  for (auto& f : files_) {
    if (!f.renamed) ::unlink(f.temp.c_str());
    unregister_cleanup_path(f.slot);
    std::lock_guard lock(pending_mutex());
    auto& v = pending();
    v.erase(std::remove(v.begin(), v.end(), f.temp), v.end());
  }
}

void CommitGroup::commit() {
  g_group = nullptr;
  // The last moment a signal can still keep every earlier file.
  throw_if_stopped();
  for (auto& f : files_) {
    if (::rename(f.temp.c_str(), f.target.c_str()) != 0) {
      const int err = errno;
      std::string done;
      for (const auto& g : files_) {
        if (g.renamed) done += (done.empty() ? "" : ", ") + g.path;
      }
      throw Error(
          fmt::format("{}: rename failed: {}{}", f.path, errno_message(err),
                      done.empty() ? "; no output was replaced" : "; already replaced: " + done));
    }
    f.renamed = true;
    g_committed = true;
  }
  for (const auto& f : files_) sync_dir(f.target);
}

bool outputs_committed() noexcept {
  return g_committed;
}

void remove_pending_temp_files() noexcept {
  // Called from a normal context (not a signal handler).
  std::lock_guard lock(pending_mutex());
  for (const auto& t : pending()) ::unlink(t.c_str());
}

}  // namespace w2v::io
