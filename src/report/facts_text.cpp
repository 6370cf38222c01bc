#include "report/facts_text.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

namespace berth::report {

using namespace host;

namespace {

struct Text {
    std::string out;
    void section(const std::string& title) { out += (out.empty() ? "" : "\n") + title + "\n"; }
    void line(const std::string& label, const std::string& value) {
        out += fmt::format("  {:<25} {}\n", label, value);
    }
};

std::string yes_no(bool b) {
    return b ? "yes" : "no";
}
std::string or_none(const std::string& s) {
    return s.empty() ? "(none)" : s;
}

template <class T> std::string opt(const std::optional<T>& v) {
    return v ? fmt::format("{}", *v) : "unknown";
}

std::string bytes_human(std::uint64_t b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    return u == 0 ? fmt::format("{} B", b) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string file_line(const FileFacts& f) {
    if (!f.exists)
        return f.link_target.empty() ? "missing"
                                     : "missing (dangling link to " + f.link_target + ")";
    std::string s = f.type;
    if (f.type == "file") s += fmt::format(", {} bytes", f.size);
    if (f.type == "directory") s += fmt::format(", {} entries", f.entries);
    if (f.certificates > 0) s += fmt::format(", {} certificates", f.certificates);
    if (!f.link_target.empty()) s += " -> " + f.link_target;
    return s;
}

void cpu_section(Text& t, const HostFacts& f) {
    t.section("CPU and kernel");
    t.line("architecture", f.cpu.arch);
    t.line("kernel", f.cpu.kernel_release);
    t.line("model", f.cpu.vendor + " " + f.cpu.model_name);
    t.line("logical CPUs", std::to_string(f.cpu.logical_cpus));
    if (f.cpu.arch == "x86_64") {
        std::string level =
            f.cpu.x86_64_level > 0 ? fmt::format("v{}", f.cpu.x86_64_level) : "below v1";
        if (!f.cpu.x86_64_next_level_missing.empty())
            level += " (next level lacks: " + join(f.cpu.x86_64_next_level_missing) + ")";
        t.line("x86-64 level", level);
        t.line("i386 programs",
               f.cpu.ia32_emulation.empty()
                   ? "unknown"
                   : f.cpu.ia32_emulation + " (" + f.cpu.ia32_emulation_evidence + ")");
    }
    if (f.cpu.arch == "aarch64") t.line("arm64 features", or_none(join(f.cpu.arm64_features)));
}

void libc_section(Text& t, const HostFacts& f) {
    t.section("C library");
    if (f.libc.glibc)
        t.line("glibc",
               (f.libc.glibc->release.empty() ? "release unknown" : f.libc.glibc->release) +
                   ", defines up to GLIBC_" + f.libc.glibc->defines_up_to + " (" +
                   f.libc.glibc->path + ")");
    else
        t.line("glibc", f.libc.glibc_error.empty() ? "not found" : f.libc.glibc_error);
    t.line("glibc loader", or_none(join(f.libc.glibc_loaders)));
    t.line("musl loader", or_none(join(f.libc.musl_loaders)));
    t.line("ld.so.cache", f.libc.ld_so_cache_present
                              ? fmt::format("{} format, {} entries", f.libc.ld_so_cache_format,
                                            f.libc.ld_so_cache_entries)
                              : "missing");
    t.line("ld.so.conf dirs", or_none(join(f.libc.ld_so_conf_dirs)));
    t.line("default lib dirs", or_none(join(f.libc.default_lib_dirs)));
}

void paths_section(Text& t, const HostFacts& f) {
    t.section("App paths");
    for (const auto& p : f.paths) {
        std::string head =
            p.path + (p.exists ? "" : "  (missing; nearest existing: " + p.examined + ")");
        t.line(p.role, head);
        t.line("  owner, mode", fmt::format("{}:{} {:04o} {}", p.uid, p.gid, p.mode, p.type));
        if (p.mount) {
            const auto& m = *p.mount;
            t.line("  mount", fmt::format("{} ({} from {}) {}", m.mount_point, m.fs_type, m.source,
                                          join(m.options, ",")));
        }
        if (p.space)
            t.line("  free",
                   fmt::format("{} of {}, {} of {} inodes", bytes_human(p.space->bytes_available),
                               bytes_human(p.space->bytes_total), p.space->inodes_available,
                               p.space->inodes_total));
        if (p.selinux_context) t.line("  SELinux context", *p.selinux_context);
    }
}

void security_section(Text& t, const HostFacts& f) {
    const auto& s = f.security;
    t.section("Security modules");
    std::string se = s.selinux.mode;
    if (!s.selinux.config_mode.empty())
        se += " (config: " + s.selinux.config_mode + ", " + or_none(s.selinux.config_type) + ")";
    t.line("SELinux", se);
    std::string aa = s.apparmor.enabled ? "enabled" : "disabled";
    if (s.apparmor.profiles_readable) {
        int enforce = 0, complain = 0;
        for (const auto& p : s.apparmor.profiles) {
            enforce += p.mode == "enforce";
            complain += p.mode == "complain";
        }
        aa += fmt::format(", {} profiles ({} enforce, {} complain)", s.apparmor.profiles.size(),
                          enforce, complain);
    }
    t.line("AppArmor", aa);
}

void time_section(Text& t, const HostFacts& f) {
    const auto& c = f.time.clock;
    t.section("Time");
    t.line("clock", c.read ? fmt::format("{} (state {}, estimated error {} us, max error {} us)",
                                         c.synchronized ? "synchronized" : "NOT synchronized",
                                         c.state_name, c.esterror_us, c.maxerror_us)
                           : "unknown");
    std::vector<std::string> daemons;
    for (const auto& d : f.time.daemons) daemons.push_back(fmt::format("{}[{}]", d.name, d.pid));
    t.line("time daemons", or_none(join(daemons)));
    t.line("time zone", f.time.zone.empty() ? "unknown" : f.time.zone);
}

void limits_section(Text& t, const HostFacts& f) {
    const auto& l = f.limits;
    t.section("Limits");
    const auto& n = l.systemd_default_nofile;
    t.line("DefaultLimitNOFILE", n.raw.empty() ? "(not set)"
                                               : n.raw + (n.set ? "" : " (default)") +
                                                     (n.source.empty() ? "" : " from " + n.source));
    t.line("fs.file-max", opt(l.fs_file_max));
    t.line("fs.nr_open", opt(l.fs_nr_open));
    t.line("net.core.somaxconn", opt(l.somaxconn));
    t.line("ip_local_port_range", opt(l.local_port_low) + " " + opt(l.local_port_high));
    t.line("tcp_max_syn_backlog", opt(l.tcp_max_syn_backlog));
    t.line("vm.overcommit_memory", opt(l.overcommit_memory));
    t.line("vm.swappiness", opt(l.swappiness));
}

void listen_section(Text& t, const HostFacts& f) {
    const auto& l = f.listen;
    t.section("Listening TCP sockets");
    if (l.port != 0)
        t.line("app listens on", fmt::format("{}:{} -> {}", l.address.empty() ? "*" : l.address,
                                             l.port, l.port_in_use ? "PORT IN USE" : "free"));
    for (const auto& s : l.listeners) {
        std::string who =
            s.pid ? fmt::format("{}[{}]", s.process, s.pid) : "uid " + std::to_string(s.uid);
        t.line(fmt::format("{}:{}", s.family == "ipv6" ? "[" + s.address + "]" : s.address, s.port),
               who + (s.conflicts ? "  (conflicts with the app)" : ""));
    }
}

void users_section(Text& t, const HostFacts& f) {
    const auto& u = f.users;
    t.section("Users");
    t.line("entries",
           fmt::format("{} in /etc/passwd, {} in /etc/group", u.passwd_entries, u.group_entries));
    if (u.user.empty()) return;
    if (!u.exists) {
        t.line("service user", u.user + " (missing)");
        return;
    }
    t.line("service user",
           fmt::format("{} uid {} gid {} ({})", u.user, u.uid, u.gid, or_none(u.primary_group)));
    t.line("home, shell", u.home + " " + u.shell);
    std::vector<std::string> groups;
    for (const auto& g : u.groups) groups.push_back(g.name);
    t.line("supplementary groups", or_none(join(groups)));
}

void systemd_section(Text& t, const HostFacts& f) {
    const auto& s = f.systemd;
    t.section("systemd");
    t.line("PID 1", s.pid1_comm + (s.pid1_is_systemd ? " (systemd)" : " (not systemd)"));
    t.line("booted with systemd", yes_no(s.booted));
    t.line("installed version",
           s.version
               ? fmt::format("{}{} ({})", s.version,
                             s.version_full.empty() ? "" : " = " + s.version_full, s.version_source)
               : "not found");
}

void files_section(Text& t, const HostFacts& f) {
    const auto& x = f.files;
    t.section("Files Go relies on");
    if (x.ca.ssl_cert_file) t.line("SSL_CERT_FILE", *x.ca.ssl_cert_file);
    if (x.ca.ssl_cert_dir) t.line("SSL_CERT_DIR", *x.ca.ssl_cert_dir);
    t.line("CA bundle Go loads",
           or_none(x.ca.go_bundle) + (x.ca.go_finds_roots ? "" : "  (NO root certificates found)"));
    for (const auto& c : x.ca.files)
        if (c.exists) t.line("  " + c.path, file_line(c));
    for (const auto& d : x.ca.dirs)
        if (d.exists) t.line("  " + d.path, file_line(d));
    for (const auto& z : x.zoneinfo_dirs) t.line(z.path, file_line(z));
    t.line("/etc/localtime", file_line(x.localtime) + (x.localtime_is_tzif ? ", TZif" : ""));
    t.line("/etc/nsswitch.conf",
           file_line(x.nsswitch) +
               (x.nsswitch_hosts.empty() ? "" : ", hosts: " + x.nsswitch_hosts));
    t.line("/etc/resolv.conf",
           file_line(x.resolv_conf) +
               (x.nameservers.empty() ? "" : ", nameservers " + join(x.nameservers)));
    t.line("/etc/hosts", file_line(x.hosts) + (x.hosts_has_localhost ? ", has localhost" : ""));
}

} // namespace

std::string host_facts_text(const HostFacts& f) {
    Text t;
    t.section("Host " + f.hostname + (f.root == "/" ? "" : " (files from " + f.root + ")"));
    t.line("collected at", f.collected_at);
    cpu_section(t, f);
    libc_section(t, f);
    paths_section(t, f);
    security_section(t, f);
    time_section(t, f);
    limits_section(t, f);
    listen_section(t, f);
    users_section(t, f);
    systemd_section(t, f);
    files_section(t, f);
    if (!f.notes.empty()) {
        t.section("Notes");
        for (const auto& n : f.notes) t.out += "  " + n + "\n";
    }
    return t.out;
}

std::string library_facts_text(const std::string& binary, const facts::LibraryFacts& libraries) {
    Text t;
    t.section("Libraries of " + binary);
    t.line("interpreter",
           libraries.interpreter.empty()
               ? "(none)"
               : libraries.interpreter + (libraries.interpreter_found ? "" : " (NOT FOUND)"));
    t.line("not found", libraries.missing.empty() ? "(none)" : join(libraries.missing, " "));
    for (const auto& v : libraries.missing_versions)
        t.line("version missing",
               v.version + " in " + v.provider + " (required by " + v.object + ")");
    return "\n" + t.out;
}

} // namespace berth::report
