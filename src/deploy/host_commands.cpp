// rollback, releases and status: the commands that move or look at a host's releases, through
// the same session with the host's berth as a deploy.
#include "deploy/client.hpp"
#include "deploy/deploy.hpp"
#include "deploy/deploy_codes.hpp"
#include "deploy/layout.hpp"
#include "deploy/plan.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace berth::deploy {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

HostState read_state(AgentClient& c, const Layout& l, const config::AppConfig& app) {
    return host_state_from(
        c.call("state", {{"layout", l}, {"files", json::array()}, {"user", app.user}}, 60s));
}

} // namespace

HostResult rollback_host(remote::Transport& transport, const std::string& host_name,
                         const config::AppConfig& app, const std::string& to,
                         const EventSink& events) {
    HostResult res;
    res.host = host_name;
    res.action = "rollback";
    const auto started = Clock::now();
    const Layout l = layout_of(app);
    auto emit = [&](const std::string& step, const std::string& phase, const std::string& detail) {
        events({host_name, step, phase, {}, detail, json::object()});
    };
    auto finish = [&](Outcome o) {
        res.outcome = o;
        res.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        return res;
    };
    std::string from, target;
    bool switched = false;
    try {
        AgentClient client(transport,
                           [&](const std::string& note) { emit("connect", "note", note); });
        Deployer d = this_deployer();
        try {
            client.call(
                "lock",
                {{"layout", l},
                 {"holder", {{"machine", d.machine}, {"user", d.user}, {"deploy_id", "rollback"}}}},
                30s);
        } catch (const HostError& e) {
            res.reason = e.what();
            res.findings.push_back(deploy_finding(
                "D402", "another deploy of " + app.name + " is running on " + host_name, e.what(),
                "wait for it to finish"));
            return finish(Outcome::stopped);
        }
        HostState s = read_state(client, l, app);
        from = s.current;
        res.from = from;
        target = to.empty() ? previous_good(s.history, s.current) : to;
        if (target.empty()) {
            res.reason =
                "no earlier good release in the history of " + app.name + " on " + host_name;
            return finish(Outcome::stopped);
        }
        if (!std::any_of(s.releases.begin(), s.releases.end(),
                         [&](const auto& r) { return r.id == target; })) {
            res.reason =
                "release " + target + " is not on " + host_name + " (berth releases lists what is)";
            return finish(Outcome::stopped);
        }
        HistoryEntry e;
        e.event = "rollback";
        e.phase = "start";
        e.release = target;
        e.previous = from;
        e.machine = d.machine;
        e.user = d.user;
        client.call("record", {{"layout", l}, {"entry", e}}, 30s);
        emit("switch", "done", l.current + " -> releases/" + target);
        client.call("switch", {{"layout", l}, {"id", target}}, 30s);
        switched = true;
        json r = client.call("restart", {{"unit", l.unit_name}, {"enable", false}}, 960s);
        emit("restart", "done",
             fmt::format("{} restarted in {:.1f} s", l.unit_name, r.value("took_ms", 0) / 1000.0));
        json v = client.call("verify", {{"unit", l.unit_name}, {"health", health_args(app, {})}},
                             app.health.timeout + app.health.settle + 120s);
        e.phase = "end";
        if (v.value("healthy", false)) {
            emit("verify", "done", "healthy");
            e.result = "success";
            client.call("record", {{"layout", l}, {"entry", e}}, 30s);
            res.release = target;
            return finish(Outcome::deployed);
        }
        res.reason = v.value("reason", "not healthy");
        emit("verify", "fail", res.reason);
        res.findings.push_back(deploy_finding("D405", "release " + target + " is not healthy",
                                              res.reason, "choose another release with --to"));
        // Back to where we were.
        client.call("switch", {{"layout", l}, {"id", from}}, 30s);
        client.call("restart", {{"unit", l.unit_name}, {"enable", false}}, 960s);
        json back = client.call("verify", {{"unit", l.unit_name}, {"health", health_args(app, {})}},
                                app.health.timeout + app.health.settle + 120s);
        e.result = back.value("healthy", false) ? "failed" : "rollback-failed";
        e.reason = res.reason;
        client.call("record", {{"layout", l}, {"entry", e}}, 30s);
        res.release = from;
        if (!back.value("healthy", false)) {
            res.findings.push_back(deploy_finding("D407", "going back to " + from + " failed too",
                                                  back.value("reason", ""),
                                                  "look at journalctl -u " + l.unit_name));
            return finish(Outcome::unsafe);
        }
        return finish(Outcome::rolled_back);
    } catch (const HostError& e) {
        res.reason = e.what();
        return finish(switched ? Outcome::unsafe : Outcome::error);
    } catch (const remote::TransportError& e) {
        res.reason = e.what();
        return finish(switched ? Outcome::unsafe : Outcome::error);
    }
}

std::vector<ReleaseRow> list_host_releases(remote::Transport& transport,
                                           const config::AppConfig& app) {
    AgentClient client(transport, [](const std::string&) {});
    HostState s = read_state(client, layout_of(app), app);
    // Each release's newest deploy end in the journal says when, by whom and how it went.
    std::map<std::string, HistoryEntry> last;
    std::map<std::string, std::uint64_t> order;
    for (const auto& e : s.history.entries) {
        order[e.release] = e.seq;
        if (e.phase == "end") last[e.release] = e;
    }
    std::vector<ReleaseRow> rows;
    for (const auto& r : s.releases) {
        ReleaseRow row;
        row.id = r.id;
        row.version = r.version;
        row.sha256 = r.sha256;
        row.size = r.size;
        row.current = r.id == s.current;
        if (auto it = last.find(r.id); it != last.end()) {
            row.deployed_at = it->second.time;
            row.machine = it->second.machine;
            row.user = it->second.user;
            row.result = it->second.result;
        } else {
            row.deployed_at = r.installed;
        }
        rows.push_back(row);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const auto& a, const auto& b) { return order[a.id] > order[b.id]; });
    return rows;
}

void to_json(json& j, const HostStatus& s) {
    j = {{"host", s.host},
         {"current", s.current},
         {"active_state", s.active_state},
         {"sub_state", s.sub_state},
         {"uptime_s", s.uptime_s},
         {"restarts", s.restarts},
         {"health", s.health},
         {"healthy", s.healthy},
         {"last_deploy", s.last_deploy},
         {"lock", s.lock}};
}

HostStatus host_status(remote::Transport& transport, const std::string& host_name,
                       const config::AppConfig& app) {
    AgentClient client(transport, [](const std::string&) {});
    const Layout l = layout_of(app);
    json state =
        client.call("state", {{"layout", l}, {"files", json::array()}, {"user", app.user}}, 60s);
    HostState s = host_state_from(state);
    HostStatus st;
    st.host = host_name;
    st.current = s.current;
    st.active_state = s.service.active_state;
    st.sub_state = s.service.sub_state;
    st.uptime_s = state.at("service").value("uptime_us", std::uint64_t{0}) / 1000000u;
    st.restarts = s.service.n_restarts;
    for (auto it = s.history.entries.rbegin(); it != s.history.entries.rend(); ++it)
        if (it->phase == "end") {
            st.last_deploy = it->release + " " + it->result + " at " + it->time + " by " +
                             it->user + "@" + it->machine;
            break;
        }
    if (s.lock)
        st.lock = s.lock->value("user", "?") + "@" + s.lock->value("machine", "?") + " since " +
                  s.lock->value("since", "?");
    if (app.health.kind != config::HealthSpec::Kind::none && st.active_state == "active") {
        json p = client.call("probe", {{"health", health_args(app, {})}}, 60s);
        st.health = p.value("detail", "");
        st.healthy = p.value("healthy", false);
    } else {
        st.healthy = st.active_state == "active";
    }
    return st;
}

} // namespace berth::deploy
