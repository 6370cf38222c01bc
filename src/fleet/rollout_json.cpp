#include "fleet/rollout_json.hpp"

namespace berth::fleet {

void to_json(nlohmann::json& j, const HostReport& h) {
    j = {{"host", h.name},
         {"batch", h.batch + 1},
         {"end", host_end_name(h.end)},
         {"from", h.result.from},
         {"release", h.rollback ? h.rollback->release : h.result.release},
         {"outcome", deploy::outcome_name(h.result.outcome)},
         {"reason", h.result.reason},
         {"took_ms", h.result.took.count()},
         {"findings", h.result.findings}};
    // A host never started has no outcome of its own.
    if (h.end == HostEnd::skipped || h.end == HostEnd::waiting) j["outcome"] = nullptr;
    if (!h.result.plan.empty()) j["plan"] = h.result.plan;
    if (h.rollback) j["rollback"] = *h.rollback;
}

nlohmann::json event_json(const RolloutEvent& e, const std::vector<std::string>& names) {
    nlohmann::json j = {{"type", "rollout"},
                        {"event", event_kind_name(e.kind)},
                        {"done", e.done},
                        {"failed", e.failed},
                        {"left", e.left}};
    if (e.batch >= 0) j["batch"] = e.batch + 1;
    if (e.kind == RolloutEvent::Kind::host_start || e.kind == RolloutEvent::Kind::host_end)
        j["host"] = e.host < names.size() ? names[e.host] : "";
    if (e.report) j["result"] = *e.report;
    if (!e.detail.empty()) j["detail"] = e.detail;
    return j;
}

nlohmann::json result_json(const RolloutResult& r) {
    return {{"type", "rollout-result"},
            {"completed", r.completed},
            {"stop_reason", r.stop_reason},
            {"exit_status", rollout_exit_status(r)},
            {"batches", r.batches.size()},
            {"took_ms", r.took.count()},
            {"hosts", r.hosts}};
}

} // namespace berth::fleet
