// Internal: the body of one instruction set's analogy sweep. Included by
// analogy_kernel_{generic,avx2,avx512}.cpp inside their own namespace, after they define
//   W2V_EVAL_W      floats per SIMD register (4, 8, 16)
//   fmadd(a, b, c)  a * b + c, fused on FMA targets
// See analogy_kernel.hpp for the layouts.

constexpr std::size_t W = W2V_EVAL_W;
constexpr std::size_t NR = 2 * W;
using vf = float __attribute__((vector_size(W * 4)));
using vi = std::int32_t __attribute__((vector_size(W * 4)));
using vf_u = float __attribute__((vector_size(W * 4), aligned(4), may_alias));
using vi_u = std::int32_t __attribute__((vector_size(W * 4), aligned(4), may_alias));

inline vf load(const float* p) {
  return *reinterpret_cast<const vf_u*>(p);
}
inline void store(float* p, vf v) {
  *reinterpret_cast<vf_u*>(p) = v;
}
inline vi load_i(const std::int32_t* p) {
  return *reinterpret_cast<const vi_u*>(p);
}
inline void store_i(std::int32_t* p, vi v) {
  *reinterpret_cast<vi_u*>(p) = v;
}

inline vf splat(float x) {
  return vf{} + x;
}
inline vi iota() {
  vi v{};
  for (std::size_t j = 0; j < W; ++j) v[j] = static_cast<std::int32_t>(j);
  return v;
}

void sweep(const detail::SweepArgs& s) {
  const std::size_t d = s.dim;
  const std::size_t out_rows = s.cosmul ? 2 : detail::kMR;
  const vi lanes = iota();
  const float nan = __builtin_nanf("");
  std::size_t e = 0;
  for (std::size_t t = s.tile_begin; t < s.tile_end; ++t) {
    const float* bt = s.b + t * d * NR;
    vf acc[detail::kMR][2];
#pragma GCC unroll 6
    for (std::size_t i = 0; i < detail::kMR; ++i) acc[i][0] = acc[i][1] = vf{};
    for (std::size_t k = 0; k < d; ++k) {
      const vf b0 = load(bt + k * NR);
      const vf b1 = load(bt + k * NR + W);
      const float* ak = s.a + k * detail::kMR;
#pragma GCC unroll 6
      for (std::size_t i = 0; i < detail::kMR; ++i) {
        const vf ai = splat(ak[i]);
        acc[i][0] = fmadd(ai, b0, acc[i][0]);
        acc[i][1] = fmadd(ai, b1, acc[i][1]);
      }
    }
    if (s.cosmul) {
      const vf one = splat(1.0f), half = splat(0.5f), eps = splat(1e-6f);
      for (std::size_t q = 0; q < 2; ++q) {
        for (std::size_t h = 0; h < 2; ++h) {
          const vf ca = (one + acc[3 * q][h]) * half;
          const vf cb = (one + acc[3 * q + 1][h]) * half;
          const vf cc = (one + acc[3 * q + 2][h]) * half;
          acc[q][h] = (cb * cc) / (ca + eps);
        }
      }
    }
    const std::size_t col0 = t * NR;
    if (e < s.n_excl && s.excl[e].column < col0 + NR) {
      alignas(64) float buf[detail::kMR][NR];
      for (std::size_t r = 0; r < out_rows; ++r) {
        store(&buf[r][0], acc[r][0]);
        store(&buf[r][W], acc[r][1]);
      }
      for (; e < s.n_excl && s.excl[e].column < col0 + NR; ++e) {
        buf[s.excl[e].row][s.excl[e].column - col0] = nan;
      }
      for (std::size_t r = 0; r < out_rows; ++r) {
        acc[r][0] = load(&buf[r][0]);
        acc[r][1] = load(&buf[r][W]);
      }
    }
    const auto c0 = static_cast<std::int32_t>(col0);
    for (std::size_t r = 0; r < out_rows; ++r) {
      for (std::size_t h = 0; h < 2; ++h) {
        float* bp = s.best + r * NR + h * W;
        std::int32_t* ip = s.best_index + r * NR + h * W;
        const vf cur = load(bp);
        const vi m = acc[r][h] > cur;  // NaN never wins; ties keep the earlier column
        store(bp, m ? acc[r][h] : cur);
        store_i(ip, m ? (lanes + (c0 + static_cast<std::int32_t>(h * W))) : load_i(ip));
      }
    }
  }
}
