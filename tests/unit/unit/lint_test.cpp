#include "rules/catalogue.hpp"
#include "unit/lint.hpp"

#include <algorithm>
#include <gtest/gtest.h>

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
        const auto* info = berth::find_code("U" + std::to_string(n));
        ASSERT_NE(info, nullptr) << n;
        EXPECT_GT(std::string(info->explain).size(), 80u);
    }
}
