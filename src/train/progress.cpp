#include "train/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace w2v::train {

std::string human_count(double v) {
  if (!(v >= 0) || !std::isfinite(v)) return "0";
  static constexpr const char* kUnits[] = {"", "k", "M", "G", "T"};
  int u = 0;
  while (v >= 999.5 && u < 4) {
    v /= 1000;
    ++u;
  }
  if (u == 0) return fmt::format("{:.0f}", v);
  if (v >= 99.95) return fmt::format("{:.0f}{}", v, kUnits[u]);
  if (v >= 9.995) return fmt::format("{:.1f}{}", v, kUnits[u]);
  return fmt::format("{:.2f}{}", v, kUnits[u]);
}

std::string clock_text(double s) {
  const long t = std::isfinite(s) && s > 0 ? std::lround(s) : 0;
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

namespace {

std::string bar(double fraction, int cells) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int full = static_cast<int>(fraction * cells);
  std::string b = "[";
  b.append(static_cast<std::size_t>(full), '#');
  b.append(static_cast<std::size_t>(cells - full), '.');
  b += ']';
  return b;
}

// Joins `head`, an optional bar and `fields` (most important first) into a line narrower than
// `width`: the bar shrinks first, then the last fields go.
std::string fit(const std::string& head, double fraction, bool with_bar,
                std::vector<std::string> fields, int width) {
  constexpr std::string_view kGap = "  ";
  auto join = [&](int bar_cells, std::size_t nfields) {
    std::string line = head;
    if (bar_cells > 0) line += ' ' + bar(fraction, bar_cells);
    for (std::size_t i = 0; i < nfields; ++i) {
      line += kGap;
      line += fields[i];
    }
    return line;
  };
  if (width <= 0) return join(0, fields.size());
  const int limit = width - 1;  // the last column would wrap on some terminals
  constexpr int kMaxBar = 24, kMinBar = 12;
  // The bar and the first `kept` fields matter most; the rest go first when space is short.
  const std::size_t kept = std::min<std::size_t>(3, fields.size());
  for (std::size_t n = fields.size() + 1; with_bar && n-- > kept;) {
    const int room = limit - static_cast<int>(join(0, n).size()) - 3;  // " [" and "]"
    if (room >= kMinBar) return join(std::min(room, kMaxBar), n);
  }
  for (std::size_t n = fields.size() + 1; n-- > 0;) {
    std::string line = join(0, n);
    if (static_cast<int>(line.size()) <= limit) return line;
  }
  std::string line = head;
  line.resize(static_cast<std::size_t>(std::max(limit, 0)));
  return line;
}

}  // namespace

std::string format_train_line(const TrainView& v, int width) {
  // Fixed-width fields, so the bar does not change length from one redraw to the next.
  const std::string epochs = std::to_string(v.epochs);
  const std::string head = fmt::format("epoch {:>{}}/{}", v.epoch, epochs.size(), epochs);
  return fit(head, v.fraction, true,
             {fmt::format("{:5.1f}%", 100 * std::clamp(v.fraction, 0.0, 1.0)),
              fmt::format("{:>5} words/s", human_count(v.words_per_second)),
              "ETA " + clock_text(v.eta_seconds), fmt::format("loss {:.3f}", v.loss),
              fmt::format("lr {:.5f}", v.lr)},
             width);
}

std::string format_count_line(const CountView& v, int width) {
  const double mb = static_cast<double>(v.bytes) / 1e6;
  const double rate = v.seconds > 0 ? mb / v.seconds : 0;
  const std::string words = human_count(static_cast<double>(v.words)) + " words";
  if (v.total_bytes == 0) {
    return fit("counting", 0, false,
               {fmt::format("{:.1f} MB", mb), fmt::format("{:.1f} MB/s", rate), words}, width);
  }
  const double total = static_cast<double>(v.total_bytes) / 1e6;
  const double frac =
      std::clamp(static_cast<double>(v.bytes) / static_cast<double>(v.total_bytes), 0.0, 1.0);
  const double eta = frac > 0 ? v.seconds * (1 - frac) / frac : 0;
  return fit("counting", frac, true,
             {fmt::format("{:5.1f}%", 100 * frac), fmt::format("{:.1f}/{:.1f} MB", mb, total),
              "ETA " + clock_text(eta), fmt::format("{:.1f} MB/s", rate), words},
             width);
}

int terminal_width(int fd) {
  if (isatty(fd) == 0) return 0;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS"); c != nullptr) {
    int v = 0;
    const std::string_view s(c);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && v > 0) return v;
  }
  return 80;
}

ProgressPrinter::ProgressPrinter(bool enabled)
    : enabled_(enabled),
      width_(enabled ? terminal_width(STDERR_FILENO) : 0),
      interval_(width_ > 0 ? 0.2 : 5.0) {}

bool ProgressPrinter::due() {
  if (!enabled_) return false;
  const double now = timer_.seconds();
  if (now - last_ < interval_) return false;
  last_ = now;
  return true;
}

void ProgressPrinter::draw(const std::string& line) {
  if (width_ > 0) {
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    drew_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void ProgressPrinter::finish() {
  if (enabled_ && width_ > 0 && drew_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drew_ = false;
  }
}

Progress::Progress(std::uint64_t total_words, int epochs, bool enabled)
    : total_(total_words), epochs_(std::max(1, epochs)), printer_(enabled) {}

void Progress::update(std::uint64_t words_done, float lr, double loss) {
  if (!printer_.due()) return;
  const double now = printer_.seconds();
  TrainView v;
  v.fraction = total_ == 0
                   ? 1.0
                   : std::min(1.0, static_cast<double>(words_done) / static_cast<double>(total_));
  v.epochs = epochs_;
  v.epoch = std::min(epochs_, 1 + static_cast<int>(v.fraction * epochs_));
  v.words_per_second = now > 0 ? static_cast<double>(words_done) / now : 0;
  v.lr = lr;
  v.loss = loss;
  v.eta_seconds = v.fraction > 0 ? now * (1 - v.fraction) / v.fraction : 0;
  printer_.draw(format_train_line(v, printer_.width()));
}

}  // namespace w2v::train
