#pragma once
// Inside inventory/: an inventory while it is read, as Ansible's InventoryData holds it (groups
// with parents and children, hosts with their own variables, every value with the place it was
// written), and its resolution into an Inventory: the implicit "all" and "ungrouped", depths,
// variable precedence, host order, connection variables.
#include "inventory/inventory.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace berth::inventory {

inline constexpr std::size_t kMaxHosts = 100000;
inline constexpr std::size_t kMaxGroups = 10000;
// Host names that ranges may make in one file, counting repeats (each is looked up).
inline constexpr std::size_t kMaxExpandedNames = 1000000;

struct Value {
    nlohmann::json value;
    std::string where; // "FILE:LINE" (YAML: "FILE:LINE:COLUMN")
};
using Vars = std::map<std::string, Value>;

struct DraftGroup {
    std::string name;
    std::vector<std::string> hosts;
    std::unordered_set<std::string> host_set; // the same, to look up
    std::vector<std::string> children;
    std::vector<std::string> parents;
    Vars vars;
    int priority = 1;
};

struct DraftHost {
    std::string name;
    std::string where;               // where it was first named
    std::vector<std::string> groups; // the groups it was added to itself
    Vars vars;
    std::optional<remote::Destination> destination; // given whole (berth.yaml's hosts)
    std::vector<std::string> ssh_options;           // given whole (berth.yaml's ssh)
    bool become = false;                            // given whole (berth.yaml's sudo)
};

struct Draft {
    std::string source;
    std::vector<DraftGroup> groups; // in the order named ("all", "ungrouped" first)
    std::vector<DraftHost> hosts;   // in the order named
    std::unordered_map<std::string, std::size_t> group_index, host_index;

    explicit Draft(std::string source_path);

    bool has_group(const std::string& name) const { return group_index.count(name) != 0; }
    DraftGroup& group(const std::string& name) { return groups[group_index.at(name)]; }
    DraftHost& host(const std::string& name) { return hosts[host_index.at(name)]; }

    // Each throws InputError prefixed with `where` (too many groups or hosts, an empty name, a
    // group made its own ancestor).
    void add_group(const std::string& name, const std::string& where);
    // Adds the host when new (with ansible_port = `port` when given), then to `group` (existing).
    void add_host(const std::string& name, const std::string& group, std::optional<long long> port,
                  const std::string& where);
    void add_child(const std::string& parent, const std::string& child, const std::string& where);
    // ansible_group_priority sets the priority (a whole number) instead of a variable.
    void set_group_var(const std::string& group, const std::string& key, Value value);
    void set_host_var(const std::string& host, const std::string& key, Value value);
};

// Ansible's reconcile_inventory, then the resolved Inventory.
Inventory resolve(Draft draft);

// Group._get_hosts: a group's own hosts, then its children's, level by level (Ansible walks a
// level as a set; berth in the children's order, which is Ansible's when that is deterministic).
std::vector<std::string> ordered_hosts(const std::map<std::string, Group>& groups,
                                       const std::string& name);

// A value as Host::vars holds it: a string as it is, anything else as JSON text.
std::string value_text(const nlohmann::json& value);

// The connection variables of a host's resolved variables, into its destination, ssh options and
// become. Throws InputError naming where the offending value was written.
void apply_connection(Host& host, const Vars& vars, const std::string& host_where);

} // namespace berth::inventory
