// Every file a command opens, given as something that is not a readable regular file of a sane
// size: a FIFO (no writer: a blocking open would hang), /dev/zero (endless), a directory, a
// missing path and a 10 GiB sparse file. Each command answers at once with one line on stderr
// naming the file, nothing on stdout, exit status 2.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using berth::test::run;

namespace {

struct BadFile {
    std::string kind;
    std::string path;
};

// The files, made once per test in `dir`.
std::vector<BadFile> bad_files(const std::string& dir) {
    std::string fifo = dir + "/fifo.service";
    EXPECT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::string directory = dir + "/dir.service";
    EXPECT_EQ(::mkdir(directory.c_str(), 0700), 0);
    std::string sparse = dir + "/sparse.service";
    int fd = ::open(sparse.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::ftruncate(fd, 10LL << 30), 0);
    ::close(fd);
    return {{"fifo", fifo},
            {"/dev/zero", "/dev/zero"},
            {"directory", directory},
            {"missing", dir + "/missing.service"},
            {"10 GiB sparse file", sparse}};
}

// Runs berth with `args`, where "@" stands for the bad file, killed after 20 s. The message is
// "berth: PATH: what", or "berth: --root PATH: what" for --root.
void expect_refused(const BadFile& f, std::vector<std::string> args) {
    const bool root = std::find(args.begin(), args.end(), "--root") != args.end();
    std::vector<std::string> argv = {"timeout", "-s", "KILL", "20", berth::test::berth_exe()};
    std::string shown = "berth";
    for (auto& a : args) {
        if (a == "@") a = f.path;
        argv.push_back(a);
        shown += " " + a;
    }
    auto start = std::chrono::steady_clock::now();
    auto r = run(argv);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    SCOPED_TRACE(f.kind + ": " + shown);
    EXPECT_EQ(r.status, 2) << r.err << r.out.substr(0, 500);
    EXPECT_LT(seconds, 3.0);
    // JSON reports carry the error too (docs/inspect.md); text says nothing on stdout.
    if (std::find(args.begin(), args.end(), "--json") != args.end())
        EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
    else
        EXPECT_EQ(r.out, "");
    // One line, "berth: PATH: what".
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("berth: " + std::string(root ? "--root " : "") + f.path + ": "))
        << r.err;
}

} // namespace

TEST(CliInputFiles, EveryCommandRefusesAtOnce) {
    berth::test::TempDir dir;
    auto files = bad_files(dir.path);
    // A real binary and a valid berth.yaml, so that only the bad file is wrong.
    const std::string binary = "/bin/true";
    const std::vector<std::vector<std::string>> commands = {
        {"inspect", "@"},
        {"inspect", "--json", "@"},
        {"inspect", "--hash", "@"},
        {"inspect", "--go-version-m", "@"},
        {"inspect", "--symbols", "@"},
        {"inspect", "--sbom", "cyclonedx", "@"},
        {"inspect", "--sbom", "spdx", "@"},
        {"ldd", "@"},
        {"ldd", "--list", "@"},
        {"check", "@"},
        {"check", "--config", "@", binary},
        {"check", "--facts", "@", binary},
        {"unit", "lint", "@"},
        {"unit", "lint", "--format", "sarif", "@"},
        {"unit", "generate", "--config", "@"},
        {"facts", "--config", "@"},
        {"init", "@", "-o", "-"},
        {"facts", "--binary", "@", "--libraries"},
        {"hosts", "-i", "@"},
        {"status", "--name", "app", "-i", "@"},
        {"releases", "--name", "app", "-i", "@"},
        {"deploy", binary, "-i", "@"},
        {"deploy", "@", "--host", "root@127.0.0.1"},
        {"deploy", binary, "--config", "@", "--host", "root@127.0.0.1"},
    };
    for (const auto& f : files)
        for (const auto& c : commands) expect_refused(f, c);
    // --root wants a directory: every kind but the directory is refused.
    const std::vector<std::vector<std::string>> root_commands = {
        {"ldd", "--root", "@", binary},
        {"check", "--root", "@", binary},
        {"facts", "--root", "@"},
    };
    for (const auto& f : files)
        if (f.kind != "directory")
            for (const auto& c : root_commands) expect_refused(f, c);
}

// A file that is not readable is an I/O error, also among good ones: the good ones are still
// reported, the status is 2.
TEST(CliInputFiles, UnitLintReportsTheOthers) {
    berth::test::TempDir dir;
    std::string good = dir.path + "/good.service";
    berth::test::write_file(good, "[Service]\nExecStart=/bin/true\n");
    auto r = run({berth::test::berth_exe(), "unit", "lint", dir.path + "/nope.service", good});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err,
              "berth: " + dir.path + "/nope.service: cannot open: No such file or directory\n");
    EXPECT_NE(r.out.find(good), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("U301"), std::string::npos) << r.out;
}

// A drop-in that cannot be read is the same I/O error, naming the drop-in.
TEST(CliInputFiles, UnitLintDropinFifo) {
    berth::test::TempDir dir;
    std::string unit = dir.path + "/app.service";
    berth::test::write_file(unit, "[Service]\nExecStart=/bin/true\n");
    ASSERT_EQ(::mkdir((unit + ".d").c_str(), 0700), 0);
    std::string fifo = unit + ".d/override.conf";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto start = std::chrono::steady_clock::now();
    auto r = run({"timeout", "-s", "KILL", "20", berth::test::berth_exe(), "unit", "lint", fifo});
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "berth: " + fifo + ": not a regular file\n");
}

// Where a command writes a file, a FIFO no one reads does not make it wait: refused at once. A
// device that can be written (/dev/stdout) is written, not replaced.
TEST(CliInputFiles, UnitGenerateOutput) {
    berth::test::TempDir dir;
    std::string fifo = dir.path + "/out.service";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto start = std::chrono::steady_clock::now();
    auto r = run({"timeout", "-s", "KILL", "20", berth::test::berth_exe(), "unit", "generate",
                  "--name", "shop", "-o", fifo});
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "berth: " + fifo + ": a FIFO that no process reads\n");

    auto out =
        run({berth::test::berth_exe(), "unit", "generate", "--name", "shop", "-o", "/dev/stdout"});
    EXPECT_EQ(out.status, 0) << out.err;
    EXPECT_NE(out.out.find("ExecStart=/opt/shop/current/bin/shop"), std::string::npos) << out.out;
}
