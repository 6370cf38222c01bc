// Smoke test of the test bed itself: two real hosts boot, answer ssh as the users deploy tests
// log in as, reach each other, and leave nothing behind.
#include "e2e/testbed.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace berth::e2e {
namespace {

// Every systemd-nspawn process running a container named NAME (-M NAME), found in /proc.
std::vector<std::string> nspawn_processes(const std::string& name) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::string cmdline = test::read_file(entry.path().string() + "/cmdline");
        if (cmdline.rfind("systemd-nspawn", 0) != 0 &&
            cmdline.find("/systemd-nspawn") == std::string::npos)
            continue;
        if (cmdline.find(std::string("\0-M\0", 4) + name + '\0') != std::string::npos)
            found.push_back(entry.path().filename().string());
    }
    return found;
}

TEST(Testbed, TwoHostsBootAnswerSshSudoReachEachOtherAndLeaveNothing) {
    const std::vector<std::string> names = {"e2e-a", "e2e-b"};
    Testbed tb(names);
    ASSERT_TRUE(tb.up) << tb.error;

    for (const auto& h : tb.hosts) {
        SCOPED_TRACE(h.name);
        // systemd as PID 1 finished booting: "degraded" only means a unit failed (listed then).
        auto state = ssh(tb, h.name, "timeout 60 systemctl is-system-running --wait");
        EXPECT_TRUE(state.out == "running\n" || state.out == "degraded\n")
            << state.out << state.err << ssh(tb, h.name, "systemctl --failed --no-pager").out;
        auto pid1 = ssh(tb, h.name, "cat /proc/1/comm; hostname; ip -4 -o addr show host0");
        EXPECT_EQ(pid1.status, 0) << pid1.err;
        EXPECT_EQ(pid1.out.substr(0, pid1.out.find('\n')), "systemd");
        EXPECT_NE(pid1.out.find("\n" + h.name + "\n"), std::string::npos) << pid1.out;
        EXPECT_NE(pid1.out.find("inet " + h.ip + "/24"), std::string::npos) << pid1.out;

        auto root = ssh(tb, h.name, "id -un");
        EXPECT_EQ(root.status, 0) << root.err;
        EXPECT_EQ(root.out, "root\n");
        // deploy: the key logs it in, and sudo never asks for a password.
        auto deploy = ssh(tb, h.name, "id -un && sudo -n true && sudo -n id -un", "deploy");
        EXPECT_EQ(deploy.status, 0) << deploy.err;
        EXPECT_EQ(deploy.out, "deploy\nroot\n");
        // nosudo: logged in, but sudo -n refuses (exit 1) with sudo's own message.
        auto nosudo = ssh(tb, h.name, "id -un && sudo -n true", "nosudo");
        EXPECT_EQ(nosudo.status, 1) << nosudo.out << nosudo.err;
        EXPECT_EQ(nosudo.out, "nosudo\n");
        EXPECT_NE(nosudo.err.find("sudo: a password is required"), std::string::npos) << nosudo.err;
    }

    // Each host reaches the other's sshd over the bridge (no ping in the image: bash's /dev/tcp).
    for (size_t i = 0; i < tb.hosts.size(); ++i) {
        const auto& from = tb.hosts[i];
        const auto& to = tb.hosts[1 - i];
        auto banner = ssh(tb, from.name,
                          "timeout 5 bash -c 'exec 3<>/dev/tcp/" + to.ip + "/22; head -c 8 <&3'");
        EXPECT_EQ(banner.status, 0) << from.name << " -> " << to.ip << ": " << banner.err;
        EXPECT_EQ(banner.out, "SSH-2.0-") << from.name << " -> " << to.ip;
    }

    ASSERT_TRUE(teardown(tb));
    for (const auto& name : names) {
        SCOPED_TRACE(name);
        EXPECT_EQ(nspawn_processes(name), std::vector<std::string>{});
        std::string host_dir = tb.dir + "/hosts/" + name;
        EXPECT_EQ(test::read_file("/proc/self/mounts").find(host_dir + "/"), std::string::npos);
        EXPECT_FALSE(std::filesystem::exists(host_dir));
        for (const char* root :
             {"/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"})
            EXPECT_FALSE(std::filesystem::exists(std::string(root) + "/testbed-" + name));
    }
    // The bridge goes with the last host; hosts someone booted by hand would keep it (their veths
    // hang on it): then say so instead of failing. Ours (vb-NAME) must be gone either way.
    auto attached = test::sh("ip -o link show master br-tb 2>/dev/null").out;
    for (const auto& name : names)
        EXPECT_EQ(attached.find("vb-" + name + "@"), std::string::npos) << attached;
    auto bridge = test::sh("ip link show br-tb");
    if (attached.empty())
        EXPECT_NE(bridge.status, 0) << "br-tb is still there:\n" << bridge.out;
    else
        std::cerr << "br-tb kept: other hosts are on it:\n" << attached;
}

} // namespace
} // namespace berth::e2e
