// What a new user meets first: misspelt commands, help texts, eval's units.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/process.hpp"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliPolish, UnknownCommandIsNamedWithASuggestion) {
  const auto r = run_w2v({"trian", "corpus.txt"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'trian'; did you mean 'train'?"));
  EXPECT_EQ(r.out, "");
  const auto n = run_w2v({"neerest", "king"});
  EXPECT_EQ(n.exit_code, 2);
  EXPECT_THAT(n.err, HasSubstr("did you mean 'nearest'?"));
  // Nothing close: the list of commands instead of a wild guess.
  const auto z = run_w2v({"zzzzzzzzzz"});
  EXPECT_EQ(z.exit_code, 2);
  EXPECT_THAT(z.err, HasSubstr("unknown command 'zzzzzzzzzz'; the commands are: train, nearest"));
  EXPECT_THAT(z.err, Not(HasSubstr("did you mean")));
  // Real commands and options still work.
  EXPECT_EQ(run_w2v({"--version"}).exit_code, 0);
  EXPECT_EQ(run_w2v({"train", "--help"}).exit_code, 0);
}

TEST(CliPolish, EvalSaysItsAccuracyIsAPercentageInEveryFormat) {
  ScratchDir dir("polish-eval");
  write_file(dir.file("m.txt"), "4 2\nking 1 0\nqueen 0.9 0.4\nman 1 -0.1\nwoman 0.9 0.3\n");
  write_file(dir.file("q.txt"), ": family\nking queen man woman\n");
  const auto tsv = run_w2v({"eval", "analogy", dir.file("q.txt"), "-m", dir.file("m.txt")});
  ASSERT_EQ(tsv.exit_code, 0) << describe(tsv);
  EXPECT_THAT(tsv.out, HasSubstr("\taccuracy_pct\t"));
  const auto json =
      run_w2v({"eval", "analogy", dir.file("q.txt"), "-m", dir.file("m.txt"), "--json"});
  ASSERT_EQ(json.exit_code, 0) << describe(json);
  EXPECT_THAT(json.out, HasSubstr("\"accuracy_pct\": "));
  EXPECT_THAT(json.out, Not(HasSubstr("\"accuracy\":")));
}

}  // namespace
}  // namespace w2v::testing
