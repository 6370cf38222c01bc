#pragma once
// Where deploy, rollback, releases and status work: the hosts of --host, else of an Ansible
// inventory (--inventory), else berth.yaml's `hosts`, narrowed by --limit; with none, this
// machine. Each with its transport (the system OpenSSH client, or local).
#include "config/app_config.hpp"
#include "fleet/fleet_deploy.hpp"
#include "inventory/inventory.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace berth::cli {

struct TargetFlags {
    std::vector<std::string> hosts; // --host, else --inventory, else berth.yaml's hosts, else
                                    // this machine
    std::string inventory;          // --inventory FILE: an Ansible inventory (INI or YAML)
    std::string limit;              // --limit PATTERN over the inventory's or berth.yaml's hosts
    std::vector<std::string> ssh_options; // --ssh-option Key=Value
    bool sudo = false;
    bool json = false;
};

void add_target_flags(CLI::App* cmd, TargetFlags& t);

// The inventory's hosts a --limit pattern selects (all of them for ""); InputError names --limit.
std::vector<inventory::Host> limited_hosts(const inventory::Inventory& inv,
                                           const std::string& limit);

using Target = fleet::FleetHost;
// Throws InputError for a destination that is not one.
std::vector<Target> targets(const TargetFlags& f, const config::AppConfig& app);

} // namespace berth::cli
