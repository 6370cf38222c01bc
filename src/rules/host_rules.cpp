// Rules about the host (H2xx): the thresholds a service meets before its first request. Each
// rule is a pure function of CheckInput; its code and explanation sit beside it.
#include "rules/check_input.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace berth::rules {

namespace {

using Out = std::vector<Finding>;

const host::PathFacts* path_of(const CheckInput& in, const std::string& role) {
    for (const auto& p : in.host.paths)
        if (p.role == role) return &p;
    return nullptr;
}

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

void no_ca_bundle(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (in.host.files.ca.go_finds_roots) return;
    if (p && p->tls_client.present) return; // B114 says it as an error
    std::vector<std::string> looked;
    for (const auto& f : in.host.files.ca.files) looked.push_back(f.path);
    out.push_back(finding(code, "no CA bundle: Go's TLS clients will trust nothing",
                          "looked for: " + join(looked, " "),
                          "apt install ca-certificates (RHEL: dnf install ca-certificates)"));
}

void no_tzdata(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (host_has_zoneinfo(in.host)) return;
    if (p && (p->tzdata_embedded.present || p->timezone_loading.present)) return; // B115
    std::vector<std::string> looked;
    for (const auto& f : in.host.files.zoneinfo_dirs) looked.push_back(f.path);
    out.push_back(finding(code, "no tzdata on the host", "no zoneinfo in: " + join(looked, " "),
                          "apt install tzdata, or embed it: import _ \"time/tzdata\""));
}

void resolver_pitfalls(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& b = in.binary;
    const auto& files = in.host.files;
    if (!b.go) return; // cgo and netgo come from the build settings
    if (!files.resolv_conf.exists)
        out.push_back(finding(code, "no /etc/resolv.conf: Go's resolver will ask 127.0.0.1:53",
                              "/etc/resolv.conf missing",
                              "provide /etc/resolv.conf (systemd-resolved, or the network's "
                              "DNS servers)"));
    const bool cgo = b.go_setting("CGO_ENABLED") == "1";
    const std::string tags = b.go_setting("-tags");
    const bool netgo = !cgo || tags.find("netgo") != std::string::npos;
    if (cgo && b.elf.linkage.kind == "static" && b.elf.linkage.libc == "glibc" && !netgo)
        out.push_back(
            finding(code, "static glibc build with the cgo resolver: NSS modules can't be loaded",
                    "CGO_ENABLED=1, statically linked against glibc, no netgo tag",
                    "build with -tags netgo,osusergo (pure Go resolver and user lookups) or "
                    "CGO_ENABLED=0"));
    // Go's own resolver understands only "files" and "dns" in nsswitch.conf's hosts line.
    if (netgo && files.nsswitch.exists && !files.nsswitch_hosts.empty()) {
        std::vector<std::string> other;
        std::string word;
        for (char c : files.nsswitch_hosts + " ") {
            if (c == ' ' || c == '\t') {
                if (!word.empty() && word != "files" && word != "dns" && word.front() != '[')
                    other.push_back(word);
                word.clear();
            } else {
                word += c;
            }
        }
        if (!other.empty())
            out.push_back(finding(
                code, "pure Go resolver on a host whose nsswitch.conf uses " + join(other, ", "),
                "hosts: " + files.nsswitch_hosts + "; the binary has no cgo resolver",
                "names served by " + join(other, ", ") +
                    " won't resolve: build with cgo (CGO_ENABLED=1, no netgo tag), or put "
                    "those names in DNS or /etc/hosts"));
    }
}

void noexec_or_readonly(const CheckInput& in, const CodeInfo& code, Out& out, bool noexec) {
    for (const char* role : {"install", "log"}) {
        const host::PathFacts* p = path_of(in, role);
        if (!p || !p->mount) continue;
        if (noexec && std::string(role) == "install" && p->mount->noexec)
            out.push_back(finding(
                code, p->path + " is on a noexec mount: the binary can't be executed",
                fmt::format("{} mounted at {} ({}) with {}", p->examined, p->mount->mount_point,
                            p->mount->fs_type, join(p->mount->options, ",")),
                fmt::format("install elsewhere (install_dir in berth.yaml), or remount: "
                            "mount -o remount,exec {}",
                            p->mount->mount_point)));
        if (!noexec && p->mount->read_only)
            out.push_back(finding(
                code, p->path + " is on a read-only mount",
                fmt::format("{} mounted at {} ({}) with {}", p->examined, p->mount->mount_point,
                            p->mount->fs_type, join(p->mount->options, ",")),
                fmt::format("choose a writable {} directory, or mount -o remount,rw {}", role,
                            p->mount->mount_point)));
    }
}

void noexec_mount(const CheckInput& in, const CodeInfo& code, Out& out) {
    noexec_or_readonly(in, code, out, true);
}

void readonly_mount(const CheckInput& in, const CodeInfo& code, Out& out) {
    noexec_or_readonly(in, code, out, false);
}

// Whether the service user may access a path with permission bit `bit` (1 exec, 2 write).
bool user_may(const host::UsersFacts& u, const host::PathFacts& p, unsigned bit) {
    if (u.uid == 0) return bit != 1 || (p.mode & 0111); // root: exec needs any x bit
    if (p.uid == u.uid) return p.mode & (bit << 6);
    bool in_group =
        p.gid == u.gid || std::any_of(u.groups.begin(), u.groups.end(),
                                      [&](const host::GroupRef& g) { return g.gid == p.gid; });
    if (in_group) return p.mode & (bit << 3);
    return p.mode & bit;
}

void binary_not_executable(const CheckInput& in, const CodeInfo& code, Out& out) {
    const host::PathFacts* p = path_of(in, "binary");
    if (!p || !p->exists || p->type != "file") return;
    const auto& u = in.host.users;
    bool for_user = !in.intent.user.empty() && u.exists;
    bool ok = for_user ? user_may(u, *p, 1) : (p->mode & 0111) != 0;
    if (ok) return;
    std::string who = for_user ? "user " + u.user : "anyone";
    out.push_back(finding(code, p->path + " is not executable for " + who,
                          fmt::format("mode {:04o}, owner {}:{}", p->mode & 07777, p->uid, p->gid),
                          "chmod 0755 " + p->path));
}

// SELinux types systemd (init_t) may execute as a service binary.
bool executable_selinux_type(const std::string& context) {
    // user:role:type:level
    std::size_t a = context.find(':'), b = a == std::string::npos ? a : context.find(':', a + 1);
    if (b == std::string::npos) return true; // not a context we understand: don't guess
    std::size_t c = context.find(':', b + 1);
    std::string type = context.substr(b + 1, c == std::string::npos ? c : c - b - 1);
    return type == "bin_t" || type == "usr_t" || type == "lib_t" || type == "shell_exec_t" ||
           type.ends_with("_exec_t");
}

void selinux_label(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& se = in.host.security.selinux;
    if (!se.present || se.mode != "enforcing") return;
    for (const char* role : {"binary", "install"}) {
        const host::PathFacts* p = path_of(in, role);
        if (!p || !p->selinux_context || executable_selinux_type(*p->selinux_context)) continue;
        out.push_back(
            finding(code,
                    fmt::format("SELinux enforcing and {} is labelled {}: systemd can't execute it "
                                "(status=203/EXEC)",
                                p->examined, *p->selinux_context),
                    "SELinux mode enforcing; security.selinux of " + p->examined + " = " +
                        *p->selinux_context,
                    fmt::format("semanage fcontext -a -t bin_t '{}(/.*)?' && restorecon -Rv {}",
                                in.intent.install_dir, in.intent.install_dir)));
        return;
    }
}

void apparmor_profile(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& aa = in.host.security.apparmor;
    if (!aa.enabled) return;
    const std::string& dir = in.intent.install_dir;
    for (const auto& prof : aa.profiles) {
        if (prof.mode != "enforce") continue;
        bool covers = prof.name.starts_with(dir + "/") || prof.name == dir ||
                      (!prof.name.empty() && prof.name.back() == '*' &&
                       dir.starts_with(prof.name.substr(0, prof.name.size() - 1)));
        if (!covers) continue;
        out.push_back(finding(code, "an AppArmor profile in enforce mode covers " + dir,
                              "profile " + prof.name + " (" + prof.mode + ")",
                              "check that the profile allows the service's files and network, or "
                              "aa-complain " +
                                  prof.name + " while testing"));
    }
}

void clock_unsynchronised(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& c = in.host.time.clock;
    if (!c.read || c.synchronized) return;
    out.push_back(finding(code, "the system clock is not synchronised",
                          fmt::format("adjtimex state {} (status {:#x}), estimated error {} us",
                                      c.state_name, c.status, c.esterror_us),
                          "enable a time daemon: systemctl enable --now systemd-timesyncd "
                          "(or chronyd)"));
}

void no_time_daemon(const CheckInput& in, const CodeInfo& code, Out& out) {
    if (!in.host.time.daemons.empty()) return;
    out.push_back(finding(code, "no time daemon is running",
                          "none of chronyd, systemd-timesyncd, ntpd, openntpd, ptp4l in /proc",
                          "apt install systemd-timesyncd (or chrony) and enable it"));
}

void nofile_limit(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& lim = in.host.limits;
    const std::uint64_t need = in.intent.nofile;
    // fs.nr_open is the running kernel's: under --root it says nothing of the image's host.
    if (running_system_known(in.host) && lim.fs_nr_open && *lim.fs_nr_open < need) {
        Finding f = finding(code,
                            fmt::format("fs.nr_open {} is below the {} file descriptors the "
                                        "service needs",
                                        *lim.fs_nr_open, need),
                            fmt::format("fs.nr_open = {}", *lim.fs_nr_open),
                            fmt::format("sysctl -w fs.nr_open={} (and in /etc/sysctl.d/)", need));
        f.severity = Severity::error;
        out.push_back(f);
    }
    if (in.unit_nofile) {
        if (*in.unit_nofile >= need) return;
        out.push_back(
            finding(code,
                    fmt::format("the unit gives the service {} file descriptors, it needs {}",
                                *in.unit_nofile, need),
                    fmt::format("LimitNOFILE={} in the unit", *in.unit_nofile),
                    fmt::format("LimitNOFILE={} in the unit", need)));
        return;
    }
    const auto& d = lim.systemd_default_nofile;
    // Unset: systemd's built-in default soft limit is 1024.
    std::uint64_t soft = d.set ? (d.soft ? *d.soft : UINT64_MAX) : 1024;
    if (soft >= need) return;
    out.push_back(
        finding(code,
                fmt::format("services get {} file descriptors by default, the service needs {}",
                            soft, need),
                d.set ? fmt::format("DefaultLimitNOFILE={} in {}", d.raw, d.source)
                      : "DefaultLimitNOFILE not set: systemd's default soft limit is 1024",
                fmt::format("LimitNOFILE={} in the unit (berth unit generate sets it)", need)));
}

void somaxconn_low(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& s = in.host.limits.somaxconn;
    if (in.intent.listen_port == 0 || !s || *s >= in.intent.min_somaxconn) return;
    out.push_back(
        finding(code,
                fmt::format("net.core.somaxconn is {}: bursts of connections are "
                            "dropped",
                            *s),
                fmt::format("net.core.somaxconn = {} (want {})", *s, in.intent.min_somaxconn),
                fmt::format("sysctl -w net.core.somaxconn={} and persist it in "
                            "/etc/sysctl.d/",
                            in.intent.min_somaxconn)));
}

void port_in_use(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& l = in.host.listen;
    if (l.port == 0) return;
    for (const auto& s : l.listeners) {
        // The app's own running service: its restart frees the port.
        if (!s.conflicts || s.unit == in.intent.name + ".service") continue;
        std::string who =
            s.pid ? fmt::format("{} (pid {})", s.process, s.pid) : fmt::format("uid {}", s.uid);
        out.push_back(
            finding(code, fmt::format("port {} is already in use", l.port),
                    fmt::format("{} listens on {}:{}", who, s.address, s.port),
                    "stop the other service, or choose another port (listen in berth.yaml)"));
        return;
    }
}

void low_space(const CheckInput& in, const CodeInfo& code, Out& out) {
    for (const char* role : {"install", "log"}) {
        const host::PathFacts* p = path_of(in, role);
        if (!p || !p->space) continue;
        const auto& s = *p->space;
        if (s.bytes_available < in.intent.min_free_bytes)
            out.push_back(finding(
                code, fmt::format("only {} free for {}", mib(s.bytes_available), p->path),
                fmt::format("{}: {} available of {} (want {})", p->examined, mib(s.bytes_available),
                            mib(s.bytes_total), mib(in.intent.min_free_bytes)),
                "free space (old releases: /opt/APP/releases, journal: journalctl "
                "--vacuum-size=500M), or lower min_free_mb in berth.yaml"));
        else if (s.inodes_total > 0 && s.inodes_available < 1000)
            out.push_back(finding(
                code, fmt::format("only {} inodes free for {}", s.inodes_available, p->path),
                fmt::format("{}: {} of {} inodes available", p->examined, s.inodes_available,
                            s.inodes_total),
                "remove many small files (caches, old logs)"));
    }
}

void user_missing(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& u = in.host.users;
    if (in.intent.user.empty() || u.exists) return;
    out.push_back(
        finding(code, "service user " + in.intent.user + " does not exist",
                fmt::format("no {} in /etc/passwd ({} entries)", in.intent.user, u.passwd_entries),
                fmt::format("useradd --system --no-create-home --shell /usr/sbin/nologin {} (or "
                            "DynamicUser=yes in the unit)",
                            in.intent.user)));
}

void log_dir_not_writable(const CheckInput& in, const CodeInfo& code, Out& out) {
    const host::PathFacts* p = path_of(in, "log");
    const auto& u = in.host.users;
    if (!p || !p->exists || in.intent.user.empty() || !u.exists) return;
    if (user_may(u, *p, 2) && user_may(u, *p, 1)) return;
    out.push_back(finding(code, p->path + " is not writable for " + u.user,
                          fmt::format("mode {:04o}, owner {}:{}; user {} uid {} gid {}",
                                      p->mode & 07777, p->uid, p->gid, u.user, u.uid, u.gid),
                          fmt::format("chown {}: {} (or LogsDirectory= in the unit, which "
                                      "systemd creates with the right owner)",
                                      u.user, p->path)));
}

void no_systemd(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& s = in.host.systemd;
    // Under --root only the image's files say anything: is systemd installed there.
    const bool running = running_system_known(in.host);
    if (running ? s.pid1_is_systemd : s.version != 0) return;
    if (!running) {
        out.push_back(finding(code, "systemd is not installed in the image",
                              "no libsystemd-shared-NNN.so under " + in.host.root +
                                  "/usr/lib/systemd or /lib/systemd",
                              "install systemd in the image (apt install systemd systemd-sysv): "
                              "the service runs as a systemd unit (berth unit generate)"));
        return;
    }
    out.push_back(
        finding(code,
                s.version == 0 ? "systemd is not installed"
                               : "systemd is installed but not running as PID 1",
                fmt::format("PID 1 is {}; systemd version {}",
                            s.pid1_comm.empty() ? "unknown" : s.pid1_comm,
                            s.version == 0 ? "none" : std::to_string(s.version)),
                "run the service on a host booted with systemd: it runs as a systemd unit "
                "(berth unit generate)"));
}

} // namespace

const std::vector<Rule>& host_rules() {
    static const std::vector<Rule> rules = {
        {{"H201", Severity::warning, "No CA bundle on the host",
          "Go's crypto/x509 loads root certificates from a fixed list of files "
          "(/etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, ...) and "
          "directories, or SSL_CERT_FILE/SSL_CERT_DIR. With none, every HTTPS call fails with "
          "`x509: certificate signed by unknown authority`. Install ca-certificates. (When the "
          "binary is known to make TLS connections, B114 reports this as an error.)"},
         kSystemFiles,
         no_ca_bundle},
        {{"H202", Severity::warning, "No tzdata on the host",
          "time.LoadLocation reads /usr/share/zoneinfo; minimal images lack it, and then "
          "`unknown time zone` errors appear at run time. Install tzdata or embed it with "
          "`import _ \"time/tzdata\"`. (When the binary is known to load time zones, B115 "
          "reports this as an error.)"},
         kSystemFiles,
         no_tzdata},
        {{"H203", Severity::warning, "Name resolution pitfall for this build",
          "Go resolves names either with its own resolver (which reads only /etc/hosts, "
          "/etc/resolv.conf and the `files dns` part of nsswitch.conf) or through glibc (cgo). "
          "A pure Go build on a host that resolves names through mdns, LDAP, sss or "
          "systemd-resolved's nss module sees other answers; a static glibc build can't load "
          "NSS modules at all; a host without /etc/resolv.conf sends DNS to 127.0.0.1:53."},
         kSystemFiles,
         resolver_pitfalls},
        {{"H204", Severity::error, "Install directory on a noexec mount",
          "The kernel refuses to execute files on a file system mounted noexec: systemd reports "
          "status=203/EXEC and `Permission denied` although the file mode allows it. Install "
          "under a mount without noexec (set install_dir), or remount with exec."},
         kRunningSystem,
         noexec_mount},
        {{"H205", Severity::error, "Install or log directory on a read-only mount",
          "A release can't be unpacked, and logs can't be written, on a read-only file system. "
          "Choose writable directories or remount read-write."},
         kRunningSystem,
         readonly_mount},
        {{"H206", Severity::error, "Binary not executable for the service user",
          "The file mode does not give the service user execute permission (owner, group or "
          "other x bit, whichever applies). systemd reports status=203/EXEC. chmod 0755 the "
          "binary."},
         kSystemFiles,
         binary_not_executable},
        {{"H207", Severity::error, "SELinux label systemd can't execute",
          "With SELinux enforcing, systemd (init_t) may only execute files of executable types "
          "such as bin_t. A binary copied from a home directory keeps user_home_t (or "
          "admin_home_t, tmp_t) and the start fails with status=203/EXEC and an AVC denial. "
          "Label the install directory: `semanage fcontext -a -t bin_t '/opt/APP(/.*)?' && "
          "restorecon -Rv /opt/APP`."},
         kRunningSystem,
         selinux_label},
        {{"H208", Severity::warning, "AppArmor profile in enforce mode covers the install path",
          "An AppArmor profile attached to the binary's path restricts its files, network and "
          "capabilities; a profile written for another program version can deny what the new "
          "release needs. Check the profile, or put it in complain mode while testing."},
         kRunningSystem,
         apparmor_profile},
        {{"H209", Severity::warning, "System clock not synchronised",
          "adjtimex() reports the clock as unsynchronised. Drift breaks TLS (certificates "
          "`not yet valid`), token expiry, and log correlation. Enable a time daemon "
          "(systemd-timesyncd or chronyd)."},
         kRunningSystem,
         clock_unsynchronised},
        {{"H210", Severity::warning, "No time daemon running",
          "No chronyd, systemd-timesyncd, ntpd, openntpd or ptp4l process is running: nothing "
          "keeps the clock right. Install and enable one."},
         kRunningSystem,
         no_time_daemon},
        {{"H211", Severity::warning, "File descriptor limit below the service's need",
          "systemd starts services with DefaultLimitNOFILE (soft 1024 unless configured): a Go "
          "server with many connections hits `too many open files`. Set LimitNOFILE= in the "
          "unit (berth unit generate does). When the unit is known (`berth deploy` judges the "
          "unit it installs), its own LimitNOFILE= is what counts, not the default. If "
          "fs.nr_open is below the need, no unit setting can raise the limit that high "
          "(error)."},
         kSystemFiles,
         nofile_limit},
        {{"H212", Severity::warning, "net.core.somaxconn below the wanted listen backlog",
          "The kernel caps every listen backlog at net.core.somaxconn (4096 by default since "
          "Linux 5.4, 128 before). A low cap drops connection bursts. Raise it with sysctl and "
          "persist it in /etc/sysctl.d/."},
         kRunningSystem,
         somaxconn_low},
        {{"H213", Severity::error, "Listen port already in use",
          "Another socket listens on the app's port with an overlapping address: the service "
          "fails with `bind: address already in use`. Stop the other service or change the "
          "port."},
         kRunningSystem,
         port_in_use},
        {{"H214", Severity::error, "Not enough free space or inodes",
          "The install or log directory's file system has less free space than configured "
          "(min_free_mb, 1024 MiB by default) or almost no free inodes: releases can't be "
          "unpacked and logs stop. Free space or lower the threshold."},
         kRunningSystem,
         low_space},
        {{"H215", Severity::error, "Service user missing",
          "The unit runs the service as a user that /etc/passwd does not have: systemd fails "
          "with status=217/USER. Create it (`useradd --system --no-create-home --shell "
          "/usr/sbin/nologin USER`) or use DynamicUser=yes."},
         kSystemFiles,
         user_missing},
        {{"H216", Severity::error, "Log directory not writable for the service user",
          "The log directory exists but the service user can't create files in it. chown it to "
          "the user, or let systemd manage it with LogsDirectory= (berth's units do)."},
         kSystemFiles,
         log_dir_not_writable},
        {{"H217", Severity::error, "No systemd",
          "The service runs as a systemd unit (`berth unit generate` writes it); a host without "
          "systemd as PID 1 (a container, another init) can't run it. Use a host booted with "
          "systemd."},
         kSystemFiles,
         no_systemd},
    };
    return rules;
}

bool host_has_zoneinfo(const host::HostFacts& h) {
    return std::any_of(h.files.zoneinfo_dirs.begin(), h.files.zoneinfo_dirs.end(),
                       [](const host::FileFacts& f) { return f.exists && f.entries > 0; });
}

} // namespace berth::rules
