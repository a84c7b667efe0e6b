// The training kernels for one instruction set (avx512). See train_impl.hpp.
// All headers come before the target pragma, so no inline function of theirs is compiled for
// this instruction set (that would leak avx512 code into the rest of the program).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "train/kernels.hpp"
#include "train/sigmoid_tables.hpp"

#pragma GCC target("avx512f,avx512vl,avx512dq,avx2,fma")

namespace w2v::train::isa_avx512 {

#define W2V_VEC_FLOATS 16
#include "train/train_impl.hpp"
#undef W2V_VEC_FLOATS

}  // namespace w2v::train::isa_avx512

namespace w2v::train::detail {
SentenceFn avx512_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords) {
  return isa_avx512::pick_sentence(model, loss, kind, subwords);
}
DotFn avx512_dot() {
  return &isa_avx512::dot_entry;
}
AxpyFn avx512_axpy() {
  return &isa_avx512::axpy_entry;
}
}  // namespace w2v::train::detail
