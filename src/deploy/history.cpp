#include "deploy/history.hpp"

#include "util/strings.hpp"

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

std::optional<HistoryEntry> interrupted(const History& h) {
    for (auto it = h.entries.rbegin(); it != h.entries.rend(); ++it) {
        if (it->phase == "end") return std::nullopt;
        if (it->phase == "start") return *it;
    }
    return std::nullopt;
}

} // namespace berth::deploy
