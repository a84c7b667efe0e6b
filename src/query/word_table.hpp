// The words of a vectors file as one byte blob with row offsets, and an open-addressing hash
// table over them: the same arrays whether built in memory or mapped from an index file
// (query/index_file.hpp), so a mapped table costs nothing to open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::query {

class WordTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  WordTable() = default;
  // Words in row order; a repeated word is found at its first row.
  explicit WordTable(const std::vector<std::string>& words);
  // Over arrays that outlive the table: `offsets` has n + 1 entries into `blob`, `slots` is a
  // power of two of entries (row + 1, 0 = empty) as built by the owning constructor.
  WordTable(const char* blob, const std::uint64_t* offsets, std::size_t n,
            const std::uint32_t* slots, std::size_t n_slots);

  std::size_t size() const { return n_; }
  std::string_view operator[](std::size_t id) const {
    const std::uint64_t* o = offsets();
    return {blob() + o[id], static_cast<std::size_t>(o[id + 1] - o[id])};
  }
  std::uint32_t find(std::string_view word) const;

  // The arrays, for writing them out.
  const char* blob() const { return view_blob_ != nullptr ? view_blob_ : blob_.data(); }
  std::size_t blob_bytes() const { return n_ == 0 ? 0 : offsets()[n_]; }
  const std::uint64_t* offsets() const {
    return view_offsets_ != nullptr ? view_offsets_ : offsets_.data();
  }
  const std::uint32_t* slots() const {
    return view_slots_ != nullptr ? view_slots_ : slots_.data();
  }
  std::size_t slot_count() const { return n_slots_; }

  static std::uint64_t hash(std::string_view word);

 private:
  std::string blob_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<std::uint32_t> slots_;
  const char* view_blob_ = nullptr;
  const std::uint64_t* view_offsets_ = nullptr;
  const std::uint32_t* view_slots_ = nullptr;
  std::size_t n_ = 0;
  std::size_t n_slots_ = 0;
};

}  // namespace w2v::query
