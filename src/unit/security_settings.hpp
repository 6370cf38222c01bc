#pragma once
// The settings `systemd-analyze security --offline=true` reads (its SecurityInfo), resolved from
// the unit files as systemd 252's loader does: each directive parsed as its config_parse_*()
// function in src/core/load-fragment.c does (invalid or empty values ignored where systemd ignores
// them, list resets, merges), then the loader's implications (unit_patch_contexts()).
#include "unit/unit_model.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berth::unit {

// A capability's bit, by its number in linux/capability.h (CAP_SYS_ADMIN is 21).
constexpr std::uint64_t cap_bit(int n) {
    return std::uint64_t{1} << n;
}

// Namespace type bits of RestrictNamespaces= (berth's own order; only membership matters).
constexpr std::uint64_t kNsCgroup = 1, kNsIpc = 2, kNsNet = 4, kNsMnt = 8, kNsPid = 16,
                        kNsUser = 32, kNsUts = 64, kNsAll = 127;

struct SecurityInfo {
    bool default_dependencies = true;
    std::uint64_t ambient = 0;
    std::uint64_t bounding = ~std::uint64_t{0}; // all 64 bits: nothing dropped
    std::optional<std::string> user;
    std::vector<std::string> supplementary_groups;
    bool dynamic_user = false;
    bool ip_deny_all = false, ip_allow_localhost = false, ip_allow_other = false;
    bool ip_filters = false; // IPIngressFilterPath=/IPEgressFilterPath= programs
    std::optional<std::string> keyring_mode, protect_proc, proc_subset, notify_access;
    bool lock_personality = false, memory_deny_write_execute = false, no_new_privileges = false;
    bool protect_hostname = false, private_devices = false, private_mounts = false;
    bool private_network = false, private_tmp = false, private_users = false;
    bool protect_control_groups = false, protect_kernel_modules = false;
    bool protect_kernel_tunables = false, protect_kernel_logs = false, protect_clock = false;
    std::optional<std::string> protect_home, protect_system; // "no", "yes", "read-only", ...
    bool remove_ipc = false;
    // true: the family is restricted (systemd's restrict_address_family_*)
    bool af_inet = false, af_unix = false, af_netlink = false, af_packet = false, af_other = false;
    std::uint64_t restrict_namespaces = ~std::uint64_t{0}; // kNs* bits; all ones: unset
    bool restrict_realtime = false, restrict_suid_sgid = false;
    std::optional<std::string> root_directory, root_image; // simplified paths, when set
    bool delegate = false;
    std::optional<std::string> device_policy;
    std::vector<std::string> device_allow; // "path:rwm", newest first as systemd lists them
    std::set<std::string> syscall_archs;   // "native", "x86-64", ...
    bool syscall_allow_list = false;
    std::set<std::string> syscall_filter; // x86-64 system call names
    unsigned umask = 0002;
};

SecurityInfo resolve_security(const Unit& unit);

// security_info_runs_privileged(): root, or no user and no DynamicUser=.
bool runs_privileged(const SecurityInfo& s);

} // namespace berth::unit
