// berth ldd --root DIR: resolving on a system image. The image is a small tree built here (a
// program, its libraries, a glibc-hwcaps copy and a directory known only to DIR/etc/ld.so.conf)
// with its cache made by `ldconfig -r DIR`; the reference is the real ld.so run in a chroot.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace berth::test {
namespace {

namespace fs = std::filesystem;

void copy_into(const std::string& from, const std::string& to) {
    fs::create_directories(fs::path(to).parent_path());
    fs::copy_file(fs::canonical(from), to, fs::copy_options::overwrite_existing);
}

std::set<std::string> chroot_ldd(const std::string& root, const std::string& program) {
    auto r = run({"chroot", root, "/lib64/ld-linux-x86-64.so.2", "--list", program});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    std::set<std::string> paths;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string first, arrow, target;
        words >> first >> arrow >> target;
        if (arrow == "=>" && !target.empty() && target[0] == '/')
            paths.insert(target);
        else if (!first.empty() && first[0] == '/')
            paths.insert(first);
    }
    return paths;
}

TEST(ResolveRoot, ResolvesInsideASystemImage) {
    TempDir tmp;
    const std::string root = tmp.path;
    const std::string lib = root + "/lib/x86_64-linux-gnu/";
    copy_into("/usr/bin/ls", root + "/usr/bin/ls");
    for (const char* l : {"libselinux.so.1", "libpcre2-8.so.0", "libc.so.6"})
        copy_into(std::string("/lib/x86_64-linux-gnu/") + l, lib + l);
    copy_into("/lib64/ld-linux-x86-64.so.2", root + "/lib64/ld-linux-x86-64.so.2");
    // A glibc-hwcaps copy: the cache gets an hwcaps entry for it.
    copy_into("/lib/x86_64-linux-gnu/libpcre2-8.so.0",
              root + "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v2/libpcre2-8.so.0");
    // A program whose libraries only the image's cache knows (its RUNPATH dir is absent here).
    copy_into(fixture("ldd/runpath/app"), root + "/opt/app/app");
    copy_into(fixture("ldd/runpath/lib/libtop.so"), root + "/opt/lib/libtop.so");
    copy_into(fixture("ldd/runpath/lib/libdeep.so"), root + "/opt/lib/libdeep.so");
    fs::create_directories(root + "/etc");
    write_file(root + "/etc/ld.so.conf", "/opt/lib\n");
    fs::create_directories(root + "/var/cache/ldconfig");
    auto ldconfig = run({"ldconfig", "-r", root});
    ASSERT_EQ(ldconfig.status, 0) << ldconfig.err;
    ASSERT_TRUE(fs::exists(root + "/etc/ld.so.cache"));

    auto r = run({berth_exe(), "ldd", "--json", "--root", root, root + "/usr/bin/ls",
                  root + "/opt/app/app"});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["files"].size(), 2u);
    for (const auto& f : doc["files"]) {
        SCOPED_TRACE(f["file"].get<std::string>());
        EXPECT_EQ(f["interpreter_path"], root + "/lib64/ld-linux-x86-64.so.2");
        std::set<std::string> ours;
        for (const auto& o : f["loaded"]) {
            std::string p = o["path"];
            if (p == f["file"]) continue;
            ASSERT_EQ(p.rfind(root + "/", 0), 0u) << p << " escapes the root";
            ours.insert(p.substr(root.size()));
        }
        std::string program = f["file"].get<std::string>().substr(root.size());
        EXPECT_EQ(ours, chroot_ldd(root, program));
        for (const auto& o : f["loaded"])
            if (o["name"] == "libdeep.so" || o["name"] == "libtop.so")
                EXPECT_EQ(o["via"], "ld.so.cache");
            else if (o["name"] == "libpcre2-8.so.0") {
                EXPECT_EQ(o["via"], "ld.so.cache");
                EXPECT_EQ(o["path"], root + "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v2/"
                                            "libpcre2-8.so.0");
            }
    }
}

} // namespace
} // namespace berth::test
