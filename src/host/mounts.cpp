#include "host/mounts.hpp"

#include "host/host_io.hpp"

#include <algorithm>

namespace berth::host {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' &&
            s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out +=
                static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string> split_commas(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size() && !s.empty()) {
        std::size_t j = s.find(',', i);
        if (j == std::string_view::npos) j = s.size();
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

bool under(const std::string& path, const std::string& mount_point) {
    if (mount_point == "/") return true;
    return path == mount_point ||
           (path.size() > mount_point.size() && path.starts_with(mount_point) &&
            path[mount_point.size()] == '/');
}

bool has(const std::vector<std::string>& v, const char* s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
    // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    std::vector<MountEntry> mounts;
    for (const auto& line : split_lines(text)) {
        auto f = split_words(line);
        if (f.size() < 10) continue;
        auto dash = std::find(f.begin() + 6, f.end(), "-");
        if (dash == f.end() || f.end() - dash < 3) continue;
        MountEntry m;
        m.mount_point = unescape(f[4]);
        m.options = split_commas(f[5]);
        m.fs_type = unescape(dash[1]);
        m.source = unescape(dash[2]);
        if (f.end() - dash >= 4) m.super_options = split_commas(dash[3]);
        mounts.push_back(std::move(m));
    }
    return mounts;
}

const MountEntry* find_mount(const std::vector<MountEntry>& mounts, const std::string& path) {
    const MountEntry* best = nullptr;
    for (const auto& m : mounts) {
        if (!under(path, m.mount_point)) continue;
        if (!best || m.mount_point.size() >= best->mount_point.size()) best = &m;
    }
    return best;
}

MountFacts mount_facts(const MountEntry& entry) {
    MountFacts m;
    m.mount_point = entry.mount_point;
    m.fs_type = entry.fs_type;
    m.source = entry.source;
    m.options = entry.options;
    m.super_options = entry.super_options;
    m.read_only = has(entry.options, "ro");
    m.noexec = has(entry.options, "noexec");
    m.nosuid = has(entry.options, "nosuid");
    m.nodev = has(entry.options, "nodev");
    return m;
}

} // namespace berth::host
