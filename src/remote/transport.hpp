#pragma once
// The transport: where berth's host-side steps run. A command goes in as an argv; its exit
// status and output come out. Two implementations: this machine (local), and a host reached
// with the system OpenSSH client (users' ssh_config, agents, jump hosts and known_hosts work as
// they do for `ssh`). Nothing here knows what the commands mean: deploy/ speaks through it.
//
// Over ssh a command line is a string the remote shell reads. Every word is quoted for a POSIX
// shell, so spaces, quotes, ';', '$(...)' and newlines in a word stay one literal word (the login
// shell must be a POSIX one, or fish/zsh); callers still keep user-given values off command lines
// (they travel on stdin).
//
// Errors: TransportError for the transport's own failures (one line, naming the place and what
// to do); a command that ran and failed is not one: its status and stderr are in RunResult.
// Over ssh, status 255 is taken to be ssh's own failure: commands sent must not exit 255.
// The children run in a process group of their own (the terminal's Ctrl-C reaches berth only,
// which can then still roll back over the same connection).
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
    // As a person writes it, and as parse_destination reads back: "user@host:2222", "[::1]".
    std::string text() const;
};

// Throws InputError for a malformed destination, or one ssh could read as an option ("-oProxy…")
// or that holds characters no host name or user name has.
Destination parse_destination(const std::string& text);

struct SshOptions {
    // Extra "-o Key=Value" values (berth.yaml `ssh:`), each one Key=Value word. They come after
    // BatchMode=yes and RequestTTY=no (which they cannot change) and before berth's other
    // options (which they can: ssh keeps the first value it reads).
    std::vector<std::string> options;
    std::chrono::seconds connect_timeout{10};
    // A private 0700 directory for the multiplexed connections' sockets (ControlPath); created
    // when missing. "" = $XDG_RUNTIME_DIR/berth-ssh, else $HOME/.cache/berth/ssh, else (no
    // $HOME, or a path too long for a socket name: 49 characters at most) /tmp/berth-ssh-UID.
    std::string control_dir;
    // The master stays this long after the last use (0: it ends with its last session).
    std::chrono::seconds control_persist{60};
    bool sudo = false; // run every command through `sudo -n` (the login user is not root)
};

// The result of a finished command.
struct RunResult {
    int status = -1; // exit status, or 128 + signal
    std::string out; // stdout
    std::string err; // stderr
};

// A command still running, spoken to through its stdin and stdout: deploy's host-side berth
// answers one JSON line per request on it for the whole deploy.
class Session {
  public:
    virtual ~Session() = default;
    // Writes to its stdin, reading its stdout and stderr meanwhile (kept for read_line and
    // finish: no deadlock when it answers while it reads). Waits while it reads nothing, for
    // 2 minutes at most (then kills it; over ssh a dead connection ends sooner, within 15 s:
    // ServerAliveInterval 5 x 3). Throws TransportError when it is gone (exited, the connection
    // cut), with ssh's reason when ssh failed, else its exit status and last stderr line.
    virtual void write(std::string_view bytes) = 0;
    // Copies `size` bytes of the open file `fd` (from its offset) to its stdin, calling
    // `progress(sent)` after each MiB and at the end. splice(2) from a regular file: the bytes do
    // not pass through berth. Throws TransportError as write() (also when the file ends early).
    virtual void write_file(int fd, std::uint64_t size,
                            const std::function<void(std::uint64_t)>& progress) = 0;
    // The next line of its stdout without the "\n" (a last line without one counts), waiting
    // at most `timeout`. nullopt: its stdout ended (the command exited or the connection was
    // cut: call finish(), which says which). Throws TransportError on a timeout or a line over
    // 16 MiB (the command is then killed; the message quotes its last stderr line).
    virtual std::optional<std::string> read_line(std::chrono::milliseconds timeout) = 0;
    // As read_line, but after `slice` with nothing to read it returns `none` and leaves the
    // command running: for a caller that looks at something else between waits (a ^C).
    enum class Poll { line, end, none };
    virtual Poll poll_line(std::string& line, std::chrono::milliseconds slice) = 0;
    // Closes its stdin, waits at most `timeout` for it to exit (then kills it: status 137) and
    // returns its exit status, the stdout no read_line took, and its stderr (the last 1 MiB).
    // Over ssh, throws TransportError when ssh itself failed (255) or sudo refused, as run().
    // A Session dropped without finish() closes its stdin and kills it after 200 ms.
    virtual RunResult finish(std::chrono::milliseconds timeout) = 0;
};

class Transport {
  public:
    virtual ~Transport() = default;
    // "this machine" or the destination's text: for messages.
    virtual std::string where() const = 0;
    // Runs `argv` there to the end, with `input` on its stdin, killed after `timeout`.
    // Throws TransportError when it cannot be started, on a timeout, on more than 64 MiB of
    // stdout, or (ssh) when ssh itself fails (exit 255: unreachable, host key, authentication)
    // or sudo refuses, with the reason. stderr: the last 1 MiB.
    virtual RunResult run(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds timeout) = 0;
    // Starts `argv` there with its stdin and stdout as a session. `sudo` of the options applies.
    // Throws TransportError only when it cannot be started at all: over ssh, a failure to
    // connect shows as the end of its stdout, then finish() throws ssh's reason.
    virtual std::unique_ptr<Session> start(const std::vector<std::string>& argv) = 0;
};

// Commands run as child processes of berth on this machine.
std::unique_ptr<Transport> local_transport();
// Commands run through `ssh` (BatchMode=yes, ConnectTimeout, one multiplexed connection per
// host). Throws InputError when the control directory cannot be made private or an option is
// not one Key=Value word.
std::unique_ptr<Transport> ssh_transport(const Destination& destination, const SshOptions& options);

// One word quoted for a POSIX shell: 'it'\''s'. Safe for any bytes but NUL (refused: InputError).
std::string shell_quote(std::string_view word);

} // namespace berth::remote
