// word2vec's vocabulary file (`-save-vocab` / `-read-vocab`): one "word count" line per word, in
// id order. The format lives with the other formats; vocab/ knows nothing of files.
#pragma once

#include <string>

#include "vocab/vocab.hpp"

namespace w2v::io {

// Writes `vocab` atomically (a temporary beside `path`, renamed when complete).
void write_vocab_file(const std::string& path, const vocab::Vocab& vocab);
// Reads such a file (min_count / max_vocab applied, sorted as Vocab::build sorts). Errors name the
// file and line; a word listed twice is an error.
vocab::Vocab read_vocab_file(const std::string& path, const vocab::VocabOptions& options);

}  // namespace w2v::io
