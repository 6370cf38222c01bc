// Ansible's INI inventory (ansible/plugins/inventory/ini.py): [group] sections of host lines
// ("host[:port] [key=value ...]", ranges expanded), [group:children] of group names, [group:vars]
// of key=value lines; hosts before any section are ungrouped; '#' and ';' start comment lines. A
// group may be named as a child before its own section; one never declared is an error at the end.
#include "inventory/draft.hpp"
#include "inventory/host_range.hpp"
#include "inventory/ini_value.hpp"
#include "inventory/inventory.hpp"
#include "inventory/shlex.hpp"
#include "util/error.hpp"

#include <algorithm>

namespace berth::inventory {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_word(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// After a name: spaces, then nothing or a '#' comment.
bool only_comment_left(std::string_view rest) {
    rest = strip(rest);
    return rest.empty() || rest[0] == '#';
}

// A group name: no ':', ']' or space.
std::size_t group_name_length(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && s[n] != ':' && s[n] != ']' && !is_space(s[n])) ++n;
    return n;
}

// ^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$ : the group and the section's kind ("" for hosts).
bool section(std::string_view line, std::string& group, std::string& kind) {
    if (line.empty() || line[0] != '[') return false;
    std::size_t n = group_name_length(line.substr(1));
    if (n == 0) return false;
    std::size_t i = 1 + n;
    kind.clear();
    if (i < line.size() && line[i] == ':') {
        std::size_t k = i + 1;
        while (k < line.size() && is_word(line[k])) ++k;
        if (k == i + 1) return false;
        kind = std::string(line.substr(i + 1, k - i - 1));
        i = k;
    }
    if (i >= line.size() || line[i] != ']' || !only_comment_left(line.substr(i + 1))) return false;
    group = std::string(line.substr(1, n));
    return true;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
        if (n == 0 || i + n > s.size()) return false;
        std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (std::size_t k = 1; k < n; ++k) {
            auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += n;
    }
    return true;
}

struct Pending {
    std::string where;
    std::string kind; // "vars" or "children"
    std::vector<std::string> parents;
};

struct IniReader {
    Draft& d;
    std::string where; // FILE:LINE of the line being read
    std::string group = "ungrouped";
    std::string kind = "hosts";
    std::vector<std::pair<std::string, Pending>> pending; // in the order first named
    std::size_t names_left = kMaxExpandedNames;

    Pending* find_pending(const std::string& name) {
        for (auto& [n, p] : pending)
            if (n == name) return &p;
        return nullptr;
    }
    void drop_pending(const std::string& name) {
        std::erase_if(pending, [&](const auto& p) { return p.first == name; });
    }

    [[noreturn]] void fail(const std::string& why) const { throw InputError(where + ": " + why); }

    // A group declared at last: it becomes the child of the groups that named it.
    void add_pending_children(const std::string& name, int depth = 0) {
        if (depth > 1000) fail("groups nested too deeply");
        Pending* self = find_pending(name);
        if (!self) return;
        std::vector<std::string> parents = self->parents;
        for (const auto& parent : parents) {
            d.add_child(parent, name, where);
            if (Pending* p = find_pending(parent); p && p->kind == "children")
                add_pending_children(parent, depth + 1);
        }
        drop_pending(name);
    }

    void section_line(const std::string& name, const std::string& section_kind,
                      std::string_view line) {
        group = name;
        kind = section_kind.empty() ? "hosts" : section_kind;
        if (kind != "hosts" && kind != "children" && kind != "vars")
            fail("section " + std::string(line) + " has unknown type: " + kind +
                 " (hosts, children or vars)");
        if (!d.has_group(group)) {
            // [g] or [g:children] declare a group; [g:vars] needs one declared somewhere.
            if (kind == "vars" && !find_pending(group))
                pending.push_back({group, Pending{where, "vars", {}}});
            d.add_group(group, where);
        }
        if (Pending* p = find_pending(group); p && kind != "vars") {
            if (p->kind == "children")
                add_pending_children(group);
            else
                drop_pending(group);
        }
    }

    void host_line(std::string_view line) {
        std::vector<std::string> tokens;
        try {
            tokens = shlex_split(line, true);
        } catch (const InputError& e) {
            fail("cannot read the host line '" + std::string(line) + "': " + e.what());
        }
        if (tokens.empty()) fail("no host on the line '" + std::string(line) + "'");
        const std::string& entry = tokens[0];
        HostEntry hosts;
        try {
            hosts = expand_host_entry(entry, std::min(kMaxHosts, names_left));
        } catch (const InputError& e) {
            fail(e.what());
        }
        names_left -= hosts.names.size();
        if (!strip(entry).empty() && strip(entry).back() == ':' && !hosts.port)
            fail("host '" + entry + "' ends in ':', which is kept for a port");
        for (const auto& h : hosts.names)
            if (strip(h) == "---") fail("'---' starts a YAML document: is this a YAML inventory?");
        std::vector<std::pair<std::string, nlohmann::json>> vars;
        for (std::size_t i = 1; i < tokens.size(); ++i) {
            std::size_t eq = tokens[i].find('=');
            if (eq == std::string::npos)
                fail("expected key=value after the host, got '" + tokens[i] + "'");
            vars.emplace_back(tokens[i].substr(0, eq), ini_value(tokens[i].substr(eq + 1)));
        }
        for (const auto& h : hosts.names) {
            d.add_host(h, group, hosts.port, where);
            for (const auto& [k, v] : vars) d.set_host_var(h, k, Value{v, where});
        }
    }

    void vars_line(std::string_view line) {
        std::size_t eq = line.find('=');
        if (eq == std::string_view::npos)
            fail("expected key=value in [" + group + ":vars], got '" + std::string(line) + "'");
        d.set_group_var(group, std::string(strip(line.substr(0, eq))),
                        Value{ini_value(strip(line.substr(eq + 1))), where});
    }

    void children_line(std::string_view line) {
        std::size_t n = group_name_length(line);
        if (n == 0 || !only_comment_left(line.substr(n)))
            fail("expected a group name in [" + group + ":children], got '" + std::string(line) +
                 "'");
        std::string child(line.substr(0, n));
        if (d.has_group(child)) {
            d.add_child(group, child, where);
        } else if (Pending* p = find_pending(child)) {
            p->parents.push_back(group);
        } else {
            pending.push_back({child, Pending{where, "children", {group}}});
        }
    }
};

} // namespace

Inventory parse_ini_inventory(const std::string& text, const std::string& path) {
    Draft d(path);
    IniReader r{d, path, "ungrouped", "hosts", {}, kMaxExpandedNames};
    std::size_t line_no = 0;
    for (std::size_t from = 0; from < text.size();) {
        std::size_t nl = text.find('\n', from);
        std::string_view raw = std::string_view(text).substr(
            from, nl == std::string::npos ? std::string::npos : nl - from);
        from = nl == std::string::npos ? text.size() : nl + 1;
        r.where = path + ":" + std::to_string(++line_no);
        std::string_view line = strip(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.find('\0') != std::string_view::npos) r.fail("the line holds a NUL byte");
        if (!valid_utf8(line)) r.fail("the line is not valid UTF-8");
        std::string group, kind;
        if (section(line, group, kind)) {
            r.section_line(group, kind, line);
            continue;
        }
        if (line[0] == '[' && line.back() == ']')
            r.fail("invalid section " + std::string(line) +
                   ": no spaces, and a group name without ':' or ']'");
        if (r.kind == "hosts")
            r.host_line(line);
        else if (r.kind == "vars")
            r.vars_line(line);
        else
            r.children_line(line);
    }
    for (const auto& [name, p] : r.pending) {
        if (p.kind == "vars")
            throw InputError(p.where + ": section [" + name +
                             ":vars] is for a group never declared");
        throw InputError(p.where + ": [" + p.parents.back() + ":children] names group '" + name +
                         "', which is never declared");
    }
    return resolve(std::move(d));
}

} // namespace berth::inventory
