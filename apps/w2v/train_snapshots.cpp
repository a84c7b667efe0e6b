#include "train_snapshots.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "util/error.hpp"

namespace w2v::app {

namespace {

std::string snapshot_path(const std::string& dir, int epoch, io::VectorFormat format) {
  return (std::filesystem::path(dir) /
          fmt::format("epoch-{}.{}", epoch, format == io::VectorFormat::kText ? "txt" : "bin"))
      .string();
}

}  // namespace

void check_snapshot_args(const SnapshotArgs& a, bool distributed) {
  if (!a.dir.empty() && distributed) {
    throw Error("--snapshots works in a single process only (each MPI rank holds its own model)",
                kExitUsage);
  }
  if (!a.save_init.empty()) io::check_writable(a.save_init);
  if (!a.dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.dir, ec);
    if (ec || !std::filesystem::is_directory(a.dir)) {
      throw Error(fmt::format("--snapshots {}: cannot create the directory: {}", a.dir,
                              ec ? ec.message() : "not a directory"));
    }
  }
}

void start_snapshots(const SnapshotArgs& a, const std::string& format_option,
                     io::VectorFormat output_format, const std::vector<std::string>& words,
                     const train::Model& model, train::TrainOptions& options) {
  if (a.save_init.empty() && a.dir.empty()) return;
  // With character n-grams a word's vector is the mean of its rows (what the output holds).
  const vocab::SubwordTable* subwords = options.subwords;
  const int threads = options.threads;
  auto write = [subwords, threads, &words, &model](const std::string& path, io::VectorFormat f) {
    if (subwords == nullptr) {
      io::write_vectors(path, words, model.in.data(), model.dim, model.stride, f);
    } else {
      const Matrix v = train::word_vectors(model, *subwords, threads);
      io::write_vectors(path, words, v.data(), model.dim, model.stride, f);
    }
  };
  if (!a.save_init.empty()) {
    write(a.save_init, format_option.empty() ? io::format_for_path(a.save_init)
                                             : io::parse_format(format_option));
    spdlog::info("wrote the initial (random) vectors to {}", a.save_init);
  }
  if (a.dir.empty()) return;
  write(snapshot_path(a.dir, 0, output_format), output_format);
  const std::string dir = a.dir;
  options.on_epoch = [dir, output_format, write](int epoch) {
    write(snapshot_path(dir, epoch, output_format), output_format);
  };
  spdlog::info("writing the vectors after each epoch to {}/epoch-N.{}", a.dir,
               output_format == io::VectorFormat::kText ? "txt" : "bin");
}

}  // namespace w2v::app
