// The local transport and the process layer under both transports, against real programs:
// statuses, signals, timeouts that kill fast, big and flooding outputs, line bounds, and no
// zombie, leaked descriptor or SIGPIPE death.
#include "remote/transport.hpp"
#include "test_support.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using berth::remote::local_transport;
using berth::remote::RunResult;
using berth::remote::TransportError;
using namespace std::chrono_literals;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::size_t open_fds() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        n += !e.path().empty();
    return n;
}

// The state letter of process `pid` ('Z': a zombie), or 0 when it is gone.
char process_state(pid_t pid) {
    auto stat = berth::test::read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() ? 0 : stat[close + 2];
}

// Children of this process that are zombies (not reaped).
int zombie_children() {
    int zombies = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        std::string name = e.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto stat = berth::test::read_file(e.path().string() + "/stat");
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        auto fields = berth::split_words(stat.substr(close + 2));
        if (fields.size() > 1 && fields[1] == std::to_string(::getpid()) && fields[0] == "Z")
            ++zombies;
    }
    return zombies;
}

} // namespace

TEST(LocalTransport, ExitStatusesOutputAndInput) {
    auto t = local_transport();
    EXPECT_EQ(t->where(), "this machine");
    EXPECT_EQ(t->run({"true"}, "", 10s).status, 0);
    EXPECT_EQ(t->run({"false"}, "", 10s).status, 1);
    RunResult r = t->run({"sh", "-c", "echo out; echo err >&2; exit 3"}, "", 10s);
    EXPECT_EQ(r.status, 3);
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_EQ(t->run({"cat"}, "some input\n", 10s).out, "some input\n");
    // No shell: a word stays one argument.
    EXPECT_EQ(t->run({"printf", "%s|", "a b", "$(id)", "*"}, "", 10s).out, "a b|$(id)|*|");
}

TEST(LocalTransport, SignalsAre128Plus) {
    auto t = local_transport();
    EXPECT_EQ(t->run({"sh", "-c", "kill -TERM $$"}, "", 10s).status, 128 + SIGTERM);
    EXPECT_EQ(t->run({"sh", "-c", "kill -KILL $$"}, "", 10s).status, 128 + SIGKILL);
}

TEST(LocalTransport, MissingProgramIsTransportError) {
    auto t = local_transport();
    try {
        t->run({"/nonexistent/berth-no-such-program"}, "", 10s);
        FAIL();
    } catch (const TransportError& e) {
        EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(t->start({"berth-no-such-program-in-path"}), TransportError);
}

TEST(LocalTransport, TimeoutKillsTheChildAndItsChildrenFast) {
    auto t = local_transport();
    berth::test::TempDir tmp;
    std::string pid_file = tmp.path + "/pid";
    auto start = std::chrono::steady_clock::now();
    try {
        t->run({"sh", "-c", "sleep 60 & echo $! > " + pid_file + "; wait"}, "", 300ms);
        FAIL() << "no timeout";
    } catch (const TransportError& e) {
        EXPECT_NE(std::string(e.what()).find("did not finish within 300 ms"), std::string::npos)
            << e.what();
    }
    EXPECT_LT(seconds_since(start), 2.0);
    // The grandchild was in the child's process group: killed too (gone, or a zombie of init).
    pid_t grandchild = std::stoi(berth::test::read_file(pid_file));
    for (int i = 0; i < 100 && process_state(grandchild) != 0 && process_state(grandchild) != 'Z';
         ++i)
        std::this_thread::sleep_for(10ms);
    char state = process_state(grandchild);
    EXPECT_TRUE(state == 0 || state == 'Z') << state;
    EXPECT_EQ(zombie_children(), 0);
}

TEST(LocalTransport, OutputOfABackgroundedGrandchildDoesNotHoldRun) {
    // The child exits at once; its child keeps stdout open for 10 s.
    auto t = local_transport();
    auto start = std::chrono::steady_clock::now();
    RunResult r = t->run({"sh", "-c", "echo first; sleep 10 & echo $!; exit 0"}, "", 10s);
    EXPECT_LT(seconds_since(start), 2.0);
    auto lines = berth::split_lines(r.out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "first");
    ::kill(std::stoi(lines[1]), SIGKILL);
}

TEST(LocalTransport, FloodOfStdoutAndStderrWhileWritingStdinDoesNotDeadlock) {
    // 20 MB to stdin, echoed on stdout, while 30 MB go to stderr at the same time.
    auto t = local_transport();
    std::string input(20u << 20, 'i');
    for (std::size_t i = 0; i < input.size(); i += 4096) input[i] = '\n';
    auto start = std::chrono::steady_clock::now();
    RunResult r =
        t->run({"sh", "-c", "head -c 30000000 /dev/zero | tr '\\0' e >&2 & cat; wait"}, input, 60s);
    EXPECT_LT(seconds_since(start), 30.0);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.out == input) << r.out.size();
    // stderr keeps its last MiB, and says how much was cut.
    std::string head = "[first " + std::to_string(30000000 - (1u << 20)) + " bytes cut]\n";
    EXPECT_EQ(r.err.substr(0, head.size()), head);
    EXPECT_EQ(r.err.size(), head.size() + (1u << 20));
    EXPECT_EQ(r.err.find_first_not_of('e', head.size()), std::string::npos);
}

TEST(LocalTransport, ChildWritingStderrForEachInputDoesNotDeadlock) {
    // tee copies its input to stdout and stderr: if berth did not read stderr while writing
    // stdin, tee would block on stderr, stop reading, and both would wait for ever.
    auto t = local_transport();
    std::string input(20u << 20, 'i');
    for (std::size_t i = 0; i < input.size(); i += 1000) input[i] = static_cast<char>('a' + i % 26);
    RunResult r = t->run({"tee", "/dev/stderr"}, input, 30s);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.out == input) << r.out.size();
    std::string head = "[first " + std::to_string(input.size() - (1u << 20)) + " bytes cut]\n";
    EXPECT_TRUE(r.err == head + input.substr(input.size() - (1u << 20))) << r.err.substr(0, 80);
}

TEST(LocalTransport, TooMuchOutputIsRefused) {
    auto t = local_transport();
    EXPECT_THROW(t->run({"sh", "-c", "exec head -c 80000000 /dev/zero"}, "", 60s), TransportError);
    EXPECT_EQ(zombie_children(), 0);
}

TEST(LocalSession, LinesBothWays) {
    auto t = local_transport();
    auto s =
        t->start({"sh", "-c", "while read -r l; do echo \"got $l\"; echo \"log $l\" >&2; done"});
    for (int i = 0; i < 100; ++i) {
        s->write("line " + std::to_string(i) + "\n");
        EXPECT_EQ(s->read_line(10s), "got line " + std::to_string(i));
    }
    RunResult r = s->finish(10s);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(berth::split_lines(r.err).size(), 100u);
    EXPECT_EQ(berth::split_lines(r.err).back(), "log line 99");
}

TEST(LocalSession, LastLineWithoutNewlineThenEnd) {
    auto t = local_transport();
    auto s = t->start({"printf", "a\n\nb"});
    EXPECT_EQ(s->read_line(10s), "a");
    EXPECT_EQ(s->read_line(10s), "");
    EXPECT_EQ(s->read_line(10s), "b");
    EXPECT_EQ(s->read_line(10s), std::nullopt);
    EXPECT_EQ(s->read_line(10s), std::nullopt);
    EXPECT_EQ(s->finish(10s).status, 0);
}

TEST(LocalSession, FiftyMegabytesThroughCat) {
    auto t = local_transport();
    auto s = t->start({"cat"});
    std::string line(1023, 'x');
    const int lines = 50 * 1024;
    std::size_t got = 0;
    int read = 0;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < lines; ++i) {
        line[0] = static_cast<char>('a' + i % 26);
        s->write(line + "\n");
        // Read back now and then: write() keeps what cat echoes meanwhile.
        if (i % 4096 == 4095) {
            while (read <= i) {
                auto l = s->read_line(10s);
                ASSERT_TRUE(l);
                ASSERT_EQ(l->size(), 1023u);
                ASSERT_EQ((*l)[0], static_cast<char>('a' + read % 26));
                got += l->size() + 1;
                ++read;
            }
        }
    }
    RunResult r = s->finish(30s);
    EXPECT_EQ(r.status, 0);
    got += r.out.size();
    EXPECT_EQ(got, static_cast<std::size_t>(lines) * 1024);
    std::cout << "50 MiB through a local cat session in " << seconds_since(start) << " s\n";
}

TEST(LocalSession, WriteFileSendsExactBytesWithProgress) {
    berth::test::TempDir tmp;
    std::string path = tmp.path + "/blob";
    {
        std::string blob(50u << 20, '\0');
        std::uint32_t x = 12345;
        for (auto& c : blob) c = static_cast<char>((x = x * 1103515245 + 12345) >> 24);
        berth::test::write_file(path, blob);
    }
    std::string expected = berth::split_words(berth::test::run({"sha256sum", path}).out).at(0);
    auto t = local_transport();
    auto s = t->start({"sha256sum"});
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    std::vector<std::uint64_t> progress;
    auto start = std::chrono::steady_clock::now();
    s->write_file(fd, 50u << 20, [&](std::uint64_t sent) { progress.push_back(sent); });
    RunResult r = s->finish(30s);
    double took = seconds_since(start);
    ::close(fd);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(berth::split_words(r.out).at(0), expected);
    ASSERT_FALSE(progress.empty());
    EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
    EXPECT_EQ(progress.back(), 50u << 20);
    EXPECT_GE(progress.size(), 40u);
    std::cout << "write_file: 50 MiB to a local sha256sum in " << took << " s\n";
}

TEST(LocalSession, WriteFileShortFileIsError) {
    berth::test::TempDir tmp;
    std::string path = tmp.path + "/short";
    berth::test::write_file(path, "only this");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    auto s = local_transport()->start({"cat"});
    try {
        s->write_file(fd, 100, {});
        FAIL();
    } catch (const TransportError& e) {
        EXPECT_NE(std::string(e.what()).find("ended after 9 of 100 bytes"), std::string::npos)
            << e.what();
    }
    ::close(fd);
}

TEST(LocalSession, WritingToAnExitedChildIsAnErrorNotSigpipe) {
    auto t = local_transport();
    auto s = t->start({"sh", "-c", "echo bye >&2; exit 4"});
    EXPECT_EQ(s->read_line(10s), std::nullopt);
    // The end of its stdout does not mean its stdin is closed yet (the kernel releases an exiting
    // process's files in no fixed order): the first MiB may still fit the pipe, not the second.
    try {
        for (int i = 0; i < 2; ++i) s->write(std::string(1u << 20, 'x'));
        FAIL();
    } catch (const TransportError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("exit status 4"), std::string::npos) << m;
        EXPECT_NE(m.find("bye"), std::string::npos) << m;
    }
    // A child that stops reading but lives on: EPIPE comes when it closes stdin.
    auto s2 = t->start({"sh", "-c", "exec 0<&-; sleep 0.2"});
    EXPECT_THROW(for (int i = 0; i < 100; ++i) s2->write(std::string(1u << 16, 'x')),
                 TransportError);
    berth::test::TempDir tmp;
    std::string path = tmp.path + "/f";
    berth::test::write_file(path, std::string(4u << 20, 'f'));
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    auto s3 = t->start({"true"});
    EXPECT_THROW(s3->write_file(fd, 4u << 20, {}), TransportError);
    ::close(fd);
    // Still alive: SIGPIPE did not kill the test, and none is left pending.
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(LocalSession, ReadLineTimeoutKillsFast) {
    auto t = local_transport();
    auto s = t->start({"sleep", "60"});
    auto start = std::chrono::steady_clock::now();
    try {
        s->read_line(200ms);
        FAIL();
    } catch (const TransportError& e) {
        EXPECT_NE(std::string(e.what()).find("no answer within 200 ms"), std::string::npos)
            << e.what();
    }
    EXPECT_LT(seconds_since(start), 2.0);
    EXPECT_EQ(s->finish(1s).status, 128 + SIGKILL);
    EXPECT_EQ(zombie_children(), 0);
}

TEST(LocalSession, FinishKillsAfterItsTimeout) {
    auto t = local_transport();
    auto s = t->start({"sh", "-c", "trap '' TERM; exec sleep 60"});
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(s->finish(300ms).status, 128 + SIGKILL);
    EXPECT_LT(seconds_since(start), 2.0);
}

TEST(LocalSession, LineBound16MiB) {
    auto t = local_transport();
    const std::size_t max = 16u << 20;
    auto ok =
        t->start({"sh", "-c", "head -c " + std::to_string(max) + " /dev/zero | tr '\\0' a; echo"});
    auto line = ok->read_line(30s);
    ASSERT_TRUE(line);
    EXPECT_EQ(line->size(), max);
    auto big = t->start(
        {"sh", "-c", "head -c " + std::to_string(max + 1) + " /dev/zero | tr '\\0' a; echo"});
    EXPECT_THROW(big->read_line(30s), TransportError);
    // Endless output without a newline: refused at the bound, not read forever.
    auto endless = t->start({"sh", "-c", "exec tr '\\0' a < /dev/zero"});
    EXPECT_THROW(endless->read_line(30s), TransportError);
}

TEST(LocalSession, DroppedSessionLeavesNoProcess) {
    pid_t pid = 0;
    {
        auto s = local_transport()->start({"sh", "-c", "echo $$; exec sleep 60"});
        auto line = s->read_line(10s);
        ASSERT_TRUE(line);
        pid = std::stoi(*line);
        EXPECT_NE(process_state(pid), 0); // running
    }
    EXPECT_EQ(process_state(pid), 0);
}

TEST(LocalTransport, ChildrenGetOnlyTheirPipesAndDefaultSigpipe) {
    // A descriptor opened without O_CLOEXEC (by some library) must not reach children either.
    int leaky = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(leaky, 3);
    auto old = std::signal(SIGPIPE, SIG_IGN);
    auto t = local_transport();
    RunResult fds = t->run({"ls", "/proc/self/fd"}, "", 10s);
    RunResult sig = t->run({"grep", "^SigIgn:", "/proc/self/status"}, "", 10s);
    std::signal(SIGPIPE, old);
    ::close(leaky);
    // ls's own directory descriptor is 3.
    EXPECT_EQ(fds.out, "0\n1\n2\n3\n");
    unsigned long long ignored = std::stoull(berth::split_words(sig.out).at(1), nullptr, 16);
    EXPECT_EQ(ignored & (1ull << (SIGPIPE - 1)), 0u) << sig.out;
}

TEST(LocalTransport, NoDescriptorOrZombieLeftAfterManyCommands) {
    auto t = local_transport();
    t->run({"true"}, "", 10s);
    std::size_t before = open_fds();
    for (int i = 0; i < 50; ++i) {
        t->run({"sh", "-c", "echo x; echo y >&2"}, "in", 10s);
        auto s = t->start({"cat"});
        s->write("a\n");
        EXPECT_EQ(s->read_line(10s), "a");
        if (i % 2) s->finish(10s);
    }
    EXPECT_THROW(t->run({"sleep", "10"}, "", 50ms), TransportError);
    EXPECT_EQ(open_fds(), before);
    EXPECT_EQ(zombie_children(), 0);
}
