// berth.yaml's hosts as an inventory: the same model, patterns and `berth hosts` as a file's.
#include "inventory/draft.hpp"
#include "inventory/inventory.hpp"
#include "util/error.hpp"

namespace berth::inventory {

Inventory inventory_from_config(const config::AppConfig& app) {
    const std::string file = app.source.empty() ? "berth.yaml" : app.source;
    Draft d(app.source);
    auto add = [&](const std::string& entry, const std::string& group) {
        const std::string where = file + ": hosts: " + (group == "ungrouped" ? "" : group + ": ");
        if (!d.host_index.count(entry)) {
            remote::Destination dest;
            try {
                dest = remote::parse_destination(entry);
            } catch (const InputError& e) {
                throw InputError(where + e.what());
            }
            d.add_host(entry, group, std::nullopt, where);
            DraftHost& h = d.host(entry);
            h.destination = dest;
            h.ssh_options = app.ssh_options;
            h.become = app.sudo;
        } else {
            d.add_host(entry, group, std::nullopt, where);
        }
    };
    if (app.host_groups.empty()) {
        for (const auto& entry : app.hosts) add(entry, "ungrouped");
    } else {
        for (const auto& g : app.host_groups) {
            d.add_group(g.name, file);
            for (const auto& entry : g.hosts) add(entry, g.name);
        }
    }
    return resolve(std::move(d));
}

} // namespace berth::inventory
