#include "util/interrupt.hpp"

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace berth {

namespace {

std::atomic<bool> interrupted{false};
const char* interrupt_note = "";

// Only async-signal-safe calls here: an atomic store, write(2), _exit(2).
void on_signal(int) {
    if (interrupted.exchange(true)) {
        constexpr char again[] = "\nberth: interrupted twice: stopping now\n";
        (void)!::write(2, again, sizeof again - 1);
        ::_exit(130);
    }
    (void)!::write(2, interrupt_note, std::strlen(interrupt_note));
}

} // namespace

const std::atomic<bool>& catch_interrupts(const char* note) {
    static_assert(std::atomic<bool>::is_always_lock_free);
    interrupt_note = note;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    return interrupted;
}

} // namespace berth
