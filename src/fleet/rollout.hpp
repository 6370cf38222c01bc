#pragma once
// A rollout: the hosts in batches, each batch's hosts worked on in parallel (at most `forks`
// at once), the failure budget judged as hosts finish, and what happens when it is spent. What
// is done to one host is given as functions (`Work`): over ssh, berth deploy's single-host
// logic; in tests, a simulation. The scheduler itself never touches a host.
#include "config/app_config.hpp"
#include "deploy/deploy.hpp"
#include "fleet/batches.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace berth::fleet {

// What the rollout does to host i. Every function must return (with a result saying why, on
// failure) rather than throw, and must end by itself: its steps carry their own timeouts.
struct Work {
    std::function<deploy::HostResult(std::size_t)> deploy;
    // The gate alone (`--preflight all`): a result of outcome `planned` passes.
    std::function<deploy::HostResult(std::size_t)> preflight;
    // After `soak`: whether the host still runs the release healthy.
    std::function<bool(std::size_t)> still_healthy;
    // Back to release `to` (`--rollback-all`, or a host that failed its soak).
    std::function<deploy::HostResult(std::size_t, const std::string& to)> rollback;
};

struct RolloutOptions {
    std::vector<config::BatchSize> batches;
    Budget budget;
    int forks = 10;
    bool rollback_all = false;
    bool preflight = false;
    std::chrono::milliseconds pause{0};
    std::chrono::milliseconds soak{0};
    // Set by ^C: no host is started after it (the ones running stop and roll back by themselves).
    const std::atomic<bool>* interrupted = nullptr;
};

enum class HostEnd {
    waiting,     // not reached yet
    ok,          // deployed, or already current (dry run: planned)
    failed,      // stopped at its gate, rolled back, unreachable: counted against the budget
    unsafe,      // it failed and could not roll back: a human must look
    skipped,     // never started: the rollout stopped first
    rolled_back, // updated, then returned to its previous release by --rollback-all
};
const char* host_end_name(HostEnd e);

struct HostReport {
    std::string name;
    int batch = -1; // index of its batch
    HostEnd end = HostEnd::waiting;
    deploy::HostResult result;                  // of its deploy (or preflight, when that failed)
    std::optional<deploy::HostResult> rollback; // --rollback-all or a failed soak
};

struct RolloutEvent {
    enum class Kind {
        preflight,
        batch_start,
        host_start,
        host_end,
        soak,
        stop,
        rollback_all,
        done
    };
    Kind kind = Kind::done;
    int batch = -1;
    std::size_t host = 0;               // host_start, host_end
    std::string detail;                 // stop: why
    const HostReport* report = nullptr; // host_end: the host's report (valid during the call)
    int done = 0, failed = 0, left = 0;
};
const char* event_kind_name(RolloutEvent::Kind k);

struct RolloutResult {
    std::vector<HostReport> hosts;
    std::vector<std::vector<std::size_t>> batches;
    bool completed = false;  // every batch ran to its end
    std::string stop_reason; // why not
    std::chrono::milliseconds took{0};
};

// Events come from the worker threads, one at a time (the scheduler serialises them).
RolloutResult run_rollout(const std::vector<std::string>& names, const RolloutOptions& options,
                          const Work& work,
                          const std::function<void(const RolloutEvent&)>& on_event);

// 0: every host runs the release; 3: a host could not roll back; 1: anything else (a host
// failed, or the rollout stopped).
int rollout_exit_status(const RolloutResult& r);

} // namespace berth::fleet
