#pragma once
// A child process with pipes on its stdin, stdout and stderr, and every wait bounded by a
// deadline: the layer under remote/'s transports, knowing nothing of what it runs.
//
// posix_spawn + poll rather than Boost.Process: Boost 1.74's child::wait_for sleeps the whole
// timeout on Linux (boostorg/process#69: sigtimedwait on an unblocked SIGCHLD), its pipes are made
// without O_CLOEXEC, and its headers pull in the compiled Boost.Filesystem. Here every descriptor
// is O_CLOEXEC, the exit is a pidfd in the same poll as the pipes, and nothing is global.
//
// One poll loop serves all waits, and it always drains stdout and stderr: a child that writes a
// lot to both while berth writes to its stdin never deadlocks. Writes to a child that has gone
// return `closed` (EPIPE); SIGPIPE is blocked around them and never kills berth.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace berth {

using Deadline = std::chrono::steady_clock::time_point;
// A deadline `timeout` from now (never: Deadline::max()).
Deadline deadline_in(std::chrono::milliseconds timeout);

// The program cannot be started (not found, not executable, no resources), or the file given to
// write_from cannot be read. The message names it and why.
struct SubprocessError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SubprocessLimits {
    // Stdout kept unread at most (then berth stops reading it: the child waits).
    std::size_t out = 64u << 20;
    // Stderr kept: the last this many bytes (a child that logs forever costs no more).
    std::size_t err = 1u << 20;
};

class Subprocess {
  public:
    static constexpr std::chrono::milliseconds kNever = std::chrono::milliseconds::max();

    // Starts argv (argv[0] searched in PATH when it has no '/'; no shell) with the environment of
    // berth, in a process group of its own (the terminal's Ctrl-C reaches berth, not its
    // children; a kill reaches the child's own children too), with SIGPIPE and SIGXFSZ at their
    // defaults and no descriptor of berth's but the three pipes. Throws SubprocessError.
    explicit Subprocess(const std::vector<std::string>& argv, SubprocessLimits limits = {});
    // A child still running is killed (SIGKILL to its group) and reaped: no zombie.
    ~Subprocess();
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    enum class Wait {
        ready,   // done
        closed,  // it closed its stdin, or exited, before all was written
        timeout, // the deadline passed first
    };
    // Writes all of `bytes` to its stdin. `stall`: timeout too when it takes no byte for that
    // long (a child that stopped reading).
    Wait write(std::string_view bytes, Deadline deadline, std::chrono::milliseconds stall = kNever);
    // Copies `size` bytes of the open file `fd` (from its current offset) to its stdin: with
    // splice(2) from a regular file (no copy through berth), else through a 1 MiB buffer.
    // `progress(sent)` after each step of at least 1 MiB and at the end. Throws SubprocessError
    // when the file cannot be read or ends before `size`.
    Wait write_from(int fd, std::uint64_t size, const std::function<void(std::uint64_t)>& progress,
                    Deadline deadline, std::chrono::milliseconds stall = kNever);
    // It sees the end of its input.
    void close_stdin();

    enum class Line {
        line,     // `line` holds the next line of its stdout, without the "\n"
        end,      // its stdout ended (or it exited) and all lines were taken
        timeout,  // the deadline passed first
        too_long, // more than `max` bytes without a "\n"
    };
    // The next line of its stdout; a last line without "\n" counts as a line.
    Line read_line(std::string& line, std::size_t max, Deadline deadline);

    // Waits for it to exit, reading its output meanwhile. False when the deadline passed first,
    // or when its unread stdout reached the limit (out_full()) so that it cannot go on.
    bool wait(Deadline deadline);
    // SIGKILL to its process group, then reaped. Nothing when it has already exited.
    void kill();

    pid_t pid() const { return pid_; }
    bool exited() const { return reaped_; }
    // Exit status, or 128 + the signal that ended it; -1 while it runs.
    int status() const { return status_; }
    bool out_full() const;
    // Its stdout not taken by read_line yet (taken now).
    std::string take_out();
    // Its stderr so far: all of it, or "[first N bytes cut]\n" and the last SubprocessLimits::err.
    std::string err() const;

  private:
    // One poll over the open pipes and the exit, at most until `deadline`; reads what there is.
    // `stdin_ready` tells whether its stdin can take bytes (asked by `want_stdin`). False when the
    // deadline passed.
    bool pump(bool want_stdin, Deadline deadline, bool& stdin_ready);
    void read_out();
    void read_err();
    void reap(bool block);
    void after_exit();

    SubprocessLimits limits_;
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1, err_ = -1, pidfd_ = -1; // berth's ends; -1 when closed
    bool reaped_ = false;
    int status_ = -1;
    std::string out_buf_;
    std::size_t out_pos_ = 0; // out_buf_ before this was taken by read_line
    std::string err_buf_;
    std::uint64_t err_cut_ = 0;
};

// Runs argv to the end with `input` on its stdin; killed at the deadline.
struct ProcessOutcome {
    enum class End { exited, timeout, too_much_output } end = End::exited;
    int status = -1; // exit status, or 128 + signal
    std::string out;
    std::string err;
};
ProcessOutcome run_process(const std::vector<std::string>& argv, std::string_view input,
                           Deadline deadline, SubprocessLimits limits = {});

// The last line of `text` that is not blank, trimmed ("" when none): what a failed program said
// last, for one-line messages.
std::string last_line(std::string_view text);

} // namespace berth
