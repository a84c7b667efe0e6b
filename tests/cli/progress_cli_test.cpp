// The progress line as a person sees it: w2v runs on a pseudo-terminal of a given width.
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <gtest/gtest.h>

#include "cli/process.hpp"

namespace w2v::testing {
namespace {

// Runs w2v with stderr and stdout on a pty of `columns` columns; returns all it printed.
std::string run_on_terminal(const std::vector<std::string>& args, int columns) {
  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(columns);
  ws.ws_row = 24;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    std::vector<std::string> argv_s{W2V_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::unsetenv("COLUMNS");
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  return out;
}

// The pieces of terminal output between carriage returns and newlines, escape sequences removed.
std::vector<std::string> screen_lines(const std::string& raw) {
  std::vector<std::string> lines(1);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\033') {  // CSI ... final byte
      ++i;
      if (i < raw.size() && raw[i] == '[') {
        while (i + 1 < raw.size() && !(raw[i + 1] >= '@' && raw[i + 1] <= '~')) ++i;
        ++i;
      }
    } else if (c == '\r' || c == '\n') {
      if (!lines.back().empty()) lines.emplace_back();
    } else {
      lines.back() += c;
    }
  }
  return lines;
}

TEST(ProgressCli, LineFitsTheTerminalAndShowsEpochBarRateEta) {
  ScratchDir dir("progress-tty");
  write_file(dir.file("c.txt"), make_corpus(4000, 40, 2000));
  for (int columns : {80, 52}) {
    const std::string raw =
        run_on_terminal({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--epochs", "60",
                         "--dim", "32", "--threads", "2", "--min-count", "1"},
                        columns);
    int progress_lines = 0;
    for (const auto& line : screen_lines(raw)) {
      if (line.rfind("epoch ", 0) != 0) continue;
      ++progress_lines;
      EXPECT_LT(static_cast<int>(line.size()), columns) << line;
      EXPECT_NE(line.find("/60"), std::string::npos) << line;
      EXPECT_NE(line.find("words/s"), std::string::npos) << line;
      EXPECT_NE(line.find("ETA "), std::string::npos) << line;
      if (columns == 80) {
        EXPECT_NE(line.find(" ["), std::string::npos) << line;
      }
    }
    EXPECT_GE(progress_lines, 2) << raw;
  }
}

TEST(ProgressCli, NotATerminalGetsPlainLines) {
  ScratchDir dir("progress-pipe");
  write_file(dir.file("c.txt"), make_corpus(500, 20, 300));
  const auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--epochs", "3",
                          "--min-count", "1", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("\033[K"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace w2v::testing
