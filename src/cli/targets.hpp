#pragma once
// Where deploy, rollback, releases and status work: the hosts of --host, else berth.yaml's
// `hosts`, else this machine; each with its transport (the system OpenSSH client, or local).
#include "config/app_config.hpp"
#include "fleet/fleet_deploy.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace berth::cli {

struct TargetFlags {
    std::vector<std::string> hosts;       // --host, else berth.yaml's hosts, else this machine
    std::vector<std::string> ssh_options; // --ssh-option Key=Value
    bool sudo = false;
    bool json = false;
};

void add_target_flags(CLI::App* cmd, TargetFlags& t);

using Target = fleet::FleetHost;
// Throws InputError for a destination that is not one.
std::vector<Target> targets(const TargetFlags& f, const config::AppConfig& app);

} // namespace berth::cli
