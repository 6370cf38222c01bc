// berth ldd on the fixtures of tests/fixtures/build-ldd.sh: the cases where a loader-exact
// search matters (hwcaps subdirectories, RUNPATH vs RPATH inheritance, $ORIGIN, loops, a
// wrong-architecture file on the path, musl), batch mode, exit statuses and the JSON form.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace berth::test {
namespace {

nlohmann::json ldd_json(const std::vector<std::string>& args, int expected_status) {
    std::vector<std::string> argv{berth_exe(), "ldd", "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv);
    EXPECT_EQ(r.status, expected_status) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["schema"], "berth.ldd/1");
    return doc;
}

// The first node named `name` in a needed tree (depth first).
const nlohmann::json* find_node(const nlohmann::json& needed, const std::string& name) {
    for (const auto& n : needed) {
        if (n["name"] == name) return &n;
        if (n.contains("needed"))
            if (const auto* found = find_node(n["needed"], name)) return found;
    }
    return nullptr;
}

TEST(ResolveFixtures, PicksTheGlibcHwcapsCopyLikeLdSo) {
    std::string app = fixture("ldd/hwcaps/app");
    std::string level = read_file(fixture("ldd/hwcaps/level"));
    level.erase(level.find_last_not_of('\n') + 1);
    auto doc = ldd_json({app}, 0);
    const auto* hw = find_node(doc["files"][0]["needed"], "libhw.so.1");
    ASSERT_NE(hw, nullptr);
    EXPECT_EQ((*hw)["path"],
              fixture_dir() + "/ldd/hwcaps/lib/glibc-hwcaps/" + level + "/libhw.so.1");
    EXPECT_EQ((*hw)["via"], "runpath");
    // The real loader agrees.
    auto ldd = run({"ldd", app});
    EXPECT_NE(ldd.out.find("/glibc-hwcaps/" + level + "/libhw.so.1"), std::string::npos) << ldd.out;
    // On a baseline x86-64 CPU the plain copy is used.
    auto base = ldd_json({"--cpu-level", "1", app}, 0);
    hw = find_node(base["files"][0]["needed"], "libhw.so.1");
    ASSERT_NE(hw, nullptr);
    EXPECT_EQ((*hw)["path"], fixture_dir() + "/ldd/hwcaps/lib/libhw.so.1");
}

TEST(ResolveFixtures, RunpathDoesNotApplyToDependencies) {
    std::string app = fixture("ldd/runpath/app");
    auto r = run({berth_exe(), "ldd", app});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.out.find("libdeep.so => not found"), std::string::npos) << r.out;
    auto doc = ldd_json({app}, 1);
    EXPECT_EQ(doc["files"][0]["missing"], nlohmann::json::array({"libdeep.so"}));
    // With the directory given as LD_LIBRARY_PATH it is found, via that path.
    std::string dir = fixture_dir() + "/ldd/runpath/lib";
    auto with_lp = ldd_json({"--library-path", dir, app}, 0);
    const auto* deep = find_node(with_lp["files"][0]["needed"], "libdeep.so");
    ASSERT_NE(deep, nullptr);
    EXPECT_EQ((*deep)["via"], "ld_library_path");
    // --use-env takes it from the environment; without it the environment is ignored.
    auto env = sh("LD_LIBRARY_PATH=" + dir + " " + berth_exe() + " ldd --use-env " + app);
    EXPECT_EQ(env.status, 0) << env.out << env.err;
    auto no_env = sh("LD_LIBRARY_PATH=" + dir + " " + berth_exe() + " ldd " + app);
    EXPECT_EQ(no_env.status, 1) << no_env.out;
}

TEST(ResolveFixtures, RpathOfTheLoaderIsInherited) {
    auto doc = ldd_json({fixture("ldd/rpath/app")}, 0);
    const auto* deep = find_node(doc["files"][0]["needed"], "libdeep.so");
    ASSERT_NE(deep, nullptr);
    EXPECT_EQ((*deep)["via"], "rpath");
    EXPECT_EQ((*deep)["path"], fixture_dir() + "/ldd/rpath/lib/libdeep.so");
    EXPECT_EQ(doc["files"][0]["rpath"], nlohmann::json::array({"$ORIGIN/lib"}));
}

TEST(ResolveFixtures, OriginInBothForms) {
    auto doc = ldd_json({fixture("ldd/origin/bin/app")}, 0);
    const auto& needed = doc["files"][0]["needed"];
    const auto* one = find_node(needed, "libone.so");
    const auto* two = find_node(needed, "libtwo.so");
    ASSERT_NE(one, nullptr);
    ASSERT_NE(two, nullptr);
    EXPECT_EQ((*one)["path"], fixture_dir() + "/ldd/origin/bin/../origin-libs/libone.so");
    EXPECT_EQ((*two)["path"], fixture_dir() + "/ldd/origin/bin/../origin-libs/more/libtwo.so");
}

TEST(ResolveFixtures, LoopsTerminate) {
    auto doc = ldd_json({fixture("ldd/loop/app")}, 0);
    const auto* a = find_node(doc["files"][0]["needed"], "liba.so");
    ASSERT_NE(a, nullptr);
    const auto* b = find_node((*a)["needed"], "libb.so");
    ASSERT_NE(b, nullptr);
    const auto* a_again = find_node((*b)["needed"], "liba.so");
    ASSERT_NE(a_again, nullptr);
    EXPECT_EQ((*a_again)["already_loaded"], true);
    EXPECT_FALSE(a_again->contains("needed"));
}

TEST(ResolveFixtures, WrongArchitectureFileIsSkipped) {
    auto doc = ldd_json({fixture("ldd/wrongarch/app")}, 0);
    const auto* w = find_node(doc["files"][0]["needed"], "libw.so");
    ASSERT_NE(w, nullptr);
    EXPECT_EQ((*w)["path"], fixture_dir() + "/ldd/wrongarch/second/libw.so");
    ASSERT_TRUE(w->contains("skipped"));
    EXPECT_NE((*w)["skipped"][0].get<std::string>().find("/first/libw.so"), std::string::npos);
}

TEST(ResolveFixtures, MuslProgram) {
    std::string app = fixture("ldd/musl/app");
    auto doc = ldd_json({app}, 0);
    const auto& f = doc["files"][0];
    EXPECT_EQ(f["loader"], "musl");
    const auto* libc = find_node(f["needed"], "libc.so");
    ASSERT_NE(libc, nullptr);
    EXPECT_EQ((*libc)["path"], "/lib/ld-musl-x86_64.so.1");
    // musl's own ldd agrees.
    auto ref = run({"musl-ldd", app});
    EXPECT_NE(ref.out.find("libc.so => /lib/ld-musl-x86_64.so.1"), std::string::npos) << ref.out;
}

TEST(ResolveFixtures, BatchKeepsGoingAfterInputErrors) {
    TempDir tmp;
    std::string text_file = tmp.path + "/notes.txt";
    write_file(text_file, "not an ELF file\n");
    auto r = run({berth_exe(), "ldd", "/usr/bin/true", tmp.path + "/missing", text_file,
                  fixture("ldd/loop/app")});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.out.find("/usr/bin/true ["), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("liba.so"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(tmp.path + "/missing"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(text_file + ": not an ELF file"), std::string::npos) << r.err;
    int lines = 0;
    for (char c : r.err) lines += c == '\n';
    EXPECT_EQ(lines, 2) << r.err;
    // A missing library (1) and a bad input (2) together: 2.
    auto both = run({berth_exe(), "ldd", fixture("ldd/runpath/app"), text_file});
    EXPECT_EQ(both.status, 2);
}

TEST(ResolveFixtures, StaticProgramNeedsNothing) {
    TempDir tmp;
    write_file(tmp.path + "/s.c", "int main(void) { return 0; }\n");
    auto cc = run({"gcc", "-static", "-o", tmp.path + "/s", tmp.path + "/s.c"});
    ASSERT_EQ(cc.status, 0) << cc.err;
    auto doc = ldd_json({tmp.path + "/s"}, 0);
    EXPECT_EQ(doc["files"][0]["dynamic"], false);
}

} // namespace
} // namespace berth::test
