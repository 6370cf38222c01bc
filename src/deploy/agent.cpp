#include "deploy/agent.hpp"

#include "deploy/host_ops.hpp"
#include "deploy/protocol.hpp"
#include "util/error.hpp"
#include "util/write_all.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <poll.h>
#include <span>
#include <string>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace berth::deploy {

namespace {

// stdin, buffered: request lines and the raw payloads between them.
class Input {
  public:
    explicit Input(int fd) : fd_(fd) {}

    // The next line without "\n"; nullopt at the end of the input. Throws on a line too long.
    std::optional<std::string> line(std::size_t limit) {
        for (;;) {
            auto nl = std::find(buf_.begin() + static_cast<long>(pos_), buf_.end(), '\n');
            if (nl != buf_.end()) {
                std::string out(buf_.begin() + static_cast<long>(pos_), nl);
                pos_ = static_cast<std::size_t>(nl - buf_.begin()) + 1;
                return out;
            }
            if (buf_.size() - pos_ > limit) throw InputError("request line too long");
            if (!fill()) return std::nullopt;
        }
    }
    // Whether the deployer went away (the input ended) or asked to stop (a cancel line is
    // next), without waiting or taking a request that is already there.
    bool abandoned() {
        if (eof_) return true;
        if (pos_ == buf_.size()) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 0) <= 0) return false;
            eof_ = !fill();
            if (eof_) return true;
        }
        const std::string cancel = cancel_line() + "\n";
        return buf_.size() - pos_ >= cancel.size() &&
               std::equal(cancel.begin(), cancel.end(), buf_.begin() + static_cast<long>(pos_));
    }
    // Up to into.size() bytes; 0 at the end of the input.
    std::size_t read(std::span<std::byte> into) {
        if (pos_ == buf_.size() && !fill()) return 0;
        std::size_t n = std::min(into.size(), buf_.size() - pos_);
        std::memcpy(into.data(), buf_.data() + pos_, n);
        pos_ += n;
        return n;
    }

  private:
    bool fill() {
        if (pos_ > 0) {
            buf_.erase(buf_.begin(), buf_.begin() + static_cast<long>(pos_));
            pos_ = 0;
        }
        char chunk[1 << 16];
        for (;;) {
            ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            buf_.insert(buf_.end(), chunk, chunk + n);
            return true;
        }
    }
    int fd_;
    bool eof_ = false;
    std::vector<char> buf_;
    std::size_t pos_ = 0;
};

bool write_line(int fd, const std::string& line) {
    return write_all(fd, line + "\n");
}

Hello hello() {
    Hello h;
    h.berth_version = BERTH_VERSION;
    utsname u{};
    if (::uname(&u) == 0) {
        h.arch = u.machine;
        h.hostname = u.nodename;
    }
    h.uid = ::getuid();
    h.pid = ::getpid();
    return h;
}

// A test hook (docs/deploy.md): the deploying berth marks the op after which this berth exits
// without a reply, as a host whose connection is cut at that moment.
bool test_exit_after(const Request& r) {
    return r.args.value("test_exit_after", false);
}

} // namespace

int run_agent_session(int in_fd, int out_fd) {
    std::signal(SIGPIPE, SIG_IGN); // a cut connection is an error to see, not a death
    Input in(in_fd);
    AgentSession session;
    if (!write_line(out_fd, hello_line(hello()))) return 1;
    if (::getuid() == 0) tidy_berth_home();
    for (;;) {
        std::optional<std::string> line;
        try {
            line = in.line(kMaxRequestLine);
        } catch (const InputError& e) {
            write_line(out_fd, error_line(e.what()));
            return 2;
        }
        if (!line) return 0;
        // A cancel the op it was meant for did not see (it had ended): nothing to stop.
        if (is_cancel_line(*line)) continue;
        Request req;
        try {
            req = parse_request(*line);
        } catch (const InputError& e) {
            // Without a request the length of any payload is unknown: the stream is lost.
            write_line(out_fd, error_line(std::string("bad request: ") + e.what()));
            return 2;
        }
        std::uint64_t left = req.payload;
        OpIo io;
        io.payload = req.payload;
        io.read = [&](std::span<std::byte> into) {
            std::size_t n = in.read(into.subspan(0, std::min<std::uint64_t>(into.size(), left)));
            left -= n;
            return n;
        };
        io.event = [&](const nlohmann::json& e) { write_line(out_fd, event_line(e)); };
        io.abandoned = [&] { return in.abandoned(); };
        io.pause = [&](std::chrono::milliseconds d) {
            pollfd p{in_fd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(d.count()));
        };
        std::string reply;
        try {
            HostOp op = find_host_op(req.op);
            if (!op) throw InputError("unknown op '" + req.op + "' (berth versions differ?)");
            reply = ok_line(op(req.args, io, session));
        } catch (const InputError& e) {
            reply = error_line(e.what());
        } catch (const nlohmann::json::exception& e) {
            reply = error_line(std::string("bad request arguments: ") + e.what());
        } catch (const std::exception& e) {
            reply = error_line(std::string("internal error: ") + e.what());
        }
        // An op that failed early leaves its payload unread: skip it to stay in step.
        std::byte sink[1 << 16];
        while (left > 0 && io.read(sink) > 0) {
        }
        if (test_exit_after(req)) ::_exit(137);
        if (!write_line(out_fd, reply)) return 1;
    }
}

} // namespace berth::deploy
