#include "train/huffman.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/error.hpp"

namespace w2v::train {

HuffmanTree::HuffmanTree(const std::vector<std::uint64_t>& counts) {
  const std::size_t n = counts.size();
  offsets_.assign(n + 1, 0);
  if (n < 2) return;  // one word: nothing to predict
  // Nodes 0..n-1 are the leaves (counts descending), n..2n-2 the inner nodes in creation order,
  // so their weights ascend: two queues (leaves from the back, inner nodes from the front) give
  // the two lightest nodes in O(1). On equal weights the inner node is taken, as in word2vec.c.
  std::vector<std::uint64_t> weight(2 * n - 1);
  std::vector<std::uint32_t> parent(2 * n - 1, 0);
  std::vector<std::uint8_t> branch(2 * n - 1, 0);
  std::copy(counts.begin(), counts.end(), weight.begin());
  std::size_t leaf = n;   // next leaf is leaf - 1
  std::size_t inner = n;  // next inner node
  auto lightest = [&](std::size_t made) {
    if (leaf > 0 && (inner >= made || weight[leaf - 1] < weight[inner])) return --leaf;
    return inner++;
  };
  for (std::size_t made = n; made < 2 * n - 1; ++made) {
    const std::size_t a = lightest(made);
    const std::size_t b = lightest(made);
    weight[made] = weight[a] + weight[b];
    parent[a] = parent[b] = static_cast<std::uint32_t>(made);
    branch[b] = 1;
  }
  const std::size_t root = 2 * n - 2;
  std::vector<std::uint32_t> up;
  for (std::size_t w = 0; w < n; ++w) {
    up.clear();
    for (std::size_t node = w; node != root; node = parent[node])
      up.push_back(static_cast<std::uint32_t>(node));
    if (up.size() > kMaxDepth) {
      throw Error(fmt::format("hierarchical softmax: word {} is {} levels deep (at most {})", w,
                              up.size(), kMaxDepth),
                  kExitInput);
    }
    // Root first: the inner node above each step, as an output row (node - n), and the branch.
    for (auto it = up.rbegin(); it != up.rend(); ++it) {
      points_.push_back(parent[*it] - static_cast<std::uint32_t>(n));
      codes_.push_back(branch[*it]);
    }
    offsets_[w + 1] = static_cast<std::uint32_t>(points_.size());
  }
}

}  // namespace w2v::train
