#include "plot/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>

#include "text/utf8.hpp"

namespace w2v::plot {

namespace {

// Noto Sans CJK's line box, as browsers measure a text element (1.143 and 0.286 em).
constexpr double kAscent = 1.16;   // em above the baseline
constexpr double kDescent = 0.30;  // em below
constexpr double kGap = 2.5;       // between a dot's edge and its label
constexpr double kPad = 1.0;       // labels keep this far apart

bool wide(std::int32_t cp) {
  return cp < 0 || (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

Box padded(const Box& b, double p) {
  return {b.x0 - p, b.y0 - p, b.x1 + p, b.y1 + p};
}

Box moved(const Box& b, double dx, double dy) {
  return {b.x0 + dx, b.y0 + dy, b.x1 + dx, b.y1 + dy};
}

// Shifts `b` (no larger than `area`) so it lies inside `area`.
Box clamped(const Box& b, const Box& area) {
  double dx = 0;
  double dy = 0;
  if (b.x0 < area.x0) dx = area.x0 - b.x0;
  if (b.x1 + dx > area.x1) dx = area.x1 - b.x1;
  if (b.y0 < area.y0) dy = area.y0 - b.y0;
  if (b.y1 + dy > area.y1) dy = area.y1 - b.y1;
  return moved(b, dx, dy);
}

bool inside(const Box& b, const Box& area) {
  return b.x0 >= area.x0 - 1e-9 && b.y0 >= area.y0 - 1e-9 && b.x1 <= area.x1 + 1e-9 &&
         b.y1 <= area.y1 + 1e-9;
}

double distance_to_box(double x, double y, const Box& b) {
  const double dx = std::max({b.x0 - x, 0.0, x - b.x1});
  const double dy = std::max({b.y0 - y, 0.0, y - b.y1});
  return std::hypot(dx, dy);
}

double overlap_area(const Box& a, const Box& b) {
  const double w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const double h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0.0;
}

}  // namespace

bool intersects(const Box& a, const Box& b);

namespace {

// Boxes bucketed by a uniform grid over the area, for fast "does this box hit any" queries.
class BoxGrid {
 public:
  BoxGrid(const Box& area, double cell)
      : x0_(area.x0),
        y0_(area.y0),
        cell_(cell),
        nx_(std::max<std::size_t>(1, static_cast<std::size_t>(area.width() / cell) + 1)),
        ny_(std::max<std::size_t>(1, static_cast<std::size_t>(area.height() / cell) + 1)),
        cells_(nx_ * ny_) {}

  void add(const Box& b) {
    const std::size_t id = boxes_.size();
    boxes_.push_back(b);
    for_cells(b, [&](std::vector<std::size_t>& c) {
      c.push_back(id);
      return false;
    });
  }

  // Whether `b` intersects any box added, except the `skip`-th.
  bool hits(const Box& b, std::size_t skip = SIZE_MAX) {
    return for_cells(b, [&](std::vector<std::size_t>& c) {
      return std::any_of(c.begin(), c.end(),
                         [&](std::size_t id) { return id != skip && intersects(b, boxes_[id]); });
    });
  }

 private:
  std::size_t index(double v, double origin, std::size_t n) const {
    const double k = std::floor((v - origin) / cell_);
    if (!(k > 0)) return 0;
    return std::min(n - 1, static_cast<std::size_t>(k));
  }
  template <typename F>
  bool for_cells(const Box& b, F f) {
    const std::size_t i0 = index(b.x0, x0_, nx_);
    const std::size_t i1 = index(b.x1, x0_, nx_);
    const std::size_t j0 = index(b.y0, y0_, ny_);
    const std::size_t j1 = index(b.y1, y0_, ny_);
    for (std::size_t j = j0; j <= j1; ++j) {
      for (std::size_t i = i0; i <= i1; ++i) {
        if (f(cells_[j * nx_ + i])) return true;
      }
    }
    return false;
  }

  double x0_;
  double y0_;
  double cell_;
  std::size_t nx_;
  std::size_t ny_;
  std::vector<std::vector<std::size_t>> cells_;
  std::vector<Box> boxes_;
};

}  // namespace

bool intersects(const Box& a, const Box& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

double text_width(std::string_view text, double font_size) {
  double em = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 1;
    const std::int32_t cp = text::decode(text, i, len);
    if (wide(cp)) {
      em += 1.0;
    } else if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W' || cp == '@') {
      em += 0.95;
    } else if (cp >= 'A' && cp <= 'Z') {
      em += 0.72;
    } else if (cp < 0x80) {
      em += 0.6;
    } else if ((cp >= 0x300 && cp <= 0x36F) || cp == 0x200B || cp == 0x200D) {
      em += 0;  // combining marks and zero-width characters
    } else {
      em += 0.75;
    }
    i += std::max<std::size_t>(len, 1);
  }
  return em * font_size;
}

Box label_box(std::string_view text, double x, double y, double font_size) {
  return {x, y - kAscent * font_size, x + text_width(text, font_size), y + kDescent * font_size};
}

std::vector<PlacedLabel> place_labels(const LabelInput& in) {
  const std::size_t n = in.texts.size();
  const double fs = in.font_size;
  const double r = in.dot_radius;
  const Box& area = in.area;
  std::vector<Box> dots(in.dots.size());
  for (std::size_t k = 0; k < dots.size(); ++k) {
    const double h = r + 0.75;  // the circle and its stroke
    dots[k] = {in.dots[k][0] - h, in.dots[k][1] - h, in.dots[k][0] + h, in.dots[k][1] + h};
  }
  std::vector<double> widths(n);
  const double height = (kAscent + kDescent) * fs;
  for (std::size_t i = 0; i < n; ++i) widths[i] = text_width(in.texts[i], fs);

  BoxGrid dot_grid(area, 32);
  for (const Box& d : dots) dot_grid.add(d);
  auto hits_dot = [&](const Box& b) { return dot_grid.hits(b); };

  // 1. Candidates.
  std::vector<Box> boxes(n);
  std::vector<Box> home(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = in.dots[i][0];
    const double cy = in.dots[i][1];
    const double w = widths[i];
    const double h = height;
    const double d = 0.71 * r + kGap;
    const std::array<std::array<double, 2>, 8> corners = {{
        {cx + r + kGap, cy - h / 2},      // right
        {cx + d, cy - d - h},             // upper right
        {cx - w / 2, cy - r - kGap - h},  // above
        {cx - d - w, cy - d - h},         // upper left
        {cx - r - kGap - w, cy - h / 2},  // left
        {cx - d - w, cy + d},             // lower left
        {cx - w / 2, cy + r + kGap},      // below
        {cx + d, cy + d},                 // lower right
    }};
    double best_cost = 1e300;
    const int first = i < in.first_candidate.size() ? in.first_candidate[i] : 0;
    for (int k = 0; k < 8; ++k) {
      const auto& c = corners[static_cast<std::size_t>((first + k) % 8 + 8) % 8];
      const Box raw{c[0], c[1], c[0] + w, c[1] + h};
      const Box b = clamped(raw, area);
      double cost = 0;
      for (std::size_t j = 0; j < i; ++j) cost += overlap_area(padded(b, kPad), boxes[j]);
      if (hits_dot(b)) {
        for (const Box& dot : dots) cost += 4 * overlap_area(b, dot);
      }
      // A candidate pushed away from its dot by the area's edge is a little worse.
      cost += 1e-3 * (std::abs(b.x0 - raw.x0) + std::abs(b.y0 - raw.y0));
      if (cost < best_cost) {
        best_cost = cost;
        boxes[i] = b;
      }
      if (cost == 0) break;
    }
    home[i] = boxes[i];
  }

  // 2. Repulsion.
  // Quadratic per round: for big maps go straight to the free-spot search.
  const int rounds = n <= 600 ? 300 : 0;
  for (int round = 0; round < rounds; ++round) {
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const Box a = padded(boxes[i], kPad / 2);
        const Box b = padded(boxes[j], kPad / 2);
        if (!intersects(a, b)) continue;
        any = true;
        const double ox = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
        const double oy = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
        if (ox < oy) {
          const double s = ox / 2 + 0.25;
          const bool i_left = a.x0 + a.x1 <= b.x0 + b.x1;
          boxes[i] = moved(boxes[i], i_left ? -s : s, 0);
          boxes[j] = moved(boxes[j], i_left ? s : -s, 0);
        } else {
          const double s = oy / 2 + 0.25;
          const bool i_up = a.y0 + a.y1 <= b.y0 + b.y1;
          boxes[i] = moved(boxes[i], 0, i_up ? -s : s);
          boxes[j] = moved(boxes[j], 0, i_up ? s : -s);
        }
      }
      if (!hits_dot(boxes[i])) continue;
      for (const Box& d : dots) {
        const Box& b = boxes[i];
        if (!intersects(b, d)) continue;
        any = true;
        const double left = b.x1 - d.x0;  // shift needed to clear the dot to its left
        const double right = d.x1 - b.x0;
        const double up = b.y1 - d.y0;
        const double down = d.y1 - b.y0;
        const double m = std::min({left, right, up, down}) + 0.25;
        if (m - 0.25 == left) {
          boxes[i] = moved(b, -m, 0);
        } else if (m - 0.25 == right) {
          boxes[i] = moved(b, m, 0);
        } else if (m - 0.25 == up) {
          boxes[i] = moved(b, 0, -m);
        } else {
          boxes[i] = moved(b, 0, m);
        }
      }
    }
    if (!any) break;
    for (std::size_t i = 0; i < n; ++i) {
      boxes[i] =
          moved(boxes[i], 0.02 * (home[i].x0 - boxes[i].x0), 0.02 * (home[i].y0 - boxes[i].y0));
      boxes[i] = clamped(boxes[i], area);
    }
  }

  // 3. Guarantee: settle the labels that overlap nothing, then find free spots for the rest.
  std::vector<PlacedLabel> out(n);
  std::vector<bool> settled(n, false);
  BoxGrid fixed(area, 32);
  {
    BoxGrid all(area, 32);
    for (std::size_t i = 0; i < n; ++i) all.add(padded(boxes[i], kPad / 2));
    for (std::size_t i = 0; i < n; ++i) {
      settled[i] =
          inside(boxes[i], area) && !hits_dot(boxes[i]) && !all.hits(padded(boxes[i], kPad / 2), i);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (settled[i]) fixed.add(padded(boxes[i], kPad / 2));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (settled[i]) continue;
    const double cx = in.dots[i][0];
    const double cy = in.dots[i][1];
    const double w = widths[i];
    const double h = height;
    // Farther than this a label is no use to its dot: hide it instead.
    const double max_rad = std::min(std::hypot(area.width(), area.height()), 300.0);
    bool found = false;
    for (double rad = 0; rad <= max_rad && !found; rad += 4) {
      const double ax = w / 2 + r + kGap + rad;
      const double ay = h / 2 + r + kGap + rad;
      const int steps =
          std::clamp(static_cast<int>(2 * std::numbers::pi * (ax + ay) / 2 / 8), 8, 96);
      for (int s = 0; s < steps && !found; ++s) {
        const double t = 2 * std::numbers::pi * s / steps;
        const double bx = cx + ax * std::cos(t) - w / 2;
        const double by = cy - ay * std::sin(t) - h / 2;
        const Box b = clamped({bx, by, bx + w, by + h}, area);
        if (!inside(b, area) || hits_dot(b)) continue;
        if (fixed.hits(padded(b, kPad / 2))) continue;
        boxes[i] = b;
        found = true;
      }
    }
    if (found) {
      settled[i] = true;
      fixed.add(padded(boxes[i], kPad / 2));
    } else {
      out[i].visible = false;
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    out[i].box = boxes[i];
    out[i].x = boxes[i].x0;
    out[i].y = boxes[i].y0 + kAscent * fs;
    const double dist = distance_to_box(in.dots[i][0], in.dots[i][1], boxes[i]);
    out[i].leader = out[i].visible && dist > r + kGap + 3;
  }
  return out;
}

}  // namespace w2v::plot
