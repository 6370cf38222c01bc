#include "host/ia32.hpp"

#include "host/host_io.hpp"
#include "util/gunzip.hpp"

#include <sys/stat.h>

namespace berth::host {

namespace {

// "y", "n" (from "# CONFIG_X is not set") or nullopt when the option is not in the config at
// all (the kernel predates it, or it does not apply).
std::optional<char> config_option(std::string_view config, std::string_view name) {
    for (const auto& line : split_lines(config)) {
        std::string_view l = trim(line);
        if (l.starts_with(name) && l.size() > name.size() && l[name.size()] == '=') {
            std::string_view v = l.substr(name.size() + 1);
            return v == "y" ? 'y' : v == "m" ? 'm' : 'n';
        }
        if (l.starts_with("# ") && l.substr(2).starts_with(name) &&
            l.substr(2 + name.size()) == " is not set")
            return 'n';
    }
    return std::nullopt;
}

// "6.7.0-1-amd64" is at least 6.7.
bool release_at_least(std::string_view release, int major, int minor) {
    auto dot = release.find('.');
    if (dot == std::string_view::npos) return false;
    auto ma = parse_int(release.substr(0, dot));
    std::string_view rest = release.substr(dot + 1);
    std::size_t end = 0;
    while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
    auto mi = parse_int(rest.substr(0, end));
    if (!ma || !mi) return false;
    return *ma > major || (*ma == major && *mi >= minor);
}

// The kernel's parameter names treat '-' and '_' alike (parameq()).
bool is_ia32_param(std::string_view name) {
    if (name.size() != 14) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char a = name[i] == '-' ? '_' : name[i];
        if (a != "ia32_emulation"[i]) return false;
    }
    return true;
}

} // namespace

std::optional<bool> kernel_bool(std::string_view v) {
    if (v.empty()) return std::nullopt;
    switch (v[0]) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case '1':
        return true;
    case 'n':
    case 'N':
    case 'f':
    case 'F':
    case '0':
        return false;
    case 'o':
    case 'O':
        if (v.size() > 1 && (v[1] == 'n' || v[1] == 'N')) return true;
        if (v.size() > 1 && (v[1] == 'f' || v[1] == 'F')) return false;
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<CmdlineValue> cmdline_ia32_emulation(std::string_view cmdline) {
    std::optional<CmdlineValue> found;
    std::size_t i = 0;
    while (i < cmdline.size()) {
        while (i < cmdline.size() && (cmdline[i] == ' ' || cmdline[i] == '\t' ||
                                      cmdline[i] == '\n' || cmdline[i] == '\0'))
            ++i;
        if (i >= cmdline.size()) break;
        // One word; double quotes group spaces (param="a b") as the kernel's next_arg() reads.
        std::string word;
        bool quoted = false;
        for (; i < cmdline.size(); ++i) {
            char c = cmdline[i];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\0')) break;
            word += c;
        }
        if (word == "--") break; // the rest is for init
        auto eq = word.find('=');
        if (eq == std::string::npos || !is_ia32_param(std::string_view(word).substr(0, eq)))
            continue;
        // A value kstrtobool refuses leaves the setting as it was.
        if (auto b = kernel_bool(std::string_view(word).substr(eq + 1)))
            found = CmdlineValue{*b, word};
    }
    return found;
}

Ia32Emulation judge_ia32_emulation(const Ia32Sources& s) {
    // Built in at all?
    std::optional<bool> built;
    std::string built_why;
    if (s.config) {
        built = config_option(*s.config, "CONFIG_IA32_EMULATION") == 'y';
        built_why = std::string(*built ? "CONFIG_IA32_EMULATION=y" : "no CONFIG_IA32_EMULATION") +
                    " in " + s.config_path;
    } else if (s.abi_vsyscall32) {
        built = *s.abi_vsyscall32;
        built_why = *built ? "/proc/sys/abi/vsyscall32 is there (IA32 emulation built in)"
                           : "no /proc/sys/abi/vsyscall32 (IA32 emulation not built in)";
    }
    if (built == false) return {"disabled", built_why};
    if (!built)
        return {"unknown", "no kernel config readable (/proc/config.gz, /boot/config-" +
                               s.kernel_release + ") and /proc/sys/abi unreadable"};

    // Does this kernel know the switch? Its config lists CONFIG_IA32_EMULATION_DEFAULT_DISABLED
    // (set or not) exactly when it does; without a config, Linux 6.7 brought it.
    std::optional<char> default_disabled;
    std::optional<bool> knows_switch;
    if (s.config) {
        default_disabled = config_option(*s.config, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED");
        knows_switch = default_disabled.has_value();
    } else if (release_at_least(s.kernel_release, 6, 7)) {
        knows_switch = true;
    }
    if (!s.cmdline) return {"unknown", built_why + "; /proc/cmdline unreadable"};
    const auto cmd = cmdline_ia32_emulation(*s.cmdline);
    const std::string kernel = "kernel " + s.kernel_release;

    if (cmd && knows_switch == true)
        return {cmd->value ? "enabled" : "disabled",
                cmd->text + " on the kernel command line; " + built_why};
    if (knows_switch == false) {
        std::string why = built_why + ", which knows no ia32_emulation= boot parameter";
        if (cmd) why += " (" + cmd->text + " on the command line is ignored)";
        return {"enabled", why};
    }
    if (cmd) // a kernel older than 6.7 without a config: a backport may know the switch
        return {cmd->value ? "enabled" : "unknown",
                cmd->text + " on the kernel command line; whether " + kernel +
                    " knows that parameter is not known (no kernel config readable)"};
    if (default_disabled == 'y')
        return {"disabled", "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y in " + s.config_path +
                                " and no ia32_emulation= on the kernel command line"};
    if (default_disabled)
        return {"enabled", built_why + ", not disabled by default "
                                       "(CONFIG_IA32_EMULATION_DEFAULT_DISABLED is not set); no "
                                       "ia32_emulation= on the kernel command line"};
    // Linux 6.7 or later built in, but whether it is disabled by default cannot be read.
    if (knows_switch == true)
        return {"unknown", built_why + "; " + kernel +
                               " may be built with IA32 emulation disabled by default and no "
                               "kernel config is readable to tell"};
    return {"enabled", built_why + "; " + kernel + " predates the switch to disable it (6.7)"};
}

Ia32Emulation collect_ia32_emulation(const std::string& kernel_release,
                                     std::vector<std::string>& notes) {
    Ia32Sources s;
    s.kernel_release = kernel_release;
    s.cmdline = read_text("/proc/cmdline", 1u << 16);
    constexpr std::size_t kMaxConfig = 8u << 20;
    if (auto gz = read_text("/proc/config.gz", kMaxConfig)) {
        s.config = gunzip(*gz, kMaxConfig);
        s.config_path = "/proc/config.gz";
        if (!s.config) notes.push_back("/proc/config.gz: not valid gzip");
    }
    if (!s.config) {
        s.config_path = "/boot/config-" + kernel_release;
        s.config = read_text(s.config_path, kMaxConfig);
    }
    struct stat st {};
    if (::stat("/proc/sys/abi/vsyscall32", &st) == 0)
        s.abi_vsyscall32 = true;
    else if (::stat("/proc/sys/kernel/osrelease", &st) == 0)
        s.abi_vsyscall32 = false; // /proc/sys is there, the entry is not
    return judge_ia32_emulation(s);
}

} // namespace berth::host
