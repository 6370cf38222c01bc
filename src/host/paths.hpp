#pragma once
// The app's own paths: whether they exist (else the nearest existing ancestor, where they will be
// created), owner and mode, the mount they are on, free space and inodes, SELinux label.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"
#include "host/mounts.hpp"

namespace berth::host {

// `path` itself when it exists, else the nearest existing ancestor ("/" at worst).
std::string nearest_existing(const Root& root, const std::string& path);

// `mounts` is null under --root: the image's mounts on the target are unknown.
PathFacts collect_path(const Root& root, const std::string& role, const std::string& path,
                       const std::vector<MountEntry>* mounts);

} // namespace berth::host
