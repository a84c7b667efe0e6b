// The analogy sweep for AVX-512F. All headers come before the target pragma, so no inline
// function of theirs is compiled for this instruction set.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "eval/analogy_kernel.hpp"

#pragma GCC target("avx512f,avx2,fma")

namespace w2v::eval::isa_avx512 {

#define W2V_EVAL_W 16
inline __m512 fmadd(__m512 a, __m512 b, __m512 c) {
  return _mm512_fmadd_ps(a, b, c);
}
#include "eval/analogy_kernel_impl.hpp"
#undef W2V_EVAL_W

}  // namespace w2v::eval::isa_avx512

namespace w2v::eval::detail {
Kernel avx512_kernel() {
  return {&isa_avx512::sweep, isa_avx512::NR, true};
}
}  // namespace w2v::eval::detail
