#include "remote/child.hpp"

#include "util/subprocess.hpp"

namespace berth::remote {

namespace {

constexpr std::size_t kMaxLine = 16u << 20;
// A session that takes no byte of its input for this long is stuck (a dead connection ends
// sooner: ServerAlive).
constexpr std::chrono::milliseconds kWriteStall = std::chrono::minutes(2);

std::string said(std::string_view err) {
    std::string line = last_line(err);
    if (line.size() > 300) line = line.substr(0, 300) + "...";
    return line.empty() ? "" : " (its last message: " + line + ")";
}

class ChildSession final : public Session {
  public:
    ChildSession(std::unique_ptr<Subprocess> child, std::string command, ChildTarget target)
        : child_(std::move(child)), command_(std::move(command)), target_(std::move(target)) {}

    // Dropped without finish() (an error on the way): it sees the end of its input at once and
    // is killed if it does not end by itself soon.
    ~ChildSession() override {
        if (child_->exited()) return;
        child_->close_stdin();
        child_->wait(deadline_in(std::chrono::milliseconds(200)));
        child_->kill();
    }

    void write(std::string_view bytes) override {
        check(child_->write(bytes, Deadline::max(), kWriteStall));
    }

    void write_file(int fd, std::uint64_t size,
                    const std::function<void(std::uint64_t)>& progress) override {
        Subprocess::Wait w;
        try {
            w = child_->write_from(fd, size, progress, Deadline::max(), kWriteStall);
        } catch (const SubprocessError& e) {
            throw TransportError("sending a file to " + command_ + " on " + target_.where + ": " +
                                 e.what());
        }
        check(w);
    }

    std::optional<std::string> read_line(std::chrono::milliseconds timeout) override {
        std::string line;
        switch (child_->read_line(line, kMaxLine, deadline_in(timeout))) {
        case Subprocess::Line::line:
            return line;
        case Subprocess::Line::end:
            return std::nullopt;
        case Subprocess::Line::timeout:
            child_->kill();
            throw TransportError(command_ + " on " + target_.where + " gave no answer within " +
                                 duration_text(timeout) + "; killed it" + said(child_->err()));
        case Subprocess::Line::too_long:
            break;
        }
        child_->kill();
        throw TransportError(command_ + " on " + target_.where +
                             " wrote a line longer than 16 MiB; killed it");
    }

    Poll poll_line(std::string& line, std::chrono::milliseconds slice) override {
        switch (child_->read_line(line, kMaxLine, deadline_in(slice))) {
        case Subprocess::Line::line:
            return Poll::line;
        case Subprocess::Line::end:
            return Poll::end;
        case Subprocess::Line::timeout:
            return Poll::none;
        case Subprocess::Line::too_long:
            break;
        }
        child_->kill();
        throw TransportError(command_ + " on " + target_.where +
                             " wrote a line longer than 16 MiB; killed it");
    }

    RunResult finish(std::chrono::milliseconds timeout) override {
        child_->close_stdin();
        bool ended = child_->wait(deadline_in(timeout));
        if (!ended) child_->kill();
        RunResult r{child_->status(), child_->take_out(), child_->err()};
        if (ended && target_.check) target_.check(r);
        return r;
    }

  private:
    void check(Subprocess::Wait w) {
        if (w == Subprocess::Wait::closed) gone();
        if (w == Subprocess::Wait::timeout) {
            child_->kill();
            throw TransportError(command_ + " on " + target_.where + " took no input for " +
                                 duration_text(kWriteStall) + "; killed it" + said(child_->err()));
        }
    }

    // Its stdin is closed: it ended, or is ending. Its status and stderr say why; a transport
    // failure (ssh, sudo) gets its own message.
    [[noreturn]] void gone() {
        if (!child_->wait(deadline_in(std::chrono::seconds(5)))) child_->kill();
        RunResult r{child_->status(), {}, child_->err()};
        if (target_.check) target_.check(r);
        std::string how = r.status > 128 ? "killed by signal " + std::to_string(r.status - 128)
                                         : "exit status " + std::to_string(r.status);
        throw TransportError(command_ + " on " + target_.where + " stopped reading its input (" +
                             how + ")" + said(r.err));
    }

    std::unique_ptr<Subprocess> child_;
    std::string command_;
    ChildTarget target_;
};

} // namespace

std::string command_text(const std::vector<std::string>& command) {
    std::string out;
    for (const auto& word : command) {
        if (!out.empty()) out += ' ';
        out += word;
        if (out.size() > 60) {
            out = out.substr(0, 60) + "...";
            break;
        }
    }
    return "`" + out + "`";
}

std::string duration_text(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
    return std::to_string(d.count()) + " ms";
}

RunResult run_child(const std::vector<std::string>& child_argv,
                    const std::vector<std::string>& command, std::string_view input,
                    std::chrono::milliseconds timeout, const ChildTarget& target) {
    ProcessOutcome o;
    try {
        o = run_process(child_argv, input, deadline_in(timeout));
    } catch (const SubprocessError& e) {
        throw TransportError("cannot run " + command_text(command) + " on " + target.where + ": " +
                             e.what());
    }
    if (o.end == ProcessOutcome::End::timeout)
        throw TransportError(command_text(command) + " on " + target.where +
                             " did not finish within " + duration_text(timeout) + "; killed it" +
                             said(o.err));
    if (o.end == ProcessOutcome::End::too_much_output)
        throw TransportError(command_text(command) + " on " + target.where +
                             " printed more than 64 MiB; killed it");
    RunResult r{o.status, std::move(o.out), std::move(o.err)};
    if (target.check) target.check(r);
    return r;
}

std::unique_ptr<Session> start_child(const std::vector<std::string>& child_argv,
                                     const std::vector<std::string>& command, ChildTarget target) {
    std::unique_ptr<Subprocess> child;
    try {
        child = std::make_unique<Subprocess>(child_argv);
    } catch (const SubprocessError& e) {
        throw TransportError("cannot run " + command_text(command) + " on " + target.where + ": " +
                             e.what());
    }
    return std::make_unique<ChildSession>(std::move(child), command_text(command),
                                          std::move(target));
}

} // namespace berth::remote
