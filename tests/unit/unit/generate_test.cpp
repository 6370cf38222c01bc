#include "unit/directives.hpp"
#include "unit/exposure.hpp"
#include "unit/generate.hpp"
#include "unit/lint.hpp"
#include "unit/spec.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth::unit;

namespace {

Generated gen(UnitSpec s) {
    validate_spec(s);
    return generate_unit(s);
}

} // namespace

TEST(UnitGenerate, HardenedDefaultsWithAComment) {
    UnitSpec s;
    s.name = "shop";
    s.port = 8080;
    s.args = {"--listen", ":8080", "100%", "a b"};
    Generated g = gen(s);
    EXPECT_EQ(g.unit_name, "shop.service");
    EXPECT_TRUE(g.omitted.empty());
    UnitFile f = parse_unit("shop.service", g.text);
    for (const auto& a : f.assignments) {
        // The physical line before every directive is its one-line reason.
        ASSERT_GE(a.line, 2);
        EXPECT_EQ(f.lines[a.line - 2].rfind("# ", 0), 0u) << a.key;
    }
    Unit u = make_unit(g.unit_name, {f});
    EXPECT_EQ(u.last("Service", "ExecStart")->value,
              "/opt/shop/current/bin/shop --listen :8080 100%% \"a b\"");
    EXPECT_EQ(u.last("Service", "Type")->value, "exec");
    EXPECT_EQ(u.last("Service", "CapabilityBoundingSet")->value, "");
    EXPECT_FALSE(u.last("Service", "AmbientCapabilities"));
    EXPECT_LE(assess_exposure(u).score_tenths, 20u);
    LintResult r = lint_unit(u, {});
    ASSERT_EQ(r.findings.size(), 1u); // only the score
    EXPECT_EQ(r.findings[0].code, "U314");
}

TEST(UnitGenerate, LowPortUsesAmbientCapabilityNotRoot) {
    UnitSpec s;
    s.name = "web";
    s.user = "web";
    s.port = 443;
    Unit u = make_unit("web.service", {parse_unit("web.service", gen(s).text)});
    EXPECT_EQ(u.last("Service", "AmbientCapabilities")->value, "CAP_NET_BIND_SERVICE");
    EXPECT_EQ(u.last("Service", "CapabilityBoundingSet")->value, "CAP_NET_BIND_SERVICE");
    EXPECT_EQ(u.last("Service", "User")->value, "web");
    EXPECT_FALSE(u.last("Service", "DynamicUser"));
    EXPECT_LE(assess_exposure(u).score_tenths, 20u);
}

TEST(UnitGenerate, OlderSystemdGetsNothingItLacks) {
    for (int version : {230, 239, 245}) {
        UnitSpec s;
        s.name = "old";
        s.systemd_version = version;
        Generated g = gen(s);
        EXPECT_FALSE(g.omitted.empty());
        Unit u = make_unit("old.service", {parse_unit("old.service", g.text)});
        for (const auto& a : u.assignments) {
            auto v = first_version(a.key, a.value);
            EXPECT_TRUE(!v || *v <= version) << a.key << "=" << a.value << " for " << version;
        }
        LintOptions o;
        o.systemd_version = version;
        for (const auto& f : lint_unit(u, o).findings) EXPECT_NE(f.code, "U303") << f.title;
    }
}

TEST(UnitSpecYaml, ReadsKeysAndNamesErrorPositions) {
    UnitSpec s = parse_spec("name: shop\nuser: shop\nargs: [--a, b]\nport: 80\n"
                            "shutdown_timeout: 10\nsystemd_version: 247\nother_stage: {x: 1}\n",
                            "berth.yaml");
    EXPECT_EQ(s.name, "shop");
    EXPECT_EQ(s.args.size(), 2u);
    EXPECT_EQ(s.port, 80);
    EXPECT_EQ(s.systemd_version, 247);
    try {
        parse_spec("name: shop\nport: eighty\n", "berth.yaml");
        FAIL() << "no error";
    } catch (const berth::InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("berth.yaml:2:7: 'port'", 0), 0u) << e.what();
    }
    try {
        parse_spec("name: [unclosed\n", "berth.yaml");
        FAIL() << "no error";
    } catch (const berth::InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("berth.yaml:", 0), 0u) << e.what();
    }
    UnitSpec bad;
    bad.name = "a/b";
    EXPECT_THROW(validate_spec(bad), berth::InputError);
}
