#pragma once
// Where an app lives on a host (the seed's layout, made atomic):
//   INSTALL_DIR/releases/ID/bin/NAME   one immutable directory per release
//   INSTALL_DIR/current -> releases/ID switched with rename(2)
//   INSTALL_DIR/.berth/                lock, history.jsonl, tmp/ (same file system as releases)
//   CONFIG_DIR/env                     the service's environment, 0600 root
//   /etc/systemd/system/NAME.service   the unit
// and berth's own place on every host: /var/lib/berth/{bin/berth-SHA256,staging/SHA256}.
#include "config/app_config.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace berth::deploy {

inline constexpr const char* kBerthHome = "/var/lib/berth";

struct Layout {
    std::string name;
    std::string install_dir, releases, current, state, lock, history, tmp;
    std::string config_dir, env_file, log_dir;
    std::string unit_name, unit_path;

    std::string release_dir(const std::string& id) const { return releases + "/" + id; }
    std::string program(const std::string& id) const { return release_dir(id) + "/bin/" + name; }
};

// From a completed config (config::complete_app_config).
Layout layout_of(const config::AppConfig& config);

void to_json(nlohmann::json& j, const Layout& l);
void from_json(const nlohmann::json& j, Layout& l);

} // namespace berth::deploy
