// word2vec-format vector files: binary and text (also fastText .vec and GloVe text on read).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "util/matrix.hpp"

namespace w2v::io {

namespace fasttext {
class Subwords;
}

// kGlove: text rows without the "V D" header line (GloVe's layout); written only by convert.
enum class VectorFormat { kBinary, kText, kGlove };

// ".txt" / ".vec" -> text, anything else -> binary; a ".gz" ending is looked through
// ("vectors.txt.gz" -> text).
VectorFormat format_for_path(const std::string& path);
// True when `path` ends in ".gz": write_vectors then writes gzip.
bool is_gzip_path(const std::string& path);
// "bin" / "binary" / "txt" / "text"; throws w2v::Error (exit 2) otherwise.
VectorFormat parse_format(const std::string& name);

// Writes `rows` vectors of `dim` floats (row r at data + r * stride) atomically (temp + rename).
//   binary: "V D\n", then per word: word, ' ', D little-endian float32, '\n'  (word2vec.c layout)
//   text:   "V D\n", then per word: word and D values in shortest round-trip form, '\n'
//   GloVe:  the text rows without the header line
// gzip-compressed (one member, zlib level 1: fast, text to about 45%) when is_gzip_path(path).
void write_vectors(const std::string& path, const std::vector<std::string>& words,
                   const float* data, std::size_t dim, std::size_t stride, VectorFormat format);

struct Vectors {
  std::vector<std::string> words;  // in file order (= frequency rank for word2vec files)
  Matrix matrix;                   // words.size() x dim, as stored in the file (not normalised)
  std::string format;  // "word2vec binary", "word2vec text", "GloVe text", "fastText ..."
  // fastText models with n-grams: what gives vectors to words outside `words` (else null).
  std::shared_ptr<const fasttext::Subwords> subwords;
  std::size_t dim() const { return matrix.cols(); }
  std::size_t size() const { return words.size(); }
};

// Reads any supported format, detected from the content (fastText .bin models: see
// fasttext_format.hpp). Strict: errors name the file and the line (text) or row (binary). See
// vectors_reader.cpp for the rules. `limit` > 0 reads and allocates only the first `limit` rows
// (gensim's limit=): nothing after them is looked at.
Vectors read_vectors(const std::string& path, std::size_t limit = 0);

}  // namespace w2v::io
