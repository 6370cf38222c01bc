#include "host/limits.hpp"

#include <map>

namespace berth::host {

std::optional<std::string> parse_systemd_setting(std::string_view text, std::string_view key,
                                                 bool commented) {
    std::optional<std::string> value;
    bool in_manager = false;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = trim(raw);
        if (line.empty()) continue;
        if (line.front() == '[') {
            in_manager = line == "[Manager]";
            continue;
        }
        if (!in_manager) continue;
        bool is_comment = line.front() == '#' || line.front() == ';';
        if (is_comment != commented) continue;
        if (is_comment) line = trim(line.substr(1));
        auto eq = line.find('=');
        if (eq == std::string_view::npos || trim(line.substr(0, eq)) != key) continue;
        value = std::string(trim(line.substr(eq + 1)));
    }
    return value;
}

void parse_nofile_value(const std::string& raw, NofileLimit& limit) {
    auto one = [](std::string_view s) -> std::optional<std::uint64_t> {
        s = trim(s);
        if (s == "infinity") return std::nullopt;
        return parse_uint(s);
    };
    limit.raw = raw;
    auto colon = raw.find(':');
    if (colon == std::string::npos) {
        limit.soft = limit.hard = one(raw);
    } else {
        limit.soft = one(std::string_view(raw).substr(0, colon));
        limit.hard = one(std::string_view(raw).substr(colon + 1));
    }
}

std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>
parse_port_range(std::string_view text) {
    auto w = split_words(trim(text));
    if (w.size() != 2) return {};
    return {parse_int(w[0]), parse_int(w[1])};
}

NofileLimit collect_systemd_nofile(const Root& root) {
    const char* key = "DefaultLimitNOFILE";
    NofileLimit limit;
    std::vector<std::string> files;
    files.push_back("/etc/systemd/system.conf");
    // Drop-in dirs from highest to lowest priority: the first dir holding a name wins it.
    std::map<std::string, std::string> dropins; // name -> path, ordered by name
    for (const char* dir : {"/etc/systemd/system.conf.d", "/run/systemd/system.conf.d",
                            "/usr/local/lib/systemd/system.conf.d",
                            "/usr/lib/systemd/system.conf.d", "/lib/systemd/system.conf.d"}) {
        for (const auto& name : root.list_dir(dir))
            if (name.ends_with(".conf")) dropins.emplace(name, std::string(dir) + "/" + name);
    }
    for (const auto& [name, path] : dropins) files.push_back(path);
    for (const auto& path : files) {
        auto text = root.read_text(path);
        if (!text) continue;
        if (auto v = parse_systemd_setting(*text, key)) {
            limit.set = true;
            limit.source = path;
            parse_nofile_value(*v, limit);
        }
    }
    if (!limit.set) {
        if (auto text = root.read_text("/etc/systemd/system.conf")) {
            if (auto v = parse_systemd_setting(*text, key, true)) {
                limit.source = "/etc/systemd/system.conf";
                parse_nofile_value(*v, limit);
            }
        }
    }
    return limit;
}

LimitsFacts collect_limits(const Root& root, std::vector<std::string>& notes) {
    LimitsFacts l;
    l.systemd_default_nofile = collect_systemd_nofile(root);
    auto sysctl = [&](const char* name) -> std::optional<std::string> {
        auto text = read_text(std::string("/proc/sys/") + name);
        if (!text) notes.push_back(std::string("cannot read /proc/sys/") + name);
        return text;
    };
    if (auto t = sysctl("fs/file-max")) l.fs_file_max = parse_uint(*t);
    if (auto t = sysctl("fs/nr_open")) l.fs_nr_open = parse_uint(*t);
    if (auto t = sysctl("net/core/somaxconn")) l.somaxconn = parse_int(*t);
    if (auto t = sysctl("net/ipv4/ip_local_port_range")) {
        auto [low, high] = parse_port_range(*t);
        l.local_port_low = low;
        l.local_port_high = high;
    }
    if (auto t = sysctl("net/ipv4/tcp_max_syn_backlog")) l.tcp_max_syn_backlog = parse_int(*t);
    if (auto t = sysctl("vm/overcommit_memory")) l.overcommit_memory = parse_int(*t);
    if (auto t = sysctl("vm/swappiness")) l.swappiness = parse_int(*t);
    return l;
}

} // namespace berth::host
