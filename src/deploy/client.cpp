#include "deploy/client.hpp"

#include "deploy/layout.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <fcntl.h>
#include <fmt/format.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace berth::deploy {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

std::string remote_berth(const std::string& sha) {
    return std::string(kBerthHome) + "/bin/berth-" + sha;
}

// What the host printed instead of a hello: its last stderr line.
std::string last_line(const std::string& text) {
    auto end = text.find_last_not_of("\r\n");
    if (end == std::string::npos) return "";
    auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

} // namespace

std::vector<std::string> berth_build_places(const std::string& self_path,
                                            const std::string& machine) {
    return {self_path.substr(0, self_path.rfind('/') + 1) + "berth-" + machine,
            std::string(kBerthBuildDir) + "/berth-" + machine};
}

const SelfBinary& self_binary() {
    static const SelfBinary self = [] {
        SelfBinary s;
        char buf[4096];
        ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n <= 0) throw InputError("cannot find berth's own file (/proc/self/exe)");
        s.path.assign(buf, static_cast<std::size_t>(n));
        s.sha256 = sha256_file(s.path);
        struct stat st {};
        if (::stat(s.path.c_str(), &st) == 0) s.size = static_cast<std::uint64_t>(st.st_size);
        utsname u{};
        if (::uname(&u) == 0) s.arch = u.machine;
        return s;
    }();
    return self;
}

AgentClient::AgentClient(remote::Transport& transport,
                         const std::function<void(const std::string&)>& on_note)
    : transport_(transport) {
    try {
        start("");
    } catch (const remote::TransportError&) {
        // Only a missing berth is repaired; every other failure speaks for itself.
        if (!session_) throw;
        remote::RunResult r = session_->finish(5s);
        session_.reset();
        bool missing = r.status == 127 || r.err.find("No such file") != std::string::npos ||
                       r.err.find("command not found") != std::string::npos;
        if (!missing)
            throw remote::TransportError(transport_.where() +
                                         ": berth did not start there: " + last_line(r.err));
        start(install(on_note));
    }
}

AgentClient::~AgentClient() {
    try {
        close();
    } catch (...) {
    }
}

void AgentClient::start(const std::string& sha256) {
    const bool local = transport_.where() == "this machine";
    std::vector<std::string> argv = {
        local ? self_binary().path : remote_berth(sha256.empty() ? self_binary().sha256 : sha256),
        "agent", "session"};
    session_ = transport_.start(argv);
    auto line = session_->read_line(60s);
    if (!line) throw remote::TransportError("no hello");
    auto h = parse_hello(*line);
    if (!h)
        throw remote::TransportError(transport_.where() + ": berth answered '" +
                                     line->substr(0, 120) + "' instead of its hello");
    hello_ = *h;
}

std::string AgentClient::install(const std::function<void(const std::string&)>& on_note) {
    const SelfBinary& self = self_binary();
    // Only fixed words (and hex digests, below) are on these command lines.
    remote::RunResult probe = transport_.run({"sh", "-c", "uname -m; id -u"}, "", 30s);
    std::string machine, uid;
    {
        std::istringstream lines(probe.out);
        std::getline(lines, machine);
        std::getline(lines, uid);
    }
    if (probe.status != 0 || machine.empty())
        throw remote::TransportError(transport_.where() +
                                     ": cannot tell the machine type: " + last_line(probe.err));
    if (uid != "0")
        throw remote::TransportError(
            transport_.where() + ": logged in as uid " + uid +
            ", not root: berth needs root there to install releases and units; log in as root, "
            "or set `sudo: true` (--sudo) with passwordless sudo for this user");
    std::string file = self.path;
    std::string sha = self.sha256;
    if (machine != self.arch) {
        // A build for the host's machine: beside this berth, else where a package keeps it.
        auto places = berth_build_places(self.path, machine);
        auto found = std::find_if(places.begin(), places.end(), [](const std::string& p) {
            struct stat st {};
            return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        });
        if (found == places.end())
            throw remote::TransportError(fmt::format(
                "{} is {}, this berth is built for {}: put berth's {} build at {} (or {}) and "
                "deploy again",
                transport_.where(), machine, self.arch, machine, places[0], places[1]));
        file = *found;
        sha = sha256_file(file);
        // Another build may already be there (this berth does not start it first).
        if (transport_.run({"test", "-x", remote_berth(sha)}, "", 30s).status == 0) return sha;
    }
    auto bytes = read_text(file, 1ull << 30);
    if (!bytes) throw InputError(file + ": cannot read");
    on_note(fmt::format("installing berth on the host ({:.1f} MiB, {})", bytes->size() / 1048576.0,
                        remote_berth(sha)));
    // The binary is on stdin and checks its own hash before it takes its place (agent
    // install-self).
    const std::string script = "umask 077 && mkdir -p " + std::string(kBerthHome) +
                               "/bin && f=" + kBerthHome + "/bin/.berth-" + sha +
                               ".partial-$$ && cat > \"$f\" && chmod 700 \"$f\" && exec \"$f\" "
                               "agent install-self " +
                               sha;
    remote::RunResult r = transport_.run({"sh", "-c", script}, *bytes, 300s);
    if (r.status != 0)
        throw remote::TransportError(transport_.where() + ": installing berth failed: " +
                                     last_line(r.err.empty() ? r.out : r.err));
    installed_ = true;
    return sha;
}

nlohmann::json AgentClient::await_reply(const std::string& op, std::chrono::milliseconds timeout,
                                        const EventHandler& on_event) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms)
            throw remote::TransportError(fmt::format("{}: no answer to '{}' within {} s",
                                                     transport_.where(), op,
                                                     timeout.count() / 1000));
        std::optional<std::string> line;
        if (interrupt_) {
            if (*interrupt_ && !cancel_sent_) {
                session_->write(cancel_line() + "\n");
                cancel_sent_ = true;
            }
            std::string got;
            auto polled = session_->poll_line(got, std::min(left, milliseconds(100)));
            if (polled == remote::Session::Poll::none) continue;
            if (polled == remote::Session::Poll::line) line = std::move(got);
        } else {
            line = session_->read_line(left);
        }
        if (!line) {
            remote::RunResult r = session_->finish(2s);
            session_.reset();
            throw remote::TransportError(transport_.where() + ": the connection ended during '" +
                                         op + "'" + (r.err.empty() ? "" : ": " + last_line(r.err)));
        }
        Reply reply;
        try {
            reply = parse_reply(*line);
        } catch (const InputError& e) {
            throw remote::TransportError(transport_.where() + ": " + e.what());
        }
        if (reply.kind == Reply::Kind::event) {
            if (on_event) on_event(reply.body);
            continue;
        }
        if (reply.kind == Reply::Kind::error) throw HostError(reply.error);
        return reply.body;
    }
}

namespace {

// A test hook (docs/deploy.md): BERTH_TEST_AGENT_EXIT_AFTER=OP makes the host's berth exit
// without replying right after op OP.
nlohmann::json with_test_hook(const std::string& op, nlohmann::json args) {
    const char* v = std::getenv("BERTH_TEST_AGENT_EXIT_AFTER");
    if (v && op == v) args["test_exit_after"] = true;
    return args;
}

} // namespace

nlohmann::json AgentClient::call(const std::string& op, const nlohmann::json& args,
                                 std::chrono::milliseconds timeout, const EventHandler& on_event) {
    if (!session_) throw remote::TransportError(transport_.where() + ": the session is closed");
    session_->write(request_line({op, with_test_hook(op, args), 0}) + "\n");
    return await_reply(op, timeout, on_event);
}

nlohmann::json AgentClient::call_with_bytes(const std::string& op, const nlohmann::json& args,
                                            std::string_view bytes,
                                            std::chrono::milliseconds timeout) {
    if (!session_) throw remote::TransportError(transport_.where() + ": the session is closed");
    session_->write(request_line({op, with_test_hook(op, args), bytes.size()}) + "\n");
    session_->write(bytes);
    return await_reply(op, timeout, {});
}

nlohmann::json AgentClient::call_with_file(const std::string& op, const nlohmann::json& args,
                                           const std::string& path, std::uint64_t size,
                                           std::chrono::milliseconds timeout,
                                           const std::function<void(std::uint64_t)>& progress) {
    if (!session_) throw remote::TransportError(transport_.where() + ": the session is closed");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(path + ": cannot open");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    session_->write(request_line({op, with_test_hook(op, args), size}) + "\n");
    session_->write_file(fd, size, progress);
    return await_reply(op, timeout, {});
}

void AgentClient::close() {
    if (!session_) return;
    session_->finish(10s);
    session_.reset();
}

} // namespace berth::deploy
