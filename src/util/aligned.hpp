// The one aligned allocator: 64-byte aligned, zeroed storage, size rounded up to whole cache
// lines (so SIMD loops over padded rows never touch another allocation). Matrix, the training
// scratch and eval's packed tiles all allocate through it. From 2 MB up it hands out whole 2 MB
// pages where the kernel allows (transparent huge pages in madvise mode, Debian's default): the
// trainer reads and writes the model's rows at random, and with 4 kB pages nearly every row
// access also missed the TLB (measured: training 7 % faster on en_mix, BENCHMARKS.md).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace w2v {

inline void* aligned_zeroed(std::size_t bytes) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const std::size_t align = bytes >= kHuge ? kHuge : 64;
  bytes = bytes == 0 ? align : (bytes + align - 1) / align * align;
  void* p = std::aligned_alloc(align, bytes);
  if (p == nullptr) throw std::bad_alloc();
  if (align == kHuge) ::madvise(p, bytes, MADV_HUGEPAGE);  // before the pages are touched
  std::memset(p, 0, bytes);
  return p;
}

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

// n zeroed elements of a trivial type T, freed when the owner goes.
template <class T>
std::unique_ptr<T[], FreeDeleter> aligned_array(std::size_t n) {
  return std::unique_ptr<T[], FreeDeleter>(static_cast<T*>(aligned_zeroed(n * sizeof(T))));
}

}  // namespace w2v
