// The rollout scheduler's own cost per host (bench/fleet/run.sh, docs/performance.md): fleet::
// run_rollout over a simulated fleet whose every deploy takes LATENCY_US (0: returns at once),
// one batch, FORKS at once, beside the same work done by FORKS bare threads (no scheduler, no
// events): what the rollout adds is the difference. Events are handled as `berth deploy` does on
// a pipe (each rollout event as a JSON line, written to /dev/null) or only counted.
//
//   scheduler_bench HOSTS FORKS LATENCY_US json|count [REPS=5]
//
// One line, tab-separated: hosts forks latency_us events reps, then medians over REPS of the
// rollout's wall time (ms), the baseline's (ms), their difference per host (µs), the rollout's CPU
// time (user + system, all threads) per host (µs) and the baseline's; then the resident set before
// the first rollout and the peak (KiB, VmRSS and VmHWM). Run one configuration per process: the
// peak is the process's.
#include "fleet/rollout.hpp"
#include "fleet/rollout_json.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace {

using namespace berth;
using Clock = std::chrono::steady_clock;

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

// VmRSS or VmHWM of /proc/self/status, in KiB.
long status_kib(const std::string& key) {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
    return -1;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One simulated host's deploy: the latency, then a result as a real host's would be.
deploy::HostResult simulated_deploy(std::size_t i, std::chrono::microseconds latency) {
    if (latency.count() > 0) std::this_thread::sleep_for(latency);
    deploy::HostResult r;
    r.host = "web" + std::to_string(i);
    r.from = "v1-20261128T120000Z";
    r.release = "v2-20261128T130000Z";
    r.outcome = deploy::Outcome::deployed;
    r.took = std::chrono::duration_cast<std::chrono::milliseconds>(latency);
    return r;
}

struct Sample {
    double wall_s, cpu_s;
};

template <class F> Sample measure(F&& f) {
    const double c0 = cpu_seconds();
    const auto t0 = Clock::now();
    f();
    const std::chrono::duration<double> wall = Clock::now() - t0;
    return {wall.count(), cpu_seconds() - c0};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5 || (std::string(argv[4]) != "json" && std::string(argv[4]) != "count")) {
        std::fprintf(stderr, "usage: scheduler_bench HOSTS FORKS LATENCY_US json|count [REPS]\n");
        return 2;
    }
    const std::size_t hosts = std::strtoul(argv[1], nullptr, 10);
    const int forks = std::atoi(argv[2]);
    const std::chrono::microseconds latency(std::atol(argv[3]));
    const bool json = std::string(argv[4]) == "json";
    const int reps = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;

    std::vector<std::string> names;
    for (std::size_t i = 0; i < hosts; ++i) names.push_back("web" + std::to_string(i));
    fleet::Work work;
    work.deploy = [latency](std::size_t i) { return simulated_deploy(i, latency); };
    fleet::RolloutOptions options;
    options.forks = forks;
    std::FILE* sink = std::fopen("/dev/null", "w");
    if (!sink) return 1;
    std::atomic<std::size_t> events{0};
    auto on_event = [&](const fleet::RolloutEvent& e) {
        ++events;
        if (!json) return;
        // As berth deploy's Progress::on_rollout on a pipe: one line each, flushed.
        std::string line = fleet::event_json(e, names).dump();
        std::fprintf(sink, "%s\n", line.c_str());
        std::fflush(sink);
    };

    const long rss_before = status_kib("VmRSS");
    std::vector<double> wall, cpu, base_wall, base_cpu;
    std::size_t events_per_run = 0;
    for (int rep = 0; rep < reps; ++rep) {
        events = 0;
        Sample s = measure([&] {
            fleet::RolloutResult r = fleet::run_rollout(names, options, work, on_event);
            if (json) { // and the last line, with every host in it
                std::string line = fleet::result_json(r).dump();
                std::fprintf(sink, "%s\n", line.c_str());
            }
            if (!r.completed) std::abort();
        });
        events_per_run = events;
        wall.push_back(s.wall_s);
        cpu.push_back(s.cpu_s);
        // The same work without the scheduler: FORKS threads taking the next host.
        Sample b = measure([&] {
            std::atomic<std::size_t> next{0};
            auto worker = [&] {
                for (std::size_t i = next++; i < hosts; i = next++)
                    (void)simulated_deploy(i, latency);
            };
            std::vector<std::jthread> threads;
            const int n = static_cast<int>(std::min<std::size_t>(forks, hosts));
            for (int t = 0; t < n; ++t) threads.emplace_back(worker);
        });
        base_wall.push_back(b.wall_s);
        base_cpu.push_back(b.cpu_s);
    }
    const double per = 1e6 / static_cast<double>(hosts);
    std::printf("%zu\t%d\t%ld\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%ld\t%ld\n", hosts, forks,
                static_cast<long>(latency.count()), json ? "json" : "count", reps,
                median(wall) * 1e3, median(base_wall) * 1e3,
                (median(wall) - median(base_wall)) * per, median(cpu) * per, median(base_cpu) * per,
                rss_before, status_kib("VmHWM"));
    std::fprintf(stderr, "%zu events per rollout\n", events_per_run);
    std::fclose(sink);
    return 0;
}
