// `berth facts --json` on this machine, cross-checked against the reference tools (getconf,
// sysctl, findmnt, stat, ss, getent), and in situations the test makes as root: a noexec tmpfs
// as install dir, a port bound by the test, a missing user, --root trees without CA bundle or
// tzdata, with an old glibc, with musl. Mounts and sockets are undone by RAII even on failure.
#include "host/host_facts.hpp"
#include "host/host_facts_json.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace berth::test;
using berth::host::HostFacts;
namespace fs = std::filesystem;

namespace {

// Runs `berth facts --json ARGS`, checks the output round-trips exactly through HostFacts.
HostFacts facts(std::vector<std::string> args, nlohmann::json* raw = nullptr) {
    std::vector<std::string> argv = {berth_exe(), "facts", "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult r = run(argv);
    EXPECT_EQ(r.status, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    HostFacts f = berth::host::host_facts_from_json(j);
    EXPECT_EQ(berth::host::host_facts_to_json(f), j);
    EXPECT_EQ(berth::host::host_facts_to_json(f).dump(2) + "\n", r.out);
    if (raw) *raw = j;
    return f;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string tool(const std::string& command_line) {
    CommandResult r = sh(command_line);
    EXPECT_EQ(r.status, 0) << command_line << ": " << r.err;
    return trim(r.out);
}

const berth::host::PathFacts& path_role(const HostFacts& f, const std::string& role) {
    auto it = std::find_if(f.paths.begin(), f.paths.end(), [&](auto& p) { return p.role == role; });
    if (it == f.paths.end()) throw std::runtime_error("no path with role " + role);
    return *it;
}

bool has_option(const std::string& comma_list, const std::string& option) {
    std::stringstream ss(comma_list);
    std::string item;
    while (std::getline(ss, item, ','))
        if (item == option) return true;
    return false;
}

// A tmpfs mounted for the test, unmounted when it goes out of scope.
struct TmpfsMount {
    std::string path;
    bool mounted = false;
    TmpfsMount(const std::string& where, const char* options) : path(where) {
        mounted = ::mount("tmpfs", where.c_str(), "tmpfs", MS_NOEXEC | MS_NOSUID, options) == 0;
        EXPECT_TRUE(mounted) << "mount tmpfs on " << where << ": " << std::strerror(errno);
    }
    ~TmpfsMount() {
        if (mounted) ::umount2(path.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
};

// A TCP socket listening at a port the kernel picks (on 127.0.0.1, or on ::1 / :: with `v6`
// and `any`), closed when out of scope.
struct ListeningSocket {
    int fd = -1;
    int port = 0;
    explicit ListeningSocket(bool v6 = false, bool any = false) {
        fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_storage st{};
        socklen_t len = v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
        if (v6) {
            auto* a = reinterpret_cast<sockaddr_in6*>(&st);
            a->sin6_family = AF_INET6;
            a->sin6_addr = any ? in6addr_any : in6addr_loopback;
        } else {
            auto* a = reinterpret_cast<sockaddr_in*>(&st);
            a->sin_family = AF_INET;
            a->sin_addr.s_addr = htonl(any ? INADDR_ANY : INADDR_LOOPBACK);
        }
        auto* sa = reinterpret_cast<sockaddr*>(&st);
        bool ok = fd >= 0 && ::bind(fd, sa, len) == 0 && ::listen(fd, 4) == 0 &&
                  ::getsockname(fd, sa, &len) == 0;
        EXPECT_TRUE(ok) << std::strerror(errno);
        port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&st)->sin6_port
                        : reinterpret_cast<sockaddr_in*>(&st)->sin_port);
    }
    ~ListeningSocket() {
        if (fd >= 0) ::close(fd);
    }
    ListeningSocket(const ListeningSocket&) = delete;
    ListeningSocket& operator=(const ListeningSocket&) = delete;
};

void copy_into_root(const std::string& root, const std::string& path) {
    fs::create_directories(fs::path(root + path).parent_path());
    fs::copy(fs::canonical(path), root + path, fs::copy_options::recursive);
}

} // namespace

TEST(HostFacts, KernelAndCpuMatchGetconfAndUname) {
    HostFacts f = facts({});
    EXPECT_EQ(f.schema, "berth.host-facts/3");
    EXPECT_EQ(f.root, "/");
    EXPECT_EQ(f.cpu.arch, tool("uname -m"));
    EXPECT_EQ(f.cpu.kernel_release, tool("uname -r"));
    EXPECT_EQ(f.hostname, tool("cat /proc/sys/kernel/hostname"));
    EXPECT_EQ(std::to_string(f.cpu.logical_cpus), tool("getconf _NPROCESSORS_CONF"));
    ASSERT_EQ(f.cpu.arch, "x86_64"); // CI and this machine
    EXPECT_GE(f.cpu.x86_64_level, 1);
    // ld.so prints the levels it supports: "x86-64-v3 (supported, searched)".
    std::string ld_levels =
        tool("/lib64/ld-linux-x86-64.so.2 --help | grep -c 'x86-64-v[234] (supported' || true");
    EXPECT_EQ(f.cpu.x86_64_level, 1 + std::stoi(ld_levels));
}

// Whether this kernel runs i386 programs, as the facts say and as running one (the GOARCH=386
// hello fixture) shows: "enabled" runs it, "disabled" gets exec format error; "unknown" makes
// no claim, and is only allowed where no kernel config is readable.
TEST(HostFacts, Ia32EmulationMatchesRunningAn386Program) {
    HostFacts f = facts({});
    ASSERT_EQ(f.cpu.arch, "x86_64");
    CommandResult ran = run({fixture("go/386")});
    const bool runs = ran.status == 0;
    SCOPED_TRACE(f.cpu.ia32_emulation + ": " + f.cpu.ia32_emulation_evidence +
                 "; ran: " + std::to_string(ran.status) + " " + ran.err);
    EXPECT_FALSE(f.cpu.ia32_emulation_evidence.empty());
    if (f.cpu.ia32_emulation == "enabled") {
        EXPECT_TRUE(runs);
        EXPECT_EQ(ran.out, "hello dev\n");
    } else if (f.cpu.ia32_emulation == "disabled") {
        EXPECT_FALSE(runs);
    } else {
        EXPECT_EQ(f.cpu.ia32_emulation, "unknown");
        EXPECT_FALSE(fs::exists("/proc/config.gz") ||
                     fs::exists("/boot/config-" + f.cpu.kernel_release));
    }
}

TEST(HostFacts, GlibcMatchesGetconfAndLoaders) {
    HostFacts f = facts({});
    ASSERT_TRUE(f.libc.glibc.has_value()) << f.libc.glibc_error;
    EXPECT_EQ("glibc " + f.libc.glibc->release, tool("getconf GNU_LIBC_VERSION"));
    EXPECT_EQ(f.libc.glibc->release_source, "banner");
    EXPECT_EQ(f.libc.glibc->path, "/lib/x86_64-linux-gnu/libc.so.6");
    auto& defs = f.libc.glibc->version_defs;
    EXPECT_NE(std::find(defs.begin(), defs.end(), "GLIBC_2.2.5"), defs.end());
    EXPECT_NE(std::find(defs.begin(), defs.end(), "GLIBC_" + f.libc.glibc->defines_up_to),
              defs.end());
    EXPECT_EQ(f.libc.glibc_loaders, std::vector<std::string>{"/lib64/ld-linux-x86-64.so.2"});
    EXPECT_TRUE(f.libc.ld_so_cache_present);
    EXPECT_EQ(f.libc.ld_so_cache_format, "new");
    // ldconfig -p prints "N libs found in cache" first.
    std::string count = tool("ldconfig -p | head -1 | awk '{print $1}'");
    EXPECT_EQ(std::to_string(f.libc.ld_so_cache_entries), count);
    // musl-tools installs the musl loader on this machine.
    EXPECT_EQ(f.libc.musl_loaders, std::vector<std::string>{"/lib/ld-musl-x86_64.so.1"});
}

TEST(HostFacts, SysctlsMatchSysctl) {
    HostFacts f = facts({});
    const auto& l = f.limits;
    EXPECT_EQ(std::to_string(l.fs_file_max.value()), tool("sysctl -n fs.file-max"));
    EXPECT_EQ(std::to_string(l.fs_nr_open.value()), tool("sysctl -n fs.nr_open"));
    EXPECT_EQ(std::to_string(l.somaxconn.value()), tool("sysctl -n net.core.somaxconn"));
    EXPECT_EQ(std::to_string(l.local_port_low.value()) + "\t" +
                  std::to_string(l.local_port_high.value()),
              tool("sysctl -n net.ipv4.ip_local_port_range"));
    EXPECT_EQ(std::to_string(l.tcp_max_syn_backlog.value()),
              tool("sysctl -n net.ipv4.tcp_max_syn_backlog"));
    EXPECT_EQ(std::to_string(l.overcommit_memory.value()), tool("sysctl -n vm.overcommit_memory"));
    EXPECT_EQ(std::to_string(l.swappiness.value()), tool("sysctl -n vm.swappiness"));
}

TEST(HostFacts, PathsMatchFindmntStatAndStatfs) {
    HostFacts f = facts({"--install-dir", "/usr/bin", "--config-dir", "/etc", "--log-dir",
                         "/proc/self", "--binary", "/bin/sh"});
    for (const auto& p : f.paths) {
        SCOPED_TRACE(p.role + " " + p.path);
        EXPECT_TRUE(p.exists);
        std::string target = p.role == "log" ? "/proc" : p.examined;
        if (!p.mount) {
            // In a chroot whose root is no mount point, /proc/self/mountinfo lists no mount
            // holding the path: findmnt finds none either (and berth says unknown).
            EXPECT_NE(berth::test::sh("findmnt -no TARGET --target " + target).status, 0);
            continue;
        }
        EXPECT_EQ(p.mount->mount_point, tool("findmnt -no TARGET --target " + target));
        EXPECT_EQ(p.mount->fs_type, tool("findmnt -no FSTYPE --target " + target));
        std::string options = tool("findmnt -no VFS-OPTIONS --target " + target);
        EXPECT_EQ(p.mount->read_only, has_option(options, "ro"));
        EXPECT_EQ(p.mount->noexec, has_option(options, "noexec"));
        EXPECT_EQ(p.mount->nosuid, has_option(options, "nosuid"));
        EXPECT_EQ(p.mount->nodev, has_option(options, "nodev"));
        if (p.role == "log") continue; // /proc/self: a different process for stat
        std::ostringstream mine;
        mine << p.uid << " " << p.gid << " " << std::oct << p.mode;
        EXPECT_EQ(mine.str(), tool("stat -L -c '%u %g %a' " + p.path));
        ASSERT_TRUE(p.space.has_value());
        std::istringstream vfs(tool("stat -f -c '%S %b %c' " + p.path));
        std::uint64_t frsize = 0, blocks = 0, files = 0;
        vfs >> frsize >> blocks >> files;
        EXPECT_EQ(p.space->block_size, frsize);
        EXPECT_EQ(p.space->bytes_total, blocks * frsize);
        EXPECT_EQ(p.space->inodes_total, files);
    }
}

// Compared on the test's own sockets only: other processes open and close theirs between the
// two snapshots on a busy machine.
TEST(HostFacts, ListenersMatchSs) {
    ListeningSocket v4, v6(true), any6(true, true), any4(false, true);
    std::set<int> ports = {v4.port, v6.port, any6.port, any4.port};
    HostFacts f = facts({});
    std::set<std::string> mine, theirs;
    for (const auto& l : f.listen.listeners)
        if (ports.count(l.port))
            mine.insert((l.family == "ipv6" ? "[" + l.address + "]" : l.address) + ":" +
                        std::to_string(l.port));
    // ss prints "0.0.0.0:2024" and "[::]:80" (IPv4-mapped addresses as [::ffff:a.b.c.d]), and
    // "*:80" for a dual-stack [::] socket.
    std::istringstream ss(tool("ss -Hltn | awk '{print $4}'"));
    for (std::string line; std::getline(ss, line);) {
        if (line.starts_with("*:")) line = "[::]" + line.substr(1);
        auto colon = line.rfind(':');
        if (colon != std::string::npos && ports.count(std::atoi(line.c_str() + colon + 1)))
            theirs.insert(line);
    }
    EXPECT_EQ(mine, theirs);
    EXPECT_EQ(mine.size(), 4u);
    EXPECT_TRUE(mine.count("127.0.0.1:" + std::to_string(v4.port)));
    EXPECT_TRUE(mine.count("[::1]:" + std::to_string(v6.port)));
}

TEST(HostFacts, PortBoundByTheTestIsInUse) {
    ListeningSocket sock;
    std::string port = std::to_string(sock.port);
    HostFacts f = facts({"--listen", "127.0.0.1:" + port});
    EXPECT_EQ(f.listen.address, "127.0.0.1");
    EXPECT_EQ(f.listen.port, sock.port);
    EXPECT_TRUE(f.listen.port_in_use);
    auto it = std::find_if(f.listen.listeners.begin(), f.listen.listeners.end(),
                           [&](auto& l) { return l.port == sock.port; });
    ASSERT_NE(it, f.listen.listeners.end());
    EXPECT_TRUE(it->conflicts);
    EXPECT_EQ(it->pid, static_cast<int>(::getpid())); // found through /proc/PID/fd
    EXPECT_EQ(it->uid, ::getuid());
    // The wildcard address clashes with 127.0.0.1; another specific address does not.
    EXPECT_TRUE(facts({"--listen", port}).listen.port_in_use);
    EXPECT_FALSE(facts({"--listen", "127.0.0.2:" + port}).listen.port_in_use);
}

TEST(HostFacts, PortFreeOnceClosed) {
    int port = 0;
    {
        ListeningSocket sock;
        port = sock.port;
    }
    HostFacts f = facts({"--listen", ":" + std::to_string(port)});
    EXPECT_FALSE(f.listen.port_in_use);
}

TEST(HostFacts, UsersMatchGetent) {
    HostFacts f = facts({"--user", "root"});
    EXPECT_TRUE(f.users.exists);
    std::ostringstream mine;
    mine << "root:x:" << f.users.uid << ":" << f.users.gid;
    std::string entry = tool("getent passwd root");
    EXPECT_EQ(entry.substr(0, mine.str().size()), mine.str());
    EXPECT_TRUE(entry.ends_with(":" + f.users.home + ":" + f.users.shell)) << entry;
    EXPECT_EQ(f.users.primary_group, tool("getent group 0 | cut -d: -f1"));
    EXPECT_EQ(std::to_string(f.users.passwd_entries), tool("grep -c -v '^#' /etc/passwd"));
    EXPECT_EQ(std::to_string(f.users.group_entries), tool("grep -c -v '^#' /etc/group"));
}

TEST(HostFacts, MissingUser) {
    const std::string user = "berth-no-such-user";
    ASSERT_NE(sh("getent passwd " + user).status, 0);
    HostFacts f = facts({"--user", user});
    EXPECT_EQ(f.users.user, user);
    EXPECT_FALSE(f.users.exists);
    EXPECT_FALSE(f.users.group_exists);
    EXPECT_TRUE(f.users.passwd_readable);
    EXPECT_GT(f.users.passwd_entries, 0);
}

TEST(HostFacts, NoexecTmpfsAsInstallDir) {
    ASSERT_EQ(::getuid(), 0u) << "the tests run as root (mount)";
    TempDir dir;
    TmpfsMount m(dir.path, "size=1m,mode=0750");
    ASSERT_TRUE(m.mounted);
    HostFacts f = facts({"--install-dir", dir.path, "--binary", dir.path + "/bin/shop"});
    const auto& install = path_role(f, "install");
    EXPECT_TRUE(install.exists);
    EXPECT_EQ(install.examined, dir.path);
    EXPECT_EQ(install.mode, 0750u);
    ASSERT_TRUE(install.mount.has_value());
    EXPECT_EQ(install.mount->mount_point, dir.path);
    EXPECT_EQ(install.mount->fs_type, "tmpfs");
    EXPECT_TRUE(install.mount->noexec);
    EXPECT_TRUE(install.mount->nosuid);
    EXPECT_FALSE(install.mount->read_only);
    ASSERT_TRUE(install.space.has_value());
    EXPECT_EQ(install.space->bytes_total, 1024u * 1024u);
    // The binary does not exist yet: its nearest existing ancestor is examined.
    const auto& binary = path_role(f, "binary");
    EXPECT_FALSE(binary.exists);
    EXPECT_EQ(binary.examined, dir.path);
    ASSERT_TRUE(binary.mount.has_value());
    EXPECT_TRUE(binary.mount->noexec);
    EXPECT_EQ(tool("findmnt -no VFS-OPTIONS --target " + dir.path).find("noexec") !=
                  std::string::npos,
              true);
}

TEST(HostFacts, RootWithoutCaBundleOrTzdata) {
    TempDir root;
    fs::create_directories(root.path + "/etc");
    write_file(root.path + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    write_file(root.path + "/etc/group", "root:x:0:\n");
    // An absolute link that would hit the host's tzdata if it escaped the root.
    fs::create_symlink("/usr/share/zoneinfo/Etc/UTC", root.path + "/etc/localtime");
    HostFacts f = facts({"--root", root.path, "--user", "shop"});
    EXPECT_EQ(f.root, root.path);
    EXPECT_EQ(f.files.ca.go_bundle, "");
    EXPECT_FALSE(f.files.ca.go_finds_roots);
    for (const auto& c : f.files.ca.files) EXPECT_FALSE(c.exists) << c.path;
    ASSERT_FALSE(f.files.zoneinfo_dirs.empty());
    EXPECT_EQ(f.files.zoneinfo_dirs[0].path, "/usr/share/zoneinfo");
    EXPECT_FALSE(f.files.zoneinfo_dirs[0].exists);
    EXPECT_FALSE(f.files.localtime.exists);
    EXPECT_EQ(f.files.localtime.link_target, "/usr/share/zoneinfo/Etc/UTC");
    EXPECT_FALSE(f.files.localtime_is_tzif);
    EXPECT_FALSE(f.libc.glibc.has_value());
    EXPECT_TRUE(f.libc.musl_loaders.empty());
    EXPECT_FALSE(f.libc.ld_so_cache_present);
    EXPECT_EQ(f.users.passwd_entries, 1);
    EXPECT_FALSE(f.users.exists);
    EXPECT_EQ(f.systemd.version, 0);
    // Kernel state stays the running host's; the image's paths get no mount or space facts.
    EXPECT_EQ(f.cpu.kernel_release, tool("uname -r"));
    for (const auto& p : f.paths) {
        EXPECT_FALSE(p.mount.has_value()) << p.role;
        EXPECT_FALSE(p.space.has_value()) << p.role;
    }
}

TEST(HostFacts, RootWithCaBundleAndTzdataInside) {
    TempDir root;
    copy_into_root(root.path, "/etc/ssl/certs/ca-certificates.crt");
    copy_into_root(root.path, "/usr/share/zoneinfo/Etc/UTC");
    fs::create_symlink("/usr/share/zoneinfo/Etc/UTC", root.path + "/etc/localtime");
    HostFacts f = facts({"--root", root.path});
    EXPECT_EQ(f.files.ca.go_bundle, "/etc/ssl/certs/ca-certificates.crt");
    EXPECT_TRUE(f.files.ca.go_finds_roots);
    EXPECT_EQ(std::to_string(f.files.ca.files[0].certificates),
              tool("grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/ca-certificates.crt"));
    EXPECT_TRUE(f.files.localtime.exists); // resolved inside the root
    EXPECT_TRUE(f.files.localtime_is_tzif);
    EXPECT_EQ(f.time.zone, "Etc/UTC");
    EXPECT_TRUE(f.files.zoneinfo_dirs[0].exists);
}

TEST(HostFacts, RootWithOldGlibc) {
    TempDir root;
    fs::create_directories(root.path + "/lib/x86_64-linux-gnu");
    fs::copy(fixture("host/libc-2.17/libc.so.6"), root.path + "/lib/x86_64-linux-gnu/libc.so.6");
    fs::create_directories(root.path + "/lib64");
    HostFacts f = facts({"--root", root.path});
    ASSERT_TRUE(f.libc.glibc.has_value()) << f.libc.glibc_error;
    EXPECT_EQ(f.libc.glibc->defines_up_to, "2.17");
    EXPECT_EQ(f.libc.glibc->path, "/lib/x86_64-linux-gnu/libc.so.6");
    const auto& defs = f.libc.glibc->version_defs;
    EXPECT_EQ(defs.size(), 20u); // GLIBC_2.2.5 .. GLIBC_2.17 (the soname entry is not a version)
    EXPECT_EQ(defs.front(), "GLIBC_2.2.5");
    EXPECT_EQ(defs.back(), "GLIBC_2.17");
    EXPECT_EQ(std::count(defs.begin(), defs.end(), "GLIBC_2.18"), 0);
    EXPECT_TRUE(f.libc.glibc_loaders.empty()); // no ld-linux-x86-64.so.2 in this tree
    // readelf agrees on the version definitions.
    std::string n = tool("readelf -V " + root.path +
                         "/lib/x86_64-linux-gnu/libc.so.6 | grep -c 'Name: GLIBC_'");
    EXPECT_EQ(n, "20");
}

TEST(HostFacts, MuslRoot) {
    TempDir root;
    fs::create_directories(root.path + "/lib");
    fs::copy(fs::canonical("/lib/ld-musl-x86_64.so.1"), root.path + "/lib/libc.musl-x86_64.so.1");
    // Alpine's layout: the loader is a relative link to the C library.
    fs::create_symlink("libc.musl-x86_64.so.1", root.path + "/lib/ld-musl-x86_64.so.1");
    HostFacts f = facts({"--root", root.path});
    EXPECT_EQ(f.libc.musl_loaders, std::vector<std::string>{"/lib/ld-musl-x86_64.so.1"});
    EXPECT_FALSE(f.libc.glibc.has_value());
    EXPECT_TRUE(f.libc.glibc_loaders.empty());
}

TEST(HostFacts, SystemdVersionFromItsLibrary) {
    HostFacts f = facts({});
    // Debian 12: systemd 252 is installed (not running in this container).
    std::string pkg = tool("dpkg-query -W -f '${Version}' systemd");
    EXPECT_EQ(f.systemd.version_full, pkg);
    EXPECT_EQ(std::to_string(f.systemd.version), pkg.substr(0, pkg.find('.')));
    EXPECT_EQ(f.systemd.pid1_comm, tool("cat /proc/1/comm"));
    EXPECT_EQ(f.systemd.booted, fs::is_directory("/run/systemd/system"));
}

TEST(HostFacts, TimeAndFiles) {
    HostFacts f = facts({});
    EXPECT_TRUE(f.time.clock.read);
    std::string target = tool("readlink /etc/localtime");
    EXPECT_EQ(f.time.localtime_target, target);
    EXPECT_EQ(f.files.localtime.link_target, target);
    EXPECT_TRUE(f.files.localtime_is_tzif);
    EXPECT_EQ(f.files.nsswitch_hosts,
              tool("awk '$1==\"hosts:\" {$1=\"\"; print substr($0,2)}' /etc/nsswitch.conf"));
    EXPECT_EQ(f.files.hosts.exists, fs::exists("/etc/hosts"));
    // Running time daemons agree with pgrep (none on this machine is fine too).
    std::string pgrep = trim(sh("pgrep -x 'chronyd|ntpd|systemd-timesyn' | wc -l").out);
    EXPECT_EQ(std::to_string(f.time.daemons.size()), pgrep);
}

TEST(HostFacts, TextOutputHasEverySection) {
    CommandResult r = run({berth_exe(), "facts", "--listen", "8080", "--user", "root"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* section :
         {"CPU and kernel", "C library", "App paths", "Security modules", "Time", "Limits",
          "Listening TCP sockets", "Users", "systemd", "Files Go relies on"})
        EXPECT_NE(r.out.find(std::string("\n") + section + "\n"), std::string::npos) << section;
}

TEST(HostFacts, BadOptionsAreUsageErrors) {
    EXPECT_EQ(run({berth_exe(), "facts", "--listen", "[::1]x"}).status, 2);
    EXPECT_EQ(run({berth_exe(), "facts", "--root", "/nonexistent-berth-root"}).status, 2);
}
