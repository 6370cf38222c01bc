#include "report/fleet_text.hpp"

#include <gtest/gtest.h>

namespace berth::report {
namespace {

fleet::RolloutResult sample() {
    fleet::RolloutResult r;
    r.batches = {{0}, {1, 2}};
    auto host = [](std::string name, int batch, fleet::HostEnd end, deploy::Outcome o,
                   std::string reason) {
        fleet::HostReport h;
        h.name = std::move(name);
        h.batch = batch;
        h.end = end;
        h.result.outcome = o;
        h.result.from = "v1-aaaaaaaaaaaa";
        h.result.release = end == fleet::HostEnd::ok ? "v2-bbbbbbbbbbbb" : "v1-aaaaaaaaaaaa";
        h.result.reason = std::move(reason);
        h.result.took = std::chrono::milliseconds(2300);
        return h;
    };
    r.hosts.push_back(host("web1", 0, fleet::HostEnd::ok, deploy::Outcome::deployed, ""));
    r.hosts.push_back(host("web2", 1, fleet::HostEnd::failed, deploy::Outcome::rolled_back,
                           "health check failed"));
    r.hosts.push_back(host("web3", 1, fleet::HostEnd::skipped, deploy::Outcome::error, ""));
    r.stop_reason = "1 of 2 hosts in batch 2 failed, 1 in all: over the failure budget";
    return r;
}

TEST(FleetText, SummaryHasEveryHostAndTheEnd) {
    std::string t = rollout_summary_text(sample(), false);
    EXPECT_NE(t.find("web1  1     v1-aaaaaaaaaaaa"), std::string::npos) << t;
    EXPECT_NE(t.find("v2-bbbbbbbbbbbb"), std::string::npos) << t;
    EXPECT_NE(t.find("failed"), std::string::npos);
    EXPECT_NE(t.find("health check failed"), std::string::npos);
    // A skipped host never ran: no from, no time.
    std::string web3 = t.substr(t.find("web3"));
    web3 = web3.substr(0, web3.find('\n'));
    EXPECT_EQ(web3.find("v1-"), std::string::npos) << web3;
    EXPECT_NE(t.find("rollout stopped after"), std::string::npos);
    EXPECT_NE(t.find("1 failed, 1 ok, 1 skipped"), std::string::npos) << t;
    EXPECT_EQ(t.find("\033["), std::string::npos); // no colour asked
    EXPECT_NE(rollout_summary_text(sample(), true).find("\033[31m"), std::string::npos);
}

TEST(FleetText, BoardShowsRunningHostsFirstAndTheCount) {
    Board b;
    std::vector<std::string> names = {"web1", "web2", "web3"};
    fleet::RolloutEvent e;
    e.kind = fleet::RolloutEvent::Kind::batch_start;
    e.batch = 1;
    board_on_rollout(b, e, names);
    for (std::size_t i = 0; i < 3; ++i) {
        e.kind = fleet::RolloutEvent::Kind::host_start;
        e.host = i;
        board_on_rollout(b, e, names);
    }
    deploy::Event step;
    step.host = "web2";
    step.step = "restart";
    step.phase = "start";
    board_on_step(b, step);
    fleet::RolloutResult r = sample();
    e.kind = fleet::RolloutEvent::Kind::host_end;
    e.host = 0;
    e.report = &r.hosts[0];
    e.done = 1;
    e.left = 2;
    board_on_rollout(b, e, names);
    std::string t = board_text(b, std::chrono::steady_clock::now(), 20, false);
    EXPECT_EQ(t.find("batch 2\n"), 0u) << t;
    EXPECT_LT(t.find("web2  restart"), t.find("web1  ok")) << t;
    EXPECT_NE(t.find("done 1 · failed 0 · left 2"), std::string::npos) << t;
    std::string capped = board_text(b, std::chrono::steady_clock::now(), 1, false);
    EXPECT_NE(capped.find("... and 2 more"), std::string::npos) << capped;
}

TEST(FleetText, DriftOnlyWhenHostsDisagree) {
    EXPECT_EQ(drift_text({{"a", "v1"}, {"b", "v1"}}), "");
    EXPECT_EQ(drift_text({{"a", "v1"}, {"b", "v2"}, {"c", ""}}),
              "drift: 3 releases across 3 hosts\n  (no release) on c\n  v1 on a\n  v2 on b\n");
}

} // namespace
} // namespace berth::report
