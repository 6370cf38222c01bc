#include "catalogue/catalogue.hpp"
#include "unit/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace berth::unit;

namespace {

std::vector<std::string> codes(const std::string& name, const std::string& text,
                               int version = 252) {
    LintOptions o;
    o.systemd_version = version;
    LintResult r = lint_unit(make_unit(name, {parse_unit(name, text)}), o);
    std::vector<std::string> out;
    for (const auto& f : r.findings) out.push_back(f.code);
    return out;
}

bool has(const std::vector<std::string>& v, const char* code) {
    return std::find(v.begin(), v.end(), code) != v.end();
}

} // namespace

TEST(UnitLint, HandWrittenUnitRotsEverywhere) {
    auto c = codes("app.service", "[Unit]\nDescription=app\n[Service]\nType=forking\n"
                                  "ExecStart=bin/app\nRestart=always\nUser=root\n"
                                  "StandardOutput=null\nProtectSystem=sometimes\nFooBar=1\n"
                                  "[Servce]\nX=1\n# then run systemctl daemon-reexec\n");
    for (const char* code : {"U302", "U303", "U304", "U305", "U306", "U308", "U309", "U310", "U311",
                             "U312", "U313", "U314", "U316"})
        EXPECT_TRUE(has(c, code)) << code;
}

TEST(UnitLint, UnloadableLineIsNamedWhereItIs) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("berth-lint-" + std::to_string(::getpid()));
    fs::create_directories(dir / "app.service.d");
    std::ofstream(dir / "app.service") << "[Service]\nExecStart=/bin/true\n[bad\n";
    std::ofstream(dir / "app.service.d" / "10-x.conf") << "[Service]\nNice=1\n";
    LintResult r = lint_file((dir / "app.service").string(), LintOptions{});
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].code, "U301");
    EXPECT_EQ(r.findings[0].location, (dir / "app.service").string());
    EXPECT_EQ(r.findings[0].line, 3);

    // The unit itself is fine; its drop-in has the line systemd refuses.
    std::ofstream(dir / "app.service") << "[Service]\nExecStart=/bin/true\n";
    std::ofstream(dir / "app.service.d" / "10-x.conf") << "[Service]\nNice=1\n\n[oops\n";
    r = lint_file((dir / "app.service").string(), LintOptions{});
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].code, "U301");
    EXPECT_EQ(r.findings[0].location, (dir / "app.service.d" / "10-x.conf").string());
    EXPECT_EQ(r.findings[0].line, 4);
    fs::remove_all(dir);
}

TEST(UnitLint, MissingExecStartAndRestart) {
    auto c =
        codes("app.service", "[Service]\nType=simple\n[Install]\nWantedBy=multi-user.target\n");
    EXPECT_TRUE(has(c, "U305"));
    EXPECT_TRUE(has(c, "U307"));
    EXPECT_TRUE(has(c, "U306"));
}

TEST(UnitLint, DirectivesNewerThanTarget) {
    auto c252 = codes("a.service", "[Service]\nExecStart=/a\nProtectClock=yes\n", 252);
    auto c239 = codes("a.service", "[Service]\nExecStart=/a\nProtectClock=yes\n", 239);
    EXPECT_FALSE(has(c252, "U303"));
    EXPECT_TRUE(has(c239, "U303"));
}

TEST(UnitLint, EveryCodeIsInTheCatalogue) {
    for (int n = 301; n <= 317; ++n) {
        const auto* info = berth::catalogue::find_code("U" + std::to_string(n));
        ASSERT_NE(info, nullptr) << n;
        EXPECT_GT(std::string(info->explain).size(), 80u);
    }
}

TEST(UnitLint, DropInIsLintedAsPartOfItsUnitType) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("berth-dropin-" + std::to_string(::getpid()));
    fs::create_directories(dir / "app.service.d");
    fs::create_directories(dir / "service.d");
    auto lint_codes = [](const fs::path& p) {
        LintResult r = lint_file(p.string(), LintOptions{});
        std::vector<std::string> out;
        for (const auto& f : r.findings) out.push_back(f.code + " " + f.title);
        return std::make_pair(out, r.exposure.has_value());
    };
    // A drop-in of app.service: [Service] is its section; it is no whole unit, so no missing
    // ExecStart=, no [Install] advice and no exposure score; its own lines are still checked.
    std::ofstream(dir / "app.service.d" / "10-x.conf")
        << "[Service]\nProtectSystem=sometimes\nFooBar=1\n[Socket]\nListenStream=/run/x\n";
    auto [found, scored] = lint_codes(dir / "app.service.d" / "10-x.conf");
    EXPECT_FALSE(scored);
    std::string all;
    for (const auto& f : found) all += f + "\n";
    EXPECT_EQ(all, "U302 Unknown section [Socket] for a .service unit\n"
                   "U303 Unknown directive FooBar= in [Service]\n"
                   "U304 Invalid value for ProtectSystem=\n");
    // The top-level drop-in directory of a type ("service.d") belongs to every service.
    std::ofstream(dir / "service.d" / "50-all.conf") << "[Service]\nNice=1\n";
    EXPECT_TRUE(lint_codes(dir / "service.d" / "50-all.conf").first.empty());
    fs::remove_all(dir);
}
