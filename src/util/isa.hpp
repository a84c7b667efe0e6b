// The one instruction-set choice of the program: train's kernels, eval's analogy scorer and
// query's scoring all dispatch on best_isa(): one CPU detector, capped by $W2V_ISA (scalar |
// generic | avx2 | avx512).
#pragma once

namespace w2v {

enum class Isa { kScalar, kAvx2, kAvx512 };

// What the CPU can run: kAvx2 = AVX2 + FMA; kAvx512 = AVX-512 F, VL and DQ on top of kAvx2.
bool isa_supported(Isa isa);
// The best supported instruction set at or below the $W2V_ISA cap.
Isa best_isa();
// The cap $W2V_ISA names: nullptr or an unknown name means no cap (kAvx512).
Isa parse_isa_cap(const char* name);
const char* isa_name(Isa isa);

}  // namespace w2v
