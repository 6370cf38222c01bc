#include "cli/deploy_fleet.hpp"

#include "fleet/fleet_deploy.hpp"
#include "fleet/rollout_json.hpp"
#include "report/deploy_text.hpp"
#include "report/fleet_text.hpp"
#include "report/terminal.hpp"
#include "util/error.hpp"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace berth::cli {

namespace {

using Clock = std::chrono::steady_clock;

void print_json_line(const nlohmann::json& j) {
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
}

// What the user sees while the rollout runs, fed from every host's thread.
class Progress {
  public:
    Progress(const std::vector<std::string>& names, bool json, bool live)
        : names_(names), json_(json), live_(live) {
        if (live_) ticker_ = std::jthread([this](std::stop_token stop) { tick(stop); });
    }
    ~Progress() {
        if (ticker_.joinable()) {
            ticker_.request_stop();
            wake_.notify_all();
        }
    }

    void on_step(const deploy::Event& e) {
        std::lock_guard lock(mutex_);
        if (json_) {
            nlohmann::json j = {{"type", "event"}};
            j.update(nlohmann::json(e));
            print_json_line(j);
            return;
        }
        report::board_on_step(board_, e);
        if (live_) redraw();
    }

    void on_rollout(const fleet::RolloutEvent& e) {
        std::lock_guard lock(mutex_);
        if (json_) {
            print_json_line(fleet::event_json(e, names_));
            return;
        }
        const int batch_before = board_.batch;
        if (e.kind == fleet::RolloutEvent::Kind::batch_start && batch_before > 0) {
            if (live_) redraw();
            drawn_ = 0; // the finished batch's board stays on the screen
        }
        report::board_on_rollout(board_, e, names_);
        if (live_) {
            redraw();
        } else if (e.kind == fleet::RolloutEvent::Kind::host_end && e.report) {
            // A dumb terminal: one line per host as it ends.
            std::printf("%s %s %s\n", e.report->name.c_str(), fleet::host_end_name(e.report->end),
                        e.report->result.reason.c_str());
            std::fflush(stdout);
        } else if (e.kind == fleet::RolloutEvent::Kind::batch_start) {
            std::printf("batch %d\n", e.batch + 1);
            std::fflush(stdout);
        }
    }

  private:
    // Under the lock: the board again, over its previous drawing.
    void redraw() {
        std::string text = report::board_text(board_, Clock::now(), 20, report::use_color());
        std::string out;
        if (drawn_ > 0) out += "\033[" + std::to_string(drawn_) + "F\033[J";
        out += text;
        std::fputs(out.c_str(), stdout);
        std::fflush(stdout);
        drawn_ = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    }

    // Elapsed times move while nothing else happens.
    void tick(std::stop_token stop) {
        std::unique_lock lock(mutex_);
        while (!stop.stop_requested()) {
            wake_.wait_for(lock, std::chrono::milliseconds(250));
            if (!stop.stop_requested() && board_.batch > 0) redraw();
        }
    }

    const std::vector<std::string>& names_;
    bool json_, live_;
    std::mutex mutex_;
    std::condition_variable wake_;
    report::Board board_;
    int drawn_ = 0;
    std::jthread ticker_; // last: stopped before the rest goes
};

} // namespace

void add_rollout_flags(CLI::App* cmd, RolloutFlags& f) {
    const char* group = "Rollout (several hosts)";
    cmd->add_option("--batch", f.batch,
                    "Hosts per batch, a number or a percentage; repeat for a sequence whose last "
                    "size repeats (--batch 1 --batch 25% = a canary, then quarters)")
        ->type_name("N|P%")
        ->group(group);
    cmd->add_option("--forks", f.forks, "Hosts worked on at once (default 10)")
        ->type_name("N")
        ->group(group);
    cmd->add_option("--max-failures", f.max_failures,
                    "Failed hosts the whole rollout tolerates before it stops (default 0)")
        ->type_name("N")
        ->group(group);
    cmd->add_option("--max-fail-percentage", f.max_fail_percentage,
                    "Failed share of one batch tolerated before the rollout stops")
        ->type_name("P")
        ->group(group);
    cmd->add_flag("--rollback-all", f.rollback_all,
                  "When the rollout stops, return every host it updated to its previous release")
        ->group(group);
    cmd->add_option("--pause", f.pause_ms, "Wait between batches")->type_name("MS")->group(group);
    cmd->add_option("--soak", f.soak_ms,
                    "Wait between batches, then every host of the batch must still be healthy")
        ->type_name("MS")
        ->group(group);
    cmd->add_option("--preflight", f.preflight,
                    "all: the gate on every host first, in parallel, before any change")
        ->type_name("all|none")
        ->group(group);
}

fleet::RolloutOptions rollout_options(const config::RolloutSpec& spec, const RolloutFlags& f) {
    fleet::RolloutOptions o;
    o.batches = spec.batches;
    if (!f.batch.empty()) {
        o.batches.clear();
        for (const auto& b : f.batch) {
            auto size = config::parse_batch_size(b);
            if (!size)
                throw InputError("--batch " + b +
                                 ": not a number of hosts (2) or a percentage (25%)");
            o.batches.push_back(*size);
        }
    }
    o.forks = f.forks > 0 ? f.forks : spec.forks;
    if (f.forks == 0 || f.forks > 500) throw InputError("--forks: from 1 to 500");
    o.budget.max_failures = f.max_failures >= 0 ? f.max_failures : spec.max_failures;
    o.budget.max_fail_percentage =
        f.max_fail_percentage >= 0 ? f.max_fail_percentage : spec.max_fail_percentage;
    if (o.budget.max_fail_percentage > 100)
        throw InputError("--max-fail-percentage: from 0 to 100");
    o.rollback_all = f.rollback_all || spec.rollback_all;
    o.pause = f.pause_ms >= 0 ? std::chrono::milliseconds(f.pause_ms) : spec.pause;
    o.soak = f.soak_ms >= 0 ? std::chrono::milliseconds(f.soak_ms) : spec.soak;
    if (!f.preflight.empty() && f.preflight != "all" && f.preflight != "none")
        throw InputError("--preflight " + f.preflight + ": all or none");
    o.preflight = f.preflight.empty() ? spec.preflight : f.preflight == "all";
    return o;
}

int deploy_fleet(const std::vector<Target>& hosts, const config::AppConfig& app,
                 const std::shared_future<deploy::Release>& release,
                 const facts::BinaryFacts& binary, const deploy::DeployOptions& options,
                 const fleet::RolloutOptions& rollout, bool json) {
    std::vector<std::string> names;
    for (const auto& h : hosts) names.push_back(h.name);
    // A pipe gets JSON lines: a board redrawn in place means nothing there.
    const bool as_json = json || ::isatty(STDOUT_FILENO) != 1;
    const bool live = !as_json && report::live_line();
    if (!as_json)
        std::printf("%s %s to %zu hosts\n", options.dry_run ? "planning" : "deploying",
                    app.name.c_str(), hosts.size());
    fleet::RolloutResult result;
    {
        Progress progress(names, as_json, live);
        deploy::EventSink sink = [&](const deploy::Event& e) { progress.on_step(e); };
        fleet::Work work = fleet::deploy_work(hosts, app, release, binary, options, sink);
        result = fleet::run_rollout(names, rollout, work,
                                    [&](const fleet::RolloutEvent& e) { progress.on_rollout(e); });
    }
    if (as_json) {
        print_json_line(fleet::result_json(result));
    } else {
        // A dry run's point is each host's plan.
        if (options.dry_run)
            for (const auto& h : result.hosts)
                if (h.end != fleet::HostEnd::skipped)
                    std::fputs(report::deploy_result_text(h.result, report::use_color()).c_str(),
                               stdout);
        std::fputs(report::rollout_summary_text(result, report::use_color()).c_str(), stdout);
    }
    return fleet::rollout_exit_status(result);
}

} // namespace berth::cli
