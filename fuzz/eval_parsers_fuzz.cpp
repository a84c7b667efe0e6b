// libFuzzer target: the evaluation file parsers (analogy questions, similarity pairs) on
// arbitrary bytes. A bad file must be a w2v::Error naming the line, never a crash or another
// exception.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "eval/analogy_eval.hpp"
#include "eval/similarity_eval.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    std::istringstream in(text);
    const auto set = w2v::eval::parse_analogies(in, "fuzz.txt");
    for (const auto& s : set.sections) {
      for (const auto& q : s.questions) {
        if (q.a.empty() || q.b.empty() || q.c.empty() || q.d.empty() || q.line == 0) std::abort();
      }
    }
  } catch (const w2v::Error& e) {
    if (std::string(e.what()).find("fuzz.txt") == std::string::npos) std::abort();
  }
  try {
    std::istringstream in(text);
    const auto set = w2v::eval::parse_similarity(in, "fuzz.txt");
    for (const auto& p : set.pairs) {
      if (p.a.empty() || p.b.empty() || !std::isfinite(p.gold) || p.line == 0) std::abort();
    }
  } catch (const w2v::Error& e) {
    if (std::string(e.what()).find("fuzz.txt") == std::string::npos) std::abort();
  }
  return 0;
}
