// Internal: the batched analogy scorer, compiled once per instruction set
// (analogy_kernel_{generic,avx2,avx512}.cpp include analogy_kernel_impl.hpp) and chosen at run
// time with best_isa() (util/isa.hpp).
//
// Layout. B (the vocabulary): tiles of NR = 2 * W columns (W = floats per SIMD register), each
// tile stored k-major: tile[k * NR + j] = unit row (t * NR + j), element k; columns past the
// vocabulary are NaN, so they never win a comparison. A (the questions): blocks of MR = 6 rows,
// k-major: block[k * 6 + i]. For 3CosAdd the six rows are six targets; for 3CosMul they are
// a, b, c of two questions.
//
// Scores accumulate over k in order, one fused multiply-add per element on FMA targets (a
// multiply then an add on the generic one) - the same operations, in the same order, as
// compute-accuracy's scalar loop compiled with -march=native, so the scores are bit-identical.
#pragma once

#include <cstddef>
#include <cstdint>

namespace w2v::eval::detail {

constexpr std::size_t kMR = 6;

// A (question-row, column) pair whose score must be ignored (NaN), sorted by column.
struct Exclusion {
  std::uint32_t column;
  std::uint32_t row;  // output row: 0..5 for 3CosAdd, 0..1 for 3CosMul
};

struct SweepArgs {
  const float* a = nullptr;  // one A block, dim x 6
  const float* b = nullptr;  // packed B, tiles x dim x NR
  std::size_t dim = 0;
  std::size_t tile_begin = 0, tile_end = 0;
  const Exclusion* excl = nullptr;  // sorted by column, all within [tile_begin, tile_end) * NR
  std::size_t n_excl = 0;
  bool cosmul = false;
  float* best = nullptr;               // out_rows x NR running best per lane
  std::int32_t* best_index = nullptr;  // out_rows x NR, -1 = none
};

using SweepFn = void (*)(const SweepArgs&);

struct Kernel {
  SweepFn sweep;
  std::size_t nr;  // columns per tile
  bool fma;        // scores use fused multiply-add
};

Kernel generic_kernel();
Kernel avx2_kernel();
Kernel avx512_kernel();

}  // namespace w2v::eval::detail
