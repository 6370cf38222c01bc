#include "resolve/search_path.hpp"

#include <elf.h>
#include <gtest/gtest.h>

namespace berth::resolve {
namespace {

const DstValues kV{"/opt/app/bin", "lib/x86_64-linux-gnu", "x86_64"};

TEST(SearchPath, ExpandsTokensInBothForms) {
    EXPECT_EQ(expand_dst("$ORIGIN/../lib", kV), "/opt/app/bin/../lib");
    EXPECT_EQ(expand_dst("${ORIGIN}/x:$LIB", kV), "/opt/app/bin/x:lib/x86_64-linux-gnu");
    EXPECT_EQ(expand_dst("/usr/$PLATFORM/${LIB}", kV), "/usr/x86_64/lib/x86_64-linux-gnu");
    // Not a token: kept as written.
    EXPECT_EQ(expand_dst("/a/$ORIGINAL/$X", kV), "/a/$ORIGINAL/$X");
    // A token without a value drops the element.
    EXPECT_EQ(expand_dst("$ORIGIN/lib", DstValues{}), std::nullopt);
}

TEST(SearchPath, SplitsNormalisesAndDeduplicates) {
    EXPECT_EQ(split_search_path("/a//:/b:/a/:$ORIGIN", ":", kV),
              (std::vector<std::string>{"/a/", "/b/", "/opt/app/bin/"}));
    // An empty element is the current directory.
    EXPECT_EQ(split_search_path("/a::/b", ":", kV), (std::vector<std::string>{"/a/", "", "/b/"}));
    EXPECT_EQ(split_search_path("/a;/b", ":;", kV), (std::vector<std::string>{"/a/", "/b/"}));
    EXPECT_EQ(split_search_path("/", ":", kV), (std::vector<std::string>{"/"}));
}

TEST(SearchPath, DefaultDirsPerArchitecture) {
    EXPECT_EQ(glibc_default_dirs(multiarch_triplet(EM_X86_64, true, 0)),
              (std::vector<std::string>{"/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/",
                                        "/lib/", "/usr/lib/"}));
    EXPECT_EQ(glibc_default_dirs(multiarch_triplet(EM_AARCH64, true, 0))[0],
              "/lib/aarch64-linux-gnu/");
    EXPECT_EQ(multiarch_triplet(EM_386, false, 0), "i386-linux-gnu");
    EXPECT_EQ(glibc_interpreter(EM_X86_64, true), "/lib64/ld-linux-x86-64.so.2");
    EXPECT_EQ(cache_flags_for(EM_X86_64, true, 0), (std::vector<std::int32_t>{0x0303}));
}

TEST(SearchPath, Musl) {
    EXPECT_EQ(musl_arch("/lib/ld-musl-x86_64.so.1"), "x86_64");
    EXPECT_EQ(musl_arch("/lib/ld-musl-aarch64.so.1"), "aarch64");
    EXPECT_EQ(musl_arch("/lib64/ld-linux-x86-64.so.2"), std::nullopt);
    EXPECT_EQ(musl_default_dirs(std::nullopt),
              (std::vector<std::string>{"/lib/", "/usr/local/lib/", "/usr/lib/"}));
    EXPECT_EQ(
        musl_default_dirs(std::string("/lib/x86_64-linux-musl\n/usr/lib/x86_64-linux-musl:/x\n")),
        (std::vector<std::string>{"/lib/x86_64-linux-musl/", "/usr/lib/x86_64-linux-musl/",
                                  "/x/"}));
    // musl reads the file up to its first NUL; what follows is not a directory.
    EXPECT_EQ(musl_default_dirs(std::string("/a:/b\0/c:/d", 11)),
              (std::vector<std::string>{"/a/", "/b/"}));
}

} // namespace
} // namespace berth::resolve
