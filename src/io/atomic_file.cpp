#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>
#include <mutex>
#include <vector>

#include "util/error.hpp"

namespace w2v::io {
namespace {

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::mutex& pending_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>& pending() {
  static std::vector<std::string> v;
  return v;
}

}  // namespace

void check_writable(const std::string& path) {
  if (path.empty()) throw Error("output path is empty", kExitUsage);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw Error(fmt::format("{}: output path is a directory", path));
  }
  const std::string dir = dir_of(path);
  if (::stat(dir.c_str(), &st) != 0) {
    throw Error(fmt::format("{}: cannot write output: directory {} does not exist", path, dir));
  }
  if (!S_ISDIR(st.st_mode)) throw Error(fmt::format("{}: cannot write output: {} is not a directory", path, dir));
  // Creating a file is the only reliable test (read-only mounts, ACLs, root squash...).
  std::string probe = path + ".w2v-probe-XXXXXX";
  std::vector<char> buf(probe.begin(), probe.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot write output: {}", path, errno_message(errno)));
  }
  ::close(fd);
  ::unlink(buf.data());
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  std::string templ = path_ + ".tmp-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd < 0) throw Error(fmt::format("{}: cannot create output: {}", path_, errno_message(errno)));
  temp_.assign(buf.data());
  ::fchmod(fd, 0644);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    ::unlink(temp_.c_str());
    throw Error(fmt::format("{}: cannot create output: {}", path_, errno_message(errno)));
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  std::lock_guard lock(pending_mutex());
  pending().push_back(temp_);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_.c_str());
  std::lock_guard lock(pending_mutex());
  auto& v = pending();
  v.erase(std::remove(v.begin(), v.end(), temp_), v.end());
}

void AtomicFile::fail(const char* what) {
  const int err = errno;
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  ::unlink(temp_.c_str());
  throw Error(fmt::format("{}: {} failed: {}; any earlier file at this path is unchanged", path_,
                          what, errno_message(err)));
}

void AtomicFile::write(const void* data, std::size_t n) {
  if (file_ == nullptr) throw Error(fmt::format("{}: write after close", path_));
  if (n != 0 && std::fwrite(data, 1, n, file_) != n) fail("write");
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw Error(fmt::format("{}: commit after close", path_));
  if (std::fflush(file_) != 0) fail("write");
  if (::fsync(::fileno(file_)) != 0 && errno != EINVAL) fail("fsync");
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("close");
  }
  file_ = nullptr;
  if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("rename");
  committed_ = true;
}

void remove_pending_temp_files() noexcept {
  // Called from a normal context (not a signal handler).
  std::lock_guard lock(pending_mutex());
  for (const auto& t : pending()) ::unlink(t.c_str());
}

}  // namespace w2v::io
