// The FMA peak of one core, measured: scripts/bench.sh (ONLY=curve) divides the training's FLOP
// count by it. 12 independent chains of fp32 FMAs, held in registers, so the FMA pipelines bound
// the loop, not the latency of one chain. AVX-512 is measured only where the CPU has it.
//
//   fma_peak [ITERATIONS]    prints "avx2 GFLOPS" and, if present, "avx512 GFLOPS" lines
#include <chrono>
#include <cstdio>
#include <cstdlib>

#define CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define DECLARE(i) V a##i = init;
// a * b + c on vectors is one FMA (GCC contracts it by default); the empty asm keeps each chain
// in its register and stops the compiler from folding the loop.
#define STEP(i)           \
  a##i = a##i * b + init; \
  asm volatile("" : "+v"(a##i));
#define SINK(i) asm volatile("" ::"v"(a##i));

// One function per instruction set: the same loop, compiled for that set's registers.
#define DEFINE_PEAK(NAME, TARGET, LANES)                                                           \
  __attribute__((target(TARGET))) double NAME(long iters) {                                        \
    typedef float V __attribute__((vector_size(4 * (LANES))));                                     \
    const V init = V{} + 0.5f, b = V{} + 0.999f;                                                   \
    CHAINS(DECLARE)                                                                                \
    const auto t0 = std::chrono::steady_clock::now();                                              \
    for (long n = 0; n < iters; ++n) {                                                             \
      CHAINS(STEP)                                                                                 \
    }                                                                                              \
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); \
    CHAINS(SINK)                                                                                   \
    return 12.0 * (LANES)*2 * static_cast<double>(iters) / s / 1e9;                                \
  }
DEFINE_PEAK(avx2_gflops, "avx2,fma", 8)
DEFINE_PEAK(avx512_gflops, "avx512f", 16)

int main(int argc, char** argv) {
  const long iters = argc > 1 ? std::atol(argv[1]) : 200000000;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    std::printf("avx2 %.1f\n", avx2_gflops(iters));
  }
  if (__builtin_cpu_supports("avx512f")) std::printf("avx512 %.1f\n", avx512_gflops(iters));
}
