// Where training stands between two steps: what a checkpoint (train/checkpoint.hpp) needs beside
// the model and the vocabulary to continue a run exactly where it stopped.
#pragma once

#include <cstdint>
#include <vector>

namespace w2v::train {

struct ThreadState {
  std::uint64_t rng = 0;            // the thread's generator (Rng::state)
  float lr = 0;                     // its learning rate (recomputed every 10,000 words)
  std::uint64_t next_sentence = 0;  // the first sentence it has not trained yet in `epoch`
};

struct TrainState {
  int epoch = 0;                     // the epoch in progress, 0-based (== epochs: all done)
  std::uint64_t words_done = 0;      // words trained so far, all threads (drives the lr schedule)
  bool interrupted = false;          // written at a stop request, not at the end of an epoch
  std::vector<ThreadState> threads;  // one per training thread
};

}  // namespace w2v::train
