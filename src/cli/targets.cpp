#include "cli/targets.hpp"

#include "inventory/inventory.hpp"
#include "remote/transport.hpp"
#include "util/error.hpp"

namespace berth::cli {

void add_target_flags(CLI::App* cmd, TargetFlags& t) {
    cmd->add_option("--host", t.hosts,
                    "Where: [user@]host[:port], repeatable (default: the inventory's or "
                    "berth.yaml's hosts, else this machine)")
        ->type_name("DEST");
    cmd->add_option("-i,--inventory", t.inventory,
                    "The hosts of an Ansible inventory file, INI or YAML (docs/inventory.md)")
        ->type_name("FILE");
    cmd->add_option("-l,--limit", t.limit,
                    "Only the hosts this Ansible pattern selects: group, host, web*, ~regex, "
                    "a:b, !x, &y (see berth hosts)")
        ->type_name("PATTERN");
    cmd->add_option("--ssh-option", t.ssh_options,
                    "An OpenSSH option for every connection, Key=Value (repeatable)")
        ->type_name("KEY=VALUE");
    cmd->add_flag("--sudo", t.sudo, "Run berth on the host through `sudo -n`");
    cmd->add_flag("--json", t.json, "JSON lines: one per event, then one per host result");
}

std::vector<inventory::Host> limited_hosts(const inventory::Inventory& inv,
                                           const std::string& limit) {
    if (limit.empty()) return inv.hosts;
    try {
        return inventory::select_hosts(inv, limit);
    } catch (const InputError& e) {
        throw InputError(std::string("--limit: ") + e.what());
    }
}

std::vector<Target> targets(const TargetFlags& f, const config::AppConfig& app) {
    if (!f.hosts.empty() && (!f.inventory.empty() || !f.limit.empty()))
        throw InputError("--host names the hosts itself: give it, or --inventory/--limit, not "
                         "both");
    std::vector<Target> out;
    // ssh keeps the first value of an option: the command line's win, then the inventory
    // host's own, then berth.yaml's.
    auto connect = [&](const remote::Destination& d, const std::vector<std::string>& own,
                       bool become, bool with_config_options) {
        remote::SshOptions o;
        o.options = f.ssh_options;
        o.options.insert(o.options.end(), own.begin(), own.end());
        if (with_config_options)
            o.options.insert(o.options.end(), app.ssh_options.begin(), app.ssh_options.end());
        o.sudo = app.sudo || f.sudo || become;
        return remote::ssh_transport(d, o);
    };
    if (!f.hosts.empty()) {
        for (const auto& h : f.hosts) {
            remote::Destination d = remote::parse_destination(h);
            out.push_back({d.text(), connect(d, {}, false, true)});
        }
        return out;
    }
    if (f.inventory.empty() && app.hosts.empty()) {
        if (!f.limit.empty())
            throw InputError("--limit " + f.limit +
                             ": no hosts to select from (--inventory FILE, or hosts: in "
                             "berth.yaml)");
        out.push_back({"this machine", remote::local_transport()});
        return out;
    }
    inventory::Inventory inv = f.inventory.empty() ? inventory::inventory_from_config(app)
                                                   : inventory::load_inventory(f.inventory);
    std::vector<inventory::Host> hosts = limited_hosts(inv, f.limit);
    // berth.yaml's own hosts carry its ssh options already; an inventory file's get them too.
    for (const auto& h : hosts)
        out.push_back(
            {h.name, connect(h.destination, h.ssh_options, h.become, !f.inventory.empty())});
    return out;
}

} // namespace berth::cli
