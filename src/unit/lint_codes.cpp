#include "unit/lint.hpp"

namespace berth {

// Codes of `berth unit lint` (src/unit/lint.cpp) and `berth unit generate` (U317).
const std::vector<CodeInfo>& unit_codes() {
    static const std::vector<CodeInfo> codes = {
        {"U301", Severity::error, "systemd cannot load this unit file",
         "systemd refuses a unit file whose section header is malformed, that is not UTF-8, that "
         "contains NUL bytes, or has a line longer than 1 MiB; berth also refuses a file that "
         "ends in the middle of a backslash continuation, since the last directive was probably "
         "cut off. The unit will not start. Fix the line named in the finding: a unit file is "
         "UTF-8 text made of [Section] headers, Key=value lines and # or ; comments."},
        {"U302", Severity::warning, "Unknown section",
         "systemd ignores sections it does not know, and every directive in them. A typo such as "
         "[service] or [Servcie] silently drops the whole configuration. Use [Unit], [Install] "
         "and the section of the unit's type ([Service] for .service); private data belongs in "
         "a section whose name starts with X-."},
        {"U303", Severity::warning, "Directive unknown to the target's systemd",
         "systemd logs and ignores directives it does not know: a misspelled directive, or one "
         "newer than the systemd on the target (for example ProtectClock= needs 245, Type=exec "
         "needs 240). The unit still starts, but without the setting, which for a sandboxing "
         "option means without the protection you meant. Fix the spelling, or pass the target's "
         "version with --systemd-version so berth can tell you what it lacks."},
        {"U304", Severity::warning, "Invalid value",
         "A value systemd cannot parse is logged and ignored, so the directive keeps its default "
         "(Type=simple, Restart=no, a protection switched off). Use one of the values listed in "
         "the finding."},
        {"U305", Severity::error, "ExecStart= missing, duplicated or not absolute",
         "A service needs exactly one ExecStart= (several only with Type=oneshot) and systemd "
         "refuses a relative path such as bin/app. A bare command name is looked up in systemd's "
         "fixed PATH, which is not your shell's: give the absolute path of the release, e.g. "
         "ExecStart=/opt/APP/current/bin/APP."},
        {"U306", Severity::warning, "Type=simple or Type=forking for a Go service",
         "Type=forking waits for the process to fork and exit, which a Go program never does, so "
         "the start times out or systemd tracks the wrong PID. Type=simple (the default) reports "
         "the service started before exec() even happened, so a missing binary or a bad "
         "permission looks like a successful start. Type=exec (systemd 240 and later) reports "
         "success only after exec() succeeded; Type=notify is better still if the program calls "
         "sd_notify."},
        {"U307", Severity::warning, "Service never restarted",
         "With Restart=no (the default) a crash leaves the service down until someone notices. "
         "Restart=on-failure restarts after crashes and non-zero exits but not after a clean "
         "stop; add RestartSec= so a crash loop does not spin."},
        {"U308", Severity::warning, "Restart=always without a start limit",
         "Restart=always restarts even after a clean exit; without an explicit start limit a "
         "service that exits at once restarts forever (or hits the manager's default limit "
         "without you choosing it). Set StartLimitIntervalSec= and StartLimitBurst= in [Unit] so "
         "a broken release fails visibly."},
        {"U309", Severity::warning, "Service runs as root",
         "Without User= (or with User=root) the program and everything it is tricked into doing "
         "runs with full privileges. Create a dedicated system user (useradd --system) and set "
         "User=, or use DynamicUser=yes with StateDirectory=/LogsDirectory= so systemd creates "
         "the directories with the right owner. Ports below 1024 need only "
         "AmbientCapabilities=CAP_NET_BIND_SERVICE, not root."},
        {"U310", Severity::warning, "No file-descriptor limit",
         "Services inherit a soft limit of 1024 open files. A Go server holding one descriptor "
         "per connection fails with 'too many open files' under load. Set LimitNOFILE= (65536 "
         "is a common choice)."},
        {"U311", Severity::info, "No stop timeout",
         "Without TimeoutStopSec= systemd waits the manager default (usually 90 s) before "
         "SIGKILL. Make it match the application's graceful-shutdown window plus a margin, so "
         "in-flight requests finish and a hung process does not stall a deploy."},
        {"U312", Severity::warning, "No [Install] section",
         "Without [Install] (WantedBy=multi-user.target for a server) `systemctl enable` has "
         "nothing to do and the service does not start at boot."},
        {"U313", Severity::warning, "Output sent nowhere",
         "StandardOutput=null (and StandardError=null, or inherited) discards everything the "
         "program prints, including the panic of a crashing Go program. Leave the defaults "
         "(the journal) or send them to a file with StandardOutput=append:."},
        {"U314", Severity::info, "Exposure score",
         "The exposure score of `systemd-analyze security`, computed the same way (same checks, "
         "weights and rounding as systemd 252, offline mode) from the files alone: 0.0 is "
         "fully sandboxed, 10.0 is not sandboxed at all. Above 5.0 it is a warning. The "
         "evidence lists the checks that cost most; `berth unit generate` writes a unit rated "
         "2.0 or lower."},
        {"U315", Severity::warning, "Line ignored by systemd",
         "A line without '=' or an assignment before the first [Section] header is logged and "
         "ignored by systemd: whatever it meant to set is not set."},
        {"U316", Severity::warning, "daemon-reexec where daemon-reload is meant",
         "`systemctl daemon-reexec` re-executes the service manager itself (used after "
         "upgrading systemd). To make systemd read changed unit files, the command is "
         "`systemctl daemon-reload`."},
        {"U317", Severity::info, "Directive left out for an older systemd",
         "`berth unit generate` leaves out what the target's systemd (from host facts or "
         "--systemd-version) does not know, and says so: the generated unit is still valid there "
         "but has less sandboxing, so its exposure score is higher than on a current systemd."},
    };
    return codes;
}

} // namespace berth
