#include "unit/directives.hpp"
#include "unit/exposure.hpp"
#include "unit/generate.hpp"
#include "unit/lint.hpp"
#include "unit/spec.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth::unit;

namespace {

// A unit from berth.yaml's model, completed as the commands complete it.
Generated gen(berth::config::AppConfig c) {
    berth::config::complete_app_config(c, c.name);
    return generate_unit(spec_from_config(c));
}

} // namespace

TEST(UnitGenerate, HardenedDefaultsWithAComment) {
    berth::config::AppConfig s;
    s.name = "shop";
    s.listen_port = 8080;
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
    berth::config::AppConfig s;
    s.name = "web";
    s.user = "web";
    s.listen_port = 443;
    Unit u = make_unit("web.service", {parse_unit("web.service", gen(s).text)});
    EXPECT_EQ(u.last("Service", "AmbientCapabilities")->value, "CAP_NET_BIND_SERVICE");
    EXPECT_EQ(u.last("Service", "CapabilityBoundingSet")->value, "CAP_NET_BIND_SERVICE");
    EXPECT_EQ(u.last("Service", "User")->value, "web");
    EXPECT_FALSE(u.last("Service", "DynamicUser"));
    EXPECT_LE(assess_exposure(u).score_tenths, 20u);
}

TEST(UnitGenerate, OlderSystemdGetsNothingItLacks) {
    for (int version : {230, 239, 245}) {
        berth::config::AppConfig s;
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

TEST(UnitGenerate, FollowsTheConfigsPathsAndLimits) {
    berth::config::AppConfig s;
    s.name = "shop";
    s.install_dir = "/srv/shop";
    s.log_dir = "/var/log/shop/app";
    s.nofile = 200000;
    Unit u = make_unit("shop.service", {parse_unit("shop.service", gen(s).text)});
    EXPECT_EQ(u.last("Service", "ExecStart")->value, "/srv/shop/current/bin/shop");
    EXPECT_EQ(u.last("Service", "LogsDirectory")->value, "shop/app");
    EXPECT_EQ(u.last("Service", "LimitNOFILE")->value, "200000");
    s.log_dir = "/data/logs/shop";
    Unit elsewhere = make_unit("shop.service", {parse_unit("shop.service", gen(s).text)});
    EXPECT_FALSE(elsewhere.last("Service", "LogsDirectory"));
    EXPECT_EQ(elsewhere.last("Service", "ReadWritePaths")->value, "/data/logs/shop");
}
