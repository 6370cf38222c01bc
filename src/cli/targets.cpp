#include "cli/targets.hpp"

#include "remote/transport.hpp"

namespace berth::cli {

void add_target_flags(CLI::App* cmd, TargetFlags& t) {
    cmd->add_option("--host", t.hosts,
                    "Where: [user@]host[:port], repeatable (default: berth.yaml's hosts, else "
                    "this machine)")
        ->type_name("DEST");
    cmd->add_option("--ssh-option", t.ssh_options,
                    "An OpenSSH option for every connection, Key=Value (repeatable)")
        ->type_name("KEY=VALUE");
    cmd->add_flag("--sudo", t.sudo, "Run berth on the host through `sudo -n`");
    cmd->add_flag("--json", t.json, "JSON lines: one per event, then one per host result");
}

std::vector<Target> targets(const TargetFlags& f, const config::AppConfig& app) {
    std::vector<std::string> hosts = f.hosts.empty() ? app.hosts : f.hosts;
    std::vector<Target> out;
    if (hosts.empty()) {
        out.push_back({"this machine", remote::local_transport()});
        return out;
    }
    remote::SshOptions o;
    o.options = app.ssh_options;
    o.options.insert(o.options.end(), f.ssh_options.begin(), f.ssh_options.end());
    o.sudo = app.sudo || f.sudo;
    for (const auto& h : hosts) {
        remote::Destination d = remote::parse_destination(h);
        out.push_back({d.text(), remote::ssh_transport(d, o)});
    }
    return out;
}

} // namespace berth::cli
