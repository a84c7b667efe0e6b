// w2v train --save-init / --snapshots through the built binary: the initial vectors and one file
// per epoch, and training output unchanged by taking them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

std::string corpus() {
  std::string text;
  Rng rng(4);
  for (int line = 0; line < 500; ++line) {
    for (int k = 0; k < 10; ++k) text += "w" + std::to_string(rng.below(30)) + " ";
    text += "\n";
  }
  return text;
}

TEST(SnapshotsCli, InitAndEveryEpochWithoutChangingTheResult) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), corpus());
  const std::vector<std::string> common{
      "train", dir.file("c.txt"), "--threads", "1",           "--seed", "3", "--dim",
      "10",    "--epochs",        "3",         "--min-count", "1",      "-q"};
  auto plain = common;
  plain.insert(plain.end(), {"-o", dir.file("plain.bin")});
  auto r = run_w2v(plain);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto snap = common;
  snap.insert(snap.end(), {"-o", dir.file("v.bin"), "--snapshots", dir.file("epochs"),
                           "--save-init", dir.file("init.txt")});
  r = run_w2v(snap);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Snapshots leave the trained vectors byte-for-byte as without them.
  EXPECT_EQ(read_file(dir.file("v.bin")), read_file(dir.file("plain.bin")));
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("epochs"))) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"epoch-0.bin", "epoch-1.bin", "epoch-2.bin", "epoch-3.bin"}));
  // The last epoch is the output; the epochs differ from each other.
  EXPECT_EQ(read_file(dir.file("epochs/epoch-3.bin")), read_file(dir.file("v.bin")));
  EXPECT_NE(read_file(dir.file("epochs/epoch-0.bin")), read_file(dir.file("epochs/epoch-1.bin")));
  EXPECT_NE(read_file(dir.file("epochs/epoch-1.bin")), read_file(dir.file("epochs/epoch-2.bin")));
  // --save-init follows the output rules: .txt is text, the same rows as epoch-0 in binary.
  const std::string init = read_file(dir.file("init.txt"));
  EXPECT_EQ(init.substr(0, init.find('\n')), "30 10");
  auto txt = common;
  txt.insert(txt.end(),
             {"-o", dir.file("v.txt"), "--save-init", dir.file("init2.bin"), "--format", "text"});
  ASSERT_EQ(run_w2v(txt).exit_code, 0);
  EXPECT_EQ(read_file(dir.file("init2.bin")), init) << "--format names the format of both";
  // The initial vectors are tiny (uniform in +-0.5/dim), the trained ones are not.
  double max_abs = 0;
  const auto row = init.find("\nw1 ");
  ASSERT_NE(row, std::string::npos);
  std::istringstream in(init.substr(row + 4, init.find('\n', row + 1) - row - 4));
  for (double v = 0; in >> v;) max_abs = std::max(max_abs, std::abs(v));
  EXPECT_GT(max_abs, 0.0);
  EXPECT_LE(max_abs, 0.05 + 1e-6);
}

TEST(SnapshotsCli, BadDirectoryIsAnErrorBeforeTraining) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), corpus());
  write_file(dir.file("afile"), "x");
  const auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--min-count", "1",
                          "--snapshots", dir.file("afile"), "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--snapshots"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("v.bin")));
}

}  // namespace
}  // namespace w2v
