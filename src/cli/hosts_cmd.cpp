// `berth hosts`: the hosts an inventory (or berth.yaml's hosts) and a --limit pattern select, as
// a rollout will see them: name, address, user, port, groups.
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/targets.hpp"
#include "inventory/inventory.hpp"
#include "report/hosts_text.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstdio>

namespace berth::cli {

namespace {

struct HostsOptions {
    std::string inventory;
    std::string limit;
    ConfigFlags config;
    bool json = false;
};

int run_hosts(const HostsOptions& opt) {
    inventory::Inventory inv;
    if (!opt.inventory.empty()) {
        inv = inventory::load_inventory(opt.inventory);
    } else {
        config::AppConfig app = load_config(opt.config);
        if (app.hosts.empty())
            throw InputError("no hosts: name an inventory (--inventory FILE) or set hosts: in "
                             "berth.yaml");
        inv = inventory::inventory_from_config(app);
    }
    std::vector<inventory::Host> hosts = limited_hosts(inv, opt.limit);
    if (opt.json) {
        nlohmann::json doc = {
            {"schema", "berth.hosts/1"},
            {"source", inv.source},
            {"limit", opt.limit.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.limit)},
            {"total", inv.hosts.size()},
            {"hosts", hosts}};
        std::printf("%s\n", json_text(doc).c_str());
    } else {
        std::fputs(report::hosts_text(hosts, inv.hosts.size()).c_str(), stdout);
    }
    return kExitOk;
}

} // namespace

void add_hosts(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<HostsOptions>();
    auto* cmd = app.add_subcommand(
        "hosts", "List the hosts an inventory and a --limit pattern select: name, address, user, "
                 "port, groups");
    cmd->add_option("-i,--inventory", opt->inventory,
                    "An Ansible inventory file, INI or YAML (default: berth.yaml's hosts)")
        ->type_name("FILE");
    cmd->add_option("-l,--limit", opt->limit,
                    "Only the hosts this Ansible pattern selects: group, host, web*, ~regex, "
                    "a:b, a,b, !x, &y")
        ->type_name("PATTERN");
    add_config_flags(cmd, opt->config, 0);
    cmd->add_flag("--json", opt->json,
                  "Print one JSON document (schema berth.hosts/1, docs/inventory.md)");
    cmd->footer("Examples:\n"
                "  berth hosts -i inventory.ini\n"
                "  berth hosts -i inventory.yml --limit 'web:&prod:!web03*'\n"
                "  berth hosts --config berth.yaml --limit canary --json\n\n"
                "Exit status: 0 hosts listed; 2 usage, a bad inventory or berth.yaml (FILE:LINE "
                "and why), or a pattern that selects no host.");
    cmd->callback([opt, &exit_status] { exit_status = run_hosts(*opt); });
}

} // namespace berth::cli
