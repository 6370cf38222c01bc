#pragma once
// The app's intent: what the service needs from a host (name, user, paths, listen address,
// limits). Read from berth.yaml, overridden by flags; defaults are the standard layout
// /opt/APP, /etc/APP, /var/log/APP.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace berth {

struct AppIntent {
    std::string name;             // "" = taken from the binary's file name
    std::string user;             // service user; "" = DynamicUser (no fixed user to check)
    std::string install_dir;      // default /opt/NAME
    std::string config_dir;       // default /etc/NAME
    std::string log_dir;          // default /var/log/NAME
    std::string listen_address;   // "" = any
    int listen_port = 0;          // 0 = does not listen
    std::uint64_t nofile = 65536; // file descriptors the service needs
    std::uint64_t min_free_bytes = 1ull << 30; // free space wanted in install and log dirs
    std::int64_t min_somaxconn = 4096;         // listen backlog a busy server wants
};

// Parses "HOST:PORT", ":PORT", "PORT" or "[V6]:PORT" into address and port. Throws InputError.
void parse_listen(const std::string& text, std::string& address, int& port);

// Reads the keys above from a berth.yaml file (other keys belong to other stages). Throws
// InputError naming file:line:column for a value of the wrong type.
AppIntent load_app_intent(const std::string& path);
AppIntent parse_app_intent(const std::string& yaml_text, const std::string& path);

// Fills the defaults that depend on the name (paths under /opt, /etc, /var/log).
void complete_app_intent(AppIntent& intent, const std::string& binary_path);

void to_json(nlohmann::json& j, const AppIntent& a);
// Keys as to_json writes them; a missing key keeps its default, a wrong type throws
// json::exception.
void from_json(const nlohmann::json& j, AppIntent& a);

} // namespace berth
