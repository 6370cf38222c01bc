#include "finding/finding.hpp"

#include "util/error.hpp"
#include "util/json_text.hpp"

namespace berth {

const char* severity_name(Severity s) {
    switch (s) {
    case Severity::info:
        return "info";
    case Severity::warning:
        return "warning";
    case Severity::error:
        return "error";
    }
    return "info";
}

Severity parse_severity(const std::string& name) {
    if (name == "info") return Severity::info;
    if (name == "warning") return Severity::warning;
    if (name == "error") return Severity::error;
    throw InputError("unknown severity '" + name + "' (expected error, warning or info)");
}

void to_json(nlohmann::json& j, const Finding& f) {
    j = {{"code", f.code},
         {"severity", severity_name(f.severity)},
         {"title", f.title},
         {"evidence", f.evidence},
         {"fix", f.fix}};
    if (!f.location.empty()) set_path(j, "location", f.location);
    if (f.line > 0) j["line"] = f.line;
}

void to_json(nlohmann::json& j, const NotJudged& n) {
    j = {{"code", n.code}, {"title", n.title}, {"reason", n.reason}};
}

bool has_at_least(const std::vector<Finding>& findings, Severity threshold) {
    for (const auto& f : findings)
        if (f.severity >= threshold) return true;
    return false;
}

} // namespace berth
