#include "deploy/systemd_ctl.hpp"

#include "remote/transport.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#include <ctime>

namespace berth::deploy {

namespace {

using namespace std::chrono_literals;

remote::RunResult run_here(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout) {
    try {
        return remote::local_transport()->run(argv, "", timeout);
    } catch (const remote::TransportError& e) {
        throw InputError(e.what());
    }
}

std::string first_line(const std::string& text) {
    auto t = trim(text);
    return std::string(t.substr(0, t.find('\n')));
}

} // namespace

std::map<std::string, std::string> parse_show(std::string_view text) {
    std::map<std::string, std::string> out;
    for (const auto& line : split_lines(text)) {
        auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

ServiceState service_state_from(const std::map<std::string, std::string>& show) {
    auto get = [&](const char* k) {
        auto it = show.find(k);
        return it == show.end() ? std::string() : it->second;
    };
    ServiceState s;
    s.active_state = get("ActiveState");
    s.sub_state = get("SubState");
    s.result = get("Result");
    s.invocation_id = get("InvocationID");
    s.n_restarts = parse_uint(get("NRestarts")).value_or(0);
    s.main_pid = static_cast<int>(parse_int(get("MainPID")).value_or(0));
    s.exec_main_status = static_cast<int>(parse_int(get("ExecMainStatus")).value_or(0));
    s.active_enter = get("ActiveEnterTimestamp");
    s.active_enter_monotonic_us = parse_uint(get("ActiveEnterTimestampMonotonic")).value_or(0);
    s.loaded = get("LoadState") == "loaded";
    return s;
}

ServiceState show_service(const std::string& unit) {
    auto r = run_here({"systemctl", "show", unit, "--no-pager", "-p",
                       "LoadState,ActiveState,SubState,Result,InvocationID,NRestarts,"
                       "MainPID,ExecMainStatus,ActiveEnterTimestamp,"
                       "ActiveEnterTimestampMonotonic"},
                      10s);
    if (r.status != 0)
        throw InputError("systemctl show " + unit + ": " + first_line(r.err + r.out));
    return service_state_from(parse_show(r.out));
}

void systemctl(const std::vector<std::string>& args, std::chrono::seconds timeout) {
    std::vector<std::string> argv = {"systemctl"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_here(argv, timeout);
    if (r.status != 0) throw InputError(join(argv, " ") + ": " + first_line(r.err + r.out));
}

std::string journal_cursor(const std::string& unit) {
    auto r = run_here({"journalctl", "-u", unit, "-n", "0", "--show-cursor", "--no-pager"}, 10s);
    for (const auto& line : split_lines(r.out))
        if (line.starts_with("-- cursor: ")) return line.substr(11);
    return "";
}

std::vector<std::string> journal_since(const std::string& unit, const std::string& cursor,
                                       int max_lines) {
    std::vector<std::string> argv = {"journalctl", "-u",        unit, "--no-pager",
                                     "-o",         "short-iso", "-n", std::to_string(max_lines)};
    if (!cursor.empty()) argv.push_back("--after-cursor=" + cursor);
    auto r = run_here(argv, 10s);
    std::vector<std::string> lines;
    for (auto& l : split_lines(r.out))
        if (!l.starts_with("-- ")) lines.push_back(std::move(l)); // "-- No entries --"
    return lines;
}

std::uint64_t monotonic_now_us() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
           static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

} // namespace berth::deploy
