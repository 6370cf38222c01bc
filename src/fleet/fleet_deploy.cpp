#include "fleet/fleet_deploy.hpp"

namespace berth::fleet {

Work deploy_work(const std::vector<FleetHost>& hosts, const config::AppConfig& app,
                 const std::shared_future<deploy::Release>& release,
                 const facts::BinaryFacts& binary, const deploy::DeployOptions& options,
                 const deploy::EventSink& events) {
    Work w;
    w.deploy = [&hosts, &app, release, &binary, options, &events](std::size_t i) {
        return deploy::deploy_host(*hosts[i].transport, hosts[i].name, app, release, binary,
                                   options, events);
    };
    // The preflight is a dry run: upload (discarded), the gate, the plan; nothing changes.
    w.preflight = [&hosts, &app, release, &binary, options, &events](std::size_t i) {
        deploy::DeployOptions dry = options;
        dry.dry_run = true;
        return deploy::deploy_host(*hosts[i].transport, hosts[i].name, app, release, binary, dry,
                                   events);
    };
    w.still_healthy = [&hosts, &app](std::size_t i) {
        try {
            return deploy::host_status(*hosts[i].transport, hosts[i].name, app).healthy;
        } catch (const std::exception&) {
            return false; // unreachable is not healthy
        }
    };
    w.rollback = [&hosts, &app, &events](std::size_t i, const std::string& to) {
        return deploy::rollback_host(*hosts[i].transport, hosts[i].name, app, to, events);
    };
    return w;
}

} // namespace berth::fleet
