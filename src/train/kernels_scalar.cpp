// The training kernels for one instruction set (scalar). See train_impl.hpp.
// All headers come before the target pragma, so no inline function of theirs is compiled for
// this instruction set (that would leak scalar code into the rest of the program).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "train/kernels.hpp"
#include "train/sigmoid_tables.hpp"

namespace w2v::train::isa_scalar {

#define W2V_VEC_FLOATS 4
#include "train/train_impl.hpp"
#undef W2V_VEC_FLOATS

}  // namespace w2v::train::isa_scalar

namespace w2v::train::detail {
SentenceFn scalar_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords) {
  return isa_scalar::pick_sentence(model, loss, kind, subwords);
}
DotFn scalar_dot() {
  return &isa_scalar::dot_entry;
}
AxpyFn scalar_axpy() {
  return &isa_scalar::axpy_entry;
}
}  // namespace w2v::train::detail
