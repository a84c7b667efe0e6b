#include "train/progress.hpp"

#include <unistd.h>

#include <cmath>

#include <fmt/format.h>

namespace w2v::train {

Progress::Progress(std::uint64_t total_words, int threads, bool enabled)
    : total_(total_words),
      threads_(threads),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      interval_(tty_ ? 0.2 : 5.0) {}

namespace {
std::string clock(double s) {
  const long t = std::lround(s);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}
}  // namespace

void Progress::update(std::uint64_t words_done, float lr, double loss) {
  if (!enabled_) return;
  const double now = timer_.seconds();
  if (now - last_print_ < interval_) return;
  last_print_ = now;
  const double frac =
      total_ == 0 ? 1.0 : static_cast<double>(words_done) / static_cast<double>(total_);
  const double rate = now > 0 ? static_cast<double>(words_done) / now : 0;
  const double eta = frac > 0 ? now * (1 - frac) / frac : 0;
  const std::string line = fmt::format(
      "progress {:5.1f}%  {:.0f} words/s/thread  lr {:.6f}  loss {:.4f}  elapsed {}  ETA {}",
      100 * frac, rate / threads_, lr, loss, clock(now), clock(eta));
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    drew_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && tty_ && drew_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace w2v::train
