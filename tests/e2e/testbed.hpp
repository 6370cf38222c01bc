#pragma once
// End-to-end test bed: real target hosts (Debian 12, systemd 252 as PID 1, sshd) booted with
// systemd-nspawn by the scripts in tests/e2e/testbed/, on the bridge br-tb (10.77.0.1/24).
// docs/testbed.md says what these hosts are and are not.
//
//   berth::e2e::Testbed tb({"web1", "web2"});   // boots both in parallel, waits for ssh
//   ASSERT_TRUE(tb.up) << tb.error;             // the error carries the console log
//   auto r = berth::e2e::ssh(tb, "web1", "sudo -n true", "deploy");
//
// One Testbed at a time on the machine: the constructor waits for a machine-wide lock (other runs,
// other clones), then brings down the hosts a killed earlier run left behind. The destructor (or
// teardown()) powers every host off, wipes it and deletes the bridge; when the test process dies
// without running it (abort, SIGINT, SIGTERM, SIGKILL, a ctest timeout), a reaper process it left
// behind does the same.
#include "test_support.hpp"

#include <string>
#include <vector>

namespace berth::e2e {

struct TestbedHost {
    std::string name;
    std::string ip; // 10.77.0.11 for the first host, .12 for the second, ...
};

struct Testbed {
    // Host names: 1-12 characters of [a-z0-9-]. Waits up to ssh_timeout_s for every host's sshd.
    explicit Testbed(const std::vector<std::string>& names, int ssh_timeout_s = 120);
    ~Testbed();
    Testbed(const Testbed&) = delete;
    Testbed& operator=(const Testbed&) = delete;

    bool up = false;   // every host booted and let root in over ssh
    std::string error; // why not (with the console logs of the hosts that failed)
    double boot_s = 0; // from the first tb-up.sh to the last host answering ssh
    std::vector<TestbedHost> hosts;
    std::string dir;       // TESTBED_DIR: rootfs, key, hosts/NAME/{console.log,merged,...}
    std::string scripts;   // tests/e2e/testbed
    std::string owner;     // "PID STARTTIME" of this process: marks the hosts of this run
    test::TempDir run_dir; // this run's known_hosts and ssh control sockets
    int lock_fd = -1;      // the machine-wide run lock
    int reaper_fd = -1;    // our end of the reaper's socket; EOF without "done" = tear down
    bool torn_down = false;
};

// The host's IP; fails the test (and returns "") for an unknown name.
std::string ip(const Testbed& tb, const std::string& host);
// Runs COMMAND (a shell command line) on HOST as USER over ssh with the test bed's key and this
// run's known_hosts; connections are multiplexed (a handshake costs ~1 s under load).
test::CommandResult ssh(const Testbed& tb, const std::string& host, const std::string& command,
                        const std::string& user = "root");
// hosts/NAME/console.log: the container's boot messages (empty once the host is wiped).
std::string console_log(const Testbed& tb, const std::string& host);
// Powers off and wipes every host of this run and deletes the bridge when no other host is left.
// Prints the console logs first when the current test has failed. Idempotent; returns false (and
// fails the test) when tb-down.sh did.
bool teardown(Testbed& tb);

// $TESTBED_DIR, else /var/tmp/berth-testbed (the scripts' default).
std::string testbed_dir();
// $BERTH_TESTBED_SCRIPTS, else the path CMake compiled in.
std::string testbed_scripts();

} // namespace berth::e2e
