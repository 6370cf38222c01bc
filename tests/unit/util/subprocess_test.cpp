// The process layer's own promises that the transports do not show in a short test: a write
// to a child that stopped reading ends after `stall`, one to a slow reader does not.
#include "util/subprocess.hpp"

#include <gtest/gtest.h>

using berth::Deadline;
using berth::Subprocess;
using namespace std::chrono_literals;

TEST(Subprocess, WriteToAChildThatStoppedReadingEndsAfterStall) {
    Subprocess p({"sleep", "30"});
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(p.write(std::string(8u << 20, 'x'), Deadline::max(), 300ms),
              Subprocess::Wait::timeout);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 2s);
    p.kill();
    EXPECT_EQ(p.status(), 128 + 9);
}

TEST(Subprocess, SlowReaderIsNotAStall) {
    // Takes 64 KiB every 300 ms: the half MiB past the pipe's lasts 2.4 s, more than `stall`,
    // but no gap is.
    const char* slow = "while [ \"$(head -c 65536 | wc -c)\" -gt 0 ]; do sleep 0.3; done";
    Subprocess p({"sh", "-c", slow});
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(p.write(std::string(3u << 19, 'x'), berth::deadline_in(60s), 1500ms),
              Subprocess::Wait::ready);
    EXPECT_GT(std::chrono::steady_clock::now() - start, 1500ms);
    p.close_stdin();
    EXPECT_TRUE(p.wait(berth::deadline_in(10s)));
    EXPECT_EQ(p.status(), 0);
}

TEST(Subprocess, DeadlineBoundsTheWholeWrite) {
    Subprocess p({"sh", "-c", "while [ \"$(head -c 65536 | wc -c)\" -gt 0 ]; do sleep 0.1; done"});
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(p.write(std::string(8u << 20, 'x'), berth::deadline_in(500ms), 400ms),
              Subprocess::Wait::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(Subprocess, LastLine) {
    EXPECT_EQ(berth::last_line("a\nb\n\n  \r\n"), "b");
    EXPECT_EQ(berth::last_line("  only  "), "only");
    EXPECT_EQ(berth::last_line("\n\n"), "");
    EXPECT_EQ(berth::last_line(""), "");
}
