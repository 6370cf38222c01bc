// The stack canary of files that define __stack_chk_fail themselves (glibc's and musl's libc,
// and the libraries of tests/fixtures/build-canary.sh): judged by whether their code calls it,
// with objdump's disassembly as the reference. Files that import it are covered by the readelf
// comparison in inspect_test.cpp.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

using berth::test::berth_exe;
using berth::test::fixture;
using berth::test::run;

namespace {

std::string canary_of(const std::string& path) {
    auto r = run({berth_exe(), "inspect", "--json", path});
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out)["files"][0]["hardening"]["canary"];
}

// readelf: __stack_chk_fail is defined in .dynsym (not UND).
bool defines_stack_chk_fail(const std::string& path) {
    auto r = run({"readelf", "--dyn-syms", "-W", path});
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        std::istringstream f(line);
        std::string num, value, size, type, bind, vis, ndx, name;
        f >> num >> value >> size >> type >> bind >> vis >> ndx >> name;
        if (name.starts_with("__stack_chk_fail") && name.find("_local") == std::string::npos &&
            ndx != "UND")
            return true;
    }
    return false;
}

// objdump: a call (x86 call, AArch64 bl) to __stack_chk_fail or its PLT entry.
bool objdump_finds_calls(const std::string& objdump, const std::string& path) {
    auto r = run({objdump, "-d", "--no-show-raw-insn", path});
    EXPECT_EQ(r.status, 0) << r.err;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        bool call =
            line.find("\tcall") != std::string::npos || line.find("\tbl\t") != std::string::npos;
        if (call && line.find("<__stack_chk_fail") != std::string::npos) return true;
    }
    return false;
}

TEST(InspectCanary, FilesDefiningTheCanaryAreJudgedByTheirCalls) {
    struct Case {
        std::string path, objdump, expected;
    };
    const Case cases[] = {
        {"/lib/x86_64-linux-gnu/libc.so.6", "objdump", "yes"},
        {"/usr/lib/x86_64-linux-musl/libc.so", "objdump", "yes"},
        {fixture("canary/defines-plt.so"), "objdump", "yes"},
        {fixture("canary/defines-direct.so"), "objdump", "yes"},
        {fixture("canary/defines-direct-sysv.so"), "objdump", "yes"},
        {fixture("canary/defines-nocalls.so"), "objdump", "no"},
        {fixture("canary/defines-direct-arm64.so"), "aarch64-linux-gnu-objdump", "yes"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.path);
        ASSERT_TRUE(defines_stack_chk_fail(c.path));
        bool calls = objdump_finds_calls(c.objdump, c.path);
        EXPECT_EQ(calls ? "yes" : "no", c.expected) << "the reference disagrees with the case";
        EXPECT_EQ(canary_of(c.path), c.expected);
    }
}

} // namespace
