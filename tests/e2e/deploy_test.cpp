// berth deploy against real hosts: systemd as PID 1 and sshd, booted by the test bed. The service
// is examples/hello (e2e.service builds good and broken releases). Traffic goes only to the test
// hosts over the bridge the test bed made.
#include "e2e/deploy_support.hpp"
#include "e2e/testbed.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace berth::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string trim_nl(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string current_release(const DeployEnv& d) {
    return trim_nl(d.on_host("readlink /opt/hello/current").out);
}

int history_lines(const DeployEnv& d) {
    auto r = d.on_host("wc -l < /opt/hello/.berth/history.jsonl 2>/dev/null || echo 0");
    return std::stoi(r.out);
}

std::string invocation(const DeployEnv& d) {
    return trim_nl(d.on_host("systemctl show -p InvocationID --value hello").out);
}

// Everything a deploy may change, except berth's own cache (/var/lib/berth): paths, modes,
// sizes, times and contents.
std::string host_snapshot(const DeployEnv& d) {
    return d
        .on_host("for p in /opt/hello /etc/hello /etc/systemd/system /var/log/hello; do "
                 "[ -e \"$p\" ] && find \"$p\" -xdev -printf '%p %m %s %T@ %l\\n'; done | sort; "
                 "find /opt/hello /etc/hello /etc/systemd/system -xdev -type f "
                 "-exec sha256sum {} + 2>/dev/null | sort; systemctl show hello -p "
                 "InvocationID,ActiveState 2>/dev/null")
        .out;
}

TEST(Deploy, LifecycleOnARealHost) {
    Testbed tb({"dep1"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep1");

    // First deploy: installed, enabled, serving, in the standard layout.
    auto first = d.deploy("v1");
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("installing berth on the host"), std::string::npos) << first.out;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    std::string rel1 = current_release(d);
    EXPECT_EQ(rel1.rfind("releases/v1-", 0), 0u) << rel1;
    auto layout = d.on_host("stat -c '%a %U' /opt/hello/" + rel1 +
                            "/bin/hello; systemctl "
                            "is-enabled hello; test -f /opt/hello/" +
                            rel1 +
                            "/release.json && "
                            "echo release.json; ls -A /opt/hello/.berth");
    EXPECT_EQ(layout.out, "755 root\nenabled\nrelease.json\nhistory.jsonl\nlock\ntmp\n")
        << layout.out;
    EXPECT_EQ(history_lines(d), 2); // start and end

    // The unit runs the service in its sandbox: systemd-analyze security on the host agrees with
    // berth unit lint here.
    auto theirs = d.on_host("systemd-analyze security --offline=true --no-pager "
                            "/etc/systemd/system/hello.service | tail -1");
    test::TempDir unit_dir;
    test::write_file(unit_dir.path + "/hello.service",
                     d.on_host("cat /etc/systemd/system/hello.service").out);
    auto ours =
        test::run({test::berth_exe(), "unit", "lint", "--json", unit_dir.path + "/hello.service"});
    json lint = json::parse(ours.out)["results"][0];
    const std::string score = lint["exposure"]["score"].get<std::string>();
    EXPECT_NE(theirs.out.find("Overall exposure level for hello.service: " + score),
              std::string::npos)
        << theirs.out << " vs berth " << score;

    // The same release again: one health probe, nothing uploaded, restarted or recorded.
    const std::string before = invocation(d);
    auto again = d.deploy("v1", {"--json"});
    ASSERT_EQ(again.status, 0) << again.out << again.err;
    EXPECT_EQ(result_of(again.out)["outcome"], "unchanged");
    for (const auto& e : json_lines(again.out))
        if (e.value("step", "") == "upload" && e.value("phase", "") == "done") {
            EXPECT_NE(e["detail"].get<std::string>().find("already on the host"),
                      std::string::npos);
        }
    EXPECT_EQ(invocation(d), before);
    EXPECT_EQ(history_lines(d), 2);

    // A new version.
    auto second = d.deploy("v2");
    ASSERT_EQ(second.status, 0) << second.out << second.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v2\n");
    std::string rel2 = current_release(d);

    // Broken releases: each detected, rolled back, and v2 serves again.
    struct Broken {
        const char* release;
        const char* code;
        const char* journal; // a line of this start that the output must show
        std::string settle;
    };
    for (const Broken& b :
         {Broken{"exit", "D403", "exiting at start", ""}, Broken{"unhealthy", "D405", "", ""},
          Broken{"crashloop", "D404", "crashing 3 s after the start", "  settle: 6s\n"}}) {
        SCOPED_TRACE(b.release);
        d.extra_yaml = "";
        std::vector<std::string> args = {"--json"};
        if (!b.settle.empty()) args = {"--json", "--settle", "6000"};
        auto r = d.deploy(b.release, args);
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        json res = result_of(r.out);
        EXPECT_EQ(res["outcome"], "rolled-back") << res.dump(2);
        std::set<std::string> codes;
        for (const auto& f : res["findings"]) codes.insert(f["code"]);
        EXPECT_TRUE(codes.count(b.code)) << res.dump(2);
        if (*b.journal) {
            EXPECT_NE(res["journal"].dump().find(b.journal), std::string::npos) << res.dump(2);
        }
        EXPECT_EQ(current_release(d), rel2);
        EXPECT_EQ(http_get(d.ip(), "/version"), "v2\n");
    }

    // releases and status say what runs and what failed.
    auto releases = d.berth({"releases", "--json", "--config", d.config_path()});
    ASSERT_EQ(releases.status, 0) << releases.err;
    const json listed = json::parse(releases.out);
    std::map<std::string, json> by_version;
    for (const auto& r : listed["hosts"][0]["releases"]) by_version[r["version"]] = r;
    ASSERT_TRUE(by_version.count("v2") && by_version.count("v1") && by_version.count("exit"))
        << releases.out;
    EXPECT_TRUE(by_version["v2"]["current"].get<bool>());
    EXPECT_EQ(by_version["v1"]["result"], "success");
    EXPECT_EQ(by_version["exit"]["result"], "failed");
    auto status = d.berth({"status", "--json", "--config", d.config_path()});
    EXPECT_EQ(status.status, 0) << status.out << status.err;
    json st = json::parse(status.out)["hosts"][0];
    EXPECT_TRUE(st["healthy"].get<bool>());
    EXPECT_EQ("releases/" + st["current"].get<std::string>(), rel2);

    // rollback: to the previous good release, and back with --to.
    auto rb = d.berth({"rollback", "--config", d.config_path()});
    EXPECT_EQ(rb.status, 0) << rb.out << rb.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    auto forward = d.berth({"rollback", "--config", d.config_path(), "--to", rel2.substr(9)});
    EXPECT_EQ(forward.status, 0) << forward.out << forward.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v2\n");

    // --dry-run: every change listed, the host byte-for-byte unchanged.
    const std::string snapshot = host_snapshot(d);
    auto dry = d.deploy("v3", {"--dry-run"});
    EXPECT_EQ(dry.status, 0) << dry.out << dry.err;
    EXPECT_NE(dry.out.find("would"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("current -> releases/v3-"), std::string::npos) << dry.out;
    EXPECT_EQ(host_snapshot(d), snapshot);

    // An old process that ignores SIGTERM is killed after TimeoutStopSec: a warning, with time.
    ASSERT_EQ(d.deploy("ignore-term").status, 0);
    auto away = d.deploy("v3", {"--json"});
    EXPECT_EQ(away.status, 0) << away.out;
    std::set<std::string> codes;
    const json away_result = result_of(away.out);
    for (const auto& f : away_result["findings"]) codes.insert(f["code"]);
    EXPECT_TRUE(codes.count("D406")) << away.out;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v3\n");
}

TEST(Deploy, ASecondDeployIsRefusedNamingTheHolder) {
    Testbed tb({"dep2"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep2");
    ASSERT_EQ(d.deploy("v1").status, 0);
    // The first deploy settles for 4 s holding the lock; the second starts meanwhile.
    d.config("v2", "");
    test::TempDir out;
    std::thread first([&] {
        auto r = d.berth({"deploy", service_release("v2"), "--config", d.config_path(), "--json",
                          "--settle", "4000"});
        test::write_file(out.path + "/first", std::to_string(r.status) + "\n" + r.out);
    });
    // Wait for its lock (the history's start line).
    for (int i = 0; i < 100 && history_lines(d) < 3; ++i) std::this_thread::sleep_for(100ms);
    DeployEnv other(tb, "dep2");
    other.config("v3");
    auto second =
        other.berth({"deploy", service_release("v3"), "--config", other.config_path(), "--json"});
    first.join();
    EXPECT_EQ(second.status, 1) << second.out << second.err;
    json res = result_of(second.out);
    EXPECT_EQ(res["outcome"], "stopped");
    EXPECT_NE(res["reason"].get<std::string>().find("holds the lock: root@"), std::string::npos)
        << res.dump(2);
    std::string f = test::read_file(out.path + "/first");
    EXPECT_EQ(f.substr(0, 2), "0\n") << f;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v2\n");
}

// Killed at every step boundary (and the host's side cut right after a step): the service keeps
// answering with the old or the new release, and the next deploy converges.
TEST(Deploy, KilledAtAnyStepTheHostServesAndARerunConverges) {
    Testbed tb({"dep3"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep3");
    ASSERT_EQ(d.deploy("v1").status, 0);
    const std::vector<std::string> releases = {"v2", "v3"};
    int n = 0;
    for (const std::string step :
         {"upload", "gate", "lock", "install", "switch", "restart", "verify", "record"}) {
        SCOPED_TRACE("killed before " + step);
        // A version of its own: every deploy installs a new release (and has every step).
        const std::string next = releases[n % 2];
        const std::string version = next + "-kill-" + std::to_string(n++);
        auto killed = d.deploy(next, {}, {"BERTH_TEST_STOP_AT=" + step}, version);
        EXPECT_EQ(killed.status, 128 + 9) << killed.out << killed.err;
        if (step == std::string("restart")) {
            // `status` tells of the deploy that never ended.
            auto st = d.berth({"status", "--config", d.config_path()});
            EXPECT_NE(st.out.find("unfinished: the deploy of " + next + "-"), std::string::npos)
                << st.out << st.err;
        }
        std::string v = http_get(d.ip(), "/version");
        EXPECT_TRUE(v == "v1\n" || v == "v2\n" || v == "v3\n") << "answered '" << v << "'";
        auto rerun = d.deploy(next, {}, {}, version);
        EXPECT_EQ(rerun.status, 0) << rerun.out << rerun.err;
        EXPECT_EQ(http_get(d.ip(), "/version"), next + "\n");
    }
    auto settled = d.berth({"status", "--config", d.config_path(), "--json"});
    EXPECT_EQ(json::parse(settled.out)["hosts"][0]["unfinished"], "") << settled.out;
    for (const std::string op : {"install", "switch", "restart"}) {
        SCOPED_TRACE("the host's berth gone after " + op);
        const std::string next = releases[n % 2];
        const std::string version = next + "-cut-" + std::to_string(n++);
        auto cut = d.deploy(next, {"--json"}, {"BERTH_TEST_AGENT_EXIT_AFTER=" + op}, version);
        EXPECT_EQ(cut.status, 3) << cut.out << cut.err;
        EXPECT_EQ(result_of(cut.out)["outcome"], "unsafe");
        std::string v = http_get(d.ip(), "/version");
        EXPECT_FALSE(v.empty());
        auto rerun = d.deploy(next, {}, {}, version);
        EXPECT_EQ(rerun.status, 0) << rerun.out << rerun.err;
        EXPECT_EQ(http_get(d.ip(), "/version"), next + "\n");
    }
    // A real cut: the ssh connection killed during verification.
    d.config("v1");
    std::thread killer([&] {
        std::this_thread::sleep_for(1500ms);
        test::sh("pkill -KILL -f 'ssh.*" + d.ip() + ".*agent.*session'");
    });
    auto cut =
        d.berth({"deploy", service_release("v1"), "--config", d.config_path(), "--settle", "4000"});
    killer.join();
    EXPECT_EQ(cut.status, 3) << cut.out << cut.err;
    EXPECT_FALSE(http_get(d.ip(), "/version").empty());
    auto rerun = d.deploy("v1");
    EXPECT_EQ(rerun.status, 0) << rerun.out << rerun.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    // The history tells the cut deploys from the finished ones.
    auto history = d.on_host("cat /opt/hello/.berth/history.jsonl").out;
    EXPECT_NE(history.find("\"phase\":\"start\""), std::string::npos);
}

// ^C: before any change the deploy just stops; after one it stops at the next step and rolls
// back, verified; during a verification it stops that at once.
TEST(Deploy, InterruptedItStopsOrRollsBack) {
    Testbed tb({"dep8"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep8");
    ASSERT_EQ(d.deploy("v1").status, 0);
    const std::string v1 = current_release(d);

    const std::string before = host_snapshot(d);
    auto early = d.deploy("v2", {"--json"}, {"BERTH_TEST_INTERRUPT_AT=gate"});
    EXPECT_EQ(early.status, 1) << early.out << early.err;
    EXPECT_EQ(result_of(early.out)["outcome"], "stopped") << early.out;
    EXPECT_NE(early.err.find("interrupted"), std::string::npos) << early.err;
    EXPECT_EQ(host_snapshot(d), before);

    auto late = d.deploy("v2", {"--json"}, {"BERTH_TEST_INTERRUPT_AT=restart"});
    EXPECT_EQ(late.status, 1) << late.out << late.err;
    json late_result = result_of(late.out);
    EXPECT_EQ(late_result["outcome"], "rolled-back") << late.out;
    EXPECT_EQ(late_result["findings"].back()["code"], "D411") << late.out;
    // The generated unit sets LimitNOFILE: systemd's default 1024 (the test bed's) is no finding.
    for (const auto& f : late_result["findings"]) EXPECT_NE(f["code"], "H211") << f.dump();
    EXPECT_EQ(current_release(d), v1);
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");

    // A real SIGINT while the new release is being verified (4 s of settle).
    d.config("v2");
    const std::string old_invocation = invocation(d);
    std::thread interrupter([&] {
        for (int i = 0; i < 200 && invocation(d) == old_invocation; ++i)
            std::this_thread::sleep_for(50ms);
        std::this_thread::sleep_for(500ms);
        test::sh("pkill -INT -f '[b]erth deploy .*" + d.config_path() + "'");
    });
    auto t0 = std::chrono::steady_clock::now();
    auto during = d.berth({"deploy", service_release("v2"), "--config", d.config_path(), "--json",
                           "--settle", "4000"});
    interrupter.join();
    EXPECT_EQ(during.status, 1) << during.out << during.err;
    json during_result = result_of(during.out);
    EXPECT_EQ(during_result["outcome"], "rolled-back") << during.out;
    EXPECT_NE(during_result["reason"].get<std::string>().find("during verify"), std::string::npos)
        << during.out;
    // The new release's 4 s were cut short; the old one's verification took its 4 s.
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 9s);
    EXPECT_EQ(current_release(d), v1);
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    auto history = d.on_host("tail -n 1 /opt/hello/.berth/history.jsonl").out;
    EXPECT_NE(history.find("\"result\":\"failed\""), std::string::npos) << history;
    EXPECT_NE(history.find("interrupted"), std::string::npos) << history;
    // And the next deploy goes through.
    EXPECT_EQ(d.deploy("v2").status, 0);
    EXPECT_EQ(http_get(d.ip(), "/version"), "v2\n");
}

TEST(Deploy, TheGateStopsBeforeAnythingChanges) {
    Testbed tb({"dep4"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep4");
    // The install dir on a noexec mount.
    ASSERT_EQ(d.on_host("mkdir -p /opt/hello && mount -t tmpfs -o noexec tmpfs /opt/hello").status,
              0);
    const std::string before = host_snapshot(d);
    auto r = d.deploy("v1", {"--json"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    std::set<std::string> codes;
    const json r_result = result_of(r.out);
    for (const auto& f : r_result["findings"]) codes.insert(f["code"]);
    EXPECT_TRUE(codes.count("H204")) << r.out;
    EXPECT_TRUE(codes.count("D401")) << r.out;
    EXPECT_EQ(host_snapshot(d), before);
    // Accepted knowingly: deployed, but the program cannot start from a noexec mount.
    ASSERT_EQ(d.on_host("umount /opt/hello").status, 0);

    // A service user that is missing, with create_user false: stopped; with it: created.
    d.extra_yaml = "user: svc\ncreate_user: false\n";
    auto missing = d.deploy("v1", {"--json"});
    EXPECT_EQ(missing.status, 1) << missing.out;
    codes.clear();
    const json missing_result = result_of(missing.out);
    for (const auto& f : missing_result["findings"]) codes.insert(f["code"]);
    EXPECT_TRUE(codes.count("H215")) << missing.out;
    EXPECT_NE(d.on_host("test -e /etc/systemd/system/hello.service").status, 0);
    d.extra_yaml = "user: svc\n";
    auto created = d.deploy("v1");
    EXPECT_EQ(created.status, 0) << created.out << created.err;
    EXPECT_EQ(trim_nl(d.on_host("stat -c %U /proc/$(systemctl show -p MainPID --value hello)").out),
              "svc");
}

// Values that reach the host (paths, environment, arguments, descriptions) run nothing.
TEST(Deploy, HostileValuesRunNothing) {
    Testbed tb({"dep5"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep5");
    d.extra_yaml = "install_dir: \"/opt/my app; touch /tmp/pwned1\"\n"
                   "description: \"it's \\\"quoted\\\" $(touch /tmp/pwned2) `touch /tmp/pwned3`\"\n"
                   "environment:\n"
                   "  TRAP: \"$(touch /tmp/pwned4); echo 'x' \\\\ \\\"y\\\"\"\n"
                   "args: [\"--listen\", \":8080\"]\n";
    auto r = d.deploy("v1");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    EXPECT_EQ(d.on_host("ls /tmp/pwned* 2>/dev/null | wc -l").out, "0\n");
    // The environment arrives literally in the service.
    auto env =
        d.on_host("tr '\\0' '\\n' < /proc/$(systemctl show -p MainPID --value hello)/environ "
                  "| grep ^TRAP=");
    EXPECT_EQ(env.out, "TRAP=$(touch /tmp/pwned4); echo 'x' \\ \"y\"\n");
    EXPECT_EQ(trim_nl(d.on_host("readlink '/opt/my app; touch /tmp/pwned1/current'").out)
                  .rfind("releases/v1-", 0),
              0u);
    // Names that would leave their place are refused here, before any connection.
    for (const char* name : {"../../etc", "a;b", "$(id)", "a b"}) {
        test::write_file(d.config_path(), std::string("name: '") + name + "'\n");
        auto bad = d.berth({"deploy", service_release("v1"), "--config", d.config_path()});
        EXPECT_EQ(bad.status, 2) << name << ": " << bad.out << bad.err;
    }
}

TEST(Deploy, SshLoginsSudoAndUnreachableHosts) {
    Testbed tb({"dep6"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep6");
    // A login user that is not root: with sudo it works, without it says why.
    d.user = "deploy";
    auto no_sudo = d.deploy("v1");
    EXPECT_EQ(no_sudo.status, 2) << no_sudo.out << no_sudo.err;
    EXPECT_NE((no_sudo.out + no_sudo.err).find("not root"), std::string::npos) << no_sudo.out;
    auto with_sudo = d.deploy("v1", {"--sudo"});
    EXPECT_EQ(with_sudo.status, 0) << with_sudo.out << with_sudo.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    // sudo wanting a password: a clear error, at once.
    d.user = "nosudo";
    auto t0 = std::chrono::steady_clock::now();
    auto refused = d.deploy("v2", {"--sudo"});
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 30s);
    EXPECT_EQ(refused.status, 2) << refused.out << refused.err;
    EXPECT_NE((refused.out + refused.err).find("sudo"), std::string::npos)
        << refused.out << refused.err;
    // A host key that changed: ssh's refusal, one line.
    d.user = "root";
    test::write_file(
        d.dir.path + "/known_hosts",
        d.ip() +
            " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    auto mismatch = d.berth({"deploy", service_release("v2"), "--config", d.config_path(),
                             "--ssh-option", "StrictHostKeyChecking=yes"});
    EXPECT_EQ(mismatch.status, 2) << mismatch.out << mismatch.err;
    EXPECT_NE((mismatch.out + mismatch.err).find("known_hosts"), std::string::npos)
        << mismatch.out << mismatch.err;
    EXPECT_EQ(http_get(d.ip(), "/version"), "v1\n");
    // Nothing answers at that address: unreachable, within the connect timeout.
    test::write_file(d.dir.path + "/known_hosts", "");
    DeployEnv nowhere(tb, "dep6");
    nowhere.config("v1");
    t0 = std::chrono::steady_clock::now();
    auto gone = test::run({"env", "XDG_RUNTIME_DIR=" + nowhere.dir.path, test::berth_exe(),
                           "deploy", service_release("v1"), "--config", nowhere.config_path(),
                           "--host", "root@10.77.0.250", "--ssh-option", "ConnectTimeout=2"});
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 20s);
    EXPECT_EQ(gone.status, 2) << gone.out << gone.err;
}

// A host of another machine type needs berth's build for it, named by its exact path; found beside
// the running berth, it is the one uploaded (scripts/build-arm64 puts the real one at
// build/berth-aarch64).
TEST(Deploy, AHostOfAnotherMachineGetsItsOwnBerthBuild) {
    Testbed tb({"dep7"});
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "dep7");
    // The host says it is aarch64 (a uname in front of the real one on root's PATH).
    ASSERT_EQ(d.on_host("printf '#!/bin/sh\\n[ \"$1\" = -m ] && { echo aarch64; exit 0; }\\nexec "
                        "/usr/bin/uname \"$@\"\\n' > /usr/local/bin/uname && chmod 755 "
                        "/usr/local/bin/uname && uname -m")
                  .out,
              "aarch64\n");
    // A berth alone in its directory (build/ may hold the real berth-aarch64) names both places.
    test::TempDir bin;
    test::run({"cp", test::berth_exe(), bin.path + "/berth"});
    d.config("v1");
    auto deploy = [&] {
        return test::run({"env", "XDG_RUNTIME_DIR=" + d.dir.path, bin.path + "/berth", "deploy",
                          service_release("v1"), "--config", d.config_path(), "--host",
                          "root@" + d.ip(), "--ssh-option",
                          "IdentityFile=" + tb.dir + "/id_ed25519", "--ssh-option",
                          "UserKnownHostsFile=" + d.dir.path + "/known_hosts", "--ssh-option",
                          "StrictHostKeyChecking=accept-new"});
    };
    auto r = deploy();
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    const std::string wanted = "is aarch64, this berth is built for x86_64: put berth's aarch64 "
                               "build at " +
                               bin.path +
                               "/berth-aarch64 (or /usr/lib/berth/berth-aarch64) and deploy again";
    EXPECT_NE((r.out + r.err).find(wanted), std::string::npos) << r.out << r.err;
    // With a berth-aarch64 beside it, that one is uploaded (here a copy of the x86_64 build, which
    // this host can run whatever its uname says).
    test::run({"cp", test::berth_exe(), bin.path + "/berth-aarch64"});
    test::run({"sh", "-c", "printf x >> " + bin.path + "/berth-aarch64"}); // another sha256
    std::string sha =
        trim_nl(test::sh("sha256sum " + bin.path + "/berth-aarch64 | cut -d' ' -f1").out);
    auto ok = deploy();
    EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
    EXPECT_EQ(d.on_host("test -x /var/lib/berth/bin/berth-" + sha + " && echo yes").out, "yes\n");
}

} // namespace
} // namespace berth::e2e
