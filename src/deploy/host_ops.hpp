#pragma once
// The steps the host's berth takes on the deploying berth's request (deploy/protocol.hpp): each
// one small, idempotent where it can be, and leaving the host serving the old or the new
// release when it is cut at any point. They run as root (or through sudo) on the host; the
// values they get were checked on the deploying side and are checked again here.
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace berth::deploy {

// What one session keeps between requests.
struct AgentSession {
    int lock_fd = -1; // the app's lock, held until the session ends (the process exits)
    std::string locked_app;
};

// An op's access to its payload (the raw bytes after the request line) and its progress events.
struct OpIo {
    std::uint64_t payload = 0;
    // Reads up to `into.size()` bytes of the payload; returns how many (0: it ended early).
    std::function<std::size_t(std::span<std::byte> into)> read;
    std::function<void(const nlohmann::json&)> event;
    // True once the deploying side has gone (its end of stdin closed): a long op stops then,
    // so the lock is let go at once instead of after the op.
    std::function<bool()> abandoned;
    // Waits up to `d`, returning early when the deploying side goes away.
    std::function<void(std::chrono::milliseconds)> pause;
};

using HostOp = nlohmann::json (*)(const nlohmann::json& args, OpIo& io, AgentSession& session);

// nullptr for an unknown op.
HostOp find_host_op(const std::string& name);

// Removes what earlier deploys left in /var/lib/berth: uploads staged more than a day ago and
// berth builds other than this one unused for a week. Best effort: errors are ignored.
void tidy_berth_home();

// Moves this running berth (a partial upload that its own sha256 proves whole) into
// /var/lib/berth/bin/berth-SHA256. Throws InputError when the hash differs.
void install_self(const std::string& expected_sha256);

} // namespace berth::deploy
