#include "plot/tsne.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "util/error.hpp"
#include "util/rng.hpp"

namespace w2v::plot {

namespace {

// Row i of P (conditional p_{j|i}) for squared distances d[i*n + j], perplexity `perp`.
void conditional_row(const std::vector<double>& d, std::size_t n, std::size_t i, double perp,
                     double* p) {
  const double target = std::log(perp);
  double beta = 1;
  double lo = 0;
  double hi = std::numeric_limits<double>::infinity();
  const double* di = &d[i * n];
  // Shift by the smallest distance so exp() never underflows to all zeros.
  double dmin = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < n; ++j) {
    if (j != i) dmin = std::min(dmin, di[j]);
  }
  for (int it = 0; it < 200; ++it) {
    double sum = 0;
    double dsum = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) {
        p[j] = 0;
        continue;
      }
      p[j] = std::exp(-beta * (di[j] - dmin));
      sum += p[j];
      dsum += p[j] * (di[j] - dmin);
    }
    // Entropy H = log(sum) + beta * E[d - dmin].
    const double h = std::log(sum) + beta * dsum / sum;
    for (std::size_t j = 0; j < n; ++j) p[j] /= sum;
    const double diff = h - target;
    if (std::abs(diff) < 1e-5) break;
    if (diff > 0) {  // too flat: sharpen
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
}

}  // namespace

Projection tsne_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride,
                   const TsneOptions& o) {
  const std::size_t n = rows;
  if (n < 2) throw Error("t-SNE needs at least two vectors");
  if (n > kTsneMaxRows) {
    throw Error(fmt::format("t-SNE of {} words is too slow (exact, O(n^2)): plot at most {}", n,
                            kTsneMaxRows));
  }
  const auto sn = static_cast<std::int64_t>(n);
  std::vector<double> d(n * n, 0.0);
#pragma omp parallel for schedule(static) if (n >= 400)
  for (std::int64_t si = 0; si < sn; ++si) {
    const auto i = static_cast<std::size_t>(si);
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < dim; ++k) {
        const double t = static_cast<double>(data[i * stride + k]) - data[j * stride + k];
        s += t * t;
      }
      d[i * n + j] = s;
    }
  }
  const double perp = std::max(1.0, std::min(o.perplexity, static_cast<double>(n - 1) / 3));
  std::vector<double> p(n * n, 0.0);
#pragma omp parallel for schedule(static) if (n >= 400)
  for (std::int64_t si = 0; si < sn; ++si) {
    conditional_row(d, n, static_cast<std::size_t>(si), perp, &p[static_cast<std::size_t>(si) * n]);
  }
  // Symmetrise: p_ij = (p_{j|i} + p_{i|j}) / 2n.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v =
          std::max((p[i * n + j] + p[j * n + i]) / (2.0 * static_cast<double>(n)), 1e-12);
      p[i * n + j] = v;
      p[j * n + i] = v;
    }
    p[i * n + i] = 0;
  }

  std::vector<double> y(2 * n);
  Rng rng(splitmix64(o.seed ^ 0x7453E5ULL));
  for (std::size_t i = 0; i < 2 * n; i += 2) {
    // Box-Muller: two normals from two uniforms in (0, 1].
    const double u1 = 1.0 - static_cast<double>(rng.next() >> 11) * 0x1p-53;
    const double u2 = static_cast<double>(rng.next() >> 11) * 0x1p-53;
    const double r = std::sqrt(-2 * std::log(u1));
    y[i] = 1e-4 * r * std::cos(2 * std::numbers::pi * u2);
    y[i + 1] = 1e-4 * r * std::sin(2 * std::numbers::pi * u2);
  }
  std::vector<double> grad(2 * n, 0.0);
  std::vector<double> update(2 * n, 0.0);
  std::vector<double> gains(2 * n, 1.0);
  std::vector<double> row_z(n, 0.0);
  const double lr = std::max(200.0, static_cast<double>(n) / 12);
  for (int it = 0; it < o.iterations; ++it) {
    const double exaggeration = it < 250 ? 12.0 : 1.0;
    const double momentum = it < 250 ? 0.5 : 0.8;
    // Z = sum over i != j of 1 / (1 + |y_i - y_j|^2), by rows in a fixed order.
#pragma omp parallel for schedule(static) if (n >= 400)
    for (std::int64_t si = 0; si < sn; ++si) {
      const auto i = static_cast<std::size_t>(si);
      double z = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = y[2 * i] - y[2 * j];
        const double dy = y[2 * i + 1] - y[2 * j + 1];
        z += 1 / (1 + dx * dx + dy * dy);
      }
      row_z[i] = z;
    }
    double z = 0;
    for (double v : row_z) z += v;
#pragma omp parallel for schedule(static) if (n >= 400)
    for (std::int64_t si = 0; si < sn; ++si) {
      const auto i = static_cast<std::size_t>(si);
      double gx = 0;
      double gy = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = y[2 * i] - y[2 * j];
        const double dy = y[2 * i + 1] - y[2 * j + 1];
        const double w = 1 / (1 + dx * dx + dy * dy);
        const double m = (exaggeration * p[i * n + j] - w / z) * w;
        gx += m * dx;
        gy += m * dy;
      }
      grad[2 * i] = 4 * gx;
      grad[2 * i + 1] = 4 * gy;
    }
    for (std::size_t k = 0; k < 2 * n; ++k) {
      const bool same = (grad[k] > 0) == (update[k] > 0);
      gains[k] = std::max(0.01, same ? gains[k] * 0.8 : gains[k] + 0.2);
      update[k] = momentum * update[k] - lr * gains[k] * grad[k];
      y[k] += update[k];
    }
    double mx = 0;
    double my = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
  }
  Projection out;
  out.points.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.points[i] = {y[2 * i] + 0.0, y[2 * i + 1] + 0.0};
  return out;
}

}  // namespace w2v::plot
