// docs/findings.md is generated from the catalogue (`berth explain --markdown > docs/findings.md`);
// this keeps the committed file in sync with the codes the rules register.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace {

TEST(CheckCatalogue, ExplainMarkdownEqualsDocsFindings) {
    auto r = berth::test::run({berth::test::berth_exe(), "explain", "--markdown"});
    ASSERT_EQ(r.status, 0) << r.err;
    std::string docs = berth::test::read_file(berth::test::source_dir() + "/docs/findings.md");
    ASSERT_FALSE(docs.empty()) << "docs/findings.md is missing";
    EXPECT_TRUE(r.out == docs)
        << "docs/findings.md is out of date: run `berth explain --markdown > docs/findings.md`";
}

TEST(CheckCatalogue, EveryCheckCodeIsExplained) {
    auto r = berth::test::run({berth::test::berth_exe(), "explain", "--markdown"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (int n = 101; n <= 116; ++n)
        EXPECT_NE(r.out.find("B" + std::to_string(n)), std::string::npos) << "B" << n;
    for (int n = 201; n <= 217; ++n)
        EXPECT_NE(r.out.find("H" + std::to_string(n)), std::string::npos) << "H" << n;
    for (const char* code : {"B101", "H217"}) {
        auto one = berth::test::run({berth::test::berth_exe(), "explain", code});
        EXPECT_EQ(one.status, 0) << code << ": " << one.err;
        EXPECT_NE(one.out.find(code), std::string::npos) << one.out;
    }
}

} // namespace
