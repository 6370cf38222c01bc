#pragma once
// SELinux and AppArmor: whether they are on, in which mode, and what they have loaded. The file
// labels of the app's paths are in PathFacts (paths.cpp).
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// The value of KEY= in a shell-style KEY=VALUE file (/etc/selinux/config), "" when absent.
std::string parse_key_value(std::string_view text, std::string_view key);
// /sys/kernel/security/apparmor/profiles: one "NAME (MODE)" per line.
std::vector<AppArmorProfile> parse_apparmor_profiles(std::string_view text);
// /sys/fs/selinux/enforce contents ("1"/"0") to a mode; nullopt text means SELinux is absent.
std::string selinux_mode(const std::optional<std::string>& enforce);

SecurityFacts collect_security(const Root& root, std::vector<std::string>& notes);

} // namespace berth::host
