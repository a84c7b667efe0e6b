#include "query/word_table.hpp"

namespace w2v::query {

std::uint64_t WordTable::hash(std::string_view word) {
  // FNV-1a, 64 bits: stable across runs and machines (the index file stores its slots).
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : word) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

WordTable::WordTable(const std::vector<std::string>& words) : n_(words.size()) {
  std::size_t bytes = 0;
  for (const auto& w : words) bytes += w.size();
  blob_.reserve(bytes);
  offsets_.reserve(n_ + 1);
  for (const auto& w : words) {
    blob_ += w;
    offsets_.push_back(blob_.size());
  }
  n_slots_ = 16;
  while (n_slots_ < 2 * n_) n_slots_ *= 2;
  slots_.assign(n_slots_, 0);
  for (std::size_t r = 0; r < n_; ++r) {
    const std::string_view w = (*this)[r];
    std::size_t s = hash(w) & (n_slots_ - 1);
    bool seen = false;
    while (slots_[s] != 0) {
      if ((*this)[slots_[s] - 1] == w) {
        seen = true;
        break;
      }
      s = (s + 1) & (n_slots_ - 1);
    }
    if (!seen) slots_[s] = static_cast<std::uint32_t>(r + 1);
  }
}

WordTable::WordTable(const char* blob, const std::uint64_t* offsets, std::size_t n,
                     const std::uint32_t* slots, std::size_t n_slots)
    : view_blob_(blob), view_offsets_(offsets), view_slots_(slots), n_(n), n_slots_(n_slots) {}

std::uint32_t WordTable::find(std::string_view word) const {
  if (n_slots_ == 0) return kNone;
  const std::uint32_t* sl = slots();
  std::size_t s = hash(word) & (n_slots_ - 1);
  for (std::size_t probes = 0; probes < n_slots_; ++probes) {
    const std::uint32_t v = sl[s];
    if (v == 0) return kNone;
    if (v - 1 < n_ && (*this)[v - 1] == word) return v - 1;
    s = (s + 1) & (n_slots_ - 1);
  }
  return kNone;
}

}  // namespace w2v::query
