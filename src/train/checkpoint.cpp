#include "train/checkpoint.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "io/atomic_file.hpp"
#include "util/error.hpp"
#include "util/stop.hpp"

namespace w2v::train {

static_assert(std::endian::native == std::endian::little,
              "the checkpoint layout is little-endian and written as the host holds it");

std::string Checkpoint::option(std::string_view name, std::string_view fallback) const {
  for (const auto& [k, v] : options) {
    if (k == name) return v;
  }
  return std::string(fallback);
}

namespace {

class Writer {
 public:
  explicit Writer(io::AtomicFile& f) : f_(f) {}
  void bytes(const void* p, std::size_t n) {
    f_.write(p, n);
    crc_ = crc32_z(crc_, static_cast<const Bytef*>(p), n);
  }
  template <class T>
  void num(T v) {
    bytes(&v, sizeof v);
  }
  void str(std::string_view s) {
    num(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void matrix(const Matrix& m, std::size_t dim) {
    num(static_cast<std::uint64_t>(m.rows()));
    num(static_cast<std::uint64_t>(dim));
    for (std::size_t r = 0; r < m.rows(); ++r) bytes(m.row(r), dim * sizeof(float));
  }
  std::uint32_t crc() const { return static_cast<std::uint32_t>(crc_); }

 private:
  io::AtomicFile& f_;
  uLong crc_ = crc32_z(0, nullptr, 0);
};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    file_.reset(std::fopen(path_.c_str(), "rb"));
    if (!file_) throw Error(fmt::format("{}: cannot open: {}", path_, std::strerror(errno)));
    struct stat st {};
    if (::fstat(::fileno(file_.get()), &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("{}: not a usable checkpoint: {} (at byte {})", path_, what, pos_));
  }
  void bytes(void* p, std::size_t n, const char* part) {
    if (n == 0) return;
    if (std::fread(p, 1, n, file_.get()) != n) {
      if (std::ferror(file_.get()) != 0) {
        throw Error(fmt::format("{}: read error: {}", path_, std::strerror(errno)));
      }
      fail(fmt::format("truncated: the file ends inside the {}", part));
    }
    crc_ = crc32_z(crc_, static_cast<const Bytef*>(p), n);
    pos_ += n;
  }
  template <class T>
  T num(const char* part) {
    T v{};
    bytes(&v, sizeof v, part);
    return v;
  }
  std::string str(const char* part) {
    const auto n = num<std::uint32_t>(part);
    need(n, part);
    std::string s(n, '\0');
    bytes(s.data(), n, part);
    return s;
  }
  // Refuses sizes the rest of the file cannot hold (before allocating them).
  void need(std::uint64_t n, const char* part) const {
    if (size_ != 0 && n > size_ - pos_) {
      fail(fmt::format("truncated or corrupt: the {} claims {} bytes, {} are left", part, n,
                       size_ - pos_));
    }
  }
  Matrix matrix(const char* part, std::size_t& dim) {
    const auto rows = num<std::uint64_t>(part);
    const auto cols = num<std::uint64_t>(part);
    if (cols == 0 || cols > 100000 || (dim != 0 && cols != dim)) {
      fail(fmt::format("the {} has {} columns", part, cols));
    }
    if (rows > (size_ - pos_) / (cols * sizeof(float))) need(rows * cols * sizeof(float), part);
    dim = cols;
    const std::size_t stride = padded_stride(cols);
    Matrix m(rows, stride);
    for (std::size_t r = 0; r < rows; ++r) bytes(m.row(r), cols * sizeof(float), part);
    return m;
  }
  std::uint32_t crc() const { return static_cast<std::uint32_t>(crc_); }
  bool at_end() { return std::fgetc(file_.get()) == EOF; }

 private:
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, Close> file_;
  std::uint64_t size_ = 0;
  std::uint64_t pos_ = 0;
  uLong crc_ = crc32_z(0, nullptr, 0);
};

}  // namespace

bool is_checkpoint(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char magic[sizeof kCheckpointMagic] = {};
  const bool ok = std::fread(magic, 1, sizeof magic, f) == sizeof magic &&
                  std::memcmp(magic, kCheckpointMagic, sizeof magic) == 0;
  std::fclose(f);
  return ok;
}

namespace {

void write_file(const std::string& path, const OptionList& options, const vocab::Vocab& vocab,
                const Corpus& corpus, const TrainState& state, const Model& model) {
  io::AtomicFile file(path);
  Writer w(file);
  w.bytes(kCheckpointMagic, sizeof kCheckpointMagic);
  w.num(kCheckpointVersion);
  w.num(static_cast<std::uint32_t>(options.size()));
  for (const auto& [k, v] : options) {
    w.str(k);
    w.str(v);
  }
  w.num(static_cast<std::uint64_t>(vocab.size()));
  for (std::uint32_t id = 0; id < vocab.size(); ++id) {
    w.str(vocab.word(id));
    w.num(vocab.count(id));
  }
  w.num(static_cast<std::uint64_t>(corpus.tokens.size()));
  w.num(static_cast<std::uint64_t>(corpus.sentence_ends.size()));
  w.num(static_cast<std::int32_t>(state.epoch));
  w.num(static_cast<std::uint32_t>(state.interrupted ? 1 : 0));
  w.num(state.words_done);
  w.num(static_cast<std::uint32_t>(state.threads.size()));
  for (const auto& t : state.threads) {
    w.num(t.rng);
    w.num(t.lr);
    w.num(t.next_sentence);
  }
  w.matrix(model.in, model.dim);
  w.matrix(model.out, model.dim);
  const std::uint32_t crc = w.crc();
  file.write(&crc, sizeof crc);
  file.commit();
}

}  // namespace

void write_checkpoint(const std::string& path, const OptionList& options, const vocab::Vocab& vocab,
                      const Corpus& corpus, const TrainState& state, const Model& model) {
  // AtomicFile abandons a file when a stop is pending. The first signal only asks training to
  // stop, and a checkpoint is what it should leave: hold that request back while writing (and
  // write again if it arrives during the write); a further signal abandons the write.
  int held = stop_requested();
  for (int attempt = 0;; ++attempt) {
    if (held != 0) clear_stop();
    try {
      write_file(path, options, vocab, corpus, state, model);
      break;
    } catch (const Interrupted&) {
      if (held != 0 || attempt > 0) {
        if (stop_requested() == 0) request_stop(held);
        throw;
      }
      held = stop_requested();
    }
  }
  if (held != 0 && stop_requested() == 0) request_stop(held);
}

Checkpoint read_checkpoint(const std::string& path) {
  Reader r(path);
  Checkpoint c;
  char magic[sizeof kCheckpointMagic] = {};
  r.bytes(magic, sizeof magic, "header");
  if (std::memcmp(magic, kCheckpointMagic, sizeof magic) != 0) {
    r.fail("it does not start with \"W2VCKPT\" (write one with w2v train --checkpoint)");
  }
  const auto version = r.num<std::uint32_t>("header");
  if (version != kCheckpointVersion) {
    r.fail(fmt::format("version {}; this w2v reads version {}", version, kCheckpointVersion));
  }
  const auto n_options = r.num<std::uint32_t>("options");
  r.need(std::uint64_t{n_options} * 8, "options");
  for (std::uint32_t i = 0; i < n_options; ++i) {
    std::string k = r.str("options");
    std::string v = r.str("options");
    c.options.emplace_back(std::move(k), std::move(v));
  }
  const auto n_words = r.num<std::uint64_t>("vocabulary");
  r.need(n_words * 12, "vocabulary");
  if (n_words == 0 || n_words > 0xFFFFFFFEu) r.fail(fmt::format("{} words", n_words));
  c.words.reserve(n_words);
  c.counts.reserve(n_words);
  for (std::uint64_t i = 0; i < n_words; ++i) {
    c.words.push_back(r.str("vocabulary"));
    c.counts.push_back(r.num<std::uint64_t>("vocabulary"));
  }
  c.corpus_tokens = r.num<std::uint64_t>("corpus sizes");
  c.corpus_sentences = r.num<std::uint64_t>("corpus sizes");
  c.state.epoch = r.num<std::int32_t>("training state");
  c.state.interrupted = r.num<std::uint32_t>("training state") != 0;
  c.state.words_done = r.num<std::uint64_t>("training state");
  const auto n_threads = r.num<std::uint32_t>("training state");
  if (c.state.epoch < 0 || n_threads == 0 || n_threads > 1024) {
    r.fail(fmt::format("epoch {} with {} threads", c.state.epoch, n_threads));
  }
  r.need(std::uint64_t{n_threads} * 20, "training state");
  c.state.threads.resize(n_threads);
  for (auto& t : c.state.threads) {
    t.rng = r.num<std::uint64_t>("training state");
    t.lr = r.num<float>("training state");
    t.next_sentence = r.num<std::uint64_t>("training state");
  }
  std::size_t dim = 0;
  c.model.in = r.matrix("input matrix", dim);
  c.model.out = r.matrix("output matrix", dim);
  c.model.dim = dim;
  c.model.stride = padded_stride(dim);
  if (c.model.in.rows() < n_words) {
    r.fail(fmt::format("the input matrix has {} rows for {} words", c.model.in.rows(), n_words));
  }
  const std::uint32_t expected = r.crc();
  const auto stored = r.num<std::uint32_t>("checksum");
  if (stored != expected) r.fail("the CRC-32 does not match: the file is corrupt");
  if (!r.at_end()) r.fail("bytes follow the checksum");
  return c;
}

}  // namespace w2v::train
