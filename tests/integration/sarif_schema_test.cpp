// berth's SARIF validated against the SARIF 2.1.0 JSON schema by Ajv (tests/fixtures/validate-
// sarif.js; the schema and Ajv are fetched from npm by tests/fixtures/build-npm.sh, so this runs
// offline after the fixtures are built), every format checked: artifactLocation.uri must be a
// URI reference. And the uri gives back the exact file name, whatever its bytes.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>

using berth::test::run;

namespace {

// "valid", or Ajv's errors.
std::string validate(const std::string& sarif) {
    auto r = run({"node", berth::test::source_dir() + "/tests/fixtures/validate-sarif.js",
                  berth::test::fixture("npm")},
                 sarif);
    return r.status == 0 ? "valid" : r.out + r.err;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string> uris(const std::string& sarif) {
    std::vector<std::string> out;
    auto doc = nlohmann::json::parse(sarif);
    for (const auto& result : doc["runs"][0]["results"])
        out.push_back(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
    return out;
}

} // namespace

TEST(SarifSchema, CheckOutputIsValid) {
    auto r = run({berth::test::berth_exe(), "check", "--format", "sarif",
                  berth::test::fixture("go/arm64-cgo")});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(validate(r.out), "valid");
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_FALSE(doc["runs"][0]["tool"]["driver"].contains("informationUri"));
}

TEST(SarifSchema, UnitLintOfOddFileNamesIsValidAndGivesTheNamesBack) {
    berth::test::TempDir dir;
    // A space, '#' and '%'; ':' in the first segment (a scheme, unencoded); not UTF-8; UTF-8.
    const std::vector<std::string> names = {"my unit#1%.service", "a:b.service", "bad\xff.service",
                                            "caf\xc3\xa9 ?.service"};
    std::vector<std::string> argv = {berth::test::berth_exe(), "unit", "lint", "--format", "sarif"};
    for (const auto& n : names) {
        berth::test::write_file(dir.path + "/" + n, "[Service]\nExecStart=/bin/true\n");
        argv.push_back(dir.path + "/" + n);
    }
    auto r = run(argv);
    EXPECT_EQ(validate(r.out), "valid") << r.out.substr(0, 3000);
    std::set<std::string> got;
    for (const auto& u : uris(r.out)) got.insert(percent_decode(u));
    for (const auto& n : names) EXPECT_TRUE(got.count(dir.path + "/" + n)) << n;
}
