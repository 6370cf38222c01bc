#include "resolve/cpu_level.hpp"

#include <cstdint>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace berth::resolve {

namespace {

bool bit(std::uint32_t reg, unsigned n) {
    return (reg >> n) & 1u;
}

} // namespace

CpuFeatures detect_cpu_features() {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
    unsigned max_leaf = a;
    // "GenuineIntel" is spread over EBX, EDX, ECX.
    f.intel = b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;
    __get_cpuid(1, &a, &b, &c, &d);
    f.sse3 = bit(c, 0);
    f.ssse3 = bit(c, 9);
    f.fma = bit(c, 12);
    f.cx16 = bit(c, 13);
    f.sse4_1 = bit(c, 19);
    f.sse4_2 = bit(c, 20);
    f.movbe = bit(c, 22);
    f.popcnt = bit(c, 23);
    f.osxsave = bit(c, 27);
    f.avx = bit(c, 28);
    f.f16c = bit(c, 29);
    if (max_leaf >= 7) {
        __get_cpuid_count(7, 0, &a, &b, &c, &d);
        f.bmi1 = bit(b, 3);
        f.avx2 = bit(b, 5);
        f.bmi2 = bit(b, 8);
        f.avx512f = bit(b, 16);
        f.avx512dq = bit(b, 17);
        f.avx512pf = bit(b, 26);
        f.avx512er = bit(b, 27);
        f.avx512cd = bit(b, 28);
        f.avx512bw = bit(b, 30);
        f.avx512vl = bit(b, 31);
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        f.lahf = bit(c, 0);
        f.lzcnt = bit(c, 5);
    }
    if (f.osxsave) {
        std::uint32_t lo = 0, hi = 0;
        __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        f.os_saves_avx = (lo & 0x6) == 0x6;
        f.os_saves_avx512 = (lo & 0xe6) == 0xe6;
    }
#endif
    return f;
}

int x86_64_level(const CpuFeatures& f) {
    bool v2 = f.cx16 && f.lahf && f.popcnt && f.sse3 && f.sse4_1 && f.sse4_2 && f.ssse3;
    if (!v2) return 1;
    bool avx_ok = f.os_saves_avx;
    bool v3 = avx_ok && f.avx && f.avx2 && f.bmi1 && f.bmi2 && f.f16c && f.fma && f.lzcnt &&
              f.movbe && f.osxsave;
    if (!v3) return 2;
    bool v4 =
        f.os_saves_avx512 && f.avx512f && f.avx512bw && f.avx512cd && f.avx512dq && f.avx512vl;
    return v4 ? 4 : 3;
}

std::vector<std::string> glibc_hwcaps_names(int level) {
    std::vector<std::string> names;
    for (int l = level; l >= 2; --l) names.push_back("x86-64-v" + std::to_string(l));
    return names;
}

LegacyHwcaps legacy_hwcaps(const CpuFeatures& f) {
    // glibc's sysdeps/x86 init: dl_hwcap = HWCAP_X86_64, plus HWCAP_X86_AVX512_1 on Intel CPUs
    // with AVX512CD+BW+DQ+VL (not Xeon Phi); the platform becomes "xeon_phi" or "haswell" on
    // Intel only, otherwise it stays the kernel's AT_PLATFORM, "x86_64".
    LegacyHwcaps h;
    h.hwcaps.push_back("x86_64");
    h.platform = "x86_64";
    if (!f.intel) return h;
    bool avx512_usable = f.os_saves_avx512;
    bool xeon_phi = false;
    if (avx512_usable && f.avx512cd) {
        if (f.avx512er) {
            xeon_phi = f.avx512pf;
        } else if (f.avx512bw && f.avx512dq && f.avx512vl) {
            h.hwcaps.push_back("avx512_1");
        }
    }
    if (xeon_phi) {
        h.platform = "xeon_phi";
    } else if (f.os_saves_avx && f.avx2 && f.fma && f.bmi1 && f.bmi2 && f.lzcnt && f.movbe &&
               f.popcnt) {
        h.platform = "haswell";
    }
    return h;
}

std::vector<std::string> legacy_hwcaps_subdirs(const LegacyHwcaps& h) {
    // ld.so builds the power set of [hwcaps..., platform, "tls"]; each subset is a path whose
    // components run from the last string to the first, and subsets come in decreasing binary
    // order (bit n = string n), so the set with every string comes first.
    std::vector<std::string> strings = h.hwcaps;
    if (!h.platform.empty()) strings.push_back(h.platform);
    strings.push_back("tls");
    const unsigned n = static_cast<unsigned>(strings.size());
    std::vector<std::string> subdirs;
    for (unsigned m = (1u << n) - 1; m > 0; --m) {
        std::string path;
        for (unsigned i = n; i-- > 0;) {
            if (!bit(m, i)) continue;
            if (!path.empty()) path += '/';
            path += strings[i];
        }
        subdirs.push_back(path);
    }
    return subdirs;
}

} // namespace berth::resolve
