// train --save-fasttext FILE: the trained model as a fastText .bin (io/fasttext_format.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "train/trainer.hpp"
#include "vocab/subwords.hpp"
#include "vocab/vocab.hpp"

namespace w2v::app {

// Writes `model` (its input and output layers) with the settings it was trained with; fastText's
// args that w2v has no counterpart for get fastText's defaults (wordNgrams 1, lrUpdateRate 100).
// With `subwords`, the n-gram rows and minn/maxn/bucket; without, bucket/minn/maxn 0.
void save_fasttext(const std::string& path, const train::TrainOptions& options,
                   std::uint64_t min_count, const vocab::Vocab& vocab, const train::Model& model,
                   const vocab::SubwordOptions* subwords = nullptr);

}  // namespace w2v::app
