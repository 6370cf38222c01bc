#pragma once
// berth.yaml: the app as every command sees it. One model, one loader: `check`, `facts` and
// `unit generate` (and deploy) read the same keys with the same meaning, validated the same way.
// Every key, its type, default and the commands that use it are listed once, in
// config/config_keys.cpp, which also renders docs/config.md's table.
//
// Errors name FILE:LINE:COLUMN, say what is wrong, and for an unknown key the closest known one.
// Flags that override a key are checked by the same functions (their errors name the flag).
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::config {

struct ListenAddress {
    std::string address; // "" = every address
    int port = 0;
};

// "PORT", ":PORT", "HOST:PORT" or "[IPV6]:PORT" with a port 1..65535; nullopt otherwise.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// How a release proves healthy: an HTTP(S) GET whose status must be `expect`, or a TCP connect,
// made on the host itself, `passes` times in a row within `timeout`; and no restart of the
// service during `settle` after its start.
struct HealthSpec {
    enum class Kind { none, http, tcp };
    Kind kind = Kind::none;
    bool https = false;
    std::string host = "127.0.0.1"; // from a URL; else the listen address (any: 127.0.0.1)
    int port = 0;                   // 0 = the listen port
    std::string path = "/";
    int expect = 200;
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds timeout{30000};
    int passes = 3;
    std::chrono::milliseconds settle{5000};
};

// One batch of a rollout: a number of hosts, or a percentage of all selected hosts (rounded
// down, at least 1), as Ansible's `serial:`.
struct BatchSize {
    int count = 0;   // > 0: this many hosts
    int percent = 0; // > 0: this share of the hosts
    bool operator==(const BatchSize&) const = default;
};
// "2", "25%". nullopt for anything else (0, negative, over 100%, words).
std::optional<BatchSize> parse_batch_size(const std::string& text);

// How a deploy to several hosts proceeds (fleet/): batches, pauses, the failure budget.
struct RolloutSpec {
    std::vector<BatchSize> batches;     // the last one repeats; none = every host in one batch
    std::chrono::milliseconds pause{0}; // between batches
    // Between batches: wait this long, then every host of the batch must still be healthy
    // (one that is not is rolled back and counts as failed).
    std::chrono::milliseconds soak{0};
    int max_failures = -1;        // failed hosts the whole rollout tolerates; -1 = not set
    int max_fail_percentage = -1; // failed share of one batch tolerated; -1 = not set
    bool rollback_all = false;    // on_failure: rollback_all (else stop)
    int forks = 10;               // hosts worked on at once
    bool preflight = false;       // check every host first (the gate, nothing changed)
};

// A file deploy installs under the config directory.
struct ConfigFile {
    std::string src;   // on the machine running berth (relative: to berth.yaml's directory)
    std::string dest;  // absolute, under the config directory
    unsigned mode = 0; // 0 = 0640 with a service user (group: the user), else 0644
};

// A named group of berth.yaml's hosts (`hosts: {web: [...], db: [...]}`).
struct HostGroup {
    std::string name;
    std::vector<std::string> hosts;
};

struct AppConfig {
    std::string source; // the berth.yaml read; "" when none

    // Who and where. Paths default from the name: /opt/NAME, /etc/NAME, /var/log/NAME.
    std::string name; // "" = the binary's file name
    std::string description;
    std::string user; // service user; "" = DynamicUser (no fixed user to check)
    std::string install_dir;
    std::string config_dir;
    std::string log_dir;

    // What the service needs from a host.
    std::string listen_address; // "" = any
    int listen_port = 0;        // 0 = does not listen
    std::uint64_t nofile = 65536;
    std::uint64_t min_free_bytes = 1ull << 30; // in the install and log dirs
    std::int64_t min_somaxconn = 4096;

    // How it runs (the unit).
    std::string exec; // "" = INSTALL_DIR/current/bin/NAME
    std::vector<std::string> args;
    std::string working_directory;
    int shutdown_timeout = 0; // seconds the app needs to drain; 0 = 25
    int systemd_version = 0;  // the target's systemd; 0 = 252

    // Deploy: what is installed, and how it proves healthy.
    std::string binary;  // the program on this machine ("" = the command's BINARY argument)
    std::string version; // "" = from the build info (see deploy/release)
    // Variables for the service: a file here (uploaded) and pairs, installed together as
    // CONFIG_DIR/env, 0600 root, read by systemd (EnvironmentFile=).
    std::string environment_file;
    std::vector<std::pair<std::string, std::string>> environment;
    std::vector<ConfigFile> config_files;
    std::string unit_file; // the user's own unit (linted), instead of a generated one
    HealthSpec health;
    RolloutSpec rollout;
    int keep_releases = 5;
    bool create_user = true; // create `user` on the host when it is missing
    // Where: destinations "[user@]host[:port]", extra ssh -o options, sudo for a non-root login.
    // `hosts:` as groups of lists fills host_groups, and hosts with every host once, in order.
    std::vector<std::string> hosts;
    std::vector<HostGroup> host_groups;
    std::vector<std::string> ssh_options;
    bool sudo = false;
};

// CONFIG_DIR/env: where deploy installs the service's environment, when it has one.
std::string environment_path(const AppConfig& c);
bool has_environment(const AppConfig& c);

// Reads berth.yaml (a regular file, at most 1 MiB). Throws InputError naming FILE:LINE:COLUMN.
AppConfig load_app_config(const std::string& path);
AppConfig parse_app_config(const std::string& yaml_text, const std::string& path);

// The checks every value passes, from berth.yaml or a flag; `where` names the place for the
// error ("berth.yaml:3:7", "--user"). Each returns the value or throws InputError.
std::string checked_name(const std::string& value, const std::string& where);
std::string checked_user(const std::string& value, const std::string& where);
std::string checked_path(const std::string& value, const std::string& where);
ListenAddress checked_listen(const std::string& value, const std::string& where);

// Fills what depends on other keys: the name from the binary's file name when unset (checked
// like a written one), the directories under it, the ExecStart program.
void complete_app_config(AppConfig& config, const std::string& binary_path);

void to_json(nlohmann::json& j, const AppConfig& c);
// The inverse (check fixtures carry the config as JSON); a missing key keeps its default.
void from_json(const nlohmann::json& j, AppConfig& c);

// One row of docs/config.md per key.
struct ConfigKey {
    const char* key;
    const char* type;
    const char* default_value;
    const char* used_by; // the commands that read it
    const char* meaning;
};
const std::vector<ConfigKey>& config_keys();
// The keys as a Markdown table (docs/config.md holds it; a test keeps the two equal).
std::string config_keys_markdown();

} // namespace berth::config
