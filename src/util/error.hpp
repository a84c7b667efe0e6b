// Errors and exit codes. Library code throws w2v::Error; only apps/ catches and exits.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace w2v {

// Documented exit codes of the w2v binary.
enum ExitCode : int {
  kExitOk = 0,
  kExitInput = 1,      // bad input, I/O failure, unknown word
  kExitUsage = 2,      // bad command line
  kExitSigint = 130,   // interrupted by SIGINT
  kExitSigterm = 143,  // interrupted by SIGTERM
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kExitInput)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// Thrown when a run is stopped by a signal; exit_code() is 130 or 143.
class Interrupted : public Error {
 public:
  explicit Interrupted(int exit_code) : Error("interrupted", exit_code) {}
};

// Input quoted in a message: at most `max` bytes (cut before a UTF-8 character, never inside
// one), then "…" when cut, so a 50 MB "word" never makes a 50 MB error line.
std::string capped(std::string_view s, std::size_t max = 200);

// "strerror(errno)" as a std::string, thread-safe.
std::string errno_message(int err);

}  // namespace w2v
