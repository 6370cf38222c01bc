#pragma once
// The mount an app path lives on, from /proc/self/mountinfo: noexec under the install dir stops
// the binary from starting, ro under the log dir stops it from writing.
#include "host/host_facts.hpp"

#include <string_view>

namespace berth::host {

struct MountEntry {
    std::string mount_point; // octal escapes (\040) decoded
    std::string fs_type;
    std::string source;
    std::vector<std::string> options;       // per-mount options
    std::vector<std::string> super_options; // superblock options
};

std::vector<MountEntry> parse_mountinfo(std::string_view text);
// The mount containing the absolute, symlink-free `path`: the longest mount point that is a
// prefix of it, the last one listed when several are stacked. nullptr when none matches.
const MountEntry* find_mount(const std::vector<MountEntry>& mounts, const std::string& path);
MountFacts mount_facts(const MountEntry& entry);

} // namespace berth::host
