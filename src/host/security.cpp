#include "host/security.hpp"

namespace berth::host {

std::string parse_key_value(std::string_view text, std::string_view key) {
    std::string value;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos || trim(line.substr(0, eq)) != key) continue;
        std::string_view v = trim(line.substr(eq + 1));
        if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
            v = v.substr(1, v.size() - 2);
        value = v; // the last assignment wins
    }
    return value;
}

std::vector<AppArmorProfile> parse_apparmor_profiles(std::string_view text) {
    std::vector<AppArmorProfile> out;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = trim(raw);
        if (line.empty()) continue;
        AppArmorProfile p;
        auto open = line.rfind(" (");
        if (open != std::string_view::npos && line.back() == ')') {
            p.name = line.substr(0, open);
            p.mode = line.substr(open + 2, line.size() - open - 3);
        } else {
            p.name = line;
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::string selinux_mode(const std::optional<std::string>& enforce) {
    if (!enforce) return "disabled";
    return trim(*enforce) == "1" ? "enforcing" : "permissive";
}

SecurityFacts collect_security(const Root& root, std::vector<std::string>& notes) {
    SecurityFacts s;
    // Runtime state is the running kernel's, also under --root.
    auto enforce = read_text("/sys/fs/selinux/enforce");
    s.selinux.present = enforce.has_value();
    s.selinux.mode = selinux_mode(enforce);
    if (auto config = root.read_text("/etc/selinux/config")) {
        s.selinux.config_mode = parse_key_value(*config, "SELINUX");
        s.selinux.config_type = parse_key_value(*config, "SELINUXTYPE");
    }
    if (auto enabled = read_line("/sys/module/apparmor/parameters/enabled"))
        s.apparmor.enabled = *enabled == "Y";
    if (auto profiles = read_text("/sys/kernel/security/apparmor/profiles")) {
        s.apparmor.profiles_readable = true;
        s.apparmor.profiles = parse_apparmor_profiles(*profiles);
    } else if (s.apparmor.enabled) {
        notes.push_back("AppArmor is enabled but /sys/kernel/security/apparmor/profiles cannot be "
                        "read (securityfs not mounted, or not root): loaded profiles unknown");
    }
    return s;
}

} // namespace berth::host
