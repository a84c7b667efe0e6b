// Helpers for tests that run the built w2v binary: a scratch directory under the build tree and
// a child process with captured stdout / stderr, optional limits, and signals.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace w2v::testing {

namespace fs = std::filesystem;

// A fresh directory under the build tree, removed at the end of the test.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    path_ = fs::path(W2V_BUILD_DIR) / "test-scratch" / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    // Make chmod'ed leftovers removable again.
    for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      ::chmod(it->path().c_str(), 0755);
    }
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }
  // Names of the entries in the directory, sorted.
  std::set<std::string> entries() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.insert(e.path().filename().string());
    return out;
  }

 private:
  fs::path path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal
  int term_signal = 0;
  std::string out;
  std::string err;
  double seconds = 0;                // from start to exit
  double seconds_after_signal = -1;  // from the signal sent (if any) to exit
  long max_rss_kb = 0;
};

struct RunOptions {
  std::string stdin_data;
  bool keep_stdin_open = false;  // stdin stays an open, empty pipe until the child exits
  // Runs in the child between fork and exec: only async-signal-safe calls (setrlimit, setuid).
  // Returning false makes the child exit with code 126.
  std::function<bool()> in_child{};
  // Send `signal` once stderr contains `signal_when` (or right away if it is empty).
  int signal = 0;
  std::string signal_when{};
  double signal_delay = 0;  // and not before this many seconds after the start
  // Direct the signal at a thread other than the main one, if the child has one (the kernel
  // may hand a process-wide signal to any thread that does not block it).
  bool signal_other_thread = false;
  double timeout_seconds = 120;  // the child is killed (SIGKILL) after this
};

// Runs the program argv_s[0] (a path) with the rest as arguments, captures stdout and stderr.
inline RunResult run_command(std::vector<std::string> argv_s, const RunOptions& opt = {}) {
  using Clock = std::chrono::steady_clock;
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    // The test process may ignore or block signals; the child must start clean.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (opt.in_child && !opt.in_child()) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // stdin: write what there is (small in these tests), then close unless asked to keep it open.
  if (!opt.stdin_data.empty()) {
    const ssize_t w = ::write(in_pipe[1], opt.stdin_data.data(), opt.stdin_data.size());
    (void)w;
  }
  int stdin_fd = in_pipe[1];
  if (!opt.keep_stdin_open) {
    ::close(stdin_fd);
    stdin_fd = -1;
  }

  RunResult r;
  bool signalled = opt.signal == 0;
  Clock::time_point signal_time{};
  auto maybe_signal = [&] {
    if (signalled) return;
    if (std::chrono::duration<double>(Clock::now() - start).count() < opt.signal_delay) return;
    if (opt.signal_when.empty() || r.err.find(opt.signal_when) != std::string::npos) {
      pid_t target = 0;
      if (opt.signal_other_thread) {
        std::error_code ec;
        for (const auto& t : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
          const pid_t tid = static_cast<pid_t>(std::stol(t.path().filename().string()));
          if (tid != pid) target = tid;
        }
      }
      if (target != 0) {
        ::syscall(SYS_tgkill, pid, target, opt.signal);
      } else {
        ::kill(pid, opt.signal);
      }
      signal_time = Clock::now();
      signalled = true;
    }
  };
  maybe_signal();
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed > opt.timeout_seconds) {
      ::kill(pid, SIGKILL);
      break;
    }
    const int pr = ::poll(fds, 2, 100);
    if (pr < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
    maybe_signal();
  }
  for (auto& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  int status = 0;
  rusage ru{};
  ::wait4(pid, &status, 0, &ru);
  const auto end = Clock::now();
  if (stdin_fd >= 0) ::close(stdin_fd);
  r.seconds = std::chrono::duration<double>(end - start).count();
  if (opt.signal != 0 && signalled) {
    r.seconds_after_signal = std::chrono::duration<double>(end - signal_time).count();
  }
  r.max_rss_kb = ru.ru_maxrss;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  return r;
}

// Runs W2V_BINARY with `args`.
inline RunResult run_w2v(const std::vector<std::string>& args, const RunOptions& opt = {}) {
  std::vector<std::string> argv_s{W2V_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  return run_command(std::move(argv_s), opt);
}

// A text corpus of `lines` lines of `per_line` words drawn (Zipf-like) from w0..w<vocab-1>,
// deterministic.
inline std::string make_corpus(std::size_t lines, std::size_t per_line, std::size_t vocab,
                               std::uint64_t seed = 1) {
  std::string text;
  text.reserve(lines * per_line * 5);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (std::size_t l = 0; l < lines; ++l) {
    for (std::size_t i = 0; i < per_line; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      // Product of two uniforms: small ids much more frequent than large ones.
      const std::uint64_t a = (x & 0xFFFF) % vocab, b = ((x >> 16) & 0xFFFF) % vocab;
      const std::uint64_t id = a * b / vocab;
      if (i != 0) text += ' ';
      text += 'w';
      text += std::to_string(id);
    }
    text += '\n';
  }
  return text;
}

// `text` gzip-compressed (one member, with header and trailer), as gzip(1) writes it; level 0
// stores it (deflate's stored blocks).
inline std::string gzip(const std::string& text, int level = 6) {
  std::string out(compressBound(static_cast<uLong>(text.size())) + 64, '\0');
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

// The content of one gzip member; throws if it is not complete gzip data.
inline std::string gunzip(const std::string& gz) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    char buf[1 << 15];
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw std::runtime_error("not complete gzip data");
    }
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return out;
}

// For gtest messages.
inline std::string describe(const RunResult& r) {
  std::ostringstream s;
  s << "exit " << r.exit_code << " (signal " << r.term_signal << "), " << r.seconds
    << " s\n--- stderr ---\n"
    << r.err.substr(0, 4000) << "\n--- stdout ---\n"
    << r.out.substr(0, 1000);
  return s.str();
}

// Drops root to "nobody" in the child (tests run as root in CI, and root reads any file).
inline bool drop_to_nobody() {
  if (::geteuid() != 0) return true;
  return ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0;
}

// True if built with AddressSanitizer (memory limits and timings differ).
constexpr bool kUnderSanitizer =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#else
    false;
#endif

}  // namespace w2v::testing
