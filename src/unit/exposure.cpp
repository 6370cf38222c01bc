#include "unit/exposure.hpp"

#include "unit/directives.hpp"
#include "unit/syscall_sets.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

namespace berth::unit {

namespace {

// Capability numbers of linux/capability.h.
constexpr std::pair<const char*, int> kCaps[] = {
    {"CAP_CHOWN", 0},
    {"CAP_DAC_OVERRIDE", 1},
    {"CAP_DAC_READ_SEARCH", 2},
    {"CAP_FOWNER", 3},
    {"CAP_FSETID", 4},
    {"CAP_KILL", 5},
    {"CAP_SETGID", 6},
    {"CAP_SETUID", 7},
    {"CAP_SETPCAP", 8},
    {"CAP_LINUX_IMMUTABLE", 9},
    {"CAP_NET_BIND_SERVICE", 10},
    {"CAP_NET_BROADCAST", 11},
    {"CAP_NET_ADMIN", 12},
    {"CAP_NET_RAW", 13},
    {"CAP_IPC_LOCK", 14},
    {"CAP_IPC_OWNER", 15},
    {"CAP_SYS_MODULE", 16},
    {"CAP_SYS_RAWIO", 17},
    {"CAP_SYS_CHROOT", 18},
    {"CAP_SYS_PTRACE", 19},
    {"CAP_SYS_PACCT", 20},
    {"CAP_SYS_ADMIN", 21},
    {"CAP_SYS_BOOT", 22},
    {"CAP_SYS_NICE", 23},
    {"CAP_SYS_RESOURCE", 24},
    {"CAP_SYS_TIME", 25},
    {"CAP_SYS_TTY_CONFIG", 26},
    {"CAP_MKNOD", 27},
    {"CAP_LEASE", 28},
    {"CAP_AUDIT_WRITE", 29},
    {"CAP_AUDIT_CONTROL", 30},
    {"CAP_SETFCAP", 31},
    {"CAP_MAC_OVERRIDE", 32},
    {"CAP_MAC_ADMIN", 33},
    {"CAP_SYSLOG", 34},
    {"CAP_WAKE_ALARM", 35},
    {"CAP_BLOCK_SUSPEND", 36},
    {"CAP_AUDIT_READ", 37},
    {"CAP_PERFMON", 38},
    {"CAP_BPF", 39},
    {"CAP_CHECKPOINT_RESTORE", 40},
};

std::uint64_t cap(int n) {
    return std::uint64_t{1} << n;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

// An integer as systemd's safe_atoi() reads it: C notation (0x hex, leading 0 octal) plus 0o/0b.
std::optional<long> parse_c_integer(const std::string& s) {
    int base = 0;
    std::string digits = s;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O' || s[1] == 'b' || s[1] == 'B')) {
        base = (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        digits = s.substr(2);
    }
    if (digits.empty()) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long v = std::strtol(digits.c_str(), &end, base);
    if (errno != 0 || end == digits.c_str() || *end != '\0') return std::nullopt;
    return v;
}

// capability_from_name(): a number 0..63 or a name of linux/capability.h in any case; nullopt for
// anything else, which systemd skips (the rest of the line still counts).
std::optional<int> cap_number(const std::string& word) {
    if (auto n = parse_c_integer(word)) {
        if (*n >= 0 && *n < 64) return static_cast<int>(*n);
        return std::nullopt;
    }
    std::string w = upper(word);
    for (const auto& [name, n] : kCaps)
        if (w == name) return n;
    return std::nullopt;
}

// Namespace types, in the bit order used here (not CLONE_* values: only membership matters).
constexpr const char* kNamespaces[] = {"cgroup", "ipc", "net", "mnt", "pid", "user", "uts"};
constexpr std::uint64_t kNsAll = (1u << 7) - 1;
std::uint64_t ns_bit(const char* name) {
    for (int i = 0; i < 7; ++i)
        if (std::string(kNamespaces[i]) == name) return 1u << i;
    return 0;
}

// The settings analyze-security.c reads, after systemd's loader resolved them.
struct SecurityInfo {
    bool has_exec = false;   // services, sockets, mounts, swaps have an exec context
    bool has_cgroup = false; // those plus slices and scopes have a cgroup context
    bool default_dependencies = true;
    std::uint64_t ambient = 0;
    std::uint64_t bounding = ~std::uint64_t{0};
    std::optional<std::string> user;
    std::vector<std::string> supplementary_groups;
    bool dynamic_user = false;
    bool ip_deny_all = false, ip_allow_localhost = false, ip_allow_other = false;
    bool ip_filters = false;
    std::optional<std::string> keyring_mode, protect_proc, proc_subset, notify_access;
    bool lock_personality = false, memory_deny_write_execute = false, no_new_privileges = false;
    bool protect_hostname = false, private_devices = false, private_mounts = false;
    bool private_network = false, private_tmp = false, private_users = false;
    bool protect_control_groups = false, protect_kernel_modules = false;
    bool protect_kernel_tunables = false, protect_kernel_logs = false, protect_clock = false;
    std::optional<std::string> protect_home, protect_system;
    bool remove_ipc = false;
    bool af_inet = false, af_unix = false, af_netlink = false, af_packet = false, af_other = false;
    std::uint64_t restrict_namespaces = ~std::uint64_t{0};
    bool restrict_realtime = false, restrict_suid_sgid = false;
    std::optional<std::string> root_directory, root_image; // simplified paths, when set
    bool mount_images = false;
    std::map<std::string, bool> load_credentials, set_credentials; // name -> encrypted
    bool delegate = false;
    std::optional<std::string> device_policy;
    std::vector<std::string> device_allow; // "path:rwm", newest first as systemd lists them
    std::set<std::string> syscall_archs;
    bool syscall_allow_list = false;
    std::set<std::string> syscall_filter;
    unsigned umask = 0002;
};

void set_bool(bool& target, const Assignment& a) {
    if (a.value.empty()) {
        target = false;
        return;
    }
    if (auto b = parse_bool(a.value)) target = *b; // an invalid value is ignored, as systemd does
}

// config_parse_capability_set(): the set starts as `initial` (all 64 bits for the bounding set,
// none for the ambient one). An assignment that names no known capability ("", "~", unknown
// names), or meets the set still at its initial value, replaces it; otherwise it merges, "~"
// clearing the named bits and a plain list adding them. So after "~CAP_BPF" then "CAP_BPF" the
// bounding set is all ones again and the next line replaces it.
void apply_caps(std::uint64_t& set, std::uint64_t initial, const std::string& value) {
    std::string v = value;
    bool invert = !v.empty() && v[0] == '~';
    if (invert) v.erase(0, 1);
    std::uint64_t sum = 0;
    for (const auto& w : split_words(v))
        if (auto n = cap_number(w)) sum |= cap(*n);
    if (sum == 0 || set == initial)
        set = invert ? ~sum : sum;
    else if (invert)
        set &= ~sum;
    else
        set |= sum;
}

void apply_namespaces(SecurityInfo& s, const Assignment& a) {
    std::string v = a.value;
    if (v.empty()) {
        s.restrict_namespaces = ~std::uint64_t{0};
        return;
    }
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    if (auto b = parse_bool(v); b && !invert) {
        s.restrict_namespaces = *b ? 0 : kNsAll;
        return;
    }
    std::uint64_t flags = 0;
    for (const auto& w : split_words(v)) {
        std::uint64_t bit = ns_bit(w.c_str());
        if (!bit) return; // unknown namespace type: the assignment is ignored
        flags |= bit;
    }
    if (invert) flags = ~flags & kNsAll;
    if (s.restrict_namespaces == ~std::uint64_t{0})
        s.restrict_namespaces = flags;
    else if (invert)
        s.restrict_namespaces &= flags;
    else
        s.restrict_namespaces |= flags;
}

struct AddressFamilies {
    bool allow_list = false;
    std::set<std::string> families;
};

void apply_families(AddressFamilies& af, const Assignment& a) {
    std::string v = a.value;
    if (v.empty()) {
        af = {};
        return;
    }
    if (v == "none") {
        af.families.clear();
        af.allow_list = true;
        return;
    }
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    if (af.families.empty()) af.allow_list = !invert;
    for (const auto& w : split_words(v)) {
        if (w.rfind("AF_", 0) != 0 || w.size() < 4) continue; // systemd warns and skips it
        std::string name = w == "AF_LOCAL" ? "AF_UNIX" : w;
        if (!invert == af.allow_list)
            af.families.insert(name);
        else
            af.families.erase(name);
    }
}

struct SyscallFilter {
    bool created = false;
    bool allow_list = false;
    std::set<std::string> names;
};

void filter_add(SyscallFilter& f, const std::string& name, bool invert, int depth = 0) {
    if (depth > 8) return;
    if (!name.empty() && name[0] == '@') {
        if (const SyscallSet* set = find_syscall_set(name))
            for (auto m : set->members) filter_add(f, std::string(m), invert, depth + 1);
        return;
    }
    if (!is_x86_64_syscall(name)) return; // not a system call here: never checked
    if (!invert == f.allow_list)
        f.names.insert(name);
    else
        f.names.erase(name);
}

void apply_syscall_filter(SyscallFilter& f, const Assignment& a) {
    std::string v = a.value;
    if (v.empty()) {
        f.names.clear();
        f.allow_list = false;
        return;
    }
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    if (!f.created) {
        f.created = true;
        f.allow_list = !invert;
        if (f.allow_list) filter_add(f, "@default", false);
    }
    for (auto w : split_words(v)) {
        if (auto colon = w.find(':'); colon != std::string::npos) w.resize(colon); // ":errno"
        filter_add(f, w, invert);
    }
}

bool is_localhost_entry(const std::string& w) {
    return w == "localhost" || w.rfind("127.", 0) == 0 || w == "::1" || w == "::1/128";
}

void apply_ip(std::vector<std::string>& list, const Assignment& a) {
    if (a.value.empty()) {
        list.clear();
        return;
    }
    for (const auto& w : split_words(a.value)) list.push_back(w);
}

// path_simplify() of an absolute path: repeated slashes and "." components dropped, no trailing
// slash.
std::string simplify_path(const std::string& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size();) {
        std::size_t j = std::min(path.find('/', i), path.size());
        std::string part = path.substr(i, j - i);
        if (!part.empty() && part != ".") out += "/" + part;
        i = j + 1;
    }
    return out.empty() ? "/" : out;
}

bool has_dotdot(const std::string& path) {
    return path == ".." || path.find("/../") != std::string::npos ||
           (path.size() >= 3 && path.compare(path.size() - 3, 3, "/..") == 0) ||
           path.rfind("../", 0) == 0;
}

// config_parse_device_allow(): "PATH [rwm]" where PATH is block-*, char-* or a normalized path
// under /dev/ (or /run/systemd/inaccessible/); anything else is ignored. Entries are prepended.
void apply_device_allow(std::vector<std::string>& list, const std::string& value) {
    if (value.empty()) {
        list.clear();
        return;
    }
    auto words = split_words(value);
    if (words.empty()) return;
    std::string path = words[0];
    std::string rights;
    std::size_t rest = value.find_first_not_of(" \t\n", value.find(words[0]) + words[0].size());
    if (rest != std::string::npos) rights = value.substr(rest);
    if (path.rfind("block-", 0) != 0 && path.rfind("char-", 0) != 0) {
        if (path.empty() || path[0] != '/') return;
        path = simplify_path(path);
        bool under_dev =
            path.rfind("/dev/", 0) == 0 || path.rfind("/run/systemd/inaccessible/", 0) == 0;
        if (!under_dev || has_dotdot(path)) return;
    }
    if (rights.find_first_not_of("rwm") != std::string::npos) return;
    bool all = rights.empty();
    std::string mode;
    for (char c : {'r', 'w', 'm'})
        if (all || rights.find(c) != std::string::npos) mode += c;
    list.insert(list.begin(), path + ":" + mode);
}

// MountImages=: whitespace-separated SOURCE:DEST[:...] tuples; one with absolute paths is enough
// to matter here.
bool has_mount_image(const std::string& value) {
    for (const auto& tuple : split_words(value)) {
        auto colon = tuple.find(':');
        if (colon == std::string::npos) continue;
        std::string source = tuple.substr(0, colon);
        std::string dest = tuple.substr(colon + 1, tuple.find(':', colon + 1) - colon - 1);
        if (!source.empty() && source[0] == '-') source.erase(0, 1);
        if (!source.empty() && source[0] == '/' && !dest.empty() && dest[0] == '/') return true;
    }
    return false;
}

// LoadCredential[Encrypted]=NAME[:SOURCE], SetCredential[Encrypted]=NAME:DATA: per name the last
// line decides whether it is encrypted (an encrypted one makes systemd allow the TPM device).
void apply_credential(std::map<std::string, bool>& creds, const std::string& value,
                      bool encrypted) {
    if (value.empty()) {
        creds.clear();
        return;
    }
    std::string name = value.substr(0, value.find(':'));
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) return;
    creds[name] = encrypted;
}

SecurityInfo resolve(const Unit& u) {
    SecurityInfo s;
    const std::string& t = u.type;
    s.has_exec = t == "service" || t == "socket" || t == "mount" || t == "swap";
    s.has_cgroup = s.has_exec || t == "slice" || t == "scope";
    const std::string sec = type_section(t);

    if (auto dd = u.last("Unit", "DefaultDependencies"))
        if (auto b = parse_bool(dd->value)) s.default_dependencies = *b;

    if (s.has_exec) {
        s.bounding = ~std::uint64_t{0};
        s.umask = 0022;
        s.keyring_mode = t == "service" ? "private" : "inherit";
        s.protect_proc = "default";
        s.proc_subset = "all";
        s.protect_home = "no";
        s.protect_system = "no";
        AddressFamilies af;
        SyscallFilter filter;
        for (const auto& a : u.assignments) {
            if (a.section != sec) continue;
            const std::string& k = a.key;
            const std::string& v = a.value;
            if (k == "User") {
                if (v.empty())
                    s.user.reset();
                else
                    s.user = v;
            } else if (k == "DynamicUser")
                set_bool(s.dynamic_user, a);
            else if (k == "SupplementaryGroups") {
                if (v.empty())
                    s.supplementary_groups.clear();
                else
                    for (const auto& w : split_words(v)) s.supplementary_groups.push_back(w);
            } else if (k == "CapabilityBoundingSet")
                apply_caps(s.bounding, ~std::uint64_t{0}, v);
            else if (k == "AmbientCapabilities")
                apply_caps(s.ambient, 0, v);
            else if (k == "LockPersonality")
                set_bool(s.lock_personality, a);
            else if (k == "MemoryDenyWriteExecute")
                set_bool(s.memory_deny_write_execute, a);
            else if (k == "NoNewPrivileges")
                set_bool(s.no_new_privileges, a);
            else if (k == "ProtectHostname")
                set_bool(s.protect_hostname, a);
            else if (k == "PrivateDevices")
                set_bool(s.private_devices, a);
            else if (k == "PrivateMounts")
                set_bool(s.private_mounts, a);
            else if (k == "PrivateNetwork")
                set_bool(s.private_network, a);
            else if (k == "PrivateTmp")
                set_bool(s.private_tmp, a);
            else if (k == "PrivateUsers")
                set_bool(s.private_users, a);
            else if (k == "ProtectControlGroups")
                set_bool(s.protect_control_groups, a);
            else if (k == "ProtectKernelModules")
                set_bool(s.protect_kernel_modules, a);
            else if (k == "ProtectKernelTunables")
                set_bool(s.protect_kernel_tunables, a);
            else if (k == "ProtectKernelLogs")
                set_bool(s.protect_kernel_logs, a);
            else if (k == "ProtectClock")
                set_bool(s.protect_clock, a);
            else if (k == "RemoveIPC")
                set_bool(s.remove_ipc, a);
            else if (k == "RestrictRealtime")
                set_bool(s.restrict_realtime, a);
            else if (k == "RestrictSUIDSGID")
                set_bool(s.restrict_suid_sgid, a);
            else if (k == "ProtectHome") {
                if (v.empty())
                    s.protect_home = "no";
                else if (auto b = parse_bool(v))
                    s.protect_home = *b ? "yes" : "no";
                else if (v == "read-only" || v == "tmpfs")
                    s.protect_home = v;
            } else if (k == "ProtectSystem") {
                if (v.empty())
                    s.protect_system = "no";
                else if (auto b = parse_bool(v))
                    s.protect_system = *b ? "yes" : "no";
                else if (v == "full" || v == "strict")
                    s.protect_system = v;
            } else if (k == "KeyringMode") {
                if (v == "inherit" || v == "private" || v == "shared") s.keyring_mode = v;
            } else if (k == "ProtectProc") {
                if (v == "noaccess" || v == "invisible" || v == "ptraceable" || v == "default")
                    s.protect_proc = v;
            } else if (k == "ProcSubset") {
                if (v == "all" || v == "pid") s.proc_subset = v;
            } else if (k == "RootDirectory" || k == "RootImage") {
                // config_parse_path(): a relative path makes systemd refuse the unit.
                auto& target = k == "RootDirectory" ? s.root_directory : s.root_image;
                if (v.empty())
                    target.reset();
                else if (v[0] == '/')
                    target = simplify_path(v);
            } else if (k == "MountImages") {
                if (v.empty())
                    s.mount_images = false;
                else
                    s.mount_images = s.mount_images || has_mount_image(v);
            } else if (k == "LoadCredential" || k == "LoadCredentialEncrypted")
                apply_credential(s.load_credentials, v, k == "LoadCredentialEncrypted");
            else if (k == "SetCredential" || k == "SetCredentialEncrypted")
                apply_credential(s.set_credentials, v, k == "SetCredentialEncrypted");
            else if (k == "RestrictNamespaces")
                apply_namespaces(s, a);
            else if (k == "RestrictAddressFamilies")
                apply_families(af, a);
            else if (k == "SystemCallArchitectures") {
                if (v.empty()) s.syscall_archs.clear();
                for (const auto& w : split_words(v)) s.syscall_archs.insert(w);
            } else if (k == "SystemCallFilter")
                apply_syscall_filter(filter, a);
            else if (k == "UMask") {
                if (!v.empty() && v.size() <= 4 &&
                    std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '7'; }))
                    s.umask = static_cast<unsigned>(std::stoul(v, nullptr, 8));
            }
        }
        s.af_inet = s.af_unix = s.af_netlink = s.af_packet = s.af_other = af.allow_list;
        for (const auto& f : af.families) {
            if (f == "AF_INET" || f == "AF_INET6")
                s.af_inet = !af.allow_list;
            else if (f == "AF_UNIX")
                s.af_unix = !af.allow_list;
            else if (f == "AF_NETLINK")
                s.af_netlink = !af.allow_list;
            else if (f == "AF_PACKET")
                s.af_packet = !af.allow_list;
            else
                s.af_other = !af.allow_list;
        }
        s.syscall_allow_list = filter.allow_list;
        s.syscall_filter = filter.names;

        // What the unit loader derives (unit_patch_contexts() in src/core/unit.c).
        if (s.dynamic_user) {
            if (!s.user) s.user = u.name.substr(0, u.name.find_first_of("@."));
            s.remove_ipc = true;
            s.private_tmp = true;
            s.protect_system = "strict";
            if (s.protect_home == "no") s.protect_home = "read-only";
            s.no_new_privileges = true;
            s.restrict_suid_sgid = true;
        }
        if (s.private_devices) s.bounding &= ~(cap(27) | cap(17));
        if (s.protect_kernel_modules) s.bounding &= ~cap(16);
        if (s.protect_kernel_logs) s.bounding &= ~cap(34);
        if (s.protect_clock) s.bounding &= ~(cap(25) | cap(35));
        if (t == "service") {
            s.notify_access = "none";
            if (auto na = u.last("Service", "NotifyAccess"))
                if (na->value == "all" || na->value == "main" || na->value == "exec" ||
                    na->value == "none")
                    s.notify_access = na->value;
        }
    }

    if (s.has_cgroup) {
        s.device_policy = "auto";
        std::vector<std::string> deny, allow;
        for (const auto& a : u.assignments) {
            if (a.section != sec) continue;
            if (a.key == "Delegate") {
                if (a.value.empty())
                    s.delegate = false;
                else if (auto b = parse_bool(a.value))
                    s.delegate = *b;
                else
                    s.delegate = true; // a list of controllers
            } else if (a.key == "DevicePolicy") {
                if (a.value == "auto" || a.value == "closed" || a.value == "strict")
                    s.device_policy = a.value;
                else if (a.value.empty())
                    s.device_policy = "auto";
            } else if (a.key == "DeviceAllow") {
                apply_device_allow(s.device_allow, a.value);
            } else if (a.key == "IPAddressDeny") {
                apply_ip(deny, a);
            } else if (a.key == "IPAddressAllow") {
                apply_ip(allow, a);
            } else if (a.key == "IPIngressFilterPath" || a.key == "IPEgressFilterPath") {
                s.ip_filters = !a.value.empty() || s.ip_filters;
            }
        }
        bool deny4 = false, deny6 = false;
        for (const auto& w : deny) {
            if (w == "any")
                deny4 = deny6 = true;
            else if (w == "0.0.0.0/0")
                deny4 = true;
            else if (w == "::/0")
                deny6 = true;
        }
        s.ip_deny_all = deny4 && deny6;
        for (const auto& w : allow) {
            if (is_localhost_entry(w))
                s.ip_allow_localhost = true;
            else
                s.ip_allow_other = true;
        }
        // unit_patch_contexts(): devices the sandbox itself needs, once devices are restricted.
        if (s.has_exec && s.private_devices && s.device_policy == "auto")
            s.device_policy = "closed";
        if (s.has_exec && (s.device_policy != "auto" || !s.device_allow.empty())) {
            auto add = [&](const char* entry) {
                s.device_allow.insert(s.device_allow.begin(), entry);
            };
            if (s.root_image || s.mount_images) {
                add("/dev/loop-control:rw");
                add("/dev/mapper/control:rw");
                add("block-loop:rwm");
                add("block-blkext:rwm");
                add("block-device-mapper:rwm");
            }
            if (s.protect_clock) add("char-rtc:r");
            bool tpm = false;
            for (const auto& [name, encrypted] : s.load_credentials) tpm = tpm || encrypted;
            for (const auto& [name, encrypted] : s.set_credentials) tpm = tpm || encrypted;
            if (tpm) add("/dev/tpmrm0:rw");
        }
    }
    return s;
}

bool runs_privileged(const SecurityInfo& s) {
    if (s.user && (*s.user == "0" || *s.user == "root")) return true;
    if (s.dynamic_user) return false;
    return !s.user || s.user->empty();
}

constexpr std::uint64_t kNA = ~std::uint64_t{0};

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
    return (a + b - 1) / b;
}

} // namespace

std::string Exposure::score_text() const {
    return std::to_string(score_tenths / 10) + "." + std::to_string(score_tenths % 10);
}

namespace {

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
         cap(21)},
        {{"CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)",
          "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP", 1500, 1,
          "Service cannot change UID/GID identities/capabilities",
          "Service may change UID/GID identities/capabilities"},
         cap(7) | cap(6) | cap(8)},
        {{"CapabilityBoundingSet=~CAP_SYS_PTRACE", "CapabilityBoundingSet_CAP_SYS_PTRACE", 1500, 1,
          "Service has no ptrace() debugging abilities",
          "Service has ptrace() debugging abilities"},
         cap(19)},
        {{"CapabilityBoundingSet=~CAP_SYS_TIME", "CapabilityBoundingSet_CAP_SYS_TIME", 1000, 1,
          "Service processes cannot change the system clock",
          "Service processes may change the system clock"},
         cap(25)},
        {{"CapabilityBoundingSet=~CAP_NET_ADMIN", "CapabilityBoundingSet_CAP_NET_ADMIN", 1000, 1,
          "Service has no network configuration privileges",
          "Service has network configuration privileges"},
         cap(12)},
        {{"CapabilityBoundingSet=~CAP_SYS_RAWIO", "CapabilityBoundingSet_CAP_SYS_RAWIO", 1000, 1,
          "Service has no raw I/O access", "Service has raw I/O access"},
         cap(17)},
        {{"CapabilityBoundingSet=~CAP_SYS_MODULE", "CapabilityBoundingSet_CAP_SYS_MODULE", 1000, 1,
          "Service cannot load kernel modules", "Service may load kernel modules"},
         cap(16)},
        {{"CapabilityBoundingSet=~CAP_AUDIT_*", "CapabilityBoundingSet_CAP_AUDIT", 500, 1,
          "Service has no audit subsystem access", "Service has audit subsystem access"},
         cap(30) | cap(37) | cap(29)},
        {{"CapabilityBoundingSet=~CAP_SYSLOG", "CapabilityBoundingSet_CAP_SYSLOG", 500, 1,
          "Service has no access to kernel logging", "Service has access to kernel logging"},
         cap(34)},
        {{"CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)",
          "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE", 500, 1,
          "Service has no privileges to change resource use parameters",
          "Service has privileges to change resource use parameters"},
         cap(23) | cap(24)},
        {{"CapabilityBoundingSet=~CAP_MKNOD", "CapabilityBoundingSet_CAP_MKNOD", 500, 1,
          "Service cannot create device nodes", "Service may create device nodes"},
         cap(27)},
        {{"CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)",
          "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP", 1000, 1,
          "Service cannot change file ownership/access mode/capabilities",
          "Service may change file ownership/access mode/capabilities unrestricted"},
         cap(0) | cap(4) | cap(31)},
        {{"CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
          "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER", 1000, 1,
          "Service cannot override UNIX file/IPC permission checks",
          "Service may override UNIX file/IPC permission checks"},
         cap(1) | cap(2) | cap(3) | cap(15)},
        {{"CapabilityBoundingSet=~CAP_KILL", "CapabilityBoundingSet_CAP_KILL", 500, 1,
          "Service cannot send UNIX signals to arbitrary processes",
          "Service may send UNIX signals to arbitrary processes"},
         cap(5)},
        // systemd's json_field really ends in ")".
        {{"CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
          "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)", 500, 1,
          "Service has no elevated networking privileges",
          "Service has elevated networking privileges"},
         cap(10) | cap(11) | cap(13)},
        {{"CapabilityBoundingSet=~CAP_SYS_BOOT", "CapabilityBoundingSet_CAP_SYS_BOOT", 100, 1,
          "Service cannot issue reboot()", "Service may issue reboot()"},
         cap(22)},
        {{"CapabilityBoundingSet=~CAP_MAC_*", "CapabilityBoundingSet_CAP_MAC", 100, 1,
          "Service cannot adjust SMACK MAC", "Service may adjust SMACK MAC"},
         cap(33) | cap(32)},
        {{"CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE", "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
          75, 1, "Service cannot mark files immutable", "Service may mark files immutable"},
         cap(9)},
        {{"CapabilityBoundingSet=~CAP_IPC_LOCK", "CapabilityBoundingSet_CAP_IPC_LOCK", 50, 1,
          "Service cannot lock memory into RAM", "Service may lock memory into RAM"},
         cap(14)},
        {{"CapabilityBoundingSet=~CAP_SYS_CHROOT", "CapabilityBoundingSet_CAP_SYS_CHROOT", 50, 1,
          "Service cannot issue chroot()", "Service may issue chroot()"},
         cap(18)},
        {{"CapabilityBoundingSet=~CAP_BLOCK_SUSPEND", "CapabilityBoundingSet_CAP_BLOCK_SUSPEND", 25,
          1, "Service cannot establish wake locks", "Service may establish wake locks"},
         cap(36)},
        {{"CapabilityBoundingSet=~CAP_WAKE_ALARM", "CapabilityBoundingSet_CAP_WAKE_ALARM", 25, 1,
          "Service cannot program timers that wake up the system",
          "Service may program timers that wake up the system"},
         cap(35)},
        {{"CapabilityBoundingSet=~CAP_LEASE", "CapabilityBoundingSet_CAP_LEASE", 25, 1,
          "Service cannot create file leases", "Service may create file leases"},
         cap(28)},
        {{"CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG", "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
          25, 1, "Service cannot issue vhangup()", "Service may issue vhangup()"},
         cap(26)},
        {{"CapabilityBoundingSet=~CAP_SYS_PACCT", "CapabilityBoundingSet_CAP_SYS_PACCT", 25, 1,
          "Service cannot use acct()", "Service may use acct()"},
         cap(20)},
        {{"CapabilityBoundingSet=~CAP_BPF", "CapabilityBoundingSet_CAP_BPF", 25, 1,
          "Service may not load BPF programs", "Service may load BPF programs"},
         cap(39)},
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

Exposure assess_exposure(const Unit& unit) {
    SecurityInfo s = resolve(unit);
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
    const std::pair<Row, const char*> ns_rows[] = {
        {{"RestrictNamespaces=~user", "RestrictNamespaces_user", 1500, 1,
          "Service cannot create user namespaces", "Service may create user namespaces"},
         "user"},
        {{"RestrictNamespaces=~mnt", "RestrictNamespaces_mnt", 500, 1,
          "Service cannot create file system namespaces",
          "Service may create file system namespaces"},
         "mnt"},
        {{"RestrictNamespaces=~ipc", "RestrictNamespaces_ipc", 500, 1,
          "Service cannot create IPC namespaces", "Service may create IPC namespaces"},
         "ipc"},
        {{"RestrictNamespaces=~pid", "RestrictNamespaces_pid", 500, 1,
          "Service cannot create process namespaces", "Service may create process namespaces"},
         "pid"},
        {{"RestrictNamespaces=~cgroup", "RestrictNamespaces_cgroup", 500, 1,
          "Service cannot create cgroup namespaces", "Service may create cgroup namespaces"},
         "cgroup"},
        {{"RestrictNamespaces=~net", "RestrictNamespaces_net", 500, 1,
          "Service cannot create network namespaces", "Service may create network namespaces"},
         "net"},
        {{"RestrictNamespaces=~uts", "RestrictNamespaces_uts", 100, 1,
          "Service cannot create hostname namespaces", "Service may create hostname namespaces"},
         "uts"},
    };
    for (const auto& [row, ns] : ns_rows) flag(row, (s.restrict_namespaces & ns_bit(ns)) == 0);
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
