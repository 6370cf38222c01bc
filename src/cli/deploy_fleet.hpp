#pragma once
// `berth deploy` to several hosts: the rollout (fleet/) with its live board on a terminal, or
// JSON lines on a pipe and with --json, then the summary.
#include "cli/targets.hpp"
#include "deploy/deploy.hpp"
#include "deploy/release.hpp"
#include "fleet/rollout.hpp"

#include <future>
#include <vector>

namespace berth::cli {

// Rollout flags; unset ones (-1, empty) leave berth.yaml's `rollout:` values.
struct RolloutFlags {
    std::vector<std::string> batch;
    int forks = -1;
    int max_failures = -1;
    int max_fail_percentage = -1;
    bool rollback_all = false;
    int pause_ms = -1;
    int soak_ms = -1;
    std::string preflight; // "all" or "none"
};
void add_rollout_flags(CLI::App* cmd, RolloutFlags& f);
// berth.yaml's rollout with the flags applied. Throws InputError for a bad --batch.
fleet::RolloutOptions rollout_options(const config::RolloutSpec& spec, const RolloutFlags& f);

// The exit status: 0 every host runs the release, 1 a host failed or the rollout stopped, 3 a
// host could not roll back.
int deploy_fleet(const std::vector<Target>& hosts, const config::AppConfig& app,
                 const std::shared_future<deploy::Release>& release,
                 const facts::BinaryFacts& binary, const deploy::DeployOptions& options,
                 const fleet::RolloutOptions& rollout, bool json);

} // namespace berth::cli
