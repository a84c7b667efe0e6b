// Progress on stderr for the two long phases, counting and training.
//
// On a terminal one line is redrawn in place 5 times a second and never grows wider than the
// terminal (it would scroll a new line at every redraw): fields are dropped, least useful first,
// until it fits. Otherwise (a log file, a pipe) a plain line is written every 5 seconds.
//
//   epoch 2/5 [#########.........]  47.0%  2.41M words/s  lr 0.0265  loss 0.350  ETA 0:05
//   counting [#####..............]  25.1%  13.7/54.8 MB  61.2 MB/s  1.33M words  ETA 0:02
#pragma once

#include <cstdint>
#include <string>

#include "util/timer.hpp"

namespace w2v::train {

// 1520000 -> "1.52M", 12345 -> "12.3k", 999 -> "999".
std::string human_count(double v);
// 65 -> "1:05", 3725 -> "1:02:05".
std::string clock_text(double seconds);

// One progress line. `width` is the terminal's width (the line stays below it); 0 means no
// terminal: every field, no bar.
struct TrainView {
  double fraction = 0;  // of all epochs
  int epoch = 1;        // 1-based
  int epochs = 1;
  double words_per_second = 0;
  double lr = 0;
  double loss = 0;
  double eta_seconds = 0;
};
std::string format_train_line(const TrainView& v, int width);

struct CountView {
  std::uint64_t bytes = 0;
  std::uint64_t total_bytes = 0;  // 0: unknown (stdin, a pipe)
  std::uint64_t words = 0;
  double seconds = 0;
};
std::string format_count_line(const CountView& v, int width);

// Columns of the terminal on `fd`, or 0 when it is not a terminal. $COLUMNS is used when the
// terminal does not say; 80 when neither does.
int terminal_width(int fd);

// Rate-limited drawing of lines on stderr (one thread only).
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled);
  // True when it is time to draw a line (then call draw()).
  bool due();
  void draw(const std::string& line);
  // Clears a line drawn in place.
  void finish();
  int width() const { return width_; }
  bool enabled() const { return enabled_; }
  double seconds() const { return timer_.seconds(); }

 private:
  bool enabled_;
  int width_;  // 0: not a terminal
  double interval_;
  double last_ = 0;
  bool drew_ = false;
  Timer timer_;
};

class Progress {
 public:
  Progress(std::uint64_t total_words, int epochs, bool enabled);
  // Called by one thread only; cheap when it is not yet time to print.
  void update(std::uint64_t words_done, float lr, double loss);
  void finish() { printer_.finish(); }
  double seconds() const { return printer_.seconds(); }

 private:
  std::uint64_t total_;
  int epochs_;
  ProgressPrinter printer_;
};

}  // namespace w2v::train
