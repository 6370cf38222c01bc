#include "deploy/deploy.hpp"

#include "host/limits.hpp"

#include "check/check.hpp"
#include "deploy/client.hpp"
#include "deploy/deploy_codes.hpp"
#include "deploy/layout.hpp"
#include "deploy/plan.hpp"
#include "facts/library_facts.hpp"
#include "host/host_io.hpp"
#include "host/users.hpp"
#include "rules/check_input.hpp"
#include "unit/lint.hpp"
#include "unit/unit_file.hpp"
#include "unit/unit_model.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

namespace berth::deploy {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds since(Clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - t);
}

std::string decode_base64(const std::string& b64) {
    std::string out(b64.size() / 4 * 3 + 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(b64.data()),
                            static_cast<int>(b64.size()));
    if (n < 0) throw InputError("the host sent a damaged copy of a file");
    std::size_t pad = 0;
    if (!b64.empty() && b64.back() == '=') ++pad;
    if (b64.size() > 1 && b64[b64.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

// A test hook (docs/deploy.md): BERTH_TEST_STOP_AT=STEP kills this berth with SIGKILL right
// before STEP, as a user's ^C or a crash at that moment would.
// BERTH_TEST_INTERRUPT_AT=STEP raises SIGINT there instead, as a user's ^C.
void test_stop_at(const std::string& step) {
    const char* v = std::getenv("BERTH_TEST_STOP_AT");
    if (v && step == v) ::raise(SIGKILL);
    v = std::getenv("BERTH_TEST_INTERRUPT_AT");
    if (v && step == v) ::raise(SIGINT);
}

// The gate said no: the findings say why; nothing has changed.
struct GateStopped : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ^C before anything changed on the host. `mid_stream`: it came during the upload, so the
// session is out of step and must be dropped, not spoken to.
struct Interrupted {
    bool mid_stream = false;
};

bool interrupted(const DeployOptions& o) {
    return o.interrupted && o.interrupted->load();
}

// One deploy to one host: the client, the events and the result being built.
struct Run {
    remote::Transport& transport;
    std::string host;
    const config::AppConfig& app;
    Layout layout;
    const EventSink& events;
    HostResult result;
    std::unique_ptr<AgentClient> client;
    Clock::time_point started = Clock::now();

    void emit(const std::string& step, const std::string& phase, const std::string& detail,
              milliseconds elapsed = milliseconds{0}, json data = json::object()) {
        events({host, step, phase, elapsed, detail, std::move(data)});
    }

    // Runs `body` as a named step with its start and end events; what it returns is the detail.
    template <class F> auto step(const std::string& name, F&& body) {
        test_stop_at(name);
        emit(name, "start", "");
        auto t0 = Clock::now();
        try {
            auto detail = body();
            emit(name, "done", detail, since(t0));
            return detail;
        } catch (const std::exception& e) {
            emit(name, "fail", e.what(), since(t0));
            throw;
        }
    }

    void connect() {
        step("connect", [&] {
            client = std::make_unique<AgentClient>(
                transport, [&](const std::string& note) { emit("connect", "note", note); });
            const Hello& h = client->hello();
            if (h.uid != 0) {
                result.findings.push_back(deploy_finding(
                    "D410", "berth runs as uid " + std::to_string(h.uid) + " on " + host,
                    "the host's berth needs root to install releases and units",
                    "log in as root, or set `sudo: true` in berth.yaml (passwordless sudo)"));
                throw HostError("berth runs as uid " + std::to_string(h.uid) + " on " + host +
                                ", not root: log in as root or set `sudo: true`");
            }
            return fmt::format("berth {} on {} ({})", h.berth_version, h.hostname, h.arch);
        });
    }
};

json layout_json(const Layout& l) {
    return l;
}

json release_json(const Release& r) {
    return {{"id", r.id}, {"version", r.version}, {"sha256", r.sha256}, {"size", r.size}};
}

std::string mib(std::uint64_t bytes) {
    return fmt::format("{:.1f} MiB", bytes / 1048576.0);
}

HistoryEntry entry(const std::string& event, const std::string& phase, const std::string& release,
                   const std::string& previous, const std::string& deploy_id) {
    Deployer d = this_deployer();
    HistoryEntry e;
    e.event = event;
    e.phase = phase;
    e.release = release;
    e.previous = previous;
    e.machine = d.machine;
    e.user = d.user;
    e.deploy_id = deploy_id;
    return e;
}

// Ties a history end to its start: the deploying berth's clock and pid, nothing more.
std::string new_deploy_id() {
    return fmt::format("{:x}-{:x}", static_cast<unsigned long>(std::time(nullptr)),
                       static_cast<unsigned>(::getpid()));
}

// The soft LimitNOFILE= of the unit the service will run under: the generated unit sets
// `nofile`; the user's own may set it ("infinity" = no limit) or leave systemd's default.
std::optional<std::uint64_t> unit_nofile(const config::AppConfig& app) {
    if (app.unit_file.empty()) return app.nofile;
    auto set = unit::load_unit(app.unit_file, false).last("Service", "LimitNOFILE");
    if (!set || set->value.empty()) return std::nullopt;
    host::NofileLimit limit;
    host::parse_nofile_value(set->value, limit);
    if (limit.soft) return limit.soft;
    if (set->value.rfind("infinity", 0) == 0) return UINT64_MAX;
    return std::nullopt; // a value systemd refuses: the linter says so
}

// The gate: the host's facts judged with the same rules as `berth check`.
bool gate_passes(Run& run, const facts::BinaryFacts& binary, const json& facts,
                 const DeployOptions& options) {
    rules::CheckInput in = check::with_host_facts(binary.path, run.app, facts, run.host);
    in.unit_nofile = unit_nofile(run.app);
    rules::Judgement j = rules::judge_check(in);
    // The deploy creates a missing user itself (create_user), so H215 is no reason to stop.
    if (run.app.create_user)
        std::erase_if(j.findings, [](const Finding& f) { return f.code == "H215"; });
    run.result.findings.insert(run.result.findings.end(), j.findings.begin(), j.findings.end());
    run.result.not_judged = j.not_judged;
    std::vector<std::string> stopping;
    for (const auto& f : j.findings)
        if (f.severity == Severity::error &&
            std::find(options.allow.begin(), options.allow.end(), f.code) == options.allow.end())
            stopping.push_back(f.code);
    // A unit of the user's own must pass the linter.
    if (!run.app.unit_file.empty()) {
        auto lint = unit::lint_file(run.app.unit_file, {});
        for (auto& f : lint.findings)
            if (f.severity == Severity::error) {
                stopping.push_back(f.code);
                run.result.findings.push_back(f);
            }
    }
    if (stopping.empty()) return true;
    run.result.findings.push_back(
        deploy_finding("D401", "stopped at the gate: " + join(stopping, ", "),
                       "error findings on " + run.host + " before anything changed",
                       "fix what they name, or accept one knowingly with --allow CODE"));
    run.result.reason = "stopped at the gate: " + join(stopping, ", ");
    return false;
}

json file_args(const DesiredFile& f) {
    return {{"path", f.path}, {"mode", f.mode}, {"group", f.group}, {"sha256", f.sha256}};
}

// Undo of what a failed deploy changed, in reverse: files restored, the unit reloaded.
struct Undo {
    struct File {
        DesiredFile desired;
        std::optional<std::string> previous; // nullopt: it did not exist
    };
    std::vector<File> files;
    bool unit_written = false;
    bool switched = false;
};

} // namespace

void to_json(json& j, const Event& e) {
    j = {{"host", e.host},
         {"step", e.step},
         {"phase", e.phase},
         {"elapsed_ms", e.elapsed.count()},
         {"detail", e.detail}};
    if (!e.data.empty()) j["data"] = e.data;
}

Deployer this_deployer() {
    Deployer d;
    d.machine = host::read_line("/proc/sys/kernel/hostname").value_or("?");
    const uid_t uid = ::getuid();
    d.user = std::to_string(uid);
    if (auto text = read_text("/etc/passwd"))
        for (const auto& e : host::parse_passwd(*text))
            if (e.uid == uid) {
                d.user = e.name;
                break;
            }
    return d;
}

const char* outcome_name(Outcome o) {
    switch (o) {
    case Outcome::deployed:
        return "deployed";
    case Outcome::unchanged:
        return "unchanged";
    case Outcome::planned:
        return "planned";
    case Outcome::stopped:
        return "stopped";
    case Outcome::rolled_back:
        return "rolled-back";
    case Outcome::failed:
        return "failed";
    case Outcome::unsafe:
        return "unsafe";
    case Outcome::error:
        return "error";
    }
    return "?";
}

int exit_status(Outcome o) {
    switch (o) {
    case Outcome::deployed:
    case Outcome::unchanged:
    case Outcome::planned:
        return kExitOk;
    case Outcome::stopped:
    case Outcome::rolled_back:
    case Outcome::failed:
        return kExitNo;
    case Outcome::unsafe:
        return kExitUnsafe;
    case Outcome::error:
        return kExitInput;
    }
    return kExitInput;
}

void to_json(json& j, const HostResult& r) {
    j = {{"host", r.host},
         {"action", r.action},
         {"outcome", outcome_name(r.outcome)},
         {"release", r.release},
         {"from", r.from},
         {"reason", r.reason},
         {"findings", r.findings},
         {"not_judged", r.not_judged},
         {"journal", r.journal},
         {"took_ms", r.took.count()}};
    if (!r.plan.empty()) j["plan"] = r.plan;
}

json health_args(const config::AppConfig& app, const DeployOptions& options) {
    const config::HealthSpec& h = app.health;
    json j = {{"kind", h.kind == config::HealthSpec::Kind::http  ? "http"
                       : h.kind == config::HealthSpec::Kind::tcp ? "tcp"
                                                                 : "none"},
              {"https", h.https},
              {"path", h.path},
              {"expect", h.expect},
              {"interval_ms", h.interval.count()},
              {"timeout_ms", h.timeout.count()},
              {"passes", options.passes >= 0 ? options.passes : h.passes},
              {"settle_ms", options.settle_ms >= 0 ? options.settle_ms : h.settle.count()}};
    // The listen address is the default: a wildcard is probed on the loopback.
    std::string host = h.host;
    if (host == "127.0.0.1" && !app.listen_address.empty() && app.listen_address != "0.0.0.0" &&
        app.listen_address != "::")
        host = app.listen_address;
    j["host"] = host;
    j["port"] = h.port ? h.port : app.listen_port;
    return j;
}

namespace {

// One deploy to one connected host, everything after the connection: the release is known by
// now. Each step is a method; carry_out() runs them in order and turns what they throw into the
// host's outcome. A failure after the first change goes to roll_back().
struct Attempt {
    Run& run;
    const Release& release;
    const facts::BinaryFacts& binary;
    const DeployOptions& options;
    const config::AppConfig& app = run.app;
    HostResult& res = run.result;
    const json layout = layout_json(run.layout);
    const std::string deploy_id = new_deploy_id();

    bool uploaded_now = false;
    std::string on_host{}; // the binary's path on the host before it is installed
    HostState state{};     // read under the lock
    Plan plan{};
    PlanInput pin{};
    Undo undo{};
    std::string cursor{}; // the journal's, before the restart
    bool locked = false;
    bool rolling_back = false;
    std::string failure_code = "D403";

    HostResult finish(Outcome o) {
        res.outcome = o;
        res.took = since(run.started);
        if (run.client) run.client->close();
        return res;
    }

    void discard_upload() {
        if (uploaded_now && run.client)
            run.client->call("discard", {{"sha256", release.sha256}}, 30s);
    }

    // Upload only what is missing: the same sha256 already staged or installed is reused.
    std::string upload() {
        json have = run.client->call("have", {{"sha256", release.sha256}, {"layout", layout}}, 60s);
        if (have.at("path").is_string()) {
            on_host = have.at("path").get<std::string>();
            return std::string("already on the host (" + on_host + ")");
        }
        auto t0 = Clock::now();
        json got = run.client->call_with_file(
            "receive", {{"sha256", release.sha256}, {"size", release.size}}, release.binary,
            release.size, 3600s, [&](std::uint64_t sent) {
                if (interrupted(options)) throw Interrupted{true};
                run.emit("upload", "progress", mib(sent) + " of " + mib(release.size), since(t0),
                         {{"sent", sent}, {"size", release.size}});
            });
        on_host = got.at("path").get<std::string>();
        uploaded_now = true;
        return mib(release.size) + " sent, sha256 verified on the host";
    }

    // The gate: the host's facts judged by the check rules; nothing has changed yet.
    std::string gate() {
        json args = {{"collect",
                      {{"install_dir", app.install_dir},
                       {"config_dir", app.config_dir},
                       {"log_dir", app.log_dir},
                       {"binary", run.layout.program(release.id)},
                       {"listen_address", app.listen_address},
                       {"listen_port", app.listen_port},
                       {"user", app.user}}}};
        // A static program needs no library from the host: nothing to resolve there.
        const bool dynamic = binary.elf.linkage.kind == "dynamic";
        if (dynamic) args["libraries_of"] = on_host;
        json facts = run.client->call("facts", args, 120s);
        if (!dynamic) facts["libraries"] = facts::LibraryFacts{true, "", true, {}, {}};
        if (!gate_passes(run, binary, facts, options)) throw GateStopped(res.reason);
        int warnings = 0;
        for (const auto& f : res.findings) warnings += f.severity == Severity::warning;
        return fmt::format("no error findings ({} warning{})", warnings, warnings == 1 ? "" : "s");
    }

    std::string lock() {
        Deployer d = this_deployer();
        try {
            run.client->call(
                "lock",
                {{"layout", layout},
                 {"holder", {{"machine", d.machine}, {"user", d.user}, {"deploy_id", deploy_id}}}},
                30s);
        } catch (const HostError& e) {
            res.findings.push_back(deploy_finding(
                "D402", "another deploy of " + app.name + " is running on " + run.host, e.what(),
                "wait for it to finish, then deploy again"));
            throw;
        }
        locked = true;
        return std::string("held until this deploy ends");
    }

    HostState read_state() {
        return host_state_from(run.client->call(
            "state", {{"layout", layout}, {"files", desired_paths(app)}, {"user", app.user}}, 60s));
    }

    void make_the_plan() {
        pin.app = &app;
        pin.layout = run.layout;
        pin.release = release;
        pin.state = state;
        pin.files = desired_files(app, state.systemd_version);
        plan = make_plan(pin);
        for (const auto& n : plan.notes) run.emit("plan", "note", n);
    }

    HostResult dry_run_result() {
        if (uploaded_now)
            res.plan.push_back("upload " + mib(release.size) + " (discarded after this dry run)");
        for (const auto& s : plan.steps) res.plan.push_back(s.what);
        discard_upload();
        res.release = state.current;
        return finish(Outcome::planned);
    }

    // The release is already current: healthy is done; not answering is restarted and verified
    // like a deploy (false).
    bool current_and_healthy() {
        json probe;
        run.step("probe", [&] {
            probe = run.client->call("probe", {{"health", health_args(app, options)}}, 60s);
            return release.id + " is already current: " + probe.value("detail", "");
        });
        if (probe.value("healthy", false)) return true;
        run.emit("probe", "note", release.id + " is current but unhealthy: restarting it");
        pin.state.service.active_state = "failed";
        plan = make_plan(pin);
        return false;
    }

    void record(const std::string& phase, const std::string& result, const std::string& reason) {
        HistoryEntry e = entry("deploy", phase, release.id, state.current, deploy_id);
        e.result = result;
        e.reason = reason;
        if (phase == "end") {
            e.version = release.version;
            e.sha256 = release.sha256;
        }
        run.client->call("record", {{"layout", layout}, {"entry", e}}, 30s);
    }

    std::string restart() {
        json r = run.client->call(
            "restart", {{"unit", run.layout.unit_name}, {"enable", plan.first_deploy}}, 960s);
        cursor = r.value("cursor", "");
        if (r.value("stop_killed", false))
            res.findings.push_back(deploy_finding(
                "D406", "the old process ignored SIGTERM and was killed",
                fmt::format("stopping {} took until TimeoutStopSec (restart took {:.1f} s); "
                            "systemd sent SIGKILL",
                            state.current.empty() ? "it" : state.current,
                            r.value("took_ms", 0) / 1000.0),
                "handle SIGTERM and drain (signal.NotifyContext + http.Server.Shutdown); set "
                "shutdown_timeout"));
        return run.layout.unit_name + (plan.first_deploy ? " enabled and started" : " restarted");
    }

    std::string verify() {
        json v = run.client->call(
            "verify", {{"unit", run.layout.unit_name}, {"health", health_args(app, options)}},
            app.health.timeout + app.health.settle + 120s, [&](const json& e) {
                if (e.contains("probe"))
                    run.emit("verify", "progress",
                             e["probe"].value("detail", "") + " (" +
                                 std::to_string(e["probe"].value("in_a_row", 0)) + " in a row)",
                             {}, e);
            });
        if (!v.value("healthy", false)) {
            std::string kind = v.value("failure", "");
            // Dying after it started is a crash like a restart is.
            failure_code = kind == "crash_loop" || kind == "stopped" ? "D404"
                           : kind == "unhealthy"                     ? "D405"
                                                                     : "D403";
            throw HostError(v.value("reason", "not healthy"));
        }
        int probes = v.value("probes", 0);
        return probes > 0 ? fmt::format("{} health probe{}, {} in a row; no restart", probes,
                                        probes == 1 ? "" : "s", v.value("in_a_row", 0))
                          : std::string("active, no restart");
    }

    // One step of the plan; what it returns is the step's detail.
    std::string apply(const Step& s) {
        switch (s.kind) {
        case StepKind::install: {
            json r = run.client->call(
                "install",
                {{"layout", layout}, {"release", release_json(release)}, {"source", on_host}},
                600s);
            return r.value("created", false) ? s.what : "already installed";
        }
        case StepKind::write_file: {
            json r = run.client->call_with_bytes("write", file_args(s.file), s.file.content, 60s);
            Undo::File f{s.file, std::nullopt};
            if (r.at("previous").is_string())
                f.previous = decode_base64(r.at("previous").get<std::string>());
            undo.files.push_back(std::move(f));
            if (s.file.role == "unit") undo.unit_written = true;
            return s.what;
        }
        case StepKind::ensure_user:
            run.client->call("ensure_user", {{"user", app.user}}, 60s);
            return s.what;
        case StepKind::daemon_reload:
            run.client->call("daemon_reload", json::object(), 180s);
            return s.what;
        case StepKind::switch_current:
            run.client->call("switch", {{"layout", layout}, {"id", release.id}}, 30s);
            undo.switched = true;
            return s.what;
        case StepKind::restart:
            return restart();
        case StepKind::verify:
            return verify();
        case StepKind::record:
            record("end", "success", "");
            return std::string("history.jsonl");
        case StepKind::prune: {
            json r = run.client->call("prune",
                                      {{"layout", layout},
                                       {"keep", app.keep_releases},
                                       {"protect", {release.id, plan.previous}}},
                                      120s);
            return "removed " + (r.at("removed").empty()
                                     ? std::string("nothing")
                                     : join(r.at("removed").get<std::vector<std::string>>(), " "));
        }
        case StepKind::probe:
            return std::string();
        }
        return std::string();
    }

    // Carries out the plan; the failure that stops it, or "" when every step passed.
    std::string carry_out_plan() {
        for (const auto& s : plan.steps) {
            const std::string name = step_name(s.kind);
            if (interrupted(options)) {
                failure_code = "D411";
                return "interrupted (^C or SIGTERM) before " + name;
            }
            try {
                run.step(name, [&] { return apply(s); });
            } catch (const HostError& e) {
                if (!interrupted(options)) return e.what();
                failure_code = "D411";
                return "interrupted (^C or SIGTERM) during " + name;
            }
        }
        return "";
    }

    // The release failed: undo what changed, go back, prove the old one healthy again.
    std::string roll_back() {
        for (auto it = undo.files.rbegin(); it != undo.files.rend(); ++it) {
            if (it->previous) {
                DesiredFile old = it->desired;
                old.content = *it->previous;
                old.sha256 =
                    sha256_hex(std::as_bytes(std::span(old.content.data(), old.content.size())));
                run.client->call_with_bytes("write", file_args(old), old.content, 60s);
            } else {
                run.client->call("remove", {{"path", it->desired.path}}, 30s);
            }
        }
        if (undo.unit_written) run.client->call("daemon_reload", json::object(), 180s);
        if (plan.previous.empty()) {
            run.client->call("stop", {{"unit", run.layout.unit_name}}, 300s);
            return std::string("no previous release: ") + run.layout.unit_name + " stopped";
        }
        if (undo.switched || state.current != plan.previous)
            run.client->call("switch", {{"layout", layout}, {"id", plan.previous}}, 30s);
        if (!cursor.empty()) {
            run.client->call("restart", {{"unit", run.layout.unit_name}, {"enable", false}}, 960s);
            json v = run.client->call(
                "verify", {{"unit", run.layout.unit_name}, {"health", health_args(app, options)}},
                app.health.timeout + app.health.settle + 120s);
            if (!v.value("healthy", false))
                throw HostError("the previous release " + plan.previous +
                                " is not healthy either: " + v.value("reason", ""));
        }
        return plan.previous + " runs again, verified";
    }

    HostResult failed(const std::string& failure) {
        res.reason = failure;
        const std::string where = "release " + release.id + " on " + run.host;
        res.findings.push_back(
            failure_code == "D411"
                ? deploy_finding("D411", failure, where, "deploy again when you are ready")
                : deploy_finding(failure_code, failure, where,
                                 "read the journal lines below; fix the release and deploy "
                                 "again"));
        if (!cursor.empty()) {
            try {
                json j = run.client->call(
                    "journal", {{"unit", run.layout.unit_name}, {"cursor", cursor}, {"max", 60}},
                    30s);
                res.journal = j.at("lines").get<std::vector<std::string>>();
            } catch (const std::exception&) {
            }
        }
        rolling_back = true;
        run.step("rollback", [&] { return roll_back(); });
        record("end", "failed", failure);
        res.release = plan.previous;
        return finish(plan.previous.empty() ? Outcome::failed : Outcome::rolled_back);
    }

    HostResult steps() {
        run.step("upload", [&] { return upload(); });
        if (interrupted(options)) throw Interrupted{};
        run.step("gate", [&] { return gate(); });
        // What the host has, read once the lock keeps anyone else from changing it (a dry run
        // takes no lock: it changes nothing).
        if (interrupted(options)) throw Interrupted{};
        if (!options.dry_run) run.step("lock", [&] { return lock(); });
        state = read_state();
        res.from = state.current;
        make_the_plan();
        if (options.dry_run) return dry_run_result();
        if (plan.identical && current_and_healthy()) {
            res.release = release.id;
            return finish(Outcome::unchanged);
        }
        record("start", "", "");
        std::string failure = carry_out_plan();
        if (!failure.empty()) return failed(failure);
        res.release = release.id;
        return finish(Outcome::deployed);
    }

    HostResult carry_out() {
        try {
            return steps();
        } catch (const GateStopped&) {
            discard_upload();
            return finish(Outcome::stopped);
        } catch (const Interrupted& i) {
            res.reason = "interrupted (^C or SIGTERM) before any change: the host is unchanged";
            if (i.mid_stream)
                run.client
                    .reset(); // the host's berth sees its input end and drops the partial file
            else
                discard_upload();
            return finish(Outcome::stopped);
        } catch (const HostError& e) {
            if (rolling_back) {
                res.findings.push_back(deploy_finding(
                    "D407", "rolling back failed: " + std::string(e.what()),
                    "the release " + release.id + " failed (" + res.reason + "); going back to " +
                        (plan.previous.empty() ? std::string("nothing") : plan.previous) +
                        " failed",
                    "look at `journalctl -u " + run.layout.unit_name +
                        "`, then `berth rollback --to ID` or deploy a fixed release"));
                res.reason =
                    "the release failed (" + res.reason + ") and rolling back failed: " + e.what();
                return finish(Outcome::unsafe);
            }
            if (res.reason.empty()) res.reason = e.what();
            if (!res.findings.empty() && res.findings.back().code == "D402")
                return finish(Outcome::stopped);
            return finish(Outcome::error);
        } catch (const remote::TransportError& e) {
            res.reason = e.what();
            if (locked) {
                res.findings.push_back(deploy_finding(
                    "D408", "the connection was lost during the deploy", e.what(),
                    "deploy again: the host serves the old or the new release, and the next "
                    "deploy completes it"));
                return finish(Outcome::unsafe);
            }
            return finish(Outcome::error);
        } catch (const std::exception& e) {
            // InputError (a file here unreadable) or a reply that is not what the op promises.
            res.reason = e.what();
            return finish(locked ? Outcome::unsafe : Outcome::error);
        }
    }
};

} // namespace

HostResult deploy_host(remote::Transport& transport, const std::string& host_name,
                       const config::AppConfig& app, const std::shared_future<Release>& release,
                       const facts::BinaryFacts& binary, const DeployOptions& options,
                       const EventSink& events) {
    Run run{transport, host_name, app, layout_of(app), events, {}, {}, Clock::now()};
    run.result.host = host_name;
    // The release is named (its 20 MB hashed) while the connection is made.
    try {
        run.connect();
        run.client->watch_interrupt(options.interrupted);
        if (interrupted(options))
            throw std::runtime_error(
                "interrupted (^C or SIGTERM) before any change: the host is unchanged");
    } catch (const std::exception& e) {
        run.result.reason = e.what();
        run.result.outcome = Outcome::error;
        run.result.took = since(run.started);
        return run.result;
    }
    return Attempt{run, release.get(), binary, options}.carry_out();
}

} // namespace berth::deploy
