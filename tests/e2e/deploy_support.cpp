#include "e2e/deploy_support.hpp"

#include <gtest/gtest.h>
#include <sstream>

namespace berth::e2e {

std::string service_release(const std::string& name) {
    const char* env = std::getenv("BERTH_E2E_SERVICE");
    std::string dir = env ? env : BERTH_E2E_SERVICE_PATH;
    std::string path = dir + "/" + name;
    if (test::run({"test", "-x", path}).status != 0)
        ADD_FAILURE() << path << " is missing: the CTest fixture e2e.service builds it";
    return path;
}

DeployEnv::DeployEnv(const Testbed& testbed, std::string host_name)
    : tb(testbed), host(std::move(host_name)) {}

std::string DeployEnv::ip() const {
    return e2e::ip(tb, host);
}

test::CommandResult DeployEnv::berth(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env) const {
    // A private ssh control directory (XDG_RUNTIME_DIR): no master connection of an earlier
    // test's host (same address, another key) is reused.
    std::vector<std::string> argv = {"env", "XDG_RUNTIME_DIR=" + dir.path};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(test::berth_exe());
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* o :
         {"IdentityFile=", "UserKnownHostsFile=", "StrictHostKeyChecking=", "ConnectTimeout="}) {
        std::string opt = o;
        if (opt == "IdentityFile=") opt += tb.dir + "/id_ed25519";
        if (opt == "UserKnownHostsFile=") opt += dir.path + "/known_hosts";
        if (opt == "StrictHostKeyChecking=") opt += "accept-new";
        if (opt == "ConnectTimeout=") opt += "5";
        argv.push_back("--ssh-option");
        argv.push_back(opt);
    }
    if (!inventory.empty()) {
        argv.insert(argv.end(), {"--inventory", inventory});
        if (!limit.empty()) argv.insert(argv.end(), {"--limit", limit});
        return test::run(argv);
    }
    argv.push_back("--host");
    argv.push_back(user + "@" + ip());
    for (const auto& h : more_hosts) {
        argv.push_back("--host");
        argv.push_back(user + "@" + e2e::ip(tb, h));
    }
    return test::run(argv);
}

void DeployEnv::config(const std::string& version, const std::string& more) const {
    test::write_file(config_path(), "name: hello\n"
                                    "version: " +
                                        version +
                                        "\n"
                                        "listen: \":8080\"\n"
                                        "shutdown_timeout: 2\n"
                                        "health:\n"
                                        "  http: /healthz\n"
                                        "  interval: 200ms\n"
                                        "  passes: 2\n"
                                        "  settle: 1s\n"
                                        "  timeout: 10s\n" +
                                        extra_yaml + more);
}

test::CommandResult DeployEnv::deploy(const std::string& release,
                                      const std::vector<std::string>& args,
                                      const std::vector<std::string>& env,
                                      const std::string& version) const {
    config(version.empty() ? release : version);
    std::vector<std::string> a = {"deploy", service_release(release), "--config", config_path()};
    a.insert(a.end(), args.begin(), args.end());
    return berth(a, env);
}

test::CommandResult DeployEnv::on_host(const std::string& command) const {
    return ssh(tb, host, command);
}

std::string http_get(const std::string& ip, const std::string& path) {
    auto r = test::run({"curl", "-s", "--max-time", "3", "http://" + ip + ":8080" + path});
    return r.status == 0 ? r.out : "";
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

nlohmann::json result_of(const std::string& out) {
    nlohmann::json last;
    for (auto& j : json_lines(out))
        if (j.value("type", "") == "result") last = j;
    return last;
}

} // namespace berth::e2e
