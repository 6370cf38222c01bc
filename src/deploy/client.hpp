#pragma once
// The deploying side of a session with the host's berth (deploy/protocol.hpp): starts it through
// a transport — over ssh, after installing this very berth on the host when it is missing
// (content-addressed, /var/lib/berth/bin/berth-SHA256, root-owned 0700) — and exchanges requests
// and replies with it.
#include "deploy/protocol.hpp"
#include "remote/transport.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace berth::deploy {

// The host's berth refused or failed an op; its message says why.
struct HostError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// This berth as uploaded to hosts: its own file, hash and machine.
struct SelfBinary {
    std::string path;
    std::string sha256;
    std::string arch; // uname machine of this build
    std::uint64_t size = 0;
};
const SelfBinary& self_binary();

// Where berth's build for a host of another machine type (uname -m) is looked for, in order:
// beside this berth (build/berth-aarch64 beside build/berth), then in kBerthBuildDir, where a
// package installs it (docs/arm64.md).
inline constexpr const char* kBerthBuildDir = "/usr/lib/berth";
std::vector<std::string> berth_build_places(const std::string& self_path,
                                            const std::string& machine);

using EventHandler = std::function<void(const nlohmann::json&)>;

class AgentClient {
  public:
    // `on_note` hears what the connection does ("installing berth on the host (7.9 MiB)").
    // Throws remote::TransportError or HostError with a one-line reason.
    AgentClient(remote::Transport& transport,
                const std::function<void(const std::string&)>& on_note);
    ~AgentClient();

    const Hello& hello() const { return hello_; }
    bool installed_berth() const { return installed_; } // this connection uploaded berth

    // One op; its events go to `on_event`. Throws HostError (the op failed) or
    // remote::TransportError (the connection failed, or no reply within `timeout`).
    nlohmann::json call(const std::string& op, const nlohmann::json& args,
                        std::chrono::milliseconds timeout, const EventHandler& on_event = {});
    // The same with bytes after the request line.
    nlohmann::json call_with_bytes(const std::string& op, const nlohmann::json& args,
                                   std::string_view bytes, std::chrono::milliseconds timeout);
    // The same with a file's bytes, reporting how many were sent.
    nlohmann::json call_with_file(const std::string& op, const nlohmann::json& args,
                                  const std::string& path, std::uint64_t size,
                                  std::chrono::milliseconds timeout,
                                  const std::function<void(std::uint64_t)>& progress);
    // Ends the session (the host's berth exits and lets go of the lock).
    void close();
    // While a reply is awaited, `flag` is looked at every 100 ms: once it is set, the host's
    // berth is told to stop what it is waiting for (a cancel line, sent once).
    void watch_interrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }

  private:
    nlohmann::json await_reply(const std::string& op, std::chrono::milliseconds timeout,
                               const EventHandler& on_event);
    // Starts the host's berth: this build's (sha256 "" = self_binary()'s) or another's.
    void start(const std::string& sha256);
    // Puts the berth build the host needs there (unless it has it); returns its sha256.
    std::string install(const std::function<void(const std::string&)>& on_note);

    remote::Transport& transport_;
    std::unique_ptr<remote::Session> session_;
    Hello hello_;
    bool installed_ = false;
    const std::atomic<bool>* interrupt_ = nullptr;
    bool cancel_sent_ = false;
};

} // namespace berth::deploy
