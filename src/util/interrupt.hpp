#pragma once
// ^C and SIGTERM during work that must end in a safe state (a deploy): the first one only
// sets a flag, which the work looks at between its steps and while it waits (it then stops and
// undoes what it did); the second ends berth at once (exit 130), as the user asked twice.
#include <atomic>

namespace berth {

// Installs the handlers (once) and returns the flag they set. `note` is written to stderr on
// the first signal (saying what happens now); it must outlive the process.
const std::atomic<bool>& catch_interrupts(const char* note);

} // namespace berth
