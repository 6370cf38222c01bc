#include "host/cpu.hpp"

#include "host/host_io.hpp"
#include "host/ia32.hpp"
#include "resolve/cpu_level.hpp"

#include <algorithm>
#include <array>
#include <sys/utsname.h>

namespace berth::host {

namespace {

// The x86-64 psABI micro-architecture levels, as /proc/cpuinfo spells the flags
// ("pni" is SSE3, "abm" is LZCNT). The OS-support bits (OSXSAVE) are not listed by the kernel,
// which only shows avx/avx512 flags when the OS enabled them.
const std::array<std::vector<std::string>, 4> kLevelFlags = {{
    {"lm", "cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse", "sse2"},
    {"cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3"},
    {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"},
    {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"},
}};

const std::vector<std::string> kArm64Features = {"fp",     "asimd", "atomics", "crc32",
                                                 "aes",    "pmull", "sha1",    "sha2",
                                                 "sha512", "sha3",  "sve",     "sve2"};

bool has(const std::vector<std::string>& flags, const std::string& f) {
    return std::find(flags.begin(), flags.end(), f) != flags.end();
}

} // namespace

int x86_64_level_from_flags(const std::vector<std::string>& flags,
                            std::vector<std::string>* missing) {
    int level = 0;
    for (const auto& need : kLevelFlags) {
        std::vector<std::string> lacking;
        for (const auto& f : need)
            if (!has(flags, f)) lacking.push_back(f);
        if (!lacking.empty()) {
            if (missing) *missing = lacking;
            return level;
        }
        ++level;
    }
    if (missing) missing->clear();
    return level;
}

std::vector<std::string> x86_64_level_missing(const std::vector<std::string>& flags, int level) {
    std::vector<std::string> lacking;
    if (level < 1 || level > 4) return lacking;
    for (const auto& f : kLevelFlags[static_cast<std::size_t>(level - 1)])
        if (!has(flags, f)) lacking.push_back(f);
    return lacking;
}

std::vector<std::string> arm64_features_from_flags(const std::vector<std::string>& flags) {
    std::vector<std::string> out;
    for (const auto& f : kArm64Features)
        if (has(flags, f)) out.push_back(f);
    return out;
}

CpuFacts parse_cpuinfo(std::string_view cpuinfo) {
    CpuFacts cpu;
    bool have_flags = false;
    for (const auto& line : split_lines(cpuinfo)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key(trim(std::string_view(line).substr(0, colon)));
        std::string_view value = trim(std::string_view(line).substr(colon + 1));
        if (key == "processor") {
            ++cpu.logical_cpus;
        } else if ((key == "flags" || key == "Features") && !have_flags) {
            cpu.flags = split_words(value);
            have_flags = true;
        } else if ((key == "vendor_id" || key == "CPU implementer") && cpu.vendor.empty()) {
            cpu.vendor = value;
        } else if ((key == "model name" || key == "CPU part") && cpu.model_name.empty()) {
            cpu.model_name = value;
        }
    }
    return cpu;
}

CpuFacts collect_cpu(std::vector<std::string>& notes) {
    CpuFacts cpu;
    if (auto text = read_text("/proc/cpuinfo")) {
        cpu = parse_cpuinfo(*text);
    } else {
        notes.push_back("cannot read /proc/cpuinfo: CPU flags unknown");
    }
    struct utsname u {};
    if (::uname(&u) == 0) {
        cpu.arch = u.machine;
        cpu.kernel_release = u.release;
    }
    if (cpu.arch == "x86_64") {
        // CPUID decides, as in the Go runtime's startup check; /proc/cpuinfo names what is missing.
        cpu.x86_64_level = resolve::x86_64_level(resolve::detect_cpu_features());
        cpu.x86_64_next_level_missing = x86_64_level_missing(cpu.flags, cpu.x86_64_level + 1);
        int from_flags = x86_64_level_from_flags(cpu.flags);
        if (from_flags != cpu.x86_64_level)
            notes.push_back("x86-64 level: CPUID says v" + std::to_string(cpu.x86_64_level) +
                            ", /proc/cpuinfo flags say v" + std::to_string(from_flags));
        Ia32Emulation ia32 = collect_ia32_emulation(cpu.kernel_release, notes);
        cpu.ia32_emulation = ia32.state;
        cpu.ia32_emulation_evidence = ia32.evidence;
    } else if (cpu.arch == "aarch64") {
        cpu.arm64_features = arm64_features_from_flags(cpu.flags);
    }
    return cpu;
}

} // namespace berth::host
