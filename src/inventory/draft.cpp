// Ansible's inventory model (ansible/inventory/data.py, group.py, host.py) and what a play sees of
// it: "all" holds every group without a parent, a host in no group is in "ungrouped", a group's
// depth is its longest path from "all", variables apply by (depth, priority, name) with the host's
// own last, and hosts come in the order "all" lists them (its own, then its children's level by
// level).
#include "inventory/draft.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <set>

namespace berth::inventory {

Draft::Draft(std::string source_path) : source(std::move(source_path)) {
    add_group("all", source);
    add_group("ungrouped", source);
    add_child("all", "ungrouped", source);
}

void Draft::add_group(const std::string& name, const std::string& where) {
    if (name.empty()) throw InputError(where + ": a group needs a name");
    if (has_group(name)) return;
    if (groups.size() >= kMaxGroups)
        throw InputError(where + ": more than " + std::to_string(kMaxGroups) + " groups");
    group_index.emplace(name, groups.size());
    groups.push_back(DraftGroup{name, {}, {}, {}, {}, {}, 1});
}

void Draft::add_host(const std::string& name, const std::string& group_name,
                     std::optional<long long> port, const std::string& where) {
    if (name.empty()) throw InputError(where + ": a host needs a name");
    if (!host_index.count(name)) {
        if (hosts.size() >= kMaxHosts)
            throw InputError(where + ": more than " + std::to_string(kMaxHosts) + " hosts");
        host_index.emplace(name, hosts.size());
        hosts.push_back(DraftHost{name, where, {}, {}, std::nullopt, {}, false});
        // Only a new host takes the port written with it (Ansible's Host()).
        if (port) set_host_var(name, "ansible_port", Value{*port, where});
    }
    DraftGroup& g = group(group_name);
    if (g.host_set.insert(name).second) {
        g.hosts.push_back(name);
        host(name).groups.push_back(group_name);
    }
}

void Draft::add_child(const std::string& parent, const std::string& child,
                      const std::string& where) {
    if (parent == child)
        throw InputError(where + ": group '" + child + "' cannot be a child of itself");
    DraftGroup& p = group(parent);
    if (std::find(p.children.begin(), p.children.end(), child) != p.children.end()) return;
    // The child must not be an ancestor of the parent already.
    std::vector<std::string> todo = {parent};
    std::set<std::string> seen;
    while (!todo.empty()) {
        std::string g = todo.back();
        todo.pop_back();
        if (!seen.insert(g).second) continue;
        if (g == child)
            throw InputError(where + ": adding group '" + child + "' as a child of '" + parent +
                             "' makes a loop");
        for (const auto& up : group(g).parents) todo.push_back(up);
    }
    p.children.push_back(child);
    group(child).parents.push_back(parent);
}

void Draft::set_group_var(const std::string& group_name, const std::string& key, Value value) {
    if (key == "ansible_group_priority") {
        const nlohmann::json& v = value.value;
        std::optional<long long> n;
        if (v.is_number_integer()) n = v.get<long long>();
        if (v.is_string()) {
            const std::string& t = v.get_ref<const std::string&>();
            std::size_t used = 0;
            try {
                n = std::stoll(t, &used);
            } catch (const std::exception&) {
            }
            if (used != t.size()) n.reset();
        }
        if (!n || *n < -1000000 || *n > 1000000)
            throw InputError(value.where + ": ansible_group_priority must be a whole number, not " +
                             value_text(v));
        group(group_name).priority = static_cast<int>(*n);
        return;
    }
    group(group_name).vars[key] = std::move(value);
}

void Draft::set_host_var(const std::string& host_name, const std::string& key, Value value) {
    host(host_name).vars[key] = std::move(value);
}

std::string value_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Every ancestor of a group and the group itself.
std::set<std::string> lineage(const Draft& d, const std::string& name) {
    std::set<std::string> out;
    std::vector<std::string> todo = {name};
    while (!todo.empty()) {
        std::string g = todo.back();
        todo.pop_back();
        if (!out.insert(g).second) continue;
        for (const auto& up : d.groups[d.group_index.at(g)].parents) todo.push_back(up);
    }
    return out;
}

std::set<std::string> host_groups(const Draft& d, const DraftHost& h) {
    std::set<std::string> out;
    for (const auto& g : h.groups) out.merge(lineage(d, g));
    return out;
}

// reconcile_inventory: parentless groups under "all"; "ungrouped" holds exactly the hosts in no
// other group.
void reconcile(Draft& d) {
    for (std::size_t i = 0; i < d.groups.size(); ++i)
        if (d.groups[i].name != "all" && d.groups[i].parents.empty())
            d.add_child("all", d.groups[i].name, d.source);
    DraftGroup& ungrouped = d.group("ungrouped");
    for (auto& h : d.hosts) {
        std::set<std::string> mine = host_groups(d, h);
        if (mine.count("ungrouped")) {
            mine.erase("all");
            mine.erase("ungrouped");
            if (mine.empty()) continue;
            ungrouped.host_set.erase(h.name);
            std::erase(h.groups, std::string("ungrouped"));
        } else if (mine.size() <= 1 && ungrouped.host_set.insert(h.name).second) {
            // in no group, or in "all" alone
            ungrouped.hosts.push_back(h.name);
            h.groups.push_back("ungrouped");
        }
    }
    std::erase_if(ungrouped.hosts,
                  [&](const std::string& h) { return !ungrouped.host_set.count(h); });
}

// Longest path from "all", along the children in topological order.
std::map<std::string, int> depths(const Draft& d) {
    std::map<std::string, std::size_t> waiting; // parents not yet placed
    for (const auto& g : d.groups) waiting[g.name] = g.parents.size();
    std::map<std::string, int> depth;
    std::vector<std::string> ready = {"all"};
    depth["all"] = 0;
    while (!ready.empty()) {
        std::string g = ready.back();
        ready.pop_back();
        for (const auto& c : d.groups[d.group_index.at(g)].children) {
            depth[c] = std::max(depth[c], depth[g] + 1);
            if (--waiting[c] == 0) ready.push_back(c);
        }
    }
    return depth;
}

} // namespace

std::vector<std::string> ordered_hosts(const std::map<std::string, Group>& groups,
                                       const std::string& name) {
    std::vector<std::string> out;
    std::set<std::string> seen_hosts, seen_groups = {name};
    std::vector<std::string> level = {name};
    while (!level.empty()) {
        for (const auto& g : level)
            for (const auto& h : groups.at(g).hosts)
                if (seen_hosts.insert(h).second) out.push_back(h);
        std::vector<std::string> next;
        for (const auto& g : level)
            for (const auto& c : groups.at(g).children)
                if (seen_groups.insert(c).second) next.push_back(c);
        level = std::move(next);
    }
    return out;
}

Inventory resolve(Draft d) {
    reconcile(d);
    std::map<std::string, int> depth = depths(d);
    Inventory inv;
    inv.source = d.source;
    for (const auto& g : d.groups) {
        Group out{g.name, g.hosts, g.children, {}, depth[g.name], g.priority};
        for (const auto& [k, v] : g.vars) out.vars[k] = value_text(v.value);
        inv.groups.emplace(g.name, std::move(out));
        inv.group_order.push_back(g.name);
    }
    for (const auto& h : d.hosts) inv.host_order.push_back(h.name);
    for (const auto& name : ordered_hosts(inv.groups, "all")) {
        const DraftHost& dh = d.hosts[d.host_index.at(name)];
        Host h;
        h.name = name;
        std::set<std::string> mine = host_groups(d, dh);
        h.groups.assign(mine.begin(), mine.end());
        // Precedence: groups by (depth, priority, name), later ones win; the host's own last.
        std::vector<const DraftGroup*> order;
        for (const auto& g : h.groups) order.push_back(&d.groups[d.group_index.at(g)]);
        std::sort(order.begin(), order.end(), [&](const DraftGroup* a, const DraftGroup* b) {
            return std::tie(depth[a->name], a->priority, a->name) <
                   std::tie(depth[b->name], b->priority, b->name);
        });
        Vars vars;
        for (const DraftGroup* g : order)
            for (const auto& [k, v] : g->vars) vars[k] = v;
        for (const auto& [k, v] : dh.vars) vars[k] = v;
        for (const auto& [k, v] : vars) h.vars[k] = value_text(v.value);
        if (dh.destination) {
            h.destination = *dh.destination;
            h.ssh_options = dh.ssh_options;
            h.become = dh.become;
        }
        apply_connection(h, vars, dh.where);
        inv.hosts.push_back(std::move(h));
    }
    return inv;
}

} // namespace berth::inventory
