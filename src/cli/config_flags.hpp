#pragma once
// The berth.yaml a command reads and the flags that override its keys, shared by check, facts
// and unit generate (and deploy): one model, checked the same way whichever way a value came.
#include "config/app_config.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace berth::cli {

struct ConfigFlags {
    std::string config; // --config FILE; "" = ./berth.yaml when it exists
    std::string name, description, user, install_dir, config_dir, log_dir, listen;
    std::string exec, working_directory;
    std::vector<std::string> args;
    int port = 0, shutdown_timeout = 0, systemd_version = 0;
};

// Which flags a command offers besides --config.
enum ConfigFlagSet : unsigned {
    kPlaceFlags = 1, // --name --user --install-dir --config-dir --log-dir --listen
    kUnitFlags = 2,  // --description --exec --arg --working-directory --port
                     // --shutdown-timeout --systemd-version
};

void add_config_flags(CLI::App* cmd, ConfigFlags& flags, unsigned sets);

// berth.yaml (the one named, or ./berth.yaml when it exists, or none) with the flags applied.
// Not completed: the caller knows the binary the defaults come from.
config::AppConfig load_config(const ConfigFlags& flags);

} // namespace berth::cli
