// MPI_Allreduce (sum of floats) bandwidth and latency between the ranks of one mpirun, for the
// cost model in BENCHMARKS.md. Built and run by scripts/bench-mpi.sh:
//   mpirun -np 2 mpi_allreduce_bench   -> "bytes seconds_per_allreduce" lines on stdout
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (const std::size_t floats : {std::size_t{8}, std::size_t{1} << 16, std::size_t{1} << 18,
                                   std::size_t{1} << 20, std::size_t{1} << 22}) {
    std::vector<float> v(floats, 1.0f);
    const int reps = floats <= (1u << 16) ? 200 : 20;
    std::vector<double> times;
    for (int i = 0; i < reps; ++i) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double t = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(floats), MPI_FLOAT, MPI_SUM,
                    MPI_COMM_WORLD);
      times.push_back(MPI_Wtime() - t);
    }
    std::sort(times.begin(), times.end());
    if (rank == 0) std::printf("%zu %.9f\n", floats * sizeof(float), times[times.size() / 2]);
  }
  MPI_Finalize();
  return 0;
}
