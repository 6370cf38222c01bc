#include "unit/directives.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace berth::unit {

namespace {

// Directive -> first systemd release, compiled from systemd's NEWS file and the version notes of
// the systemd.exec(5)/systemd.service(5)/systemd.unit(5) man pages. Only directives whose absence
// on an older systemd matters to generate/lint are listed; anything older than 200 is given as 1.
constexpr std::pair<std::string_view, int> kFirstVersion[] = {
    // Source: first version per systemd's NEWS / man pages' version-info.
    {"AmbientCapabilities", 229},
    {"CacheDirectory", 235},
    {"CapabilityBoundingSet", 1},
    {"ConfigurationDirectory", 235},
    {"DevicePolicy", 208},
    {"DynamicUser", 232},
    {"Environment", 1},
    {"EnvironmentFile", 1},
    {"ExecStart", 1},
    {"ExitType", 250},
    {"Group", 1},
    {"IPAddressAllow", 235},
    {"IPAddressDeny", 235},
    {"KeyringMode", 235},
    {"KillMode", 1},
    {"KillSignal", 1},
    {"LimitNOFILE", 1},
    {"LockPersonality", 235},
    {"LogsDirectory", 235},
    {"MemoryDenyWriteExecute", 231},
    {"NoNewPrivileges", 187},
    {"OOMPolicy", 243},
    {"PrivateDevices", 209},
    {"PrivateMounts", 239},
    {"PrivateNetwork", 33},
    {"PrivateTmp", 1},
    {"PrivateUsers", 232},
    {"ProcSubset", 247},
    {"ProtectClock", 245},
    {"ProtectControlGroups", 232},
    {"ProtectHome", 214},
    {"ProtectHostname", 242},
    {"ProtectKernelLogs", 244},
    {"ProtectKernelModules", 232},
    {"ProtectKernelTunables", 232},
    {"ProtectProc", 247},
    {"ProtectSystem", 214},
    {"ReadWritePaths", 231},
    {"RemoveIPC", 232},
    {"Restart", 1},
    {"RestartSec", 1},
    {"RestrictAddressFamilies", 211},
    {"RestrictFileSystems", 250},
    {"RestrictNamespaces", 233},
    {"RestrictRealtime", 231},
    {"RestrictSUIDSGID", 242},
    {"RuntimeDirectory", 211},
    {"StartLimitBurst", 229},
    {"StartLimitIntervalSec", 230},
    {"StateDirectory", 235},
    {"SystemCallArchitectures", 209},
    {"SystemCallErrorNumber", 209},
    {"SystemCallFilter", 187},
    {"TimeoutStartSec", 188},
    {"TimeoutStopSec", 188},
    {"Type", 1},
    {"UMask", 1},
    {"User", 1},
    {"WorkingDirectory", 1},
};

// Values that came later than their directive.
struct ValueVersion {
    std::string_view directive;
    std::string_view value;
    int version;
};
constexpr ValueVersion kValueVersion[] = {
    {"Type", "exec", 240},
    {"ProtectSystem", "strict", 232},
    {"SystemCallFilter", "@system-service", 239},
};

} // namespace

const KnownSection* find_known_section(std::string_view name) {
    for (const auto& s : known_sections_252())
        if (s.name == name) return &s;
    return nullptr;
}

bool is_known_directive_252(std::string_view section, std::string_view key) {
    const KnownSection* s = find_known_section(section);
    return s && std::binary_search(s->directives.begin(), s->directives.end(), key);
}

std::optional<int> first_version(std::string_view directive) {
    for (const auto& [name, v] : kFirstVersion)
        if (name == directive) return v;
    return std::nullopt;
}

std::optional<int> first_version(std::string_view directive, std::string_view value) {
    int best = first_version(directive).value_or(0);
    bool found = first_version(directive).has_value();
    for (const auto& vv : kValueVersion)
        if (vv.directive == directive && value.find(vv.value) != std::string_view::npos) {
            best = std::max(best, vv.version);
            found = true;
        }
    if (!found) return std::nullopt;
    return best;
}

std::string type_section(const std::string& type) {
    if (type.empty()) return {};
    std::string s = type;
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

} // namespace berth::unit
