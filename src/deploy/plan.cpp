#include "deploy/plan.hpp"

#include "unit/generate.hpp"
#include "unit/spec.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/sha256.hpp"

#include <algorithm>

namespace berth::deploy {

namespace {

constexpr std::size_t kMaxLocalFile = 16u << 20;

std::string read_local(const std::string& path, const char* what) {
    return read_input_file(path, kMaxLocalFile, what);
}

std::string sha_of(const std::string& s) {
    return sha256_hex(std::as_bytes(std::span(s.data(), s.size())));
}

// systemd's EnvironmentFile= quoting: inside double quotes, '\' escapes '"', '\' and '$'.
std::string env_quoted(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\' || c == '$' || c == '`') out += '\\';
        out += c;
    }
    return out + "\"";
}

} // namespace

const char* step_name(StepKind k) {
    switch (k) {
    case StepKind::install:
        return "install";
    case StepKind::write_file:
        return "write";
    case StepKind::ensure_user:
        return "user";
    case StepKind::daemon_reload:
        return "reload";
    case StepKind::switch_current:
        return "switch";
    case StepKind::restart:
        return "restart";
    case StepKind::verify:
        return "verify";
    case StepKind::probe:
        return "probe";
    case StepKind::record:
        return "record";
    case StepKind::prune:
        return "prune";
    }
    return "?";
}

HostState host_state_from(const nlohmann::json& r) {
    try {
        HostState s;
        s.current = r.at("current").get<std::string>();
        for (const auto& x : r.at("releases"))
            s.releases.push_back({x.at("id").get<std::string>(), x.value("version", ""),
                                  x.at("sha256").get<std::string>(), x.value("installed", ""),
                                  x.value("size", std::uint64_t{0})});
        for (const auto& e : r.at("history")) s.history.entries.push_back(e.get<HistoryEntry>());
        s.history.damaged_lines = r.value("history_damaged_lines", 0);
        for (auto it = r.at("files").begin(); it != r.at("files").end(); ++it)
            s.files[it.key()] = it->is_string() ? it->get<std::string>() : "";
        s.user_exists = r.value("user_exists", true);
        s.systemd_version = r.value("systemd_version", 0);
        const auto& sv = r.at("service");
        s.service.active_state = sv.value("active_state", "");
        s.service.sub_state = sv.value("sub_state", "");
        s.service.result = sv.value("result", "");
        s.service.invocation_id = sv.value("invocation_id", "");
        s.service.n_restarts = sv.value("n_restarts", std::uint64_t{0});
        s.service.main_pid = sv.value("main_pid", 0);
        s.service.exec_main_status = sv.value("exec_main_status", 0);
        s.service.active_enter = sv.value("active_enter", "");
        s.service.loaded = sv.value("loaded", false);
        if (r.contains("lock") && !r.at("lock").is_null()) s.lock = r.at("lock");
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("the host's state is malformed: ") + e.what());
    }
}

std::string environment_text(const config::AppConfig& app) {
    std::string text;
    if (!app.environment_file.empty()) {
        text = read_local(app.environment_file, "an environment file");
        if (!text.empty() && text.back() != '\n') text += '\n';
    }
    if (!app.environment.empty()) {
        text += "# from berth.yaml's environment:\n";
        for (const auto& [name, value] : app.environment)
            text += name + "=" + env_quoted(value) + "\n";
    }
    return text;
}

std::vector<DesiredFile> desired_files(const config::AppConfig& app, int host_systemd_version) {
    std::vector<DesiredFile> out;
    auto add = [&](std::string path, std::string content, unsigned mode, std::string group,
                   const char* role) {
        DesiredFile f;
        f.path = std::move(path);
        f.sha256 = sha_of(content);
        f.content = std::move(content);
        f.mode = mode;
        f.group = std::move(group);
        f.role = role;
        out.push_back(std::move(f));
    };
    std::string unit_text;
    if (!app.unit_file.empty()) {
        unit_text = read_local(app.unit_file, "a unit file");
    } else {
        config::AppConfig c = app;
        // The unit always starts the current release, and fits the host's systemd.
        c.exec = app.install_dir + "/current/bin/" + app.name;
        if (c.systemd_version == 0 && host_systemd_version > 0)
            c.systemd_version = host_systemd_version;
        unit_text = unit::generate_unit(unit::spec_from_config(c)).text;
    }
    add("/etc/systemd/system/" + app.name + ".service", unit_text, 0644, "", "unit");
    if (config::has_environment(app))
        add(config::environment_path(app), environment_text(app), 0600, "", "environment");
    for (const auto& f : app.config_files)
        add(f.dest, read_local(f.src, "a config file"), f.mode, app.user, "config");
    return out;
}

std::vector<std::string> desired_paths(const config::AppConfig& app) {
    std::vector<std::string> out = {"/etc/systemd/system/" + app.name + ".service"};
    if (config::has_environment(app)) out.push_back(config::environment_path(app));
    for (const auto& f : app.config_files) out.push_back(f.dest);
    return out;
}

Plan make_plan(const PlanInput& in) {
    const config::AppConfig& app = *in.app;
    const Layout& l = in.layout;
    const Release& r = in.release;
    const HostState& s = in.state;
    Plan p;
    p.first_deploy = s.current.empty() && !s.service.loaded;
    p.previous = previous_good(s.history, r.id);
    if (p.previous.empty() && s.current != r.id) p.previous = s.current;
    if (auto cut = interrupted(s.history))
        p.notes.push_back("the deploy of " + cut->release + " by " + cut->user + "@" +
                          cut->machine + " (started " + cut->time +
                          ") did not finish; this deploy completes the host's state");

    bool changed = false;
    const bool installed = std::any_of(s.releases.begin(), s.releases.end(),
                                       [&](const auto& x) { return x.id == r.id; });
    if (!installed) {
        p.steps.push_back({StepKind::install,
                           "install release " + r.id + " in " + l.release_dir(r.id),
                           "",
                           {},
                           false});
    }
    bool unit_changed = false;
    for (const auto& f : in.files) {
        auto it = s.files.find(f.path);
        std::string have = it == s.files.end() ? "" : it->second;
        if (have == f.sha256) continue;
        Step st{StepKind::write_file,
                std::string(have.empty() ? "create " : "update ") + f.path + " (" + f.role + ")",
                have.empty() ? "remove " + f.path : "restore the previous " + f.path, f,
                have.empty()};
        p.steps.push_back(std::move(st));
        changed = true;
        if (f.role == "unit") unit_changed = true;
    }
    if (!app.user.empty() && !s.user_exists && app.create_user) {
        p.steps.push_back(
            {StepKind::ensure_user, "create the system user " + app.user, "", {}, false});
        changed = true;
    }
    if (unit_changed)
        p.steps.push_back({StepKind::daemon_reload,
                           "systemctl daemon-reload",
                           "systemctl daemon-reload",
                           {},
                           false});
    const bool switching = s.current != r.id;
    if (switching)
        p.steps.push_back({StepKind::switch_current,
                           l.current + " -> releases/" + r.id +
                               (s.current.empty() ? "" : " (was " + s.current + ")"),
                           s.current.empty() ? "" : l.current + " -> releases/" + s.current,
                           {},
                           false});
    const bool healthy_before = s.service.active_state == "active" &&
                                last_success(s.history, r.id).has_value() &&
                                !interrupted(s.history);
    p.identical = !switching && !changed && installed && healthy_before;
    if (p.identical) {
        p.steps.push_back(
            {StepKind::probe, "one health probe: " + r.id + " is already current", "", {}, false});
        return p;
    }
    p.steps.push_back({StepKind::restart,
                       std::string(p.first_deploy ? "enable and start " : "restart ") + l.unit_name,
                       p.previous.empty() ? "stop " + l.unit_name
                                          : "restart " + l.unit_name + " on " + p.previous,
                       {},
                       false});
    p.steps.push_back({StepKind::verify, "verify " + l.unit_name, "", {}, false});
    p.steps.push_back({StepKind::record, "record the deploy in " + l.history, "", {}, false});
    const std::size_t after = s.releases.size() + (installed ? 0 : 1);
    if (after > static_cast<std::size_t>(app.keep_releases))
        p.steps.push_back({StepKind::prune,
                           "remove the oldest releases beyond " + std::to_string(app.keep_releases),
                           "",
                           {},
                           false});
    return p;
}

} // namespace berth::deploy
