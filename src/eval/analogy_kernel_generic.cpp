// The analogy sweep for any x86-64 (SSE2): a multiply then an add, never fused.
#include <cstddef>
#include <cstdint>

#include "eval/analogy_kernel.hpp"

#pragma GCC optimize("fp-contract=off")

namespace w2v::eval::isa_generic {

#define W2V_EVAL_W 4
inline float __attribute__((vector_size(16)))
fmadd(float __attribute__((vector_size(16))) a, float __attribute__((vector_size(16))) b,
      float __attribute__((vector_size(16))) c) {
  return a * b + c;
}
#include "eval/analogy_kernel_impl.hpp"
#undef W2V_EVAL_W

}  // namespace w2v::eval::isa_generic

namespace w2v::eval::detail {
Kernel generic_kernel() {
  return {&isa_generic::sweep, isa_generic::NR, false};
}
}  // namespace w2v::eval::detail
