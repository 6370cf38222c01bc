#include "unit/lint.hpp"

#include "unit/directives.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace berth::unit {

namespace {

Finding make(const char* code, Severity sev, std::string title, std::string evidence,
             std::string fix, const std::string& file, int line) {
    Finding f;
    f.code = code;
    f.severity = sev;
    f.title = std::move(title);
    f.evidence = std::move(evidence);
    f.fix = std::move(fix);
    f.location = file;
    f.line = line;
    return f;
}

std::string where(const Assignment& a) {
    return a.key + "=" + a.value;
}

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
    return std::any_of(options.begin(), options.end(), [&](const char* o) { return v == o; });
}

// The executable of an ExecStart= value: prefixes (@-:+!) stripped, first word.
std::string exec_path(const std::string& value) {
    std::size_t i = 0;
    while (i < value.size() && std::string_view("@-:+!").find(value[i]) != std::string_view::npos)
        ++i;
    auto words = split_words(value.substr(i));
    return words.empty() ? std::string() : words.front();
}

void check_structure(const Unit& u, const LintOptions& opt, std::vector<Finding>& out) {
    const std::string own = type_section(u.type);
    for (const auto& f : u.files) {
        for (const auto& n : f.notes)
            out.push_back(make("U315", Severity::warning, "Line ignored by systemd", n.message,
                               "Write the line as Key=value inside a [Section]", f.path, n.line));
        for (const auto& s : f.sections) {
            bool ok = s.name == "Unit" || s.name == "Install" || s.name == own ||
                      s.name.rfind("X-", 0) == 0;
            if (!ok)
                out.push_back(make("U302", Severity::warning,
                                   "Unknown section [" + s.name + "] for a ." + u.type + " unit",
                                   "[" + s.name + "]",
                                   "Use [Unit], [" + own + "], [Install] or an X- section", f.path,
                                   s.line));
        }
    }
    for (const auto& a : u.assignments) {
        bool section_ok = a.section == "Unit" || a.section == "Install" || a.section == own;
        if (!section_ok) continue; // reported with the section
        if (!is_known_directive_252(a.section, a.key)) {
            out.push_back(make(
                "U303", Severity::warning,
                "Unknown directive " + a.key + "= in [" + a.section + "]",
                where(a) + " (systemd " + std::to_string(kKnownDirectivesVersion) + " ignores it)",
                "Check the spelling in systemd." + u.type + "(5)/systemd.exec(5)", a.file, a.line));
            continue;
        }
        if (auto v = first_version(a.key, a.value); v && *v > opt.systemd_version)
            out.push_back(
                make("U303", Severity::warning,
                     a.key + "= is not known to systemd " + std::to_string(opt.systemd_version),
                     where(a) + " needs systemd " + std::to_string(*v),
                     "Drop it, or require systemd >= " + std::to_string(*v) +
                         " on the target (`berth unit generate --systemd-version`)",
                     a.file, a.line));
    }
}

void check_values(const Unit& u, std::vector<Finding>& out) {
    auto invalid = [&](const Assignment& a, const std::string& expected) {
        out.push_back(make("U304", Severity::warning, "Invalid value for " + a.key + "=",
                           where(a) + " (systemd logs and ignores it)", "Use " + expected, a.file,
                           a.line));
    };
    const std::string own = type_section(u.type);
    for (const auto& a : u.assignments) {
        const std::string& k = a.key;
        const std::string& v = a.value;
        if (v.empty()) continue;
        if (a.section == "Service" && k == "Type" &&
            !one_of(v, {"simple", "exec", "forking", "oneshot", "dbus", "notify", "idle"}))
            invalid(a, "one of simple, exec, forking, oneshot, dbus, notify, idle");
        else if (a.section == "Service" && k == "Restart" &&
                 !one_of(v, {"no", "on-success", "on-failure", "on-abnormal", "on-watchdog",
                             "on-abort", "always"}))
            invalid(a, "one of no, on-success, on-failure, on-abnormal, on-watchdog, on-abort, "
                       "always");
        else if (a.section == own &&
                 one_of(k, {"NoNewPrivileges", "PrivateTmp", "PrivateDevices", "PrivateNetwork",
                            "PrivateUsers", "PrivateMounts", "ProtectKernelTunables",
                            "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups",
                            "ProtectClock", "ProtectHostname", "LockPersonality",
                            "MemoryDenyWriteExecute", "RestrictRealtime", "RestrictSUIDSGID",
                            "RemoveIPC", "DynamicUser"}) &&
                 !parse_bool(v))
            invalid(a, "a boolean (yes or no)");
        else if (a.section == own && k == "ProtectSystem" && !parse_bool(v) &&
                 !one_of(v, {"full", "strict"}))
            invalid(a, "yes, no, full or strict");
        else if (a.section == own && k == "ProtectHome" && !parse_bool(v) &&
                 !one_of(v, {"read-only", "tmpfs"}))
            invalid(a, "yes, no, read-only or tmpfs");
        else if (a.section == "Unit" && k == "DefaultDependencies" && !parse_bool(v))
            invalid(a, "a boolean (yes or no)");
    }
}

void check_service(const Unit& u, std::vector<Finding>& out) {
    const std::string& main = u.files.front().path;
    auto type = u.last("Service", "Type");
    std::string type_value = type ? type->value : "simple";
    auto execs = u.list("Service", "ExecStart");
    if (execs.empty()) {
        bool rescued =
            !u.list("Service", "ExecStop").empty() || u.last("Unit", "SuccessAction").has_value();
        out.push_back(make("U305", rescued ? Severity::warning : Severity::error, "No ExecStart=",
                           rescued ? "only ExecStop=/SuccessAction= given"
                                   : "the unit has no ExecStart=; systemd refuses to load it",
                           "Add ExecStart=/opt/APP/current/bin/APP", main, 0));
    }
    if (execs.size() > 1 && type_value != "oneshot")
        out.push_back(make("U305", Severity::error,
                           "More than one ExecStart= for Type=" + type_value,
                           std::to_string(execs.size()) + " ExecStart= lines; systemd refuses to "
                                                          "load the unit",
                           "Keep one ExecStart= (only Type=oneshot may have several)",
                           execs[1].file, execs[1].line));
    for (const auto& e : execs) {
        std::string path = exec_path(e.value);
        if (path.empty() || path[0] == '/' || path[0] == '%') continue;
        bool has_slash = path.find('/') != std::string::npos;
        out.push_back(make(
            "U305", has_slash ? Severity::error : Severity::warning,
            has_slash ? "ExecStart= is a relative path" : "ExecStart= is not an absolute path",
            where(e) + (has_slash ? " (systemd refuses to load the unit)"
                                  : " (found through systemd's fixed PATH)"),
            "Give the absolute path, e.g. ExecStart=/opt/APP/current/bin/APP", e.file, e.line));
    }
    if (type_value == "forking" || type_value == "simple") {
        bool implicit = !type;
        out.push_back(make(
            "U306", Severity::warning,
            "Type=" + type_value + (implicit ? " (the default)" : "") + " for a Go service",
            implicit ? "no Type= line" : where(*type),
            type_value == "forking"
                ? "Go programs do not daemonize; use Type=exec (systemd >= 240) or Type=notify"
                : "Type=simple reports success even when exec fails; use Type=exec (systemd >= "
                  "240) or Type=notify",
            type ? type->file : main, type ? type->line : 0));
    }
    auto restart = u.last("Service", "Restart");
    if (!restart || restart->value == "no" || restart->value.empty())
        out.push_back(make("U307", Severity::warning, "The service is never restarted",
                           restart ? where(*restart) : "no Restart= line (default no)",
                           "Restart=on-failure with RestartSec=2s", restart ? restart->file : main,
                           restart ? restart->line : 0));
    if (restart && restart->value == "always") {
        auto burst = u.last("Unit", "StartLimitBurst");
        auto interval = u.last("Unit", "StartLimitIntervalSec");
        bool disabled = interval && (interval->value == "0" || interval->value == "infinity");
        if ((!burst && !interval) || disabled)
            out.push_back(make("U308", Severity::warning, "Restart=always without a start limit",
                               disabled ? where(*interval) + " disables the limit"
                                        : "no StartLimitIntervalSec=/StartLimitBurst= in [Unit]",
                               "Add StartLimitIntervalSec=60 and StartLimitBurst=5 to [Unit]",
                               restart->file, restart->line));
    }
    auto user = u.last("Service", "User");
    auto dyn = u.last("Service", "DynamicUser");
    bool dynamic = dyn && parse_bool(dyn->value).value_or(false);
    if (!dynamic && (!user || user->value.empty() || user->value == "root" || user->value == "0"))
        out.push_back(make("U309", Severity::warning, "The service runs as root",
                           user ? where(*user) : "no User= and no DynamicUser=",
                           "User=APP (a dedicated system user) or DynamicUser=yes",
                           user ? user->file : main, user ? user->line : 0));
    if (!u.last("Service", "LimitNOFILE"))
        out.push_back(make("U310", Severity::warning, "No file-descriptor limit",
                           "no LimitNOFILE= (the default soft limit is 1024)", "LimitNOFILE=65536",
                           main, 0));
    if (!u.last("Service", "TimeoutStopSec") && !u.last("Service", "TimeoutSec"))
        out.push_back(make("U311", Severity::info, "No stop timeout",
                           "no TimeoutStopSec= (the manager default, usually 90s, applies)",
                           "TimeoutStopSec= a little above the app's graceful-shutdown window",
                           main, 0));
    auto out_ = u.last("Service", "StandardOutput");
    auto err = u.last("Service", "StandardError");
    bool out_null = out_ && out_->value == "null";
    bool err_null = (err && err->value == "null") || (!err && out_null);
    if (out_null && err_null)
        out.push_back(make("U313", Severity::warning, "Output is sent nowhere",
                           where(*out_) + (err ? ", " + where(*err) : ""),
                           "Remove StandardOutput=null (the journal keeps the output)", out_->file,
                           out_->line));
}

void check_host(const Unit& u, std::vector<Finding>& out) {
    if (u.type == "service") {
        for (const auto& e : u.list("Service", "ExecStart")) {
            std::string path = exec_path(e.value);
            if (path.empty() || path[0] != '/') continue;
            // A "-" prefix tells systemd to ignore a failing command; verify skips it too.
            if (e.value.substr(0, e.value.find('/')).find('-') != std::string::npos) continue;
            if (::access(path.c_str(), X_OK) != 0)
                out.push_back(make("U305", Severity::error,
                                   "ExecStart= program is missing or not executable on this host",
                                   path + ": " + std::strerror(errno),
                                   "Install the release first, or fix the path", e.file, e.line));
        }
    }
    if (u.type == "socket") {
        auto accept = u.last("Socket", "Accept");
        if (accept && parse_bool(accept->value).value_or(false)) return; // NAME@.service
        auto service = u.last("Socket", "Service");
        std::string name =
            service ? service->value : u.name.substr(0, u.name.size() - 7) + ".service";
        for (const char* spec : {"%i", "%I"}) // an instance: look for the template
            for (auto pos = name.find(spec); pos != std::string::npos; pos = name.find(spec))
                name.erase(pos, 2);
        fs::path dir = fs::path(u.files.front().path).parent_path();
        std::error_code ec;
        if (!fs::exists(dir / name, ec))
            out.push_back(make("U305", Severity::error, "The socket's service unit is missing",
                               name + " not found next to " + u.name,
                               "Ship " + name + " with the socket, or set Service=",
                               u.files.front().path, service ? service->line : 0));
    }
}

void check_common(const Unit& u, std::vector<Finding>& out) {
    const std::string& main = u.files.front().path;
    bool has_install = false;
    for (const auto& f : u.files)
        for (const auto& s : f.sections) has_install = has_install || s.name == "Install";
    if (!has_install && (u.type == "service" || u.type == "socket" || u.type == "timer"))
        out.push_back(make("U312", Severity::warning, "No [Install] section",
                           "`systemctl enable` cannot enable the unit",
                           "Add an [Install] section with WantedBy=multi-user.target", main, 0));
    for (const auto& f : u.files)
        for (std::size_t i = 0; i < f.lines.size(); ++i)
            if (f.lines[i].find("daemon-reexec") != std::string::npos)
                out.push_back(make("U316", Severity::warning,
                                   "`systemctl daemon-reexec` where daemon-reload is meant",
                                   "daemon-reexec re-executes the manager itself",
                                   "Use `systemctl daemon-reload` to pick up changed unit files",
                                   f.path, static_cast<int>(i) + 1));
}

} // namespace

LintResult lint_unit(const Unit& u, const LintOptions& options) {
    LintResult r;
    r.subject = u.files.empty() ? u.name : u.files.front().path;
    check_structure(u, options, r.findings);
    check_values(u, r.findings);
    if (u.type == "service") check_service(u, r.findings);
    check_common(u, r.findings);
    if (options.host_checks) check_host(u, r.findings);
    r.exposure = assess_exposure(u);
    const Exposure& e = *r.exposure;
    std::string worst;
    std::vector<const ExposureCheck*> bad;
    for (const auto& c : e.checks)
        if (c.applies && c.badness > 0) bad.push_back(&c);
    std::stable_sort(bad.begin(), bad.end(), [](const ExposureCheck* a, const ExposureCheck* b) {
        return a->badness * a->weight / a->range > b->badness * b->weight / b->range;
    });
    for (std::size_t i = 0; i < bad.size() && i < 5; ++i) worst += (i ? ", " : "") + bad[i]->name;
    r.findings.push_back(make(
        "U314", e.score_tenths > 50 ? Severity::warning : Severity::info,
        "Exposure " + e.score_text() + " " + e.level + " (as systemd-analyze security)",
        "score " + e.score_text() + "/10" + (worst.empty() ? "" : "; worst: " + worst),
        e.score_tenths > 20 ? "`berth unit generate` writes a unit that rates 2.0 or lower" : "",
        r.subject, 0));
    return r;
}

LintResult lint_file(const std::string& path, const LintOptions& options) {
    // systemd refuses to load the unit: one U301 naming the file and line (a drop-in's, when the
    // broken line is there). A file that cannot be read is not that: its InputError goes up.
    auto refused = [&](const std::string& what, const std::string& file, int line) {
        LintResult r;
        r.subject = path;
        r.findings.push_back(make("U301", Severity::error, "systemd cannot load this unit file",
                                  what,
                                  "Fix the line named; a unit file is UTF-8 text of [Section] "
                                  "headers and Key=value lines",
                                  file, line));
        return r;
    };
    try {
        std::error_code ec;
        if (fs::canonical(path, ec) == "/dev/null")
            return refused(path + ": the unit is masked (a link to /dev/null)", path, 0);
        if (auto owner = dropin_owner(path)) {
            // A drop-in is part of a unit of its directory's type: its sections and values are
            // checked, not what only the whole unit can have (ExecStart=, [Install], the score).
            Unit u = make_unit(owner->unit, {load_unit_file(path)});
            u.type = owner->type;
            LintResult r;
            r.subject = path;
            check_structure(u, options, r.findings);
            check_values(u, r.findings);
            return r;
        }
        Unit u = load_unit(path, options.dropins);
        return lint_unit(u, options);
    } catch (const UnitParseError& e) {
        return refused(e.what(), e.file, e.line);
    }
}

} // namespace berth::unit
