#pragma once
// The rollout's work over real hosts: each host's deploy, preflight, soak probe and rollback are
// the single-host commands of deploy/, over the host's own transport (one multiplexed ssh
// connection, reused by every step).
#include "deploy/deploy.hpp"
#include "deploy/release.hpp"
#include "fleet/rollout.hpp"
#include "remote/transport.hpp"

#include <future>
#include <memory>
#include <string>
#include <vector>

namespace berth::fleet {

struct FleetHost {
    std::string name;
    std::unique_ptr<remote::Transport> transport;
};

// `hosts`, `app`, `binary` and `events` must outlive the rollout; `events` is called from
// several threads at once and must be safe for that.
Work deploy_work(const std::vector<FleetHost>& hosts, const config::AppConfig& app,
                 const std::shared_future<deploy::Release>& release,
                 const facts::BinaryFacts& binary, const deploy::DeployOptions& options,
                 const deploy::EventSink& events);

} // namespace berth::fleet
