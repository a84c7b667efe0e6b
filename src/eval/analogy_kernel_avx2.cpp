// The analogy sweep for AVX2 + FMA. All headers come before the target pragma, so no inline
// function of theirs is compiled for this instruction set.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "eval/analogy_kernel.hpp"

#pragma GCC target("avx2,fma")

namespace w2v::eval::isa_avx2 {

#define W2V_EVAL_W 8
inline __m256 fmadd(__m256 a, __m256 b, __m256 c) {
  return _mm256_fmadd_ps(a, b, c);
}
#include "eval/analogy_kernel_impl.hpp"
#undef W2V_EVAL_W

}  // namespace w2v::eval::isa_avx2

namespace w2v::eval::detail {
Kernel avx2_kernel() {
  return {&isa_avx2::sweep, isa_avx2::NR, true};
}
}  // namespace w2v::eval::detail
