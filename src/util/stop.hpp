// The process-wide stop request set by SIGINT / SIGTERM. Long loops poll it.
#pragma once

#include <atomic>

namespace w2v {

// 0 = keep going; otherwise the signal number that asked us to stop.
int stop_requested() noexcept;
// Sets the stop request (used by the signal handlers and by tests).
void request_stop(int signal_number) noexcept;
void clear_stop() noexcept;
// Installs SIGINT / SIGTERM handlers that call request_stop. A second signal exits at once.
void install_stop_handlers();
// Paths the handler removes when a second signal ends the process at once (temporary files).
// Returns a slot for unregister_cleanup_path, or -1 if none is free (the file is then left).
int register_cleanup_path(const char* path) noexcept;
void unregister_cleanup_path(int slot) noexcept;
// Throws Interrupted with exit code 130 / 143 if a stop was requested.
void throw_if_stopped();

}  // namespace w2v
