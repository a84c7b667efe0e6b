// w2v phrases writes what word2vec's word2phrase writes, byte for byte, at the same settings:
// one pass and two passes (word2phrase run on its own output), on slices of the repository's
// English demo corpus (data/en_wiki_demo.txt.gz, which every checkout has), with awkward lines
// mixed in. word2phrase comes from scripts/install-peers.sh ($W2V_PEERS_DIR); the test
// FAILS when it is missing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

namespace w2v {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Cmd {
  int code = -1;
  std::string out, err;
};

Cmd sh(const fs::path& dir, const std::string& tag, const std::string& command) {
  const fs::path out = dir / (tag + ".out"), err = dir / (tag + ".err");
  const std::string full =
      "(" + command + ") >" + quote(out.string()) + " 2>" + quote(err.string());
  const int status = std::system(full.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

class PhrasesAgreement : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(W2V_BUILD_DIR) / "test-scratch" / ("phrases-agree-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // word2phrase from the installed peers; empty (and a failure) when it is not there.
  static std::string word2phrase() {
    static const std::string path = [] {
      const char* env = std::getenv("W2V_PEERS_DIR");
      const fs::path dir =
          env != nullptr && *env != '\0' ? fs::path(env) : fs::path(W2V_BUILD_DIR) / "peers";
      fs::create_directories(dir);
      const Cmd r = sh(dir, "install-peers-w2p",
                       quote(std::string(W2V_SOURCE_DIR) + "/scripts/install-peers.sh") + " " +
                           quote(dir.string()));
      std::string src = r.out;
      while (!src.empty() && (src.back() == '\n' || src.back() == '\r')) src.pop_back();
      const std::string tool = src + "/word2phrase";
      if (r.code != 0 || src.empty() || ::access(tool.c_str(), X_OK) != 0) {
        ADD_FAILURE() << "word2phrase is not available: scripts/install-peers.sh " << dir
                      << " exited " << r.code << "\n"
                      << r.err;
        return std::string();
      }
      return tool;
    }();
    return path;
  }

  // The first `lines` lines of data/en_wiki_demo.txt.gz.
  fs::path slice(std::size_t lines) {
    const fs::path p = dir_ / "slice.txt";
    const Cmd r =
        sh(dir_, "slice",
           "gzip -dc " + quote(std::string(W2V_SOURCE_DIR) + "/data/en_wiki_demo.txt.gz") +
               " | head -n " + std::to_string(lines) + " >" + quote(p.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    return p;
  }

  std::string peer(const fs::path& in, const std::string& out, const std::string& settings) {
    const fs::path o = dir_ / out;
    const Cmd r = sh(dir_, out,
                     quote(word2phrase()) + " -train " + quote(in.string()) + " -output " +
                         quote(o.string()) + " " + settings);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    return slurp(o);
  }

  std::string ours(const fs::path& in, const std::string& out, const std::string& settings) {
    const fs::path o = dir_ / out;
    const Cmd r = sh(dir_, out,
                     quote(W2V_BINARY) + " phrases " + quote(in.string()) + " -o " +
                         quote(o.string()) + " " + settings);
    EXPECT_EQ(r.code, 0) << r.err;
    return slurp(o);
  }

  fs::path dir_;
};

// Tokens of `text` holding '_' that the input did not hold: the phrases formed.
std::set<std::string> phrases_in(const std::string& text, const std::string& input) {
  std::set<std::string> before, out;
  std::istringstream a(input), b(text);
  std::string w;
  while (a >> w) before.insert(w);
  while (b >> w) {
    if (w.find('_') != std::string::npos && before.count(w) == 0) out.insert(w);
  }
  return out;
}

std::size_t max_parts(const std::set<std::string>& phrases) {
  std::size_t most = 0;
  for (const std::string& p : phrases) {
    most = std::max<std::size_t>(most, 1 + std::count(p.begin(), p.end(), '_'));
  }
  return most;
}

// At the defaults, on a slice with awkward lines mixed in: Windows line ends, tabs, blank lines,
// the token "</s>" (a line break to word2phrase), tokens that hold '_' already (their counts
// merge with those of the pairs of the same spelling) or start with "</s>_".
TEST_F(PhrasesAgreement, DefaultsOnDemoSliceByteIdentical) {
  ASSERT_FALSE(word2phrase().empty());
  std::string text = slurp(slice(4000));
  for (int i = 0; i < 40; ++i) {
    text += "the new york times\tsaid new_york is big\r\n";
    text += "\r\n  \t \n";
    text += "in new york </s> york city of new_york_times fame\n";
    text += "_lead trail_ a__b new york_city york_city new\n";
    // Tokens that start with "</s>_": word2phrase looks up "</s>_" + the first word of a line,
    // so lines are no longer independent (w2v then rewrites in one piece).
    text += "</s>_the united states </s>_the of the united states _the the_\n";
  }
  const fs::path in = dir_ / "awkward.txt";
  spit(in, text);
  const std::string theirs = peer(in, "peer.txt", "-min-count 5 -threshold 100 -debug 0");
  const std::string mine = ours(in, "ours.txt", "");
  const std::set<std::string> found = phrases_in(theirs, text);
  EXPECT_GT(found.size(), 20u) << "the slice should form phrases at the defaults";
  EXPECT_NE(theirs.find(" the new_york times"), std::string::npos) << "new york should join";
  EXPECT_EQ(phrases_in(mine, text), found);
  EXPECT_EQ(mine.size(), theirs.size());
  EXPECT_TRUE(mine == theirs) << "outputs differ";
}

// Two passes (word2phrase run again on its own output) at a lower threshold: longer phrases.
TEST_F(PhrasesAgreement, TwoPassesByteIdentical) {
  ASSERT_FALSE(word2phrase().empty());
  const fs::path in = slice(3000);
  peer(in, "peer1.txt", "-min-count 3 -threshold 20 -debug 0");
  const std::string theirs =
      peer(dir_ / "peer1.txt", "peer2.txt", "-min-count 3 -threshold 20 -debug 0");
  const std::string mine =
      ours(in, "ours.txt", "--min-count 3 --threshold 20 --passes 2 --threads 2");
  const std::set<std::string> found = phrases_in(theirs, slurp(in));
  EXPECT_GE(max_parts(found), 3u) << "two passes should form phrases of three words or more";
  EXPECT_EQ(phrases_in(mine, slurp(in)), found);
  EXPECT_TRUE(mine == theirs) << "outputs differ";
}

}  // namespace
}  // namespace w2v
