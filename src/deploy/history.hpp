#pragma once
// The history journal of an app on a host (INSTALL_DIR/.berth/history.jsonl): one JSON line per
// event, appended and fsync'd, never rewritten. What rollback goes back to is taken from its
// sequence, never from file times or any machine's clock.
//
//   {"seq":7,"event":"deploy","phase":"start","release":"v1.3-3f2a…","previous":"v1.2-9e1b…",...}
//   {"seq":8,"event":"deploy","phase":"end","release":"v1.3-3f2a…","result":"success",...}
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::deploy {

struct HistoryEntry {
    std::uint64_t seq = 0;
    std::string event;    // "deploy" or "rollback"
    std::string phase;    // "start" or "end"
    std::string release;  // the release deployed (or rolled back to)
    std::string previous; // what was current before ("" on a first deploy)
    std::string version;
    std::string sha256;
    std::string result;        // end: "success", "failed" (rolled back), "rollback-failed"
    std::string reason;        // why it failed
    std::string time;          // the host's clock, UTC, for people only
    std::string machine, user; // who deployed: the deploying machine's name and user
    std::string deploy_id;     // ties an end to its start
};

void to_json(nlohmann::json& j, const HistoryEntry& e);
void from_json(const nlohmann::json& j, HistoryEntry& e);

// The entries of a journal's text. A line that is not an entry (a torn last line after a
// crash) is skipped and counted.
struct History {
    std::vector<HistoryEntry> entries;
    int damaged_lines = 0;
};
History parse_history(std::string_view text);

// The release to go back to from `current`: the newest release that ended a deploy or rollback
// with success, other than `current`. "" when there is none.
std::string previous_good(const History& h, const std::string& current);

// The newest successful end for `release`, if any.
std::optional<HistoryEntry> last_success(const History& h, const std::string& release);

// Which of `releases` to remove to keep `keep`: never one of `protect`; releases whose last
// deploy failed (or never finished) go before good ones; older before newer (by the journal's
// sequence).
std::vector<std::string> releases_to_prune(const History& h,
                                           const std::vector<std::string>& releases,
                                           const std::vector<std::string>& protect, int keep);

// A start without an end: a deploy that was cut (killed, connection lost). nullopt when the
// newest start has its end.
std::optional<HistoryEntry> interrupted(const History& h);

} // namespace berth::deploy
