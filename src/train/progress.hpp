// Training progress on stderr: percent, words/s/thread on the wall clock, learning rate, running
// loss, ETA. Redrawn in place on a terminal, a plain line every few seconds otherwise.
#pragma once

#include <cstdint>
#include <cstdio>

#include "util/timer.hpp"

namespace w2v::train {

class Progress {
 public:
  Progress(std::uint64_t total_words, int threads, bool enabled);
  // Called by one thread only; cheap when it is not yet time to print.
  void update(std::uint64_t words_done, float lr, double loss);
  void finish();
  double seconds() const { return timer_.seconds(); }

 private:
  std::uint64_t total_;
  int threads_;
  bool enabled_;
  bool tty_;
  double interval_;
  double last_print_ = 0;
  bool drew_ = false;
  Timer timer_;
};

}  // namespace w2v::train
