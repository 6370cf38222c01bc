#pragma once
// The JSON form of a rollout's events and result (`berth deploy --json` to several hosts).
#include "fleet/rollout.hpp"

#include <nlohmann/json.hpp>

namespace berth::fleet {

void to_json(nlohmann::json& j, const HostReport& h);
// {"type":"rollout", "event": "batch"|..., "batch": N (1-based), "host": NAME, counts}.
nlohmann::json event_json(const RolloutEvent& e, const std::vector<std::string>& names);
// {"type":"rollout-result", "completed", "stop_reason", "exit_status", "hosts": [...]}.
nlohmann::json result_json(const RolloutResult& r);

} // namespace berth::fleet
