// fastText's binary model format (.bin), read and written. The layout (fastText 0.9, file
// version 12; all numbers little-endian):
//
//   int32 magic 793712314, int32 version (12; 11 is read too)
//   args:  int32 dim, ws, epoch, minCount, neg, wordNgrams, loss (1 hs, 2 ns, 3 softmax, 4 ova),
//          model (1 cbow, 2 sg, 3 sup), bucket, minn, maxn, lrUpdateRate; float64 t
//   dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (-1: not pruned);
//          size entries (words first, then labels): bytes, NUL, int64 count, int8 type
//          (0 word, 1 label); then pruneidx_size pairs of int32 (bucket id, new bucket id)
//   bool quantized input; input matrix: int64 rows (nwords + bucket), int64 cols (dim),
//          rows x cols float32
//   bool quantized output; output matrix: int64 rows, int64 cols, float32 values
//
// A word's vector is the mean of its own input row and the rows of its character n-grams
// ("<" word ">", minn..maxn UTF-8 characters, single boundary characters left out), each hashed
// with 32-bit FNV-1a over the bytes taken as signed chars (fastText's quirk: bytes >= 0x80 are
// sign-extended), modulo bucket, at row nwords + id. An unknown word gets the mean of its n-gram
// rows alone (zero when it has none). Quantized models (.ftz) are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/matrix.hpp"

namespace w2v::io {

struct Vectors;

namespace fasttext {

constexpr std::int32_t kMagic = 793712314;
constexpr std::int32_t kVersion = 12;

struct Args {
  std::int32_t dim = 100;
  std::int32_t ws = 5;
  std::int32_t epoch = 5;
  std::int32_t min_count = 5;
  std::int32_t neg = 5;
  std::int32_t word_ngrams = 1;
  std::int32_t loss = 2;   // 1 hs, 2 ns, 3 softmax, 4 ova
  std::int32_t model = 2;  // 1 cbow, 2 sg, 3 sup
  std::int32_t bucket = 0;
  std::int32_t minn = 0;
  std::int32_t maxn = 0;
  std::int32_t lr_update_rate = 100;
  double t = 1e-4;
};

// fastText's n-gram hash (FNV-1a, bytes sign-extended).
std::uint32_t hash(std::string_view s);

// What a loaded model keeps to give vectors to words outside its dictionary: the n-gram
// (bucket) rows and the settings that index them.
class Subwords {
 public:
  Subwords(std::int32_t minn, std::int32_t maxn, std::int32_t bucket, std::int64_t prune_size,
           std::unordered_map<std::int32_t, std::int32_t> prune, Matrix rows);
  // Bucket rows of the n-grams of `word` (fastText's computeSubwords on "<word>"), in order.
  std::vector<std::int32_t> ngrams(std::string_view word) const;
  // Adds the bucket row `id` to `out` (dim floats).
  void add_row(std::int32_t id, float* out) const;
  std::size_t dim() const { return rows_.cols(); }
  // The vector of a word outside the dictionary into `out` (dim floats): the mean of its n-gram
  // rows. Returns how many n-grams there were (0: `out` is zero).
  std::size_t compose(std::string_view word, float* out) const;

 private:
  std::int32_t minn_, maxn_, bucket_;
  std::int64_t prune_size_;
  std::unordered_map<std::int32_t, std::int32_t> prune_;
  Matrix rows_;  // bucket (or pruned) rows x dim, unpadded
};

// True when the content starts with fastText's magic number.
bool is_model(std::string_view bytes);

// Reads a fastText .bin model: the dictionary words (labels left out) with their vectors as
// fastText's getWordVector gives them, and the n-gram rows for unknown words (v.subwords; none
// when the model has no n-grams). Errors name the file and the part that is wrong.
Vectors read_model(const std::string& path, std::string_view bytes);

// What write_model writes.
struct ModelData {
  Args args;
  const std::vector<std::string>* words = nullptr;
  const std::vector<std::uint64_t>* counts = nullptr;  // one per word
  std::uint64_t ntokens = 0;
  // words x dim, row r at input + r * stride; with args.maxn > 0 and args.bucket > 0, words +
  // bucket rows (the n-gram rows follow the words'), and args' minn, maxn, bucket are written.
  const float* input = nullptr;
  const float* output = nullptr;  // the same shape; nullptr writes zeros
  std::size_t stride = 0;
};

// Writes a fastText .bin model (of words only unless args.maxn > 0: bucket 0, minn = maxn = 0)
// atomically (inside a CommitGroup when one is alive). The real fastText loads it
// (print-word-vectors, nn, analogies). Throws w2v::Error for a word fastText cannot store (empty,
// or holding a NUL byte).
void write_model(const std::string& path, const ModelData& data);

}  // namespace fasttext
}  // namespace w2v::io
