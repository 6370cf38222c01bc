#pragma once
// Whether systemd runs the system and which version is installed, found without running
// `systemctl --version`: the version is in the file name of systemd's private library
// libsystemd-shared-NNN.so, and the full package version in its "systemd NNN (...)" string.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// "libsystemd-shared-252.so" -> 252; 0 when the name does not have that form.
int systemd_version_from_name(std::string_view file_name);
// In the library's bytes, the text between "systemd NNN (" and ")": "252.38-1~deb12u1"; ""
// when absent.
std::string systemd_full_version(std::string_view bytes, int version);

SystemdFacts collect_systemd(const Root& root, const std::string& arch);

} // namespace berth::host
