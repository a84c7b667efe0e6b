// The SGNS hot loop. Included by kernels_<isa>.cpp AFTER all headers and after
// `#pragma GCC target(...)`, inside an ISA-specific namespace, with W2V_VEC_FLOATS defined:
// everything here is compiled once per instruction set. No allocation, locks, virtual calls or
// exceptions in here.
//
// Two update rules:
//  * exact   — word2vec.c's: for each (centre, context) pair, fresh negatives; the context's
//              input vector predicts the centre and the negatives, output rows are updated
//              pair by pair.
//  * batched — HogBatch (Ji et al. 2016): the negatives of a centre word are shared by its whole
//              window; the m context rows and the (1 + negative) target rows form a small
//              m x (1 + negative) score block, and all gradients are taken from the same
//              snapshot, which turns the work into three small dense matrix products with the
//              rows held in cache (and in registers when the row fits).

// NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast)
constexpr std::size_t W = W2V_VEC_FLOATS;
typedef float vf __attribute__((vector_size(W * sizeof(float))));

inline vf load(const float* p) {
  return *reinterpret_cast<const vf*>(p);
}
inline void store(float* p, vf v) {
  *reinterpret_cast<vf*>(p) = v;
}
inline vf splat(float x) {
  return vf{} + x;
}
typedef float vf4 __attribute__((vector_size(16)));
typedef float vf8 __attribute__((vector_size(32)));
inline float hsum4(vf4 b) {
  return (b[0] + b[2]) + (b[1] + b[3]);
}
inline float hsum8(vf8 a) {
  return hsum4(__builtin_shufflevector(a, a, 0, 1, 2, 3) +
               __builtin_shufflevector(a, a, 4, 5, 6, 7));
}
// Horizontal sum as a shuffle tree (log2(W) steps), not W sequential lane extracts.
template <typename V>
inline float hsum(V v) {
  if constexpr (sizeof(V) == 64) {
    return hsum8(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
                 __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
  } else if constexpr (sizeof(V) == 32) {
    return hsum8(v);
  } else if constexpr (sizeof(V) == 16) {
    return hsum4(v);
  } else {
    float s = 0;
    for (std::size_t k = 0; k < W; ++k) s += v[k];
    return s;
  }
}

inline void prefetch_row(const float* row, std::size_t stride) {
  for (std::size_t i = 0; i < stride; i += 16) __builtin_prefetch(row + i, 1, 3);
}

inline float dot(const float* a, const float* b, std::size_t n) {
  vf acc0{}, acc1{};
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 += load(a + i) * load(b + i);
    acc1 += load(a + i + W) * load(b + i + W);
  }
  for (; i < n; i += W) acc0 += load(a + i) * load(b + i);
  return hsum(acc0 + acc1);
}

inline void axpy(float alpha, const float* x, float* y, std::size_t n) {
  const vf a = splat(alpha);
  for (std::size_t i = 0; i < n; i += W) store(y + i, load(y + i) + a * load(x + i));
}

// A diverged model (far too high a learning rate) has NaN dot products: they must never become a
// table index. NaN fails every comparison, so "inside the table" is tested positively.
inline float sigmoid(float f) {
  if (f >= tables::kMaxExp) return 1.0f;
  if (!(f > -tables::kMaxExp)) return 0.0f;  // also NaN
  return tables::sigmoid[static_cast<int>((f + tables::kMaxExp) * tables::kScale)];
}
inline float neg_log_sigmoid(float f) {  // -log sigma(f)
  if (f >= tables::kMaxExp) return 0.0f;
  if (!(f > -tables::kMaxExp)) return -f;  // NaN stays NaN: the loss shows the divergence
  return tables::neg_log_sigmoid[static_cast<int>((f + tables::kMaxExp) * tables::kScale)];
}

// One centre word, batched: contexts[0..m) predict targets[0..nt) (targets[0] is the centre).
// C = row length in vectors when known at compile time (0: use `chunks`).
template <int C>
inline void batched_block(const SgnsModel& model, const std::uint32_t* contexts, int m,
                          const std::uint32_t* targets, int nt, float lr, SgnsScratch& s,
                          double& loss) {
  const std::size_t stride = model.stride;
  const std::size_t chunks = C > 0 ? static_cast<std::size_t>(C) : stride / W;
  float* scores = s.scores;
  for (int j = 0; j < m; ++j) {
    const float* a = model.in + contexts[j] * stride;
    vf areg[C > 0 ? C : 1];  // NOLINT(bugprone-branch-clone): C == 1 makes both arms 1
    if constexpr (C > 0) {
      for (int c = 0; c < C; ++c) areg[c] = load(a + c * W);
    }
    float* g = scores + j * nt;
    for (int t = 0; t < nt; ++t) {
      const float* o = model.out + targets[t] * stride;
      float f;
      if constexpr (C > 0) {
        vf acc0 = areg[0] * load(o);
        vf acc1{};
        for (int c = 1; c < C; ++c) {
          if (c & 1)
            acc1 += areg[c] * load(o + c * W);
          else
            acc0 += areg[c] * load(o + c * W);
        }
        f = hsum(acc0 + acc1);
      } else {
        f = dot(a, o, stride);
      }
      const float label = t == 0 ? 1.0f : 0.0f;
      loss += neg_log_sigmoid(t == 0 ? f : -f);
      g[t] = (label - sigmoid(f)) * lr;
    }
    // Input gradient of context j from the output rows as they are now.
    float* grad = s.grad + j * stride;
    if constexpr (C > 0) {
      vf acc[C];
      const vf g0 = splat(g[0]);
      const float* o0 = model.out + targets[0] * stride;
      for (int c = 0; c < C; ++c) acc[c] = g0 * load(o0 + c * W);
      for (int t = 1; t < nt; ++t) {
        const vf gt = splat(g[t]);
        const float* o = model.out + targets[t] * stride;
        for (int c = 0; c < C; ++c) acc[c] += gt * load(o + c * W);
      }
      for (int c = 0; c < C; ++c) store(grad + c * W, acc[c]);
    } else {
      for (std::size_t i = 0; i < stride; i += W) store(grad + i, vf{});
      for (int t = 0; t < nt; ++t) axpy(g[t], model.out + targets[t] * stride, grad, stride);
    }
  }
  // Output rows: each target accumulates over the whole window.
  for (int t = 0; t < nt; ++t) {
    float* o = model.out + targets[t] * stride;
    if constexpr (C > 0) {
      vf acc[C];
      for (int c = 0; c < C; ++c) acc[c] = load(o + c * W);
      for (int j = 0; j < m; ++j) {
        const vf gj = splat(scores[j * nt + t]);
        const float* a = model.in + contexts[j] * stride;
        for (int c = 0; c < C; ++c) acc[c] += gj * load(a + c * W);
      }
      for (int c = 0; c < C; ++c) store(o + c * W, acc[c]);
    } else {
      for (int j = 0; j < m; ++j)
        axpy(scores[j * nt + t], model.in + contexts[j] * stride, o, stride);
    }
  }
  // Input rows.
  for (int j = 0; j < m; ++j) {
    float* a = model.in + contexts[j] * stride;
    const float* grad = s.grad + j * stride;
    for (std::size_t c = 0; c < chunks; ++c) store(a + c * W, load(a + c * W) + load(grad + c * W));
  }
}

using BlockFn = void (*)(const SgnsModel&, const std::uint32_t*, int, const std::uint32_t*, int,
                         float, SgnsScratch&, double&);

inline BlockFn pick_block(std::size_t stride) {
  switch (stride / W) {
    case 1:
      return &batched_block<1>;
    case 2:
      return &batched_block<2>;
    case 3:
      return &batched_block<3>;
    case 4:
      return &batched_block<4>;
    case 5:
      return &batched_block<5>;
    case 6:
      return &batched_block<6>;
    case 7:
      return &batched_block<7>;
    case 8:
      return &batched_block<8>;
    case 9:
      return &batched_block<9>;
    case 10:
      return &batched_block<10>;
    case 11:
      return &batched_block<11>;
    case 12:
      return &batched_block<12>;
    case 13:
      return &batched_block<13>;
    case 14:
      return &batched_block<14>;
    case 15:
      return &batched_block<15>;
    case 16:
      return &batched_block<16>;
    case 17:
      return &batched_block<17>;
    case 18:
      return &batched_block<18>;
    case 19:
      return &batched_block<19>;
    case 20:
      return &batched_block<20>;
    default:
      return &batched_block<0>;
  }
}

// Subsamples the sentence into `kept`, counts it, returns the kept length.
inline std::size_t subsample(const SgnsConfig& cfg, const std::uint32_t* tokens, std::size_t n,
                             Rng& rng, std::uint32_t* kept, SgnsCounters& counters) {
  counters.words += n;
  std::size_t k = 0;
  if (cfg.subsample == nullptr) {
    for (std::size_t i = 0; i < n; ++i) kept[k++] = tokens[i];
    counters.kept += k;
    return k;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (cfg.subsample->keep(tokens[i], rng)) kept[k++] = tokens[i];
  }
  counters.kept += k;
  return k;
}

// The window of centre i in a sentence of k words: reach drawn uniformly from 1..window.
struct Span {
  std::size_t lo, hi;  // inclusive
};
inline Span window_span(std::size_t i, std::size_t k, int window, Rng& rng) {
  const auto reach =
      static_cast<std::size_t>(window) - rng.below(static_cast<std::uint32_t>(window));
  return {i >= reach ? i - reach : 0, i + reach < k ? i + reach : k - 1};
}

inline void train_sentence_batched(const SgnsModel& model, const SgnsConfig& cfg,
                                   const std::uint32_t* tokens, std::size_t n, float lr, Rng& rng,
                                   SgnsScratch& s, SgnsCounters& counters) {
  const std::size_t k = subsample(cfg, tokens, n, rng, s.kept, counters);
  if (k < 2) return;
  const BlockFn block = pick_block(model.stride);
  const int window = cfg.window;
  const int neg = cfg.negative;
  const std::size_t stride = model.stride;
  double loss = 0;
  std::uint64_t pairs = 0, terms = 0;
  // Negatives are drawn one centre ahead so their rows can be prefetched while the current
  // centre is trained: they are random rows of a large matrix, the main source of cache misses.
  std::uint32_t* next = s.targets + neg + 1;
  auto draw = [&](std::uint32_t* out) {
    for (int d = 0; d < neg; ++d) {
      out[d] = cfg.negatives->sample(rng);
      prefetch_row(model.out + out[d] * stride, stride);
    }
  };
  draw(next);
  for (std::size_t i = 0; i < k; ++i) {
    const std::uint32_t centre = s.kept[i];
    s.targets[0] = centre;
    int nt = 1;
    for (int d = 0; d < neg; ++d) {
      if (next[d] != centre) s.targets[nt++] = next[d];
    }
    if (i + 1 < k) {
      draw(next);
      prefetch_row(model.out + s.kept[i + 1] * stride, stride);
      if (i + 1 + static_cast<std::size_t>(window) < k) {
        prefetch_row(model.in + s.kept[i + 1 + static_cast<std::size_t>(window)] * stride, stride);
      }
    }
    const auto [lo, hi] = window_span(i, k, window, rng);
    int m = 0;
    for (std::size_t j = lo; j <= hi; ++j) {
      if (j != i) s.contexts[m++] = s.kept[j];
    }
    if (m == 0) continue;
    block(model, s.contexts, m, s.targets, nt, lr, s, loss);
    pairs += static_cast<std::uint64_t>(m);
    terms += static_cast<std::uint64_t>(m) * static_cast<std::uint64_t>(nt);
  }
  counters.pairs += pairs;
  counters.loss += loss;
  counters.loss_terms += terms;
}

inline void train_sentence_exact(const SgnsModel& model, const SgnsConfig& cfg,
                                 const std::uint32_t* tokens, std::size_t n, float lr, Rng& rng,
                                 SgnsScratch& s, SgnsCounters& counters) {
  const std::size_t k = subsample(cfg, tokens, n, rng, s.kept, counters);
  if (k < 2) return;
  const std::size_t stride = model.stride;
  const int window = cfg.window;
  float* neu1e = s.grad;
  double loss = 0;
  std::uint64_t pairs = 0, terms = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const auto [lo, hi] = window_span(i, k, window, rng);
    const std::uint32_t centre = s.kept[i];
    for (std::size_t j = lo; j <= hi; ++j) {
      if (j == i) continue;
      float* a = model.in + s.kept[j] * stride;
      for (std::size_t c = 0; c < stride; c += W) store(neu1e + c, vf{});
      for (int d = 0; d <= cfg.negative; ++d) {
        std::uint32_t target;
        float label;
        if (d == 0) {
          target = centre;
          label = 1.0f;
        } else {
          target = cfg.negatives->sample(rng);
          if (target == centre) continue;
          label = 0.0f;
        }
        float* o = model.out + target * stride;
        const float f = dot(a, o, stride);
        loss += neg_log_sigmoid(d == 0 ? f : -f);
        ++terms;
        const float g = (label - sigmoid(f)) * lr;
        axpy(g, o, neu1e, stride);
        axpy(g, a, o, stride);
      }
      for (std::size_t c = 0; c < stride; c += W) store(a + c, load(a + c) + load(neu1e + c));
      ++pairs;
    }
  }
  counters.pairs += pairs;
  counters.loss += loss;
  counters.loss_terms += terms;
}

inline float dot_entry(const float* a, const float* b, std::size_t n) {
  return dot(a, b, n);
}
inline void axpy_entry(float alpha, const float* x, float* y, std::size_t n) {
  axpy(alpha, x, y, n);
}
// NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
