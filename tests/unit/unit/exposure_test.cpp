// Expected scores were measured with `systemd-analyze security --offline=true` of systemd 252.38.
#include "unit/exposure.hpp"
#include "unit/security_settings.hpp"

#include <gtest/gtest.h>

using namespace berth::unit;

namespace {

std::string score(const std::string& name, const std::string& text) {
    return assess_exposure(make_unit(name, {parse_unit(name, text)})).score_text();
}

// The DeviceAllow= check's text, as systemd-analyze prints it.
std::string device_acl(const std::string& text) {
    Exposure e = assess_exposure(make_unit("d.service", {parse_unit("d.service", text)}));
    for (const auto& c : e.checks)
        if (c.name == "DeviceAllow=") return std::to_string(c.badness) + " " + c.description;
    return "(no DeviceAllow= check)";
}

// badness of one check, "n/a" when it does not apply
std::string badness(const std::string& name, const std::string& text, const std::string& check) {
    Exposure e = assess_exposure(make_unit(name, {parse_unit(name, text)}));
    for (const auto& c : e.checks)
        if (c.name == check) return c.applies ? std::to_string(c.badness) : "n/a";
    return "(no " + check + ")";
}

} // namespace

TEST(Exposure, MatchesSystemdAnalyze) {
    EXPECT_EQ(score("dyn.service", "[Service]\nExecStart=/bin/true\nDynamicUser=yes\n"), "8.4");
    EXPECT_EQ(score("cap.service", "[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=\n"
                                   "AmbientCapabilities=CAP_NET_BIND_SERVICE\n"
                                   "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"),
              "7.3");
    EXPECT_EQ(score("cap2.service", "[Service]\nExecStart=/bin/true\n"
                                    "CapabilityBoundingSet=~CAP_SYS_ADMIN\n"
                                    "CapabilityBoundingSet=~CAP_KILL\n"),
              "9.2");
    EXPECT_EQ(score("clk.service",
                    "[Service]\nExecStart=/bin/true\nProtectClock=yes\nPrivateDevices=yes\n"),
              "8.7");
    EXPECT_EQ(score("s.socket", "[Socket]\nListenStream=/run/x\n"), "9.8");
    EXPECT_EQ(score("t.target", "[Unit]\nDescription=x\n"), "9.8");
}

TEST(Exposure, CapBpfIsChecked) {
    // systemd 252 has 81 checks, the last capability one CAP_BPF (weight 25).
    EXPECT_EQ(score("bpf.service", "[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\n"
                                   "PrivateNetwork=yes\nCapabilityBoundingSet=\n"),
              "5.4");
    Exposure e = assess_exposure(make_unit(
        "b.service",
        {parse_unit("b.service",
                    "[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=~CAP_BPF\n")}));
    bool seen = false;
    for (const auto& c : e.checks)
        if (c.name == "CapabilityBoundingSet=~CAP_BPF") {
            seen = true;
            EXPECT_EQ(c.json_field, "CapabilityBoundingSet_CAP_BPF");
            EXPECT_EQ(c.weight, 25u);
            EXPECT_EQ(c.badness, 0u);
        }
    EXPECT_TRUE(seen);
}

TEST(Exposure, CapabilitySetsMergeLikeLoadFragment) {
    const std::string head = "[Service]\nExecStart=/usr/bin/true\n";
    // All ones again after "~CAP_BPF" + "CAP_BPF": the next line replaces the set.
    EXPECT_EQ(score("c1.service", head + "CapabilityBoundingSet=~CAP_BPF\n"
                                         "CapabilityBoundingSet=CAP_BPF\n"
                                         "CapabilityBoundingSet=CAP_SYS_TIME CAP_CHOWN\n"),
              "7.4");
    // Unknown names are skipped, not the line; a line naming nothing known empties the set.
    EXPECT_EQ(score("c2.service", head + "CapabilityBoundingSet=CAP_FOO\n"), "7.1");
    EXPECT_EQ(score("c5.service", head + "CapabilityBoundingSet=CAP_SYS_ADMIN CAP_FOO\n"), "7.3");
    // "~" alone gives every capability back.
    EXPECT_EQ(score("c6.service", head + "CapabilityBoundingSet=~CAP_SYS_ADMIN\n"
                                         "CapabilityBoundingSet=~\n"),
              "9.6");
    // An inverted ambient line clears bits, as for the bounding set.
    EXPECT_EQ(score("c4.service", head + "User=app\nAmbientCapabilities=CAP_NET_RAW\n"
                                         "AmbientCapabilities=~CAP_NET_RAW\n"),
              "9.2");
}

TEST(Exposure, DevicesTheSandboxAdds) {
    const std::string head = "[Service]\nExecStart=/usr/bin/true\n";
    // RootImage= needs the loop and device-mapper devices once devices are restricted.
    EXPECT_EQ(score("d1.service", head + "RootImage=/srv/img.raw\nDevicePolicy=closed\n"), "9.5");
    EXPECT_EQ(device_acl(head + "RootImage=/srv/img.raw\nDevicePolicy=closed\n"),
              "5 Service has a device ACL with some special devices: block-device-mapper:rwm "
              "block-blkext:rwm block-loop:rwm /dev/mapper/control:rw /dev/loop-control:rw");
    // Entries are prepended; invalid paths and rights are ignored; paths are simplified.
    EXPECT_EQ(device_acl(head + "DeviceAllow=/dev/null rw\nDeviceAllow=/dev//sda\n"
                                "DeviceAllow=/tmp/x rw\nDeviceAllow=/dev/null rx\n"
                                "DevicePolicy=strict\n"),
              "5 Service has a device ACL with some special devices: /dev/sda:rwm /dev/null:rw");
    // An empty DeviceAllow= resets the list; without RootImage= nothing is added.
    EXPECT_EQ(device_acl(head + "DeviceAllow=/dev/null rw\nDeviceAllow=\nDevicePolicy=closed\n"
                                "RootImage=/srv/i.raw\nRootImage=\n"),
              "0 Service has a minimal device ACL");
    // MountImages=, ProtectClock= and an encrypted credential add theirs too.
    EXPECT_EQ(device_acl(head + "MountImages=/srv/a.raw:/mnt/a\nProtectClock=yes\n"
                                "LoadCredentialEncrypted=tok:/etc/tok\nDeviceAllow=char-rtc r\n"
                                "DevicePolicy=strict\n"),
              "5 Service has a device ACL with some special devices: /dev/tpmrm0:rw char-rtc:r "
              "block-device-mapper:rwm block-blkext:rwm block-loop:rwm /dev/mapper/control:rw "
              "/dev/loop-control:rw char-rtc:r");
}

// Each value is parsed as its config_parse_*() in load-fragment.c does; the scores were measured
// with systemd-analyze security --offline=true (systemd 252.38).
TEST(Exposure, SettingsParseAsLoadFragment) {
    const std::string head = "[Service]\nExecStart=/usr/bin/true\n";
    struct Case {
        const char* name;
        std::string text;
        const char* score;
    };
    const Case cases[] = {
        // An empty boolean, ProtectHome=, ProtectSystem= or DevicePolicy= is ignored.
        {"bool-empty.service",
         head + "PrivateNetwork=yes\nPrivateNetwork=\nProtectHome=yes\nProtectHome=\n"
                "ProtectSystem=strict\nProtectSystem=\n",
         "8.8"},
        {"devpol-empty.service", head + "DevicePolicy=closed\nDevicePolicy=\n", "9.4"},
        // Address families by systemd's list, any case, aliases (AF_ROUTE is AF_NETLINK); unknown
        // names skipped; a list emptied by "~" lines stays a deny list.
        {"af-route.service", head + "RestrictAddressFamilies=AF_UNIX AF_ROUTE af_inet\n", "9.2"},
        {"af-unknown.service",
         head + "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET AF_BOGUS\n",
         "9.4"},
        {"af-emptied.service",
         head + "RestrictAddressFamilies=~AF_INET\nRestrictAddressFamilies=AF_INET\n"
                "RestrictAddressFamilies=AF_UNIX\n",
         "9.6"},
        // SystemCallFilter=: an empty line resets the mode too; an allow-listed word with an errno
        // is ignored, an invalid errno voids the word.
        {"scf-reset.service",
         head + "SystemCallFilter=~@mount\nSystemCallFilter=\nSystemCallFilter=@system-service\n",
         "8.2"},
        {"scf-errno.service", head + "SystemCallFilter=@system-service:EPERM\n", "8.0"},
        {"scf-errno2.service",
         head + "SystemCallFilter=@system-service\n"
                "SystemCallFilter=~@privileged:EACCES @resources:EBOGUS\n",
         "8.1"},
        // Unknown architectures are skipped.
        {"archs.service", head + "SystemCallArchitectures=native bogus\n", "9.4"},
        // Address prefixes are parsed and masked: 1.2.3.4/0 denies all of IPv4; 127.0.0.1/4 is
        // 112.0.0.0/4, not localhost; an invalid word is skipped.
        {"ip-zero.service", head + "IPAddressDeny=1.2.3.4/0 ::/0\nIPAddressAllow=127.0.0.1/4\n",
         "9.5"},
        {"ip-local.service",
         head + "IPAddressDeny=any\nIPAddressAllow=localhost.localdomain ::1/128 bogus\n", "9.4"},
        // BPF filter paths must be absolute; an empty line resets.
        {"bpf-rel.service", head + "IPAddressDeny=1.2.3.4\nIPIngressFilterPath=relative\n", "9.6"},
        {"bpf-reset.service", head + "IPIngressFilterPath=/sys/fs/bpf/x\nIPIngressFilterPath=\n",
         "9.6"},
        // DynamicUser= takes the unit name as user only when it is a valid name: "0" is not.
        {"0.service", head + "DynamicUser=yes\n", "8.4"},
        // The last valid DefaultDependencies= counts.
        {"dd.service", "[Unit]\nDefaultDependencies=no\nDefaultDependencies=bogus\n" + head, "9.5"},
    };
    for (const auto& c : cases) EXPECT_EQ(score(c.name, c.text), c.score) << c.name;
    // Delegate=: empty and a controller list mean yes; only services and scopes delegate.
    EXPECT_EQ(badness("d.service", head + "Delegate=\n", "Delegate="), "1");
    EXPECT_EQ(badness("d.service", head + "Delegate=cpu bogus\n", "Delegate="), "1");
    EXPECT_EQ(badness("d.socket", "[Socket]\nListenStream=/run/x\nDelegate=yes\n", "Delegate="),
              "0");
    // UMask= is octal of any length up to 07777; "0o" is not octal notation here.
    EXPECT_EQ(badness("u.service", head + "UMask=00077\nUMask=0o22\n", "UMask="), "0");
}

TEST(Exposure, LevelsAndChecks) {
    Exposure e = assess_exposure(make_unit("x.service", {parse_unit("x.service", "[Service]\n")}));
    EXPECT_EQ(e.level, "UNSAFE");
    EXPECT_EQ(e.checks.size(), 81u); // systemd 252's table, with seccomp
    bool saw_na = false;
    for (const auto& c : e.checks) saw_na = saw_na || !c.applies; // root: RemoveIPC= n/a
    EXPECT_TRUE(saw_na);
}

TEST(Exposure, SyscallFilterAllowAndDenyLists) {
    Exposure allow = assess_exposure(make_unit(
        "a.service", {parse_unit("a.service", "[Service]\nSystemCallFilter=@system-service\n")}));
    Exposure deny = assess_exposure(
        make_unit("d.service", {parse_unit("d.service", "[Service]\nSystemCallFilter=~@mount\n")}));
    for (const auto& c : allow.checks) {
        if (c.name == "SystemCallFilter=~@mount") {
            EXPECT_EQ(c.badness, 0u);
        }
        if (c.name == "SystemCallFilter=~@resources") {
            EXPECT_EQ(c.badness, 9u);
        }
    }
    for (const auto& c : deny.checks) {
        if (c.name == "SystemCallFilter=~@mount") {
            EXPECT_EQ(c.badness, 0u);
        }
        if (c.name == "SystemCallFilter=~@swap") {
            EXPECT_EQ(c.badness, 10u);
        }
    }
}

TEST(Exposure, DynamicUserNameIsTheUnitPrefix) {
    auto user = [](const std::string& name) {
        Unit u = make_unit(name, {parse_unit(name, "[Service]\nDynamicUser=yes\n")});
        return resolve_security(u).user.value_or("(none)");
    };
    EXPECT_EQ(user("web.service"), "web");
    EXPECT_EQ(user("web@8080.service"), "web");
    EXPECT_EQ(user("root.service"), "root"); // then it runs as root, as systemd says
    // Not a valid user name: systemd hashes it to "_du…".
    EXPECT_EQ(user("a.b.service"), "_du");
    EXPECT_EQ(user("0.service"), "_du");
}
