// deploy's pure parts: release naming, the history journal, the protocol's lines, the plan and
// the verification verdicts, without a host.
#include "deploy/history.hpp"
#include "deploy/plan.hpp"
#include "deploy/protocol.hpp"
#include "deploy/release.hpp"
#include "deploy/verify.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

namespace berth::deploy {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

facts::BinaryFacts go_binary(const std::string& module_version, const std::string& revision,
                             bool modified) {
    facts::BinaryFacts f;
    f.go_evidence = {"build_info"};
    f.go_build_info = "present";
    gobuild::BuildInfo info;
    info.main.version = module_version;
    if (!revision.empty()) info.settings.push_back({"vcs.revision", revision});
    info.settings.push_back({"vcs.modified", modified ? "true" : "false"});
    f.go = info;
    return f;
}

TEST(DeployRelease, VersionFromBuildInfo) {
    EXPECT_EQ(version_from_build_info(go_binary("v1.4.2", "abc", false)), "v1.4.2");
    EXPECT_EQ(version_from_build_info(go_binary("(devel)", "3f2a9c1d0e8b7a6f5e4d", false)),
              "3f2a9c1d0e8b");
    EXPECT_EQ(version_from_build_info(go_binary("(devel)", "3f2a9c1d0e8b7a6f5e4d", true)),
              "3f2a9c1d0e8b-dirty");
    EXPECT_EQ(version_from_build_info(go_binary("", "", false)), "");
    EXPECT_EQ(version_from_build_info(go_binary("v1/../x y", "", false)), "v1_.._x_y");
    EXPECT_EQ(version_from_build_info(facts::BinaryFacts{}), "");
    EXPECT_TRUE(valid_release_id("v1.4.2-3f2a9c1d0e8b"));
    EXPECT_FALSE(valid_release_id("../etc"));
    EXPECT_FALSE(valid_release_id("a/b"));
    EXPECT_FALSE(valid_release_id("-x"));
    EXPECT_FALSE(valid_release_id(""));
}

HistoryEntry end(std::uint64_t seq, const std::string& release, const std::string& result) {
    HistoryEntry e;
    e.seq = seq;
    e.event = "deploy";
    e.phase = "end";
    e.release = release;
    e.result = result;
    return e;
}

TEST(DeployHistory, PreviousGoodComesFromTheSequence) {
    History h;
    h.entries = {end(1, "a", "success"), end(2, "b", "success"), end(3, "c", "failed")};
    EXPECT_EQ(previous_good(h, "c"), "b");
    EXPECT_EQ(previous_good(h, "b"), "a");
    EXPECT_EQ(previous_good(History{}, "a"), "");
    EXPECT_TRUE(last_success(h, "a").has_value());
    EXPECT_FALSE(last_success(h, "c").has_value());
    EXPECT_FALSE(interrupted(h));
    HistoryEntry start = end(4, "d", "");
    start.phase = "start";
    h.entries.push_back(start);
    ASSERT_TRUE(interrupted(h));
    EXPECT_EQ(interrupted(h)->release, "d");
}

TEST(DeployHistory, ParsesLinesAndSkipsATornOne) {
    std::string text;
    for (const auto& e : {end(1, "a", "success"), end(2, "b", "success")})
        text += json(e).dump() + "\n";
    text += "{\"seq\": 3, \"event\": \"dep"; // cut by a crash mid-write
    History h = parse_history(text);
    ASSERT_EQ(h.entries.size(), 2u);
    EXPECT_EQ(h.damaged_lines, 1);
    EXPECT_EQ(h.entries[1].release, "b");
    EXPECT_EQ(json(h.entries[0]).get<HistoryEntry>().seq, 1u);
}

TEST(DeployHistory, PruningKeepsGoodReleasesBeforeFailedOnes) {
    History h;
    h.entries = {end(1, "a", "success"), end(2, "b", "success"), end(3, "x", "failed"),
                 end(4, "c", "success"), end(5, "y", "failed"),  end(6, "d", "success")};
    std::vector<std::string> all = {"a", "b", "c", "d", "x", "y"};
    // Keep 4 of 6: the failed ones go first.
    EXPECT_EQ(releases_to_prune(h, all, {"d", "c"}, 4), (std::vector<std::string>{"y", "x"}));
    // Keep 2: then the oldest good ones, never the protected.
    EXPECT_EQ(releases_to_prune(h, all, {"d", "a"}, 2),
              (std::vector<std::string>{"c", "b", "y", "x"}));
    EXPECT_TRUE(releases_to_prune(h, all, {}, 6).empty());
}

TEST(DeployProtocol, LinesRoundTripAndGarbageIsRefused) {
    Request r{"write", {{"path", "/etc/x y;$(id)"}}, 12};
    Request back = parse_request(request_line(r));
    EXPECT_EQ(back.op, "write");
    EXPECT_EQ(back.args["path"], "/etc/x y;$(id)");
    EXPECT_EQ(back.payload, 12u);
    EXPECT_THROW(parse_request("sh: 1: berth: not found"), InputError);
    EXPECT_THROW(parse_request("{\"args\": {}}"), InputError);
    EXPECT_THROW(parse_request("{\"op\": \"x\", \"payload\": -1}"), InputError);
    EXPECT_EQ(parse_reply(ok_line({{"a", 1}})).kind, Reply::Kind::ok);
    EXPECT_EQ(parse_reply(ok_line({{"a", 1}})).body["a"], 1);
    Reply err = parse_reply(error_line("no space left"));
    EXPECT_EQ(err.kind, Reply::Kind::error);
    EXPECT_EQ(err.error, "no space left");
    EXPECT_EQ(parse_reply(event_line({{"probe", 1}})).kind, Reply::Kind::event);
    EXPECT_THROW(parse_reply("[1,2]"), InputError);
    EXPECT_THROW(parse_reply("{\"result\": 1}"), InputError);
    Hello h{"0.1.0", "x86_64", 0, "web1", 42};
    auto again = parse_hello(hello_line(h));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->arch, "x86_64");
    EXPECT_FALSE(parse_hello("sudo: a password is required"));
}

// ---- The plan ----

struct PlanCase {
    config::AppConfig app;
    PlanInput in;
    PlanCase() {
        app.name = "shop";
        config::complete_app_config(app, "shop");
        in.app = &app;
        in.layout = layout_of(app);
        in.release.id = "v2-bbbbbbbbbbbb";
        in.release.version = "v2";
        in.files = {{"/etc/systemd/system/shop.service", "unit", "u1", 0644, "", "unit"}};
    }
    std::vector<std::string> kinds() {
        std::vector<std::string> out;
        for (const auto& s : make_plan(in).steps) out.push_back(step_name(s.kind));
        return out;
    }
};

TEST(DeployPlan, FirstDeployDoesEverything) {
    PlanCase c;
    Plan p = make_plan(c.in);
    EXPECT_TRUE(p.first_deploy);
    EXPECT_EQ(p.previous, "");
    EXPECT_EQ(c.kinds(), (std::vector<std::string>{"install", "write", "reload", "switch",
                                                   "restart", "verify", "record"}));
    EXPECT_EQ(p.steps[1].undo, "remove /etc/systemd/system/shop.service");
}

TEST(DeployPlan, NewVersionKeepsTheUnitAndGoesBackToThePrevious) {
    PlanCase c;
    c.in.state.current = "v1-aaaaaaaaaaaa";
    c.in.state.releases = {{"v1-aaaaaaaaaaaa", "v1", "a", "", 0}};
    c.in.state.files["/etc/systemd/system/shop.service"] = "u1";
    c.in.state.service.loaded = true;
    c.in.state.service.active_state = "active";
    c.in.state.history.entries = {end(1, "v1-aaaaaaaaaaaa", "success")};
    Plan p = make_plan(c.in);
    EXPECT_FALSE(p.first_deploy);
    EXPECT_EQ(p.previous, "v1-aaaaaaaaaaaa");
    EXPECT_EQ(c.kinds(),
              (std::vector<std::string>{"install", "switch", "restart", "verify", "record"}));
}

TEST(DeployPlan, IdenticalRedeployChangesNothing) {
    PlanCase c;
    c.in.state.current = "v2-bbbbbbbbbbbb";
    c.in.state.releases = {{"v2-bbbbbbbbbbbb", "v2", "b", "", 0}};
    c.in.state.files["/etc/systemd/system/shop.service"] = "u1";
    c.in.state.service.loaded = true;
    c.in.state.service.active_state = "active";
    c.in.state.history.entries = {end(1, "v2-bbbbbbbbbbbb", "success")};
    Plan p = make_plan(c.in);
    EXPECT_TRUE(p.identical);
    EXPECT_EQ(c.kinds(), (std::vector<std::string>{"probe"}));
    // The same release after an interrupted deploy, or a changed unit, is not identical.
    HistoryEntry cut = end(2, "v2-bbbbbbbbbbbb", "");
    cut.phase = "start";
    c.in.state.history.entries.push_back(cut);
    EXPECT_FALSE(make_plan(c.in).identical);
    c.in.state.history.entries.pop_back();
    c.in.state.files["/etc/systemd/system/shop.service"] = "u0";
    EXPECT_EQ(c.kinds(),
              (std::vector<std::string>{"write", "reload", "restart", "verify", "record"}));
}

TEST(DeployPlan, PrunesBeyondKeepAndCreatesAMissingUser) {
    PlanCase c;
    c.app.keep_releases = 2;
    c.app.user = "shop";
    c.in.state.user_exists = false;
    c.in.state.current = "v1-aaaaaaaaaaaa";
    c.in.state.releases = {{"v0-cccccccccccc", "v0", "c", "", 0},
                           {"v1-aaaaaaaaaaaa", "v1", "a", "", 0}};
    c.in.state.files["/etc/systemd/system/shop.service"] = "u1";
    c.in.state.service.loaded = true;
    EXPECT_EQ(c.kinds(), (std::vector<std::string>{"install", "user", "switch", "restart", "verify",
                                                   "record", "prune"}));
    c.app.create_user = false; // then the gate's H215 stops the deploy instead
    EXPECT_EQ(c.kinds(), (std::vector<std::string>{"install", "switch", "restart", "verify",
                                                   "record", "prune"}));
}

TEST(DeployPlan, EnvironmentTextQuotesValues) {
    config::AppConfig app;
    app.environment = {{"A", "plain"}, {"B", "with \"quotes\" $HOME and \\"}};
    EXPECT_EQ(environment_text(app), "# from berth.yaml's environment:\nA=\"plain\"\n"
                                     "B=\"with \\\"quotes\\\" \\$HOME and \\\\\"\n");
}

// ---- Verification verdicts ----

ServiceState state(const char* active, const char* sub, const char* inv, std::uint64_t restarts) {
    ServiceState s;
    s.active_state = active;
    s.sub_state = sub;
    s.invocation_id = inv;
    s.n_restarts = restarts;
    s.result = "success";
    return s;
}

TEST(DeployVerify, ACrashLoopFailsEvenWhenEachStartLooksFine) {
    VerifyProgress p;
    std::string why;
    EXPECT_EQ(judge_state(p, state("activating", "start", "", 0), 0ms, why), Verdict::wait);
    EXPECT_EQ(judge_state(p, state("active", "running", "inv1", 0), 100ms, why), Verdict::wait);
    // Later it is active again, but as another invocation with one more restart.
    EXPECT_EQ(judge_state(p, state("active", "running", "inv2", 1), 2500ms, why), Verdict::failed);
    EXPECT_EQ(p.failure, "crash_loop");
    EXPECT_NE(why.find("NRestarts 0 -> 1"), std::string::npos) << why;
}

TEST(DeployVerify, ExitAtStartAndHealth) {
    VerifyProgress p;
    std::string why;
    ServiceState dead = state("activating", "auto-restart", "", 0);
    dead.result = "exit-code";
    dead.exec_main_status = 3;
    EXPECT_EQ(judge_state(p, dead, 300ms, why), Verdict::failed);
    EXPECT_EQ(p.failure, "start");
    EXPECT_NE(why.find("exit status 3"), std::string::npos) << why;

    HealthCheck h;
    h.kind = HealthCheck::Kind::http;
    h.passes = 3;
    h.settle = 5000ms;
    h.timeout = 10000ms;
    VerifyProgress q;
    judge_state(q, state("active", "running", "i", 0), 0ms, why);
    q.in_a_row = 3;
    EXPECT_EQ(judge_health(q, h, 1000ms, why), Verdict::wait); // healthy, but settling
    EXPECT_EQ(judge_health(q, h, 5000ms, why), Verdict::healthy);
    q.in_a_row = 1;
    EXPECT_EQ(judge_health(q, h, 9900ms, why), Verdict::wait);
    EXPECT_EQ(judge_health(q, h, 10000ms, why), Verdict::failed); // the timeout bounds the answers
    EXPECT_EQ(q.failure, "unhealthy");
    // Settle 0 and one pass: the first healthy answer is enough.
    h.settle = 0ms;
    h.passes = 1;
    VerifyProgress r;
    judge_state(r, state("active", "running", "i", 0), 0ms, why);
    r.in_a_row = 1;
    EXPECT_EQ(judge_health(r, h, 10ms, why), Verdict::healthy);
}

} // namespace
} // namespace berth::deploy
