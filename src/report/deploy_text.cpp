#include "report/deploy_text.hpp"

#include "report/findings_report.hpp"

#include <fmt/format.h>

namespace berth::report {

namespace {

std::string secs(std::chrono::milliseconds d) {
    return fmt::format("{:.2f} s", d.count() / 1000.0);
}

} // namespace

std::string deploy_event_line(const deploy::Event& e) {
    if (e.phase == "done")
        return fmt::format("  {:<9} {:>8}  {}\n", e.step, secs(e.elapsed), e.detail);
    if (e.phase == "fail")
        return fmt::format("  {:<9} {:>8}  FAILED: {}\n", e.step, secs(e.elapsed), e.detail);
    if (e.phase == "skip") return fmt::format("  {:<9} {:>8}  {}\n", e.step, "-", e.detail);
    if (e.phase == "note") return fmt::format("  {:<9} {:>8}  {}\n", e.step, "", e.detail);
    return "";
}

std::string deploy_progress_line(const deploy::Event& e) {
    return fmt::format("  {:<9} {:>8}  {}", e.step, secs(e.elapsed), e.detail);
}

std::string deploy_result_text(const deploy::HostResult& r, bool color) {
    std::string out;
    switch (r.outcome) {
    case deploy::Outcome::deployed:
        out += fmt::format("{}: {} {} in {} (was {})\n", r.host,
                           r.action == "rollback" ? "rolled back to" : "deployed", r.release,
                           secs(r.took), r.from.empty() ? "nothing" : r.from);
        break;
    case deploy::Outcome::unchanged:
        out += fmt::format("{}: {} is already current and healthy: nothing changed ({})\n", r.host,
                           r.release, secs(r.took));
        break;
    case deploy::Outcome::planned:
        out += fmt::format("{}: dry run, nothing changed; the deploy would:\n", r.host);
        for (const auto& p : r.plan) out += "  - " + p + "\n";
        break;
    case deploy::Outcome::stopped:
        out += fmt::format("{}: not deployed, the host is unchanged: {}\n", r.host, r.reason);
        break;
    case deploy::Outcome::rolled_back:
        out += fmt::format("{}: FAILED and rolled back to {}: {}\n", r.host, r.release, r.reason);
        break;
    case deploy::Outcome::failed:
        out +=
            fmt::format("{}: FAILED, nothing to roll back to (first deploy), service stopped: {}\n",
                        r.host, r.reason);
        break;
    case deploy::Outcome::unsafe:
        out += fmt::format("{}: FAILED and the host needs a human: {}\n", r.host, r.reason);
        break;
    case deploy::Outcome::error:
        out += fmt::format("{}: {}\n", r.host, r.reason);
        break;
    }
    if (!r.findings.empty() || !r.not_judged.empty()) {
        FindingsReport rep;
        rep.command = "deploy";
        rep.subject = r.host;
        rep.findings = r.findings;
        rep.not_judged = r.not_judged;
        out += render_text({rep}, color);
    }
    if (!r.journal.empty()) {
        out += "journal of this start (journalctl -u, after the restart):\n";
        for (const auto& l : r.journal) out += "  " + l + "\n";
    }
    return out;
}

std::string releases_text(const std::string& host, const std::vector<deploy::ReleaseRow>& rows) {
    std::string out = host + ":\n";
    if (rows.empty()) return out + "  no releases\n";
    out += fmt::format("    {:<32} {:<22} {:<8} {:<20} {}\n", "release", "deployed (host UTC)",
                       "result", "by", "size");
    for (const auto& r : rows)
        out += fmt::format("  {} {:<32} {:<22} {:<8} {:<20} {:.1f} MiB\n", r.current ? "*" : " ",
                           r.id, r.deployed_at, r.result.empty() ? "-" : r.result,
                           r.user.empty() ? "-" : r.user + "@" + r.machine, r.size / 1048576.0);
    return out;
}

std::string status_text(const std::vector<deploy::HostStatus>& hosts) {
    std::string out;
    for (const auto& s : hosts) {
        out += fmt::format("{}: {} {} ({}/{}), up {} s, {} restart{}{}\n", s.host,
                           s.current.empty() ? "no release" : s.current,
                           s.healthy ? "healthy" : "NOT HEALTHY", s.active_state, s.sub_state,
                           s.uptime_s, s.restarts, s.restarts == 1 ? "" : "s",
                           s.health.empty() ? "" : ", health " + s.health);
        if (!s.last_deploy.empty()) out += "  last: " + s.last_deploy + "\n";
        if (!s.lock.empty()) out += "  deploying now: " + s.lock + "\n";
    }
    return out;
}

} // namespace berth::report
