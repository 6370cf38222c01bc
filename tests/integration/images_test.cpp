// The --root images of the CTest fixture images.build: real Debian 11 and 12 roots, as the --root
// tests expect them (see docs/testbed.md).
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using berth::test::image;
using berth::test::read_file;
using berth::test::run;

namespace {

TEST(Images, BullseyeAndBookwormAreRealDebianRootsWithTheirOwnGlibc) {
    for (const auto& [suite, major] :
         {std::pair{"bullseye", "11."}, std::pair{"bookworm", "12."}}) {
        SCOPED_TRACE(suite);
        std::string root = image(suite);
        EXPECT_EQ(read_file(root + "/etc/debian_version").rfind(major, 0), 0u);
        // The loader at the ABI path is an absolute symlink in both: followed on the host instead
        // of inside the image, it names the host's loader (the classic --root mistake).
        fs::path loader = fs::read_symlink(root + "/lib64/ld-linux-x86-64.so.2");
        EXPECT_TRUE(loader.is_absolute()) << loader;
        EXPECT_TRUE(fs::exists(root + loader.string())) << loader;
        // The image's glibc runs inside it, and is the one its package database names.
        auto ldd = run({"chroot", root, "/usr/bin/ldd", "--version"});
        ASSERT_EQ(ldd.status, 0) << ldd.err;
        std::string first = ldd.out.substr(0, ldd.out.find('\n'));
        auto pkg = run({"chroot", root, "dpkg-query", "-W", "-f", "${Version}", "libc6"});
        ASSERT_EQ(pkg.status, 0) << pkg.err;
        std::string upstream = pkg.out.substr(0, pkg.out.find('-')); // 2.31-13+deb11u11 -> 2.31
        EXPECT_EQ(first.substr(first.rfind(' ') + 1), upstream) << first;
        EXPECT_NE(first.find("GLIBC " + pkg.out + ")"), std::string::npos) << first;
    }
}

} // namespace
