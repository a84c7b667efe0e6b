#include "plot/pca.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.hpp"

namespace w2v::plot {

void symmetric_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& values,
                     std::vector<double>& vectors) {
  std::vector<double> v(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
  auto at = [&](std::size_t r, std::size_t c) -> double& { return a[r * n + c]; };

  double total = 0;
  for (double x : a) total += x * x;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) off += at(p, q) * at(p, q);
    }
    if (off <= 1e-30 * total || off == 0) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = at(p, q);
        if (std::abs(apq) <= 1e-300) continue;
        // Rotation that zeroes a[p][q] (the smaller of the two angles).
        const double theta = (at(q, q) - at(p, p)) / (2 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1);
        const double s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p, q
          const double kp = at(k, p);
          const double kq = at(k, q);
          at(k, p) = c * kp - s * kq;
          at(k, q) = s * kp + c * kq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p, q
          const double pk = at(p, k);
          const double qk = at(q, k);
          at(p, k) = c * pk - s * qk;
          at(q, k) = s * pk + c * qk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double kp = v[k * n + p];
          const double kq = v[k * n + q];
          v[k * n + p] = c * kp - s * kq;
          v[k * n + q] = s * kp + c * kq;
        }
      }
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Descending eigenvalue; equal values keep their index order (deterministic).
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return at(x, x) > at(y, y); });
  values.assign(n, 0.0);
  vectors.assign(n * n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    values[k] = at(order[k], order[k]);
    for (std::size_t r = 0; r < n; ++r) vectors[r * n + k] = v[r * n + order[k]];
  }
}

Projection pca_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride) {
  if (rows == 0 || dim == 0) throw Error("PCA needs at least one vector of at least one dimension");
  if (rows > 4000 && dim > 4000) {
    throw Error(fmt::format("PCA of {} vectors of {} dimensions is too large to plot", rows, dim));
  }
  // Centred copy in double.
  std::vector<double> x(rows * dim);
  std::vector<double> mean(dim, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) mean[d] += data[r * stride + d];
  }
  for (double& m : mean) m /= static_cast<double>(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) x[r * dim + d] = data[r * stride + d] - mean[d];
  }

  Projection out;
  out.points.assign(rows, {0.0, 0.0});
  std::vector<double> values;
  std::vector<double> vectors;
  std::array<std::vector<double>, 2> scores;
  scores[0].assign(rows, 0.0);
  scores[1].assign(rows, 0.0);
  if (dim <= rows) {
    // Scatter matrix S = X^T X (dim x dim); scores = X v.
    std::vector<double> s(dim * dim, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
      const double* xr = &x[r * dim];
      for (std::size_t i = 0; i < dim; ++i) {
        for (std::size_t j = i; j < dim; ++j) s[i * dim + j] += xr[i] * xr[j];
      }
    }
    for (std::size_t i = 0; i < dim; ++i) {
      for (std::size_t j = 0; j < i; ++j) s[i * dim + j] = s[j * dim + i];
    }
    symmetric_eigen(s, dim, values, vectors);
    for (std::size_t k = 0; k < 2 && k < dim; ++k) {
      if (values[k] <= 0) continue;
      for (std::size_t r = 0; r < rows; ++r) {
        double acc = 0;
        for (std::size_t d = 0; d < dim; ++d) acc += x[r * dim + d] * vectors[d * dim + k];
        scores[k][r] = acc;
      }
    }
  } else {
    // Gram matrix G = X X^T (rows x rows); scores = sqrt(lambda) u.
    std::vector<double> g(rows * rows, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = i; j < rows; ++j) {
        double acc = 0;
        for (std::size_t d = 0; d < dim; ++d) acc += x[i * dim + d] * x[j * dim + d];
        g[i * rows + j] = acc;
        g[j * rows + i] = acc;
      }
    }
    symmetric_eigen(g, rows, values, vectors);
    for (std::size_t k = 0; k < 2 && k < rows; ++k) {
      if (values[k] <= 0) continue;
      const double root = std::sqrt(values[k]);
      for (std::size_t r = 0; r < rows; ++r) scores[k][r] = root * vectors[r * rows + k];
    }
  }

  double total = 0;
  for (double v : x) total += v * v;
  for (std::size_t k = 0; k < 2; ++k) {
    // Tiny eigenvalues are rounding noise: a rank-deficient set gets exact zeros.
    const double lambda = k < values.size() ? values[k] : 0.0;
    if (!(lambda > 1e-12 * total)) std::fill(scores[k].begin(), scores[k].end(), 0.0);
    // Sign: the largest |score| is positive.
    std::size_t best = 0;
    for (std::size_t r = 1; r < rows; ++r) {
      if (std::abs(scores[k][r]) > std::abs(scores[k][best]) * (1 + 1e-9)) best = r;
    }
    if (scores[k][best] < 0) {
      for (double& s : scores[k]) s = -s;
    }
    double ss = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      out.points[r][k] = scores[k][r] + 0.0;  // no negative zero
      ss += scores[k][r] * scores[k][r];
    }
    out.variance[k] = ss / static_cast<double>(rows);
    out.explained[k] = total > 0 ? ss / total : 0.0;
  }
  return out;
}

Projection offset_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride,
                     const std::vector<std::array<std::size_t, 2>>& pairs) {
  if (rows == 0 || dim == 0) throw Error("PCA needs at least one vector of at least one dimension");
  std::vector<double> mean(dim, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t d = 0; d < dim; ++d) mean[d] += data[r * stride + d];
  }
  for (double& m : mean) m /= static_cast<double>(rows);
  std::vector<double> axis(dim, 0.0);
  for (const auto& [from, to] : pairs) {
    if (from >= rows || to >= rows) throw Error("plot: pair index out of range");
    for (std::size_t d = 0; d < dim; ++d) {
      axis[d] += static_cast<double>(data[to * stride + d]) - data[from * stride + d];
    }
  }
  double norm = 0;
  for (double a : axis) norm += a * a;
  norm = std::sqrt(norm);
  if (!(norm > 1e-12)) return pca_2d(data, rows, dim, stride);
  for (double& a : axis) a /= norm;

  std::vector<double> first(rows, 0.0);
  std::vector<float> rest(rows * dim);
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    double s = 0;
    for (std::size_t d = 0; d < dim; ++d) {
      const double c = data[r * stride + d] - mean[d];
      total += c * c;
      s += c * axis[d];
    }
    first[r] = s;
    for (std::size_t d = 0; d < dim; ++d) {
      rest[r * dim + d] = static_cast<float>(data[r * stride + d] - mean[d] - s * axis[d]);
    }
  }
  const Projection second = pca_2d(rest.data(), rows, dim, dim);
  Projection out;
  out.points.resize(rows);
  double ss = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    out.points[r] = {first[r] + 0.0, second.points[r][0]};
    ss += first[r] * first[r];
  }
  out.variance = {ss / static_cast<double>(rows), second.variance[0]};
  out.explained = {total > 0 ? ss / total : 0.0,
                   total > 0 ? second.variance[0] * static_cast<double>(rows) / total : 0.0};
  return out;
}

}  // namespace w2v::plot
