// Zeroed memory for big hash tables, on 2 MB pages where the kernel allows it (the madvise mode of
// transparent huge pages, Debian's default): their look-ups are random, and with 4 kB pages
// nearly every one would also miss the TLB, and filling the table would fault in every 4 kB page
// one by one. Small buffers come from calloc.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace w2v {

class ZeroedBuffer {
 public:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;

  ZeroedBuffer() = default;
  explicit ZeroedBuffer(std::size_t bytes) {
    if (bytes < kHuge) {
      data_ = std::calloc(bytes == 0 ? 1 : bytes, 1);
      if (data_ == nullptr) throw std::bad_alloc();
      return;
    }
    len_ = bytes + kHuge;
    void* p = ::mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    raw_ = p;
    const std::uintptr_t misalign = reinterpret_cast<std::uintptr_t>(p) % kHuge;
    data_ = static_cast<char*>(p) + (misalign == 0 ? 0 : kHuge - misalign);
    ::madvise(data_, bytes, MADV_HUGEPAGE);
  }
  ZeroedBuffer(const ZeroedBuffer&) = delete;
  ZeroedBuffer& operator=(const ZeroedBuffer&) = delete;
  ZeroedBuffer(ZeroedBuffer&& o) noexcept
      : raw_(std::exchange(o.raw_, nullptr)),
        data_(std::exchange(o.data_, nullptr)),
        len_(std::exchange(o.len_, 0)) {}
  ZeroedBuffer& operator=(ZeroedBuffer&& o) noexcept {
    if (this != &o) {
      release();
      raw_ = std::exchange(o.raw_, nullptr);
      data_ = std::exchange(o.data_, nullptr);
      len_ = std::exchange(o.len_, 0);
    }
    return *this;
  }
  ~ZeroedBuffer() { release(); }
  void* data() const { return data_; }

 private:
  void release() noexcept {
    if (raw_ != nullptr) {
      ::munmap(raw_, len_);
    } else {
      std::free(data_);
    }
    raw_ = data_ = nullptr;
    len_ = 0;
  }
  void* raw_ = nullptr;   // the mapping (big buffers), else nullptr
  void* data_ = nullptr;  // 2 MB aligned for big buffers
  std::size_t len_ = 0;
};

}  // namespace w2v
