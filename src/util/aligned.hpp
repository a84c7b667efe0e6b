// The one aligned allocator: 64-byte aligned, zeroed storage, size rounded up to whole cache
// lines (so SIMD loops over padded rows never touch another allocation). Matrix, the training
// scratch and eval's packed tiles all allocate through it.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace w2v {

inline void* aligned_zeroed(std::size_t bytes) {
  bytes = bytes == 0 ? 64 : (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw std::bad_alloc();
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
