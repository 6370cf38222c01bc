#pragma once
// The transport: where berth's host-side steps run. A command goes in as an argv; its exit
// status and output come out. Two implementations: this machine (local), and a host reached
// with the system OpenSSH client (users' ssh_config, agents, jump hosts and known_hosts work as
// they do for `ssh`). Nothing here knows what the commands mean: deploy/ speaks through it.
//
// Over ssh a command line is a string the remote shell reads. Every word is quoted for a POSIX
// shell, so spaces, quotes, ';', '$(...)' and newlines in a word stay one literal word; callers
// still keep user-given values off command lines (they travel on stdin).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace berth::remote {

// A transport failure: the host unreachable, the connection cut, a timeout, ssh or sudo
// refusing. The message is one line saying what happened, where, and what to do.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "[user@]host[:port]", "[user@][v6addr]:port". The host may be a name from ssh_config.
struct Destination {
    std::string user; // "" = ssh's default (ssh_config, or the local user)
    std::string host;
    int port = 0; // 0 = ssh's default
    // The form ssh takes after "--": "user@host" or "host" (the port goes to -p).
    std::string ssh_target() const;
    // As a person writes it: "user@host:2222".
    std::string text() const;
};

// Throws InputError for a malformed destination, or one ssh could read as an option ("-oProxy…")
// or that holds characters no host name or user name has.
Destination parse_destination(const std::string& text);

struct SshOptions {
    std::vector<std::string> options; // extra "-o Key=Value" values (berth.yaml `ssh:`), each
                                      // one Key=Value word
    std::chrono::seconds connect_timeout{10};
    // A private 0700 directory for the multiplexed connections' sockets (ControlPath); created
    // when missing. "" = $XDG_RUNTIME_DIR/berth-ssh, else ~/.cache/berth/ssh.
    std::string control_dir;
    std::chrono::seconds control_persist{60}; // the master stays this long after the last use
    bool sudo = false; // run every command through `sudo -n` (the login user is not root)
};

// The result of a finished command.
struct RunResult {
    int status = -1;   // exit status, or 128 + signal
    std::string out;   // stdout
    std::string err;   // stderr
};

// A command still running, spoken to through its stdin and stdout: deploy's host-side berth
// answers one JSON line per request on it for the whole deploy.
class Session {
  public:
    virtual ~Session() = default;
    // Writes to its stdin. Throws TransportError when it is gone (the connection cut).
    virtual void write(std::string_view bytes) = 0;
    // Copies `size` bytes of the open file `fd` to its stdin, calling `progress(sent)` now and
    // then. Throws TransportError (also when the file ends early).
    virtual void write_file(int fd, std::uint64_t size,
                            const std::function<void(std::uint64_t)>& progress) = 0;
    // The next line of its stdout without the "\n", waiting at most `timeout`. nullopt: its
    // stdout ended (the command exited or the connection was cut; see finish()). Throws
    // TransportError on a timeout (the command is then killed) or a line over 16 MiB.
    virtual std::optional<std::string> read_line(std::chrono::milliseconds timeout) = 0;
    // Closes its stdin, waits at most `timeout` for it to exit (then kills it) and returns its
    // exit status and stderr.
    virtual RunResult finish(std::chrono::milliseconds timeout) = 0;
};

class Transport {
  public:
    virtual ~Transport() = default;
    // "this machine" or the destination's text: for messages.
    virtual std::string where() const = 0;
    // Runs `argv` there to the end, with `input` on its stdin, killed after `timeout`.
    // Throws TransportError when it cannot be started, on a timeout, or (ssh) when ssh itself
    // fails (exit 255: unreachable, host key, authentication) with ssh's reason.
    virtual RunResult run(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds timeout) = 0;
    // Starts `argv` there with its stdin and stdout as a session. `sudo` of the options applies.
    virtual std::unique_ptr<Session> start(const std::vector<std::string>& argv) = 0;
};

// Commands run as child processes of berth on this machine.
std::unique_ptr<Transport> local_transport();
// Commands run through `ssh` (BatchMode=yes, ConnectTimeout, one multiplexed connection per
// host). Throws InputError when the control directory cannot be made private.
std::unique_ptr<Transport> ssh_transport(const Destination& destination,
                                         const SshOptions& options);

// One word quoted for a POSIX shell: 'it'\''s'. Safe for any bytes but NUL (refused: InputError).
std::string shell_quote(std::string_view word);

} // namespace berth::remote
