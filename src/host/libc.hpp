#pragma once
// Which C library the system has: glibc's version read from its libc.so.6 (its .gnu.version_d,
// not berth's own static libc), the loaders present, and the ld.so cache and configuration.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// The highest "GLIBC_x.y[.z]" in the list (GLIBC_PRIVATE and others ignored), "" when none.
std::string highest_glibc_version(const std::vector<std::string>& version_defs);

// One line of ld.so.conf that matters: a directory, or an include pattern.
struct LdConfLine {
    bool include = false;
    std::string value;
};
std::vector<LdConfLine> parse_ld_so_conf(std::string_view text);

// The GNU triplet of the multiarch library dirs for a uname machine ("x86_64-linux-gnu").
std::string multiarch_triplet(const std::string& arch);

LibcFacts collect_libc(const SystemRoot& root, const std::string& arch,
                       std::vector<std::string>& notes);

} // namespace berth::host
