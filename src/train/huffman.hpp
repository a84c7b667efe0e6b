// The binary tree of hierarchical softmax: word2vec.c's Huffman tree over the word counts.
//
// Words are leaves; each of the size-1 inner nodes owns one output row (row index = inner node
// number, the root being size-2). A word's path lists the inner nodes from the root down and,
// for each, the branch taken (code 0 or 1); hierarchical softmax predicts the branches with
// label 1 - code, as word2vec.c does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace w2v::train {

class HuffmanTree {
 public:
  static constexpr std::size_t kMaxDepth = 40;  // word2vec.c's MAX_CODE_LENGTH

  HuffmanTree() = default;
  // counts sorted descending (the vocabulary's order); ties are broken as word2vec.c does.
  explicit HuffmanTree(const std::vector<std::uint64_t>& counts);

  std::size_t words() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t depth(std::uint32_t word) const { return offsets_[word + 1] - offsets_[word]; }
  const std::uint32_t* points(std::uint32_t word) const { return points_.data() + offsets_[word]; }
  const std::uint8_t* codes(std::uint32_t word) const { return codes_.data() + offsets_[word]; }

 private:
  std::vector<std::uint32_t> offsets_;  // words + 1
  std::vector<std::uint32_t> points_;   // inner-node rows, root first
  std::vector<std::uint8_t> codes_;
};

}  // namespace w2v::train
