// The berth that ships: `berth --version` names the version of CMakeLists.txt's project() and the
// commit the tree was at (cmake/build_info.cmake; "unknown" without git); the binary is static-pie
// with full RELRO and NX, as berth's own inspect and readelf both say, stripped, its code
// compiled with stack canaries.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace berth::test;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string project_version() {
    std::smatch m;
    std::string cmake = read_file(source_dir() + "/CMakeLists.txt");
    EXPECT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(berth VERSION ([0-9.]+))")));
    return m[1];
}

// What cmake/build_info.cmake writes for the tree at `dir`.
std::string build_info_for(const std::string& dir, const std::string& out) {
    auto r = run({"cmake", "-DSOURCE_DIR=" + dir, "-DOUT=" + out, "-P",
                  source_dir() + "/cmake/build_info.cmake"});
    EXPECT_EQ(r.status, 0) << r.err;
    std::smatch m;
    std::string text = read_file(out);
    EXPECT_TRUE(std::regex_search(text, m, std::regex("berth_build_commit = \"([^\"]*)\"")))
        << text;
    return m[1];
}

} // namespace

TEST(ReleaseBuild, VersionNamesTheProjectVersionAndTheCommit) {
    std::string commit =
        trimmed(run({"git", "-C", source_dir(), "rev-parse", "--short", "HEAD"}).out);
    ASSERT_FALSE(commit.empty());
    if (!run({"git", "-C", source_dir(), "status", "--porcelain", "--untracked-files=no"})
             .out.empty())
        commit += "-dirty";
    auto r = run({berth_exe(), "--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "berth " + project_version() + " (commit " + commit + ")\n");
    // After a command too.
    EXPECT_EQ(run({berth_exe(), "inspect", "--version"}).out, r.out);
}

TEST(ReleaseBuild, BuildInfoSaysCommitDirtyOrUnknown) {
    TempDir dir;
    const std::string tree = dir.path + "/tree", out = dir.path + "/build_info.cpp";
    std::filesystem::create_directories(tree);
    write_file(tree + "/a.txt", "one\n");
    // A tarball: no git repository (the temp dir is inside none either).
    EXPECT_EQ(build_info_for(tree, out), "unknown");
    auto git = [&](std::vector<std::string> args) {
        std::vector<std::string> argv = {"git",           "-C", tree, "-c", "user.name=t", "-c",
                                         "user.email=t@t"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv);
        EXPECT_EQ(r.status, 0) << r.err;
        return trimmed(r.out);
    };
    git({"init", "-q"});
    git({"add", "a.txt"});
    git({"commit", "-qm", "one"});
    const std::string head = git({"rev-parse", "--short", "HEAD"});
    EXPECT_EQ(build_info_for(tree, out), head);
    // An untracked file is no change to what is built; an edited one is.
    write_file(tree + "/new.txt", "x\n");
    EXPECT_EQ(build_info_for(tree, out), head);
    write_file(tree + "/a.txt", "two\n");
    EXPECT_EQ(build_info_for(tree, out), head + "-dirty");
}

TEST(ReleaseBuild, StaticPieWithFullRelroAndNxStripped) {
    auto r = run({berth_exe(), "inspect", "--json", berth_exe()});
    ASSERT_EQ(r.status, 0) << r.err;
    auto f = nlohmann::json::parse(r.out)["files"][0];
    EXPECT_EQ(f["linkage"]["kind"], "static-pie");
    EXPECT_EQ(f["hardening"]["pie"], "yes");
    EXPECT_EQ(f["hardening"]["relro"], "full");
    EXPECT_EQ(f["hardening"]["nx"], "yes");
    EXPECT_EQ(f["debug"]["stripped"], true);
    EXPECT_EQ(f["linkage"]["needed"], nlohmann::json::array());
    // The reference tools agree: a DYN file without a loader, BIND_NOW, a PT_GNU_RELRO, a
    // non-executable stack.
    std::string header = run({"readelf", "-hW", berth_exe()}).out;
    EXPECT_NE(header.find("DYN (Position-Independent Executable file)"), std::string::npos)
        << header;
    std::string segments = run({"readelf", "-lW", berth_exe()}).out;
    EXPECT_EQ(segments.find("INTERP"), std::string::npos);
    EXPECT_NE(segments.find("GNU_RELRO"), std::string::npos);
    EXPECT_TRUE(std::regex_search(segments, std::regex(R"(GNU_STACK( +0x[0-9a-f]+){5} RW )")))
        << segments;
    std::string dynamic = run({"readelf", "-dW", berth_exe()}).out;
    EXPECT_NE(dynamic.find("(FLAGS)              BIND_NOW"), std::string::npos) << dynamic;
    EXPECT_NE(dynamic.find("Flags: NOW PIE"), std::string::npos) << dynamic;
    EXPECT_EQ(dynamic.find("(NEEDED)"), std::string::npos);
    auto file = run({"file", "-b", berth_exe()}).out;
    EXPECT_NE(file.find("static-pie linked"), std::string::npos) << file;
    EXPECT_NE(file.find("stripped"), std::string::npos) << file;
    // `berth check` finds nothing wrong with the binary itself (B1xx; the host's H2xx are this
    // machine's business): not even B108, not stripped.
    auto check = nlohmann::json::parse(run({berth_exe(), "check", "--json", berth_exe()}).out);
    for (const auto& finding : check["results"][0]["findings"])
        EXPECT_NE(finding["code"].get<std::string>()[0], 'B') << finding.dump();
}

TEST(ReleaseBuild, OwnCodeHasStackCanaries) {
    // In a static binary the canary symbols are libc's too, so berth's inspect says "unknown"
    // there: the objects of berth's own code are what tells. Each function with a local array
    // calls __stack_chk_fail (-fstack-protector-strong).
    const std::string lib =
        std::filesystem::path(berth_exe()).parent_path().string() + "/libberthcore.a";
    auto nm = run({"nm", "-A", "--undefined-only", lib});
    ASSERT_EQ(nm.status, 0) << nm.err;
    std::set<std::string> objects, protected_objects;
    std::istringstream in(nm.out);
    for (std::string l; std::getline(in, l);) {
        auto colon = l.find(".o:");
        if (colon == std::string::npos) continue;
        std::string object = l.substr(0, colon);
        objects.insert(object);
        if (l.ends_with(" __stack_chk_fail")) protected_objects.insert(object);
    }
    ASSERT_GE(objects.size(), 100u);
    // Nearly every file has a function with a buffer or a std::string on its stack.
    EXPECT_GE(protected_objects.size() * 10, objects.size() * 9)
        << protected_objects.size() << " of " << objects.size();
}
