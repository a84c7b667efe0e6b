#include "util/stop.hpp"

#include <unistd.h>
#include <csignal>

#include "util/error.hpp"

namespace w2v {
namespace {
// A signal handler may only touch lock-free atomics; this is the one piece of global state.
std::atomic<int> g_stop{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) {
  if (g_stop.exchange(sig) != 0) {
    // Second signal: the user insists. Temp files are removed by nobody, but no
    // final output is ever partial because outputs are renamed into place.
    _exit(128 + sig);
  }
}
}  // namespace

int stop_requested() noexcept {
  return g_stop.load(std::memory_order_relaxed);
}
void request_stop(int signal_number) noexcept {
  g_stop.store(signal_number);
}
void clear_stop() noexcept {
  g_stop.store(0);
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void throw_if_stopped() {
  const int sig = stop_requested();
  if (sig != 0) throw Interrupted(sig == SIGTERM ? kExitSigterm : kExitSigint);
}

}  // namespace w2v
