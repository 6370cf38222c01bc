#pragma once
// The plan of a deploy: from the app, the release and what the host has (HostState), the steps
// that change the host, each with what undoes it. Pure: `--dry-run` prints it, the executor
// (deploy/deploy.cpp) carries it out, and tests check it without a host.
#include "config/app_config.hpp"
#include "deploy/history.hpp"
#include "deploy/layout.hpp"
#include "deploy/release.hpp"
#include "deploy/systemd_ctl.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::deploy {

struct ReleaseOnHost {
    std::string id, version, sha256, installed;
    std::uint64_t size = 0;
};

// What the host's berth reports of the app (the "state" op).
struct HostState {
    std::string current; // release ID that `current` points to, "" when none
    std::vector<ReleaseOnHost> releases;
    History history;
    std::map<std::string, std::string> files; // path -> sha256 ("" when missing)
    bool user_exists = true;
    int systemd_version = 0; // 0: unknown
    ServiceState service;
    std::optional<nlohmann::json> lock; // who holds the deploy lock now, if anyone
};
// Throws InputError when the host's reply is not a state.
HostState host_state_from(const nlohmann::json& reply);

// A file deploy installs: its content here and its place there.
struct DesiredFile {
    std::string path;
    std::string content;
    std::string sha256;
    unsigned mode = 0644;
    std::string group; // "" = root
    std::string role;  // "unit", "environment", "config"
};

enum class StepKind {
    install,
    write_file,
    ensure_user,
    daemon_reload,
    switch_current,
    restart,
    verify,
    probe,
    record,
    prune
};
const char* step_name(StepKind k);

struct Step {
    StepKind kind;
    std::string what;         // "install release v1.3-3f2a9c1d0e8b", "write /etc/shop/env"
    std::string undo;         // "" when nothing needs undoing
    DesiredFile file;         // write_file
    bool was_missing = false; // write_file: the file did not exist (undo removes it)
};

struct Plan {
    std::vector<Step> steps;
    bool identical = false; // the release is current and healthy, nothing changes
    bool first_deploy = false;
    std::string previous;           // the release to go back to on failure ("" = none)
    std::vector<std::string> notes; // e.g. "the last deploy was interrupted"
};

struct PlanInput {
    const config::AppConfig* app = nullptr;
    Layout layout;
    Release release;
    HostState state;
    std::vector<DesiredFile> files; // unit, environment, config files
};

Plan make_plan(const PlanInput& in);

// The files a deploy installs, read and rendered here: the unit (generated for the host's
// systemd, or the user's own), CONFIG_DIR/env and the config files. Throws InputError.
std::vector<DesiredFile> desired_files(const config::AppConfig& app, int host_systemd_version);

// Where those files go (without reading or rendering them).
std::vector<std::string> desired_paths(const config::AppConfig& app);

// CONFIG_DIR/env's text: environment_file's lines, then each pair as NAME="value".
std::string environment_text(const config::AppConfig& app);

} // namespace berth::deploy
