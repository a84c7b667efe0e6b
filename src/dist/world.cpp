#include "dist/world.hpp"

#include <fmt/format.h>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <thread>

#ifdef W2V_WITH_MPI
#include <mpi.h>
#endif

namespace w2v::dist {
namespace {

bool g_initialised = false;

#ifdef W2V_WITH_MPI
void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(
      fmt::format("MPI {} failed: {}", what, std::string(text, static_cast<std::size_t>(len))));
}

int to_int(std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error("an MPI message is larger than 2 GiB");
  }
  return static_cast<int>(n);
}

// Collectives on counts beyond INT_MAX elements go in pieces.
template <typename T>
void allreduce_pieces(T* v, std::size_t n, MPI_Datatype type, MPI_Op op) {
  constexpr std::size_t kPiece = std::size_t{1} << 28;
  for (std::size_t i = 0; i < n; i += kPiece) {
    const std::size_t m = std::min(kPiece, n - i);
    check(MPI_Allreduce(MPI_IN_PLACE, v + i, static_cast<int>(m), type, op, MPI_COMM_WORLD),
          "Allreduce");
  }
}
#endif

}  // namespace

int launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') {
      const int n = std::atoi(v);
      if (n > 0) return n;
    }
  }
  return 1;
}

namespace {

World g_world;
bool g_ready = false;

#ifdef W2V_WITH_MPI
// Set by mpirun (Open MPI), mpiexec.hydra (MPICH) or srun (Slurm's PMI / PMIx).
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}
#endif

}  // namespace

World& World::get() {
  if (g_ready) return g_world;
#ifdef W2V_WITH_MPI
  if (launched_by_mpi()) {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "Init");
    g_initialised = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &g_world.size_);
    g_ready = true;
    if (provided < MPI_THREAD_SERIALIZED && g_world.size_ > 1) {
      throw GlobalError(
          "this MPI library cannot be called from a second thread (MPI_THREAD_SERIALIZED); w2v "
          "needs that for its model synchronisation",
          kExitInput);
    }
  }
#else
  if (const int launched = launcher_size(); launched > 1) {
    throw Error(fmt::format("started by an MPI launcher with {} ranks, but this w2v was built "
                            "without MPI: each rank would train alone on everything; rebuild "
                            "with -DW2V_MPI=ON",
                            launched),
                kExitUsage);
  }
#endif
  g_ready = true;
  return g_world;
}

bool World::initialised() {
  return g_initialised;
}

void World::allreduce_sum(double* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_pieces(v, n, MPI_DOUBLE, MPI_SUM);
#else
  (void)v, (void)n;
#endif
}

void World::allreduce_sum(float* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_pieces(v, n, MPI_FLOAT, MPI_SUM);
#else
  (void)v, (void)n;
#endif
}

#ifdef W2V_WITH_MPI
namespace {
template <typename T>
void allreduce_sleeping(T* v, std::size_t n, MPI_Datatype type) {
  constexpr std::size_t kPiece = std::size_t{1} << 28;
  for (std::size_t i = 0; i < n; i += kPiece) {
    const std::size_t m = std::min(kPiece, n - i);
    MPI_Request req = MPI_REQUEST_NULL;
    check(MPI_Iallreduce(MPI_IN_PLACE, v + i, static_cast<int>(m), type, MPI_SUM, MPI_COMM_WORLD,
                         &req),
          "Iallreduce");
    for (int done = 0;;) {
      check(MPI_Test(&req, &done, MPI_STATUS_IGNORE), "Test");
      if (done != 0) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
}
}  // namespace
#endif

void World::allreduce_sum_waiting(float* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_sleeping(v, n, MPI_FLOAT);
#else
  (void)v, (void)n;
#endif
}

void World::allreduce_sum_waiting(double* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_sleeping(v, n, MPI_DOUBLE);
#else
  (void)v, (void)n;
#endif
}

void World::allreduce_sum(std::uint64_t* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_pieces(v, n, MPI_UINT64_T, MPI_SUM);
#else
  (void)v, (void)n;
#endif
}

void World::allreduce_max(std::uint64_t* v, std::size_t n) const {
#ifdef W2V_WITH_MPI
  if (size_ > 1) allreduce_pieces(v, n, MPI_UINT64_T, MPI_MAX);
#else
  (void)v, (void)n;
#endif
}

std::vector<std::string> World::alltoall(const std::vector<std::string>& send) const {
  if (size_ == 1) return send;
#ifdef W2V_WITH_MPI
  const auto p = static_cast<std::size_t>(size_);
  std::vector<int> send_counts(p), recv_counts(p), send_displs(p), recv_displs(p);
  std::string out;
  for (std::size_t r = 0; r < p; ++r) {
    send_counts[r] = to_int(send[r].size());
    send_displs[r] = to_int(out.size());
    out += send[r];
  }
  check(
      MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
      "Alltoall");
  std::size_t total = 0;
  for (std::size_t r = 0; r < p; ++r) {
    recv_displs[r] = to_int(total);
    total += static_cast<std::size_t>(recv_counts[r]);
  }
  std::string in(to_int(total), '\0');
  check(MPI_Alltoallv(out.data(), send_counts.data(), send_displs.data(), MPI_CHAR, in.data(),
                      recv_counts.data(), recv_displs.data(), MPI_CHAR, MPI_COMM_WORLD),
        "Alltoallv");
  std::vector<std::string> result(p);
  for (std::size_t r = 0; r < p; ++r) {
    result[r] = in.substr(static_cast<std::size_t>(recv_displs[r]),
                          static_cast<std::size_t>(recv_counts[r]));
  }
  return result;
#else
  return send;
#endif
}

std::vector<std::string> World::allgather(const std::string& mine) const {
  if (size_ == 1) return {mine};
#ifdef W2V_WITH_MPI
  const auto p = static_cast<std::size_t>(size_);
  int n = to_int(mine.size());
  std::vector<int> counts(p), displs(p);
  check(MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "Allgather");
  std::size_t total = 0;
  for (std::size_t r = 0; r < p; ++r) {
    displs[r] = to_int(total);
    total += static_cast<std::size_t>(counts[r]);
  }
  std::string in(to_int(total), '\0');
  check(MPI_Allgatherv(mine.data(), n, MPI_CHAR, in.data(), counts.data(), displs.data(), MPI_CHAR,
                       MPI_COMM_WORLD),
        "Allgatherv");
  std::vector<std::string> result(p);
  for (std::size_t r = 0; r < p; ++r) {
    result[r] = in.substr(static_cast<std::size_t>(displs[r]), static_cast<std::size_t>(counts[r]));
  }
  return result;
#else
  return {mine};
#endif
}

std::string World::broadcast(const std::string& s, int root) const {
  if (size_ == 1) return s;
#ifdef W2V_WITH_MPI
  std::uint64_t n = s.size();
  check(MPI_Bcast(&n, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "Bcast");
  std::string out = rank_ == root ? s : std::string(n, '\0');
  check(MPI_Bcast(out.data(), to_int(n), MPI_CHAR, root, MPI_COMM_WORLD), "Bcast");
  return out;
#else
  (void)root;
  return s;
#endif
}

void World::agree(int code, const std::string& message) const {
  if (size_ == 1) {
    if (code != 0) throw GlobalError(message, code);
    return;
  }
  // The first failing rank speaks for all.
  std::uint64_t first = code != 0 ? static_cast<std::uint64_t>(size_ - rank_) : 0;
  std::uint64_t failing = code != 0 ? 1 : 0;
  allreduce_max(&first, 1);
  if (first == 0) return;
  allreduce_sum(&failing, 1);
  const int failed = size_ - static_cast<int>(first);
  const std::string what = broadcast(fmt::format("{}\n{}", code, message), failed);
  const auto nl = what.find('\n');
  const int failed_code = std::atoi(what.substr(0, nl).c_str());
  // When every rank failed alike (a global check), the rank is no news.
  if (failing == static_cast<std::uint64_t>(size_))
    throw GlobalError(what.substr(nl + 1), failed_code);
  throw GlobalError(fmt::format("rank {} of {}: {}", failed, size_, what.substr(nl + 1)),
                    failed_code);
}

void World::finalize() {
#ifdef W2V_WITH_MPI
  if (g_initialised) {
    int done = 0;
    MPI_Finalized(&done);
    if (done == 0) MPI_Finalize();
  }
#endif
}

void World::abort(int code) {
#ifdef W2V_WITH_MPI
  if (g_initialised) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::_Exit(code);
}

}  // namespace w2v::dist
