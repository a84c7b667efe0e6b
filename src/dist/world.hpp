// The ranks of an MPI job, or one process alone.
//
// MPI is initialised only when the build has it (-DW2V_MPI=ON) and the process was started by an
// MPI launcher (mpirun, srun, ...); otherwise World is one rank and every collective is a no-op,
// so a plain run never touches MPI. Every collective must be called by all ranks in the same
// order. During training only the model-sync thread calls MPI (MPI_THREAD_SERIALIZED).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace w2v::dist {

// An error every rank knows about: thrown on all ranks together, so all can shut down in order.
// exit_code() 130 / 143 means a rank was interrupted.
class GlobalError : public Error {
 public:
  GlobalError(const std::string& message, int exit_code) : Error(message, exit_code) {}
  bool interrupted() const { return exit_code() == kExitSigint || exit_code() == kExitSigterm; }
};

class World {
 public:
  // Initialises MPI on the first call when the process was started by an MPI launcher.
  // Throws w2v::Error if it was, but this build has no MPI.
  static World& get();
  World() = default;  // one rank alone; use get()
  // True when MPI_Init has run (finalize() must follow).
  static bool initialised();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool distributed() const { return size_ > 1; }
  bool root() const { return rank_ == 0; }

  void allreduce_sum(double* v, std::size_t n) const;
  void allreduce_sum(float* v, std::size_t n) const;
  void allreduce_sum(std::uint64_t* v, std::size_t n) const;
  // The same as allreduce_sum, but waits by sleeping between tests rather than spinning, so a
  // rank that arrives early leaves its core to the training threads.
  void allreduce_sum_waiting(float* v, std::size_t n) const;
  void allreduce_sum_waiting(double* v, std::size_t n) const;
  void allreduce_max(std::uint64_t* v, std::size_t n) const;
  // send[r] goes to rank r; returns what each rank sent to this one, indexed by rank.
  std::vector<std::string> alltoall(const std::vector<std::string>& send) const;
  // Every rank's `mine`, indexed by rank.
  std::vector<std::string> allgather(const std::string& mine) const;
  std::string broadcast(const std::string& s, int root) const;

  // Runs `work` on every rank; if it threw on any rank, throws GlobalError on every rank with
  // the first failing rank's message and exit code, "rank R of N: ...". `work` may itself call
  // agree() (then a GlobalError from it passes through).
  template <typename F>
  void together(F&& work) const {
    std::string message;
    int code = 0;
    try {
      work();
    } catch (const GlobalError&) {
      throw;
    } catch (const Interrupted& e) {
      code = e.exit_code();
      message = e.what();
    } catch (const Error& e) {
      code = e.exit_code();
      message = e.what();
    } catch (const std::bad_alloc&) {
      code = kExitInput;
      message = "out of memory";
    } catch (const std::exception& e) {
      code = kExitInput;
      message = e.what();
    }
    agree(code, message);
  }
  // The status exchange behind together(): every rank passes its own (0 = fine).
  void agree(int code, const std::string& message) const;

  // Ends MPI in order (all ranks). Safe to call when not initialised.
  static void finalize();
  // Stops every rank of the job at once (an error only this rank knows about).
  [[noreturn]] static void abort(int code);

 private:
  int rank_ = 0;
  int size_ = 1;
};

// The number of ranks the launcher says this job has (from its environment), 1 if none.
int launcher_size();

}  // namespace w2v::dist
