// Sigmoid and log-sigmoid lookup tables shared by every ISA's kernels.
#pragma once

namespace w2v::train::tables {

constexpr float kMaxExp = 8.0f;
constexpr int kSize = 2048;  // entries over [-kMaxExp, kMaxExp]
constexpr float kScale = kSize / (2 * kMaxExp);

// sigmoid[i] = sigma(-kMaxExp + i / kScale); neg_log_sigmoid likewise; kSize + 1 entries.
extern const float* const sigmoid;
extern const float* const neg_log_sigmoid;

}  // namespace w2v::train::tables
