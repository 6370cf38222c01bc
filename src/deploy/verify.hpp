#pragma once
// Proving a release healthy, on the host: the unit reaches "active"; then, for `settle`, it
// neither restarts (NRestarts) nor becomes another invocation (InvocationID) — a crash loop is a
// failure even when each start looks fine — and the health check answers `passes` times in a
// row within `timeout`. One 2xx from a process about to crash is not health.
#include "deploy/health.hpp"
#include "deploy/systemd_ctl.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace berth::deploy {

struct VerifyRequest {
    std::string unit;
    HealthCheck health; // kind none: the unit's state alone
};

struct VerifyOutcome {
    bool healthy = false;
    std::string reason;  // why not: "exited at start (status 1)", "restarted 2 times in 3.1 s", ...
    std::string failure; // "start", "crash_loop", "stopped", "unhealthy" ("" when healthy)
    int probes = 0;
    int in_a_row = 0;
    std::chrono::milliseconds took{0};
    ServiceState state; // the last one seen
};

// `on_probe` is called after every health probe with the answers in a row so far; `abandoned`
// ends the verification early (InputError) when nobody waits for its answer any more;
// `pause` waits between looks (and may return early when something happens).
VerifyOutcome verify_service(const VerifyRequest& request,
                             const std::function<void(const ProbeResult&, int)>& on_probe,
                             const std::function<bool()>& abandoned,
                             const std::function<void(std::chrono::milliseconds)>& pause);

// The pure part: what a sequence of states and probe answers means (tests feed it directly).
struct VerifyProgress {
    bool active_seen = false;
    std::chrono::milliseconds active_at{0}; // since the verification began
    std::string invocation_id;
    std::uint64_t n_restarts = 0;
    int in_a_row = 0;
    int probes = 0;
    std::string failure; // set with a failed verdict: see VerifyOutcome::failure
};
enum class Verdict { wait, healthy, failed };
// Judges the state seen at `now` (since the verification began). Sets `reason` when failed.
Verdict judge_state(VerifyProgress& p, const ServiceState& s, std::chrono::milliseconds now,
                    std::string& reason);
// After a probe at `now`: healthy once enough answers in a row and the settle time has passed;
// failed when the timeout has passed without that.
Verdict judge_health(VerifyProgress& p, const HealthCheck& h, std::chrono::milliseconds now,
                     std::string& reason);

} // namespace berth::deploy
