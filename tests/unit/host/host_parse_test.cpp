// The host facts parsers on fixture text: each takes file contents, so each is checked here
// without touching the machine.
#include "elf/elf_facts.hpp"
#include "host/cpu.hpp"
#include "host/files.hpp"
#include "host/libc.hpp"
#include "host/limits.hpp"
#include "host/mounts.hpp"
#include "host/security.hpp"
#include "host/sockets.hpp"
#include "host/systemd.hpp"
#include "host/time.hpp"
#include "host/users.hpp"

#include <gtest/gtest.h>

using namespace berth::host;

TEST(HostCpu, ParsesX86Cpuinfo) {
    const char* text = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\n"
                       "flags\t\t: fpu sse sse2 lm\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n"
                       "flags\t\t: fpu sse sse2 lm avx\n";
    CpuFacts c = parse_cpuinfo(text);
    EXPECT_EQ(c.logical_cpus, 2);
    EXPECT_EQ(c.vendor, "GenuineIntel");
    EXPECT_EQ(c.model_name, "Intel(R) Xeon(R)");
    EXPECT_EQ(c.flags, (std::vector<std::string>{"fpu", "sse", "sse2", "lm"})); // first CPU's
}

TEST(HostCpu, ParsesArm64Cpuinfo) {
    const char* text =
        "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull "
        "sha1 sha2 crc32 atomics cpuid\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n";
    CpuFacts c = parse_cpuinfo(text);
    EXPECT_EQ(c.vendor, "0x41");
    EXPECT_EQ(c.model_name, "0xd0c");
    EXPECT_EQ(arm64_features_from_flags(c.flags),
              (std::vector<std::string>{"fp", "asimd", "atomics", "crc32", "aes", "pmull", "sha1",
                                        "sha2"}));
}

TEST(HostCpu, X86LevelsFromFlags) {
    std::vector<std::string> v1 = {"fpu", "cx8",  "cmov",    "mmx", "fxsr",
                                   "sse", "sse2", "syscall", "lm"};
    std::vector<std::string> missing;
    EXPECT_EQ(x86_64_level_from_flags(v1, &missing), 1);
    EXPECT_EQ(missing.size(), 7u); // all of v2
    auto v2 = v1;
    for (const char* f : {"cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3"})
        v2.push_back(f);
    EXPECT_EQ(x86_64_level_from_flags(v2, &missing), 2);
    auto v3 = v2;
    for (const char* f : {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"})
        v3.push_back(f);
    EXPECT_EQ(x86_64_level_from_flags(v3), 3);
    auto almost_v4 = v3;
    for (const char* f : {"avx512f", "avx512bw", "avx512cd", "avx512dq"}) almost_v4.push_back(f);
    EXPECT_EQ(x86_64_level_from_flags(almost_v4, &missing), 3);
    EXPECT_EQ(missing, (std::vector<std::string>{"avx512vl"}));
    EXPECT_EQ(x86_64_level_missing(almost_v4, 4), (std::vector<std::string>{"avx512vl"}));
    auto v4 = almost_v4;
    v4.push_back("avx512vl");
    EXPECT_EQ(x86_64_level_from_flags(v4, &missing), 4);
    EXPECT_TRUE(missing.empty());
    EXPECT_EQ(x86_64_level_from_flags({"sse", "sse2"}), 0);
}

TEST(HostLibc, HighestGlibcVersionIsNumeric) {
    std::vector<std::string> defs = {"libc.so.6",   "GLIBC_2.2.5",   "GLIBC_2.9",  "GLIBC_2.17",
                                     "GLIBC_2.3.4", "GLIBC_PRIVATE", "GLIBC_2.36", "GLIBC_2.4"};
    EXPECT_EQ(highest_glibc_version(defs), "2.36");
    EXPECT_EQ(highest_glibc_version({"GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.3"}), "2.17");
    EXPECT_EQ(highest_glibc_version({"libc.so", "GLIBC_PRIVATE"}), "");
    EXPECT_LT(berth::elf::compare_versions("2.9", "2.17"), 0);
    EXPECT_GT(berth::elf::compare_versions("2.3.4", "2.3"), 0);
    EXPECT_EQ(berth::elf::compare_versions("2.17", "2.17"), 0);
}

TEST(HostLibc, LdSoConf) {
    auto lines = parse_ld_so_conf("# comment\ninclude /etc/ld.so.conf.d/*.conf\n/opt/lib # x\n"
                                  "hwcap 1 nosegneg\n/usr/lib/a=libc6, /usr/lib/b\n");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_TRUE(lines[0].include);
    EXPECT_EQ(lines[0].value, "/etc/ld.so.conf.d/*.conf");
    EXPECT_EQ(lines[1].value, "/opt/lib");
    EXPECT_EQ(lines[2].value, "/usr/lib/a");
    EXPECT_EQ(lines[3].value, "/usr/lib/b");
    EXPECT_EQ(multiarch_triplet("x86_64"), "x86_64-linux-gnu");
    EXPECT_EQ(multiarch_triplet("aarch64"), "aarch64-linux-gnu");
}

TEST(HostMounts, ParsesMountinfoAndFindsLongestPrefix) {
    const char* text =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
        "30 22 0:25 / /opt rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=1024k\n"
        "31 22 0:26 / /opt/my\\040app ro,relatime shared:5 master:2 - xfs /dev/sdb1 ro\n"
        "32 22 0:27 / /optional rw - ext4 /dev/sdc1 rw\n"
        "33 30 0:28 / /opt rw,relatime - tmpfs other rw\n";
    auto mounts = parse_mountinfo(text);
    ASSERT_EQ(mounts.size(), 5u);
    EXPECT_EQ(mounts[2].mount_point, "/opt/my app");
    EXPECT_EQ(mounts[2].fs_type, "xfs");
    EXPECT_EQ(mounts[0].super_options, (std::vector<std::string>{"rw", "errors=remount-ro"}));
    const MountEntry* m = find_mount(mounts, "/opt/my app/bin");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(mount_facts(*m).read_only);
    m = find_mount(mounts, "/opt/x");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->source, "other"); // stacked: the last mount on /opt is the visible one
    m = find_mount(mounts, "/optx");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->mount_point, "/");
    MountFacts f = mount_facts(mounts[1]);
    EXPECT_TRUE(f.noexec);
    EXPECT_TRUE(f.nosuid);
    EXPECT_TRUE(f.nodev);
    EXPECT_FALSE(f.read_only);
}

TEST(HostSecurity, SelinuxConfigAndAppArmorProfiles) {
    const char* config =
        "# This file controls SELinux\nSELINUX=enforcing\nSELINUXTYPE=\"targeted\"\n";
    EXPECT_EQ(parse_key_value(config, "SELINUX"), "enforcing");
    EXPECT_EQ(parse_key_value(config, "SELINUXTYPE"), "targeted");
    EXPECT_EQ(parse_key_value(config, "OTHER"), "");
    auto profiles = parse_apparmor_profiles(
        "/usr/sbin/ntpd (enforce)\ndocker-default (enforce)\nsnap.x (complain)\nweird\n");
    ASSERT_EQ(profiles.size(), 4u);
    EXPECT_EQ(profiles[0].name, "/usr/sbin/ntpd");
    EXPECT_EQ(profiles[2].mode, "complain");
    EXPECT_EQ(profiles[3].mode, "");
    EXPECT_EQ(selinux_mode(std::string("1")), "enforcing");
    EXPECT_EQ(selinux_mode(std::string("0\n")), "permissive");
    EXPECT_EQ(selinux_mode(std::nullopt), "disabled");
}

TEST(HostTime, ZoneAndDaemons) {
    EXPECT_EQ(zone_from_link("/usr/share/zoneinfo/Europe/Paris"), "Europe/Paris");
    EXPECT_EQ(zone_from_link("../usr/share/zoneinfo/posix/Asia/Tokyo"), "Asia/Tokyo");
    EXPECT_EQ(zone_from_link("/etc/zone"), "");
    EXPECT_TRUE(is_time_daemon("chronyd"));
    EXPECT_TRUE(is_time_daemon("systemd-timesyn"));
    EXPECT_FALSE(is_time_daemon("systemd"));
    EXPECT_EQ(clock_state_name(5), "error");
    EXPECT_EQ(clock_state_name(0), "ok");
}

TEST(HostLimits, SystemdSettingsAndNofile) {
    const char* conf = "[Manager]\n#DefaultLimitNOFILE=1024:524288\nDefaultLimitNOFILE=4096\n"
                       "DefaultLimitNOFILE=8192:65536\n[Other]\nDefaultLimitNOFILE=1\n";
    EXPECT_EQ(parse_systemd_setting(conf, "DefaultLimitNOFILE"), "8192:65536");
    EXPECT_EQ(parse_systemd_setting(conf, "DefaultLimitNOFILE", true), "1024:524288");
    EXPECT_EQ(parse_systemd_setting("[Manager]\n", "DefaultLimitNOFILE"), std::nullopt);
    NofileLimit n;
    parse_nofile_value("1024:524288", n);
    EXPECT_EQ(n.soft, 1024u);
    EXPECT_EQ(n.hard, 524288u);
    parse_nofile_value("infinity", n);
    EXPECT_EQ(n.soft, std::nullopt);
    EXPECT_EQ(n.hard, std::nullopt);
    parse_nofile_value("65536", n);
    EXPECT_EQ(n.soft, 65536u);
    EXPECT_EQ(n.hard, 65536u);
    auto [low, high] = parse_port_range("32768\t60999\n");
    EXPECT_EQ(low, 32768);
    EXPECT_EQ(high, 60999);
}

TEST(HostSockets, ParsesProcNetTcp) {
    const char* tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
        "0 1065 1 0 100 0 0 10 0\n"
        "   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        "
        "0 2000 1 0 100 0 0 10 0\n"
        "   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        "
        "0 3000 1 0 100 0 0 10 0\n";
    auto ls = parse_proc_net_tcp(tcp, false);
    ASSERT_EQ(ls.size(), 2u); // the established one is not listening
    EXPECT_EQ(ls[0].address, "0.0.0.0");
    EXPECT_EQ(ls[0].port, 8080);
    EXPECT_EQ(ls[1].address, "127.0.0.1");
    EXPECT_EQ(ls[1].port, 3306);
    EXPECT_EQ(ls[1].uid, 998u);
    EXPECT_EQ(ls[1].inode, 2000u);
    const char* tcp6 =
        "  sl  local_address                         remote_address                        st\n"
        "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 4000 1 0 100 0 0 10 0\n"
        "   1: 00000000000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 4001 1 0 100 0 0 10 0\n"
        "   2: 0000000000000000FFFF00000100000A:0016 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 4002 1 0 100 0 0 10 0\n";
    auto l6 = parse_proc_net_tcp(tcp6, true);
    ASSERT_EQ(l6.size(), 3u);
    EXPECT_EQ(l6[0].address, "::");
    EXPECT_EQ(l6[0].port, 80);
    EXPECT_EQ(l6[1].address, "::1");
    EXPECT_EQ(l6[2].address, "::ffff:10.0.0.1");
}

TEST(HostUsers, PasswdAndGroup) {
    const char* passwd = "root:x:0:0:root:/root:/bin/bash\n# comment\n"
                         "shop:x:998:997:Shop:/var/lib/shop:/usr/sbin/nologin\nbroken:x:1\n"
                         "+nis\n";
    const char* group = "root:x:0:\nshop:x:997:\nadm:x:4:syslog,shop\nssl-cert:x:110:shop\n";
    auto p = parse_passwd(passwd);
    auto g = parse_group(group);
    ASSERT_EQ(p.size(), 2u);
    ASSERT_EQ(g.size(), 4u);
    UsersFacts u = users_facts(p, g, "shop");
    EXPECT_TRUE(u.exists);
    EXPECT_EQ(u.uid, 998u);
    EXPECT_EQ(u.gid, 997u);
    EXPECT_EQ(u.home, "/var/lib/shop");
    EXPECT_EQ(u.shell, "/usr/sbin/nologin");
    EXPECT_EQ(u.primary_group, "shop");
    EXPECT_TRUE(u.group_exists);
    ASSERT_EQ(u.groups.size(), 2u);
    EXPECT_EQ(u.groups[0].name, "adm");
    EXPECT_EQ(u.groups[1].gid, 110u);
    EXPECT_EQ(u.passwd_entries, 2);
    UsersFacts missing = users_facts(p, g, "nobody-here");
    EXPECT_FALSE(missing.exists);
    EXPECT_FALSE(missing.group_exists);
    EXPECT_TRUE(missing.groups.empty());
}

TEST(HostSystemd, VersionFromLibraryNameAndString) {
    EXPECT_EQ(systemd_version_from_name("libsystemd-shared-252.so"), 252);
    EXPECT_EQ(systemd_version_from_name("libsystemd-shared-255.4-1.fc40.so"), 255);
    EXPECT_EQ(systemd_version_from_name("libsystemd-core-252.so"), 0);
    EXPECT_EQ(systemd_version_from_name("libsystemd-shared-.so"), 0);
    std::string bytes = std::string("\0\0junk systemd 252 (252.38-1~deb12u1)\0more", 42);
    EXPECT_EQ(systemd_full_version(bytes, 252), "252.38-1~deb12u1");
    EXPECT_EQ(systemd_full_version(bytes, 253), "");
}

TEST(HostFiles, ResolverFilesAndCertificates) {
    EXPECT_EQ(count_pem_certificates("-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n"
                                     "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n"),
              2);
    EXPECT_EQ(count_pem_certificates(""), 0);
    EXPECT_EQ(parse_nsswitch_hosts("passwd: files\nhosts:   files  mdns4_minimal [NOTFOUND=return] "
                                   "dns # x\n"),
              "files mdns4_minimal [NOTFOUND=return] dns");
    EXPECT_EQ(parse_nsswitch_hosts("passwd: files\n"), "");
    auto r = parse_resolv_conf("# x\nnameserver 10.0.0.2\nnameserver ::1\nsearch a.example b\n"
                               "options ndots:2 timeout:1\noptions rotate\n");
    EXPECT_EQ(r.nameservers, (std::vector<std::string>{"10.0.0.2", "::1"}));
    EXPECT_EQ(r.search, (std::vector<std::string>{"a.example", "b"}));
    EXPECT_EQ(r.options, (std::vector<std::string>{"ndots:2", "timeout:1", "rotate"}));
    EXPECT_TRUE(hosts_has_localhost("127.0.0.1\tlocalhost\n::1 ip6-localhost\n"));
    EXPECT_FALSE(hosts_has_localhost("# 127.0.0.1 localhost\n10.0.0.1 db\n"));
}

TEST(HostSockets, ListenerConflicts) {
    Listener any{"ipv4", "0.0.0.0", 8080, 0, 0, 0, "", "", false};
    Listener local{"ipv4", "127.0.0.1", 8080, 0, 0, 0, "", "", false};
    EXPECT_TRUE(listener_conflicts(any, "127.0.0.1", 8080));
    EXPECT_TRUE(listener_conflicts(local, "", 8080));
    EXPECT_TRUE(listener_conflicts(local, "127.0.0.1", 8080));
    EXPECT_FALSE(listener_conflicts(local, "10.0.0.1", 8080));
    EXPECT_FALSE(listener_conflicts(local, "127.0.0.1", 8081));
    EXPECT_FALSE(listener_conflicts(local, "", 0));
    Listener mapped{"ipv6", "::ffff:127.0.0.1", 8080, 0, 0, 0, "", "", false};
    EXPECT_TRUE(listener_conflicts(mapped, "127.0.0.1", 8080));
}

TEST(HostLibc, GlibcReleaseFromBannerAndFileName) {
    using namespace std::string_literals;
    std::string lib = "\x7f"
                      "ELF junk\0GNU C Library (Debian GLIBC 2.31-13+deb11u5) stable release "
                      "version 2.31.\nCopyright (C) 2020\0more"s;
    EXPECT_EQ(glibc_release_from_banner(lib), "2.31");
    EXPECT_EQ(glibc_release_from_banner("GNU C Library (GNU libc) development release version "
                                        "2.37.9000.\n"),
              "2.37.9000");
    // A "release version" without glibc's banner before it is not glibc's.
    EXPECT_EQ(glibc_release_from_banner("libfoo release version 1.2."), "");
    EXPECT_EQ(glibc_release_from_banner("GNU C Library release version x"), "");
    EXPECT_EQ(glibc_release_from_file_name("libc-2.31.so"), "2.31");
    EXPECT_EQ(glibc_release_from_file_name("libc-2.17.so"), "2.17");
    EXPECT_EQ(glibc_release_from_file_name("libc.so.6"), "");
    EXPECT_EQ(glibc_release_from_file_name("libc-2.31x.so"), "");
}

TEST(HostSockets, UnitOfAProcessFromItsCgroup) {
    EXPECT_EQ(unit_from_cgroup("0::/system.slice/shop.service\n"), "shop.service");
    EXPECT_EQ(unit_from_cgroup("12:pids:/x\n1:name=systemd:/system.slice/ssh.service\n0::/\n"),
              "ssh.service");
    EXPECT_EQ(unit_from_cgroup("0::/user.slice/user-0.slice/session-3.scope\n"), "session-3.scope");
    EXPECT_EQ(unit_from_cgroup("0::/\n"), "");
    EXPECT_EQ(unit_from_cgroup(""), "");
}
