#include "deploy/verify.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

namespace berth::deploy {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

std::string seconds(milliseconds d) {
    return fmt::format("{:.1f} s", d.count() / 1000.0);
}

std::string exit_text(const ServiceState& s) {
    std::string t = "Result=" + (s.result.empty() ? std::string("?") : s.result);
    if (s.exec_main_status != 0) t += ", exit status " + std::to_string(s.exec_main_status);
    return t;
}

} // namespace

Verdict judge_state(VerifyProgress& p, const ServiceState& s, milliseconds now,
                    std::string& reason) {
    if (!p.active_seen) {
        if (s.active_state == "active") {
            p.active_seen = true;
            p.active_at = now;
            p.invocation_id = s.invocation_id;
            p.n_restarts = s.n_restarts;
            return Verdict::wait;
        }
        if (s.active_state == "failed" || s.active_state == "inactive" ||
            s.sub_state == "auto-restart") {
            reason = "the service did not start: " + s.active_state + "/" + s.sub_state + ", " +
                     exit_text(s);
            p.failure = "start";
            return Verdict::failed;
        }
        return Verdict::wait; // activating, reloading
    }
    if (s.invocation_id != p.invocation_id || s.n_restarts != p.n_restarts) {
        reason = fmt::format("the service restarted {} s after it started (NRestarts {} -> {}, "
                             "a new invocation): a crash loop",
                             (now - p.active_at).count() / 1000.0, p.n_restarts, s.n_restarts);
        if (s.invocation_id == p.invocation_id)
            reason = fmt::format("the service restarted {} s after it started (NRestarts {} -> "
                                 "{}): a crash loop",
                                 (now - p.active_at).count() / 1000.0, p.n_restarts, s.n_restarts);
        p.failure = "crash_loop";
        return Verdict::failed;
    }
    if (s.active_state != "active") {
        reason = "the service stopped " + seconds(now - p.active_at) +
                 " after it started: " + s.active_state + "/" + s.sub_state + ", " + exit_text(s);
        p.failure = "stopped";
        return Verdict::failed;
    }
    return Verdict::wait;
}

Verdict judge_health(VerifyProgress& p, const HealthCheck& h, milliseconds now,
                     std::string& reason) {
    const bool enough = h.kind == HealthCheck::Kind::none || p.in_a_row >= h.passes;
    if (p.active_seen && enough && now - p.active_at >= h.settle) return Verdict::healthy;
    // `timeout` bounds the wait for the answers; a longer settle is waited out once they came.
    if (now >= h.timeout && !(p.active_seen && enough)) {
        reason = !p.active_seen
                     ? "the service did not become active within " + seconds(h.timeout)
                     : fmt::format("{} healthy answers in a row wanted, {} seen within {}",
                                   h.passes, p.in_a_row, seconds(h.timeout));
        p.failure = p.active_seen ? "unhealthy" : "start";
        return Verdict::failed;
    }
    return Verdict::wait;
}

VerifyOutcome verify_service(const VerifyRequest& r,
                             const std::function<void(const ProbeResult&, int)>& on_probe,
                             const std::function<bool()>& abandoned,
                             const std::function<void(std::chrono::milliseconds)>& pause) {
    VerifyOutcome out;
    VerifyProgress p;
    const auto start = std::chrono::steady_clock::now();
    auto now = [&] {
        return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    };
    milliseconds next_probe{0};
    std::string last_probe;
    for (;;) {
        if (abandoned && abandoned())
            throw InputError("the deploying berth went away: verification stopped");
        out.state = show_service(r.unit);
        std::string reason;
        Verdict v = judge_state(p, out.state, now(), reason);
        if (v == Verdict::wait && p.active_seen && r.health.kind != HealthCheck::Kind::none &&
            now() >= next_probe) {
            ProbeResult pr = probe_once(r.health, std::min(r.health.interval, 5000ms));
            ++p.probes;
            p.in_a_row = pr.healthy ? p.in_a_row + 1 : 0;
            last_probe = pr.detail;
            on_probe(pr, p.in_a_row);
            next_probe = now() + r.health.interval;
            // The answer may have come from a process that died meanwhile: look again first.
            out.state = show_service(r.unit);
            v = judge_state(p, out.state, now(), reason);
        }
        if (v == Verdict::wait) v = judge_health(p, r.health, now(), reason);
        if (v != Verdict::wait) {
            out.healthy = v == Verdict::healthy;
            out.reason = reason;
            out.failure = p.failure;
            if (!out.healthy && !last_probe.empty() && reason.find("answers") != std::string::npos)
                out.reason += " (last: " + last_probe + ")";
            break;
        }
        pause(100ms);
    }
    out.probes = p.probes;
    out.in_a_row = p.in_a_row;
    out.took = now();
    return out;
}

} // namespace berth::deploy
