// fastText .bin models: see fasttext_format.hpp for the layout. Written from the format's
// description (fastText's args.cc, dictionary.cc, densematrix.cc, fasttext.cc); no code of
// fastText is used.
#include "io/fasttext_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>
#include <utility>

#include "io/atomic_file.hpp"
#include "io/vectors_format.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"
#include "vocab/subwords.hpp"

static_assert(std::endian::native == std::endian::little, "fastText files are little-endian");

namespace w2v::io::fasttext {
namespace {

constexpr std::int64_t kMaxDim = std::int64_t{1} << 24;

// Reads the file front to back; every read is checked against the end.
class Cursor {
 public:
  Cursor(const std::string& path, std::string_view bytes) : path_(path), bytes_(bytes) {}
  template <class T>
  T get(const char* what) {
    T v{};
    std::memcpy(&v, take(sizeof(T), what), sizeof(T));
    return v;
  }
  const char* take(std::size_t n, const char* what) {
    if (bytes_.size() - pos_ < n) {
      throw Error(fmt::format(
          "{}: fastText model: the file ends inside {} (byte {}, {} of {} bytes present)", path_,
          what, pos_, bytes_.size() - pos_, n));
    }
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  // Bytes up to the next NUL (which is consumed).
  std::string_view cstring(const char* what) {
    const std::size_t nul = bytes_.find('\0', pos_);
    if (nul == std::string_view::npos) {
      throw Error(
          fmt::format("{}: fastText model: the file ends inside {} (byte {})", path_, what, pos_));
    }
    const std::string_view s = bytes_.substr(pos_, nul - pos_);
    pos_ = nul + 1;
    return s;
  }
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return bytes_.size() - pos_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("{}: fastText model: {} (byte {})", path_, what, pos_));
  }

 private:
  const std::string& path_;
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

bool finite_row(const float* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) return false;
  }
  return true;
}

// A dense matrix header (int64 rows, int64 cols) checked against the expected shape.
std::pair<std::int64_t, std::int64_t> matrix_header(Cursor& in, const char* what) {
  const auto rows = in.get<std::int64_t>(what);
  const auto cols = in.get<std::int64_t>(what);
  if (rows < 0 || cols < 0 || cols > kMaxDim) {
    in.fail(fmt::format("the {} has an impossible shape {} x {}", what, rows, cols));
  }
  if (cols > 0 &&
      static_cast<std::uint64_t>(rows) > in.left() / 4 / static_cast<std::uint64_t>(cols)) {
    in.fail(
        fmt::format("the {} announces {} x {} floats but only {} bytes follow; the file is "
                    "truncated",
                    what, rows, cols, in.left()));
  }
  return {rows, cols};
}

}  // namespace

std::uint32_t hash(std::string_view s) {
  return vocab::ngram_hash(s);
}

Subwords::Subwords(std::int32_t minn, std::int32_t maxn, std::int32_t bucket,
                   std::int64_t prune_size, std::unordered_map<std::int32_t, std::int32_t> prune,
                   Matrix rows)
    : minn_(minn),
      maxn_(maxn),
      bucket_(bucket),
      prune_size_(prune_size),
      prune_(std::move(prune)),
      rows_(std::move(rows)) {}

std::vector<std::int32_t> Subwords::ngrams(std::string_view word) const {
  std::vector<std::int32_t> out;
  if (prune_size_ == 0) return out;
  vocab::ngram_buckets(word, minn_, maxn_, static_cast<std::uint32_t>(std::max(0, bucket_)), out);
  if (prune_size_ > 0) {
    // A pruned model keeps some buckets, renumbered; the others are dropped.
    std::size_t k = 0;
    for (const std::int32_t id : out) {
      const auto it = prune_.find(id);
      if (it != prune_.end()) out[k++] = it->second;
    }
    out.resize(k);
  }
  return out;
}

void Subwords::add_row(std::int32_t id, float* out) const {
  const float* r = rows_.row(static_cast<std::size_t>(id));
  for (std::size_t d = 0; d < rows_.cols(); ++d) out[d] += r[d];
}

std::size_t Subwords::compose(std::string_view word, float* out) const {
  std::memset(out, 0, dim() * sizeof(float));
  const std::vector<std::int32_t> ids = ngrams(word);
  for (const std::int32_t id : ids) add_row(id, out);
  if (!ids.empty()) {
    // As fastText: the sum times (float) 1/n.
    const auto scale = static_cast<float>(1.0 / static_cast<double>(ids.size()));
    for (std::size_t d = 0; d < dim(); ++d) out[d] *= scale;
  }
  return ids.size();
}

bool is_model(std::string_view bytes) {
  std::int32_t magic = 0;
  if (bytes.size() < sizeof magic) return false;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  return magic == kMagic;
}

Vectors read_model(const std::string& path, std::string_view bytes) {
  Cursor in(path, bytes);
  in.get<std::int32_t>("the magic number");
  const auto version = in.get<std::int32_t>("the version");
  if (version != 11 && version != 12) {
    in.fail(fmt::format("file version {} is not supported (fastText 0.9 writes 12; 11 is read too)",
                        version));
  }
  Args a;
  a.dim = in.get<std::int32_t>("the arguments");
  a.ws = in.get<std::int32_t>("the arguments");
  a.epoch = in.get<std::int32_t>("the arguments");
  a.min_count = in.get<std::int32_t>("the arguments");
  a.neg = in.get<std::int32_t>("the arguments");
  a.word_ngrams = in.get<std::int32_t>("the arguments");
  a.loss = in.get<std::int32_t>("the arguments");
  a.model = in.get<std::int32_t>("the arguments");
  a.bucket = in.get<std::int32_t>("the arguments");
  a.minn = in.get<std::int32_t>("the arguments");
  a.maxn = in.get<std::int32_t>("the arguments");
  a.lr_update_rate = in.get<std::int32_t>("the arguments");
  a.t = in.get<double>("the arguments");
  if (version == 11 && a.model == 3) a.maxn = 0;  // old supervised models have no n-grams
  if (a.dim <= 0 || a.dim > kMaxDim) in.fail(fmt::format("dimension {} is impossible", a.dim));
  if (a.bucket < 0 || a.minn < 0 || a.maxn < 0) {
    in.fail(
        fmt::format("bucket {}, minn {}, maxn {}: none may be negative", a.bucket, a.minn, a.maxn));
  }
  if (a.maxn > 0 && a.bucket == 0) in.fail("maxn > 0 but bucket is 0");

  const auto size = in.get<std::int32_t>("the dictionary");
  const auto nwords = in.get<std::int32_t>("the dictionary");
  const auto nlabels = in.get<std::int32_t>("the dictionary");
  in.get<std::int64_t>("the dictionary");  // ntokens
  const auto prune_size = in.get<std::int64_t>("the dictionary");
  if (size < 0 || nwords < 0 || nlabels < 0 ||
      static_cast<std::int64_t>(nwords) + nlabels != size) {
    in.fail(
        fmt::format("dictionary of {} entries with {} words and {} labels", size, nwords, nlabels));
  }
  // Every entry takes at least 10 bytes (NUL, count, type).
  if (static_cast<std::uint64_t>(size) > in.left() / 10) {
    in.fail(fmt::format("the dictionary announces {} entries but only {} bytes follow", size,
                        in.left()));
  }
  Vectors v;
  v.words.reserve(static_cast<std::size_t>(nwords));
  std::vector<std::int32_t> rows;  // dictionary id of each kept word
  rows.reserve(static_cast<std::size_t>(nwords));
  std::unordered_set<std::string_view> seen;
  for (std::int32_t i = 0; i < size; ++i) {
    if ((i & 4095) == 0) throw_if_stopped();
    const std::string_view word = in.cstring("a dictionary word");
    in.get<std::int64_t>("a dictionary entry");  // count
    const auto type = in.get<std::int8_t>("a dictionary entry");
    if (type != 0 && type != 1)
      in.fail(fmt::format("entry {}: type {} is neither word nor label", i, type));
    if ((type == 0) != (i < nwords)) {
      in.fail(fmt::format("entry {}: a {} where the counts put a {}", i,
                          type == 0 ? "word" : "label", i < nwords ? "word" : "label"));
    }
    // Labels (supervised models) have no word vectors to search.
    if (type != 0 || !seen.insert(word).second) continue;
    v.words.emplace_back(word);
    rows.push_back(i);
  }
  if (prune_size < -1 || prune_size > std::numeric_limits<std::int32_t>::max()) {
    in.fail(fmt::format("pruned bucket count {} is impossible", prune_size));
  }
  std::unordered_map<std::int32_t, std::int32_t> prune;
  for (std::int64_t i = 0; i < prune_size; ++i) {
    const auto from = in.get<std::int32_t>("the pruned bucket table");
    const auto to = in.get<std::int32_t>("the pruned bucket table");
    if (to < 0 || to >= prune_size) in.fail(fmt::format("pruned bucket id {} out of range", to));
    prune[from] = to;
  }
  if (in.get<std::uint8_t>("the quantization flag") != 0) {
    throw Error(fmt::format(
        "{}: a quantized fastText model (.ftz) is not supported: use the .bin it was made from "
        "(or `fasttext print-word-vectors` to get its vectors as text)",
        path));
  }
  const auto [in_rows, in_cols] = matrix_header(in, "input matrix");
  const std::int64_t ngram_rows = prune_size >= 0 ? prune_size : a.bucket;
  if (in_cols != a.dim || in_rows != static_cast<std::int64_t>(nwords) + ngram_rows) {
    in.fail(fmt::format("the input matrix is {} x {}, expected {} x {} (words + buckets x dim)",
                        in_rows, in_cols, static_cast<std::int64_t>(nwords) + ngram_rows, a.dim));
  }
  const auto dim = static_cast<std::size_t>(a.dim);
  const char* input = in.take(static_cast<std::size_t>(in_rows) * dim * 4, "the input matrix");
  const auto row_of = [&](std::size_t r) { return input + r * dim * 4; };

  // The n-gram rows, copied once: unknown words are composed from them.
  Matrix buckets(static_cast<std::size_t>(ngram_rows), dim);
  for (std::size_t r = 0; r < buckets.rows(); ++r) {
    if ((r & 4095) == 0) throw_if_stopped();
    std::memcpy(buckets.row(r), row_of(static_cast<std::size_t>(nwords) + r), dim * 4);
    if (!finite_row(buckets.row(r), dim)) {
      throw Error(
          fmt::format("{}: fastText model: n-gram row {} holds NaN or infinite values", path, r));
    }
  }
  auto sub = std::make_shared<Subwords>(a.minn, a.maxn, a.bucket, prune_size, std::move(prune),
                                        std::move(buckets));

  // The word vectors as fastText's getWordVector gives them: the word's own row and its n-gram
  // rows, summed in that order, times (float) 1/n.
  v.matrix = Matrix(v.words.size(), dim);
  throw_if_stopped();
  const auto nw = static_cast<std::int64_t>(v.words.size());
  std::int64_t bad = nw;  // the first word whose row is not finite
#pragma omp parallel for schedule(dynamic, 1024) reduction(min : bad)
  for (std::int64_t w = 0; w < nw; ++w) {
    const auto k = static_cast<std::size_t>(w);
    float* out = v.matrix.row(k);
    std::memcpy(out, row_of(static_cast<std::size_t>(rows[k])), dim * 4);
    if (!finite_row(out, dim)) bad = std::min(bad, w);
    const std::vector<std::int32_t> ids = sub->ngrams(v.words[k]);
    for (const std::int32_t id : ids) sub->add_row(id, out);
    const auto scale = static_cast<float>(1.0 / static_cast<double>(ids.size() + 1));
    for (std::size_t d = 0; d < dim; ++d) out[d] *= scale;
  }
  if (bad < nw) {
    throw Error(fmt::format("{}: fastText model: the row of '{}' holds NaN or infinite values",
                            path, capped(v.words[static_cast<std::size_t>(bad)], 40)));
  }
  throw_if_stopped();

  if (in.get<std::uint8_t>("the output quantization flag") != 0) {
    in.fail("the output matrix is marked quantized in an unquantized model");
  }
  const auto [out_rows, out_cols] = matrix_header(in, "output matrix");
  in.take(static_cast<std::size_t>(out_rows) * static_cast<std::size_t>(out_cols) * 4,
          "the output matrix");
  if (in.left() != 0) in.fail(fmt::format("{} bytes of data after the output matrix", in.left()));

  const char* model = a.model == 1 ? "cbow" : a.model == 2 ? "skipgram" : "supervised";
  if (a.maxn > 0) {
    v.format = fmt::format("fastText binary, {}, n-grams {}-{} in {} buckets", model, a.minn,
                           a.maxn, ngram_rows);
    v.subwords = std::move(sub);
  } else {
    v.format = fmt::format("fastText binary, {}, no n-grams", model);
  }
  return v;
}

void write_model(const std::string& path, const ModelData& data) {
  const std::vector<std::string>& words = *data.words;
  const std::size_t dim = static_cast<std::size_t>(data.args.dim);
  if (words.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw Error(
        fmt::format("{}: {} words are more than a fastText model holds", path, words.size()));
  }
  for (const std::string& w : words) {
    if (w.empty() || w.find('\0') != std::string::npos) {
      throw Error(
          fmt::format("{}: the word '{}' cannot be stored in a fastText model (empty, or "
                      "holds a NUL byte)",
                      path, capped(w, 40)));
    }
  }
  AtomicFile file(path);
  std::string head;
  const auto put = [&head](const auto& value) {
    head.append(reinterpret_cast<const char*>(&value), sizeof value);
  };
  put(kMagic);
  put(kVersion);
  Args a = data.args;
  const bool subwords = a.maxn > 0 && a.bucket > 0;
  if (!subwords) {
    a.bucket = 0;
    a.minn = 0;
    a.maxn = 0;
  }
  for (const std::int32_t x : {a.dim, a.ws, a.epoch, a.min_count, a.neg, a.word_ngrams, a.loss,
                               a.model, a.bucket, a.minn, a.maxn, a.lr_update_rate}) {
    put(x);
  }
  put(a.t);
  const auto n = static_cast<std::int32_t>(words.size());
  put(n);                                        // size
  put(n);                                        // nwords
  put(std::int32_t{0});                          // nlabels
  put(static_cast<std::int64_t>(data.ntokens));  // ntokens
  put(std::int64_t{-1});                         // pruneidx_size: not pruned
  file.write(head);
  std::string entry;
  for (std::size_t i = 0; i < words.size(); ++i) {
    entry.assign(words[i]);
    entry.push_back('\0');
    const auto count = static_cast<std::int64_t>((*data.counts)[i]);
    entry.append(reinterpret_cast<const char*>(&count), sizeof count);
    entry.push_back('\0');  // entry type: word
    file.write(entry);
  }
  const auto matrix = [&](const float* rows, std::size_t nrows) {
    std::string h;
    h.push_back('\0');  // not quantized
    const auto r = static_cast<std::int64_t>(nrows);
    const auto c = static_cast<std::int64_t>(dim);
    h.append(reinterpret_cast<const char*>(&r), sizeof r);
    h.append(reinterpret_cast<const char*>(&c), sizeof c);
    file.write(h);
    const std::vector<float> zeros(dim, 0.0f);
    for (std::size_t i = 0; i < nrows; ++i) {
      if ((i & 4095) == 0) throw_if_stopped();
      file.write(rows != nullptr ? rows + i * data.stride : zeros.data(), dim * sizeof(float));
    }
  };
  // With subwords the input matrix holds the words' rows, then the bucket rows.
  matrix(data.input, words.size() + (subwords ? static_cast<std::size_t>(a.bucket) : 0));
  matrix(data.output, words.size());
  file.commit();
}

}  // namespace w2v::io::fasttext
