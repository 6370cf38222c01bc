// berth unit lint against the real systemd 252 tools: the exposure score equals
// `systemd-analyze security --offline=true`, and what `systemd-analyze verify` rejects berth
// rejects.
#include "exposure_support.hpp"
#include "test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace fs = std::filesystem;
using berth::test::run;

namespace {

// systemd-analyze offline needs no running systemd; --man=no and --generators=no keep verify from
// looking up man pages and running generators (both need a booted host).
const std::vector<std::string> kVerify = {"systemd-analyze", "verify", "--man=no",
                                          "--generators=no"};
const std::vector<std::string> kSecurity = {"systemd-analyze", "security", "--offline=true",
                                            "--no-pager"};

// Unit files of the machine's unit directories, deduplicated by real path of the directory.
std::vector<std::string> shipped_units() {
    std::vector<std::string> files;
    std::set<std::string> seen_dirs;
    for (const char* dir : {"/lib/systemd/system", "/usr/lib/systemd/system"}) {
        if (!seen_dirs.insert(fs::canonical(dir).string()).second) continue;
        for (const auto& e : fs::directory_iterator(dir)) {
            std::string name = e.path().filename().string();
            if (fs::is_directory(e.path())) continue;
            files.push_back(e.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool is_masked(const std::string& path) {
    std::error_code ec;
    return fs::canonical(path, ec) == "/dev/null";
}

nlohmann::json berth_lint(const std::vector<std::string>& files,
                          const std::vector<std::string>& flags = {}) {
    std::vector<std::string> argv = {berth::test::berth_exe(), "unit", "lint", "--json"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = run(argv);
    EXPECT_TRUE(r.status == 0 || r.status == 1) << r.err;
    return nlohmann::json::parse(r.out);
}

bool has_error(const nlohmann::json& result) {
    for (const auto& f : result["findings"])
        if (f["severity"] == "error") return true;
    return false;
}

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Why `systemd-analyze verify` rejects a file, if it does. By default verify also loads the units
// the file depends on, so a dependency missing on this machine (dbus.socket on a debootstrapped
// root without dbus, sysinit.target under a bare unit path) or broken there fails the file too.
// With --recursive-errors=no the dependencies are not loaded: what still fails is the unit
// itself (or a program it runs, missing on this machine: berth --host-checks checks those too).
enum class Rejection { none, by_the_unit, by_other_units };

Rejection verify_rejection(const std::string& file) {
    if (run(cat(kVerify, {file})).status == 0) return Rejection::none;
    if (run(cat(kVerify, {"--recursive-errors=no", file})).status == 0)
        return Rejection::by_other_units;
    return Rejection::by_the_unit;
}

} // namespace

TEST(UnitDifferential, ExposureOfEveryShippedUnit) {
    std::vector<std::string> files;
    for (const auto& f : shipped_units())
        if (!is_masked(f)) files.push_back(f); // systemd refuses to analyze masked units
    ASSERT_GT(files.size(), 100u);
    auto expected = berth::test::systemd_exposure_scores(files);
    ASSERT_EQ(expected.size(), files.size()) << "systemd-analyze did not score every file";
    auto tables = berth::test::systemd_exposure_tables(files);
    ASSERT_EQ(tables.size(), files.size());
    auto got = berth_lint(files);
    ASSERT_EQ(got["results"].size(), files.size());
    int same = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& r = got["results"][i];
        ASSERT_TRUE(r.contains("exposure")) << files[i];
        EXPECT_EQ(r["exposure"]["score"].get<std::string>(), expected[i]) << files[i];
        // Check by check: badness, weight, range and systemd's text.
        auto mine = berth::test::berth_exposure_table(r["exposure"]);
        EXPECT_EQ(mine, tables[i]) << files[i] << "\n"
                                   << berth::test::exposure_side_by_side(tables[i], mine);
        same += r["exposure"]["score"] == expected[i] && mine == tables[i];
    }
    RecordProperty("units_compared", static_cast<int>(files.size()));
    RecordProperty("units_equal", same);
}

TEST(UnitDifferential, WhatVerifyRejectsBerthRejects) {
    berth::test::TempDir dir;
    // Crafted units systemd refuses, next to the shipped ones.
    std::map<std::string, std::string> crafted = {
        {"header.service", "[Service\nExecStart=/bin/true\n"},
        {"utf8.service", "[Service]\nExecStart=/bin/true\nDescription=\xff\xfe\n"},
        {"relative.service", "[Service]\nExecStart=bin/true\n"},
        {"noexec.service", "[Service]\nType=simple\n"},
        {"twoexec.service", "[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n"},
    };
    // A correct unit that needs a unit no machine has: verify rejects it for that alone.
    const std::string needs_absent = "needs-absent.service";
    crafted[needs_absent] = "[Unit]\nRequires=berth-test-absent.socket\n"
                            "After=berth-test-absent.socket\n[Service]\nExecStart=/bin/true\n";
    std::vector<std::string> files = shipped_units();
    for (const auto& [name, text] : crafted) {
        berth::test::write_file(dir.path + "/" + name, text);
        files.push_back(dir.path + "/" + name);
    }
    auto got = berth_lint(files, {"--host-checks"});
    ASSERT_EQ(got["results"].size(), files.size());
    // One verify over everything; its exit status covers the whole invocation, so the files it
    // mentions (by unit name or path) are then checked one by one.
    auto all = run(cat(kVerify, files));
    std::string log = all.out + all.err;
    std::set<std::string> by_the_unit, by_other_units;
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::string name = fs::path(files[i]).filename().string();
        std::string instance = name;
        if (auto at = name.find("@."); at != std::string::npos) instance.insert(at + 1, "i");
        if (log.find(name) == std::string::npos && log.find(instance) == std::string::npos)
            continue;
        switch (verify_rejection(files[i])) {
        case Rejection::none:
            break;
        case Rejection::by_the_unit:
            by_the_unit.insert(name);
            EXPECT_TRUE(has_error(got["results"][i]))
                << files[i] << " rejected by verify, not berth";
            break;
        case Rejection::by_other_units:
            // This machine lacks (or breaks) a unit it depends on; the file itself verifies, so
            // berth must not call it broken either.
            by_other_units.insert(name);
            EXPECT_FALSE(has_error(got["results"][i]))
                << files[i] << " verifies on its own, berth rejects it";
            break;
        }
    }
    // The classification itself: each crafted broken unit is rejected for itself, the correct
    // one needing an absent unit for that unit only.
    for (const auto& [name, text] : crafted) {
        if (name != needs_absent) {
            EXPECT_TRUE(by_the_unit.count(name)) << name;
        }
    }
    EXPECT_TRUE(by_other_units.count(needs_absent)) << "the missing dependency was not told apart";
    RecordProperty("rejected_for_other_units", static_cast<int>(by_other_units.size()));
}

TEST(UnitDifferential, GeneratedUnitsVerifyCleanAndRateTwoOrLower) {
    berth::test::TempDir dir;
    std::string app = dir.path + "/app";
    fs::copy_file("/bin/true", app);
    fs::permissions(app, fs::perms::owner_all);
    struct Case {
        std::string name;
        std::vector<std::string> flags;
        int version;
    };
    std::vector<Case> cases = {
        {"shop", {"--port", "8080", "--arg", "--listen", "--arg", ":8080"}, 252},
        {"web", {"--user", "web", "--port", "443", "--config", dir.path + "/web.yaml"}, 252},
        {"plain", {"--working-directory", "/var/lib/plain", "--shutdown-timeout", "60"}, 252},
        {"old", {"--port", "80"}, 239},
    };
    // An environment makes the unit read CONFIG_DIR/env (EnvironmentFile=/etc/web/env).
    berth::test::write_file(dir.path + "/web.yaml", "environment: {LOG_LEVEL: info}\n");
    std::vector<std::string> files;
    for (const auto& c : cases) {
        std::string out = dir.path + "/" + c.name + ".service";
        auto argv = cat(std::vector<std::string>{berth::test::berth_exe(), "unit", "generate",
                                                 "--name", c.name, "--exec", app, "-o", out,
                                                 "--systemd-version", std::to_string(c.version)},
                        c.flags);
        auto g = run(argv);
        ASSERT_EQ(g.status, 0) << g.err;
        if (c.version < 252) {
            EXPECT_NE(g.err.find("U317"), std::string::npos) << g.err;
        }
        auto v = run(cat(kVerify, {out}));
        EXPECT_EQ(v.status, 0) << c.name << ": " << v.out << v.err;
        EXPECT_EQ(v.out + v.err, "") << c.name;
        files.push_back(out);
        auto lint = berth_lint({out}, {"--systemd-version", std::to_string(c.version)});
        for (const auto& f : lint["results"][0]["findings"]) {
            EXPECT_NE(f["code"], "U303") << c.name << ": " << f["title"];
            EXPECT_NE(f["severity"], "error") << c.name << ": " << f["title"];
        }
    }
    auto expected = berth::test::systemd_exposure_scores(files);
    ASSERT_EQ(expected.size(), files.size());
    auto got = berth_lint(files);
    for (std::size_t i = 0; i < files.size(); ++i) {
        EXPECT_LE(std::stod(expected[i]), 2.0) << files[i];
        EXPECT_EQ(got["results"][i]["exposure"]["score"].get<std::string>(), expected[i])
            << files[i];
    }
}
