// The rollout scheduler against a simulated fleet: each host is a function with a latency and a
// fate (deploys, fails, cannot roll back). Checks batch order, the budget arithmetic, that no
// more than `forks` hosts are worked on at once, and that memory per host stays flat up to
// thousands of hosts.
#include "fleet/batches.hpp"
#include "fleet/rollout.hpp"

#include <gtest/gtest.h>
#include <malloc.h>
#include <mutex>
#include <set>
#include <thread>

namespace berth::fleet {
namespace {

using std::chrono::microseconds;

std::vector<std::size_t> sizes_of(const std::vector<std::vector<std::size_t>>& batches) {
    std::vector<std::size_t> out;
    for (const auto& b : batches) out.push_back(b.size());
    return out;
}

std::vector<config::BatchSize> sizes(std::initializer_list<const char*> texts) {
    std::vector<config::BatchSize> out;
    for (const char* t : texts) out.push_back(*config::parse_batch_size(t));
    return out;
}

TEST(RolloutBatches, AsAnsiblesSerial) {
    EXPECT_EQ(sizes_of(make_batches(10, {})), (std::vector<std::size_t>{10}));
    EXPECT_EQ(sizes_of(make_batches(10, sizes({"2"}))), (std::vector<std::size_t>{2, 2, 2, 2, 2}));
    EXPECT_EQ(sizes_of(make_batches(10, sizes({"1", "25%"}))),
              (std::vector<std::size_t>{1, 2, 2, 2, 2, 1}));
    EXPECT_EQ(sizes_of(make_batches(1000, sizes({"1", "5", "25%"}))),
              (std::vector<std::size_t>{1, 5, 250, 250, 250, 244}));
    // A percentage rounds down but is never 0; a batch larger than what is left is cut.
    EXPECT_EQ(sizes_of(make_batches(3, sizes({"10%"}))), (std::vector<std::size_t>{1, 1, 1}));
    EXPECT_EQ(sizes_of(make_batches(3, sizes({"5"}))), (std::vector<std::size_t>{3}));
    EXPECT_TRUE(make_batches(0, sizes({"5"})).empty());
    auto b = make_batches(7, sizes({"3"}));
    std::vector<std::size_t> order;
    for (const auto& batch : b) order.insert(order.end(), batch.begin(), batch.end());
    EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(RolloutBatches, BatchSizesAreParsedStrictly) {
    EXPECT_EQ(config::parse_batch_size("25%")->percent, 25);
    EXPECT_EQ(config::parse_batch_size("3")->count, 3);
    for (const char* bad : {"", "0", "0%", "101%", "-1", "2.5", "x", "%", "1e3", " 2"})
        EXPECT_FALSE(config::parse_batch_size(bad)) << bad;
}

TEST(RolloutBudget, Arithmetic) {
    Budget none;
    EXPECT_FALSE(over_budget(none, 0, 0, 10));
    EXPECT_TRUE(over_budget(none, 1, 1, 10));
    Budget two{2, -1};
    EXPECT_FALSE(over_budget(two, 2, 1, 10));
    EXPECT_TRUE(over_budget(two, 3, 1, 10));
    Budget pct{-1, 20}; // more than 20% of a batch
    EXPECT_FALSE(over_budget(pct, 5, 2, 10));
    EXPECT_TRUE(over_budget(pct, 5, 3, 10));
    EXPECT_FALSE(over_budget(pct, 1, 1, 5)); // exactly 20%
    Budget zero_pct{-1, 0};
    EXPECT_TRUE(over_budget(zero_pct, 1, 1, 100));
    Budget both{10, 50};
    EXPECT_TRUE(over_budget(both, 11, 1, 10));
    EXPECT_TRUE(over_budget(both, 6, 6, 10));
    EXPECT_FALSE(over_budget(both, 10, 5, 10));
}

// A fleet of simulated hosts: each deploy takes `latency`; hosts in `failing` fail (rolled back
// by their own deploy), hosts in `unrollable` cannot be returned by --rollback-all.
struct SimFleet {
    std::size_t n = 0;
    microseconds latency{200};
    std::set<std::size_t> failing, failing_preflight, unhealthy_after_soak, unrollable;

    std::mutex m;
    int in_flight = 0, max_in_flight = 0;
    std::vector<int> started_seq, ended_seq; // per host: when it started and ended
    int seq = 0;
    std::vector<std::size_t> deployed, rolled_back, preflighted;

    explicit SimFleet(std::size_t hosts) : n(hosts), started_seq(hosts, -1), ended_seq(hosts, -1) {}

    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n; ++i) out.push_back("web" + std::to_string(i));
        return out;
    }

    deploy::HostResult visit(std::size_t i, deploy::Outcome ok_outcome, bool fails,
                             std::vector<std::size_t>& log) {
        {
            std::lock_guard l(m);
            started_seq[i] = seq++;
            max_in_flight = std::max(max_in_flight, ++in_flight);
            log.push_back(i);
        }
        std::this_thread::sleep_for(latency);
        deploy::HostResult r;
        r.host = "web" + std::to_string(i);
        r.from = "r1";
        r.release = fails ? "r1" : "r2";
        r.outcome = fails ? deploy::Outcome::rolled_back : ok_outcome;
        if (fails) r.reason = "simulated failure";
        std::lock_guard l(m);
        --in_flight;
        ended_seq[i] = seq++;
        return r;
    }

    Work work() {
        Work w;
        w.deploy = [this](std::size_t i) {
            return visit(i, deploy::Outcome::deployed, failing.count(i) > 0, deployed);
        };
        w.preflight = [this](std::size_t i) {
            auto r =
                visit(i, deploy::Outcome::planned, failing_preflight.count(i) > 0, preflighted);
            if (failing_preflight.count(i)) r.outcome = deploy::Outcome::stopped;
            return r;
        };
        w.still_healthy = [this](std::size_t i) { return unhealthy_after_soak.count(i) == 0; };
        w.rollback = [this](std::size_t i, const std::string& to) {
            std::lock_guard l(m);
            rolled_back.push_back(i);
            deploy::HostResult r;
            r.host = "web" + std::to_string(i);
            r.action = "rollback";
            r.release = to;
            r.outcome = unrollable.count(i) ? deploy::Outcome::unsafe : deploy::Outcome::deployed;
            return r;
        };
        return w;
    }
};

int count_end(const RolloutResult& r, HostEnd e) {
    int n = 0;
    for (const auto& h : r.hosts) n += h.end == e;
    return n;
}

TEST(Rollout, AThousandHostsInOrderNeverMoreThanForksAtOnce) {
    SimFleet sim(1000);
    RolloutOptions o;
    o.batches = sizes({"1", "10%"});
    o.forks = 20;
    std::vector<int> batch_events;
    int events = 0;
    RolloutEvent last;
    int last_left = 1000;
    auto r = run_rollout(sim.names(), o, sim.work(), [&](const RolloutEvent& e) {
        ++events;
        if (e.kind == RolloutEvent::Kind::batch_start) batch_events.push_back(e.batch);
        EXPECT_LE(e.left, last_left); // the count only goes down
        last_left = e.left;
        last = e;
    });
    EXPECT_EQ(last.kind, RolloutEvent::Kind::done);
    EXPECT_EQ(last.left, 0);
    EXPECT_EQ(last.done, 1000);
    EXPECT_TRUE(r.completed) << r.stop_reason;
    EXPECT_EQ(rollout_exit_status(r), 0);
    EXPECT_EQ(count_end(r, HostEnd::ok), 1000);
    EXPECT_EQ(sim.deployed.size(), 1000u);
    EXPECT_LE(sim.max_in_flight, 20);
    EXPECT_GE(sim.max_in_flight, 4);  // it did run in parallel
    ASSERT_EQ(r.batches.size(), 11u); // 1, then 100 x 9, then 99
    EXPECT_EQ(batch_events, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    // Every host of a batch starts after every host of the batch before it ended.
    for (std::size_t b = 1; b < r.batches.size(); ++b) {
        int last_end = -1, first_start = INT32_MAX;
        for (std::size_t i : r.batches[b - 1]) last_end = std::max(last_end, sim.ended_seq[i]);
        for (std::size_t i : r.batches[b]) first_start = std::min(first_start, sim.started_seq[i]);
        EXPECT_LT(last_end, first_start) << "batch " << b;
    }
    EXPECT_EQ(events, 1 + 11 + 2000); // done, batch starts, a start and an end per host
}

TEST(Rollout, StopsWhenTheBudgetIsSpentAndSkipsTheRest) {
    SimFleet sim(1000);
    sim.failing = {5, 17, 300};
    RolloutOptions o;
    o.batches = sizes({"100"});
    o.forks = 1; // in order: the stop point is exact
    o.budget.max_failures = 2;
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_FALSE(r.completed);
    EXPECT_EQ(rollout_exit_status(r), 1);
    EXPECT_NE(r.stop_reason.find("over the failure budget (max_failures 2)"), std::string::npos)
        << r.stop_reason;
    // Hosts 0..300 ran (the third failure is host 300, in batch 4); none after it started.
    EXPECT_EQ(sim.deployed.size(), 301u);
    EXPECT_EQ(count_end(r, HostEnd::failed), 3);
    EXPECT_EQ(count_end(r, HostEnd::ok), 298);
    EXPECT_EQ(count_end(r, HostEnd::skipped), 699);
    EXPECT_TRUE(sim.rolled_back.empty()); // on_failure: stop
}

TEST(Rollout, APercentageBudgetIsPerBatch) {
    SimFleet sim(40);
    // The failures close batch 3, so every host of it has started when the budget is spent:
    // with more forks, which of its hosts have started by then depends on the thread timing
    // (a rollout over budget starts no more hosts), and a slow machine (qemu) saw 12 skipped.
    sim.failing = {12, 27, 28, 29};
    RolloutOptions o;
    o.batches = sizes({"10"});
    o.forks = 1;
    o.budget.max_fail_percentage = 20; // 2 of 10 pass, 3 do not
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_FALSE(r.completed);
    EXPECT_NE(r.stop_reason.find("3 of 10 hosts in batch 3 failed, 4 in all"), std::string::npos)
        << r.stop_reason;
    EXPECT_EQ(count_end(r, HostEnd::skipped), 10);
}

TEST(Rollout, AFailedCanaryStopsEverything) {
    SimFleet sim(50);
    for (std::size_t i = 0; i < 50; ++i) sim.failing.insert(i);
    RolloutOptions o;
    o.batches = sizes({"1", "50%"});
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_EQ(sim.deployed, (std::vector<std::size_t>{0}));
    EXPECT_EQ(r.hosts[0].end, HostEnd::failed);
    EXPECT_EQ(count_end(r, HostEnd::skipped), 49);
}

TEST(Rollout, RollbackAllReturnsEveryUpdatedHost) {
    SimFleet sim(12);
    sim.failing = {9};
    sim.unrollable = {4};
    RolloutOptions o;
    o.batches = sizes({"4"});
    o.forks = 1; // in order: 9 fails, 10 and 11 never start
    o.rollback_all = true;
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_FALSE(r.completed);
    // Batches 0 and 1 and host 8 of batch 2 were updated: all go back.
    std::set<std::size_t> back(sim.rolled_back.begin(), sim.rolled_back.end());
    EXPECT_EQ(back, (std::set<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(count_end(r, HostEnd::rolled_back), 8);
    EXPECT_EQ(count_end(r, HostEnd::skipped), 2);
    EXPECT_EQ(r.hosts[4].end, HostEnd::unsafe);
    EXPECT_EQ(r.hosts[9].end, HostEnd::failed);
    ASSERT_TRUE(r.hosts[0].rollback);
    EXPECT_EQ(r.hosts[0].rollback->release, "r1");
    EXPECT_EQ(rollout_exit_status(r), 3);
}

TEST(Rollout, APreflightFailureChangesNothing) {
    SimFleet sim(30);
    sim.failing_preflight = {17};
    RolloutOptions o;
    o.preflight = true;
    o.forks = 8;
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_EQ(sim.preflighted.size(), 30u);
    EXPECT_TRUE(sim.deployed.empty());
    EXPECT_EQ(r.hosts[17].end, HostEnd::failed);
    EXPECT_EQ(count_end(r, HostEnd::skipped), 29);
    EXPECT_NE(r.stop_reason.find("preflight failed on 1 of 30 hosts"), std::string::npos);
    EXPECT_EQ(rollout_exit_status(r), 1);
}

TEST(Rollout, AHostUnhealthyAfterTheSoakIsRolledBackAndCounts) {
    SimFleet sim(6);
    sim.unhealthy_after_soak = {1};
    RolloutOptions o;
    o.batches = sizes({"3"});
    o.soak = std::chrono::milliseconds(50);
    o.budget.max_failures = 0;
    auto r = run_rollout(sim.names(), o, sim.work(), {});
    EXPECT_EQ(sim.rolled_back, (std::vector<std::size_t>{1}));
    EXPECT_EQ(r.hosts[1].end, HostEnd::failed);
    EXPECT_EQ(r.hosts[1].result.reason, "unhealthy after the soak");
    EXPECT_EQ(count_end(r, HostEnd::skipped), 3);
}

TEST(Rollout, NoHostStartsAfterAnInterrupt) {
    SimFleet sim(100);
    std::atomic<bool> interrupted{false};
    RolloutOptions o;
    o.forks = 1;
    o.interrupted = &interrupted;
    auto w = sim.work();
    auto inner = w.deploy;
    w.deploy = [&](std::size_t i) {
        if (i == 3) interrupted = true;
        return inner(i);
    };
    auto r = run_rollout(sim.names(), o, w, {});
    EXPECT_EQ(sim.deployed.size(), 4u);
    EXPECT_EQ(r.stop_reason, "interrupted (^C or SIGTERM)");
    EXPECT_EQ(count_end(r, HostEnd::skipped), 96);
}

// The heap the rollout holds per host, at 1,000 and at 8,000 hosts: flat.
TEST(Rollout, MemoryPerHostIsFlat) {
    auto heap_per_host = [](std::size_t n) {
        SimFleet sim(n);
        sim.latency = microseconds(0);
        auto names = sim.names();
        RolloutOptions o;
        o.batches = sizes({"10%"});
        o.forks = 16;
        std::size_t before = mallinfo2().uordblks;
        auto r = run_rollout(names, o, sim.work(), {});
        std::size_t after = mallinfo2().uordblks;
        EXPECT_TRUE(r.completed);
        return static_cast<double>(after - before) / static_cast<double>(n);
    };
    double small = heap_per_host(1000), large = heap_per_host(8000);
    EXPECT_LT(large, 2048) << "bytes per host";
    EXPECT_LT(large, small * 1.25 + 64) << small << " at 1,000 hosts, " << large << " at 8,000";
}

} // namespace
} // namespace berth::fleet
