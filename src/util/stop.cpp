#include "util/stop.hpp"

#include <unistd.h>
#include <csignal>
#include <cstring>

#include "util/error.hpp"

namespace w2v {
namespace {
// A signal handler may only touch lock-free atomics; this is the one piece of global state.
std::atomic<int> g_stop{0};
static_assert(std::atomic<int>::is_always_lock_free);

// Temporary files to remove if a second signal ends the process at once. Fixed storage, so the
// handler only reads memory and calls unlink() (async-signal-safe).
constexpr int kCleanupSlots = 32;
constexpr std::size_t kCleanupPathBytes = 4096;
char g_cleanup[kCleanupSlots][kCleanupPathBytes];
std::atomic<bool> g_cleanup_used[kCleanupSlots];     // seen by the handler
std::atomic<bool> g_cleanup_claimed[kCleanupSlots];  // owned by a caller

extern "C" void on_stop_signal(int sig) {
  if (g_stop.exchange(sig) != 0) {
    // Second signal: the user insists. Remove the temporary files (no final output is ever
    // partial: outputs are renamed into place) and go.
    for (int i = 0; i < kCleanupSlots; ++i) {
      if (g_cleanup_used[i].load()) ::unlink(g_cleanup[i]);
    }
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

int register_cleanup_path(const char* path) noexcept {
  const std::size_t n = std::strlen(path);
  if (n >= kCleanupPathBytes) return -1;
  for (int i = 0; i < kCleanupSlots; ++i) {
    bool expected = false;
    // Claim the slot while the handler skips it, fill it, then publish it.
    if (g_cleanup_claimed[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_cleanup[i], path, n + 1);
      g_cleanup_used[i].store(true);
      return i;
    }
  }
  return -1;
}

void unregister_cleanup_path(int slot) noexcept {
  if (slot < 0 || slot >= kCleanupSlots) return;
  g_cleanup_used[slot].store(false);
  g_cleanup_claimed[slot].store(false);
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
