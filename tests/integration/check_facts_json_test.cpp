// facts::BinaryFacts JSON round trip on real binaries: to_json, then from_json, then to_json again
// gives the same document, so facts written as JSON (tests/fixtures/facts/) mean what `inspect`
// means.
#include "facts/binary_facts.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace berth {
namespace {

void expect_round_trip(const std::string& path) {
    SCOPED_TRACE(path);
    facts::InspectOptions options;
    options.hash = true;
    facts::BinaryFacts original = facts::collect_binary_facts(path, options);
    nlohmann::json first = original;
    facts::BinaryFacts parsed = first.get<facts::BinaryFacts>();
    nlohmann::json second = parsed;
    EXPECT_EQ(first, second) << "differences: " << nlohmann::json::diff(first, second).dump();
    // The struct fields the rules read, compared directly.
    EXPECT_EQ(parsed.path, original.path);
    EXPECT_EQ(parsed.elf.identity.machine, original.elf.identity.machine);
    EXPECT_EQ(parsed.elf.linkage.kind, original.elf.linkage.kind);
    EXPECT_EQ(parsed.elf.linkage.interpreter, original.elf.linkage.interpreter);
    EXPECT_EQ(parsed.elf.linkage.needed, original.elf.linkage.needed);
    EXPECT_EQ(parsed.elf.versions.max_glibc, original.elf.versions.max_glibc);
    EXPECT_EQ(parsed.elf.versions.needs.size(), original.elf.versions.needs.size());
    EXPECT_EQ(parsed.elf.debug.stripped, original.elf.debug.stripped);
    EXPECT_EQ(parsed.elf.debug.sha256, original.elf.debug.sha256);
    EXPECT_EQ(parsed.is_go(), original.is_go());
    EXPECT_EQ(parsed.go_build_id, original.go_build_id);
    EXPECT_EQ(parsed.function_count, original.function_count);
    EXPECT_EQ(parsed.part_errors, original.part_errors);
    if (original.go) {
        ASSERT_TRUE(parsed.go);
        EXPECT_EQ(parsed.go->settings.size(), original.go->settings.size());
        for (const auto& s : original.go->settings) EXPECT_EQ(parsed.go_setting(s.key), s.value);
        EXPECT_EQ(parsed.go->deps.size(), original.go->deps.size());
    }
    EXPECT_EQ(parsed.program.has_value(), original.program.has_value());
    if (original.program && parsed.program) {
        EXPECT_EQ(parsed.program->signal_handling.present,
                  original.program->signal_handling.present);
        EXPECT_EQ(parsed.program->race.evidence, original.program->race.evidence);
    }
}

TEST(CheckFactsJson, UsrBinLsRoundTrips) {
    expect_round_trip("/usr/bin/ls");
}

TEST(CheckFactsJson, EveryGoFixtureRoundTrips) {
    std::istringstream manifest(test::read_file(test::fixture("go/manifest.txt")));
    std::string line;
    int count = 0;
    while (std::getline(manifest, line)) {
        if (line.empty()) continue;
        expect_round_trip(test::fixture("go/" + line.substr(0, line.find('\t'))));
        ++count;
    }
    EXPECT_GE(count, 20);
}

TEST(CheckFactsJson, ReplacedModulesRoundTrip) {
    facts::BinaryFacts facts =
        facts::collect_binary_facts(test::fixture("go/modules"), facts::InspectOptions{});
    ASSERT_TRUE(facts.go);
    facts::BinaryFacts parsed = nlohmann::json(facts).get<facts::BinaryFacts>();
    ASSERT_TRUE(parsed.go);
    int replaced = 0;
    for (const auto& d : parsed.go->deps)
        if (d.replace) ++replaced;
    EXPECT_GE(replaced, 1); // example.com/local => ../local, example.com/lib => v1.1.0
}

TEST(CheckFactsJson, MissingFieldIsAnError) {
    nlohmann::json j = facts::collect_binary_facts("/usr/bin/ls", facts::InspectOptions{});
    j["linkage"].erase("kind");
    EXPECT_THROW(j.get<facts::BinaryFacts>(), nlohmann::json::exception);
}

} // namespace
} // namespace berth
