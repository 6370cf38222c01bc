#pragma once
// Time: whether the kernel clock is synchronized (adjtimex), which NTP daemon runs, the zone.
// A Go service's TLS, tokens and logs all depend on a clock that is right.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

// adjtimex's return value as a name: "ok", "ins", "del", "oop", "wait", "error".
std::string clock_state_name(int state);
// The zone name in an /etc/localtime link target: "../usr/share/zoneinfo/Europe/Paris" ->
// "Europe/Paris"; "" when the target is not under a zoneinfo directory.
std::string zone_from_link(std::string_view target);
// Whether a process name (/proc/PID/comm) is a time daemon.
bool is_time_daemon(std::string_view comm);

// Processes of the running system: every /proc/PID/comm, by pid.
std::vector<ProcessRef> list_processes();

TimeFacts collect_time(const Root& root, const std::vector<ProcessRef>& processes,
                       std::vector<std::string>& notes);

} // namespace berth::host
