// Go programs built outside Debian (esbuild's npm binaries, tests/fixtures/build-npm.sh): berth
// calls a file Go from all the evidence it has, says when the build info is missing, and reads
// the build info exactly where `go version -m` reads it.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using berth::test::berth_exe;
using berth::test::fixture;
using berth::test::run;
using nlohmann::json;

namespace {

json inspect_json(const std::string& path) {
    auto r = run({berth_exe(), "inspect", "--json", path});
    EXPECT_EQ(r.status, 0) << path << ": " << r.err;
    return json::parse(r.out)["files"][0];
}

std::vector<std::string> strings(const json& j) {
    return j.get<std::vector<std::string>>();
}

// The function names `berth inspect --symbols` lists (sorted, unique).
std::size_t symbol_count(const std::string& path) {
    auto r = run({berth_exe(), "inspect", "--symbols", path});
    EXPECT_EQ(r.status, 0) << r.err;
    std::istringstream in(r.out);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

TEST(InspectForeignGo, BuildInfoMissingIsItsOwnFact) {
    // 0.28.2 has neither build info nor a Go build ID: Go's own reader says so.
    std::string path = fixture("npm/esbuild-0.28.2");
    auto go = run({"go", "version", "-m", path});
    EXPECT_EQ(go.out, "");
    EXPECT_NE(go.err.find("not a Go executable"), std::string::npos) << go.err;

    json f = inspect_json(path);
    EXPECT_EQ(f["is_go"], true);
    EXPECT_EQ(strings(f["go_evidence"]), std::vector<std::string>{"function_table"});
    EXPECT_EQ(f["go_build_info"], "missing");
    EXPECT_TRUE(f["go"].is_null());
    EXPECT_TRUE(f["go_build_id"].is_null());
    EXPECT_TRUE(f["errors"].empty()) << f["errors"];
    // The program facts come from the same table `--symbols` lists.
    ASSERT_FALSE(f["program"].is_null());
    EXPECT_GT(f["program"]["function_count"].get<std::size_t>(), 5000u);
    EXPECT_GE(f["program"]["function_count"].get<std::size_t>(), symbol_count(path));
    EXPECT_EQ(f["program"]["http_server"]["present"], true);

    auto text = run({berth_exe(), "inspect", path});
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("Go program (function table); build info missing"), std::string::npos)
        << text.out;
    EXPECT_EQ(text.out.find("not a Go binary"), std::string::npos) << text.out;

    // --go-version-m answers as go version -m does: no build info.
    auto m = run({berth_exe(), "inspect", "--go-version-m", path});
    EXPECT_EQ(m.status, 1);
    EXPECT_NE(m.err.find("not a Go binary (no Go build info)"), std::string::npos);
}

TEST(InspectForeignGo, BuildIdWithoutBuildInfo) {
    std::string path = fixture("npm/esbuild-0.27.0");
    auto go = run({"go", "version", "-m", path});
    EXPECT_NE(go.err.find("not a Go executable"), std::string::npos) << go.err;
    auto id = run({"go", "tool", "buildid", path});
    ASSERT_EQ(id.status, 0) << id.err;

    json f = inspect_json(path);
    EXPECT_EQ(strings(f["go_evidence"]), (std::vector<std::string>{"build_id", "function_table"}));
    EXPECT_EQ(f["go_build_info"], "missing");
    EXPECT_EQ(f["go_build_id"].get<std::string>() + "\n", id.out);
    EXPECT_FALSE(f["program"].is_null());
}

TEST(InspectForeignGo, NewerToolchainsBuildInfoReadsAsGoReadsIt) {
    std::string path = fixture("npm/esbuild-0.24.0");
    auto go = run({"go", "version", "-m", path});
    ASSERT_EQ(go.status, 0) << go.err;
    ASSERT_NE(go.out.find(": go1.23"), std::string::npos) << go.out;
    auto m = run({berth_exe(), "inspect", "--go-version-m", path});
    EXPECT_EQ(m.status, 0) << m.err;
    EXPECT_EQ(m.out, go.out);
    json f = inspect_json(path);
    EXPECT_EQ(strings(f["go_evidence"]),
              (std::vector<std::string>{"build_info", "build_id", "function_table"}));
    EXPECT_EQ(f["go_build_info"], "present");
}

TEST(InspectForeignGo, CheckRunsTheFunctionTableRulesWithoutBuildInfo) {
    // esbuild installs no SIGTERM handler: B112 needs only the function table. B109 (no version)
    // needs the build info and stays silent without it.
    auto r =
        run({"env", "NO_COLOR=1", berth_exe(), "check", "--json", fixture("npm/esbuild-0.28.2")});
    json doc = json::parse(r.out);
    std::set<std::string> codes;
    for (const auto& result : doc["results"])
        for (const auto& finding : result["findings"]) codes.insert(finding["code"]);
    EXPECT_TRUE(codes.count("B112")) << r.out;
    EXPECT_FALSE(codes.count("B109")) << r.out;
}

// A Go binary with every mark but its symbol table removed: no build info, no build ID, the
// function table's section and the module data's unnamed. The runtime's symbols say Go, and the
// table is then found by scanning.
TEST(InspectForeignGo, RuntimeSymbolsAloneLeadToTheTable) {
    std::string from = fixture("go/cgo-off");
    std::string data = berth::test::read_file(from);
    auto replace_all = [&](const std::string& what, const std::string& with) {
        int n = 0;
        for (auto at = data.find(what); at != std::string::npos; at = data.find(what, at + 1)) {
            data.replace(at, with.size(), with);
            ++n;
        }
        return n;
    };
    using namespace std::string_literals;
    EXPECT_GE(replace_all("\xff Go buildinf:"s, "\0"s), 1); // the build info header
    replace_all("\xff Go build ID: \""s, "\0"s); // the text's build ID (not in every ELF)
    EXPECT_EQ(replace_all("\x04\0\0\0Go\0\0"s, "\x04\0\0\0Xo"s), 1); // the note's name
    EXPECT_EQ(replace_all("\0.gopclntab\0"s, "\0.x"s), 1);
    EXPECT_EQ(replace_all("\0.noptrdata\0"s, "\0.x"s), 1);
    berth::test::TempDir tmp;
    std::string path = tmp.path + "/doctored";
    berth::test::write_file(path, data);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);

    auto go = run({"go", "version", "-m", path});
    EXPECT_NE(go.err.find("not a Go executable"), std::string::npos) << go.err;
    auto nm = run({"go", "tool", "nm", path});
    EXPECT_NE(nm.out.find(" T runtime.main\n"), std::string::npos);

    json f = inspect_json(path);
    EXPECT_EQ(strings(f["go_evidence"]),
              (std::vector<std::string>{"function_table", "runtime_symbols"}));
    EXPECT_EQ(f["go_build_info"], "missing");
    EXPECT_TRUE(f["go_build_id"].is_null());
    json original = inspect_json(from);
    EXPECT_EQ(f["program"], original["program"]);
}

TEST(InspectForeignGo, NonGoFilesHaveNoEvidence) {
    for (const char* path : {"/usr/bin/ls", "/lib/x86_64-linux-gnu/libc.so.6"}) {
        json f = inspect_json(path);
        EXPECT_EQ(f["is_go"], false) << path;
        EXPECT_TRUE(f["go_evidence"].empty()) << path;
        EXPECT_TRUE(f["go_build_info"].is_null()) << path;
        EXPECT_TRUE(f["program"].is_null()) << path;
        EXPECT_TRUE(f["errors"].empty()) << path;
    }
}

} // namespace
