// The training kernels for one instruction set (avx2). See train_impl.hpp.
// All headers come before the target pragma, so no inline function of theirs is compiled for
// this instruction set (that would leak avx2 code into the rest of the program).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "train/kernels.hpp"
#include "train/sigmoid_tables.hpp"

#pragma GCC target("avx2,fma")

namespace w2v::train::isa_avx2 {

#define W2V_VEC_FLOATS 8
#include "train/train_impl.hpp"
#undef W2V_VEC_FLOATS

}  // namespace w2v::train::isa_avx2

namespace w2v::train::detail {
SentenceFn avx2_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords) {
  return isa_avx2::pick_sentence(model, loss, kind, subwords);
}
DotFn avx2_dot() {
  return &isa_avx2::dot_entry;
}
AxpyFn avx2_axpy() {
  return &isa_avx2::axpy_entry;
}
}  // namespace w2v::train::detail
