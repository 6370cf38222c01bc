#pragma once
// Facts about the host a Go service is about to land on, read directly from /proc, /sys, files and
// a few syscalls (never from the output of other programs: berth is static and may run on a bare
// host). `berth facts` prints them, `berth check` judges them (rules/), and `berth check --facts
// FILE.json` reads facts collected elsewhere, so every field round-trips through JSON exactly
// (host_facts_json.cpp; the schema is documented field by field in docs/host-facts.md).
//
// Under `--root DIR` the facts that live in files (libc, users, config files, CA bundle, tzdata,
// systemd version and configuration) come from the image mounted at DIR; kernel state (CPU,
// kernel release, sysctls, clock, running processes, sockets, SELinux/AppArmor runtime state) is
// always the running kernel's, and mounts/free space are not collected for the image's paths.
#include "sysroot/sysroot.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace berth::host {

inline constexpr const char* kHostFactsSchema = "berth.host-facts/3";

struct CpuFacts {
    std::string arch;               // uname machine: "x86_64", "aarch64", ...
    std::string kernel_release;     // uname release, e.g. "6.1.0-18-amd64"
    std::string vendor;             // "vendor_id" (x86) or "CPU implementer" (arm64)
    std::string model_name;         // "model name" (x86); "CPU part" on arm64
    int logical_cpus = 0;           // "processor" entries in /proc/cpuinfo
    std::vector<std::string> flags; // "flags" (x86) or "Features" (arm64) of the first CPU
    // Highest x86-64 micro-architecture level the CPU supports (GOAMD64=v1..v4), from CPUID and
    // XGETBV as the Go runtime and glibc check it (resolve/cpu_level); 0 when not x86-64.
    int x86_64_level = 0;
    // The /proc/cpuinfo flags lacking for the level above x86_64_level (empty at v4 or on other
    // architectures).
    std::vector<std::string> x86_64_next_level_missing;
    // Of the arm64 features Go uses (fp, asimd, atomics = LSE, crc32, aes, pmull, sha1, sha2,
    // sha512, sha3, sve, sve2), the ones present, in that order. Empty on other architectures.
    std::vector<std::string> arm64_features;
    // Whether the kernel runs i386 programs (GOARCH=386): "enabled", "disabled" or "unknown" on
    // x86_64 (host/ia32.hpp), "" elsewhere; and what says so.
    std::string ia32_emulation;
    std::string ia32_emulation_evidence;
    bool operator==(const CpuFacts&) const = default;
};

struct GlibcFacts {
    std::string path; // the libc.so.6 read (path in the system, not prefixed by --root)
    // The glibc release, e.g. "2.31": from the banner gnu_get_libc_version() prints ("... stable
    // release version 2.31."), else from the file name older layouts use (libc-2.31.so); "" when
    // neither says.
    std::string release;
    std::string release_source; // "banner", "file name" or ""
    // The highest GLIBC_x.y[.z] version the library defines, e.g. "2.30" for glibc 2.31 (many
    // releases add no symbol version). What a binary's needs are compared with.
    std::string defines_up_to;
    // Every version libc.so.6 defines (.gnu.version_d without the base entry naming the file),
    // in file order: GLIBC_2.2.5 ... GLIBC_2.36, GLIBC_PRIVATE.
    std::vector<std::string> version_defs;
    bool operator==(const GlibcFacts&) const = default;
};

struct LibcFacts {
    std::optional<GlibcFacts> glibc; // null: no readable libc.so.6 in the library directories
    std::string glibc_error;         // why a libc.so.6 found could not be read ("" when fine)
    std::vector<std::string> glibc_loaders;    // the arch's glibc loaders present, e.g.
                                               // /lib64/ld-linux-x86-64.so.2
    std::vector<std::string> musl_loaders;     // /lib/ld-musl-*.so.1 present
    bool ld_so_cache_present = false;          // /etc/ld.so.cache exists
    std::string ld_so_cache_format;            // "new" (glibc-ld.so.cache1.1), "old" (ld.so-1.7.0),
                                               // "unknown", or "" when absent
    std::uint32_t ld_so_cache_entries = 0;     // libraries listed in the cache
    std::vector<std::string> ld_so_conf_dirs;  // /etc/ld.so.conf with its includes, in order
    std::vector<std::string> default_lib_dirs; // the arch's default library dirs that exist
    bool operator==(const LibcFacts&) const = default;
};

struct MountFacts {
    std::string mount_point;                // the mount containing the examined path
    std::string fs_type;                    // e.g. "ext4", "tmpfs", "overlay"
    std::string source;                     // e.g. "/dev/sda1", "tmpfs"
    std::vector<std::string> options;       // per-mount options (mountinfo field 6)
    std::vector<std::string> super_options; // superblock options (after the fs type)
    bool read_only = false;                 // "ro" in options
    bool noexec = false;
    bool nosuid = false;
    bool nodev = false;
    bool operator==(const MountFacts&) const = default;
};

struct SpaceFacts {                     // statvfs of the examined path
    std::uint64_t block_size = 0;       // f_frsize
    std::uint64_t bytes_total = 0;      // f_blocks * f_frsize
    std::uint64_t bytes_free = 0;       // f_bfree * f_frsize (root may use these)
    std::uint64_t bytes_available = 0;  // f_bavail * f_frsize (what an unprivileged user may use)
    std::uint64_t inodes_total = 0;     // f_files (0 on file systems without an inode limit)
    std::uint64_t inodes_free = 0;      // f_ffree
    std::uint64_t inodes_available = 0; // f_favail
    bool operator==(const SpaceFacts&) const = default;
};

// One of the app's paths (install dir, config dir, log dir, binary) as found on the host.
struct PathFacts {
    std::string role;       // "install", "config", "log" or "binary"
    std::string path;       // the path asked about (as on the target system)
    bool exists = false;    // `path` exists (symlinks followed)
    std::string examined;   // `path`, or its nearest existing ancestor when it does not exist
    std::string type;       // of `examined`: "directory", "file" or "other"
    std::uint32_t mode = 0; // st_mode permission bits of `examined` (e.g. 0755 = 493)
    std::uint32_t uid = 0;  // owner of `examined`
    std::uint32_t gid = 0;
    std::optional<MountFacts> mount; // null under --root or when not found in mountinfo
    std::optional<SpaceFacts> space; // null under --root or when statvfs failed
    // The `security.selinux` xattr of `examined` (without the trailing NUL); null when absent.
    std::optional<std::string> selinux_context;
    bool operator==(const PathFacts&) const = default;
};

struct SelinuxFacts {
    bool present = false;    // selinuxfs is mounted in the running kernel (/sys/fs/selinux/enforce)
    std::string mode;        // running mode: "enforcing", "permissive" or "disabled"
    std::string config_mode; // SELINUX= in /etc/selinux/config ("" when no such file/key)
    std::string config_type; // SELINUXTYPE= in /etc/selinux/config
    bool operator==(const SelinuxFacts&) const = default;
};

struct AppArmorProfile {
    std::string name; // e.g. "/usr/sbin/ntpd" or "docker-default"
    std::string mode; // "enforce", "complain", "kill", "unconfined", ...
    bool operator==(const AppArmorProfile&) const = default;
};

struct AppArmorFacts {
    bool enabled = false;                  // /sys/module/apparmor/parameters/enabled is "Y"
    bool profiles_readable = false;        // /sys/kernel/security/apparmor/profiles could be read
    std::vector<AppArmorProfile> profiles; // loaded profiles, as listed by the kernel
    bool operator==(const AppArmorFacts&) const = default;
};

struct SecurityFacts {
    SelinuxFacts selinux;
    AppArmorFacts apparmor;
    bool operator==(const SecurityFacts&) const = default;
};

struct ClockFacts {               // adjtimex(2) with modes = 0 (read only)
    bool read = false;            // the syscall succeeded
    int state = 0;                // its return value: 0 TIME_OK ... 5 TIME_ERROR
    std::string state_name;       // "ok", "ins", "del", "oop", "wait", "error"
    bool synchronized = false;    // state is not TIME_ERROR and STA_UNSYNC is clear
    std::int64_t status = 0;      // timex.status bits (STA_*)
    std::int64_t esterror_us = 0; // estimated error, microseconds
    std::int64_t maxerror_us = 0; // maximum error, microseconds
    std::int64_t offset = 0;      // timex.offset (microseconds, nanoseconds when STA_NANO is set)
    bool operator==(const ClockFacts&) const = default;
};

struct ProcessRef {
    std::string name; // /proc/PID/comm (at most 15 characters: "systemd-timesyn")
    int pid = 0;
    bool operator==(const ProcessRef&) const = default;
};

struct TimeFacts {
    ClockFacts clock;
    std::vector<ProcessRef> daemons; // running chronyd, systemd-timesyncd, ntpd, openntpd, ptp4l
    std::string zone;                // from the /etc/localtime link ("Europe/Paris"), else
                                     // /etc/timezone, else "" (unknown)
    std::string localtime_target;    // /etc/localtime's symlink target ("" when not a symlink)
    std::string etc_timezone;        // first line of /etc/timezone ("" when absent)
    bool operator==(const TimeFacts&) const = default;
};

// systemd's DefaultLimitNOFILE as configured in system.conf and system.conf.d drop-ins.
struct NofileLimit {
    bool set = false;   // an uncommented assignment was found
    std::string raw;    // the value as written ("1024:524288", "65536", "infinity"); when not set,
                        // the commented default shown in system.conf if any
    std::string source; // file of the last assignment (or of the commented default)
    std::optional<std::uint64_t> soft; // null: infinity, or raw missing/unparsable
    std::optional<std::uint64_t> hard; // null: infinity, or raw missing/unparsable
    bool operator==(const NofileLimit&) const = default;
};

struct LimitsFacts {
    NofileLimit systemd_default_nofile;
    // Sysctls of the running kernel, null when unreadable.
    std::optional<std::uint64_t> fs_file_max;        // fs.file-max
    std::optional<std::uint64_t> fs_nr_open;         // fs.nr_open
    std::optional<std::int64_t> somaxconn;           // net.core.somaxconn
    std::optional<std::int64_t> local_port_low;      // net.ipv4.ip_local_port_range, first
    std::optional<std::int64_t> local_port_high;     // net.ipv4.ip_local_port_range, second
    std::optional<std::int64_t> tcp_max_syn_backlog; // net.ipv4.tcp_max_syn_backlog
    std::optional<std::int64_t> overcommit_memory;   // vm.overcommit_memory
    std::optional<std::int64_t> swappiness;          // vm.swappiness
    bool operator==(const LimitsFacts&) const = default;
};

struct Listener {        // a listening TCP socket from /proc/net/tcp or tcp6
    std::string family;  // "ipv4" or "ipv6"
    std::string address; // "0.0.0.0", "127.0.0.1", "::", "::1", "::ffff:10.0.0.1" ...
    int port = 0;
    std::uint32_t uid = 0;
    std::uint64_t inode = 0;
    int pid = 0;         // a process holding the socket (0: not found, e.g. not root)
    std::string process; // its /proc/PID/comm
    std::string unit;    // the systemd unit whose cgroup holds that process ("" when none)
    // Binding the app's listen address would fail with EADDRINUSE because of this socket:
    // same port and the addresses overlap (equal, or either one is a wildcard).
    bool conflicts = false;
    bool operator==(const Listener&) const = default;
};

struct ListenFacts {
    std::string address;             // the app's listen address ("" = any), from --listen
    int port = 0;                    // the app's listen port (0: not given, nothing is compared)
    bool port_in_use = false;        // some listener conflicts
    std::vector<Listener> listeners; // every listening TCP socket, tcp then tcp6
    bool operator==(const ListenFacts&) const = default;
};

struct GroupRef {
    std::string name;
    std::uint32_t gid = 0;
    bool operator==(const GroupRef&) const = default;
};

// Only the service user's entries, read from /etc/passwd and /etc/group (not NSS: berth is static;
// users from LDAP/sssd are not seen).
struct UsersFacts {
    std::string user; // the service user asked about ("" = none asked)
    bool passwd_readable = false;
    bool group_readable = false;
    int passwd_entries = 0; // lines with a user in /etc/passwd
    int group_entries = 0;  // lines with a group in /etc/group
    bool exists = false;    // `user` has an /etc/passwd entry
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::string home;
    std::string shell;
    std::string primary_group;    // name of the group with `gid` ("" when no such group)
    bool group_exists = false;    // a group named like `user` exists
    std::vector<GroupRef> groups; // groups listing `user` as a member (supplementary groups)
    bool operator==(const UsersFacts&) const = default;
};

struct SystemdFacts {
    bool pid1_is_systemd = false; // /proc/1/exe (or comm) is systemd
    std::string pid1_comm;        // /proc/1/comm of the running system
    bool booted = false;          // /run/systemd/system exists (sd_booted's test)
    // Installed version, from the name of libsystemd-shared-NNN.so (systemd's private shared
    // library) under /usr/lib/systemd, /lib/systemd or /usr/lib/<triplet>/systemd. 0 = not found.
    int version = 0;
    std::string version_full;   // "252.38-1~deb12u1": from "systemd NNN (...)" inside that library
    std::string version_source; // the file the version came from
    bool operator==(const SystemdFacts&) const = default;
};

struct FileFacts {
    std::string path; // as on the target system
    bool exists = false;
    std::string type;        // "file", "directory", "other" ("" when missing); symlinks followed
    std::string link_target; // readlink when `path` itself is a symlink
    std::uint64_t size = 0;  // bytes, for files
    int entries = 0;         // for directories: number of entries
    int certificates = 0;    // for CA files: PEM "BEGIN CERTIFICATE" blocks
    bool operator==(const FileFacts&) const = default;
};

struct CaFacts {
    std::optional<std::string> ssl_cert_file; // SSL_CERT_FILE in berth's environment
    std::optional<std::string> ssl_cert_dir;  // SSL_CERT_DIR in berth's environment
    std::vector<FileFacts> files; // Go crypto/x509's bundle files (or SSL_CERT_FILE), in order
    std::vector<FileFacts> dirs;  // Go crypto/x509's certificate dirs (or SSL_CERT_DIR)
    std::string go_bundle;        // the first file Go would load ("" = none)
    bool go_finds_roots = false;  // a bundle with certificates, or a non-empty directory
    bool operator==(const CaFacts&) const = default;
};

struct FilesFacts {
    CaFacts ca;
    std::vector<FileFacts> zoneinfo_dirs;   // Go's time package sources: /usr/share/zoneinfo, ...
    FileFacts localtime;                    // /etc/localtime
    bool localtime_is_tzif = false;         // it starts with the "TZif" magic
    FileFacts nsswitch;                     // /etc/nsswitch.conf
    std::string nsswitch_hosts;             // its "hosts:" sources, e.g. "files dns" ("" when none)
    FileFacts resolv_conf;                  // /etc/resolv.conf
    std::vector<std::string> nameservers;   // its nameserver lines
    std::vector<std::string> resolv_search; // its search (or domain) names
    std::vector<std::string> resolv_options; // its options
    FileFacts hosts;                         // /etc/hosts
    bool hosts_has_localhost = false;        // a line maps "localhost"
    bool operator==(const FilesFacts&) const = default;
};

struct HostFacts {
    std::string schema = kHostFactsSchema;
    std::string berth_version;
    std::string root = "/";   // --root: where the system's files were read
    std::string hostname;     // /proc/sys/kernel/hostname
    std::string collected_at; // UTC, "2026-11-27T04:05:27Z"
    CpuFacts cpu;
    LibcFacts libc;
    std::vector<PathFacts> paths; // install, config, log, binary
    SecurityFacts security;
    TimeFacts time;
    LimitsFacts limits;
    ListenFacts listen;
    UsersFacts users;
    SystemdFacts systemd;
    FilesFacts files;
    std::vector<std::string> notes; // what could not be read, and why
    bool operator==(const HostFacts&) const = default;
};

// What to examine: the system's root and the app's paths, address and user.
struct CollectOptions {
    sysroot::Root root; // this machine's, or an image's (--root)
    std::string install_dir = "/opt/app";
    std::string config_dir = "/etc/app";
    std::string log_dir = "/var/log/app";
    std::string binary;         // "" = not examined
    std::string listen_address; // "" = any
    int listen_port = 0;        // 0 = no listen address to compare
    std::string user;           // "" = no service user
};

HostFacts collect_host_facts(const CollectOptions& options);

} // namespace berth::host
