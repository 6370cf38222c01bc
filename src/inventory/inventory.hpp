#pragma once
// The hosts of a fleet: an Ansible static inventory (INI or YAML file) or berth.yaml's `hosts:`,
// read into one model and resolved as Ansible resolves it: the same hosts, groups, variables
// (host > child group > parent group > all) and order, and `--limit` patterns with Ansible's
// meaning. The connection variables (ansible_host, _port, _user, _ssh_common_args,
// _ssh_extra_args, _ssh_private_key_file, _become) become each host's Destination, ssh -o options
// and sudo. Dynamic inventories (scripts, plugins), group_vars/ and host_vars/ directories are not
// read (docs/inventory.md).
//
// Errors: InputError naming FILE:LINE (YAML: FILE:LINE:COLUMN) and what is wrong; a pattern that
// matches nothing is one too.
#include "config/app_config.hpp"
#include "remote/transport.hpp"

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::inventory {

struct Host {
    std::string name; // the inventory's name for it (Ansible's inventory_hostname)
    // Address from ansible_host (else the name), user from ansible_user, port from ansible_port
    // ("" and 0: ssh's default, ssh_config applies).
    remote::Destination destination;
    // Every group it is in, sorted: "all", its groups and their ancestors; "ungrouped" when it is
    // in no other group.
    std::vector<std::string> groups;
    // "Key=Value" words for ssh -o: IdentityFile from ansible_ssh_private_key_file, then
    // ansible_ssh_common_args, then ansible_ssh_extra_args (-o, -J, -i, -p, -l are read).
    std::vector<std::string> ssh_options;
    bool become = false; // ansible_become: run through sudo
    // Its variables after precedence: a string as written, any other value (number, boolean,
    // null, list, mapping) as its JSON text ("2222", "true", "[1,2]").
    std::map<std::string, std::string> vars;
};

struct Group {
    std::string name;
    std::vector<std::string> hosts;          // its own members, in the order they were added
    std::vector<std::string> children;       // its child groups, in the order they were added
    std::map<std::string, std::string> vars; // its own, as Host::vars
    int depth = 0;    // the longest path from "all" (precedence: deeper wins)
    int priority = 1; // ansible_group_priority (precedence among groups of one depth)
};

struct Inventory {
    std::string source;      // the file read ("" when built from berth.yaml without one)
    std::vector<Host> hosts; // in Ansible's order (the order a play or `--list-hosts` uses)
    std::map<std::string, Group> groups; // with "all" and "ungrouped"
    // The order groups and hosts were first named in (Ansible's): `web[0]` subscripts count in it.
    std::vector<std::string> group_order;
    std::vector<std::string> host_order;
};

// Reads an inventory file: YAML for .yml, .yaml and .json, INI for any other extension; a file
// without one is YAML when it parses as a YAML mapping, else INI (as Ansible tries yaml, then
// ini). A regular file of at most 16 MiB, at most 100,000 hosts.
Inventory load_inventory(const std::string& path);
Inventory parse_ini_inventory(const std::string& text, const std::string& path);
Inventory parse_yaml_inventory(const std::string& text, const std::string& path);

// berth.yaml's hosts: a list (each host in "ungrouped") or groups of lists; each host's name is
// its entry as written ("deploy@web1:2222"), its ssh options and sudo those of berth.yaml.
Inventory inventory_from_config(const config::AppConfig& app);

// The hosts an Ansible pattern selects, in inventory order: a group or a host name, a glob
// (`web*`, `db-?`), `~regex` (anchored at the start, as Python's re.match), unions `a:b` / `a,b`,
// `&x` intersections, `!x` exclusions, `all` and `*`, subscripts `web[0]`, `web[1:3]`.
// Throws InputError when the pattern selects no host, or a part of it matches no host and no
// group (Ansible only warns there: a mistyped `!canaryy` would select too many hosts).
std::vector<Host> select_hosts(const Inventory& inventory, const std::string& pattern);

// The host of that name, nullptr when there is none.
const Host* find_host(const Inventory& inventory, const std::string& name);

// {"name", "address", "user" (null: ssh's default), "port" (null: ssh's default), "groups",
// "ssh_options", "become", "vars"}: one host of `berth hosts --json` (docs/inventory.md).
void to_json(nlohmann::json& j, const Host& host);

} // namespace berth::inventory
