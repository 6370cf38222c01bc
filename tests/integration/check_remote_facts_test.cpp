// The remote path: `berth facts --json --binary B --libraries` on the target, then
// `berth check B --facts F` here: the library rules judge what the target's loader found.
#include "test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using berth::test::berth_exe;
using berth::test::run;
using nlohmann::json;

namespace {

std::vector<std::string> codes(const std::string& check_json) {
    std::vector<std::string> out;
    const json doc = json::parse(check_json); // kept alive: the loop walks into it
    for (const auto& f : doc["results"][0]["findings"]) out.push_back(f["code"].get<std::string>());
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& code) {
    return std::find(v.begin(), v.end(), code) != v.end();
}

} // namespace

TEST(CheckRemoteFacts, FactsCarryTheLibrariesAndCheckJudgesThem) {
    berth::test::TempDir tmp;
    // Its dependency libdeep.so is findable only through its loader's RUNPATH: not found.
    std::string broken = berth::test::fixture("ldd/runpath/app");
    auto facts = run({berth_exe(), "facts", "--json", "--binary", broken, "--libraries"});
    ASSERT_EQ(facts.status, 0) << facts.err;
    json doc = json::parse(facts.out);
    ASSERT_TRUE(doc.contains("libraries"));
    EXPECT_TRUE(doc["libraries"]["resolved"]);
    EXPECT_EQ(doc["libraries"]["missing"], json::array({"libdeep.so"}));
    std::string facts_file = tmp.path + "/host.json";
    berth::test::write_file(facts_file, facts.out);

    auto check = run({berth_exe(), "check", "--json", broken, "--facts", facts_file});
    EXPECT_EQ(check.status, 1) << check.err;
    EXPECT_TRUE(has(codes(check.out), "B104")) << check.out.substr(0, 2000);

    // Without --libraries the facts carry none, and the library rules stay silent.
    auto bare = run({berth_exe(), "facts", "--json", "--binary", broken});
    ASSERT_EQ(bare.status, 0) << bare.err;
    EXPECT_FALSE(json::parse(bare.out).contains("libraries"));
    berth::test::write_file(facts_file, bare.out);
    auto silent = run({berth_exe(), "check", "--json", broken, "--facts", facts_file});
    EXPECT_FALSE(has(codes(silent.out), "B104"));

    // --libraries without --binary is a usage error.
    EXPECT_EQ(run({berth_exe(), "facts", "--libraries"}).status, 2);
}
