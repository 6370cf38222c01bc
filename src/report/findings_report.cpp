#include "report/findings_report.hpp"
#include "util/json_text.hpp"

#include "catalogue/catalogue.hpp"
#include "util/error.hpp"

#include <algorithm>

namespace berth::report {

OutputFormat parse_output_format(const std::string& name) {
    if (name == "text") return OutputFormat::text;
    if (name == "json") return OutputFormat::json;
    if (name == "sarif") return OutputFormat::sarif;
    throw InputError("unknown output format '" + name + "' (expected text, json or sarif)");
}

namespace {

std::vector<Finding> by_severity(std::vector<Finding> findings) {
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    return findings;
}

const char* colour_of(Severity s) {
    switch (s) {
    case Severity::error:
        return "\033[1;31m";
    case Severity::warning:
        return "\033[1;33m";
    case Severity::info:
        return "\033[1;36m";
    }
    return "";
}

std::string indent_lines(const std::string& text, const std::string& prefix) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += prefix + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

} // namespace

std::string render_text(const std::vector<FindingsReport>& reports, bool color) {
    std::string out;
    const std::string reset = color ? "\033[0m" : "";
    for (const auto& report : reports) {
        int counts[3] = {0, 0, 0};
        for (const auto& f : report.findings) counts[static_cast<int>(f.severity)]++;
        out += report.subject + ": " + std::to_string(counts[2]) + " error(s), " +
               std::to_string(counts[1]) + " warning(s), " + std::to_string(counts[0]) + " info\n";
        for (const auto& f : by_severity(report.findings)) {
            std::string sev = severity_name(f.severity);
            out += "  " + (color ? colour_of(f.severity) : std::string()) + sev + reset + " " +
                   f.code + " " + f.title;
            if (!f.location.empty()) {
                out += " (" + f.location;
                if (f.line > 0) out += ":" + std::to_string(f.line);
                out += ")";
            }
            out += "\n";
            if (!f.evidence.empty()) out += indent_lines("seen: " + f.evidence, "      ");
            if (!f.fix.empty()) out += indent_lines("fix:  " + f.fix, "      ");
        }
        // Rules go unjudged for few reasons: one line per reason, after its codes.
        std::vector<std::string> reasons;
        for (const auto& n : report.not_judged)
            if (std::find(reasons.begin(), reasons.end(), n.reason) == reasons.end())
                reasons.push_back(n.reason);
        for (const auto& reason : reasons) {
            std::string codes;
            for (const auto& n : report.not_judged)
                if (n.reason == reason) codes += (codes.empty() ? "" : " ") + n.code;
            out += "  not judged " + codes + "\n" + indent_lines("why: " + reason, "      ");
        }
    }
    bool any = false;
    for (const auto& r : reports) any = any || !r.findings.empty();
    if (any) out += "Run `berth explain CODE` for the long explanation of a code.\n";
    return out;
}

nlohmann::json render_json(const std::vector<FindingsReport>& reports) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& report : reports) {
        nlohmann::json r = {{"findings", by_severity(report.findings)},
                            {"not_judged", report.not_judged}};
        set_path(r, "subject", report.subject);
        for (auto it = report.extra.begin(); it != report.extra.end(); ++it) r[it.key()] = *it;
        results.push_back(std::move(r));
    }
    std::string command = reports.empty() ? std::string() : reports.front().command;
    return {{"schema", "berth.findings/1"}, {"command", command}, {"results", results}};
}

namespace {

const char* sarif_level(Severity s) {
    switch (s) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::info:
        return "note";
    }
    return "note";
}

} // namespace

std::string percent_encode_path(std::string_view path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (char ch : path) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                          c == '/';
        if (unreserved) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

nlohmann::json render_sarif(const std::vector<FindingsReport>& reports) {
    // Rules: every code that appears, described from the catalogue.
    nlohmann::json rules = nlohmann::json::array();
    std::vector<std::string> rule_ids;
    auto rule_index = [&](const std::string& code) {
        auto it = std::find(rule_ids.begin(), rule_ids.end(), code);
        if (it != rule_ids.end()) return static_cast<int>(it - rule_ids.begin());
        rule_ids.push_back(code);
        nlohmann::json rule = {{"id", code}};
        if (const CodeInfo* info = catalogue::find_code(code)) {
            rule["shortDescription"] = {{"text", info->title}};
            rule["fullDescription"] = {{"text", info->explain}};
            rule["defaultConfiguration"] = {{"level", sarif_level(info->severity)}};
        }
        rules.push_back(rule);
        return static_cast<int>(rule_ids.size() - 1);
    };
    nlohmann::json results = nlohmann::json::array();
    for (const auto& report : reports) {
        for (const auto& f : by_severity(report.findings)) {
            std::string message = f.title;
            if (!f.evidence.empty()) message += "\nSeen: " + f.evidence;
            if (!f.fix.empty()) message += "\nFix: " + f.fix;
            nlohmann::json location = {
                {"physicalLocation",
                 {{"artifactLocation",
                   {{"uri",
                     percent_encode_path(f.location.empty() ? report.subject : f.location)}}}}}};
            if (f.line > 0) location["physicalLocation"]["region"] = {{"startLine", f.line}};
            int index = rule_index(f.code);
            results.push_back({{"ruleId", f.code},
                               {"ruleIndex", index},
                               {"level", sarif_level(f.severity)},
                               {"message", {{"text", message}}},
                               {"locations", nlohmann::json::array({location})}});
        }
    }
    nlohmann::json driver = {{"name", "berth"}, {"version", BERTH_VERSION}, {"rules", rules}};
    return {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
}

std::string render(const std::vector<FindingsReport>& reports, OutputFormat format, bool color) {
    switch (format) {
    case OutputFormat::text:
        return render_text(reports, color);
    case OutputFormat::json:
        return json_text(render_json(reports)) + "\n";
    case OutputFormat::sarif:
        return json_text(render_sarif(reports)) + "\n";
    }
    return {};
}

} // namespace berth::report
