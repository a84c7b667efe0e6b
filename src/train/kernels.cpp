#include "train/kernels.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "train/sigmoid_tables.hpp"
#include "util/aligned.hpp"
#include "util/error.hpp"

namespace w2v::train {

namespace detail {
SentenceFn scalar_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords);
SentenceFn avx2_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords);
SentenceFn avx512_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords);
DotFn scalar_dot();
DotFn avx2_dot();
DotFn avx512_dot();
AxpyFn scalar_axpy();
AxpyFn avx2_axpy();
AxpyFn avx512_axpy();
}  // namespace detail

namespace tables {
namespace {
struct Tables {
  std::array<float, kSize + 1> sig{};
  std::array<float, kSize + 1> nls{};
  Tables() {
    for (int i = 0; i <= kSize; ++i) {
      // Centre of each cell, so the nearest-below lookup has half-cell error at most.
      const double x = -kMaxExp + (i + 0.5) / kScale;
      sig[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
      nls[i] = static_cast<float>(std::log1p(std::exp(-x)));
    }
  }
};
const Tables& instance() {
  static const Tables t;
  return t;
}
}  // namespace
const float* const sigmoid = instance().sig.data();
const float* const neg_log_sigmoid = instance().nls.data();
}  // namespace tables

KernelKind parse_kernel(const std::string& name) {
  if (name == "exact") return KernelKind::kExact;
  if (name == "batched") return KernelKind::kBatched;
  throw Error(fmt::format("unknown --kernel '{}' (use batched or exact)", name), kExitUsage);
}

const char* kernel_name(KernelKind k) {
  return k == KernelKind::kExact ? "exact" : "batched";
}

ModelKind parse_model(const std::string& name) {
  if (name == "sg" || name == "skipgram") return ModelKind::kSkipGram;
  if (name == "cbow") return ModelKind::kCbow;
  throw Error(fmt::format("unknown --model '{}' (use sg or cbow)", name), kExitUsage);
}

const char* model_name(ModelKind m) {
  return m == ModelKind::kCbow ? "cbow" : "sg";
}

LossKind parse_loss(const std::string& name) {
  if (name == "ns") return LossKind::kNegative;
  if (name == "hs") return LossKind::kHierarchical;
  throw Error(fmt::format("unknown --loss '{}' (use ns or hs)", name), kExitUsage);
}

const char* loss_name(LossKind l) {
  return l == LossKind::kHierarchical ? "hs" : "ns";
}

SentenceFn sentence_kernel(Isa isa, ModelKind model, LossKind loss, KernelKind kind,
                           bool subwords) {
  switch (isa) {
    case Isa::kAvx512:
      return detail::avx512_sentence(model, loss, kind, subwords);
    case Isa::kAvx2:
      return detail::avx2_sentence(model, loss, kind, subwords);
    default:
      return detail::scalar_sentence(model, loss, kind, subwords);
  }
}
DotFn dot_kernel(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return detail::avx512_dot();
    case Isa::kAvx2:
      return detail::avx2_dot();
    default:
      return detail::scalar_dot();
  }
}
AxpyFn axpy_kernel(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return detail::avx512_axpy();
    case Isa::kAvx2:
      return detail::avx2_axpy();
    default:
      return detail::scalar_axpy();
  }
}

// As sigmoid() / neg_log_sigmoid() in train_impl.hpp (kept apart: that file is compiled per ISA).
float table_sigmoid(float f) {
  if (f >= tables::kMaxExp) return 1.0f;
  if (!(f > -tables::kMaxExp)) return 0.0f;  // also NaN
  return tables::sigmoid[static_cast<int>((f + tables::kMaxExp) * tables::kScale)];
}
float table_neg_log_sigmoid(float f) {
  if (f >= tables::kMaxExp) return 0.0f;
  if (!(f > -tables::kMaxExp)) return -f;  // NaN stays NaN
  return tables::neg_log_sigmoid[static_cast<int>((f + tables::kMaxExp) * tables::kScale)];
}

namespace {
template <typename T>
T* scratch_array(std::size_t n) {
  return static_cast<T*>(aligned_zeroed(n * sizeof(T)));
}
}  // namespace

KernelScratch::KernelScratch(std::size_t stride, int window, int negative,
                             std::size_t max_sentence_, bool subwords)
    : max_sentence(max_sentence_),
      max_targets(
          std::max<std::size_t>(static_cast<std::size_t>(negative) + 1, HuffmanTree::kMaxDepth)) {
  const auto rows = 2 * static_cast<std::size_t>(window) + 1;
  grad = scratch_array<float>(rows * stride);
  hidden = scratch_array<float>(rows * stride);
  // + kPad: the batched rule's logistic step reads and writes whole vectors past the last target.
  scores = scratch_array<float>(rows * max_targets + kPad);
  kept = scratch_array<std::uint32_t>(max_sentence_);
  targets = scratch_array<std::uint32_t>(2 * max_targets);  // current + next centre's
  out_rows = scratch_array<float*>(max_targets);
  draws = scratch_array<std::uint64_t>(max_targets);
  hot_local = scratch_array<float>(kHotNodes * stride);
  hot_base = scratch_array<float>(kHotNodes * stride);
  hot_used = scratch_array<std::uint8_t>(kHotNodes);
  labels = scratch_array<float>(max_targets + kPad);
  contexts = scratch_array<std::uint32_t>(rows);
  inputs = scratch_array<const float*>(rows);
  positions = scratch_array<std::uint32_t>(rows);
  if (subwords) {
    sub_mean = scratch_array<float>(max_sentence_ * stride);
    sub_grad = scratch_array<float>(max_sentence_ * stride);
    sub_count = scratch_array<std::uint32_t>(max_sentence_);
  }
}

KernelScratch::~KernelScratch() {
  std::free(grad);
  std::free(hidden);
  std::free(scores);
  std::free(kept);
  std::free(targets);
  std::free(static_cast<void*>(out_rows));
  std::free(draws);
  std::free(hot_local);
  std::free(hot_base);
  std::free(hot_used);
  std::free(labels);
  std::free(contexts);
  std::free(static_cast<void*>(inputs));
  std::free(positions);
  std::free(sub_mean);
  std::free(sub_grad);
  std::free(sub_count);
}

}  // namespace w2v::train
