// The training hot loop. Included by kernels_<isa>.cpp AFTER all headers and after
// `#pragma GCC target(...)`, inside an ISA-specific namespace, with W2V_VEC_FLOATS defined:
// everything here is compiled once per instruction set. No allocation, locks, virtual calls or
// exceptions in here.
//
// One sentence step = train_sentence<Context, Loss, batched>, three template parameters:
//  * context builder — SkipGram: each context row is an input predicting the centre;
//                      Cbow: the mean of the context rows is one input predicting the centre.
//                      inputs() makes the input vectors, scatter() adds a gradient back to the
//                      rows an input came from.
//  * loss            — NegativeLoss: the centre (label 1) and `negative` unigram^0.75 draws
//                      (label 0); HierarchicalLoss: the inner nodes of the centre's Huffman path
//                      (label 1 - code). Both score with a logistic loss.
//  * update rule     — exact (word2vec.c's): each input scores its targets one after another,
//                      every output row updated before the next is scored, fresh negatives per
//                      input; batched (HogBatch, Ji et al. 2016): the inputs of a window share
//                      the targets (negatives drawn once per centre) and all gradients come from
//                      one snapshot, three small dense matrix products with the rows held in
//                      cache (and in registers when the row fits).
// pick_sentence() at the end instantiates every combination; a new model is a new context
// builder and one line there.

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

// Four dot products' accumulators to their four sums, in lanes 0..3: pairs of vectors fold
// their halves together (each level halves the lanes per target), 2 + log2(W) folds of three
// operations for four sums where four hsum() calls take four shuffle trees.
constexpr int fold_lane(std::size_t i, std::size_t block, bool high) {
  const std::size_t half = block / 2, hw = W / 2, j = i % hw;
  return static_cast<int>((i < hw ? 0 : W) + (j / half) * block + (high ? half : 0) + j % half);
}
template <std::size_t B, std::size_t... I>
inline vf fold(vf x, vf y, std::index_sequence<I...> /*lanes*/) {
  return __builtin_shufflevector(x, y, fold_lane(I, B, false)...) +
         __builtin_shufflevector(x, y, fold_lane(I, B, true)...);
}
// x holds 4 targets' partial sums in blocks of B lanes: fold until one lane each.
template <std::size_t B>
inline vf fold_down(vf x) {
  if constexpr (B == 1) {
    return x;
  } else {
    return fold_down<B / 2>(fold<B>(x, x, std::make_index_sequence<W>{}));
  }
}
inline vf sum4(vf a0, vf a1, vf a2, vf a3) {
  static_assert(W >= 4, "every instruction set's vector holds at least four floats");
  constexpr auto lanes = std::make_index_sequence<W>{};
  const vf x = fold<W>(a0, a1, lanes);                // [t0 | t1], W / 2 lanes each
  const vf y = fold<W>(a2, a3, lanes);                // [t2 | t3]
  return fold_down<W / 4>(fold<W / 2>(x, y, lanes));  // [t0 t1 t2 t3], W / 4 lanes each
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
// The batched rule's logistic step, W targets at a time and without branches: g[0..n) holds the
// dot products f and becomes (label - sigma(f)) * lr; returns the summed -log sigma(+-f). The
// same table entries and ends as sigmoid() and neg_log_sigmoid() above, so the same numbers.
// (Hierarchical softmax's labels are as good as random: branches on them were mispredicted.)
// Reads and writes whole vectors: g and labels must have W - 1 floats of room past n.
typedef int vi __attribute__((vector_size(W * sizeof(int))));
inline vf load_unaligned(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_unaligned(float* p, vf v) {
  std::memcpy(p, &v, sizeof v);
}
inline vf table_at(const float* table, vf f) {  // f inside the table (NaN: its first entry)
  const vf hi = splat(tables::kMaxExp), lo = splat(-tables::kMaxExp);
  const vf c = f > lo ? (f < hi ? f : hi) : lo;
  const vi index = __builtin_convertvector((c + hi) * splat(tables::kScale), vi);
  vf v;
  for (std::size_t k = 0; k < W; ++k) v[k] = table[index[k]];
  return v;
}
inline float logistic_step(float* g, const float* labels, int n, float lr) {
  static_assert(W <= KernelScratch::kPad, "the scratch arrays' room past the end is one vector");
  const vf hi = splat(tables::kMaxExp), lo = splat(-tables::kMaxExp), zero{};
  vi lane{};
  for (std::size_t k = 0; k < W; ++k) lane[k] = static_cast<int>(k);
  vf loss{};
  for (int t0 = 0; t0 < n; t0 += static_cast<int>(W)) {
    const vf f = load_unaligned(g + t0);
    const vf y = load_unaligned(labels + t0);
    const vf x = y > splat(0.5f) ? f : -f;
    const vf sig = f >= hi ? splat(1.0f) : (f > lo ? table_at(tables::sigmoid, f) : zero);
    const vf nls = x >= hi ? zero : (x > lo ? table_at(tables::neg_log_sigmoid, x) : -x);
    loss += lane < (n - t0) ? nls : zero;
    store_unaligned(g + t0, (y - sig) * splat(lr));
  }
  return hsum(loss);
}

// ---- Update rules ------------------------------------------------------------------------

// Batched: inputs[0..m) all score against the output rows outs[0..nt) (labels[0..nt)) from one
// snapshot. The input gradients go to s.grad rows 0..m) for the caller to scatter; the output
// rows are updated here, each accumulating over all inputs. C = row length in vectors when known
// at compile time (0: use `chunks`).
template <int C>
inline void batched_block(const KernelModel& model, const float* const* inputs, int m,
                          float* const* outs, const float* labels, int nt, float lr,
                          KernelScratch& s, double& loss) {
  const std::size_t stride = model.stride;
  float* scores = s.scores;
  float block_loss = 0;  // at most m x nt terms: summed in float, added to the double once
  for (int j = 0; j < m; ++j) {
    const float* a = inputs[j];
    vf areg[C > 0 ? C : 1];  // NOLINT(bugprone-branch-clone): C == 1 makes both arms 1
    if constexpr (C > 0) {
      for (int c = 0; c < C; ++c) areg[c] = load(a + c * W);
    }
    float* g = scores + j * nt;
    int t0 = 0;
    if constexpr (C > 0) {
      // Four targets at a time, their sums reduced together (g has room for a whole vector).
      for (; t0 + 4 <= nt; t0 += 4) {
        const float* o0 = outs[t0];
        const float* o1 = outs[t0 + 1];
        const float* o2 = outs[t0 + 2];
        const float* o3 = outs[t0 + 3];
        vf a0 = areg[0] * load(o0), a1 = areg[0] * load(o1);
        vf a2 = areg[0] * load(o2), a3 = areg[0] * load(o3);
        vf b0{}, b1{}, b2{}, b3{};
        for (int c = 1; c < C; ++c) {
          const vf x = areg[c];
          if (c & 1) {
            b0 += x * load(o0 + c * W);
            b1 += x * load(o1 + c * W);
            b2 += x * load(o2 + c * W);
            b3 += x * load(o3 + c * W);
          } else {
            a0 += x * load(o0 + c * W);
            a1 += x * load(o1 + c * W);
            a2 += x * load(o2 + c * W);
            a3 += x * load(o3 + c * W);
          }
        }
        store_unaligned(g + t0, sum4(a0 + b0, a1 + b1, a2 + b2, a3 + b3));
      }
    }
    for (int t = t0; t < nt; ++t) {
      const float* o = outs[t];
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
      g[t] = f;
    }
    block_loss += logistic_step(g, labels, nt, lr);
    // Input gradient of input j from the output rows as they are now.
    float* grad = s.grad + j * stride;
    if constexpr (C > 0) {
      vf acc[C];
      const vf g0 = splat(g[0]);
      const float* o0 = outs[0];
      for (int c = 0; c < C; ++c) acc[c] = g0 * load(o0 + c * W);
      for (int t = 1; t < nt; ++t) {
        const vf gt = splat(g[t]);
        const float* o = outs[t];
        for (int c = 0; c < C; ++c) acc[c] += gt * load(o + c * W);
      }
      for (int c = 0; c < C; ++c) store(grad + c * W, acc[c]);
    } else {
      for (std::size_t i = 0; i < stride; i += W) store(grad + i, vf{});
      for (int t = 0; t < nt; ++t) axpy(g[t], outs[t], grad, stride);
    }
  }
  // Output rows: each target accumulates over all inputs.
  for (int t = 0; t < nt; ++t) {
    float* o = outs[t];
    if constexpr (C > 0) {
      vf acc[C];
      for (int c = 0; c < C; ++c) acc[c] = load(o + c * W);
      for (int j = 0; j < m; ++j) {
        const vf gj = splat(scores[j * nt + t]);
        const float* a = inputs[j];
        for (int c = 0; c < C; ++c) acc[c] += gj * load(a + c * W);
      }
      for (int c = 0; c < C; ++c) store(o + c * W, acc[c]);
    } else {
      for (int j = 0; j < m; ++j) axpy(scores[j * nt + t], inputs[j], o, stride);
    }
  }
  loss += block_loss;
}

using BlockFn = void (*)(const KernelModel&, const float* const*, int, float* const*, const float*,
                         int, float, KernelScratch&, double&);

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

// Exact: h scores targets[0..nt) one after another, each output row updated before the next is
// scored (word2vec.c); h's gradient accumulates in neu1e for the caller to scatter. With
// kSkipSaturated a target scored beyond word2vec.c's table end (|f| >= kWord2vecMaxExp; ours
// reaches further) is left alone, as word2vec.c does; its loss still counts.
constexpr float kWord2vecMaxExp = 6.0f;  // word2vec.c's MAX_EXP
template <bool kSkipSaturated>
inline void exact_step(const KernelModel& model, const float* h, const std::uint32_t* targets,
                       const float* labels, int nt, float lr, float* neu1e, double& loss) {
  const std::size_t stride = model.stride;
  for (std::size_t c = 0; c < stride; c += W) store(neu1e + c, vf{});
  for (int t = 0; t < nt; ++t) {
    float* o = model.out + targets[t] * stride;
    const float f = dot(h, o, stride);
    loss += neg_log_sigmoid(labels[t] > 0.5f ? f : -f);
    if constexpr (kSkipSaturated) {
      if (!(f > -kWord2vecMaxExp && f < kWord2vecMaxExp)) continue;
    }
    const float g = (labels[t] - sigmoid(f)) * lr;
    axpy(g, o, neu1e, stride);
    axpy(g, h, o, stride);
  }
}

// ---- Losses: the output rows a prediction of `centre` scores against ----------------------

struct NegativeLoss {
  static constexpr bool kSampled = true;  // the batched rule draws a centre's negatives ahead
  // The exact rule: a score outside the sigmoid table still steps, sigma clipped to 0 or 1
  // (word2vec.c's negative sampling).
  static constexpr bool kExactSkipsSaturated = false;
  // Fills targets/labels, returns how many: the centre, then the draws that are not the centre.
  static int targets(const KernelConfig& cfg, std::uint32_t centre, Rng& rng,
                     std::uint32_t* targets, float* labels) {
    targets[0] = centre;
    labels[0] = 1.0f;
    int nt = 1;
    for (int d = 0; d < cfg.negative; ++d) {
      const std::uint32_t w = cfg.negatives->sample(rng);
      if (w == centre) continue;
      targets[nt] = w;
      labels[nt++] = 0.0f;
    }
    return nt;
  }
};

struct HierarchicalLoss {
  static constexpr bool kSampled = false;
  // The exact rule: a node scored at |f| >= 6 (word2vec.c's MAX_EXP) takes no step, as in
  // word2vec.c's and gensim's hierarchical softmax. (The batched rule clips instead,
  // the true gradient there: measured on en_mix, skipping did not help it. BENCHMARKS.md.)
  static constexpr bool kExactSkipsSaturated = true;
  static int targets(const KernelConfig& cfg, std::uint32_t centre, Rng& /*rng*/,
                     std::uint32_t* targets, float* labels) {
    const auto depth = static_cast<int>(cfg.tree->depth(centre));
    const std::uint32_t* points = cfg.tree->points(centre);
    const std::uint8_t* codes = cfg.tree->codes(centre);
    for (int d = 0; d < depth; ++d) {
      targets[d] = points[d];
      labels[d] = codes[d] != 0 ? 0.0f : 1.0f;
    }
    return depth;
  }
};

// ---- Context builders: the inputs of a window s.contexts[0..m) ----------------------------

inline void add_row(float* row, const float* grad, std::size_t stride) {
  for (std::size_t c = 0; c < stride; c += W) store(row + c, load(row + c) + load(grad + c));
}

struct SkipGram {
  // Each context row is an input of its own.
  static int inputs(const KernelModel& model, KernelScratch& s, int m) {
    for (int j = 0; j < m; ++j) s.inputs[j] = model.in + s.contexts[j] * model.stride;
    return m;
  }
  static void scatter(const KernelModel& model, const KernelScratch& s, int /*m*/, int q,
                      const float* grad) {
    add_row(model.in + s.contexts[q] * model.stride, grad, model.stride);
  }
};

struct Cbow {
  // One input, the mean of the context rows (word2vec.c -cbow 1).
  static int inputs(const KernelModel& model, KernelScratch& s, int m) {
    const std::size_t stride = model.stride;
    float* h = s.hidden;
    for (std::size_t c = 0; c < stride; c += W) store(h + c, vf{});
    for (int j = 0; j < m; ++j) add_row(h, model.in + s.contexts[j] * stride, stride);
    const vf scale = splat(1.0f / static_cast<float>(m));
    for (std::size_t c = 0; c < stride; c += W) store(h + c, load(h + c) * scale);
    s.inputs[0] = h;
    return 1;
  }
  // The mean's gradient goes, undivided, to every context row (as word2vec.c).
  static void scatter(const KernelModel& model, const KernelScratch& s, int m, int /*q*/,
                      const float* grad) {
    for (int j = 0; j < m; ++j)
      add_row(model.in + s.contexts[j] * model.stride, grad, model.stride);
  }
};

// Subwords (fastText's model): a word's input is the mean of its rows (its own row and its
// n-gram rows, KernelModel::sub_rows), and the gradient of that mean goes, undivided, to each of
// the rows, as fastText does for skip-gram and CBOW (it divides only for supervised models).

// The sum of word w's input rows into h; returns how many (the caller scales by (float) 1/n).
inline int sum_rows(const KernelModel& model, std::uint32_t w, float* h) {
  const std::size_t stride = model.stride;
  const std::uint32_t* r = model.sub_rows + model.sub_offsets[w];
  const std::uint32_t* const e = model.sub_rows + model.sub_offsets[w + 1];
  const int n = static_cast<int>(e - r);
  const float* first = model.in + static_cast<std::size_t>(*r) * stride;
  for (std::size_t c = 0; c < stride; c += W) store(h + c, load(first + c));
  for (++r; r < e; ++r) add_row(h, model.in + static_cast<std::size_t>(*r) * stride, stride);
  return n;
}
inline void scale_row(float* h, float x, std::size_t stride) {
  const vf v = splat(x);
  for (std::size_t c = 0; c < stride; c += W) store(h + c, load(h + c) * v);
}
inline void add_to_rows(const KernelModel& model, std::uint32_t w, const float* grad) {
  const std::uint32_t* const e = model.sub_rows + model.sub_offsets[w + 1];
  for (const std::uint32_t* r = model.sub_rows + model.sub_offsets[w]; r < e; ++r) {
    add_row(model.in + static_cast<std::size_t>(*r) * model.stride, grad, model.stride);
  }
}

struct SubwordSkipGram {
  // Each context word's mean of rows is an input of its own. (fastText's skip-gram has the
  // centre's rows predict each context word; over a corpus every pair in a window is trained
  // both ways, so this is the same objective, and it keeps the batched rule's shared targets.)
  static int inputs(const KernelModel& model, KernelScratch& s, int m) {
    for (int j = 0; j < m; ++j) {
      float* h = s.hidden + static_cast<std::size_t>(j) * model.stride;
      const int n = sum_rows(model, s.contexts[j], h);
      if (n > 1) scale_row(h, 1.0f / static_cast<float>(n), model.stride);
      s.inputs[j] = h;
    }
    return m;
  }
  static void scatter(const KernelModel& model, const KernelScratch& s, int /*m*/, int q,
                      const float* grad) {
    add_to_rows(model, s.contexts[q], grad);
  }
};

struct SubwordCbow {
  // One input, the mean of all rows of all context words (fastText's CBOW).
  static int inputs(const KernelModel& model, KernelScratch& s, int m) {
    const std::size_t stride = model.stride;
    float* h = s.hidden;
    float* tmp = s.hidden + stride;
    int n = sum_rows(model, s.contexts[0], h);
    for (int j = 1; j < m; ++j) {
      n += sum_rows(model, s.contexts[j], tmp);
      add_row(h, tmp, stride);
    }
    scale_row(h, 1.0f / static_cast<float>(n), stride);
    s.inputs[0] = h;
    return 1;
  }
  static void scatter(const KernelModel& model, const KernelScratch& s, int m, int /*q*/,
                      const float* grad) {
    for (int j = 0; j < m; ++j) add_to_rows(model, s.contexts[j], grad);
  }
};

// The batched rule's subword builders: the mean of each sentence position's rows is computed
// once, when the position first enters a window, and the gradients it gathers from every window
// it is in are added to its rows once, when it has left the last of them (HogBatch's idea for
// inputs: a position is in up to 2 x window windows, so the rows are read and written that many
// times less). Within those windows the mean is a snapshot, as the batched rule's outputs are.
template <bool kIsCbow>
struct SubwordWindowed {
  static constexpr bool kWindowed = true;
  static void begin(KernelScratch& s, std::size_t k) {
    for (std::size_t p = 0; p < k; ++p) s.sub_count[p] = 0;
  }
  static const float* mean_at(const KernelModel& model, KernelScratch& s, std::uint32_t p) {
    const std::size_t stride = model.stride;
    float* h = s.sub_mean + p * stride;
    if (s.sub_count[p] == 0) {
      const int n = sum_rows(model, s.kept[p], h);
      if (n > 1) scale_row(h, 1.0f / static_cast<float>(n), stride);
      float* g = s.sub_grad + p * stride;
      for (std::size_t c = 0; c < stride; c += W) store(g + c, vf{});
      s.sub_count[p] = static_cast<std::uint32_t>(n);
    }
    return h;
  }
  static int inputs(const KernelModel& model, KernelScratch& s, int m) {
    if constexpr (!kIsCbow) {
      for (int j = 0; j < m; ++j) s.inputs[j] = mean_at(model, s, s.positions[j]);
      return m;
    } else {
      // fastText's CBOW mean over all rows of all context words: sum_j n_j mean_j / sum_j n_j.
      const std::size_t stride = model.stride;
      float* h = s.hidden;
      for (std::size_t c = 0; c < stride; c += W) store(h + c, vf{});
      std::uint32_t n = 0;
      for (int j = 0; j < m; ++j) {
        const float* mean = mean_at(model, s, s.positions[j]);
        const std::uint32_t nj = s.sub_count[s.positions[j]];
        axpy(static_cast<float>(nj), mean, h, stride);
        n += nj;
      }
      scale_row(h, 1.0f / static_cast<float>(n), stride);
      s.inputs[0] = h;
      return 1;
    }
  }
  static void scatter(const KernelModel& model, const KernelScratch& s, int m, int q,
                      const float* grad) {
    if constexpr (!kIsCbow) {
      add_row(s.sub_grad + s.positions[q] * model.stride, grad, model.stride);
    } else {
      for (int j = 0; j < m; ++j) {
        add_row(s.sub_grad + s.positions[j] * model.stride, grad, model.stride);
      }
    }
  }
  // Position p is in no later window: its gathered gradient goes to its rows.
  static void retire(const KernelModel& model, KernelScratch& s, std::size_t p) {
    if (s.sub_count[p] == 0) return;
    add_to_rows(model, s.kept[p], s.sub_grad + p * model.stride);
    s.sub_count[p] = 0;
  }
};

template <class C>
constexpr bool kWindowedContext = requires {
  C::kWindowed;
};

// ---- The sentence loop ------------------------------------------------------------------

// Subsamples the sentence into `kept`, counts it, returns the kept length.
inline std::size_t subsample(const KernelConfig& cfg, const std::uint32_t* tokens, std::size_t n,
                             Rng& rng, std::uint32_t* kept, KernelCounters& counters) {
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

// Hierarchical softmax, batched rule: the thread's copies of the nodes nearest the root
// (KernelScratch::kHotNodes). `first_hot` is the first output row counted hot: the tree's rows
// are its inner nodes in creation order, so the last ones are the root and the levels below it.
inline float* hot_row(const KernelModel& model, KernelScratch& s, std::uint32_t row,
                      std::uint32_t first_hot) {
  const std::size_t h = row - first_hot;
  float* local = s.hot_local + h * model.stride;
  if (s.hot_used[h] == 0) {
    const float* shared = model.out + static_cast<std::size_t>(row) * model.stride;
    float* base = s.hot_base + h * model.stride;
    for (std::size_t c = 0; c < model.stride; c += W) {
      const vf v = load(shared + c);
      store(local + c, v);
      store(base + c, v);
    }
    s.hot_used[h] = 1;
  }
  return local;
}

// Adds this thread's change to each hot row it used to the shared row. Where no other thread
// wrote the row meanwhile, the shared row becomes the thread's copy exactly (one thread gives
// the same numbers as updating the shared rows directly).
inline void merge_hot_rows(const KernelModel& model, KernelScratch& s, std::uint32_t first_hot,
                           std::uint32_t rows) {
  for (std::uint32_t h = 0; h < rows; ++h) {
    if (s.hot_used[h] == 0) continue;
    s.hot_used[h] = 0;
    float* shared = model.out + static_cast<std::size_t>(first_hot + h) * model.stride;
    const float* local = s.hot_local + h * model.stride;
    const float* base = s.hot_base + h * model.stride;
    for (std::size_t d = 0; d < model.dim; ++d) {
      const float now = shared[d];
      shared[d] = now == base[d] ? local[d] : now + (local[d] - base[d]);
    }
  }
}

// Hierarchical softmax: the cache lines of word w's path, and the output rows on it below the
// hot rows (those are the thread's copies, in cache).
inline void prefetch_path(const HuffmanTree& tree, std::uint32_t w) {
  __builtin_prefetch(tree.points(w), 0, 3);
  __builtin_prefetch(tree.codes(w), 0, 3);
}
inline void prefetch_path_rows(const KernelModel& model, const HuffmanTree& tree, std::uint32_t w,
                               std::uint32_t first_hot) {
  const auto depth = tree.depth(w);
  const std::uint32_t* points = tree.points(w);
  for (std::size_t d = 0; d < depth; ++d) {
    if (points[d] < first_hot) prefetch_row(model.out + points[d] * model.stride, model.stride);
  }
}

template <class Context, class Loss, bool kBatched>
inline void train_sentence(const KernelModel& model, const KernelConfig& cfg,
                           const std::uint32_t* tokens, std::size_t n, float lr, Rng& rng,
                           KernelScratch& s, KernelCounters& counters) {
  const std::size_t k = subsample(cfg, tokens, n, rng, s.kept, counters);
  if (k < 2) return;
  const std::size_t stride = model.stride;
  const int window = cfg.window;
  const int neg = cfg.negative;
  [[maybe_unused]] const BlockFn block = kBatched ? pick_block(stride) : nullptr;
  double loss = 0;
  std::uint64_t pairs = 0, terms = 0;
  // Batched negatives are drawn one centre ahead so their rows can be prefetched while the
  // current centre is trained: they are random rows of a large matrix, the main source of
  // cache misses. Their random numbers are drawn two centres ahead, so that the sampler's
  // buckets they read (random too) are prefetched as well.
  std::uint32_t* next = s.targets + s.max_targets;
  std::uint64_t* ahead = s.draws;
  auto draw = [&](std::uint32_t* out) {
    for (int d = 0; d < neg; ++d) {
      out[d] = cfg.negatives->pick(ahead[d]);
      prefetch_row(model.out + out[d] * stride, stride);
      ahead[d] = rng.next();
      cfg.negatives->prefetch(ahead[d]);
    }
  };
  if constexpr (kBatched && Loss::kSampled) {
    for (int d = 0; d < neg; ++d) ahead[d] = rng.next();
    draw(next);
  }
  // Hierarchical softmax, batched: the output rows at or above first_hot are the thread's copies.
  [[maybe_unused]] std::uint32_t first_hot = 0, hot_rows = 0;
  if constexpr (kBatched && !Loss::kSampled) {
    const auto nodes =
        static_cast<std::uint32_t>(cfg.tree->words() > 0 ? cfg.tree->words() - 1 : 0);
    hot_rows = std::min<std::uint32_t>(nodes, KernelScratch::kHotNodes);
    first_hot = nodes - hot_rows;
  }
  if constexpr (kWindowedContext<Context>) Context::begin(s, k);
  for (std::size_t i = 0; i < k; ++i) {
    if constexpr (kWindowedContext<Context>) {
      // Centre i's window reaches down to i - window at most.
      if (i > static_cast<std::size_t>(window)) {
        Context::retire(model, s, i - 1 - static_cast<std::size_t>(window));
      }
    }
    const std::uint32_t centre = s.kept[i];
    [[maybe_unused]] int nt = 0;
    if constexpr (kBatched && Loss::kSampled) {
      s.targets[0] = centre;
      s.labels[0] = 1.0f;
      nt = 1;
      for (int d = 0; d < neg; ++d) {
        if (next[d] == centre) continue;
        s.targets[nt] = next[d];
        s.labels[nt++] = 0.0f;
      }
      if (i + 1 < k) {
        draw(next);
        prefetch_row(model.out + s.kept[i + 1] * stride, stride);
      }
    } else if constexpr (kBatched) {
      nt = Loss::targets(cfg, centre, rng, s.targets, s.labels);
      // The paths ahead: the next centre's rows below the hot ones (its path was prefetched one
      // centre earlier), and the path after it. Rare words' deep nodes are random rows.
      if (i + 1 < k) prefetch_path_rows(model, *cfg.tree, s.kept[i + 1], first_hot);
      if (i + 2 < k) prefetch_path(*cfg.tree, s.kept[i + 2]);
    }
    if constexpr (kBatched) {
      if (i + 1 + static_cast<std::size_t>(window) < k) {
        prefetch_row(model.in + s.kept[i + 1 + static_cast<std::size_t>(window)] * stride, stride);
      }
    }
    const auto [lo, hi] = window_span(i, k, window, rng);
    int m = 0;
    for (std::size_t j = lo; j <= hi; ++j) {
      if (j == i) continue;
      s.positions[m] = static_cast<std::uint32_t>(j);
      s.contexts[m++] = s.kept[j];
    }
    if (m == 0) continue;
    if (kBatched && nt == 0) continue;  // a one-word vocabulary's tree has no inner node
    const int ni = Context::inputs(model, s, m);
    if constexpr (kBatched) {
      for (int t = 0; t < nt; ++t) {
        const std::uint32_t row = s.targets[t];
        if constexpr (!Loss::kSampled) {
          if (row >= first_hot) {
            s.out_rows[t] = hot_row(model, s, row, first_hot);
            continue;
          }
        }
        s.out_rows[t] = model.out + static_cast<std::size_t>(row) * stride;
      }
      block(model, s.inputs, ni, s.out_rows, s.labels, nt, lr, s, loss);
      for (int q = 0; q < ni; ++q) Context::scatter(model, s, m, q, s.grad + q * stride);
      terms += static_cast<std::uint64_t>(ni) * static_cast<std::uint64_t>(nt);
    } else {
      for (int q = 0; q < ni; ++q) {
        const int t = Loss::targets(cfg, centre, rng, s.targets, s.labels);
        exact_step<Loss::kExactSkipsSaturated>(model, s.inputs[q], s.targets, s.labels, t, lr,
                                               s.grad, loss);
        Context::scatter(model, s, m, q, s.grad);
        terms += static_cast<std::uint64_t>(t);
      }
    }
    pairs += static_cast<std::uint64_t>(m);
  }
  if constexpr (kWindowedContext<Context>) {
    const auto w = static_cast<std::size_t>(window);
    const std::size_t first = k > w + 1 ? k - 1 - w : 0;
    for (std::size_t p = first; p < k; ++p) Context::retire(model, s, p);
  }
  if constexpr (kBatched && !Loss::kSampled) merge_hot_rows(model, s, first_hot, hot_rows);
  counters.pairs += pairs;
  counters.loss += loss;
  counters.loss_terms += terms;
}

template <class Context, class Loss>
inline SentenceFn pick_rule(KernelKind kind) {
  return kind == KernelKind::kExact ? &train_sentence<Context, Loss, false>
                                    : &train_sentence<Context, Loss, true>;
}
template <class Context>
inline SentenceFn pick_loss(LossKind loss, KernelKind kind) {
  return loss == LossKind::kHierarchical ? pick_rule<Context, HierarchicalLoss>(kind)
                                         : pick_rule<Context, NegativeLoss>(kind);
}
inline SentenceFn pick_sentence(ModelKind model, LossKind loss, KernelKind kind, bool subwords) {
  switch (model) {
    case ModelKind::kCbow:
      if (!subwords) return pick_loss<Cbow>(loss, kind);
      return kind == KernelKind::kExact ? pick_loss<SubwordCbow>(loss, kind)
                                        : pick_loss<SubwordWindowed<true>>(loss, kind);
    case ModelKind::kSkipGram:
      break;
  }
  if (!subwords) return pick_loss<SkipGram>(loss, kind);
  return kind == KernelKind::kExact ? pick_loss<SubwordSkipGram>(loss, kind)
                                    : pick_loss<SubwordWindowed<false>>(loss, kind);
}

inline float dot_entry(const float* a, const float* b, std::size_t n) {
  return dot(a, b, n);
}
inline void axpy_entry(float alpha, const float* x, float* y, std::size_t n) {
  axpy(alpha, x, y, n);
}
// NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
