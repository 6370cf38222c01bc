#pragma once
// How a rollout reads on a terminal: a live board of the current batch (a line per host: its
// step, time, result; and the running count), then a summary table of every host.
// (On a pipe or with --json the same events and result are JSON lines.)
#include "deploy/deploy.hpp"
#include "fleet/rollout.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace berth::report {

struct BoardRow {
    std::string host;
    std::string step; // the step running now, or "" when it ended
    std::chrono::steady_clock::time_point since;
    std::string end;    // "", or its result: "ok", "failed", ...
    std::string detail; // the end's reason or release
    std::chrono::milliseconds took{0};
};

// The current batch as the board shows it.
struct Board {
    int batch = 0; // 1-based; 0 = preflight or before
    int batches = 0;
    std::vector<BoardRow> rows;
    int done = 0, failed = 0, left = 0;
    std::string note; // "preflight", "soak 30 s", "rolling back 4 hosts"
};

void board_on_rollout(Board& b, const fleet::RolloutEvent& e,
                      const std::vector<std::string>& names);
void board_on_step(Board& b, const deploy::Event& e);
// The board's lines (at most `max_rows` hosts: running ones first).
std::string board_text(const Board& b, std::chrono::steady_clock::time_point now,
                       std::size_t max_rows, bool color);

// Every host: from, to, result, time, reason; then the rollout's end.
std::string rollout_summary_text(const fleet::RolloutResult& r, bool color);

// When the hosts do not all run the same release: which runs what ("" when they agree).
std::string drift_text(const std::vector<std::pair<std::string, std::string>>& host_release);

} // namespace berth::report
