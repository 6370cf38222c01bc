// `berth inspect` on real binaries: the Go fixtures (built with the facts in their manifest) and
// system binaries, checked against the facts we built them with and against readelf.
#include "test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using berth::test::berth_exe;
using berth::test::fixture_dir;
using berth::test::run;
using nlohmann::json;

namespace {

struct Fixture {
    std::string name, path;
    std::map<std::string, std::string> facts;
};

std::vector<Fixture> go_fixtures() {
    std::vector<Fixture> out;
    std::istringstream in(berth::test::read_file(fixture_dir() + "/go/manifest.txt"));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Fixture f;
        std::getline(fields, f.name, '\t');
        f.path = fixture_dir() + "/go/" + f.name;
        std::string kv;
        while (std::getline(fields, kv, '\t')) {
            auto eq = kv.find('=');
            if (eq != std::string::npos) f.facts[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        out.push_back(f);
    }
    return out;
}

json inspect_json(const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {berth_exe(), "inspect", "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(path);
    auto r = run(argv);
    EXPECT_EQ(r.status, 0) << path << ": " << r.err;
    auto doc = json::parse(r.out);
    EXPECT_EQ(doc["schema"], "berth.inspect/1");
    return doc["files"][0];
}

std::string setting(const json& file, const std::string& key) {
    if (file["go"].is_null()) return {};
    for (const auto& s : file["go"]["settings"])
        if (s["key"] == key) return s["value"];
    return {};
}

// readelf's view of a file, for comparison.
struct ReadelfView {
    std::string machine_line, type_line, interpreter;
    std::vector<std::string> needed;
    std::string soname, rpath, runpath;
    bool symtab = false, relro = false, bind_now = false;
    std::set<std::string> versions; // "file:version"
    std::string build_id;
};

ReadelfView readelf(const std::string& path) {
    ReadelfView v;
    auto r = run({"readelf", "-W", "-h", "-l", "-d", "-S", "-V", "-n", path});
    EXPECT_EQ(r.status, 0) << r.err;
    std::istringstream in(r.out);
    std::string line, version_file;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_search(line, m, std::regex(R"(Requesting program interpreter: (.*)\])")))
            v.interpreter = m[1];
        else if (std::regex_search(line, m, std::regex(R"(\(NEEDED\)\s+Shared library: \[(.*)\])")))
            v.needed.push_back(m[1]);
        else if (std::regex_search(line, m, std::regex(R"(\(SONAME\)\s+Library soname: \[(.*)\])")))
            v.soname = m[1];
        else if (std::regex_search(line, m, std::regex(R"(\(RPATH\)\s+Library rpath: \[(.*)\])")))
            v.rpath = m[1];
        else if (std::regex_search(line, m,
                                   std::regex(R"(\(RUNPATH\)\s+Library runpath: \[(.*)\])")))
            v.runpath = m[1];
        else if (std::regex_search(line, m, std::regex(R"(^\s*\[\s*\d+\]\s+\.symtab\s)")))
            v.symtab = true;
        else if (std::regex_search(line, m, std::regex(R"(^\s+GNU_RELRO\s)")))
            v.relro = true;
        else if (std::regex_search(
                     line, m, std::regex(R"(\((BIND_NOW)\)|Flags: .*\bNOW\b|\(FLAGS\).*BIND_NOW)")))
            v.bind_now = true;
        else if (std::regex_search(line, m, std::regex(R"(File: (\S+)\s+Cnt: \d+)")))
            version_file = m[1];
        else if (std::regex_search(line, m,
                                   std::regex(R"(Name: (\S+)\s+Flags: \S+\s+Version: \d+)")))
            v.versions.insert(version_file + ":" + std::string(m[1]));
        else if (std::regex_search(line, m, std::regex(R"(Build ID: ([0-9a-f]+))")))
            v.build_id = m[1];
    }
    return v;
}

void compare_with_readelf(const std::string& path) {
    SCOPED_TRACE(path);
    json f = inspect_json(path);
    ReadelfView re = readelf(path);
    EXPECT_EQ(
        f["linkage"]["interpreter"].is_null() ? "" : f["linkage"]["interpreter"].get<std::string>(),
        re.interpreter);
    EXPECT_EQ(f["linkage"]["needed"].get<std::vector<std::string>>(), re.needed);
    auto str = [&](const json& j) { return j.is_null() ? std::string() : j.get<std::string>(); };
    EXPECT_EQ(str(f["linkage"]["soname"]), re.soname);
    EXPECT_EQ(str(f["linkage"]["rpath"]), re.rpath);
    EXPECT_EQ(str(f["linkage"]["runpath"]), re.runpath);
    EXPECT_EQ(!f["debug"]["stripped"].get<bool>(), re.symtab);
    EXPECT_EQ(str(f["debug"]["gnu_build_id"]), re.build_id);
    std::set<std::string> versions;
    for (const auto& need : f["versions"]["needs"])
        for (const auto& v : need["versions"])
            versions.insert(need["file"].get<std::string>() + ":" + v.get<std::string>());
    EXPECT_EQ(versions, re.versions);
    std::string relro = f["hardening"]["relro"];
    if (!re.relro) {
        EXPECT_TRUE(relro == "none" || relro == "n/a") << relro;
    } else {
        EXPECT_EQ(relro, re.bind_now ? "full" : "partial");
    }
}

} // namespace

TEST(Inspect, GoFixturesMatchTheFactsTheyWereBuiltWith) {
    auto fixtures = go_fixtures();
    ASSERT_GE(fixtures.size(), 15u) << "Go fixtures missing: run ctest (fixtures.build)";
    for (const auto& fx : fixtures) {
        SCOPED_TRACE(fx.name);
        json f = inspect_json(fx.path);
        ASSERT_FALSE(f["go"].is_null()) << "a Go binary must have Go build info";
        auto fact = [&](const std::string& k) {
            auto it = fx.facts.find(k);
            return it == fx.facts.end() ? std::string() : it->second;
        };
        if (!fact("GOARCH").empty()) {
            EXPECT_EQ(f["identity"]["goarch"], fact("GOARCH"));
        }
        if (!fact("elf.class").empty()) {
            EXPECT_EQ(f["identity"]["class"], "ELF" + fact("elf.class"));
        }
        if (!fact("elf.endian").empty()) {
            EXPECT_EQ(f["identity"]["endianness"], fact("elf.endian"));
        }
        if (fact("elf.type") == "dyn") {
            EXPECT_EQ(f["identity"]["type"], "DYN");
            EXPECT_EQ(f["hardening"]["pie"], "yes");
        }
        if (fact("link") == "static") {
            EXPECT_EQ(f["linkage"]["kind"], "static");
            EXPECT_TRUE(f["linkage"]["interpreter"].is_null());
        }
        if (fact("link") == "dynamic") {
            EXPECT_EQ(f["linkage"]["kind"], "dynamic");
            EXPECT_FALSE(f["linkage"]["interpreter"].is_null());
        }
        if (fact("CGO_ENABLED") == "0") {
            EXPECT_EQ(f["linkage"]["libc"], "none");
            EXPECT_EQ(f["hardening"]["canary"], "n/a");
        }
        if (fact("CGO_ENABLED") == "1" && fact("link") == "dynamic") {
            std::string cc = fact("cc");
            EXPECT_EQ(f["linkage"]["libc"], cc == "musl-gcc" ? "musl" : "glibc");
            if (cc != "musl-gcc") {
                EXPECT_FALSE(f["versions"]["max_glibc"].is_null());
            }
        }
        if (fact("CGO_ENABLED") == "1" && fact("link") == "static") {
            EXPECT_EQ(f["linkage"]["libc"], fact("cc") == "musl-gcc" ? "musl" : "glibc");
        }
        if (fact("-ldflags") == "-s -w") {
            EXPECT_TRUE(f["debug"]["stripped"]);
            EXPECT_FALSE(f["debug"]["dwarf"]);
        }
        for (const char* key :
             {"CGO_ENABLED", "GOAMD64", "GOARM", "-trimpath", "-tags", "vcs.modified", "-race"})
            if (!fact(key).empty()) {
                EXPECT_EQ(setting(f, key), fact(key)) << key;
            }
        EXPECT_FALSE(f["go_build_id"].is_null());
        // Every mark of a Go program (the runtime's symbols are not looked for then).
        EXPECT_EQ(f["go_evidence"].get<std::vector<std::string>>(),
                  (std::vector<std::string>{"build_info", "build_id", "function_table"}));
        EXPECT_EQ(f["is_go"], true);
        EXPECT_EQ(f["go_build_info"], "present");
    }
}

TEST(Inspect, AgreesWithReadelfOnFixturesAndSystemBinaries) {
    std::vector<std::string> paths;
    for (const auto& fx : go_fixtures()) paths.push_back(fx.path);
    for (const char* p : {"/usr/bin/ls", "/usr/bin/ssh", "/usr/bin/bash", "/usr/bin/perl",
                          "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                          "/usr/bin/cmake"})
        paths.push_back(p);
    ASSERT_GE(paths.size(), 20u);
    for (const auto& p : paths) compare_with_readelf(p);
}

TEST(Inspect, BerthItselfIsFullyStatic) {
    // static-pie (docs/packaging.md): no loader and no library, like -static.
    json f = inspect_json(berth_exe());
    EXPECT_EQ(f["linkage"]["kind"], "static-pie");
    EXPECT_TRUE(f["linkage"]["needed"].empty());
    EXPECT_TRUE(f["linkage"]["interpreter"].is_null());
    EXPECT_EQ(f["linkage"]["libc"], "glibc");
    auto r = run({"file", "-L", berth_exe()});
    EXPECT_NE(r.out.find("static-pie linked"), std::string::npos) << r.out;
    EXPECT_NE(run({"ldd", berth_exe()}).out.find("statically linked"), std::string::npos);
}

TEST(Inspect, NonGoElfIsInspectedFullyAndSaysNotGo) {
    json f = inspect_json("/usr/bin/ls");
    EXPECT_TRUE(f["go"].is_null());
    EXPECT_EQ(f["identity"]["machine"], "x86_64");
    auto text = run({berth_exe(), "inspect", "/usr/bin/ls"});
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("not a Go binary"), std::string::npos);
}

TEST(Inspect, HashOnlyWhenAsked) {
    EXPECT_TRUE(inspect_json("/usr/bin/ls")["debug"]["sha256"].is_null());
    json f = inspect_json("/usr/bin/ls", {"--hash"});
    auto r = run({"sha256sum", "/usr/bin/ls"});
    EXPECT_EQ(f["debug"]["sha256"], r.out.substr(0, 64));
}

TEST(Inspect, BadInputGivesOneLineErrorsAndTheOtherFilesAreStillReported) {
    berth::test::TempDir tmp;
    std::string script = tmp.path + "/script.sh", text = tmp.path + "/notes.txt",
                empty = tmp.path + "/empty", truncated = tmp.path + "/truncated",
                garbage = tmp.path + "/garbage", unreadable = tmp.path + "/unreadable";
    berth::test::write_file(script, "#!/bin/sh\necho hi\n");
    berth::test::write_file(text, "just some text\n");
    berth::test::write_file(empty, "");
    std::string ls = berth::test::read_file("/usr/bin/ls");
    berth::test::write_file(truncated, ls.substr(0, 40));
    berth::test::write_file(garbage, "\x7f"
                                     "ELF" +
                                         std::string(200, '\xff'));
    berth::test::write_file(unreadable, ls);
    std::filesystem::permissions(unreadable, std::filesystem::perms::none);
    std::filesystem::permissions(tmp.path, std::filesystem::perms::all);

    std::vector<std::string> bad = {
        script, text, empty, truncated, garbage, tmp.path, tmp.path + "/missing"};
    std::vector<std::string> argv = {berth_exe(), "inspect", "/usr/bin/ls"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    argv.push_back("/usr/bin/true");
    auto r = run(argv);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.out.find("/usr/bin/ls\n"), std::string::npos);
    EXPECT_NE(r.out.find("/usr/bin/true\n"), std::string::npos);
    std::istringstream err(r.err);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(err, line)) lines.push_back(line);
    ASSERT_EQ(lines.size(), bad.size()) << r.err;
    for (std::size_t i = 0; i < bad.size(); ++i)
        EXPECT_NE(lines[i].find(bad[i] + ":"), std::string::npos) << lines[i];

    // Unreadable for an unprivileged user (root reads anything): run berth as nobody.
    auto as_nobody = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                          berth_exe(), "inspect", unreadable});
    EXPECT_EQ(as_nobody.status, 2);
    EXPECT_NE(as_nobody.err.find(unreadable + ": cannot open: Permission denied"),
              std::string::npos)
        << as_nobody.err;
}

TEST(Inspect, JsonReportsErrorsPerFile) {
    auto r = run({berth_exe(), "inspect", "--json", "/usr/bin/ls", "/etc/passwd"});
    EXPECT_EQ(r.status, 2);
    auto doc = json::parse(r.out);
    ASSERT_EQ(doc["files"].size(), 2u);
    EXPECT_TRUE(doc["files"][0]["error"].is_null());
    EXPECT_NE(doc["files"][1]["error"].get<std::string>().find("not an ELF file"),
              std::string::npos);
}

TEST(Inspect, GoVersionMMatchesTheGoToolOnTheExample) {
    // The byte-for-byte comparison over all fixtures lives in gobuild_*_test.cpp; this checks the
    // command-line path.
    auto path = berth::test::fixture("go/modules");
    auto ours = run({berth_exe(), "inspect", "--go-version-m", path});
    auto theirs = run({"go", "version", "-m", path});
    EXPECT_EQ(ours.status, 0);
    EXPECT_EQ(ours.out, theirs.out);
    auto not_go = run({berth_exe(), "inspect", "--go-version-m", "/usr/bin/ls"});
    EXPECT_EQ(not_go.status, 1);
    EXPECT_NE(not_go.err.find("not a Go binary"), std::string::npos);
}
