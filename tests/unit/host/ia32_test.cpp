// Whether an x86_64 kernel runs i386 programs, from its command line and build configuration as
// the kernel itself decides (arch/x86/entry/common.c: __ia32_enabled, early_param
// "ia32_emulation" read with kstrtobool).
#include "host/ia32.hpp"
#include "util/gunzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

using namespace berth::host;

namespace {

const char* kConfigOld = "CONFIG_X86_64=y\nCONFIG_IA32_EMULATION=y\n# CONFIG_X86_X32_ABI is not "
                         "set\n"; // Linux 6.1: no switch
const char* kConfigOn = "CONFIG_IA32_EMULATION=y\n# CONFIG_IA32_EMULATION_DEFAULT_DISABLED is "
                        "not set\n";
const char* kConfigOffByDefault =
    "CONFIG_IA32_EMULATION=y\nCONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n";
const char* kConfigNone = "CONFIG_X86_64=y\n# CONFIG_IA32_EMULATION is not set\n";

Ia32Sources sources(std::optional<std::string> config, std::string cmdline,
                    std::string release = "6.8.0-1-amd64") {
    Ia32Sources s;
    s.config = std::move(config);
    s.config_path = "/boot/config-" + release;
    s.cmdline = std::move(cmdline);
    s.kernel_release = release;
    s.abi_vsyscall32 = true;
    return s;
}

std::string state(const Ia32Sources& s) {
    return judge_ia32_emulation(s).state;
}

} // namespace

TEST(HostIa32, KernelBoolIsKstrtobool) {
    for (const char* t : {"1", "y", "Y", "yes", "t", "true", "on", "ON", "On"})
        EXPECT_EQ(kernel_bool(t), true) << t;
    for (const char* f : {"0", "n", "N", "no", "f", "false", "off", "OFF"})
        EXPECT_EQ(kernel_bool(f), false) << f;
    for (const char* bad : {"", "2", "o", "ox", "enable", "x"})
        EXPECT_EQ(kernel_bool(bad), std::nullopt) << bad;
}

TEST(HostIa32, CommandLine) {
    EXPECT_FALSE(cmdline_ia32_emulation("quiet root=/dev/sda1"));
    auto v = cmdline_ia32_emulation("quiet ia32_emulation=0 splash\n");
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->value);
    EXPECT_EQ(v->text, "ia32_emulation=0");
    // The last accepted value wins; a value kstrtobool refuses changes nothing.
    v = cmdline_ia32_emulation("ia32_emulation=0 ia32-emulation=on ia32_emulation=maybe");
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->value);
    EXPECT_EQ(v->text, "ia32-emulation=on");
    // No value: the kernel passes NULL to kstrtobool, which refuses it.
    EXPECT_FALSE(cmdline_ia32_emulation("ia32_emulation"));
    // After "--" the words are init's.
    EXPECT_FALSE(cmdline_ia32_emulation("quiet -- ia32_emulation=0"));
    // Quotes group a value; a longer name is another parameter.
    EXPECT_FALSE(cmdline_ia32_emulation("x=\"a ia32_emulation=0\" ia32_emulation_x=0"));
}

TEST(HostIa32, Decision) {
    // Disabled by default in the build, not switched on at boot: exec format error.
    auto off = judge_ia32_emulation(sources(kConfigOffByDefault, "quiet"));
    EXPECT_EQ(off.state, "disabled");
    EXPECT_NE(off.evidence.find("CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y in /boot/config-6.8"),
              std::string::npos)
        << off.evidence;
    // ... switched on at boot.
    EXPECT_EQ(state(sources(kConfigOffByDefault, "quiet ia32_emulation=1")), "enabled");
    // On by default, switched off at boot.
    auto boot_off = judge_ia32_emulation(sources(kConfigOn, "ia32_emulation=false"));
    EXPECT_EQ(boot_off.state, "disabled");
    EXPECT_NE(boot_off.evidence.find("ia32_emulation=false on the kernel command line"),
              std::string::npos);
    EXPECT_EQ(state(sources(kConfigOn, "quiet")), "enabled");
    // A kernel before the switch ignores the parameter.
    auto old = judge_ia32_emulation(sources(kConfigOld, "ia32_emulation=0", "6.1.0-18-amd64"));
    EXPECT_EQ(old.state, "enabled");
    EXPECT_NE(old.evidence.find("is ignored"), std::string::npos) << old.evidence;
    // Not built in: nothing switches it on.
    EXPECT_EQ(state(sources(kConfigNone, "ia32_emulation=1")), "disabled");
}

TEST(HostIa32, WithoutAConfig) {
    // /proc/sys/abi/vsyscall32 says whether it is built in.
    auto s = sources(std::nullopt, "quiet", "6.1.0-18-amd64");
    EXPECT_EQ(state(s), "enabled"); // before 6.7 nothing disables it
    s.abi_vsyscall32 = false;
    EXPECT_EQ(state(s), "disabled");
    s.abi_vsyscall32 = std::nullopt;
    EXPECT_EQ(state(s), "unknown");
    // 6.7 or later: the build may disable it by default; the command line still decides.
    s = sources(std::nullopt, "quiet", "6.8.0-1-amd64");
    EXPECT_EQ(state(s), "unknown");
    s.cmdline = "ia32_emulation=0";
    EXPECT_EQ(state(s), "disabled");
    s.cmdline = "ia32_emulation=1";
    EXPECT_EQ(state(s), "enabled");
    // Before 6.7, "=0" may be a backport's or ignored: not known.
    s = sources(std::nullopt, "ia32_emulation=0", "6.1.0-18-amd64");
    EXPECT_EQ(state(s), "unknown");
    // No command line: not known either.
    s = sources(kConfigOn, "");
    s.cmdline = std::nullopt;
    EXPECT_EQ(state(s), "unknown");
}

TEST(HostIa32, GunzipsAKernelConfig) {
    std::string text = kConfigOffByDefault;
    // gzip it with zlib (a gzip header: windowBits 16 + 15).
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string gz(1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(text.data());
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(gz.data());
    z.avail_out = static_cast<uInt>(gz.size());
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    gz.resize(gz.size() - z.avail_out);
    deflateEnd(&z);
    EXPECT_EQ(berth::gunzip(gz, 1 << 20), text);
    EXPECT_EQ(berth::gunzip(gz, 10), std::nullopt);                               // over the bound
    EXPECT_EQ(berth::gunzip(gz.substr(0, gz.size() - 6), 1 << 20), std::nullopt); // cut short
    EXPECT_EQ(berth::gunzip("not gzip", 1 << 20), std::nullopt);
}
