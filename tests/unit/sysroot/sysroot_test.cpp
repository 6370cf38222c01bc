// sysroot::Root: paths of an image resolved as the kernel resolves them inside a chroot there.
// Every case runs through both walks (openat2 RESOLVE_IN_ROOT and the walk by hand) on the same
// synthetic tree: absolute, relative, dangling, looping and escaping links.
#include "sysroot/sysroot.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::sysroot {
namespace {

namespace fs = std::filesystem;

// A tree like a Debian 11 image, beside a directory that plays "the machine running berth".
struct Tree {
    test::TempDir tmp;
    std::string image, outside;
    Tree() {
        image = tmp.path + "/img";
        outside = tmp.path + "/host-only";
        fs::create_directories(image + "/lib/x86_64-linux-gnu");
        fs::create_directories(image + "/lib64");
        fs::create_directories(image + "/etc");
        fs::create_directories(image + "/usr/share/zoneinfo/Europe");
        fs::create_directories(outside);
        test::write_file(image + "/lib/x86_64-linux-gnu/ld-2.31.so", "image loader");
        test::write_file(image + "/usr/share/zoneinfo/Europe/Paris", "TZif paris");
        test::write_file(outside + "/libonly-here.so", "host file");
        test::write_file(image + "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        // Absolute link: must resolve inside the image.
        fs::create_symlink("/lib/x86_64-linux-gnu/ld-2.31.so",
                           image + "/lib64/ld-linux-x86-64.so.2");
        // Relative link through "..".
        fs::create_symlink("../usr/share/zoneinfo/Europe/Paris", image + "/etc/localtime");
        // An absolute link to a file that exists only outside the image.
        fs::create_symlink(outside + "/libonly-here.so", image + "/lib/libescape.so");
        // Escaping with "..": the root's parent is the root.
        fs::create_symlink("../../../../../etc/passwd", image + "/lib/up.conf");
        // Dangling and looping links.
        fs::create_symlink("/nowhere/at/all", image + "/etc/dangling");
        fs::create_symlink("loop-b", image + "/etc/loop-a");
        fs::create_symlink("loop-a", image + "/etc/loop-b");
        // A directory link (an absolute one, as /lib -> usr/lib in merged-/usr images).
        fs::create_symlink("/usr/share", image + "/share");
    }
};

class RootWalks : public ::testing::TestWithParam<Walk> {};

TEST_P(RootWalks, LinksStayInsideTheImage) {
    Tree t;
    Root root = Root::at(t.image, GetParam());
    if (GetParam() == Walk::by_hand) {
        EXPECT_EQ(root.walk(), Walk::by_hand);
    }

    EXPECT_EQ(root.read_text("/lib64/ld-linux-x86-64.so.2"), "image loader");
    EXPECT_EQ(root.resolve("/lib64/ld-linux-x86-64.so.2"), "/lib/x86_64-linux-gnu/ld-2.31.so");
    EXPECT_EQ(root.read_text("/etc/localtime"), "TZif paris");
    EXPECT_EQ(root.resolve("/etc/localtime"), "/usr/share/zoneinfo/Europe/Paris");
    EXPECT_EQ(root.read_text("/share/zoneinfo/Europe/Paris"), "TZif paris");
    // Out of the image, the absolute target does not exist: nothing is found.
    EXPECT_FALSE(root.exists("/lib/libescape.so"));
    EXPECT_EQ(root.read_text("/lib/libescape.so"), std::nullopt);
    EXPECT_EQ(root.readlink("/lib/libescape.so"), t.outside + "/libonly-here.so");
    // ".." cannot climb above the root: the image's own /etc/passwd.
    EXPECT_EQ(root.read_text("/lib/up.conf"), "root:x:0:0::/root:/bin/sh\n");
    EXPECT_EQ(root.read_text("/../../etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    EXPECT_FALSE(root.exists("/etc/dangling"));
    struct stat st {};
    EXPECT_TRUE(root.lstat("/etc/dangling", st));
    EXPECT_TRUE(S_ISLNK(st.st_mode));
    EXPECT_FALSE(root.exists("/etc/loop-a"));
    errno = 0;
    EXPECT_LT(root.open("/etc/loop-a", O_RDONLY), 0);
    EXPECT_EQ(errno, ELOOP);
    EXPECT_TRUE(root.is_dir("/share"));
    EXPECT_EQ(root.list_dir("/share/zoneinfo"), (std::vector<std::string>{"Europe"}));
    EXPECT_EQ(root.glob("/share/zoneinfo/*/P*"),
              (std::vector<std::string>{"/share/zoneinfo/Europe/Paris"}));
    // A missing tail is kept as written.
    EXPECT_EQ(root.resolve("/lib64/none/x"), "/lib64/none/x");
}

TEST_P(RootWalks, ReadsNeverBlockOnAFifo) {
    Tree t;
    ASSERT_EQ(::mkfifo((t.image + "/etc/fifo").c_str(), 0600), 0);
    Root root = Root::at(t.image, GetParam());
    EXPECT_EQ(root.read_text("/etc/fifo"), std::nullopt); // at once: not a regular file
    EXPECT_THROW(root.map("/etc/fifo"), InputError);
}

std::string walk_name(const ::testing::TestParamInfo<Walk>& p) {
    return p.param == Walk::kernel ? "Kernel" : "ByHand";
}
INSTANTIATE_TEST_SUITE_P(BothWalks, RootWalks, ::testing::Values(Walk::kernel, Walk::by_hand),
                         walk_name);

TEST(Root, HostAndBadRoots) {
    EXPECT_TRUE(Root::at("").is_host());
    EXPECT_TRUE(Root::at("/").is_host());
    EXPECT_TRUE(Root::at("//").is_host());
    EXPECT_EQ(Root{}.shown("/etc/passwd"), "/etc/passwd");
    try {
        Root::at("/nonexistent/berth-root");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--root /nonexistent/berth-root: ", 0), 0u)
            << e.what();
    }
    test::TempDir tmp;
    test::write_file(tmp.path + "/file", "x");
    EXPECT_THROW(Root::at(tmp.path + "/file"), InputError);
}

TEST(Root, NormalisedOnceAndMapsPathsBothWays) {
    Tree t;
    // A trailing slash, "." and a symlink to the image all name the same root.
    fs::create_symlink(t.image, t.tmp.path + "/img-link");
    for (const std::string& spelling : {t.image + "/", t.image + "/./", t.tmp.path + "/img-link"}) {
        Root root = Root::at(spelling);
        EXPECT_EQ(root.dir(), fs::canonical(t.image).string()) << spelling;
    }
    Root root = Root::at(t.image);
    const std::string dir = root.dir();
    EXPECT_EQ(root.shown("/etc/passwd"), dir + "/etc/passwd");
    EXPECT_EQ(root.inside(dir + "/usr/bin/app"), "/usr/bin/app");
    EXPECT_EQ(root.inside(dir), "/");
    EXPECT_EQ(root.inside(t.outside + "/libonly-here.so"), std::nullopt);
    EXPECT_EQ(root.inside(dir + "x/y"), std::nullopt); // a sibling sharing the prefix
}

} // namespace
} // namespace berth::sysroot
