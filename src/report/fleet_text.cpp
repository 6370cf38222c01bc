#include "report/fleet_text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace berth::report {

namespace {

using Clock = std::chrono::steady_clock;

std::string paint(const std::string& text, const char* code, bool color) {
    return color ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

const char* end_color(const std::string& end) {
    if (end == "ok") return "32";
    if (end == "skipped" || end == "rolled-back") return "33";
    return "31";
}

BoardRow* row_of(Board& b, const std::string& host) {
    for (auto& r : b.rows)
        if (r.host == host) return &r;
    return nullptr;
}

std::string seconds(std::chrono::milliseconds ms) {
    return fmt::format("{:.1f} s", static_cast<double>(ms.count()) / 1000.0);
}

} // namespace

void board_on_rollout(Board& b, const fleet::RolloutEvent& e,
                      const std::vector<std::string>& names) {
    using K = fleet::RolloutEvent::Kind;
    b.done = e.done;
    b.failed = e.failed;
    b.left = e.left;
    const std::string host = e.host < names.size() ? names[e.host] : "";
    switch (e.kind) {
    case K::preflight:
        b.note = "preflight: every host's gate, nothing changed";
        break;
    case K::batch_start:
        b.batch = e.batch + 1;
        b.rows.clear();
        b.note.clear();
        break;
    case K::host_start:
        b.rows.push_back({host, "connect", Clock::now(), "", "", {}});
        break;
    case K::host_end: {
        BoardRow* r = row_of(b, host);
        if (!r) {
            b.rows.push_back({host, "", Clock::now(), "", "", {}});
            r = &b.rows.back();
        }
        r->step.clear();
        if (e.report) {
            r->end = fleet::host_end_name(e.report->end);
            r->took = e.report->result.took;
            r->detail = e.report->end == fleet::HostEnd::ok ? e.report->result.release
                                                            : e.report->result.reason;
        }
        break;
    }
    case K::soak:
        b.note = "soak " + e.detail + ": then every host of the batch must still be healthy";
        break;
    case K::stop:
        b.note = "stopped: " + e.detail;
        break;
    case K::rollback_all:
        b.note = "rolling back: " + e.detail;
        break;
    case K::done:
        break;
    }
}

void board_on_step(Board& b, const deploy::Event& e) {
    BoardRow* r = row_of(b, e.host);
    if (!r || !r->end.empty()) return;
    if (e.phase == "start") {
        r->step = e.step;
        r->since = Clock::now();
    }
}

std::string board_text(const Board& b, Clock::time_point now, std::size_t max_rows, bool color) {
    std::string out;
    if (b.batch > 0) out += fmt::format("batch {}\n", b.batch);
    // Running hosts first (they change), then the ended ones, failures before successes.
    std::vector<const BoardRow*> rows;
    for (const auto& r : b.rows) rows.push_back(&r);
    auto rank = [](const BoardRow* r) { return r->end.empty() ? 0 : r->end == "ok" ? 2 : 1; };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const BoardRow* x, const BoardRow* y) { return rank(x) < rank(y); });
    std::size_t width = 4;
    for (const auto* r : rows) width = std::max(width, r->host.size());
    std::size_t shown = 0;
    for (const auto* r : rows) {
        if (shown == max_rows) {
            out += fmt::format("  ... and {} more\n", rows.size() - shown);
            break;
        }
        ++shown;
        if (r->end.empty())
            out += fmt::format(
                "  {:<{}}  {:<8} {:>7}\n", r->host, width, r->step,
                seconds(std::chrono::duration_cast<std::chrono::milliseconds>(now - r->since)));
        else
            out += fmt::format("  {:<{}}  {} {:>7}  {}\n", r->host, width,
                               paint(fmt::format("{:<8}", r->end), end_color(r->end), color),
                               seconds(r->took), r->detail.substr(0, 100));
    }
    out += fmt::format("done {} · failed {} · left {}{}\n", b.done, b.failed, b.left,
                       b.note.empty() ? "" : " · " + b.note);
    return out;
}

std::string rollout_summary_text(const fleet::RolloutResult& r, bool color) {
    std::size_t width = 4;
    for (const auto& h : r.hosts) width = std::max(width, h.name.size());
    std::string out = fmt::format("\n{:<{}}  {:<5} {:<30} {:<30} {:<11} {:>7}  {}\n", "host", width,
                                  "batch", "from", "to", "result", "time", "reason");
    std::map<std::string, int> counts;
    for (const auto& h : r.hosts) {
        const std::string end = fleet::host_end_name(h.end);
        ++counts[end];
        const bool ran = h.end != fleet::HostEnd::skipped && h.end != fleet::HostEnd::waiting;
        std::string to = h.rollback ? h.rollback->release : ran ? h.result.release : "";
        std::string reason = h.end == fleet::HostEnd::ok ? "" : h.result.reason;
        if (h.rollback && !h.rollback->reason.empty())
            reason += "; rollback: " + h.rollback->reason;
        // Padding is applied before the colour codes, which have no width.
        std::string end_cell = fmt::format("{:<11}", end);
        out += fmt::format("{:<{}}  {:<5} {:<30} {:<30} {} {:>7}  {}\n", h.name, width, h.batch + 1,
                           ran ? h.result.from : "", to, paint(end_cell, end_color(end), color),
                           ran ? seconds(h.result.took) : "", reason.substr(0, 200));
    }
    std::string tally;
    for (const auto& [end, n] : counts)
        tally += fmt::format("{}{} {}", tally.empty() ? "" : ", ", n, end);
    if (r.completed)
        out += fmt::format("\nrollout completed in {}: {} ({} batch{})\n", seconds(r.took), tally,
                           r.batches.size(), r.batches.size() == 1 ? "" : "es");
    else
        out += fmt::format("\nrollout stopped after {}: {}; {}\n", seconds(r.took), r.stop_reason,
                           tally);
    return out;
}

std::string drift_text(const std::vector<std::pair<std::string, std::string>>& host_release) {
    std::map<std::string, std::vector<std::string>> by_release;
    for (const auto& [host, release] : host_release)
        by_release[release.empty() ? "(no release)" : release].push_back(host);
    if (by_release.size() < 2) return "";
    std::string out =
        fmt::format("drift: {} releases across {} hosts\n", by_release.size(), host_release.size());
    for (const auto& [release, hosts] : by_release) {
        std::string list;
        for (const auto& h : hosts) list += (list.empty() ? "" : ", ") + h;
        out += fmt::format("  {} on {}\n", release, list);
    }
    return out;
}

} // namespace berth::report
