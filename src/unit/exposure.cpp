#include "unit/exposure.hpp"

#include "unit/security_settings.hpp"
#include "unit/syscall_sets.hpp"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace berth::unit {

namespace {

constexpr std::uint64_t kNA = ~std::uint64_t{0}; // a check that does not apply

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
    return (a + b - 1) / b;
}

// One row of systemd's security_assessor_table: id, json_field, weight, range and the texts shown
// when the check's own assessment gives none (good: badness 0, bad: badness == range, na: the
// check does not apply).
struct Row {
    const char* id;
    const char* json;
    std::uint64_t weight;
    std::uint64_t range;
    const char* good = nullptr;
    const char* bad = nullptr;
    const char* na = nullptr;
    bool default_dependencies_only = false;
};

// A check's verdict: a badness (kNA when it does not apply) and, for some checks, a text of its
// own that replaces the row's.
struct Verdict {
    std::uint64_t badness;
    std::optional<std::string> description = std::nullopt;
};

// The CapabilityBoundingSet=~… rows, in systemd's order.
struct CapRow {
    Row row;
    std::uint64_t mask;
};

std::vector<CapRow> cap_rows() {
    return {
        {{"CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet_CAP_SYS_ADMIN", 1500, 1,
          "Service has no administrator privileges", "Service has administrator privileges"},
         cap_bit(21)},
        {{"CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)",
          "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP", 1500, 1,
          "Service cannot change UID/GID identities/capabilities",
          "Service may change UID/GID identities/capabilities"},
         cap_bit(7) | cap_bit(6) | cap_bit(8)},
        {{"CapabilityBoundingSet=~CAP_SYS_PTRACE", "CapabilityBoundingSet_CAP_SYS_PTRACE", 1500, 1,
          "Service has no ptrace() debugging abilities",
          "Service has ptrace() debugging abilities"},
         cap_bit(19)},
        {{"CapabilityBoundingSet=~CAP_SYS_TIME", "CapabilityBoundingSet_CAP_SYS_TIME", 1000, 1,
          "Service processes cannot change the system clock",
          "Service processes may change the system clock"},
         cap_bit(25)},
        {{"CapabilityBoundingSet=~CAP_NET_ADMIN", "CapabilityBoundingSet_CAP_NET_ADMIN", 1000, 1,
          "Service has no network configuration privileges",
          "Service has network configuration privileges"},
         cap_bit(12)},
        {{"CapabilityBoundingSet=~CAP_SYS_RAWIO", "CapabilityBoundingSet_CAP_SYS_RAWIO", 1000, 1,
          "Service has no raw I/O access", "Service has raw I/O access"},
         cap_bit(17)},
        {{"CapabilityBoundingSet=~CAP_SYS_MODULE", "CapabilityBoundingSet_CAP_SYS_MODULE", 1000, 1,
          "Service cannot load kernel modules", "Service may load kernel modules"},
         cap_bit(16)},
        {{"CapabilityBoundingSet=~CAP_AUDIT_*", "CapabilityBoundingSet_CAP_AUDIT", 500, 1,
          "Service has no audit subsystem access", "Service has audit subsystem access"},
         cap_bit(30) | cap_bit(37) | cap_bit(29)},
        {{"CapabilityBoundingSet=~CAP_SYSLOG", "CapabilityBoundingSet_CAP_SYSLOG", 500, 1,
          "Service has no access to kernel logging", "Service has access to kernel logging"},
         cap_bit(34)},
        {{"CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)",
          "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE", 500, 1,
          "Service has no privileges to change resource use parameters",
          "Service has privileges to change resource use parameters"},
         cap_bit(23) | cap_bit(24)},
        {{"CapabilityBoundingSet=~CAP_MKNOD", "CapabilityBoundingSet_CAP_MKNOD", 500, 1,
          "Service cannot create device nodes", "Service may create device nodes"},
         cap_bit(27)},
        {{"CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)",
          "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP", 1000, 1,
          "Service cannot change file ownership/access mode/capabilities",
          "Service may change file ownership/access mode/capabilities unrestricted"},
         cap_bit(0) | cap_bit(4) | cap_bit(31)},
        {{"CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
          "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER", 1000, 1,
          "Service cannot override UNIX file/IPC permission checks",
          "Service may override UNIX file/IPC permission checks"},
         cap_bit(1) | cap_bit(2) | cap_bit(3) | cap_bit(15)},
        {{"CapabilityBoundingSet=~CAP_KILL", "CapabilityBoundingSet_CAP_KILL", 500, 1,
          "Service cannot send UNIX signals to arbitrary processes",
          "Service may send UNIX signals to arbitrary processes"},
         cap_bit(5)},
        // systemd's json_field really ends in ")".
        {{"CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
          "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)", 500, 1,
          "Service has no elevated networking privileges",
          "Service has elevated networking privileges"},
         cap_bit(10) | cap_bit(11) | cap_bit(13)},
        {{"CapabilityBoundingSet=~CAP_SYS_BOOT", "CapabilityBoundingSet_CAP_SYS_BOOT", 100, 1,
          "Service cannot issue reboot()", "Service may issue reboot()"},
         cap_bit(22)},
        {{"CapabilityBoundingSet=~CAP_MAC_*", "CapabilityBoundingSet_CAP_MAC", 100, 1,
          "Service cannot adjust SMACK MAC", "Service may adjust SMACK MAC"},
         cap_bit(33) | cap_bit(32)},
        {{"CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE", "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
          75, 1, "Service cannot mark files immutable", "Service may mark files immutable"},
         cap_bit(9)},
        {{"CapabilityBoundingSet=~CAP_IPC_LOCK", "CapabilityBoundingSet_CAP_IPC_LOCK", 50, 1,
          "Service cannot lock memory into RAM", "Service may lock memory into RAM"},
         cap_bit(14)},
        {{"CapabilityBoundingSet=~CAP_SYS_CHROOT", "CapabilityBoundingSet_CAP_SYS_CHROOT", 50, 1,
          "Service cannot issue chroot()", "Service may issue chroot()"},
         cap_bit(18)},
        {{"CapabilityBoundingSet=~CAP_BLOCK_SUSPEND", "CapabilityBoundingSet_CAP_BLOCK_SUSPEND", 25,
          1, "Service cannot establish wake locks", "Service may establish wake locks"},
         cap_bit(36)},
        {{"CapabilityBoundingSet=~CAP_WAKE_ALARM", "CapabilityBoundingSet_CAP_WAKE_ALARM", 25, 1,
          "Service cannot program timers that wake up the system",
          "Service may program timers that wake up the system"},
         cap_bit(35)},
        {{"CapabilityBoundingSet=~CAP_LEASE", "CapabilityBoundingSet_CAP_LEASE", 25, 1,
          "Service cannot create file leases", "Service may create file leases"},
         cap_bit(28)},
        {{"CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG", "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
          25, 1, "Service cannot issue vhangup()", "Service may issue vhangup()"},
         cap_bit(26)},
        {{"CapabilityBoundingSet=~CAP_SYS_PACCT", "CapabilityBoundingSet_CAP_SYS_PACCT", 25, 1,
          "Service cannot use acct()", "Service may use acct()"},
         cap_bit(20)},
        {{"CapabilityBoundingSet=~CAP_BPF", "CapabilityBoundingSet_CAP_BPF", 25, 1,
          "Service may not load BPF programs", "Service may load BPF programs"},
         cap_bit(39)},
    };
}

// The first system call of a set (nested sets included) that the filter lets through, if any:
// syscall_names_in_filter(), skipping names that are no system call on x86-64.
std::optional<std::string> syscall_let_through(const SecurityInfo& s, std::string_view set_name,
                                               int depth = 0) {
    const SyscallSet* set = find_syscall_set(set_name);
    if (!set || depth > 8) return std::nullopt;
    for (auto m : set->members) {
        if (!m.empty() && m[0] == '@') {
            if (auto found = syscall_let_through(s, m, depth + 1)) return found;
            continue;
        }
        if (!is_x86_64_syscall(m)) continue;
        if ((s.syscall_filter.count(std::string(m)) != 0) == s.syscall_allow_list)
            return std::string(m);
    }
    return std::nullopt;
}

} // namespace

std::string Exposure::score_text() const {
    return std::to_string(score_tenths / 10) + "." + std::to_string(score_tenths % 10);
}

Exposure assess_exposure(const Unit& unit) {
    SecurityInfo s = resolve_security(unit);
    Exposure e;
    // assess(): a default-dependencies-only check of a unit without them does not apply; the
    // text is the check's own, else the row's for good/bad/n.a., else none (a partial badness).
    auto add = [&](const Row& row, Verdict v) {
        ExposureCheck c;
        c.name = row.id;
        c.json_field = row.json;
        c.weight = row.weight;
        c.range = row.range;
        if (row.default_dependencies_only && !s.default_dependencies)
            v = {kNA, "Service runs in special boot phase, option is not appropriate"};
        c.applies = v.badness != kNA;
        c.badness = c.applies ? v.badness : 0;
        const char* text = !c.applies               ? row.na
                           : v.badness == row.range ? row.bad
                           : v.badness == 0         ? row.good
                                                    : nullptr;
        c.description = v.description ? *v.description : text ? text : "";
        e.checks.push_back(std::move(c));
    };
    // assess_bool(): badness 1 when the flag is off (or on, for an inverted row).
    auto flag = [&](const Row& row, bool good) { add(row, {good ? 0u : 1u}); };
    const bool priv = runs_privileged(s);

    {
        const bool root_name = s.user && (*s.user == "0" || *s.user == "root");
        Verdict v{10};
        if (s.user && *s.user == "nobody")
            v = {9, "Service runs under as 'nobody' user, which should not be used for services"};
        else if (s.dynamic_user && !root_name)
            v = {0, "Service runs under a transient non-root user identity"};
        else if (s.user && !root_name && !s.user->empty())
            v = {0, "Service runs under a static non-root user identity"};
        add({"User=/DynamicUser=", "UserOrDynamicUser", 2000, 10, nullptr,
             "Service runs as root user"},
            v);
    }
    add({"SupplementaryGroups=", "SupplementaryGroups", 200, 1,
         "Service has no supplementary groups", "Service runs with supplementary groups",
         "Service runs as root, option does not matter"},
        {priv ? kNA : (s.supplementary_groups.empty() ? 0u : 1u)});
    flag({"PrivateDevices=", "PrivateDevices", 1000, 1, "Service has no access to hardware devices",
          "Service potentially has access to hardware devices"},
         s.private_devices);
    flag({"PrivateMounts=", "PrivateMounts", 1000, 1, "Service cannot install system mounts",
          "Service may install system mounts"},
         s.private_mounts);
    flag({"PrivateNetwork=", "PrivateNetwork", 2500, 1,
          "Service has no access to the host's network",
          "Service has access to the host's network"},
         s.private_network);
    flag({"PrivateTmp=", "PrivateTmp", 1000, 1,
          "Service has no access to other software's temporary files",
          "Service has access to other software's temporary files", nullptr, true},
         s.private_tmp);
    flag({"PrivateUsers=", "PrivateUsers", 1000, 1, "Service does not have access to other users",
          "Service has access to other users"},
         s.private_users);
    flag({"ProtectControlGroups=", "ProtectControlGroups", 1000, 1,
          "Service cannot modify the control group file system",
          "Service may modify the control group file system"},
         s.protect_control_groups);
    flag({"ProtectKernelModules=", "ProtectKernelModules", 1000, 1,
          "Service cannot load or read kernel modules", "Service may load or read kernel modules"},
         s.protect_kernel_modules);
    flag({"ProtectKernelTunables=", "ProtectKernelTunables", 1000, 1,
          "Service cannot alter kernel tunables (/proc/sys, …)",
          "Service may alter kernel tunables"},
         s.protect_kernel_tunables);
    flag({"ProtectKernelLogs=", "ProtectKernelLogs", 1000, 1,
          "Service cannot read from or write to the kernel log ring buffer",
          "Service may read from or write to the kernel log ring buffer"},
         s.protect_kernel_logs);
    flag({"ProtectClock=", "ProtectClock", 1000, 1,
          "Service cannot write to the hardware clock or system clock",
          "Service may write to the hardware clock or system clock"},
         s.protect_clock);
    {
        Verdict v{10, "Service has full access to home directories"};
        const std::string h = s.protect_home.value_or("");
        auto pb = parse_bool(h);
        if (pb && *pb)
            v = {0, "Service has no access to home directories"};
        else if (!pb && h == "read-only")
            v = {5, "Service has read-only access to home directories"};
        else if (!pb && h == "tmpfs")
            v = {1, "Service has access to fake empty home directories"};
        add({"ProtectHome=", "ProtectHome", 1000, 10, nullptr, nullptr, nullptr, true}, v);
    }
    flag({"ProtectHostname=", "ProtectHostname", 50, 1,
          "Service cannot change system host/domainname",
          "Service may change system host/domainname"},
         s.protect_hostname);
    {
        Verdict v{10, "Service has full access to the OS file hierarchy"};
        const std::string p = s.protect_system.value_or("");
        auto pb = parse_bool(p);
        if (pb && *pb)
            v = {5, "Service has limited write access to the OS file hierarchy"};
        else if (!pb && p == "full")
            v = {3, "Service has very limited write access to the OS file hierarchy"};
        else if (!pb && p == "strict")
            v = {0, "Service has strict read-only access to the OS file hierarchy"};
        add({"ProtectSystem=", "ProtectSystem", 1000, 10, nullptr, nullptr, nullptr, true}, v);
    }
    flag({"RootDirectory=/RootImage=", "RootDirectoryOrRootImage", 200, 1,
          "Service has its own root directory/image",
          "Service runs within the host's root directory", nullptr, true},
         s.root_directory.value_or("/") != "/" || s.root_image.value_or("/") != "/");
    flag({"LockPersonality=", "LockPersonality", 100, 1, "Service cannot change ABI personality",
          "Service may change ABI personality"},
         s.lock_personality);
    flag({"MemoryDenyWriteExecute=", "MemoryDenyWriteExecute", 100, 1,
          "Service cannot create writable executable memory mappings",
          "Service may create writable executable memory mappings"},
         s.memory_deny_write_execute);
    flag({"NoNewPrivileges=", "NoNewPrivileges", 1000, 1,
          "Service processes cannot acquire new privileges",
          "Service processes may acquire new privileges"},
         s.no_new_privileges);
    for (const auto& r : cap_rows()) flag(r.row, (s.bounding & r.mask) == 0);
    {
        Verdict v{0, "Files created by service are accessible only by service's own user by "
                     "default"};
        if (!(s.umask & 0002))
            v = {10, "Files created by service are world-writable by default"};
        else if (!(s.umask & 0004))
            v = {5, "Files created by service are world-readable by default"};
        else if (!(s.umask & 0020))
            v = {2, "Files created by service are group-writable by default"};
        else if (!(s.umask & 0040))
            v = {1, "Files created by service are group-readable by default"};
        add({"UMask=", "UMask", 100, 10}, v);
    }
    flag({"KeyringMode=", "KeyringMode", 1000, 1,
          "Service doesn't share key material with other services",
          "Service shares key material with other service"},
         s.keyring_mode == "private");
    {
        std::uint64_t b = 3;
        if (s.protect_proc == "noaccess")
            b = 1;
        else if (s.protect_proc == "invisible" || s.protect_proc == "ptraceable")
            b = 0;
        add({"ProtectProc=", "ProtectProc", 1000, 3,
             "Service has restricted access to process tree (/proc hidepid=)",
             "Service has full access to process tree (/proc hidepid=)"},
            {b});
    }
    flag({"ProcSubset=", "ProcSubset", 10, 1,
          "Service has no access to non-process /proc files (/proc subset=)",
          "Service has full access to non-process /proc files (/proc subset=)"},
         s.proc_subset == "pid");
    flag({"NotifyAccess=", "NotifyAccess", 1000, 1,
          "Service child processes cannot alter service state",
          "Service child processes may alter service state"},
         s.notify_access != "all");
    add({"RemoveIPC=", "RemoveIPC", 100, 1, "Service user cannot leave SysV IPC objects around",
         "Service user may leave SysV IPC objects around",
         "Service runs as root, option does not apply"},
        {priv ? kNA : (s.remove_ipc ? 0u : 1u)});
    flag({"Delegate=", "Delegate", 100, 1,
          "Service does not maintain its own delegated control group subtree",
          "Service maintains its own delegated control group subtree"},
         !s.delegate);
    flag({"RestrictRealtime=", "RestrictRealtime", 500, 1,
          "Service realtime scheduling access is restricted",
          "Service may acquire realtime scheduling"},
         s.restrict_realtime);
    flag({"RestrictSUIDSGID=", "RestrictSUIDSGID", 1000, 1,
          "SUID/SGID file creation by service is restricted", "Service may create SUID/SGID files"},
         s.restrict_suid_sgid);
    const std::pair<Row, std::uint64_t> ns_rows[] = {
        {{"RestrictNamespaces=~user", "RestrictNamespaces_user", 1500, 1,
          "Service cannot create user namespaces", "Service may create user namespaces"},
         kNsUser},
        {{"RestrictNamespaces=~mnt", "RestrictNamespaces_mnt", 500, 1,
          "Service cannot create file system namespaces",
          "Service may create file system namespaces"},
         kNsMnt},
        {{"RestrictNamespaces=~ipc", "RestrictNamespaces_ipc", 500, 1,
          "Service cannot create IPC namespaces", "Service may create IPC namespaces"},
         kNsIpc},
        {{"RestrictNamespaces=~pid", "RestrictNamespaces_pid", 500, 1,
          "Service cannot create process namespaces", "Service may create process namespaces"},
         kNsPid},
        {{"RestrictNamespaces=~cgroup", "RestrictNamespaces_cgroup", 500, 1,
          "Service cannot create cgroup namespaces", "Service may create cgroup namespaces"},
         kNsCgroup},
        {{"RestrictNamespaces=~net", "RestrictNamespaces_net", 500, 1,
          "Service cannot create network namespaces", "Service may create network namespaces"},
         kNsNet},
        {{"RestrictNamespaces=~uts", "RestrictNamespaces_uts", 100, 1,
          "Service cannot create hostname namespaces", "Service may create hostname namespaces"},
         kNsUts},
    };
    for (const auto& [row, ns] : ns_rows) flag(row, (s.restrict_namespaces & ns) == 0);
    flag({"RestrictAddressFamilies=~AF_(INET|INET6)", "RestrictAddressFamilies_AF_INET_INET6", 1500,
          1, "Service cannot allocate Internet sockets", "Service may allocate Internet sockets"},
         s.af_inet);
    flag({"RestrictAddressFamilies=~AF_UNIX", "RestrictAddressFamilies_AF_UNIX", 25, 1,
          "Service cannot allocate local sockets", "Service may allocate local sockets"},
         s.af_unix);
    flag({"RestrictAddressFamilies=~AF_NETLINK", "RestrictAddressFamilies_AF_NETLINK", 200, 1,
          "Service cannot allocate netlink sockets", "Service may allocate netlink sockets"},
         s.af_netlink);
    flag({"RestrictAddressFamilies=~AF_PACKET", "RestrictAddressFamilies_AF_PACKET", 1000, 1,
          "Service cannot allocate packet sockets", "Service may allocate packet sockets"},
         s.af_packet);
    flag({"RestrictAddressFamilies=~…", "RestrictAddressFamilies_OTHER", 1250, 1,
          "Service cannot allocate exotic sockets", "Service may allocate exotic sockets"},
         s.af_other);
    {
        Verdict v{8, "Service may execute system calls with multiple ABIs"};
        if (s.syscall_archs.empty())
            v = {10, "Service may execute system calls with all ABIs"};
        else if (s.syscall_archs.size() == 1 && s.syscall_archs.count("native"))
            v = {0, "Service may execute system calls only with native ABI"};
        add({"SystemCallArchitectures=", "SystemCallArchitectures", 1000, 10}, v);
    }
    const std::tuple<const char*, const char*, std::uint64_t> sys_rows[] = {
        {"@swap", "SystemCallFilter_swap", 1000},
        {"@obsolete", "SystemCallFilter_obsolete", 250},
        {"@clock", "SystemCallFilter_clock", 1000},
        {"@cpu-emulation", "SystemCallFilter_cpu_emulation", 250},
        {"@debug", "SystemCallFilter_debug", 1000},
        {"@mount", "SystemCallFilter_mount", 1000},
        {"@module", "SystemCallFilter_module", 1000},
        {"@raw-io", "SystemCallFilter_raw_io", 1000},
        {"@reboot", "SystemCallFilter_reboot", 1000},
        {"@privileged", "SystemCallFilter_privileged", 700},
        {"@resources", "SystemCallFilter_resources", 700},
    };
    for (const auto& [set, json, weight] : sys_rows) {
        const std::string id = std::string("SystemCallFilter=~") + set;
        const Row row{id.c_str(), json, weight, 10};
        if (!s.syscall_allow_list && s.syscall_filter.empty()) {
            add(row, {10, "Service does not filter system calls"});
            continue;
        }
        auto offender = syscall_let_through(s, set);
        const std::string list = s.syscall_allow_list ? "allow" : "deny";
        std::string d =
            "System call " + list + " list defined for service, and " + set +
            ((offender.has_value() == s.syscall_allow_list) ? " is included" : " is not included");
        if (offender) d += " (e.g. " + *offender + " is allowed)";
        add(row, {offender ? (s.syscall_allow_list ? 9u : 10u) : 0u, d});
    }
    {
        Verdict v{0, "Service blocks all IP address ranges"};
        if (s.ip_filters)
            v = {0, "Service defines custom ingress/egress IP filters with BPF programs"};
        else if (!s.ip_deny_all)
            v = {10, "Service does not define an IP address allow list"};
        else if (s.ip_allow_other)
            v = {5, "Service defines IP address allow list with non-localhost entries"};
        else if (s.ip_allow_localhost)
            v = {2, "Service defines IP address allow list with only localhost entries"};
        add({"IPAddressDeny=", "IPAddressDeny", 1000, 10}, v);
    }
    {
        Verdict v{10, "Service has no device ACL"};
        if (s.device_policy == "strict" || s.device_policy == "closed") {
            if (!s.device_allow.empty()) {
                std::string d = "Service has a device ACL with some special devices:";
                for (const auto& entry : s.device_allow) d += " " + entry;
                v = {5, d};
            } else {
                v = {0, "Service has a minimal device ACL"};
            }
        }
        add({"DeviceAllow=", "DeviceAllow", 1000, 10}, v);
    }
    add({"AmbientCapabilities=", "AmbientCapabilities", 500, 1,
         "Service process does not receive ambient capabilities",
         "Service process receives ambient capabilities"},
        {s.ambient == 0 ? 0u : 1u});
    std::uint64_t badness_sum = 0, weight_sum = 0;
    for (const auto& c : e.checks) {
        if (!c.applies) continue;
        badness_sum += ceil_div(c.badness * c.weight, c.range);
        weight_sum += c.weight;
    }
    e.score_tenths = static_cast<unsigned>(ceil_div(badness_sum * 100, weight_sum));
    const std::pair<unsigned, const char*> levels[] = {
        {100, "DANGEROUS"}, {90, "UNSAFE"}, {75, "EXPOSED"}, {50, "MEDIUM"},
        {10, "OK"},         {1, "SAFE"},    {0, "PERFECT"}};
    for (const auto& [min, name] : levels)
        if (e.score_tenths >= min) {
            e.level = name;
            break;
        }
    return e;
}

nlohmann::json to_json(const Exposure& e) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : e.checks)
        checks.push_back({{"name", c.name},
                          {"json_field", c.json_field},
                          {"description", c.description.empty() ? nlohmann::json()
                                                                : nlohmann::json(c.description)},
                          {"weight", c.weight},
                          {"range", c.range},
                          {"badness", c.applies ? nlohmann::json(c.badness) : nlohmann::json()}});
    return {{"score", e.score_text()}, {"level", e.level}, {"checks", checks}};
}

} // namespace berth::unit
