#include "deploy/deploy_codes.hpp"

#include <stdexcept>

namespace berth::deploy {

const std::vector<CodeInfo>& deploy_codes() {
    static const std::vector<CodeInfo> codes = {
        {"D401", Severity::error, "Deploy stopped at the gate",
         "Before changing anything, berth collects the host's facts on the host and judges them "
         "with the check rules (B1xx, H2xx): an error finding there means the release would not "
         "run, so the deploy stops with the host unchanged. Fix what the finding names, or accept "
         "it knowingly with `--allow CODE` (the finding is still printed)."},
        {"D402", Severity::error, "Another deploy of the app is running on the host",
         "One deploy at a time per app per host: the host's berth holds a lock (flock on "
         "INSTALL_DIR/.berth/lock) for the whole deploy. The lock dies with the process that "
         "holds it, so a killed deploy leaves none behind; the message names the holder (user, "
         "machine, pid, since when). Wait for it to finish."},
        {"D403", Severity::error, "The new release did not start",
         "After the restart the unit never became active: the program exited at once (a missing "
         "file, a bad flag, a port taken). berth rolled back to the previous release and printed "
         "the service's journal lines of this start: they say why."},
        {"D404", Severity::error, "The new release crash-loops",
         "The unit became active but restarted during the settle time (its NRestarts rose or its "
         "InvocationID changed): each start looks fine, yet the program dies after a few seconds. "
         "berth rolled back. Read the journal lines of this start; raise `health.settle` to watch "
         "longer."},
        {"D405", Severity::error, "The new release failed its health check",
         "The health check (berth.yaml `health`) did not answer as expected `passes` times in a "
         "row within `timeout`, probed from the host itself. berth rolled back. The last answer "
         "is in the message; the journal lines of this start are printed."},
        {"D406", Severity::warning, "The old process ignored SIGTERM and was killed",
         "Stopping the previous release took until TimeoutStopSec and systemd killed it with "
         "SIGKILL: requests in flight were cut. Handle SIGTERM (signal.NotifyContext, then "
         "http.Server.Shutdown) and set `shutdown_timeout` to the time draining needs."},
        {"D407", Severity::error, "Rolling back failed: the host needs a human",
         "The new release failed and going back to the previous one failed too (it did not "
         "start or is unhealthy now). The message says exactly what `current` points to and "
         "what the service is doing. berth exits 3. Look at the journal (`journalctl -u NAME`), "
         "then `berth rollback --to ID` or deploy a fixed release."},
        {"D408", Severity::error, "The connection to the host was lost during the deploy",
         "The ssh connection (or the host's berth) went away in the middle of a deploy. Each "
         "step is atomic, so the host serves the old or the new release; the history records "
         "the deploy as unfinished and the next `berth deploy` completes it. berth exits 3 since "
         "it could not verify or roll back."},
        {"D409", Severity::error, "The unit file has errors",
         "berth.yaml's `unit` names your own unit file; `berth unit lint` finds errors (U3xx) in "
         "it that systemd would refuse or that break the release layout. Fix the unit, or drop "
         "`unit:` to let berth generate one."},
        {"D410", Severity::error, "berth cannot work on the host",
         "berth runs itself on the host as root to install releases and units: it needs its "
         "build for the host's machine, and root (log in as root, or set `sudo: true` with "
         "passwordless sudo for the login user)."},
        {"D411", Severity::error, "The deploy was interrupted",
         "berth got ^C or SIGTERM while it was changing the host. It stopped at the next step "
         "(a health verification in progress stops at once), undid what it had done and started "
         "the previous release again, verified, as for a failed release; the history records "
         "the deploy as failed. Before any change, an interrupted deploy just stops, the host "
         "unchanged. A second ^C ends berth at once: the host then serves the old or the new "
         "release, and the next deploy completes it."},
    };
    return codes;
}

Finding deploy_finding(const std::string& code, std::string title, std::string evidence,
                       std::string fix) {
    for (const auto& c : deploy_codes()) {
        if (code != c.code) continue;
        Finding f;
        f.code = c.code;
        f.severity = c.severity;
        f.title = std::move(title);
        f.evidence = std::move(evidence);
        f.fix = std::move(fix);
        return f;
    }
    throw std::logic_error("unknown deploy code " + code);
}

} // namespace berth::deploy
