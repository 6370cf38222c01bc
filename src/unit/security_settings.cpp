#include "unit/security_settings.hpp"

#include "unit/directives.hpp"
#include "unit/syscall_sets.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>

namespace berth::unit {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
    return std::any_of(options.begin(), options.end(), [&](const char* o) { return v == o; });
}

// An integer as systemd's safe_atoi() reads it: C notation (0x hex, leading 0 octal) plus 0o/0b.
std::optional<long> parse_c_integer(const std::string& s) {
    int base = 0;
    std::string digits = s;
    if (s.size() > 2 && s[0] == '0' && std::string_view("oObB").find(s[1]) != std::string::npos) {
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

// Capability names of linux/capability.h as systemd 252 is built with them, by number.
constexpr const char* kCapNames[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

// capability_from_name(): a number 0..63 or a name in any case; nullopt for anything else,
// which systemd skips (the rest of the line still counts).
std::optional<int> cap_number(const std::string& word) {
    if (auto n = parse_c_integer(word)) {
        if (*n >= 0 && *n < 64) return static_cast<int>(*n);
        return std::nullopt;
    }
    std::string w = lower(word);
    for (int i = 0; i < static_cast<int>(std::size(kCapNames)); ++i)
        if (w == lower(kCapNames[i])) return i;
    return std::nullopt;
}

// Address families systemd 252's af-list knows (the AF_ macros of glibc 2.36's sys/socket.h,
// aliases included), matched in any case.
constexpr std::pair<const char*, int> kAddressFamilies[] = {
    {"AF_UNIX", 1},     {"AF_LOCAL", 1},      {"AF_FILE", 1},        {"AF_INET", 2},
    {"AF_AX25", 3},     {"AF_IPX", 4},        {"AF_APPLETALK", 5},   {"AF_NETROM", 6},
    {"AF_BRIDGE", 7},   {"AF_ATMPVC", 8},     {"AF_X25", 9},         {"AF_INET6", 10},
    {"AF_ROSE", 11},    {"AF_DECnet", 12},    {"AF_NETBEUI", 13},    {"AF_SECURITY", 14},
    {"AF_KEY", 15},     {"AF_NETLINK", 16},   {"AF_ROUTE", 16},      {"AF_PACKET", 17},
    {"AF_ASH", 18},     {"AF_ECONET", 19},    {"AF_ATMSVC", 20},     {"AF_RDS", 21},
    {"AF_SNA", 22},     {"AF_IRDA", 23},      {"AF_PPPOX", 24},      {"AF_WANPIPE", 25},
    {"AF_LLC", 26},     {"AF_IB", 27},        {"AF_MPLS", 28},       {"AF_CAN", 29},
    {"AF_TIPC", 30},    {"AF_BLUETOOTH", 31}, {"AF_IUCV", 32},       {"AF_RXRPC", 33},
    {"AF_ISDN", 34},    {"AF_PHONET", 35},    {"AF_IEEE802154", 36}, {"AF_CAIF", 37},
    {"AF_ALG", 38},     {"AF_NFC", 39},       {"AF_VSOCK", 40},      {"AF_KCM", 41},
    {"AF_QIPCRTR", 42}, {"AF_SMC", 43},       {"AF_XDP", 44},        {"AF_MCTP", 45},
};

std::optional<int> address_family(const std::string& word) {
    std::string w = lower(word);
    for (const auto& [name, n] : kAddressFamilies)
        if (w == lower(name)) return n;
    return std::nullopt;
}

// seccomp_arch_from_string() of systemd 252 built with libseccomp 2.5 (case-sensitive).
constexpr const char* kArchitectures[] = {
    "native", "x86",        "x86-64",   "x32",       "arm",           "arm64",  "mips",
    "mips64", "mips64-n32", "mips-le",  "mips64-le", "mips64-le-n32", "parisc", "parisc64",
    "ppc",    "ppc64",      "ppc64-le", "riscv64",   "s390",          "s390x",
};

// is_localhost(): the host names RFC 6761 reserves for the local host, plus "localdomain".
bool is_localhost_name(const std::string& name) {
    std::string n = lower(name);
    for (const char* s :
         {"localhost", "localhost.", "localhost.localdomain", "localhost.localdomain."})
        if (n == s) return true;
    for (const char* s :
         {".localhost", ".localhost.", ".localhost.localdomain", ".localhost.localdomain."}) {
        std::string_view suffix(s);
        if (n.size() >= suffix.size() &&
            n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    }
    return false;
}

// An address prefix of IPAddressAllow=/IPAddressDeny=, masked to its length as systemd stores it.
struct Prefix {
    int family = AF_INET;
    std::array<unsigned char, 16> address{};
    unsigned length = 0;
};

Prefix masked(int family, const unsigned char* bytes, unsigned length) {
    Prefix p;
    p.family = family;
    p.length = length;
    std::size_t size = family == AF_INET ? 4 : 16;
    for (std::size_t i = 0; i < size; ++i) {
        unsigned keep = length >= (i + 1) * 8 ? 8 : (length > i * 8 ? length - i * 8 : 0);
        unsigned char mask = keep == 0 ? 0 : static_cast<unsigned char>(0xff << (8 - keep));
        p.address[i] = bytes[i] & mask;
    }
    return p;
}

// config_parse_in_addr_prefixes(): "any", "localhost", "link-local", "multicast" or ADDRESS[/LEN];
// an invalid word is skipped.
void apply_prefixes(std::vector<Prefix>& list, const std::string& value) {
    if (value.empty()) {
        list.clear();
        return;
    }
    auto add = [&](const char* v4, unsigned len4, const char* v6, unsigned len6) {
        unsigned char b[16];
        inet_pton(AF_INET, v4, b);
        list.push_back(masked(AF_INET, b, len4));
        inet_pton(AF_INET6, v6, b);
        list.push_back(masked(AF_INET6, b, len6));
    };
    for (const auto& w : split_words(value)) {
        if (w == "any")
            add("0.0.0.0", 0, "::", 0);
        else if (is_localhost_name(w))
            add("127.0.0.0", 8, "::1", 128);
        else if (w == "link-local")
            add("169.254.0.0", 16, "fe80::", 64);
        else if (w == "multicast")
            add("224.0.0.0", 4, "ff00::", 8);
        else {
            auto slash = w.find('/');
            std::string address = w.substr(0, slash);
            unsigned char b[16];
            int family = inet_pton(AF_INET, address.c_str(), b) == 1    ? AF_INET
                         : inet_pton(AF_INET6, address.c_str(), b) == 1 ? AF_INET6
                                                                        : 0;
            if (!family) continue;
            unsigned max = family == AF_INET ? 32 : 128;
            unsigned length = max;
            if (slash != std::string::npos) {
                std::string len = w.substr(slash + 1);
                auto n = parse_c_integer(len);
                if (!n || len[0] == '-' || len[0] == '+' || *n < 0 || *n > static_cast<long>(max))
                    continue;
                length = static_cast<unsigned>(*n);
            }
            list.push_back(masked(family, b, length));
        }
    }
}

bool is_localhost_prefix(const Prefix& p) {
    if (p.family == AF_INET) return p.address[0] == 127;
    for (std::size_t i = 0; i < 15; ++i)
        if (p.address[i] != 0) return false;
    return p.address[15] == 1;
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

// config_parse_bool(): an empty or invalid value is logged and ignored.
void apply_bool(bool& target, const std::string& value) {
    if (auto b = parse_bool(value)) target = *b;
}

// An enum directive (DEFINE_CONFIG_PARSE_ENUM): a value outside the table, or empty, is ignored.
void apply_enum(std::optional<std::string>& target, const std::string& value,
                std::initializer_list<const char*> table) {
    if (one_of(value, table)) target = value;
}

// ProtectHome=/ProtectSystem=: a boolean ("no"/"yes") or a value of the table; else ignored.
void apply_bool_enum(std::optional<std::string>& target, const std::string& value,
                     std::initializer_list<const char*> table) {
    if (auto b = parse_bool(value))
        target = *b ? "yes" : "no";
    else
        apply_enum(target, value, table);
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
        if (auto n = cap_number(w)) sum |= cap_bit(*n);
    if (sum == 0 || set == initial)
        set = invert ? ~sum : sum;
    else if (invert)
        set &= ~sum;
    else
        set |= sum;
}

std::uint64_t namespace_bit(const std::string& name) {
    static const std::map<std::string, std::uint64_t> bits = {
        {"cgroup", kNsCgroup}, {"ipc", kNsIpc},   {"net", kNsNet}, {"mnt", kNsMnt},
        {"pid", kNsPid},       {"user", kNsUser}, {"uts", kNsUts}};
    auto it = bits.find(name);
    return it == bits.end() ? 0 : it->second;
}

// config_parse_restrict_namespaces(): empty resets, a boolean sets all or nothing, else a list
// (one unknown name voids the line) that is the value while unset and merges after.
void apply_namespaces(std::uint64_t& ns, const std::string& value) {
    const std::uint64_t unset = ~std::uint64_t{0};
    if (value.empty()) {
        ns = unset;
        return;
    }
    if (auto b = parse_bool(value)) {
        ns = *b ? 0 : kNsAll;
        return;
    }
    std::string v = value;
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    std::uint64_t flags = 0;
    for (const auto& w : split_words(v)) {
        std::uint64_t bit = namespace_bit(w);
        if (!bit) return;
        flags |= bit;
    }
    if (ns == unset)
        ns = invert ? ~flags & kNsAll : flags;
    else if (invert)
        ns &= ~flags;
    else
        ns |= flags;
}

// RestrictAddressFamilies=: the first line after a reset fixes allow or deny list; later lines
// add to it or take out of it. The list exists (even empty) until the next reset.
struct AddressFamilies {
    bool exists = false;
    bool allow_list = false;
    std::set<int> families;
};

void apply_families(AddressFamilies& af, const std::string& value) {
    if (value.empty()) {
        af = {};
        return;
    }
    if (value == "none") {
        af = {};
        af.allow_list = true;
        return;
    }
    std::string v = value;
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    if (!af.exists) {
        af.exists = true;
        af.allow_list = !invert;
    }
    for (const auto& w : split_words(v)) {
        auto n = address_family(w);
        if (!n) continue; // systemd warns and skips it
        if (!invert == af.allow_list)
            af.families.insert(*n);
        else
            af.families.erase(*n);
    }
}

// SystemCallFilter=: like the address families, an allow list starting from @default.
struct SyscallFilter {
    bool exists = false;
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

// seccomp_parse_errno_or_action(): "kill", an errno name in any case, or a number 0..4095.
bool valid_errno(const std::string& s) {
    if (s == "kill") return true;
    if (auto n = parse_c_integer(s)) return *n >= 0 && *n <= 4095;
    std::string u = s;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::toupper(c); });
    if (u == "EWOULDBLOCK" || u == "EDEADLOCK" || u == "ENOTSUP") return true; // aliases
    for (int e = 1; e < 4096; ++e)
        if (const char* name = strerrorname_np(e); name && u == name) return true;
    return false;
}

void apply_syscall_filter(SyscallFilter& f, const std::string& value) {
    if (value.empty()) {
        f = {};
        return;
    }
    std::string v = value;
    bool invert = v[0] == '~';
    if (invert) v.erase(0, 1);
    if (!f.exists) {
        f.exists = true;
        f.allow_list = !invert;
        if (f.allow_list) filter_add(f, "@default", false);
    }
    for (auto w : split_words(v)) {
        bool with_errno = false;
        if (auto colon = w.find(':'); colon != std::string::npos) {
            if (!valid_errno(w.substr(colon + 1))) continue;
            w.resize(colon);
            with_errno = true;
        }
        if (w.empty()) continue;
        // "Allow-listed system calls cannot take error number": the word is ignored.
        if (!invert && with_errno) continue;
        filter_add(f, w, invert);
    }
}

// parse_mode(): octal, at most 07777, no sign; else ignored.
void apply_umask(unsigned& umask, const std::string& value) {
    if (value.empty() || value[0] == '+' || value[0] == '-') return;
    errno = 0;
    char* end = nullptr;
    unsigned long m = std::strtoul(value.c_str(), &end, 8);
    if (errno != 0 || end == value.c_str() || *end != '\0' || m > 07777) return;
    umask = static_cast<unsigned>(m);
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

// config_parse_ip_filter_bpf_progs(): absolute paths; empty resets.
void apply_filter_paths(std::vector<std::string>& list, const std::string& value) {
    if (value.empty())
        list.clear();
    else if (value[0] == '/')
        list.push_back(simplify_path(value));
}

// valid_user_group_name() in strict mode, for the user DynamicUser= derives from the unit name.
bool strict_user_name(const std::string& n) {
    if (n.empty() || n.size() > 31) return false;
    if (!std::isalpha(static_cast<unsigned char>(n[0])) && n[0] != '_') return false;
    return std::all_of(n.begin() + 1, n.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

// What the exec and cgroup parts of the unit set, before unit_patch_contexts().
struct Context {
    AddressFamilies families;
    SyscallFilter filter;
    bool mount_images = false;
    std::map<std::string, bool> load_credentials, set_credentials; // name -> encrypted
    std::vector<Prefix> ip_deny, ip_allow;
    std::vector<std::string> ingress, egress;
};

void apply_exec(SecurityInfo& s, Context& c, const std::string& k, const std::string& v) {
    if (k == "User") {
        if (v.empty())
            s.user.reset();
        else
            s.user = v;
    } else if (k == "DynamicUser")
        apply_bool(s.dynamic_user, v);
    else if (k == "SupplementaryGroups") {
        if (v.empty()) s.supplementary_groups.clear();
        for (const auto& w : split_words(v)) s.supplementary_groups.push_back(w);
    } else if (k == "CapabilityBoundingSet")
        apply_caps(s.bounding, ~std::uint64_t{0}, v);
    else if (k == "AmbientCapabilities")
        apply_caps(s.ambient, 0, v);
    else if (k == "LockPersonality")
        apply_bool(s.lock_personality, v);
    else if (k == "MemoryDenyWriteExecute")
        apply_bool(s.memory_deny_write_execute, v);
    else if (k == "NoNewPrivileges")
        apply_bool(s.no_new_privileges, v);
    else if (k == "ProtectHostname")
        apply_bool(s.protect_hostname, v);
    else if (k == "PrivateDevices")
        apply_bool(s.private_devices, v);
    else if (k == "PrivateMounts")
        apply_bool(s.private_mounts, v);
    else if (k == "PrivateNetwork")
        apply_bool(s.private_network, v);
    else if (k == "PrivateTmp")
        apply_bool(s.private_tmp, v);
    else if (k == "PrivateUsers")
        apply_bool(s.private_users, v);
    else if (k == "ProtectControlGroups")
        apply_bool(s.protect_control_groups, v);
    else if (k == "ProtectKernelModules")
        apply_bool(s.protect_kernel_modules, v);
    else if (k == "ProtectKernelTunables")
        apply_bool(s.protect_kernel_tunables, v);
    else if (k == "ProtectKernelLogs")
        apply_bool(s.protect_kernel_logs, v);
    else if (k == "ProtectClock")
        apply_bool(s.protect_clock, v);
    else if (k == "RemoveIPC")
        apply_bool(s.remove_ipc, v);
    else if (k == "RestrictRealtime")
        apply_bool(s.restrict_realtime, v);
    else if (k == "RestrictSUIDSGID")
        apply_bool(s.restrict_suid_sgid, v);
    else if (k == "ProtectHome")
        apply_bool_enum(s.protect_home, v, {"read-only", "tmpfs"});
    else if (k == "ProtectSystem")
        apply_bool_enum(s.protect_system, v, {"full", "strict"});
    else if (k == "KeyringMode")
        apply_enum(s.keyring_mode, v, {"inherit", "private", "shared"});
    else if (k == "ProtectProc")
        apply_enum(s.protect_proc, v, {"default", "noaccess", "invisible", "ptraceable"});
    else if (k == "ProcSubset")
        apply_enum(s.proc_subset, v, {"all", "pid"});
    else if (k == "RootDirectory" || k == "RootImage") {
        // config_parse_path(): a relative path makes systemd refuse the unit.
        auto& target = k == "RootDirectory" ? s.root_directory : s.root_image;
        if (v.empty())
            target.reset();
        else if (v[0] == '/')
            target = simplify_path(v);
    } else if (k == "MountImages")
        c.mount_images = !v.empty() && (c.mount_images || has_mount_image(v));
    else if (k == "LoadCredential" || k == "LoadCredentialEncrypted")
        apply_credential(c.load_credentials, v, k == "LoadCredentialEncrypted");
    else if (k == "SetCredential" || k == "SetCredentialEncrypted")
        apply_credential(c.set_credentials, v, k == "SetCredentialEncrypted");
    else if (k == "RestrictNamespaces")
        apply_namespaces(s.restrict_namespaces, v);
    else if (k == "RestrictAddressFamilies")
        apply_families(c.families, v);
    else if (k == "SystemCallArchitectures") {
        if (v.empty()) s.syscall_archs.clear();
        for (const auto& w : split_words(v))
            if (std::find(std::begin(kArchitectures), std::end(kArchitectures), w) !=
                std::end(kArchitectures))
                s.syscall_archs.insert(w);
    } else if (k == "SystemCallFilter")
        apply_syscall_filter(c.filter, v);
    else if (k == "UMask")
        apply_umask(s.umask, v);
}

void apply_cgroup(SecurityInfo& s, Context& c, const std::string& type, const std::string& k,
                  const std::string& v) {
    if (k == "Delegate") {
        // Only services and scopes can delegate. Empty means yes (without controllers); a
        // controller list means yes too, whatever its words.
        if (type != "service" && type != "scope") return;
        auto b = parse_bool(v);
        s.delegate = v.empty() || !b || *b;
    } else if (k == "DevicePolicy")
        apply_enum(s.device_policy, v, {"auto", "closed", "strict"});
    else if (k == "DeviceAllow")
        apply_device_allow(s.device_allow, v);
    else if (k == "IPAddressDeny")
        apply_prefixes(c.ip_deny, v);
    else if (k == "IPAddressAllow")
        apply_prefixes(c.ip_allow, v);
    else if (k == "IPIngressFilterPath")
        apply_filter_paths(c.ingress, v);
    else if (k == "IPEgressFilterPath")
        apply_filter_paths(c.egress, v);
}

} // namespace

SecurityInfo resolve_security(const Unit& u) {
    SecurityInfo s;
    const std::string& t = u.type;
    const bool has_exec = t == "service" || t == "socket" || t == "mount" || t == "swap";
    const bool has_cgroup = has_exec || t == "slice" || t == "scope";
    const std::string sec = type_section(t);
    Context c;
    if (has_exec) {
        s.umask = 0022;
        // The system manager's defaults: services keep their keyring private.
        s.keyring_mode = t == "service" ? "private" : "shared";
        s.protect_proc = "default";
        s.proc_subset = "all";
        s.protect_home = "no";
        s.protect_system = "no";
    }
    if (has_cgroup) s.device_policy = "auto";
    if (t == "service") s.notify_access = "none";

    for (const auto& a : u.assignments) {
        if (a.section == "Unit" && a.key == "DefaultDependencies")
            apply_bool(s.default_dependencies, a.value);
        if (a.section != sec) continue;
        if (t == "service" && a.key == "NotifyAccess")
            apply_enum(s.notify_access, a.value, {"none", "main", "exec", "all"});
        if (has_exec) apply_exec(s, c, a.key, a.value);
        if (has_cgroup) apply_cgroup(s, c, t, a.key, a.value);
    }

    if (has_exec) {
        s.af_inet = s.af_unix = s.af_netlink = s.af_packet = s.af_other = c.families.allow_list;
        for (int f : c.families.families) {
            if (f == 2 || f == 10)
                s.af_inet = !c.families.allow_list;
            else if (f == 1)
                s.af_unix = !c.families.allow_list;
            else if (f == 16)
                s.af_netlink = !c.families.allow_list;
            else if (f == 17)
                s.af_packet = !c.families.allow_list;
            else
                s.af_other = !c.families.allow_list;
        }
        s.syscall_allow_list = c.filter.allow_list;
        s.syscall_filter = c.filter.names;

        // unit_patch_contexts(): what the loader derives.
        if (s.private_devices) s.bounding &= ~(cap_bit(27) | cap_bit(17)); // MKNOD, SYS_RAWIO
        if (s.protect_kernel_modules) s.bounding &= ~cap_bit(16);          // SYS_MODULE
        if (s.protect_kernel_logs) s.bounding &= ~cap_bit(34);             // SYSLOG
        if (s.protect_clock) s.bounding &= ~(cap_bit(25) | cap_bit(35));   // SYS_TIME, WAKE_ALARM
        if (s.dynamic_user) {
            if (!s.user) {
                // unit_name_to_prefix(): up to the "@", else up to the type suffix.
                auto end = u.name.find('@');
                if (end == std::string::npos) end = u.name.rfind('.');
                std::string prefix = u.name.substr(0, end);
                s.user = strict_user_name(prefix) ? prefix : "_du"; // "_du" + a hash in systemd
            }
            s.private_tmp = true;
            s.remove_ipc = true;
            s.protect_system = "strict";
            if (s.protect_home == "no") s.protect_home = "read-only";
            s.no_new_privileges = true;
            s.restrict_suid_sgid = true;
        }
        // Devices the sandbox itself needs, once devices are restricted.
        if (s.private_devices && s.device_policy == "auto") s.device_policy = "closed";
        if (s.device_policy != "auto" || !s.device_allow.empty()) {
            auto add = [&](const char* entry) {
                s.device_allow.insert(s.device_allow.begin(), entry);
            };
            if (s.root_image || c.mount_images) {
                add("/dev/loop-control:rw");
                add("/dev/mapper/control:rw");
                add("block-loop:rwm");
                add("block-blkext:rwm");
                add("block-device-mapper:rwm");
            }
            if (s.protect_clock) add("char-rtc:r");
            bool tpm = false;
            for (const auto& [name, encrypted] : c.load_credentials) tpm = tpm || encrypted;
            for (const auto& [name, encrypted] : c.set_credentials) tpm = tpm || encrypted;
            if (tpm) add("/dev/tpmrm0:rw");
        }
    }

    if (has_cgroup) {
        bool deny4 = false, deny6 = false;
        for (const auto& p : c.ip_deny) {
            if (p.length != 0) continue;
            (p.family == AF_INET ? deny4 : deny6) = true;
        }
        s.ip_deny_all = deny4 && deny6;
        for (const auto& p : c.ip_allow)
            (is_localhost_prefix(p) ? s.ip_allow_localhost : s.ip_allow_other) = true;
        s.ip_filters = !c.ingress.empty() || !c.egress.empty();
    }
    return s;
}

bool runs_privileged(const SecurityInfo& s) {
    if (s.user && (*s.user == "0" || *s.user == "root")) return true;
    if (s.dynamic_user) return false;
    return !s.user || s.user->empty();
}

} // namespace berth::unit
