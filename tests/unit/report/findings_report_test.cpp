#include "catalogue/catalogue.hpp"
#include "report/findings_report.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>
#include <set>

using namespace berth;

namespace {

FindingsReport sample() {
    FindingsReport r;
    r.command = "check";
    r.subject = "/opt/app/bin/app";
    r.findings.push_back({"B999", Severity::info, "an info", "x=1", "do y", "", 0});
    r.findings.push_back({"B998", Severity::error, "an error", "z=2", "do w", "app.service", 7});
    return r;
}

} // namespace

TEST(FindingsReport, TextGroupsBySeverityErrorFirst) {
    std::string text = report::render_text({sample()}, false);
    auto err = text.find("error B998");
    auto info = text.find("info B999");
    ASSERT_NE(err, std::string::npos);
    ASSERT_NE(info, std::string::npos);
    EXPECT_LT(err, info);
    EXPECT_NE(text.find("1 error(s), 0 warning(s), 1 info"), std::string::npos);
    EXPECT_NE(text.find("(app.service:7)"), std::string::npos);
    EXPECT_EQ(text.find("\033["), std::string::npos) << "no colour when not asked";
}

TEST(FindingsReport, TextUsesColourOnlyWhenAsked) {
    EXPECT_NE(report::render_text({sample()}, true).find("\033[1;31m"), std::string::npos);
}

TEST(FindingsReport, JsonHasSchemaAndFindings) {
    auto j = report::render_json({sample()});
    EXPECT_EQ(j["schema"], "berth.findings/1");
    EXPECT_EQ(j["results"][0]["findings"][0]["code"], "B998");
    EXPECT_EQ(j["results"][0]["findings"][0]["severity"], "error");
    EXPECT_EQ(j["results"][0]["findings"][0]["line"], 7);
}

TEST(FindingsReport, SarifIs210WithRulesAndLevels) {
    auto j = report::render_sarif({sample()});
    EXPECT_EQ(j["version"], "2.1.0");
    auto& run = j["runs"][0];
    EXPECT_EQ(run["tool"]["driver"]["name"], "berth");
    ASSERT_EQ(run["results"].size(), 2u);
    EXPECT_EQ(run["results"][0]["level"], "error");
    EXPECT_EQ(run["results"][1]["level"], "note");
    EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
    int idx = run["results"][0]["ruleIndex"];
    EXPECT_EQ(run["tool"]["driver"]["rules"][idx]["id"], "B998");
}

// artifactLocation.uri is a URI reference (RFC 3986): a file name's space, '#', '%', ':' and
// bytes that are not ASCII are percent-encoded, so that the name can be recovered exactly.
TEST(FindingsReport, SarifUriIsPercentEncoded) {
    FindingsReport r;
    r.command = "unit lint";
    r.subject = "dir/my unit#1%.service";
    r.findings.push_back({"U312", Severity::warning, "t", "e", "f", "", 0});
    r.findings.push_back({"U301", Severity::error, "t", "e", "f", "a:b/caf\xc3\xa9\xff?.conf", 3});
    auto j = report::render_sarif({r});
    auto& results = j["runs"][0]["results"];
    auto uri = [&](int i) {
        return results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .get<std::string>();
    };
    EXPECT_EQ(uri(0), "a%3Ab/caf%C3%A9%FF%3F.conf"); // the error first
    EXPECT_EQ(uri(1), "dir/my%20unit%231%25.service");
    EXPECT_EQ(report::percent_encode_path("/opt/app-1.0_x~/bin/app"), "/opt/app-1.0_x~/bin/app");
}

// informationUri must be an absolute URI of a real page; berth has none to give, so it is left
// out (SARIF allows that).
TEST(FindingsReport, SarifHasNoMadeUpInformationUri) {
    auto j = report::render_sarif({sample()});
    EXPECT_FALSE(j["runs"][0]["tool"]["driver"].contains("informationUri")) << j.dump(2);
}

TEST(FindingsReport, ParseFormatRejectsUnknown) {
    EXPECT_EQ(report::parse_output_format("sarif"), report::OutputFormat::sarif);
    EXPECT_THROW(report::parse_output_format("xml"), InputError);
}

TEST(Catalogue, CodesAreUniqueAndDocumented) {
    std::set<std::string> seen;
    for (const auto& c : catalogue::catalogue()) {
        EXPECT_TRUE(seen.insert(c.code).second) << "duplicate code " << c.code;
        EXPECT_GT(std::string(c.explain).size(), 40u) << c.code << " needs a real explanation";
    }
}
