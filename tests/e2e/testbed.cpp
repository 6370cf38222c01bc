#include "e2e/testbed.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef BERTH_TESTBED_SCRIPTS_PATH
#define BERTH_TESTBED_SCRIPTS_PATH ""
#endif

namespace berth::e2e {

namespace {

// Machine-wide, whatever TESTBED_DIR says: the bridge and the subnet are machine-wide too. Not the
// scripts' own lock (/run/lock/berth-testbed.lock), which tb-up.sh takes while we hold this one.
constexpr const char* run_lock_path = "/run/lock/berth-testbed.run.lock";
constexpr int lock_wait_s = 900;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string tail_lines(const std::string& text, size_t n) {
    size_t pos = text.size();
    for (size_t i = 0; i <= n && pos > 0; ++i) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
    }
    return text.substr(pos + 1);
}

// "PID STARTTIME": the start time (field 22 of /proc/PID/stat) tells a reused pid from ours.
std::string self_owner() {
    std::string stat = test::read_file("/proc/self/stat");
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
    }
    return std::to_string(::getpid()) + " " + field;
}

std::string script(const Testbed& tb, const char* name) {
    return tb.scripts + "/" + name;
}

test::CommandResult run_script(const Testbed& tb, std::vector<std::string> argv) {
    // TESTBED_DIR and TB_OWNER through env(1): the scripts see the same directory as we do.
    argv.insert(argv.begin(), {"env", "TESTBED_DIR=" + tb.dir, "TB_OWNER=" + tb.owner});
    return test::run(argv);
}

bool host_running(const Testbed& tb, const std::string& name) {
    std::string pid = test::read_file(tb.dir + "/hosts/" + name + "/run.pid");
    return !pid.empty() && ::kill(std::atoi(pid.c_str()), 0) == 0;
}

// Waits for the machine-wide run lock: another run (another clone, a by-hand ctest) may be using
// the bridge and the addresses.
bool take_run_lock(Testbed& tb) {
    tb.lock_fd = ::open(run_lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (tb.lock_fd < 0) {
        tb.error = std::string("cannot open ") + run_lock_path + ": " + std::strerror(errno);
        return false;
    }
    auto t0 = Clock::now();
    bool said = false;
    while (::flock(tb.lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (seconds_since(t0) > lock_wait_s) {
            tb.error = std::string("another test bed run held ") + run_lock_path + " for " +
                       std::to_string(lock_wait_s) + " s";
            return false;
        }
        if (!said)
            std::cerr << "testbed: waiting for another run to release " << run_lock_path << "\n";
        said = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return true;
}

// The reaper: a detached process (its own session, reparented away from us, so neither a
// terminal's SIGINT nor ctest killing our process tree reaches it) that waits on a socket. When
// our end closes without a "done" line first, we died before teardown(): it runs
// tb-down.sh --owner OWNER --wipe. It also holds our copy of the run lock until then, so the next
// run waits for the cleanup to finish. Everything is prepared before fork(): the child calls only
// async-signal-safe functions.
bool start_reaper(Testbed& tb) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        tb.error = std::string("socketpair: ") + std::strerror(errno);
        return false;
    }
    std::string log = tb.dir + "/reaper.log";
    std::string down = script(tb, "tb-down.sh");
    std::string shell_line = "read -r msg; [ \"$msg\" = done ] && exit 0; echo \"$(date) reaping "
                             "$1\"; exec env TESTBED_DIR=\"$2\" \"$0\" --owner \"$1\" --wipe";
    const char* argv[] = {
        "/bin/sh",      "-c",   shell_line.c_str(), down.c_str(), tb.owner.c_str(),
        tb.dir.c_str(), nullptr};
    pid_t pid = ::fork();
    if (pid < 0) {
        tb.error = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (pid == 0) {
        ::setsid();
        if (::fork() != 0) ::_exit(0);
        int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (out < 0) out = ::open("/dev/null", O_WRONLY);
        ::dup2(sv[1], 0); // the socket as stdin: "done", or EOF when we are gone
        ::dup2(out, 1);   // never our stdout: ctest waits for EOF on it
        ::dup2(out, 2);
        ::dup2(tb.lock_fd, 3);  // keeps the run lock while the reaper lives
        ::fcntl(3, F_SETFD, 0); // (dup2 onto itself would leave O_CLOEXEC set)
        ::execv(argv[0], const_cast<char* const*>(argv));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(sv[1]);
    tb.reaper_fd = sv[0];
    return true;
}

void stop_reaper(Testbed& tb) {
    if (tb.reaper_fd < 0) return;
    static const char done[] = "done\n";
    (void)::send(tb.reaper_fd, done, sizeof done - 1, MSG_NOSIGNAL);
    ::close(tb.reaper_fd);
    tb.reaper_fd = -1;
}

std::vector<std::string> ssh_options(const Testbed& tb) {
    return {"-i", tb.dir + "/id_ed25519",
            "-o", "UserKnownHostsFile=" + tb.run_dir.path + "/known_hosts",
            "-o", "StrictHostKeyChecking=accept-new", // new keys each run: a fresh known_hosts
            "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR",
            "-o", "ConnectTimeout=10",
            "-o", "ControlMaster=auto",
            "-o", "ControlPath=" + tb.run_dir.path + "/cm-%C",
            "-o", "ControlPersist=60"};
}

bool boot(Testbed& tb, const std::vector<std::string>& names, int ssh_timeout_s) {
    // Leftovers of a killed run (their owner is gone), then anything left under our names.
    auto stale = run_script(tb, {script(tb, "tb-down.sh"), "--stale", "--wipe"});
    if (stale.status != 0) {
        tb.error = "tb-down.sh --stale failed:\n" + stale.out + stale.err;
        return false;
    }
    for (size_t i = 0; i < names.size(); ++i) {
        if (host_running(tb, names[i])) {
            tb.error = "host " + names[i] + " is already running outside this run (by hand?): " +
                       script(tb, "tb-down.sh") + " " + names[i] + " --wipe";
            return false;
        }
        tb.hosts.push_back({names[i], "10.77.0." + std::to_string(11 + i)});
    }
    std::vector<std::string> wipe = {script(tb, "tb-down.sh"), "--wipe"};
    wipe.insert(wipe.end(), names.begin(), names.end());
    if (auto r = run_script(tb, wipe); r.status != 0) {
        tb.error = "tb-down.sh --wipe failed:\n" + r.out + r.err;
        return false;
    }

    auto t0 = Clock::now();
    for (const auto& h : tb.hosts) {
        auto r = run_script(tb, {script(tb, "tb-up.sh"), h.name, h.ip});
        if (r.status != 0) {
            tb.error = "tb-up.sh " + h.name + " failed:\n" + r.out + r.err;
            return false;
        }
    }
    std::vector<std::future<test::CommandResult>> waits;
    for (const auto& h : tb.hosts)
        waits.push_back(std::async(std::launch::async, [&tb, &h, ssh_timeout_s] {
            return run_script(
                tb, {script(tb, "tb-wait-ssh.sh"), h.name, std::to_string(ssh_timeout_s)});
        }));
    bool ok = true;
    for (size_t i = 0; i < waits.size(); ++i) {
        auto r = waits[i].get();
        if (r.status == 0) continue;
        ok = false;
        tb.error += "host " + tb.hosts[i].name + " (" + tb.hosts[i].ip +
                    ") did not answer ssh: " + r.out + r.err + "---- console.log of " +
                    tb.hosts[i].name + " ----\n" +
                    tail_lines(console_log(tb, tb.hosts[i].name), 150) + "\n";
    }
    tb.boot_s = seconds_since(t0);
    std::cerr << "testbed: " << tb.hosts.size() << " host(s) "
              << (ok ? "booted to ssh in " : "failed to boot after ") << tb.boot_s << " s\n";
    return ok;
}

} // namespace

std::string testbed_dir() {
    const char* v = std::getenv("TESTBED_DIR");
    return v && *v ? v : "/var/tmp/berth-testbed";
}

std::string testbed_scripts() {
    const char* v = std::getenv("BERTH_TESTBED_SCRIPTS");
    if (v && *v) return v;
    if (*BERTH_TESTBED_SCRIPTS_PATH) return BERTH_TESTBED_SCRIPTS_PATH;
    ADD_FAILURE() << "BERTH_TESTBED_SCRIPTS is not set and no default was compiled in";
    return {};
}

Testbed::Testbed(const std::vector<std::string>& names, int ssh_timeout_s)
    : dir(testbed_dir()), scripts(testbed_scripts()), owner(self_owner()) {
    if (!std::filesystem::exists(dir + "/id_ed25519") ||
        !std::filesystem::exists(dir + "/rootfs/lib/systemd/systemd")) {
        error = "no test bed in " + dir + ": run " + scripts + "/tb-prepare.sh (the CTest " +
                "fixture testbed.prepare does)";
        return;
    }
    if (!take_run_lock(*this) || !start_reaper(*this)) return;
    up = boot(*this, names, ssh_timeout_s);
}

Testbed::~Testbed() {
    teardown(*this);
}

std::string ip(const Testbed& tb, const std::string& host) {
    for (const auto& h : tb.hosts)
        if (h.name == host) return h.ip;
    ADD_FAILURE() << "no test bed host named " << host;
    return {};
}

test::CommandResult ssh(const Testbed& tb, const std::string& host, const std::string& command,
                        const std::string& user) {
    std::vector<std::string> argv = {"ssh"};
    for (auto& o : ssh_options(tb)) argv.push_back(o);
    argv.push_back(user + "@" + ip(tb, host));
    argv.push_back(command);
    return test::run(argv);
}

std::string console_log(const Testbed& tb, const std::string& host) {
    return test::read_file(tb.dir + "/hosts/" + host + "/console.log");
}

bool teardown(Testbed& tb) {
    if (tb.torn_down) return true;
    tb.torn_down = true;
    bool ok = true;
    if (tb.reaper_fd >= 0) {                        // we started (some) hosts
        if (tb.up && ::testing::Test::HasFailure()) // else tb.error has the logs already
            for (const auto& h : tb.hosts)
                std::cerr << "---- console.log of " << h.name << " (last 150 lines) ----\n"
                          << tail_lines(console_log(tb, h.name), 150) << "\n";
        // The control masters would exit with the hosts anyway; this makes it immediate.
        for (const auto& h : tb.hosts)
            for (const char* user : {"root", "deploy", "nosudo"}) {
                std::vector<std::string> argv = {"ssh"};
                for (auto& o : ssh_options(tb)) argv.push_back(o);
                argv.insert(argv.end(), {"-O", "exit", std::string(user) + "@" + h.ip});
                test::run(argv);
            }
        auto r = run_script(tb, {script(tb, "tb-down.sh"), "--owner", tb.owner, "--wipe"});
        if (r.status != 0) {
            ADD_FAILURE() << "tb-down.sh --owner failed:\n" << r.out << r.err;
            ok = false;
        }
        stop_reaper(tb);
    }
    if (tb.lock_fd >= 0) ::close(tb.lock_fd);
    tb.lock_fd = -1;
    return ok;
}

} // namespace berth::e2e
