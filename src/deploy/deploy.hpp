#pragma once
// Deploying a release to one host, and the commands that look at or move a host's releases
// (rollback, releases, status). The only place where deploy's effects are ordered: the plan
// (plan.hpp) says what, the host's berth (host_ops.cpp) does each step, this file sequences
// them, proves health and undoes its own failure.
//
//   connect  -> upload (only what is missing) -> gate (host facts judged by the check rules)
//   -> lock -> plan -> install, files, user, unit, switch, restart -> verify -> record, prune
//   failure after the switch: files and unit restored, current switched back, restarted,
//   verified again; the journal of this start is shown.
#include "config/app_config.hpp"
#include "deploy/release.hpp"
#include "facts/binary_facts.hpp"
#include "finding/finding.hpp"
#include "remote/transport.hpp"

#include <chrono>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::deploy {

// Progress, for a person (one line per step on a terminal) or a program (JSON lines).
struct Event {
    std::string host;
    std::string step;  // "connect", "upload", "gate", "lock", "install", "write", "switch", ...
    std::string phase; // "start", "progress", "done", "skip", "fail", "note"
    std::chrono::milliseconds elapsed{0}; // of the step, at done/fail
    std::string detail;
    nlohmann::json data = nlohmann::json::object();
};
void to_json(nlohmann::json& j, const Event& e);
using EventSink = std::function<void(const Event&)>;

// Who deploys, recorded in the lock and the history.
struct Deployer {
    std::string machine;
    std::string user;
};
Deployer this_deployer(); // from /proc/sys/kernel/hostname and /etc/passwd (no NSS)

struct DeployOptions {
    bool dry_run = false;
    std::vector<std::string> allow; // finding codes accepted at the gate
    // Verification overrides (the benchmark's settle 0 / passes 1); negative: berth.yaml's.
    int settle_ms = -1;
    int passes = -1;
};

enum class Outcome {
    deployed,    // the release runs, proven healthy
    unchanged,   // it already did: nothing changed
    planned,     // --dry-run
    stopped,     // at the gate, or by the lock: the host unchanged
    rolled_back, // it failed and the previous release runs again, proven healthy
    failed,      // it failed and there was nothing to go back to (first deploy): stopped
    unsafe,      // it failed and so did going back: a human must look (exit 3)
    error,       // the host could not be reached or answered nonsense before any change
};
const char* outcome_name(Outcome o);
int exit_status(Outcome o);

struct HostResult {
    std::string host;
    std::string action = "deploy"; // or "rollback"
    Outcome outcome = Outcome::error;
    std::string release;           // what the host runs now
    std::string from;              // what it ran before
    std::string reason;            // why not deployed
    std::vector<Finding> findings; // the gate's and deploy's own (D4xx)
    std::vector<NotJudged> not_judged;
    std::vector<std::string> journal; // the service's lines of the failed start
    std::vector<std::string> plan;    // --dry-run: every change it would make
    std::chrono::milliseconds took{0};
};
void to_json(nlohmann::json& j, const HostResult& r);

// Deploys `release` (of `binary` here) to the host behind `transport`.
HostResult deploy_host(remote::Transport& transport, const std::string& host_name,
                       const config::AppConfig& app, const std::shared_future<Release>& release,
                       const facts::BinaryFacts& binary, const DeployOptions& options,
                       const EventSink& events);

// Goes back to `to` ("" = the previous good release in the history), with the same
// verification.
HostResult rollback_host(remote::Transport& transport, const std::string& host_name,
                         const config::AppConfig& app, const std::string& to,
                         const EventSink& events);

// The releases on a host, newest first, with where each came from.
struct ReleaseRow {
    std::string id, version, sha256, deployed_at, machine, user, result;
    std::uint64_t size = 0;
    bool current = false;
};
std::vector<ReleaseRow> list_host_releases(remote::Transport& transport,
                                           const config::AppConfig& app);

// The service now.
struct HostStatus {
    std::string host;
    std::string current; // release
    std::string active_state, sub_state;
    std::uint64_t uptime_s = 0;
    std::uint64_t restarts = 0; // NRestarts since the last start
    std::string health;         // the probe's answer now ("" without a health check)
    bool healthy = false;
    std::string last_deploy; // "v1.3-… success at TIME by USER@MACHINE"
    std::string lock;        // who deploys right now, if anyone
};
void to_json(nlohmann::json& j, const HostStatus& s);
HostStatus host_status(remote::Transport& transport, const std::string& host_name,
                       const config::AppConfig& app);

// The health check of berth.yaml with its port and host resolved from the listen address.
nlohmann::json health_args(const config::AppConfig& app, const DeployOptions& options);

} // namespace berth::deploy
