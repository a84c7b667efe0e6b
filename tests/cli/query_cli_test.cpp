// The query subcommands end to end: output formats, stdin mode, unknown words, exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::run_w2v;
using testing::RunOptions;
using testing::ScratchDir;
using testing::write_file;

const std::string kGolden = std::string(W2V_SOURCE_DIR) + "/tests/data/query/";
const std::string kBin = kGolden + "golden.bin";
const std::string kTxt = kGolden + "golden.txt";

// The first `n` lines of golden_nearest.tsv for `word`, whose words are compared (scores are
// compared to 6 decimals except in the last digit).
std::vector<std::vector<std::string>> tsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::vector<std::string> cells;
    std::size_t b = pos;
    for (;;) {
      const std::size_t t = text.find('\t', b);
      if (t == std::string::npos || t > nl) {
        cells.push_back(text.substr(b, nl - b));
        break;
      }
      cells.push_back(text.substr(b, t - b));
      b = t + 1;
    }
    rows.push_back(cells);
    pos = nl + 1;
  }
  return rows;
}

void expect_same_neighbours(const std::string& got, const std::string& want) {
  const auto g = tsv(got), w = tsv(want);
  ASSERT_EQ(g.size(), w.size()) << got;
  for (std::size_t i = 0; i < g.size(); ++i) {
    ASSERT_EQ(g[i].size(), 4u) << got;
    EXPECT_EQ(g[i][0], w[i][0]);
    EXPECT_EQ(g[i][1], w[i][1]);
    EXPECT_EQ(g[i][2], w[i][2]) << "line " << i + 1;
    EXPECT_NEAR(std::stod(g[i][3]), std::stod(w[i][3]), 2.5e-6);
  }
}

TEST(QueryCli, NearestTsvMatchesTheGoldenListForBothFormats) {
  const std::string want = read_file(kGolden + "golden_nearest.tsv");
  std::string queries;
  for (const auto& row : tsv(want)) {
    if (row[1] == "1") queries += row[0] + "\n";
  }
  for (const std::string& model : {kBin, kTxt}) {
    const auto r = run_w2v({"nearest", "-m", model, "-k", "5", "-"}, RunOptions{queries});
    ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
    expect_same_neighbours(r.out, want);
    EXPECT_EQ(r.err, "");
  }
}

TEST(QueryCli, AnalogyMatchesTheGoldenList) {
  const std::string want = read_file(kGolden + "golden_analogy.tsv");
  const auto r = run_w2v({"analogy", "-m", kBin, "-k", "3", "-"},
                         RunOptions{"king man woman\nprince boy girl\nparis france italy\n"
                                    "queen woman man\n"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  expect_same_neighbours(r.out, want);
  // Arguments: words taken three at a time.
  const auto a = run_w2v({"analogy", "-m", kBin, "-k", "1", "king", "man", "woman"});
  ASSERT_EQ(a.exit_code, 0) << testing::describe(a);
  EXPECT_THAT(a.out, ::testing::StartsWith("king man woman\t1\tqueen\t0.9253"));
  const auto m =
      run_w2v({"analogy", "-m", kBin, "-k", "1", "--method", "3cosmul", "king man woman"});
  ASSERT_EQ(m.exit_code, 0) << testing::describe(m);
  EXPECT_THAT(m.out, ::testing::StartsWith("king man woman\t1\tcat\t1.7015"));
}

TEST(QueryCli, HeaderAndJson) {
  const auto h = run_w2v({"nearest", "-m", kBin, "-k", "2", "--header", "king"});
  ASSERT_EQ(h.exit_code, 0) << testing::describe(h);
  EXPECT_EQ(h.out, "query\trank\tword\tscore\nking\t1\tprince\t0.961652\nking\t2\tman\t0.665025\n");
  const auto j = run_w2v({"nearest", "-m", kBin, "-k", "2", "--json", "king", "서울"});
  ASSERT_EQ(j.exit_code, 0) << testing::describe(j);
  const auto lines = tsv(j.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0][0],
            "{\"query\":\"king\",\"results\":[{\"rank\":1,\"word\":\"prince\",\"score\":0.961652},"
            "{\"rank\":2,\"word\":\"man\",\"score\":0.665025}]}");
  EXPECT_THAT(lines[1][0], ::testing::StartsWith("{\"query\":\"서울\",\"results\":[{\"rank\":1,"));
  const auto a = run_w2v({"analogy", "-m", kBin, "-k", "1", "--json", "king", "man", "woman"});
  EXPECT_THAT(a.out, ::testing::StartsWith("{\"query\":\"king man woman\",\"method\":\"3cosadd\","
                                           "\"results\":[{\"rank\":1,\"word\":\"queen\""));
}

TEST(QueryCli, UnknownWordsAreNamedAndTheRestContinue) {
  // Arguments: the known query is answered, the unknown one named, exit 1.
  const auto r = run_w2v({"nearest", "-m", kBin, "-k", "1", "king", "nosuchword", "queen"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "king\t1\tprince\t0.961652\nqueen\t1\tprincess\t0.896401\n");
  EXPECT_THAT(r.err, HasSubstr("unknown word 'nosuchword'"));
  // stdin: the failing line is reported with its number, the others answered.
  const auto s =
      run_w2v({"nearest", "-m", kBin, "-k", "1", "-"}, RunOptions{"king\n\nfoo bar\nman\n"});
  EXPECT_EQ(s.exit_code, 1) << testing::describe(s);
  EXPECT_EQ(s.out, "king\t1\tprince\t0.961652\nman\t1\tboy\t0.876135\n");
  EXPECT_THAT(s.err, HasSubstr("line 3: unknown words 'foo', 'bar'"));
  // JSON keeps one object per query line.
  const auto j = run_w2v({"nearest", "-m", kBin, "--json", "-"}, RunOptions{"king xx\n"});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.out, "{\"query\":\"king xx\",\"error\":\"unknown word 'xx'\",\"results\":[]}\n");
  // All known: exit 0 at EOF, stdout only results.
  const auto ok = run_w2v({"nearest", "-m", kBin, "-k", "1", "-"}, RunOptions{"king\r\nman"});
  EXPECT_EQ(ok.exit_code, 0) << testing::describe(ok);
  EXPECT_EQ(ok.out, "king\t1\tprince\t0.961652\nman\t1\tboy\t0.876135\n");
  // Analogy line with the wrong number of words.
  const auto bad = run_w2v({"analogy", "-m", kBin, "-"}, RunOptions{"king man\n"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("line 1: expected three words A B C, got 2"));
}

TEST(QueryCli, SimilarityAndVec) {
  const auto s = run_w2v({"similarity", "-m", kBin, "king", "prince", "king", "king"});
  ASSERT_EQ(s.exit_code, 0) << testing::describe(s);
  EXPECT_EQ(s.out, "king\tprince\t0.961652\nking\tking\t1.000000\n");
  const auto v = run_w2v({"vec", "-m", kTxt, "king", "queen"});
  ASSERT_EQ(v.exit_code, 0) << testing::describe(v);
  EXPECT_EQ(v.out,
            "king\t0\t0.68 0.85 -0.01 0.21 0.09 -0.23 0.02 -0.12\n"
            "queen\t1\t0.87 -0 1.06 -0.26 0.13 -0.18 -0.05 0.03\n");
  const auto j = run_w2v({"vec", "-m", kBin, "--json", "man"});
  EXPECT_THAT(j.out, ::testing::StartsWith("{\"word\":\"man\",\"id\":2,\"vector\":["));
}

TEST(QueryCli, NfdQueryFindsTheNfcWordUnlessNoNormalize) {
  const std::string nfd =
      "\xe1\x84\x89\xe1\x85\xa5\xe1\x84\x8b\xe1\x85\xae\xe1\x86\xaf";  // 서울 NFD
  const auto r = run_w2v({"vec", "-m", kBin, nfd});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  EXPECT_THAT(r.out, ::testing::StartsWith("서울\t10\t"));
  const auto n = run_w2v({"vec", "-m", kBin, "--no-normalize", nfd});
  EXPECT_EQ(n.exit_code, 1);
  EXPECT_THAT(n.err, HasSubstr("unknown word"));
}

TEST(QueryCli, ModelPathAndBrokenFiles) {
  ScratchDir dir("query-cli-model");
  // $W2V_MODEL is the default; -m wins over it.
  const std::string env_model = kBin;
  RunOptions env;
  env.in_child = [&env_model] { return ::setenv("W2V_MODEL", env_model.c_str(), 1) == 0; };
  const auto e = run_w2v({"similarity", "king", "prince"}, env);
  EXPECT_EQ(e.exit_code, 0) << testing::describe(e);
  EXPECT_EQ(e.out, "king\tprince\t0.961652\n");
  const std::string missing = dir.file("missing.bin");
  const auto m = run_w2v({"similarity", "-m", missing, "king", "prince"}, env);
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_THAT(m.err, HasSubstr("missing.bin: cannot open"));
  // ./vectors.bin when neither is given.
  const std::string cwd = dir.path().string();
  RunOptions in_dir;
  in_dir.in_child = [&cwd] { return ::unsetenv("W2V_MODEL") == 0 && ::chdir(cwd.c_str()) == 0; };
  const auto d = run_w2v({"similarity", "king", "prince"}, in_dir);
  // None there: the message says how to name a model (usage error).
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_THAT(d.err, HasSubstr("no model: name a vectors file with -m FILE or set $W2V_MODEL"));
  EXPECT_EQ(d.out, "");
  write_file(dir.file("vectors.bin"), read_file(kBin));
  const auto d2 = run_w2v({"similarity", "king", "prince"}, in_dir);
  EXPECT_EQ(d2.exit_code, 0) << testing::describe(d2);
  // A broken file: the message names the file and line, stdout stays empty.
  write_file(dir.file("bad.txt"), "2 3\nking 1 2 3\nqueen 1 2\n");
  const auto b = run_w2v({"nearest", "-m", dir.file("bad.txt"), "king"});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_EQ(b.out, "");
  EXPECT_THAT(b.err, HasSubstr("bad.txt: line 3: 'queen' has 2 value(s), expected 3"));
}

TEST(QueryCli, UsageErrorsExit2) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"nearest", "-m", kBin},
                                             {"nearest", "-m", kBin, "-k", "0", "king"},
                                             {"nearest", "-m", kBin, "-k", "x", "king"},
                                             {"nearest", "-m", kBin, "king", "-"},
                                             {"analogy", "-m", kBin, "king", "man"},
                                             {"analogy", "-m", kBin, "--method", "x", "a b c"},
                                             {"similarity", "-m", kBin, "king"},
                                             {"vec", "-m", kBin}}) {
    const auto r = run_w2v(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args.back() << "\n" << testing::describe(r);
    EXPECT_EQ(r.out, "");
  }
}

TEST(QueryCli, ManyStdinQueriesInOneRun) {
  // 2,500 lines: several batches, every line answered in order.
  std::string in, want_first;
  const char* words[] = {"king", "queen", "man", "woman", "paris"};
  for (int i = 0; i < 2500; ++i) in += std::string(words[i % 5]) + "\n";
  const auto r = run_w2v({"nearest", "-m", kBin, "-k", "1", "-"}, RunOptions{in});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  const auto rows = tsv(r.out);
  ASSERT_EQ(rows.size(), 2500u);
  for (int i = 0; i < 2500; ++i) ASSERT_EQ(rows[static_cast<std::size_t>(i)][0], words[i % 5]);
  EXPECT_EQ(rows[2][2], "boy");
}

}  // namespace
}  // namespace w2v

namespace w2v {
namespace {

// A reader that stops early (`| head -1`) ends w2v quietly with status 0, not an error.
TEST(QueryCli, ClosedPipeEndsQuietly) {
  testing::ScratchDir d("closed-pipe");
  std::string queries;
  for (int i = 0; i < 3000; ++i) queries += "king\n";
  testing::write_file(d.file("q.txt"), queries);
  const std::string model = W2V_SOURCE_DIR "/tests/data/query/golden.bin";
  const auto r =
      testing::run_command({"/bin/bash", "-c",
                            "'" W2V_BINARY "' nearest -m '" + model + "' -k 20 - < '" +
                                d.file("q.txt") + "' | head -1 >/dev/null; echo ${PIPESTATUS[0]}"});
  EXPECT_EQ(r.out, "0\n") << testing::describe(r);
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace w2v
