#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/vocab_file.hpp"
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

// Words that differ only where a slot's key cannot see them would be merged by a wrong key:
// every length from 0 to 40 bytes, words sharing their first and last 8 bytes, bytes >= 0x80.
std::vector<std::string> tricky_words(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  const std::string alphabet = "ab\x80\xff";
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = rng() % 41;
    std::string w(len, 'a');
    for (auto& ch : w) ch = alphabet[rng() % alphabet.size()];
    if (len > 16 && rng() % 2 == 0) {  // same head and tail as a fixed word, middle varies
      for (std::size_t k = 0; k < 8; ++k) w[k] = w[len - 1 - k] = 'a';
    }
    out.push_back(w);
  }
  return out;
}

std::map<std::string, std::uint64_t> reference_counts(const std::vector<std::string>& words) {
  std::map<std::string, std::uint64_t> m;
  for (const auto& w : words) ++m[w];
  return m;
}

void expect_counts(const Counter& c, const std::map<std::string, std::uint64_t>& want) {
  ASSERT_EQ(c.size(), want.size());
  const std::vector<std::uint64_t> counts = c.counts();
  for (std::uint32_t id = 0; id < c.size(); ++id) {
    const std::string w(c.word(id));
    ASSERT_EQ(want.count(w), 1u) << "unexpected word of " << w.size() << " bytes";
    EXPECT_EQ(c.count(id), want.at(w));
    EXPECT_EQ(counts[id], want.at(w));
    EXPECT_EQ(c.find(w), id);
  }
}

TEST(Counter, KeepsApartWordsThatShareTheirEnds) {
  const auto words = tricky_words(20000, 7);
  const auto want = reference_counts(words);
  Counter one;
  for (const auto& w : words) one.add(w);
  expect_counts(one, want);
  EXPECT_EQ(one.find(std::string(17, 'b')), one.find(std::string(17, 'b')));
}

TEST(Counter, BatchedAddAndMergeGiveTheSameIdsAsOneByOne) {
  const auto words = tricky_words(30000, 11);
  std::vector<std::string_view> views(words.begin(), words.end());
  Counter one, batch;
  std::vector<std::uint32_t> ids_one, ids_batch(views.size());
  for (const auto& w : views) ids_one.push_back(one.add(w));
  batch.add_all(views.data(), views.size(), ids_batch.data());
  EXPECT_EQ(ids_one, ids_batch);
  expect_counts(batch, reference_counts(words));

  // add_counts: a merge in the other's id order, with its counts.
  Counter merged;
  merged.add("seen-before", 3);
  std::vector<std::uint32_t> to_merged(batch.size());
  merged.add_counts(batch, to_merged.data());
  for (std::uint32_t id = 0; id < batch.size(); ++id) {
    EXPECT_EQ(merged.word(to_merged[id]), batch.word(id));
    EXPECT_EQ(merged.count(to_merged[id]), batch.count(id));
  }
  EXPECT_EQ(merged.total(), batch.total() + 3);
}

TEST(Counter, ClearForgetsAndReservesKeepIds) {
  const auto words = tricky_words(5000, 3);
  Counter c;
  c.reserve(10000);
  for (const auto& w : words) c.add(w);
  expect_counts(c, reference_counts(words));
  c.clear();
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.total(), 0u);
  EXPECT_EQ(c.find(words[0]), Counter::kDead);
  const auto again = tricky_words(5000, 4);
  for (const auto& w : again) c.add(w);
  expect_counts(c, reference_counts(again));
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

TEST(Vocab, TiesAreInByteOrderForWordsSharingTheirFirstBytes) {
  // The sort compares the first 8 bytes as a number before whole words: "abc" before "abcd",
  // bytes >= 0x80 after ASCII, words equal in their first 8 bytes by the rest.
  const auto words = tricky_words(20000, 5);
  Counter c;
  for (const auto& w : words) c.add(w);
  const auto want = reference_counts(words);
  std::vector<std::pair<std::uint64_t, std::string>> expected;
  for (const auto& [w, n] : want) expected.emplace_back(n, w);
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const Vocab v = Vocab::build(c, {1, 0});
  ASSERT_EQ(v.size(), expected.size());
  for (std::uint32_t id = 0; id < v.size(); ++id) {
    ASSERT_EQ(v.word(id), expected[id].second) << "at rank " << id;
    EXPECT_EQ(v.count(id), expected[id].first);
  }
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
  io::write_vocab_file(dir.file("vocab.txt"), v);
  EXPECT_EQ(testing::read_file(dir.file("vocab.txt")), "king 3\n서울 2\n부산 1\n");
  Vocab back = io::read_vocab_file(dir.file("vocab.txt"), {2, 0});
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.word(0), "king");
  EXPECT_EQ(back.count(1), 2u);
}

TEST(Vocab, LoadNamesFileAndLineOfBadLines) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("v.txt"), "a 3\nb three\n");
  try {
    io::read_vocab_file(dir.file("v.txt"), {1, 0});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("v.txt:2:"), std::string::npos) << e.what();
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
  testing::write_file(dir.file("d.txt"), "a 3\na 2\n");
  EXPECT_THROW(io::read_vocab_file(dir.file("d.txt"), {1, 0}), Error);
}

}  // namespace
}  // namespace w2v::vocab
