// ssh's and sudo's failures as one line each: what happened, where, what to do. The texts
// matched are OpenSSH's and sudo's own (ssh.c/sshconnect.c, sudo's plugins), in English: ssh
// does not translate, and sudo runs with the remote login's locale, which sshd does not set
// unless the client sends LANG (then an unmatched sudo refusal reads as the command's exit 1).
#include "remote/ssh_command.hpp"

#include "util/strings.hpp"
#include "util/subprocess.hpp"

namespace berth::remote {

namespace {

bool has(std::string_view text, std::string_view what) {
    return text.find(what) != std::string_view::npos;
}

// The first line of `err` that holds `what` (trimmed), or "".
std::string line_with(std::string_view err, std::string_view what) {
    for (const auto& line : split_lines(err))
        if (has(line, what)) return std::string(trim(line));
    return {};
}

std::string user_text(const Destination& d) {
    return d.user.empty() ? "ssh's default user" : d.user;
}

std::string host_key_changed(const Destination& d, std::string_view err) {
    // "Offending ED25519 key in /root/.ssh/known_hosts:3"
    std::string offending = line_with(err, "Offending ");
    std::string where_recorded;
    if (std::size_t in = offending.find(" key in "); in != std::string::npos) {
        std::string_view file_line = std::string_view(offending).substr(in + 8);
        std::size_t colon = file_line.rfind(':');
        if (colon != std::string_view::npos)
            where_recorded = " (line " + std::string(file_line.substr(colon + 1)) + " of " +
                             std::string(file_line.substr(0, colon)) + ")";
        else
            where_recorded = " (in " + std::string(file_line) + ")";
    }
    std::string fingerprint;
    std::size_t fp = err.find("SHA256:");
    if (fp != std::string_view::npos) {
        std::string_view s = err.substr(fp);
        fingerprint = std::string(trim(s.substr(0, s.find_first_of(" \n"))));
        if (!fingerprint.empty() && fingerprint.back() == '.') fingerprint.pop_back();
    }
    std::string remove = line_with(err, "ssh-keygen -f ");
    return "the host key of " + d.text() + " is not the one known_hosts records for it" +
           where_recorded +
           " (REMOTE HOST IDENTIFICATION HAS CHANGED): if the host was reinstalled, check that "
           "its new key is " +
           (fingerprint.empty() ? "genuine" : fingerprint) + " and remove the old line" +
           (remove.empty() ? "" : " (" + remove + ")") +
           "; otherwise someone may be intercepting the connection";
}

std::string host_key_unknown(const Destination& d) {
    std::string scan = "ssh-keyscan " + (d.port ? "-p " + std::to_string(d.port) + " " : "") +
                       d.host + " >> ~/.ssh/known_hosts";
    return "host key verification of " + d.text() +
           " failed: its key is not in known_hosts and ssh cannot ask (BatchMode); check the "
           "host's fingerprint and add its key (" +
           scan + ", then compare ssh-keygen -lf ~/.ssh/known_hosts), or connect once with ssh";
}

std::string auth_refused(const Destination& d, std::string_view line) {
    std::string user = user_text(d);
    return d.text() + " refused the login as " + user + " (" + std::string(line) +
           "): check that ssh offers the right key (ssh-add -l, or IdentityFile in ~/.ssh/config "
           "or berth.yaml ssh:) and that its public key is in ~" +
           (d.user.empty() ? "USER" : d.user) +
           "/.ssh/authorized_keys on the host; BatchMode is on, so no password is asked";
}

std::optional<std::string> unreachable(const Destination& d, const SshOptions& options,
                                       std::string_view err) {
    static constexpr std::string_view kSigns[] = {
        "ssh: connect to host",
        "ssh: Could not resolve hostname",
        "Connection timed out during banner exchange",
        "kex_exchange_identification:",
        "Connection closed by",
        "Connection reset by",
        "Network is unreachable",
        "No route to host",
    };
    std::string line;
    for (std::string_view sign : kSigns)
        if (line = line_with(err, sign); !line.empty()) break;
    if (line.empty()) return std::nullopt;
    std::string hint;
    if (has(line, "Connection refused"))
        hint = "is sshd running there, and is the port right?";
    else if (has(line, "Could not resolve hostname"))
        hint = "check the host name (or its Host entry in ~/.ssh/config)";
    else if (has(line, "timed out") || has(line, "No route") || has(line, "unreachable"))
        hint = "no answer within ConnectTimeout " +
               std::to_string(options.connect_timeout.count()) +
               " s: is the host up, and does a firewall let ssh through?";
    else
        hint = "the connection was closed before login: sshd refused it (MaxStartups, "
               "AllowUsers, a firewall or fail2ban?)";
    return "cannot reach " + d.text() + ": " + line + "; " + hint;
}

std::optional<std::string> sudo_refused(const Destination& d, const RunResult& r) {
    if (r.status == 127 && (has(r.err, "sudo: command not found") || has(r.err, "sudo: not found")))
        return "sudo is not installed on " + d.text() + " (" + last_line(r.err) +
               "): install it, or log in as root";
    if (r.status != 1) return std::nullopt;
    static constexpr std::string_view kSigns[] = {
        "sudo: a password is required", "is not in the sudoers file",
        "not allowed to execute",       "may not run sudo",
        "sudo: a terminal is required",
    };
    std::string line;
    for (std::string_view sign : kSigns)
        if (line = line_with(r.err, sign); !line.empty()) break;
    if (line.empty()) return std::nullopt;
    return "sudo on " + d.text() + " refused to run berth's command as root without a password (" +
           line + "): let " + (d.user.empty() ? "the deploy user" : d.user) +
           " run it with NOPASSWD (e.g. '" + (d.user.empty() ? "USER" : d.user) +
           " ALL=(root) NOPASSWD: ALL' in /etc/sudoers.d/berth, written with visudo), or log "
           "in as root";
}

} // namespace

std::optional<std::string> ssh_failure(const Destination& d, const SshOptions& options,
                                       const RunResult& r) {
    if (options.sudo)
        if (auto m = sudo_refused(d, r)) return m;
    if (r.status != 255) return std::nullopt;
    const std::string& err = r.err;
    if (has(err, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        has(err, "has changed and you have requested strict checking"))
        return host_key_changed(d, err);
    if (has(err, "Host key verification failed")) return host_key_unknown(d);
    if (std::string line = line_with(err, "Permission denied ("); !line.empty())
        return auth_refused(d, line);
    if (std::string line = line_with(err, "Too many authentication failures"); !line.empty())
        return auth_refused(d, line);
    if (auto m = unreachable(d, options, err)) return m;
    std::string last = last_line(err);
    if (last.empty())
        return "ssh to " + d.text() +
               " ended with status 255 and no message: the connection was cut, or the remote "
               "command was killed by a signal";
    if (last.size() > 300) last = last.substr(0, 300) + "...";
    return "ssh to " + d.text() + " failed (status 255): " + last;
}

} // namespace berth::remote
