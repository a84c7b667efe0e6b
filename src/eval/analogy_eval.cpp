#include "eval/analogy_eval.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_set>

#include "eval/analogy_kernel.hpp"
#include "eval/eval_vocab.hpp"
#include "eval/text_fields.hpp"
#include "text/korean.hpp"
#include "util/aligned.hpp"
#include "util/error.hpp"
#include "util/isa.hpp"

namespace w2v::eval {

namespace {

detail::Kernel pick_kernel() {
  switch (best_isa()) {
    case Isa::kAvx512:
      return detail::avx512_kernel();
    case Isa::kAvx2:
      return detail::avx2_kernel();
    case Isa::kScalar:
      break;
  }
  return detail::generic_kernel();
}

// compute-accuracy's normalisation: float sum of squares in order (fused on FMA builds),
// sqrt, float division. A zero row becomes NaN there and here: it never wins, and a question
// using it is answered by nothing.
__attribute__((optimize("fp-contract=off"))) void normalise_like_word2vec(const float* v,
                                                                          std::size_t dim, bool fma,
                                                                          float* out) {
  float len = 0;
  if (fma) {
    for (std::size_t a = 0; a < dim; ++a) {
      len = std::fma(v[a], v[a], len);
    }
  } else {
    for (std::size_t a = 0; a < dim; ++a) {
      len = len + v[a] * v[a];
    }
  }
  len = static_cast<float>(std::sqrt(static_cast<double>(len)));
  for (std::size_t a = 0; a < dim; ++a) {
    out[a] = v[a] / len;
  }
}

struct Job {
  std::uint32_t a, b, c, d;  // rows
  std::size_t question;      // index in file order
};

}  // namespace

std::size_t AnalogySet::questions() const {
  std::size_t n = 0;
  for (const auto& s : sections) {
    n += s.questions.size();
  }
  return n;
}

AnalogySet parse_analogies(std::istream& in, const std::string& name) {
  AnalogySet set;
  set.path = name;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string_view s = line;
    if (line_no == 1 && s.substr(0, kBom.size()) == kBom) {
      s.remove_prefix(kBom.size());
    }
    s = trim(s);
    if (s.empty()) {
      continue;
    }
    if (s.front() == ':') {
      const std::string_view section = trim(s.substr(1));
      if (section.empty()) {
        throw Error(fmt::format("{}:{}: section line without a name", name, line_no));
      }
      set.sections.push_back({std::string(section), line_no, {}});
      continue;
    }
    const auto words = split_ws(s);
    if (words.size() != 4) {
      throw Error(fmt::format("{}:{}: expected a ': section' line or 4 words, found {} word{}",
                              name, line_no, words.size(), words.size() == 1 ? "" : "s"));
    }
    if (set.sections.empty()) {
      set.sections.push_back({"", line_no, {}});
    }
    set.sections.back().questions.push_back({std::string(words[0]), std::string(words[1]),
                                             std::string(words[2]), std::string(words[3]),
                                             line_no});
  }
  if (in.bad()) {
    throw Error(fmt::format("{}: read error", name));
  }
  return set;
}

AnalogySet read_analogies(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("{}: cannot open: {}", path, errno_message(errno)));
  }
  return parse_analogies(in, path);
}

AnalogyMethod parse_analogy_method(const std::string& name) {
  if (name == "3cosadd") {
    return AnalogyMethod::k3CosAdd;
  }
  if (name == "3cosmul") {
    return AnalogyMethod::k3CosMul;
  }
  throw Error("unknown analogy method '" + name + "' (expected 3cosadd or 3cosmul)", kExitUsage);
}
const char* analogy_method_name(AnalogyMethod m) {
  return m == AnalogyMethod::k3CosAdd ? "3cosadd" : "3cosmul";
}
AnalogyRules parse_analogy_rules(const std::string& name) {
  if (name == "word2vec") {
    return AnalogyRules::kWord2vec;
  }
  if (name == "gensim") {
    return AnalogyRules::kGensim;
  }
  throw Error("unknown analogy rules '" + name + "' (expected word2vec or gensim)", kExitUsage);
}
const char* analogy_rules_name(AnalogyRules r) {
  return r == AnalogyRules::kWord2vec ? "word2vec" : "gensim";
}

namespace {

// The first `restrict` rows, then one composed row per form of `forms` that the vocabulary lacks
// and that splits into a stem and a suffix both among those rows.
struct WithForms {
  std::vector<std::string> words;
  Matrix matrix;
  std::size_t base = 0;
};

WithForms add_composed_forms(const std::vector<std::string>& words, const Matrix& matrix,
                             const AnalogyOptions& options) {
  const EvalVocab vocab(words, options.restrict, options.fold);
  const std::size_t n = vocab.size(), dim = matrix.cols();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> parts;
  std::vector<std::string> added;
  std::unordered_set<std::string> seen;
  const auto known = [&](std::string_view s) { return vocab.lookup(s) != EvalVocab::kNone; };
  for (const std::string& f : *options.forms) {
    if (vocab.lookup(f) != EvalVocab::kNone) continue;
    const auto r = text::korean::resolve(f, known);
    if (!r) continue;
    const std::uint32_t suffix = vocab.lookup(r->suffix);
    if (suffix == EvalVocab::kNone) continue;
    if (!seen.insert(fold_case(f, options.fold)).second) continue;
    parts.emplace_back(vocab.lookup(r->stem), suffix);
    added.push_back(f);
  }
  WithForms out;
  out.base = n;
  out.words.assign(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n));
  out.words.insert(out.words.end(), added.begin(), added.end());
  out.matrix = Matrix(out.words.size(), dim);
  std::copy(matrix.data(), matrix.data() + n * dim, out.matrix.data());
  // The stem and the suffix as unit vectors, normalised as the scoring normalises every row.
  const bool fma = pick_kernel().fma;
  std::vector<float> us(dim), ux(dim);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    normalise_like_word2vec(matrix.row(parts[i].first), dim, fma, us.data());
    normalise_like_word2vec(matrix.row(parts[i].second), dim, fma, ux.data());
    float* dst = out.matrix.row(n + i);
    for (std::size_t k = 0; k < dim; ++k) dst[k] = us[k] + ux[k];
  }
  return out;
}

// Rows from `composed_from` on are composed forms: a question that uses one is counted under
// that route.
AnalogyScore evaluate_rows(const std::vector<std::string>& words, const Matrix& matrix,
                           const AnalogySet& set, const AnalogyOptions& options,
                           std::size_t composed_from) {
  const EvalVocab vocab(words, options.restrict, options.fold);
  const std::size_t n = vocab.size();
  const std::size_t dim = matrix.cols();
  const detail::Kernel kernel = pick_kernel();
  const std::size_t nr = kernel.nr;
  const bool cosmul = options.method == AnalogyMethod::k3CosMul;
  const bool gensim = options.rules == AnalogyRules::kGensim;

  AnalogyScore score;
  score.vocab = n;
  score.composed = composed_from < n ? n - composed_from : 0;
  score.answers.assign(set.questions(), -1);

  // 1. Look the questions up; keep the seen ones.
  std::vector<Job> jobs;
  std::vector<std::uint32_t> expected;  // canonical row of D, per job
  std::size_t qi = 0;
  for (const auto& section : set.sections) {
    AnalogySectionScore ss{section.name, section.syntactic(), {}};
    for (const auto& q : section.questions) {
      ++ss.count.total;
      Route ra{}, rb{}, rc{}, rd{};
      const std::uint32_t a = vocab.lookup(q.a, options.stems, ra);
      const std::uint32_t b = vocab.lookup(q.b, options.stems, rb);
      const std::uint32_t c = vocab.lookup(q.c, options.stems, rc);
      const std::uint32_t d = vocab.lookup(q.d, options.stems, rd);
      for (const auto& [row, route] : {std::pair{a, &ra}, {b, &rb}, {c, &rc}, {d, &rd}}) {
        if (row != EvalVocab::kNone && row >= composed_from) *route = Route::kComposed;
      }
      score.routes.add(worse(worse(ra, rb), worse(rc, rd)));
      if (a != EvalVocab::kNone && b != EvalVocab::kNone && c != EvalVocab::kNone &&
          d != EvalVocab::kNone) {
        ++ss.count.seen;
        jobs.push_back({a, b, c, d, qi});
      }
      ++qi;
    }
    score.sections.push_back(std::move(ss));
  }

  // 2. Unit rows as compute-accuracy computes them, packed into tiles of nr columns (the only
  // copy: question vectors are read back from it).
  const std::size_t tiles = (n + nr - 1) / nr;
  auto packed = aligned_array<float>(std::max<std::size_t>(1, tiles * dim * nr));
  std::fill(packed.get(), packed.get() + tiles * dim * nr, std::numeric_limits<float>::quiet_NaN());
  {
    std::vector<float> row(dim);
    for (std::size_t r = 0; r < n; ++r) {
      normalise_like_word2vec(matrix.row(r), dim, kernel.fma, row.data());
      float* dst = packed.get() + (r / nr) * dim * nr + r % nr;
      for (std::size_t k = 0; k < dim; ++k) {
        dst[k * nr] = row[k];
      }
    }
  }
  const auto unit = [&](std::uint32_t r, std::size_t k) {
    return packed[(r / nr) * dim * nr + k * nr + r % nr];
  };

  // 3. Question blocks: six targets (3CosAdd) or a, b, c of two questions (3CosMul).
  const std::size_t per_block = cosmul ? 2 : detail::kMR;
  const std::size_t blocks = (jobs.size() + per_block - 1) / per_block;
  auto a_blocks = aligned_array<float>(std::max<std::size_t>(1, blocks * dim * detail::kMR));
  std::vector<std::vector<detail::Exclusion>> excl(blocks);
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    float* ab = a_blocks.get() + blk * dim * detail::kMR;
    std::fill(ab, ab + dim * detail::kMR, 0.0f);
    for (std::size_t i = 0; i < per_block; ++i) {
      const std::size_t j = blk * per_block + i;
      if (j >= jobs.size()) {
        break;
      }
      const Job& job = jobs[j];
      for (std::size_t k = 0; k < dim; ++k) {
        const float ua = unit(job.a, k), ub = unit(job.b, k), uc = unit(job.c, k);
        if (cosmul) {
          ab[k * detail::kMR + 3 * i] = ua;
          ab[k * detail::kMR + 3 * i + 1] = ub;
          ab[k * detail::kMR + 3 * i + 2] = uc;
        } else {
          ab[k * detail::kMR + i] = (ub - ua) + uc;  // compute-accuracy: (b - a) + c
        }
      }
      for (const std::uint32_t w : {job.a, job.b, job.c}) {
        if (gensim) {
          for (std::uint32_t v = vocab.canon(w); v != EvalVocab::kNone; v = vocab.next_variant(v)) {
            excl[blk].push_back({v, static_cast<std::uint32_t>(i)});
          }
        } else {
          excl[blk].push_back({w, static_cast<std::uint32_t>(i)});
        }
      }
    }
    std::sort(excl[blk].begin(), excl[blk].end(),
              [](const detail::Exclusion& x, const detail::Exclusion& y) {
                return x.column < y.column || (x.column == y.column && x.row < y.row);
              });
  }

  // 4. Sweep: each thread owns a contiguous range of blocks and walks the vocabulary in chunks
  // that stay in its L2 cache, every block of its range over one chunk before the next.
  const std::size_t state = per_block * nr;
  auto best = aligned_array<float>(std::max<std::size_t>(1, blocks * state));
  auto best_index = aligned_array<std::int32_t>(std::max<std::size_t>(1, blocks * state));
  const float init = gensim ? -std::numeric_limits<float>::infinity() : 0.0f;
  std::fill(best.get(), best.get() + blocks * state, init);
  std::fill(best_index.get(), best_index.get() + blocks * state, -1);
  const std::size_t tile_bytes = std::max<std::size_t>(1, dim * nr * sizeof(float));
  const std::size_t chunk = std::max<std::size_t>(1, (384u << 10) / tile_bytes);
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

#pragma omp parallel num_threads(threads) if (blocks > 1)
  {
    const auto nt = static_cast<std::size_t>(omp_get_num_threads());
    const auto id = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t lo = blocks * id / nt, hi = blocks * (id + 1) / nt;
    for (std::size_t t0 = 0; t0 < tiles; t0 += chunk) {
      const std::size_t t1 = std::min(tiles, t0 + chunk);
      const auto col_lo = static_cast<std::uint32_t>(t0 * nr);
      const auto col_hi = static_cast<std::uint32_t>(t1 * nr);
      for (std::size_t blk = lo; blk < hi; ++blk) {
        const auto& ex = excl[blk];
        const auto first = std::lower_bound(
            ex.begin(), ex.end(), col_lo,
            [](const detail::Exclusion& x, std::uint32_t c) { return x.column < c; });
        const auto last = std::lower_bound(
            first, ex.end(), col_hi,
            [](const detail::Exclusion& x, std::uint32_t c) { return x.column < c; });
        detail::SweepArgs args;
        args.a = a_blocks.get() + blk * dim * detail::kMR;
        args.b = packed.get();
        args.dim = dim;
        args.tile_begin = t0;
        args.tile_end = t1;
        args.excl = ex.data() + (first - ex.begin());
        args.n_excl = static_cast<std::size_t>(last - first);
        args.cosmul = cosmul;
        args.best = best.get() + blk * state;
        args.best_index = best_index.get() + blk * state;
        kernel.sweep(args);
      }
    }
  }

  // 5. Reduce the lanes: the highest score, ties to the lowest row (the more frequent word).
  std::vector<std::uint32_t> correct_by_question(set.questions(), 0);
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const std::size_t blk = j / per_block, i = j % per_block;
    const float* bv = best.get() + blk * state + i * nr;
    const std::int32_t* bi = best_index.get() + blk * state + i * nr;
    float v = init;
    std::int32_t idx = -1;
    for (std::size_t l = 0; l < nr; ++l) {
      if (bi[l] < 0) {
        continue;
      }
      if (idx < 0 || bv[l] > v || (bv[l] == v && bi[l] < idx)) {
        v = bv[l];
        idx = bi[l];
      }
    }
    score.answers[jobs[j].question] = idx;
    if (idx >= 0 && vocab.canon(static_cast<std::uint32_t>(idx)) == vocab.canon(jobs[j].d)) {
      correct_by_question[jobs[j].question] = 1;
    }
  }

  qi = 0;
  for (std::size_t s = 0; s < set.sections.size(); ++s) {
    for (std::size_t q = 0; q < set.sections[s].questions.size(); ++q) {
      score.sections[s].count.correct += correct_by_question[qi++];
    }
    const auto& c = score.sections[s].count;
    (score.sections[s].syntactic ? score.syntactic : score.semantic) += c;
    score.overall += c;
  }
  return score;
}

}  // namespace

AnalogyScore evaluate_analogies(const std::vector<std::string>& words, const Matrix& matrix,
                                const AnalogySet& set, const AnalogyOptions& options) {
  if (matrix.rows() < words.size()) {
    throw Error("analogy evaluation: fewer vectors than words");
  }
  if (options.forms == nullptr || options.forms->empty()) {
    return evaluate_rows(words, matrix, set, options, std::numeric_limits<std::size_t>::max());
  }
  // The composed rows follow the first `restrict` rows, so the scoring takes every row.
  const WithForms wf = add_composed_forms(words, matrix, options);
  AnalogyOptions inner = options;
  inner.forms = nullptr;
  inner.restrict = 0;
  return evaluate_rows(wf.words, wf.matrix, set, inner, wf.base);
}

}  // namespace w2v::eval
