#include "train_fasttext.hpp"

#include <algorithm>
#include <limits>

#include "io/fasttext_format.hpp"

namespace w2v::app {

void save_fasttext(const std::string& path, const train::TrainOptions& options,
                   std::uint64_t min_count, const vocab::Vocab& vocab, const train::Model& model,
                   const vocab::SubwordOptions* subwords) {
  io::fasttext::ModelData d;
  d.args.dim = static_cast<std::int32_t>(options.dim);
  d.args.ws = options.window;
  d.args.epoch = options.epochs;
  d.args.min_count = static_cast<std::int32_t>(
      std::min<std::uint64_t>(min_count, std::numeric_limits<std::int32_t>::max()));
  d.args.neg = options.negative;
  d.args.loss = 2;  // negative sampling
  d.args.model = options.model == train::ModelKind::kCbow ? 1 : 2;
  if (subwords != nullptr) {
    d.args.minn = subwords->minn;
    d.args.maxn = subwords->maxn;
    d.args.bucket = static_cast<std::int32_t>(subwords->bucket);
  }
  d.args.t = options.sample;
  d.words = &vocab.words();
  d.counts = &vocab.counts();
  d.ntokens = vocab.total_count();
  d.input = model.in.data();
  d.output = model.out.rows() == vocab.size() ? model.out.data() : nullptr;
  d.stride = model.stride;
  io::fasttext::write_model(path, d);
}

}  // namespace w2v::app
