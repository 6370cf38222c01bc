#include "host/users.hpp"

#include <algorithm>

namespace berth::host {

namespace {

std::vector<std::string> split_on(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (;;) {
        std::size_t j = s.find(sep, i);
        if (j == std::string_view::npos) {
            out.emplace_back(s.substr(i));
            return out;
        }
        out.emplace_back(s.substr(i, j - i));
        i = j + 1;
    }
}

bool skip(std::string_view line) {
    return line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-';
}

} // namespace

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
    std::vector<PasswdEntry> out;
    for (const auto& line : split_lines(text)) {
        if (skip(line)) continue;
        auto f = split_on(line, ':');
        if (f.size() != 7 || f[0].empty()) continue;
        auto uid = parse_uint(f[2]), gid = parse_uint(f[3]);
        if (!uid || !gid) continue;
        out.push_back(
            {f[0], static_cast<std::uint32_t>(*uid), static_cast<std::uint32_t>(*gid), f[5], f[6]});
    }
    return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
    std::vector<GroupEntry> out;
    for (const auto& line : split_lines(text)) {
        if (skip(line)) continue;
        auto f = split_on(line, ':');
        if (f.size() != 4 || f[0].empty()) continue;
        auto gid = parse_uint(f[2]);
        if (!gid) continue;
        GroupEntry g{f[0], static_cast<std::uint32_t>(*gid), {}};
        if (!f[3].empty())
            for (auto& m : split_on(f[3], ','))
                if (!m.empty()) g.members.push_back(m);
        out.push_back(std::move(g));
    }
    return out;
}

UsersFacts users_facts(const std::vector<PasswdEntry>& passwd,
                       const std::vector<GroupEntry>& groups, const std::string& user) {
    UsersFacts u;
    u.user = user;
    u.passwd_entries = static_cast<int>(passwd.size());
    u.group_entries = static_cast<int>(groups.size());
    if (user.empty()) return u;
    auto p = std::find_if(passwd.begin(), passwd.end(), [&](auto& e) { return e.name == user; });
    if (p != passwd.end()) {
        u.exists = true;
        u.uid = p->uid;
        u.gid = p->gid;
        u.home = p->home;
        u.shell = p->shell;
        auto g =
            std::find_if(groups.begin(), groups.end(), [&](auto& e) { return e.gid == p->gid; });
        if (g != groups.end()) u.primary_group = g->name;
    }
    for (const auto& g : groups) {
        if (g.name == user) u.group_exists = true;
        if (std::find(g.members.begin(), g.members.end(), user) != g.members.end())
            u.groups.push_back({g.name, g.gid});
    }
    return u;
}

UsersFacts collect_users(const Root& root, const std::string& user,
                         std::vector<std::string>& notes) {
    auto passwd_text = root.read_text("/etc/passwd");
    auto group_text = root.read_text("/etc/group");
    if (!passwd_text) notes.push_back("cannot read /etc/passwd");
    if (!group_text) notes.push_back("cannot read /etc/group");
    UsersFacts u = users_facts(parse_passwd(passwd_text.value_or("")),
                               parse_group(group_text.value_or("")), user);
    u.passwd_readable = passwd_text.has_value();
    u.group_readable = group_text.has_value();
    return u;
}

} // namespace berth::host
