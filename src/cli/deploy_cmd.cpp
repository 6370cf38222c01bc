// `berth deploy`, `berth rollback`, `berth releases`, `berth status`: releases on hosts (or this
// machine), through the system OpenSSH client. deploy/ does the work; this file wires options,
// transports and output.
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/deploy_fleet.hpp"
#include "cli/targets.hpp"
#include "deploy/deploy.hpp"
#include "deploy/release.hpp"
#include "facts/binary_facts.hpp"
#include "fleet/parallel.hpp"
#include "remote/transport.hpp"
#include "report/deploy_text.hpp"
#include "report/fleet_text.hpp"
#include "report/terminal.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/json_text.hpp"

#include <algorithm>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>

namespace berth::cli {

namespace {

// Events: on a terminal (not a dumb one) a line per step (and a live line while one runs); JSON
// lines otherwise with --json; plain lines on a pipe.
deploy::EventSink event_printer(bool json) {
    const bool tty = report::live_line();
    return [json, tty](const deploy::Event& e) {
        if (json) {
            nlohmann::json j = {{"type", "event"}};
            j.update(nlohmann::json(e));
            std::printf("%s\n",
                        j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        } else if (e.phase == "progress") {
            if (tty) std::printf("\r\033[K%s", report::deploy_progress_line(e).c_str());
        } else if (std::string line = report::deploy_event_line(e); !line.empty()) {
            std::printf("%s%s", tty ? "\r\033[K" : "", line.c_str());
        }
        std::fflush(stdout);
    };
}

void print_result(const deploy::HostResult& r, bool json) {
    if (json) {
        nlohmann::json j = {{"type", "result"}};
        j.update(nlohmann::json(r));
        std::printf("%s\n",
                    j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
        std::fputs(report::deploy_result_text(r, report::use_color()).c_str(), stdout);
    }
    std::fflush(stdout);
}

// The worst exit status of the hosts: 3 over 1 over 2 over 0 (a host that could not be rolled
// back matters most).
int combine(int a, int b) {
    auto rank = [](int s) {
        return s == kExitUnsafe ? 3 : s == kExitNo ? 2 : s == kExitInput ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

struct DeployCmd {
    std::string binary;
    ConfigFlags config;
    TargetFlags target;
    deploy::DeployOptions options;
    RolloutFlags rollout;
};

int run_deploy(const DeployCmd& cmd) {
    config::AppConfig app = load_config(cmd.config);
    std::string binary = cmd.binary.empty() ? app.binary : cmd.binary;
    if (binary.empty())
        throw InputError("no binary to deploy: name it (berth deploy ./app) or set binary: in "
                         "berth.yaml");
    config::complete_app_config(app, binary);
    facts::BinaryFacts facts = facts::collect_binary_facts(binary, facts::InspectOptions{});
    // Hashed while the first host is connected to.
    std::shared_future<deploy::Release> release =
        std::async(std::launch::async, [&] { return deploy::make_release(app, facts); }).share();
    auto sink = event_printer(cmd.target.json);
    deploy::DeployOptions options = cmd.options;
    options.interrupted = &catch_interrupts(
        "\nberth: interrupted: stopping at the next safe point and undoing what this deploy "
        "changed (^C again to stop at once)\n");
    std::vector<Target> hosts = targets(cmd.target, app);
    fleet::RolloutOptions rollout = rollout_options(app.rollout, cmd.rollout);
    rollout.interrupted = options.interrupted;
    if (hosts.size() > 1)
        return deploy_fleet(hosts, app, release, facts, options, rollout, cmd.target.json);
    int status = kExitOk;
    for (auto& t : hosts) {
        if (options.interrupted->load()) {
            std::fprintf(stderr, "berth: %s: not deployed (interrupted)\n", t.name.c_str());
            status = combine(status, kExitNo);
            continue;
        }
        if (!cmd.target.json)
            std::printf("%s %s (%s) to %s\n", options.dry_run ? "planning" : "deploying",
                        app.name.c_str(), binary.c_str(), t.name.c_str());
        auto r = deploy::deploy_host(*t.transport, t.name, app, release, facts, options, sink);
        print_result(r, cmd.target.json);
        status = combine(status, deploy::exit_status(r.outcome));
    }
    return status;
}

struct RollbackCmd {
    std::string to;
    ConfigFlags config;
    TargetFlags target;
};

config::AppConfig named_app(const ConfigFlags& flags) {
    config::AppConfig app = load_config(flags);
    if (app.name.empty())
        throw InputError("no app name: give --name or name: in berth.yaml (or --config FILE)");
    config::complete_app_config(app, app.name);
    return app;
}

int run_rollback(const RollbackCmd& cmd) {
    if (!cmd.to.empty() && !deploy::valid_release_id(cmd.to))
        throw InputError("--to " + cmd.to + ": not a release ID (berth releases lists them)");
    config::AppConfig app = named_app(cmd.config);
    auto sink = event_printer(cmd.target.json);
    int status = kExitOk;
    for (auto& t : targets(cmd.target, app)) {
        if (!cmd.target.json)
            std::printf("rolling back %s on %s%s\n", app.name.c_str(), t.name.c_str(),
                        cmd.to.empty() ? "" : (" to " + cmd.to).c_str());
        auto r = deploy::rollback_host(*t.transport, t.name, app, cmd.to, sink);
        print_result(r, cmd.target.json);
        status = combine(status, deploy::exit_status(r.outcome));
    }
    return status;
}

struct ViewCmd {
    ConfigFlags config;
    TargetFlags target;
};

// Each host read at once (at most berth.yaml's rollout.forks); `read(i)` returns its answer or
// throws, which is reported as that host's error (exit 2), in host order.
template <class T, class F>
std::vector<std::optional<T>> read_hosts(const std::vector<Target>& hosts, int forks, F&& read,
                                         int& status) {
    std::vector<std::optional<T>> out(hosts.size());
    std::vector<std::string> errors(hosts.size());
    fleet::run_parallel(
        fleet::all_of(hosts.size()), forks, [] { return true; },
        [&](std::size_t i) {
            try {
                out[i] = read(i);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (std::size_t i = 0; i < hosts.size(); ++i)
        if (!errors[i].empty()) {
            std::fprintf(stderr, "berth: %s: %s\n", hosts[i].name.c_str(), errors[i].c_str());
            status = combine(status, kExitInput);
        }
    return out;
}

int run_releases(const ViewCmd& cmd) {
    config::AppConfig app = named_app(cmd.config);
    std::vector<Target> hosts = targets(cmd.target, app);
    int status = kExitOk;
    auto all = read_hosts<std::vector<deploy::ReleaseRow>>(
        hosts, app.rollout.forks,
        [&](std::size_t i) { return deploy::list_host_releases(*hosts[i].transport, app); },
        status);
    nlohmann::json doc = {{"schema", "berth.releases/1"}, {"hosts", nlohmann::json::array()}};
    std::vector<std::pair<std::string, std::string>> current;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (!all[i]) continue;
        nlohmann::json list = nlohmann::json::array();
        std::string on;
        for (const auto& r : *all[i]) {
            if (r.current) on = r.id;
            list.push_back({{"id", r.id},
                            {"version", r.version},
                            {"sha256", r.sha256},
                            {"size", r.size},
                            {"current", r.current},
                            {"deployed_at", r.deployed_at},
                            {"machine", r.machine},
                            {"user", r.user},
                            {"result", r.result}});
        }
        current.emplace_back(hosts[i].name, on);
        doc["hosts"].push_back({{"host", hosts[i].name}, {"releases", list}});
        if (!cmd.target.json)
            std::fputs(report::releases_text(hosts[i].name, *all[i]).c_str(), stdout);
    }
    std::string drift = report::drift_text(current);
    doc["drift"] = !drift.empty();
    if (cmd.target.json)
        std::printf("%s\n", json_text(doc).c_str());
    else
        std::fputs(drift.c_str(), stdout);
    return status;
}

int run_status(const ViewCmd& cmd) {
    config::AppConfig app = named_app(cmd.config);
    std::vector<Target> hosts = targets(cmd.target, app);
    int status = kExitOk;
    auto read = read_hosts<deploy::HostStatus>(
        hosts, app.rollout.forks,
        [&](std::size_t i) { return deploy::host_status(*hosts[i].transport, hosts[i].name, app); },
        status);
    std::vector<deploy::HostStatus> all;
    std::vector<std::pair<std::string, std::string>> current;
    for (auto& s : read) {
        if (!s) continue;
        if (!s->healthy) status = combine(status, kExitNo);
        current.emplace_back(s->host, s->current);
        all.push_back(std::move(*s));
    }
    std::string drift = report::drift_text(current);
    if (cmd.target.json) {
        nlohmann::json doc = {
            {"schema", "berth.status/1"}, {"hosts", all}, {"drift", !drift.empty()}};
        std::printf("%s\n", json_text(doc).c_str());
    } else {
        std::fputs((report::status_text(all) + drift).c_str(), stdout);
    }
    return status;
}

} // namespace

void add_deploy(CLI::App& app, int& exit_status) {
    auto d = std::make_shared<DeployCmd>();
    auto* cmd = app.add_subcommand(
        "deploy",
        "Install a release on hosts, switch to it, prove it healthy, roll back on failure");
    cmd->add_option("binary", d->binary, "The Go program (default: berth.yaml's binary)")
        ->type_name("FILE");
    add_config_flags(cmd, d->config, kPlaceFlags);
    add_target_flags(cmd, d->target);
    cmd->add_flag("--dry-run", d->options.dry_run,
                  "Print every change the deploy would make; change nothing");
    cmd->add_option("--allow", d->options.allow,
                    "Accept this error finding at the gate knowingly (repeatable; it still prints)")
        ->type_name("CODE");
    cmd->add_option("--settle", d->options.settle_ms,
                    "Override health.settle: milliseconds without a restart after the start")
        ->type_name("MS");
    cmd->add_option("--passes", d->options.passes,
                    "Override health.passes: healthy answers in a row wanted")
        ->type_name("N");
    add_rollout_flags(cmd, d->rollout);
    cmd->footer(
        "Steps on each host: connect (berth installs itself there once), upload what is missing,\n"
        "gate (the host's facts judged like `berth check`), lock, install releases/ID, files and\n"
        "unit, switch current, restart, verify (no restart during settle, health passes), record.\n"
        "On failure: files and unit restored, current switched back, restarted, verified.\n\n"
        "Examples:\n"
        "  berth deploy ./shop --host root@web1\n"
        "  berth deploy --config deploy/berth.yaml --dry-run\n"
        "  berth deploy ./shop --host deploy@10.0.0.5 --sudo --allow H211\n\n"
        "To several hosts it is a rollout (docs/fleet.md): batches (--batch 1 --batch 25% = a\n"
        "canary, then quarters), at most --forks hosts at once, stopped when more than\n"
        "--max-failures hosts fail (default: the first), --rollback-all then returns the updated\n"
        "ones; a live board on a terminal, JSON lines on a pipe, a table at the end.\n"
        "  berth deploy ./shop --host web1 --host web2 --host web3 --batch 1 --batch 50%\n\n"
        "^C stops safely: before a change the host is unchanged; after one, the deploy rolls\n"
        "back (verified). A second ^C ends berth at once.\n\n"
        "Exit status: 0 deployed (or already current) everywhere; 1 stopped at the gate, failed\n"
        "and rolled back, or the rollout stopped; 2 usage, input, connection error; 3 failed and\n"
        "could not roll back.");
    cmd->callback([d, &exit_status] { exit_status = run_deploy(*d); });

    auto r = std::make_shared<RollbackCmd>();
    auto* rb = app.add_subcommand("rollback",
                                  "Go back to the previous good release (or --to ID), verified");
    rb->add_option("--to", r->to, "The release to go back to (see berth releases)")
        ->type_name("ID");
    add_config_flags(rb, r->config, kPlaceFlags);
    add_target_flags(rb, r->target);
    rb->footer(
        "Examples:\n  berth rollback --host web1\n  berth rollback --to v1.2.0-3f2a9c1d0e8b\n\n"
        "Exit status: 0 rolled back and healthy; 1 not done (no earlier release), or it\n"
        "was unhealthy and the current one runs again; 2 error; 3 the host needs a human.");
    rb->callback([r, &exit_status] { exit_status = run_rollback(*r); });

    auto v = std::make_shared<ViewCmd>();
    auto* rel = app.add_subcommand("releases", "The releases on each host, current marked");
    add_config_flags(rel, v->config, kPlaceFlags);
    add_target_flags(rel, v->target);
    rel->footer("Exit status: 0 listed; 2 a host could not be read.");
    rel->callback([v, &exit_status] { exit_status = run_releases(*v); });

    auto s = std::make_shared<ViewCmd>();
    auto* st = app.add_subcommand("status", "Each host's release, state, uptime, restarts, health");
    add_config_flags(st, s->config, kPlaceFlags);
    add_target_flags(st, s->target);
    st->footer("Exit status: 0 every host healthy; 1 one is not; 2 a host could not be read.");
    st->callback([s, &exit_status] { exit_status = run_status(*s); });
}

} // namespace berth::cli
