#pragma once
// Whether this x86_64 kernel runs i386 (32-bit x86) programs. It needs IA32 emulation built in
// (CONFIG_IA32_EMULATION); from Linux 6.7 it can also be built disabled by default
// (CONFIG_IA32_EMULATION_DEFAULT_DISABLED) and switched at boot with ia32_emulation=. Where it
// is off, exec of an i386 program fails with "Exec format error". Read from files only: the
// kernel command line, the kernel's build configuration and /proc/sys/abi.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::host {

// What the decision is made from (each nullopt when it could not be read).
struct Ia32Sources {
    std::optional<std::string> cmdline; // /proc/cmdline
    std::optional<std::string> config;  // the running kernel's build configuration (text)
    std::string config_path;            // where that was read: /proc/config.gz, /boot/config-R
    // /proc/sys/abi/vsyscall32 exists: registered exactly when IA32 emulation is built in.
    // nullopt when /proc/sys cannot be read.
    std::optional<bool> abi_vsyscall32;
    std::string kernel_release; // uname -r
};

struct Ia32Emulation {
    std::string state;    // "enabled", "disabled" or "unknown"
    std::string evidence; // what says so, for people
};

// The kernel's kstrtobool(): y/Y/t/T/1 and on are true, n/N/f/F/0 and off false.
std::optional<bool> kernel_bool(std::string_view value);
// The value the kernel takes from `ia32_emulation=` (also spelled ia32-emulation) on its
// command line: the last one it accepts, before any "--" (what follows is init's). nullopt when
// none is there.
struct CmdlineValue {
    bool value = false;
    std::string text; // as written, e.g. "ia32_emulation=0"
};
std::optional<CmdlineValue> cmdline_ia32_emulation(std::string_view cmdline);

Ia32Emulation judge_ia32_emulation(const Ia32Sources& sources);

// The sources of this machine (always the running kernel's, also under --root), judged.
Ia32Emulation collect_ia32_emulation(const std::string& kernel_release,
                                     std::vector<std::string>& notes);

} // namespace berth::host
