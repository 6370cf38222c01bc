#pragma once
// Which C library the system has: glibc's version read from its libc.so.6 (its .gnu.version_d,
// not berth's own static libc), the loaders present, and the ld.so cache and configuration.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// The highest "GLIBC_x.y[.z]" in the list (GLIBC_PRIVATE and others ignored), "" when none.
std::string highest_glibc_version(const std::vector<std::string>& version_defs);

// The release in glibc's banner ("GNU C Library (Debian GLIBC 2.31-13) stable release version
// 2.31.") found in the library's bytes; "" when there is none.
std::string glibc_release_from_banner(std::string_view library_bytes);
// The release in an older layout's file name: "libc-2.31.so" -> "2.31"; "" otherwise.
std::string glibc_release_from_file_name(std::string_view name);

// One line of ld.so.conf that matters: a directory, or an include pattern.
struct LdConfLine {
    bool include = false;
    std::string value;
};
std::vector<LdConfLine> parse_ld_so_conf(std::string_view text);

// The standard glibc loader paths of a uname machine, whose presence LibcFacts records.
std::vector<std::string> glibc_loader_names(const std::string& arch);

// The GNU triplet of the multiarch library dirs for a uname machine ("x86_64-linux-gnu").
std::string multiarch_triplet(const std::string& arch);

LibcFacts collect_libc(const Root& root, const std::string& arch, std::vector<std::string>& notes);

} // namespace berth::host
