// Ansible's YAML inventory (ansible/plugins/inventory/yaml.py): a mapping of groups, each with
// `hosts` (host: its variables, ranges expanded), `children` (groups, the same way) and `vars`.
// Where Ansible warns and skips (a key it does not know, a group that is no mapping), berth stops
// with the place: a misspelt `host:` would otherwise drop hosts without a word.
#include "config/yaml_file.hpp"
#include "config/yaml_value.hpp"
#include "inventory/draft.hpp"
#include "inventory/host_range.hpp"
#include "inventory/inventory.hpp"
#include "inventory/yaml_json.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <set>

namespace berth::inventory {

namespace {

struct YamlReader {
    Draft& d;
    const std::string& path;
    // Values read, an alias counted each time it is used (a few lines of aliases can stand for
    // billions of values): as many as a file of this size can hold without them, and a million.
    std::size_t budget;
    std::size_t names_left = kMaxExpandedNames;
    int depth = 0;

    std::string where(const YAML::Node& n) const { return config::yaml_location(path, n); }
    [[noreturn]] void fail(const YAML::Node& n, const std::string& why) const {
        throw InputError(where(n) + ": " + why);
    }

    // A key that must be a string to Ansible (a plain 123 or true is not).
    std::string name_of(const YAML::Node& key, const char* what) {
        if (!key.IsScalar())
            fail(key, std::string(what) + " must be a name, not a list or mapping");
        nlohmann::json v =
            key.Tag() == "?" ? yaml11_scalar(key.Scalar()) : nlohmann::json(key.Scalar());
        if (!v.is_string())
            fail(key, std::string(what) + " '" + key.Scalar() +
                          "' is not a string to YAML: put it in quotes");
        return v.get<std::string>();
    }

    // A mapping's entries; a key given twice is an error (Ansible keeps the last value and warns:
    // a group or host written twice would lose its first half).
    std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map) const {
        std::vector<std::pair<YAML::Node, YAML::Node>> out;
        std::set<std::string> seen;
        for (const auto& kv : map) {
            if (kv.first.IsScalar() && !seen.insert(kv.first.Scalar()).second)
                fail(kv.first, "'" + kv.first.Scalar() + "' is given twice in this mapping");
            out.emplace_back(kv.first, kv.second);
        }
        return out;
    }

    nlohmann::json typed(const YAML::Node& n) const {
        if (!n.IsDefined() || n.IsNull()) return nullptr;
        if (!n.IsScalar()) return nlohmann::json::object();
        return n.Tag() == "?" ? yaml11_scalar(n.Scalar()) : nlohmann::json(n.Scalar());
    }

    void group(const std::string& name, const YAML::Node& key, const YAML::Node& data) {
        if (++depth > 100) fail(key, "groups nested too deeply");
        bool empty = typed(data).is_null();
        if (!data.IsMap() && !empty)
            fail(data, "group '" + name + "' must be a mapping of hosts, children and vars");
        d.add_group(name, where(key));
        if (!empty) {
            for (const auto& [k, v] : entries(data)) section(name, k, v);
        }
        --depth;
    }

    // vars, children or hosts: a mapping, a single name (as {name: null}), or empty.
    void section(const std::string& group_name, const YAML::Node& key, const YAML::Node& v) {
        std::string section = key.IsScalar() ? key.Scalar() : "";
        if (section != "vars" && section != "children" && section != "hosts") {
            std::string close = config::closest(section, {"hosts", "children", "vars"});
            fail(key, "group '" + group_name + "' has an unknown key '" + section + "'" +
                          (close.empty() ? "" : " (did you mean '" + close + "'?)") +
                          "; a group holds hosts, children and vars");
        }
        nlohmann::json t = typed(v);
        if (t.is_null()) return;
        if (t.is_string()) {
            entry(section, group_name, v, YAML::Node());
        } else if (v.IsMap()) {
            for (const auto& [k, item] : entries(v)) entry(section, group_name, k, item);
        } else {
            fail(v, "'" + section + "' of group '" + group_name + "' must be a mapping");
        }
    }

    void entry(const std::string& section, const std::string& group_name, const YAML::Node& key,
               const YAML::Node& value) {
        if (section == "vars") {
            std::string k = key.IsScalar() ? key.Scalar() : "";
            if (!key.IsScalar()) fail(key, "a variable name must be a plain word");
            d.set_group_var(group_name, k, Value{yaml_json(value, path, budget), where(key)});
        } else if (section == "children") {
            std::string child = name_of(key, "a group name");
            group(child, key, value);
            d.add_child(group_name, child, where(key));
        } else {
            host(group_name, key, value);
        }
    }

    void host(const std::string& group_name, const YAML::Node& key, const YAML::Node& value) {
        std::string entry = name_of(key, "a host name");
        HostEntry hosts;
        try {
            hosts = expand_host_entry(entry, std::min(kMaxHosts, names_left));
        } catch (const InputError& e) {
            fail(key, e.what());
        }
        names_left -= hosts.names.size();
        nlohmann::json vars = yaml_json(value, path, budget);
        // No variables: Ansible's `or {}` takes any empty or false value for none.
        if (vars.is_null() || vars == "" || vars == false || vars == 0 || vars.empty())
            vars = nlohmann::json::object();
        if (!vars.is_object())
            fail(value, "host '" + entry + "' must have a mapping of variables, or nothing");
        // Each variable's place: its key's (a key merged in with << has the host's).
        std::map<std::string, std::string> places;
        if (value.IsMap())
            for (const auto& kv : value)
                if (kv.first.IsScalar()) places.emplace(kv.first.Scalar(), where(kv.first));
        for (const auto& h : hosts.names) {
            d.add_host(h, group_name, hosts.port, where(key));
            for (const auto& [k, v] : vars.items()) {
                auto at = places.find(k);
                d.set_host_var(h, k, Value{v, at == places.end() ? where(key) : at->second});
            }
        }
    }
};

} // namespace

Inventory parse_yaml_inventory(const std::string& text, const std::string& path) {
    YAML::Node root = config::parse_yaml_mapping(text, path);
    if (!root || root.IsNull()) throw InputError(path + ": an empty YAML inventory");
    Draft d(path);
    YamlReader r{d, path, text.size() / 2 + 1000000};
    for (const auto& [key, value] : r.entries(root)) {
        std::string name = r.name_of(key, "a group name");
        if (name == "plugin")
            r.fail(key, "an inventory plugin's configuration: berth reads static inventories "
                        "only (docs/inventory.md)");
        r.group(name, key, value);
    }
    return resolve(std::move(d));
}

} // namespace berth::inventory
