// The interactive prompt: `nearest` / `analogy` on a terminal without query words read one query
// a line with a prompt and line editing, answer each at once, and end at Ctrl-D. Without a
// terminal, no query is still a usage error.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

const std::string kModel = std::string(W2V_SOURCE_DIR) + "/tests/data/query/golden.bin";

// w2v on a pseudo-terminal (stdin, stdout and stderr), driven key by key.
class Terminal {
 public:
  explicit Terminal(std::vector<std::string> args) {
    winsize ws{};
    ws.ws_col = 100;
    ws.ws_row = 24;
    pid_ = ::forkpty(&master_, nullptr, nullptr, &ws);
    if (pid_ < 0) throw std::runtime_error("forkpty failed");
    if (pid_ == 0) {
      args.insert(args.begin(), W2V_BINARY);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (master_ >= 0) ::close(master_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  void send(const std::string& keys) const {
    ASSERT_EQ(::write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }
  // Reads until the output since the last call holds `text` (false after 20 s or at the end).
  bool wait_for(const std::string& text) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (seen_.find(text, from_) == std::string::npos) {
      if (std::chrono::steady_clock::now() > end) return false;
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;
      seen_.append(buf, static_cast<std::size_t>(n));
    }
    from_ = seen_.find(text, from_) + text.size();
    return true;
  }
  int exit_code() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& seen() const { return seen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string seen_;
  std::size_t from_ = 0;
};

TEST(PromptCli, NearestAnswersEachLineUntilCtrlD) {
  Terminal t({"nearest", "-m", kModel, "-k", "2"});
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  t.send("king\r");
  ASSERT_TRUE(t.wait_for("prince")) << t.seen();
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  // Editing: a typo rubbed out, the cursor moved left to insert, Ctrl-U to start over.
  t.send(
      "xyz\x15"
      "qeen\x1b[D\x1b[D\x1b[Du\r");
  ASSERT_TRUE(t.wait_for("queen")) << t.seen();
  ASSERT_TRUE(t.wait_for("princess")) << t.seen();
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  t.send("man\x7f\x7f\x7fking\r");
  ASSERT_TRUE(t.wait_for("prince")) << t.seen();
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  // Up recalls the line before; an unknown word is reported and the session goes on.
  t.send("\x1b[A\x1b[A\r");
  ASSERT_TRUE(t.wait_for("princess")) << t.seen();
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  t.send("nosuchword\r");
  ASSERT_TRUE(t.wait_for("nosuchword")) << t.seen();
  ASSERT_TRUE(t.wait_for("nearest> ")) << t.seen();
  t.send("\x04");
  EXPECT_EQ(t.exit_code(), 1) << t.seen();  // one query failed, as with '-'
}

TEST(PromptCli, AnalogyPromptEndsAtCtrlDWithStatusZero) {
  Terminal t({"analogy", "-m", kModel, "-k", "1"});
  ASSERT_TRUE(t.wait_for("analogy (A B C)> ")) << t.seen();
  t.send("king man woman\r");
  ASSERT_TRUE(t.wait_for("queen")) << t.seen();
  ASSERT_TRUE(t.wait_for("> ")) << t.seen();
  t.send("\x04");
  EXPECT_EQ(t.exit_code(), 0) << t.seen();
}

TEST(PromptCli, WithoutATerminalNoQueryIsAUsageError) {
  for (const std::string cmd : {"nearest", "analogy"}) {
    const auto r = testing::run_w2v({cmd, "-m", kModel}, {});
    EXPECT_EQ(r.exit_code, 2) << cmd << "\n" << testing::describe(r);
  }
}

}  // namespace
}  // namespace w2v
