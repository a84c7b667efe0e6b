#include <gtest/gtest.h>

#include "cli/process.hpp"
#include "util/error.hpp"
#include "vocab/counter.hpp"
#include "vocab/vocab.hpp"

namespace w2v::vocab {
namespace {

Counter count_words(const std::vector<std::string>& words, std::size_t max_entries = 0) {
  Counter c(max_entries);
  for (const auto& w : words) c.add(w);
  return c;
}

TEST(Counter, CountsAndFinds) {
  Counter c = count_words({"a", "b", "a", "c", "a", "b"});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.count(c.find("a")), 3u);
  EXPECT_EQ(c.count(c.find("b")), 2u);
  EXPECT_EQ(c.count(c.find("c")), 1u);
  EXPECT_EQ(c.find("d"), Counter::kDead);
  EXPECT_EQ(c.total(), 6u);
}

TEST(Counter, GrowsPastItsInitialTable) {
  Counter c;
  for (int i = 0; i < 200000; ++i) c.add(std::to_string(i % 150000) + "w");
  EXPECT_EQ(c.size(), 150000u);
  EXPECT_EQ(c.count(c.find("7w")), 2u);
  EXPECT_EQ(c.count(c.find("149999w")), 1u);
}

TEST(Counter, PruneDropsRareEntriesAndRemapsIds) {
  Counter c(10);
  for (int i = 0; i < 5; ++i) c.add("frequent");
  c.add("often");
  c.add("often");
  for (int i = 0; i < 12; ++i) c.add("rare" + std::to_string(i));
  ASSERT_TRUE(c.needs_prune());
  const std::uint32_t freq_before = c.find("frequent");
  std::vector<std::uint32_t> remap;
  c.prune(remap);
  EXPECT_LE(c.size(), 7u);
  EXPECT_EQ(c.find("rare3"), Counter::kDead);
  EXPECT_EQ(remap[freq_before], c.find("frequent"));
  EXPECT_EQ(c.count(c.find("frequent")), 5u);
  EXPECT_EQ(c.count(c.find("often")), 2u);
  EXPECT_EQ(c.prune_stats().rounds, 1u);
  EXPECT_EQ(c.prune_stats().entries_removed, 12u);
  EXPECT_EQ(c.prune_stats().tokens_removed, 12u);
  EXPECT_EQ(c.prune_stats().threshold, 2u);
}

TEST(Vocab, OrderIsCountDescendingThenWord) {
  Counter c = count_words({"b", "a", "c", "c", "b", "d", "d", "d"});
  std::vector<std::uint32_t> mapping;
  Vocab v = Vocab::build(c, {1, 0}, &mapping);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v.word(0), "d");
  EXPECT_EQ(v.word(1), "b");  // b and c tie at 2: bytewise order
  EXPECT_EQ(v.word(2), "c");
  EXPECT_EQ(v.word(3), "a");
  EXPECT_EQ(v.find("c"), 2u);
  EXPECT_EQ(mapping[c.find("d")], 0u);
  EXPECT_EQ(v.total_count(), 8u);
}

TEST(Vocab, MinCountAndMaxVocab) {
  Counter c = count_words({"x", "x", "x", "y", "y", "z"});
  Vocab v = Vocab::build(c, {2, 0});
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.find("z"), Vocab::kNone);
  Vocab top1 = Vocab::build(c, {1, 1});
  ASSERT_EQ(top1.size(), 1u);
  EXPECT_EQ(top1.word(0), "x");
}

TEST(Vocab, SaveAndLoadRoundTrip) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  Counter c = count_words({"서울", "서울", "부산", "king", "king", "king"});
  Vocab v = Vocab::build(c, {1, 0});
  v.save(dir.file("vocab.txt"));
  EXPECT_EQ(testing::read_file(dir.file("vocab.txt")), "king 3\n서울 2\n부산 1\n");
  Vocab back = Vocab::load(dir.file("vocab.txt"), {2, 0});
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.word(0), "king");
  EXPECT_EQ(back.count(1), 2u);
}

TEST(Vocab, LoadNamesFileAndLineOfBadLines) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("v.txt"), "a 3\nb three\n");
  try {
    Vocab::load(dir.file("v.txt"), {1, 0});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("v.txt:2:"), std::string::npos) << e.what();
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
  testing::write_file(dir.file("d.txt"), "a 3\na 2\n");
  EXPECT_THROW(Vocab::load(dir.file("d.txt"), {1, 0}), Error);
}

}  // namespace
}  // namespace w2v::vocab
