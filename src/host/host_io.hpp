#pragma once
// Reading this machine's live kernel state (/proc, /sys), which is always the running system's,
// also under --root. Files of the examined system are read through sysroot::Root.
#include "sysroot/sysroot.hpp"
#include "util/read_text.hpp"
#include "util/strings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace berth::host {

using sysroot::Root;

// First line of a file, trailing whitespace removed.
std::optional<std::string> read_line(const std::string& path);
// First line of a file of the examined system.
std::optional<std::string> read_line(const Root& root, const std::string& path);
// Names in a directory (without . and ..), sorted; empty when it cannot be read.
std::vector<std::string> list_dir(const std::string& path);
// readlink, nullopt when not a symlink.
std::optional<std::string> read_link(const std::string& path);

} // namespace berth::host
