#include "resolve/cpu_level.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace berth::resolve {
namespace {

CpuFeatures v2_cpu() {
    CpuFeatures f;
    f.cx16 = f.lahf = f.popcnt = f.sse3 = f.sse4_1 = f.sse4_2 = f.ssse3 = true;
    return f;
}
CpuFeatures v3_cpu() {
    CpuFeatures f = v2_cpu();
    f.avx = f.avx2 = f.bmi1 = f.bmi2 = f.f16c = f.fma = f.lzcnt = f.movbe = f.osxsave = true;
    f.os_saves_avx = true;
    return f;
}
CpuFeatures v4_cpu() {
    CpuFeatures f = v3_cpu();
    f.avx512f = f.avx512bw = f.avx512cd = f.avx512dq = f.avx512vl = true;
    f.os_saves_avx512 = true;
    return f;
}

TEST(CpuLevel, Levels) {
    EXPECT_EQ(x86_64_level(CpuFeatures{}), 1);
    EXPECT_EQ(x86_64_level(v2_cpu()), 2);
    EXPECT_EQ(x86_64_level(v3_cpu()), 3);
    EXPECT_EQ(x86_64_level(v4_cpu()), 4);
    CpuFeatures no_popcnt = v4_cpu();
    no_popcnt.popcnt = false;
    EXPECT_EQ(x86_64_level(no_popcnt), 1);
    // AVX-512 the OS does not save is not usable.
    CpuFeatures no_zmm = v4_cpu();
    no_zmm.os_saves_avx512 = false;
    EXPECT_EQ(x86_64_level(no_zmm), 3);
    CpuFeatures no_lzcnt = v4_cpu();
    no_lzcnt.lzcnt = false;
    EXPECT_EQ(x86_64_level(no_lzcnt), 2);
}

TEST(CpuLevel, HwcapsNamesBestFirst) {
    EXPECT_EQ(glibc_hwcaps_names(4),
              (std::vector<std::string>{"x86-64-v4", "x86-64-v3", "x86-64-v2"}));
    EXPECT_EQ(glibc_hwcaps_names(2), (std::vector<std::string>{"x86-64-v2"}));
    EXPECT_TRUE(glibc_hwcaps_names(1).empty());
}

// The order LD_DEBUG=libs printed on this Debian 12 host (AMD, platform x86_64).
TEST(CpuLevel, LegacySubdirsMatchLdDebug) {
    LegacyHwcaps amd = legacy_hwcaps(v4_cpu());
    EXPECT_EQ(amd.platform, "x86_64");
    EXPECT_EQ(legacy_hwcaps_subdirs(amd),
              (std::vector<std::string>{"tls/x86_64/x86_64", "tls/x86_64", "tls/x86_64", "tls",
                                        "x86_64/x86_64", "x86_64", "x86_64"}));
    CpuFeatures intel = v4_cpu();
    intel.intel = true;
    LegacyHwcaps h = legacy_hwcaps(intel);
    EXPECT_EQ(h.platform, "haswell");
    EXPECT_EQ(h.hwcaps, (std::vector<std::string>{"x86_64", "avx512_1"}));
    auto subdirs = legacy_hwcaps_subdirs(h);
    ASSERT_EQ(subdirs.size(), 15u);
    EXPECT_EQ(subdirs.front(), "tls/haswell/avx512_1/x86_64");
    EXPECT_EQ(subdirs.back(), "x86_64");
}

// The detected level agrees with the flags the kernel reports in /proc/cpuinfo.
// The level of this machine's CPU is compared with glibc's loader (`ld.so --help`), the tool
// whose choice of glibc-hwcaps directories matters, in tests/integration/host_facts_test.cpp.
// /proc/cpuinfo is no reference: a guest kernel may hide a flag (abm) that CPUID reports.

} // namespace
} // namespace berth::resolve
