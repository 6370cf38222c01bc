#pragma once
// Limits a network service runs into: systemd's default open-file limit for services, the
// kernel's file-handle ceilings and the sysctls that size listen queues and port ranges.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// The last uncommented `key=value` of the [Manager] section of a systemd configuration file;
// nullopt when not assigned. With `commented`, looks at "#key=value" lines instead (the
// compiled-in defaults Debian and Fedora show in system.conf).
std::optional<std::string> parse_systemd_setting(std::string_view text, std::string_view key,
                                                 bool commented = false);
// "SOFT:HARD", "N" or "infinity" into soft/hard (null = infinity or unparsable).
void parse_nofile_value(const std::string& raw, NofileLimit& limit);
// net.ipv4.ip_local_port_range contents: "32768\t60999".
std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>
parse_port_range(std::string_view text);

// system.conf then the system.conf.d drop-ins in file-name order (a name in /etc masks the same
// name in /run and /usr/lib), the last assignment winning, as systemd reads them.
NofileLimit collect_systemd_nofile(const Root& root);
LimitsFacts collect_limits(const Root& root, std::vector<std::string>& notes);

} // namespace berth::host
