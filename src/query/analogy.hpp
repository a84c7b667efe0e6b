// Analogies "A is to B as C is to ?", asked as A B C and answered by words near A - B + C:
// `king man woman` -> queen. (word2vec.c's word-analogy takes the same three words in the order
// B A C: "man king woman".) The three question words are never returned.
//   3cosadd: cosine with unit(unit(A) - unit(B) + unit(C)), as gensim's
//            most_similar(positive=[A, C], negative=[B]).
//   3cosmul: (1+cos(x,A))/2 * (1+cos(x,C))/2 / ((1+cos(x,B))/2 + 1e-6) (Levy & Goldberg 2014), as
//            gensim's most_similar_cosmul(positive=[A, C], negative=[B]).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "query/index.hpp"
#include "query/scoring.hpp"
#include "query/topk.hpp"

namespace w2v::query {

enum class AnalogyMethod { k3CosAdd, k3CosMul };
// "3cosadd" | "3cosmul"; throws w2v::Error (exit 2) otherwise.
AnalogyMethod parse_analogy_method(const std::string& name);
const char* analogy_method_name(AnalogyMethod method);

struct AnalogyQuestion {
  std::uint32_t a = 0;  // A - B + C
  std::uint32_t b = 0;
  std::uint32_t c = 0;
};

// One result list per question, scored as a batch.
std::vector<Neighbours> analogy(const Index& index, const std::vector<AnalogyQuestion>& questions,
                                AnalogyMethod method, const SearchOptions& options);

}  // namespace w2v::query
