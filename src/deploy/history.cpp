#include "deploy/history.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <map>

namespace berth::deploy {

void to_json(nlohmann::json& j, const HistoryEntry& e) {
    j = {{"seq", e.seq},
         {"event", e.event},
         {"phase", e.phase},
         {"release", e.release},
         {"previous", e.previous},
         {"version", e.version},
         {"sha256", e.sha256},
         {"result", e.result},
         {"reason", e.reason},
         {"time", e.time},
         {"machine", e.machine},
         {"user", e.user},
         {"deploy_id", e.deploy_id}};
}

void from_json(const nlohmann::json& j, HistoryEntry& e) {
    e.seq = j.at("seq").get<std::uint64_t>();
    e.event = j.at("event").get<std::string>();
    e.phase = j.at("phase").get<std::string>();
    e.release = j.at("release").get<std::string>();
    e.previous = j.value("previous", "");
    e.version = j.value("version", "");
    e.sha256 = j.value("sha256", "");
    e.result = j.value("result", "");
    e.reason = j.value("reason", "");
    e.time = j.value("time", "");
    e.machine = j.value("machine", "");
    e.user = j.value("user", "");
    e.deploy_id = j.value("deploy_id", "");
}

History parse_history(std::string_view text) {
    History h;
    for (const auto& line : split_lines(text)) {
        if (trim(line).empty()) continue;
        try {
            h.entries.push_back(nlohmann::json::parse(line).get<HistoryEntry>());
        } catch (const nlohmann::json::exception&) {
            ++h.damaged_lines;
        }
    }
    return h;
}

std::string previous_good(const History& h, const std::string& current) {
    for (auto it = h.entries.rbegin(); it != h.entries.rend(); ++it)
        if (it->phase == "end" && it->result == "success" && it->release != current)
            return it->release;
    return "";
}

std::optional<HistoryEntry> last_success(const History& h, const std::string& release) {
    for (auto it = h.entries.rbegin(); it != h.entries.rend(); ++it)
        if (it->phase == "end" && it->result == "success" && it->release == release) return *it;
    return std::nullopt;
}

std::vector<std::string> releases_to_prune(const History& h,
                                           const std::vector<std::string>& releases,
                                           const std::vector<std::string>& protect, int keep) {
    std::map<std::string, std::uint64_t> last_seen;
    std::map<std::string, bool> good;
    for (const auto& e : h.entries) {
        last_seen[e.release] = e.seq;
        if (e.phase == "end") good[e.release] = e.result == "success";
    }
    auto protected_ = [&](const std::string& id) {
        return std::find(protect.begin(), protect.end(), id) != protect.end();
    };
    // Kept first: protected, then good ones newest first, then the others newest first.
    std::vector<std::string> order = releases;
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
        auto rank = [&](const std::string& id) { return protected_(id) ? 0 : good[id] ? 1 : 2; };
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return last_seen[a] > last_seen[b];
    });
    std::vector<std::string> out;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < order.size(); ++i)
        if (!protected_(order[i])) out.push_back(order[i]);
    return out;
}

std::optional<HistoryEntry> interrupted(const History& h) {
    for (auto it = h.entries.rbegin(); it != h.entries.rend(); ++it) {
        if (it->phase == "end") return std::nullopt;
        if (it->phase == "start") return *it;
    }
    return std::nullopt;
}

} // namespace berth::deploy
