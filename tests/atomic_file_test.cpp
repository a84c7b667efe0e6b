#include "io/atomic_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <functional>
#include <set>
#include <string>

#include "cli/process.hpp"
#include "util/error.hpp"

namespace w2v::io {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::ScratchDir;
using testing::write_file;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(AtomicFile, CommitReplacesTheFileAndLeavesNoTemp) {
  ScratchDir d("af-commit");
  const auto path = d.file("out.txt");
  write_file(path, "old");
  {
    AtomicFile f(path);
    EXPECT_NE(f.temp_path(), path);
    EXPECT_EQ(fs::path(f.temp_path()).parent_path(), d.path()) << "temp must be beside the target";
    f.write("new ");
    f.write(std::string(3 << 20, 'x'));  // past the stdio buffer
    EXPECT_EQ(read_file(path), "old") << "the target changes only on commit";
    f.commit();
  }
  EXPECT_EQ(read_file(path), "new " + std::string(3 << 20, 'x'));
  EXPECT_EQ(d.entries(), std::set<std::string>{"out.txt"});
}

TEST(AtomicFile, NoCommitLeavesEarlierFileAndNoTemp) {
  ScratchDir d("af-abandon");
  const auto path = d.file("out.txt");
  write_file(path, "earlier");
  {
    AtomicFile f(path);
    f.write("partial");
    EXPECT_TRUE(fs::exists(f.temp_path()));
  }  // e.g. an exception unwinding through the writer
  EXPECT_EQ(read_file(path), "earlier");
  EXPECT_EQ(d.entries(), std::set<std::string>{"out.txt"});
}

TEST(AtomicFile, NoCommitAndNoEarlierFileLeavesNothing) {
  ScratchDir d("af-nothing");
  { AtomicFile f(d.file("out.txt")); }
  EXPECT_TRUE(d.entries().empty());
}

TEST(AtomicFile, ModeFollowsUmask) {
  ScratchDir d("af-mode");
  const mode_t old = ::umask(027);
  {
    AtomicFile f(d.file("out.txt"));
    f.write("x");
    f.commit();
  }
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(d.file("out.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AtomicFile, SymlinkKeepsTheLinkAndReplacesItsTarget) {
  ScratchDir d("af-link");
  write_file(d.file("real.txt"), "old");
  fs::create_symlink("real.txt", d.path() / "link.txt");
  {
    AtomicFile f(d.file("link.txt"));
    f.write("new");
    f.commit();
  }
  EXPECT_TRUE(fs::is_symlink(d.path() / "link.txt"));
  EXPECT_EQ(read_file(d.file("real.txt")), "new");
  EXPECT_EQ(d.entries(), (std::set<std::string>{"link.txt", "real.txt"}));
}

TEST(AtomicFile, DevNullIsWrittenNotReplaced) {
  // As root, renaming a temp file over /dev/null would replace the device for the whole system.
  {
    AtomicFile f("/dev/null");
    EXPECT_EQ(f.temp_path(), "");
    f.write("discarded");
    f.commit();
  }
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_NO_THROW(check_writable("/dev/null"));
}

TEST(AtomicFile, WriteFailureSaysEarlierFileIsUnchanged) {
  // A file-size limit stands in for a full disk. In a child process: the limit is per process.
  ScratchDir d("af-full");
  const auto path = d.file("out.bin");
  write_file(path, "earlier");
  EXPECT_EXIT(
      {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit lim{};
        lim.rlim_cur = lim.rlim_max = 100000;
        ::setrlimit(RLIMIT_FSIZE, &lim);
        const std::string msg = error_of([&] {
          AtomicFile f(path);
          for (int i = 0; i < 100; ++i) f.write(std::string(10000, 'x'));
          f.commit();
        });
        std::fprintf(stderr, "%s\n", msg.c_str());
        std::_Exit(msg.empty() ? 3 : 0);
      },
      ::testing::ExitedWithCode(0),
      ": write failed: File too large; any earlier file at this path is unchanged");
  EXPECT_EQ(read_file(path), "earlier");
  EXPECT_EQ(d.entries(), std::set<std::string>{"out.bin"});
}

TEST(AtomicFile, RemovePendingTempFiles) {
  ScratchDir d("af-pending");
  AtomicFile f(d.file("out.txt"));
  f.write("x");
  ASSERT_TRUE(fs::exists(f.temp_path()));
  remove_pending_temp_files();
  EXPECT_FALSE(fs::exists(f.temp_path()));
}

TEST(CheckWritable, FindsProblemsBeforeAnyWork) {
  ScratchDir d("cw");
  EXPECT_EQ(error_of([&] { check_writable(d.file("ok.bin")); }), "");
  EXPECT_TRUE(d.entries().empty()) << "the probe file must be removed";
  EXPECT_EQ(error_of([&] { check_writable(d.path().string()); }),
            d.path().string() + ": output path is a directory");
  EXPECT_EQ(
      error_of([&] { check_writable(d.file("a/b.bin")); }),
      d.file("a/b.bin") + ": cannot write output: directory " + d.file("a") + " does not exist");
  write_file(d.file("plain"), "");
  EXPECT_EQ(
      error_of([&] { check_writable(d.file("plain/b.bin")); }),
      d.file("plain/b.bin") + ": cannot write output: " + d.file("plain") + " is not a directory");
  EXPECT_EQ(error_of([] { check_writable(""); }), "output path is empty");
}

}  // namespace
}  // namespace w2v::io
