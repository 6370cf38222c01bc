#include "fleet/rollout.hpp"

#include "fleet/parallel.hpp"

#include <fmt/format.h>
#include <mutex>
#include <thread>

namespace berth::fleet {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool succeeded(deploy::Outcome o) {
    return o == deploy::Outcome::deployed || o == deploy::Outcome::unchanged ||
           o == deploy::Outcome::planned;
}

HostEnd end_of(const deploy::HostResult& r) {
    if (succeeded(r.outcome)) return HostEnd::ok;
    return r.outcome == deploy::Outcome::unsafe ? HostEnd::unsafe : HostEnd::failed;
}

// A Work function that threw (it should not): a failed host, not a dead rollout.
template <class F> deploy::HostResult guarded(const std::string& name, F&& f) {
    try {
        return f();
    } catch (const std::exception& e) {
        deploy::HostResult r;
        r.host = name;
        r.outcome = deploy::Outcome::error;
        r.reason = e.what();
        return r;
    }
}

// Sleeps `d` in short slices, waking early when `stop()` says so.
void wait_for(milliseconds d, const std::function<bool()>& stop) {
    const auto until = Clock::now() + d;
    while (Clock::now() < until && !stop())
        std::this_thread::sleep_for(
            std::min<Clock::duration>(milliseconds(100), until - Clock::now()));
}

struct Scheduler {
    const RolloutOptions& options;
    const Work& work;
    const std::function<void(const RolloutEvent&)>& on_event;
    RolloutResult res;
    std::mutex mutex; // guards res.hosts, the counts and on_event
    int ok = 0, failed = 0;
    int finished = 0; // hosts no longer waiting: kept, not recounted at each event

    // Under the lock: a host's end, counted once when it leaves `waiting`.
    void set_end(HostReport& h, HostEnd end) {
        if (h.end == HostEnd::waiting && end != HostEnd::waiting) ++finished;
        h.end = end;
    }

    bool interrupted() const { return options.interrupted && options.interrupted->load(); }

    // Under the lock.
    void emit(RolloutEvent::Kind kind, int batch, std::size_t host = 0, std::string detail = {}) {
        if (!on_event) return;
        RolloutEvent e;
        e.kind = kind;
        e.batch = batch;
        e.host = host;
        e.detail = std::move(detail);
        if (kind == RolloutEvent::Kind::host_end && host < res.hosts.size())
            e.report = &res.hosts[host];
        e.done = ok;
        e.failed = failed;
        e.left = static_cast<int>(res.hosts.size()) - finished;
        on_event(e);
    }

    void locked_emit(RolloutEvent::Kind kind, int batch, std::size_t host = 0,
                     std::string detail = {}) {
        std::lock_guard lock(mutex);
        emit(kind, batch, host, std::move(detail));
    }

    // Every host is checked first, in parallel; any that fails stops the rollout before a change.
    bool preflight() {
        locked_emit(RolloutEvent::Kind::preflight, -1);
        const std::vector<std::size_t> all = all_of(res.hosts.size());
        int bad = 0;
        run_parallel(
            all, options.forks, [&] { return !interrupted(); },
            [&](std::size_t i) {
                deploy::HostResult r =
                    guarded(res.hosts[i].name, [&] { return work.preflight(i); });
                std::lock_guard lock(mutex);
                if (r.outcome != deploy::Outcome::planned) {
                    ++bad;
                    res.hosts[i].result = std::move(r);
                    set_end(res.hosts[i], HostEnd::failed);
                    ++failed;
                    emit(RolloutEvent::Kind::host_end, -1, i);
                }
            });
        if (interrupted()) {
            res.stop_reason = "interrupted during the preflight: nothing changed";
            return false;
        }
        if (bad == 0) return true;
        res.stop_reason = fmt::format("the preflight failed on {} of {} hosts: nothing changed",
                                      bad, res.hosts.size());
        return false;
    }

    // One batch; false when the rollout must stop after it.
    bool batch(int b, const std::vector<std::size_t>& hosts) {
        locked_emit(RolloutEvent::Kind::batch_start, b);
        int failed_here = 0;
        bool over = false;
        auto may_start = [&] {
            std::lock_guard lock(mutex);
            return !over && !interrupted();
        };
        auto count_failure = [&](std::size_t batch_size) {
            ++failed;
            ++failed_here;
            over = over || over_budget(options.budget, failed, failed_here, batch_size);
        };
        run_parallel(hosts, options.forks, may_start, [&](std::size_t i) {
            locked_emit(RolloutEvent::Kind::host_start, b, i);
            deploy::HostResult r = guarded(res.hosts[i].name, [&] { return work.deploy(i); });
            std::lock_guard lock(mutex);
            set_end(res.hosts[i], end_of(r));
            res.hosts[i].result = std::move(r);
            if (res.hosts[i].end == HostEnd::ok)
                ++ok;
            else
                count_failure(hosts.size());
            emit(RolloutEvent::Kind::host_end, b, i);
        });
        if (!over && !interrupted() && options.soak.count() > 0 && work.still_healthy) {
            locked_emit(RolloutEvent::Kind::soak, b, 0, fmt::format("{} ms", options.soak.count()));
            wait_for(options.soak, [&] { return interrupted(); });
            std::vector<std::size_t> updated;
            for (std::size_t i : hosts)
                if (res.hosts[i].end == HostEnd::ok) updated.push_back(i);
            run_parallel(
                updated, options.forks, [] { return true; },
                [&](std::size_t i) {
                    if (work.still_healthy(i)) return;
                    const std::string from = res.hosts[i].result.from;
                    std::optional<deploy::HostResult> back;
                    if (!from.empty() && from != res.hosts[i].result.release && work.rollback)
                        back = guarded(res.hosts[i].name, [&] { return work.rollback(i, from); });
                    std::lock_guard lock(mutex);
                    HostReport& h = res.hosts[i];
                    h.result.reason = "unhealthy after the soak";
                    h.end = back && !succeeded(back->outcome) ? HostEnd::unsafe : HostEnd::failed;
                    h.rollback = std::move(back);
                    --ok;
                    count_failure(hosts.size());
                    emit(RolloutEvent::Kind::host_end, b, i);
                });
        }
        std::lock_guard lock(mutex);
        if (interrupted()) {
            res.stop_reason = "interrupted (^C or SIGTERM)";
            return false;
        }
        if (!over) return true;
        res.stop_reason = fmt::format(
            "{} of {} hosts in batch {} failed, {} in all: over the failure budget ({})",
            failed_here, hosts.size(), b + 1, failed, budget_text());
        return false;
    }

    std::string budget_text() const {
        const Budget& bu = options.budget;
        if (bu.max_failures < 0 && bu.max_fail_percentage < 0) return "no failure tolerated";
        std::string t;
        if (bu.max_failures >= 0) t = fmt::format("max_failures {}", bu.max_failures);
        if (bu.max_fail_percentage >= 0)
            t += fmt::format("{}max_fail_percentage {}", t.empty() ? "" : ", ",
                             bu.max_fail_percentage);
        return t;
    }

    // --rollback-all: the hosts this rollout updated go back to what they ran before.
    void rollback_all() {
        std::vector<std::size_t> updated;
        for (std::size_t i = 0; i < res.hosts.size(); ++i) {
            const HostReport& h = res.hosts[i];
            if (h.end == HostEnd::ok && h.result.outcome == deploy::Outcome::deployed &&
                !h.result.from.empty() && h.result.from != h.result.release)
                updated.push_back(i);
        }
        locked_emit(RolloutEvent::Kind::rollback_all, -1, 0,
                    fmt::format("{} host(s) to return", updated.size()));
        run_parallel(
            updated, options.forks, [] { return true; },
            [&](std::size_t i) {
                const std::string from = res.hosts[i].result.from;
                deploy::HostResult back =
                    guarded(res.hosts[i].name, [&] { return work.rollback(i, from); });
                std::lock_guard lock(mutex);
                HostReport& h = res.hosts[i];
                h.end = succeeded(back.outcome) ? HostEnd::rolled_back : HostEnd::unsafe;
                h.rollback = std::move(back);
                emit(RolloutEvent::Kind::host_end, -1, i);
            });
    }
};

} // namespace

const char* host_end_name(HostEnd e) {
    switch (e) {
    case HostEnd::waiting:
        return "waiting";
    case HostEnd::ok:
        return "ok";
    case HostEnd::failed:
        return "failed";
    case HostEnd::unsafe:
        return "unsafe";
    case HostEnd::skipped:
        return "skipped";
    case HostEnd::rolled_back:
        return "rolled-back";
    }
    return "?";
}

const char* event_kind_name(RolloutEvent::Kind k) {
    switch (k) {
    case RolloutEvent::Kind::preflight:
        return "preflight";
    case RolloutEvent::Kind::batch_start:
        return "batch";
    case RolloutEvent::Kind::host_start:
        return "host-start";
    case RolloutEvent::Kind::host_end:
        return "host-end";
    case RolloutEvent::Kind::soak:
        return "soak";
    case RolloutEvent::Kind::stop:
        return "stop";
    case RolloutEvent::Kind::rollback_all:
        return "rollback-all";
    case RolloutEvent::Kind::done:
        return "done";
    }
    return "?";
}

RolloutResult run_rollout(const std::vector<std::string>& names, const RolloutOptions& options,
                          const Work& work,
                          const std::function<void(const RolloutEvent&)>& on_event) {
    const auto started = Clock::now();
    Scheduler s{options, work, on_event, {}, {}};
    s.res.hosts.resize(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        s.res.hosts[i].name = names[i];
        s.res.hosts[i].result.host = names[i];
    }
    s.res.batches = make_batches(names.size(), options.batches);
    for (std::size_t b = 0; b < s.res.batches.size(); ++b)
        for (std::size_t i : s.res.batches[b]) s.res.hosts[i].batch = static_cast<int>(b);

    bool go = !options.preflight || !work.preflight || s.preflight();
    for (std::size_t b = 0; go && b < s.res.batches.size(); ++b) {
        if (b > 0 && options.pause.count() > 0)
            wait_for(options.pause, [&] { return s.interrupted(); });
        go = s.batch(static_cast<int>(b), s.res.batches[b]);
    }
    s.res.completed = go;
    if (!go) {
        for (auto& h : s.res.hosts)
            if (h.end == HostEnd::waiting) s.set_end(h, HostEnd::skipped);
        s.locked_emit(RolloutEvent::Kind::stop, -1, 0, s.res.stop_reason);
        if (options.rollback_all && work.rollback) s.rollback_all();
    }
    s.res.took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    s.locked_emit(RolloutEvent::Kind::done, -1);
    return std::move(s.res);
}

int rollout_exit_status(const RolloutResult& r) {
    bool all_ok = r.completed;
    for (const auto& h : r.hosts) {
        if (h.end == HostEnd::unsafe) return 3;
        all_ok = all_ok && h.end == HostEnd::ok;
    }
    return all_ok ? 0 : 1;
}

} // namespace berth::fleet
