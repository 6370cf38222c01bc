#pragma once
// Listening TCP sockets (/proc/net/tcp, tcp6) compared with the app's listen address: a port
// already taken makes the service fail at start with "bind: address already in use".
#include "host/host_facts.hpp"

#include <string_view>

namespace berth::host {

// The listening (state 0A) sockets of /proc/net/tcp (`ipv6` false) or /proc/net/tcp6.
std::vector<Listener> parse_proc_net_tcp(std::string_view text, bool ipv6);
// The systemd unit of a process from its /proc/PID/cgroup text: the last ".service" (or other
// unit) component of its cgroup path, "" when there is none.
std::string unit_from_cgroup(std::string_view cgroup_text);
// Binding `address`:`port` would clash with `l` (same port, equal or wildcard addresses).
bool listener_conflicts(const Listener& l, const std::string& address, int port);

// Fills pid/process of each listener from /proc/PID/fd links "socket:[INODE]" (needs root for
// other users' processes), then marks conflicts with the app's address.
ListenFacts collect_listen(const std::string& address, int port,
                           const std::vector<ProcessRef>& processes,
                           std::vector<std::string>& notes);

} // namespace berth::host
