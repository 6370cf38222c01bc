// The ssh command line: fixed options first where they must win, the user's next, berth's
// defaults after them (ssh keeps the first value it reads for an option).
#include "remote/ssh_command.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::remote {

namespace {

// ssh names its master socket DIR/%C (40 hex digits) and first binds it as
// DIR/%C.XXXXXXXXXXXXXXXX: that must fit a socket address (107 bytes).
constexpr std::size_t kMaxControlDir = 107 - 1 - 40 - 17;

bool usable_control_dir(const std::string& dir) {
    if (dir.empty() || dir.front() != '/' || dir.size() > kMaxControlDir) return false;
    // ControlPath is read as a config line: no blanks or quotes; '%' starts a token.
    return std::none_of(dir.begin(), dir.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '%' ||
               c == '\\';
    });
}

std::string default_control_dir() {
    struct stat st {};
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    if (xdg && *xdg == '/' && ::stat(xdg, &st) == 0 && S_ISDIR(st.st_mode)) {
        std::string dir = std::string(xdg) + "/berth-ssh";
        if (usable_control_dir(dir)) return dir;
    }
    // $HOME only: berth is static, so getpwuid (NSS) is not an option.
    const char* home = std::getenv("HOME");
    std::string dir = std::string(home ? home : "") + "/.cache/berth/ssh";
    if (home && *home == '/' && usable_control_dir(dir)) return dir;
    // No $HOME, or one too long for socket names: a directory of this user's own in /tmp
    // (checked below like any other: someone else's is refused).
    return "/tmp/berth-ssh-" + std::to_string(::geteuid());
}

void check_option(const std::string& option) {
    std::size_t eq = option.find('=');
    bool ok =
        eq != std::string::npos && eq > 0 && std::isalpha(static_cast<unsigned char>(option[0]));
    for (std::size_t i = 0; ok && i < eq; ++i)
        ok = std::isalnum(static_cast<unsigned char>(option[i])) != 0;
    if (ok)
        ok = std::none_of(option.begin(), option.end(),
                          [](char c) { return c == '\n' || c == '\r' || c == '\0'; });
    if (!ok)
        throw InputError("ssh option '" + option +
                         "': write it as Key=Value (e.g. ProxyJump=bastion), one option a word");
}

} // namespace

std::string private_control_dir(const std::string& wanted) {
    std::string dir = wanted.empty() ? default_control_dir() : wanted;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (!usable_control_dir(dir))
        throw InputError("ssh control directory '" + dir +
                         "': it must be an absolute path of at most " +
                         std::to_string(kMaxControlDir) +
                         " characters without blanks, quotes, '%' or '\\' (ssh's socket names "
                         "go in it)");
    // The missing components, each private (mkdir does not follow a final symlink).
    for (std::size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
        std::string part = dir.substr(0, slash);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            throw InputError("ssh control directory " + part + ": " + std::strerror(errno));
        if (slash == std::string::npos) break;
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        throw InputError("ssh control directory " + dir + ": " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode))
        throw InputError("ssh control directory " + dir + ": not a directory (or a symlink)");
    if (st.st_uid != ::geteuid())
        throw InputError("ssh control directory " + dir + ": belongs to uid " +
                         std::to_string(st.st_uid) +
                         ", not to this user; the sockets of ssh connections need a private one");
    if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
        throw InputError("ssh control directory " + dir +
                         ": cannot make it private: " + std::strerror(errno));
    return dir;
}

std::string remote_command_line(const std::vector<std::string>& argv, bool sudo) {
    if (argv.empty()) throw InputError("no command to run over ssh");
    std::string line = sudo ? "sudo -n -- " : "";
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i) line += ' ';
        line += shell_quote(argv[i]);
    }
    return line;
}

std::vector<std::string> ssh_argv(const Destination& destination, const SshOptions& options,
                                  const std::string& control_dir,
                                  const std::vector<std::string>& argv) {
    // Never overridable: a password or host key prompt must fail, not hang; a terminal would
    // turn the JSON lines into "\r\n" lines and echo them.
    std::vector<std::string> out = {"ssh", "-o", "BatchMode=yes", "-o", "RequestTTY=no"};
    for (const auto& option : options.options) {
        check_option(option);
        out.insert(out.end(), {"-o", option});
    }
    long long connect = std::max<long long>(1, options.connect_timeout.count());
    long long persist = options.control_persist.count();
    out.insert(out.end(),
               {"-o", "ConnectTimeout=" + std::to_string(connect), "-o", "ControlMaster=auto", "-o",
                "ControlPath=" + control_dir + "/%C", "-o",
                // 0 would mean "forever" to ssh; "no": the master ends with its last session.
                "ControlPersist=" + (persist > 0 ? std::to_string(persist) + "s" : "no"), "-o",
                "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"});
    if (destination.port != 0) out.insert(out.end(), {"-p", std::to_string(destination.port)});
    out.insert(out.end(),
               {"--", destination.ssh_target(), remote_command_line(argv, options.sudo)});
    return out;
}

} // namespace berth::remote
