// Cosine similarity of two rows (0 when either vector is zero, never NaN).
#pragma once

#include <cstdint>

#include "query/index.hpp"

namespace w2v::query {

float similarity(const Index& index, std::uint32_t a, std::uint32_t b);

}  // namespace w2v::query
