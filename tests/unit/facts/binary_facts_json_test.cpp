// facts::BinaryFacts from JSON: facts written before berth had one notion of "is Go" (no "is_go",
// "go_evidence", "go_build_info") still read, with those derived from the parts they have.
#include "facts/binary_facts.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace berth {
namespace {

using nlohmann::json;

json healthy_binary() {
    std::string path = test::source_dir() + "/tests/fixtures/facts/healthy.json";
    return json::parse(test::read_file(path)).at("binary");
}

json without_go_marks(json j) {
    j.erase("is_go");
    j.erase("go_evidence");
    j.erase("go_build_info");
    return j;
}

TEST(BinaryFactsJson, OlderFactsDeriveTheGoEvidence) {
    json j = healthy_binary();
    facts::BinaryFacts full = j.get<facts::BinaryFacts>();
    facts::BinaryFacts old = without_go_marks(j).get<facts::BinaryFacts>();
    EXPECT_EQ(old.go_evidence, full.go_evidence);
    EXPECT_EQ(old.go_build_info, "present");
    EXPECT_TRUE(old.is_go());

    // A Go program known only by its function table: build info missing.
    json table_only = without_go_marks(j);
    table_only["go"] = nullptr;
    table_only["go_build_id"] = nullptr;
    facts::BinaryFacts t = table_only.get<facts::BinaryFacts>();
    EXPECT_EQ(t.go_evidence, std::vector<std::string>{"function_table"});
    EXPECT_EQ(t.go_build_info, "missing");
    EXPECT_EQ(t.go_setting("CGO_ENABLED"), "");

    json not_go = table_only;
    not_go["program"] = nullptr;
    facts::BinaryFacts n = not_go.get<facts::BinaryFacts>();
    EXPECT_FALSE(n.is_go());
    EXPECT_EQ(n.go_build_info, "");
    json again = n;
    EXPECT_EQ(again["is_go"], false);
    EXPECT_TRUE(again["go_build_info"].is_null());
}

// A path that is not UTF-8 goes through JSON text and back byte for byte (path_bytes).
TEST(BinaryFactsJson, NonUtf8PathRoundTrips) {
    facts::BinaryFacts f = healthy_binary().get<facts::BinaryFacts>();
    f.path = "/srv/h\xff\xfex";
    json j = f;
    EXPECT_TRUE(j.contains("path_bytes"));
    facts::BinaryFacts back = json::parse(j.dump(-1, ' ', false, json::error_handler_t::replace))
                                  .get<facts::BinaryFacts>();
    EXPECT_EQ(back.path, f.path);
}

} // namespace
} // namespace berth
