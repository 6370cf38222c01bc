#include "host/time.hpp"

#include <algorithm>
#include <array>
#include <sys/timex.h>

namespace berth::host {

std::string clock_state_name(int state) {
    switch (state) {
    case TIME_OK:
        return "ok";
    case TIME_INS:
        return "ins";
    case TIME_DEL:
        return "del";
    case TIME_OOP:
        return "oop";
    case TIME_WAIT:
        return "wait";
    case TIME_ERROR:
        return "error";
    default:
        return "unknown";
    }
}

std::string zone_from_link(std::string_view target) {
    auto at = target.find("zoneinfo/");
    if (at == std::string_view::npos) return "";
    std::string_view zone = target.substr(at + 9);
    // Debian's "posix/" and "right/" trees hold the same zones.
    for (std::string_view prefix : {"posix/", "right/"})
        if (zone.starts_with(prefix)) zone.remove_prefix(prefix.size());
    return std::string(zone);
}

bool is_time_daemon(std::string_view comm) {
    // comm is cut at 15 characters: systemd-timesyncd shows as "systemd-timesyn".
    static const std::array<std::string_view, 6> names = {"chronyd",  "systemd-timesyn", "ntpd",
                                                          "openntpd", "ptp4l",           "phc2sys"};
    return std::find(names.begin(), names.end(), comm) != names.end();
}

std::vector<ProcessRef> list_processes() {
    std::vector<ProcessRef> out;
    for (const auto& name : list_dir("/proc")) {
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto comm = read_line("/proc/" + name + "/comm");
        if (!comm) continue; // exited meanwhile
        out.push_back({*comm, static_cast<int>(*parse_int(name))});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.pid < b.pid; });
    return out;
}

TimeFacts collect_time(const Root& root, const std::vector<ProcessRef>& processes,
                       std::vector<std::string>& notes) {
    TimeFacts t;
    struct timex tx {};
    tx.modes = 0; // read only
    int state = ::adjtimex(&tx);
    if (state >= 0) {
        t.clock.read = true;
        t.clock.state = state;
        t.clock.state_name = clock_state_name(state);
        t.clock.status = tx.status;
        t.clock.synchronized = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
        t.clock.esterror_us = tx.esterror;
        t.clock.maxerror_us = tx.maxerror;
        t.clock.offset = tx.offset;
    } else {
        notes.push_back("adjtimex failed: clock synchronization unknown");
    }
    for (const auto& p : processes)
        if (is_time_daemon(p.name)) t.daemons.push_back(p);
    if (auto target = root.readlink("/etc/localtime")) {
        t.localtime_target = *target;
        t.zone = zone_from_link(*target);
    }
    if (auto tz = read_line(root, "/etc/timezone")) t.etc_timezone = *tz;
    if (t.zone.empty()) t.zone = t.etc_timezone;
    return t;
}

} // namespace berth::host
