#pragma once
// The host CPU as glibc's dynamic loader sees it: the x86-64 psABI micro-architecture level
// (which picks the glibc-hwcaps/x86-64-vN subdirectories) and the legacy hwcap strings and
// platform name (which pick the old tls/, x86_64/, haswell/ subdirectories and $PLATFORM).
#include <string>
#include <vector>

namespace berth::resolve {

// The CPUID bits the psABI levels and glibc's legacy platform choice depend on.
struct CpuFeatures {
    bool cx16 = false, lahf = false, popcnt = false, sse3 = false, sse4_1 = false, sse4_2 = false,
         ssse3 = false;
    bool avx = false, avx2 = false, bmi1 = false, bmi2 = false, f16c = false, fma = false,
         lzcnt = false, movbe = false, osxsave = false;
    bool avx512f = false, avx512bw = false, avx512cd = false, avx512dq = false, avx512vl = false,
         avx512er = false, avx512pf = false;
    bool os_saves_avx = false;    // XCR0 has the SSE and AVX state bits
    bool os_saves_avx512 = false; // XCR0 also has the opmask and ZMM state bits
    bool intel = false; // vendor GenuineIntel (glibc picks "haswell"/"xeon_phi" only there)
};

// Reads CPUID/XGETBV on x86-64; all false elsewhere.
CpuFeatures detect_cpu_features();

// The psABI level 1..4 (1 = baseline x86-64). AVX and AVX-512 count only when the OS saves their
// state, as glibc's "usable" check does.
int x86_64_level(const CpuFeatures& f);

// "x86-64-v4", "x86-64-v3", "x86-64-v2" down to v2, best first; empty for level < 2.
std::vector<std::string> glibc_hwcaps_names(int level);

// glibc 2.36's legacy hwcaps view of the CPU: the hwcap strings that survive HWCAP_IMPORTANT,
// in bit order, and the platform name ($PLATFORM).
struct LegacyHwcaps {
    std::vector<std::string> hwcaps; // "x86_64", then "avx512_1" on Intel AVX-512 CPUs
    std::string platform;            // "x86_64", or "haswell" / "xeon_phi" on Intel
};
LegacyHwcaps legacy_hwcaps(const CpuFeatures& f);

// The legacy subdirectories ld.so 2.36 tries in every search directory before the directory
// itself, best first, e.g. "tls/x86_64/x86_64", "tls/x86_64", ..., "x86_64" (the empty
// subdirectory, the directory itself, is not included). Verified with LD_DEBUG=libs.
std::vector<std::string> legacy_hwcaps_subdirs(const LegacyHwcaps& h);

} // namespace berth::resolve
