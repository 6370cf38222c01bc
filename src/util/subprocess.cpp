#include "util/subprocess.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace berth {

namespace {

constexpr std::size_t kChunk = 1u << 20; // splice / copy step, and the pipe size asked for

std::string errno_text(int err) {
    return std::strerror(err);
}

// Milliseconds to give poll(2) until `deadline`, rounded up (-1: no deadline).
int poll_ms(Deadline deadline) {
    if (deadline == Deadline::max()) return -1;
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= left.zero()) return 0;
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<long long>(ms, INT_MAX));
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// Pipe ends must not be 0, 1 or 2 (when berth was started with one of them closed): the child's
// dup2 onto 0..2 would otherwise clobber an end not yet moved.
int above_stdio(int fd) {
    if (fd > 2) return fd;
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int err = errno;
    ::close(fd);
    if (moved < 0) throw SubprocessError("fcntl(F_DUPFD_CLOEXEC): " + errno_text(err));
    return moved;
}

void make_pipe(int fds[2]) {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw SubprocessError("pipe2: " + errno_text(errno));
    fds[0] = above_stdio(fds[0]);
    fds[1] = above_stdio(fds[1]);
}

void set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// While it lives, a write to a pipe nobody reads fails with EPIPE and the SIGPIPE it raises
// (directed at this thread) is taken off again: nothing global changes, unlike SIG_IGN, which
// children would inherit.
class SigpipeBlocked {
  public:
    SigpipeBlocked() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    }
    ~SigpipeBlocked() {
        if (!was_pending_) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                timespec zero{};
                while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
                }
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

  private:
    sigset_t pipe_{};
    sigset_t old_{};
    bool was_pending_ = false;
};

} // namespace

Deadline deadline_in(std::chrono::milliseconds timeout) {
    if (timeout >= std::chrono::hours(24 * 365)) return Deadline::max();
    return std::chrono::steady_clock::now() + std::max(timeout, std::chrono::milliseconds(0));
}

Subprocess::Subprocess(const std::vector<std::string>& argv, SubprocessLimits limits)
    : limits_(limits) {
    if (argv.empty() || argv[0].empty()) throw SubprocessError("cannot run an empty command");
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    auto close_all = [&] {
        for (int* p : {in, out, err}) {
            close_fd(p[0]);
            close_fd(p[1]);
        }
    };
    try {
        make_pipe(in);
        make_pipe(out);
        make_pipe(err);
    } catch (...) {
        close_all();
        throw;
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // Descriptors some library opened without O_CLOEXEC stay in berth too.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, defaults;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    // What berth (or its parent) ignores would be inherited; these two, like Python's
    // subprocess, go back to their defaults.
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGXFSZ);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = ::posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        close_all();
        throw SubprocessError("cannot run " + argv[0] + ": " + errno_text(rc));
    }
    close_fd(in[0]);
    close_fd(out[1]);
    close_fd(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
    for (int fd : {in_, out_, err_}) set_nonblocking(fd);
    // Bigger pipes: fewer wake-ups for a 20 MB upload or a chatty child (may be refused).
    ::fcntl(in_, F_SETPIPE_SZ, static_cast<int>(kChunk));
    ::fcntl(out_, F_SETPIPE_SZ, static_cast<int>(kChunk));
    // The exit as a descriptor (Linux 5.3); without one, pump() looks every 20 ms.
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

Subprocess::~Subprocess() {
    kill();
    for (int* fd : {&in_, &out_, &err_, &pidfd_}) close_fd(*fd);
}

bool Subprocess::out_full() const {
    return out_buf_.size() - out_pos_ >= limits_.out;
}

void Subprocess::read_out() {
    char buf[65536];
    // A bounded number of reads: a child that writes without pause must not starve its stdin.
    for (int i = 0; i < 16 && out_ >= 0 && (reaped_ || !out_full()); ++i) {
        ssize_t n = ::read(out_, buf, sizeof buf);
        if (n > 0) {
            out_buf_.append(buf, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            close_fd(out_); // end, or an error that ends it
        }
    }
}

void Subprocess::read_err() {
    char buf[65536];
    for (int i = 0; i < 16 && err_ >= 0; ++i) {
        ssize_t n = ::read(err_, buf, sizeof buf);
        if (n > 0) {
            err_buf_.append(buf, static_cast<std::size_t>(n));
            // Trimmed in steps of the limit: the cost stays linear.
            if (err_buf_.size() > 2 * limits_.err) {
                std::size_t cut = err_buf_.size() - limits_.err;
                err_buf_.erase(0, cut);
                err_cut_ += cut;
            }
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            close_fd(err_);
        }
    }
}

void Subprocess::reap(bool block) {
    if (reaped_) return;
    int st = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &st, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return;
    reaped_ = true;
    if (r == pid_)
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
    after_exit();
}

// Everything it wrote is in the pipes now (a write to a pipe is complete when it returns): take
// it, then close them. Whatever a child of its own still writes there is not its output.
void Subprocess::after_exit() {
    close_fd(pidfd_);
    close_fd(in_);
    while (out_ >= 0) {
        std::size_t before = out_buf_.size();
        read_out();
        if (out_ >= 0 && out_buf_.size() == before) close_fd(out_);
    }
    while (err_ >= 0) {
        std::size_t before = err_buf_.size() + err_cut_;
        read_err();
        if (err_ >= 0 && err_buf_.size() + err_cut_ == before) close_fd(err_);
    }
}

bool Subprocess::pump(bool want_stdin, Deadline deadline, bool& stdin_ready) {
    stdin_ready = false;
    pollfd fds[4];
    int n = 0, i_in = -1, i_out = -1, i_err = -1, i_pid = -1;
    if (want_stdin && in_ >= 0) i_in = n, fds[n++] = {in_, POLLOUT, 0};
    if (out_ >= 0 && !out_full()) i_out = n, fds[n++] = {out_, POLLIN, 0};
    if (err_ >= 0) i_err = n, fds[n++] = {err_, POLLIN, 0};
    if (!reaped_ && pidfd_ >= 0) i_pid = n, fds[n++] = {pidfd_, POLLIN, 0};
    int ms = poll_ms(deadline);
    if (!reaped_ && pidfd_ < 0 && (ms < 0 || ms > 20)) ms = 20;
    int r = ::poll(fds, static_cast<nfds_t>(n), ms);
    if (r < 0 && errno != EINTR) throw SubprocessError("poll: " + errno_text(errno));
    if (r > 0) {
        if (i_in >= 0 && fds[i_in].revents != 0)
            stdin_ready = true; // POLLERR: the write says EPIPE
        if (i_out >= 0 && fds[i_out].revents != 0) read_out();
        if (i_err >= 0 && fds[i_err].revents != 0) read_err();
        if (i_pid >= 0 && fds[i_pid].revents != 0) reap(false);
    }
    if (!reaped_ && pidfd_ < 0) reap(false);
    return std::chrono::steady_clock::now() < deadline;
}

Subprocess::Wait Subprocess::write(std::string_view bytes, Deadline deadline,
                                   std::chrono::milliseconds stall) {
    SigpipeBlocked blocked;
    std::size_t done = 0;
    Deadline moving = std::min(deadline, deadline_in(stall));
    while (done < bytes.size()) {
        if (in_ < 0 || reaped_) return Wait::closed;
        bool ready = false;
        bool in_time = pump(true, moving, ready);
        if (ready && in_ >= 0) {
            ssize_t n = ::write(in_, bytes.data() + done, bytes.size() - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                moving = std::min(deadline, deadline_in(stall));
                in_time = true;
            } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                close_fd(in_); // EPIPE: it closed its stdin
                return Wait::closed;
            }
        }
        if (!in_time && done < bytes.size()) return Wait::timeout;
    }
    return Wait::ready;
}

Subprocess::Wait Subprocess::write_from(int fd, std::uint64_t size,
                                        const std::function<void(std::uint64_t)>& progress,
                                        Deadline deadline, std::chrono::milliseconds stall) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw SubprocessError("fstat: " + errno_text(errno));
    bool use_splice = S_ISREG(st.st_mode);
    std::vector<char> buf;
    std::size_t buf_pos = 0, buf_len = 0;
    std::uint64_t sent = 0, reported = 0;
    auto ended_early = [&] {
        return SubprocessError("the file ended after " + std::to_string(sent) + " of " +
                               std::to_string(size) + " bytes");
    };
    SigpipeBlocked blocked;
    Deadline moving = std::min(deadline, deadline_in(stall));
    while (sent < size) {
        if (in_ < 0 || reaped_) return Wait::closed;
        bool ready = false;
        std::uint64_t before = sent;
        bool in_time = pump(true, moving, ready);
        if (ready && in_ >= 0) {
            std::size_t step =
                static_cast<std::size_t>(std::min<std::uint64_t>(size - sent, kChunk));
            if (use_splice) {
                ssize_t n =
                    ::splice(fd, nullptr, in_, nullptr, step, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
                if (n > 0) {
                    sent += static_cast<std::uint64_t>(n);
                } else if (n == 0) {
                    throw ended_early();
                } else if (errno == EINVAL || errno == ENOSYS) {
                    use_splice = false; // a file system without splice: copy (same offset)
                } else if (errno == EPIPE) {
                    close_fd(in_);
                    return Wait::closed;
                } else if (errno != EAGAIN && errno != EINTR) {
                    throw SubprocessError("reading the file: " + errno_text(errno));
                }
            } else {
                if (buf_pos == buf_len) {
                    if (buf.empty()) buf.resize(kChunk);
                    ssize_t n = ::read(fd, buf.data(), step);
                    if (n == 0) throw ended_early();
                    if (n < 0 && errno != EINTR)
                        throw SubprocessError("reading the file: " + errno_text(errno));
                    buf_pos = 0;
                    buf_len = n > 0 ? static_cast<std::size_t>(n) : 0;
                }
                ssize_t n =
                    buf_len > buf_pos ? ::write(in_, buf.data() + buf_pos, buf_len - buf_pos) : 0;
                if (n > 0) {
                    buf_pos += static_cast<std::size_t>(n);
                    sent += static_cast<std::uint64_t>(n);
                } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                    close_fd(in_);
                    return Wait::closed;
                }
            }
            if (progress && sent != reported && (sent - reported >= kChunk || sent == size)) {
                reported = sent;
                progress(sent);
            }
        }
        if (sent != before) {
            moving = std::min(deadline, deadline_in(stall));
            in_time = true;
        }
        if (!in_time && sent < size) return Wait::timeout;
    }
    return Wait::ready;
}

void Subprocess::close_stdin() {
    close_fd(in_);
}

Subprocess::Line Subprocess::read_line(std::string& line, std::size_t max, Deadline deadline) {
    std::size_t scanned = out_pos_;
    auto take = [&](std::size_t end, std::size_t next) {
        line.assign(out_buf_, out_pos_, end - out_pos_);
        out_pos_ = next;
        // Drop what was taken once it is most of the buffer: amortised linear.
        if (out_pos_ >= (64u << 10) && out_pos_ * 2 >= out_buf_.size()) {
            out_buf_.erase(0, out_pos_);
            out_pos_ = 0;
        }
    };
    for (;;) {
        std::size_t nl = out_buf_.find('\n', scanned);
        if (nl != std::string::npos) {
            if (nl - out_pos_ > max) return Line::too_long;
            take(nl, nl + 1);
            return Line::line;
        }
        if (out_buf_.size() - out_pos_ > max) return Line::too_long;
        scanned = out_buf_.size();
        if (out_ < 0) {
            if (out_pos_ == out_buf_.size()) return Line::end;
            take(out_buf_.size(), out_buf_.size());
            return Line::line;
        }
        bool ready = false;
        if (!pump(false, deadline, ready) && out_buf_.find('\n', scanned) == std::string::npos &&
            out_ >= 0)
            return Line::timeout;
    }
}

bool Subprocess::wait(Deadline deadline) {
    while (!reaped_) {
        if (out_full()) return false;
        bool ready = false;
        if (!pump(false, deadline, ready)) return reaped_;
    }
    return true;
}

void Subprocess::kill() {
    if (reaped_ || pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL); // in case it left its group
    reap(true);
}

std::string Subprocess::take_out() {
    std::string out = out_buf_.substr(out_pos_);
    out_buf_.clear();
    out_pos_ = 0;
    return out;
}

std::string Subprocess::err() const {
    std::uint64_t cut = err_cut_;
    std::string_view kept = err_buf_;
    if (kept.size() > limits_.err) {
        cut += kept.size() - limits_.err;
        kept.remove_prefix(kept.size() - limits_.err);
    }
    if (cut == 0) return std::string(kept);
    return "[first " + std::to_string(cut) + " bytes cut]\n" + std::string(kept);
}

std::string last_line(std::string_view s) {
    auto blank = [](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; };
    while (!s.empty()) {
        while (!s.empty() && blank(s.back())) s.remove_suffix(1);
        std::size_t nl = s.rfind('\n');
        std::string_view last = nl == std::string_view::npos ? s : s.substr(nl + 1);
        while (!last.empty() && blank(last.front())) last.remove_prefix(1);
        if (!last.empty()) return std::string(last);
        s = nl == std::string_view::npos ? std::string_view{} : s.substr(0, nl);
    }
    return {};
}

ProcessOutcome run_process(const std::vector<std::string>& argv, std::string_view input,
                           Deadline deadline, SubprocessLimits limits) {
    Subprocess p(argv, limits);
    ProcessOutcome o;
    // Output is read while the input is written: no deadlock on big inputs and outputs.
    bool in_time = p.write(input, deadline) != Subprocess::Wait::timeout;
    p.close_stdin();
    if (!in_time || !p.wait(deadline)) {
        o.end = p.out_full() ? ProcessOutcome::End::too_much_output : ProcessOutcome::End::timeout;
        p.kill();
    }
    o.status = p.status();
    o.out = p.take_out();
    o.err = p.err();
    return o;
}

} // namespace berth
