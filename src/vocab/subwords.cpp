#include "vocab/subwords.hpp"

#include <algorithm>
#include <cstddef>

namespace w2v::vocab {

std::uint32_t ngram_hash(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (const char c : s) {
    // fastText takes each byte as a signed char: 0xE4 is mixed in as 0xFFFFFFE4.
    h ^= static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<signed char>(c)));
    h *= 16777619u;
  }
  return h;
}

void ngram_buckets(std::string_view word, int minn, int maxn, std::uint32_t bucket,
                   std::vector<std::int32_t>& out) {
  if (maxn <= 0 || bucket == 0 || word == "</s>") return;
  std::string w;
  w.reserve(word.size() + 2);
  w.push_back('<');
  w.append(word);
  w.push_back('>');
  const auto continuation = [&w](std::size_t i) {
    return (static_cast<unsigned char>(w[i]) & 0xC0u) == 0x80u;
  };
  const std::string_view all(w);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (continuation(i)) continue;
    std::size_t j = i;
    for (int n = 1; j < w.size() && n <= maxn; ++n) {
      ++j;
      while (j < w.size() && continuation(j)) ++j;
      // A lone '<' or '>' is no n-gram.
      if (n < minn || (n == 1 && (i == 0 || j == w.size()))) continue;
      out.push_back(static_cast<std::int32_t>(ngram_hash(all.substr(i, j - i)) % bucket));
    }
  }
}

namespace {
void put_utf8(std::uint32_t cp, std::string& out) {
  // Only called for jamo (U+1100..U+11FF): three bytes.
  out.push_back(static_cast<char>(0xE0u | (cp >> 12)));
  out.push_back(static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu)));
  out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
}
}  // namespace

std::string to_jamo(std::string_view word) {
  constexpr std::uint32_t kBase = 0xAC00, kCount = 19 * 21 * 28;
  std::string out;
  out.reserve(word.size() * 3);
  std::size_t i = 0;
  while (i < word.size()) {
    const auto b0 = static_cast<unsigned char>(word[i]);
    // Precomposed syllables are three-byte sequences starting 0xEA..0xED.
    if (b0 >= 0xEA && b0 <= 0xED && i + 2 < word.size()) {
      const auto b1 = static_cast<unsigned char>(word[i + 1]);
      const auto b2 = static_cast<unsigned char>(word[i + 2]);
      if ((b1 & 0xC0u) == 0x80u && (b2 & 0xC0u) == 0x80u) {
        const std::uint32_t cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        if (cp >= kBase && cp < kBase + kCount) {
          const std::uint32_t s = cp - kBase;
          put_utf8(0x1100 + s / 588, out);
          put_utf8(0x1161 + (s % 588) / 28, out);
          if (s % 28 != 0) put_utf8(0x11A7 + s % 28, out);
          i += 3;
          continue;
        }
      }
    }
    out.push_back(word[i++]);
  }
  return out;
}

SubwordTable build_subwords(const std::vector<std::string>& words, const SubwordOptions& options,
                            int threads) {
  SubwordTable t;
  t.nwords = words.size();
  t.bucket = options.bucket;
  const auto n = static_cast<std::int64_t>(words.size());
  std::vector<std::vector<std::int32_t>> ids(words.size());
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(dynamic, 1024)
  for (std::int64_t w = 0; w < n; ++w) {
    const std::string& word = words[static_cast<std::size_t>(w)];
    auto& out = ids[static_cast<std::size_t>(w)];
    if (options.jamo) {
      ngram_buckets(to_jamo(word), options.minn, options.maxn, options.bucket, out);
    } else {
      ngram_buckets(word, options.minn, options.maxn, options.bucket, out);
    }
  }
  t.offsets.resize(words.size() + 1);
  std::size_t total = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    t.offsets[w] = static_cast<std::uint32_t>(total);
    total += 1 + ids[w].size();
  }
  t.offsets[words.size()] = static_cast<std::uint32_t>(total);
  t.rows.resize(total);
  for (std::size_t w = 0; w < words.size(); ++w) {
    std::uint32_t* r = t.rows.data() + t.offsets[w];
    *r++ = static_cast<std::uint32_t>(w);
    for (const std::int32_t id : ids[w]) {
      *r++ = static_cast<std::uint32_t>(words.size()) + static_cast<std::uint32_t>(id);
    }
  }
  return t;
}

}  // namespace w2v::vocab
