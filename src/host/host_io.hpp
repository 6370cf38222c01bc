#pragma once
// Reading the system's files, optionally under --root. A path is always given as on the target
// system ("/etc/passwd"); SystemRoot maps it into the image, following symlinks *inside* the image
// (an absolute link like /etc/localtime -> /usr/share/zoneinfo/UTC must not escape to the host).
#include "util/read_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::host {

struct SystemRoot {
    std::string dir = "/"; // "/" or the image directory, without a trailing slash

    bool is_host() const { return dir == "/"; }
    // The real path of `path` (absolute, on the target system), symlinks resolved inside the root.
    // Under "/" the path itself: the kernel resolves it.
    std::string real(const std::string& path) const;
    // Like real() but the last component is not followed: for lstat and readlink.
    std::string real_nofollow(const std::string& path) const;
};

// First line of a file, trailing whitespace removed.
std::optional<std::string> read_line(const std::string& real_path);
// Names in a directory (without . and ..), sorted; empty when it cannot be read.
std::vector<std::string> list_dir(const std::string& real_path);
// readlink, nullopt when not a symlink.
std::optional<std::string> read_link(const std::string& real_path);

// Small text helpers shared by the parsers.
std::string_view trim(std::string_view s);
std::vector<std::string> split_words(std::string_view s); // on spaces and tabs
std::vector<std::string> split_lines(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<std::uint64_t> parse_uint(std::string_view s);

} // namespace berth::host
