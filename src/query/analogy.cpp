#include "query/analogy.hpp"

#include <fmt/format.h>
#include <cstring>

#include "query/nearest.hpp"
#include "util/error.hpp"
#include "util/matrix.hpp"

namespace w2v::query {

AnalogyMethod parse_analogy_method(const std::string& name) {
  if (name == "3cosadd") return AnalogyMethod::k3CosAdd;
  if (name == "3cosmul") return AnalogyMethod::k3CosMul;
  throw Error(fmt::format("unknown analogy method '{}' (use 3cosadd or 3cosmul)", name),
              kExitUsage);
}

const char* analogy_method_name(AnalogyMethod method) {
  return method == AnalogyMethod::k3CosMul ? "3cosmul" : "3cosadd";
}

std::vector<Neighbours> analogy(const Index& index, const std::vector<AnalogyQuestion>& questions,
                                AnalogyMethod method, const SearchOptions& options) {
  const std::size_t stride = index.stride();
  std::vector<std::vector<std::uint32_t>> exclude(questions.size());
  for (std::size_t q = 0; q < questions.size(); ++q) {
    exclude[q] = {questions[q].a, questions[q].b, questions[q].c};
  }
  if (method == AnalogyMethod::k3CosAdd) {
    Matrix targets(questions.size(), stride);
    const std::vector<float> weights = {1.0f, -1.0f, 1.0f};
    for (std::size_t q = 0; q < questions.size(); ++q) {
      combine_unit_vectors(index, exclude[q], weights, targets.row(q));
    }
    return search(index, targets.data(), questions.size(), Combine::kCosine, exclude, options);
  }
  // 3cosmul scores the three unit vectors separately.
  Matrix targets(questions.size() * 3, stride);
  for (std::size_t q = 0; q < questions.size(); ++q) {
    std::memcpy(targets.row(q * 3), index.unit(questions[q].a), stride * sizeof(float));
    std::memcpy(targets.row(q * 3 + 1), index.unit(questions[q].b), stride * sizeof(float));
    std::memcpy(targets.row(q * 3 + 2), index.unit(questions[q].c), stride * sizeof(float));
  }
  return search(index, targets.data(), questions.size(), Combine::kCosMul, exclude, options);
}

}  // namespace w2v::query
