#pragma once
// What a generated unit is made from: the app as berth.yaml describes it (config/), reduced to
// what the unit needs.
#include "config/app_config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace berth::unit {

struct UnitSpec {
    std::string name; // unit NAME.service
    std::string description;
    std::string user; // empty: DynamicUser=yes
    std::string exec; // the program, absolute
    std::vector<std::string> args;
    std::string environment_file;
    std::string working_directory;
    std::string log_dir;          // absolute; under /var/log it becomes LogsDirectory=
    int port = 0;                 // 0: the app does not listen
    std::uint64_t nofile = 65536; // LimitNOFILE=
    int shutdown_seconds = 25;    // the app's graceful-shutdown window
    int systemd_version = 252;
};

// The unit's view of a completed config (config::complete_app_config has filled the paths). Throws
// InputError for what cannot become a valid unit (an argument with a newline).
UnitSpec spec_from_config(const config::AppConfig& config);

} // namespace berth::unit
