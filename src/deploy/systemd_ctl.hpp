#pragma once
// systemctl and journalctl, run on the host by its berth (argv, never a shell), and what deploy
// reads from them.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::deploy {

// `systemctl show` prints KEY=value lines in its own order whatever -p asks for.
std::map<std::string, std::string> parse_show(std::string_view text);

// What verification watches of a service.
struct ServiceState {
    std::string active_state; // "active", "activating", "failed", "inactive", ...
    std::string sub_state;    // "running", "auto-restart", "dead", ...
    std::string result;       // "success", "exit-code", "start-limit-hit", ...
    std::string invocation_id;
    std::uint64_t n_restarts = 0;
    int main_pid = 0;
    int exec_main_status = 0;
    std::string active_enter; // ActiveEnterTimestamp, for uptime
    std::uint64_t active_enter_monotonic_us = 0;
    bool loaded = false; // LoadState=loaded (the unit file exists and parses)
};
ServiceState service_state_from(const std::map<std::string, std::string>& show);

// The commands. Each throws InputError with the command's own message when it fails.
ServiceState show_service(const std::string& unit);
void systemctl(const std::vector<std::string>& args, std::chrono::seconds timeout);
// `journalctl -u UNIT -n 0 --show-cursor`: the cursor after the unit's last line so far.
std::string journal_cursor(const std::string& unit);
// The unit's lines after `cursor` (all of them when cursor is ""), at most `max_lines`.
std::vector<std::string> journal_since(const std::string& unit, const std::string& cursor,
                                       int max_lines);
// The uptime of the host's clock that ActiveEnterTimestampMonotonic is measured on.
std::uint64_t monotonic_now_us();

} // namespace berth::deploy
