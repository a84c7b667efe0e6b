#include "util/isa.hpp"

#include <cstdlib>
#include <string_view>

namespace w2v {

bool isa_supported(Isa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case Isa::kScalar:
      return true;
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq") && isa_supported(Isa::kAvx2);
  }
  return false;
}

Isa parse_isa_cap(const char* name) {
  if (name == nullptr) return Isa::kAvx512;
  const std::string_view n(name);
  if (n == "scalar" || n == "generic") return Isa::kScalar;
  if (n == "avx2") return Isa::kAvx2;
  return Isa::kAvx512;
}

Isa best_isa() {
  // Read each time (a few nanoseconds, called once per command): tests change $W2V_ISA.
  const Isa cap = parse_isa_cap(std::getenv("W2V_ISA"));
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2}) {
    if (static_cast<int>(isa) <= static_cast<int>(cap) && isa_supported(isa)) return isa;
  }
  return Isa::kScalar;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "generic x86-64";
    case Isa::kAvx2:
      return "AVX2+FMA";
    case Isa::kAvx512:
      return "AVX-512";
  }
  return "?";
}

}  // namespace w2v
