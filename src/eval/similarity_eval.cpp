#include "eval/similarity_eval.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <numeric>
#include <string_view>

#include "eval/eval_vocab.hpp"
#include "eval/text_fields.hpp"
#include "util/error.hpp"

namespace w2v::eval {

namespace {

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  const char sep = s.find('\t') != std::string_view::npos  ? '\t'
                   : s.find(',') != std::string_view::npos ? ','
                                                           : ' ';
  if (sep == ' ') return split_ws(s);
  std::size_t b = 0;
  while (true) {
    const std::size_t e = s.find(sep, b);
    out.push_back(trim(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b)));
    if (e == std::string_view::npos) {
      break;
    }
    b = e + 1;
  }
  return out;
}

bool parse_number(std::string_view s, double& out) {
  if (s.empty()) {
    return false;
  }
  const std::string tmp(s);
  char* end = nullptr;
  errno = 0;
  out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && errno == 0 && std::isfinite(out);
}

}  // namespace

SimilaritySet parse_similarity(std::istream& in, const std::string& name) {
  SimilaritySet set;
  set.path = name;
  std::string line;
  std::size_t line_no = 0;
  bool first_data = true;
  while (std::getline(in, line)) {
    ++line_no;
    std::string_view s = line;
    if (line_no == 1 && s.substr(0, kBom.size()) == kBom) {
      s.remove_prefix(kBom.size());
    }
    s = trim(s);
    if (s.empty() || s.front() == '#') {
      continue;
    }
    const auto fields = split_fields(s);
    double gold = 0;
    const bool numeric = fields.size() == 3 && parse_number(fields[2], gold);
    if (first_data && !numeric && fields.size() == 3) {
      set.had_header = true;  // "word 1,word 2,kor_score"
      first_data = false;
      continue;
    }
    first_data = false;
    if (fields.size() != 3) {
      throw Error(fmt::format("{}:{}: expected 3 fields (word, word, score), found {}", name,
                              line_no, fields.size()));
    }
    if (!numeric) {
      throw Error(
          fmt::format("{}:{}: score '{}' is not a number", name, line_no, capped(fields[2])));
    }
    if (fields[0].empty() || fields[1].empty()) {
      throw Error(fmt::format("{}:{}: empty word", name, line_no));
    }
    set.pairs.push_back({std::string(fields[0]), std::string(fields[1]), gold, line_no});
  }
  if (in.bad()) {
    throw Error(fmt::format("{}: read error", name));
  }
  return set;
}

SimilaritySet read_similarity(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("{}: cannot open: {}", path, errno_message(errno)));
  }
  return parse_similarity(in, path);
}

std::vector<double> average_ranks(const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return x[i] < x[j]; });
  std::vector<double> rank(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i + 1;
    while (j < n && x[order[j]] == x[order[i]]) {
      ++j;
    }
    const double r = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // mean of i+1..j
    for (std::size_t k = i; k < j; ++k) {
      rank[order[k]] = r;
    }
    i = j;
  }
  return rank;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(average_ranks(x), average_ranks(y));
}

SimilarityScore evaluate_similarity(const std::vector<std::string>& words, const Matrix& matrix,
                                    const SimilaritySet& set, const SimilarityOptions& options) {
  if (matrix.rows() < words.size()) {
    throw Error("similarity evaluation: fewer vectors than words");
  }
  const EvalVocab vocab(words, options.restrict, options.fold);
  const std::size_t dim = matrix.cols();
  SimilarityScore score;
  score.vocab = vocab.size();
  std::vector<double> gold, model;
  score.model.assign(set.pairs.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t p = 0; p < set.pairs.size(); ++p) {
    const auto& pair = set.pairs[p];
    Route ra{}, rb{};
    const std::uint32_t a = vocab.lookup(pair.a, options.stems, ra);
    const std::uint32_t b = vocab.lookup(pair.b, options.stems, rb);
    if (a == EvalVocab::kNone || b == EvalVocab::kNone) {
      ++score.skipped;
      continue;
    }
    ++(worse(ra, rb) == Route::kStem ? score.by_stem : score.by_vocabulary);
    const float* va = matrix.row(a);
    const float* vb = matrix.row(b);
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t k = 0; k < dim; ++k) {
      ab += static_cast<double>(va[k]) * vb[k];
      aa += static_cast<double>(va[k]) * va[k];
      bb += static_cast<double>(vb[k]) * vb[k];
    }
    const double cos = (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0.0;
    score.model[p] = cos;
    gold.push_back(pair.gold);
    model.push_back(cos);
  }
  score.pairs = gold.size();
  score.spearman = spearman(gold, model);
  score.pearson = pearson(gold, model);
  return score;
}

}  // namespace w2v::eval
