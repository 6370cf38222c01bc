#pragma once
// What the deploy tests share: berth run against a test bed host with the test bed's key and a
// private known_hosts and ssh control directory, berth.yaml written per deploy, the service's
// answer read over the bridge.
#include "e2e/testbed.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::e2e {

// A release of examples/hello built by e2e.service: v1, v2, v3, exit, unhealthy, crashloop,
// ignore-term.
std::string service_release(const std::string& name);

struct DeployEnv {
    const Testbed& tb;
    std::string host; // test bed host name
    std::string user = "root";
    test::TempDir dir;                   // berth.yaml, known_hosts, ssh control sockets
    std::string extra_yaml;              // appended to every berth.yaml
    std::vector<std::string> more_hosts; // test bed hosts deployed to as well (a fleet)
    // When set: `--inventory FILE` (and `--limit PATTERN` when given) instead of --host.
    std::string inventory, limit;

    DeployEnv(const Testbed& testbed, std::string host_name);
    std::string ip() const;
    // berth COMMAND ARGS --host USER@IP with the test bed's key; `env` entries "K=V" are set for
    // this berth only.
    test::CommandResult berth(const std::vector<std::string>& args,
                              const std::vector<std::string>& env = {}) const;
    // Writes berth.yaml for a release with this version (and extra_yaml).
    void config(const std::string& version, const std::string& more = "") const;
    std::string config_path() const { return dir.path + "/berth.yaml"; }
    // berth deploy RELEASE --config berth.yaml (version = the release's name, or `version`).
    test::CommandResult deploy(const std::string& release,
                               const std::vector<std::string>& args = {},
                               const std::vector<std::string>& env = {},
                               const std::string& version = "") const;
    // A command on the host as root.
    test::CommandResult on_host(const std::string& command) const;
};

// GET http://IP:8080/PATH from this machine (over the bridge); "" when nothing answers.
std::string http_get(const std::string& ip, const std::string& path);

// The JSON lines of `berth ... --json`: events and results.
std::vector<nlohmann::json> json_lines(const std::string& out);
// The last {"type":"result"} line.
nlohmann::json result_of(const std::string& out);

} // namespace berth::e2e
