#pragma once
// A finding: what a rule concluded from facts. Rules (check, unit lint, deploy) produce them;
// renderers in report/ print them. Each code's static description (CodeInfo) sits in its stage's
// table next to the rule; the catalogue (catalogue/) lists every table, so `berth explain CODE`
// and docs/findings.md come from the same place as the rule.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth {

enum class Severity { info, warning, error };

const char* severity_name(Severity s);
Severity parse_severity(const std::string& name); // throws InputError

struct Finding {
    std::string code; // stable: B1xx binary, H2xx host, U3xx unit, D4xx deploy
    Severity severity = Severity::info;
    std::string title;    // one line, specific to what was seen
    std::string evidence; // the exact values seen
    std::string fix;      // a command or a build flag
    std::string location; // file (and line) the finding is about; may be empty
    int line = 0;         // 1-based line in location, 0 when not line-specific
};

void to_json(nlohmann::json& j, const Finding& f);

// A rule that could not judge this input, and why: a check from fewer facts says what it could
// not tell instead of passing in silence.
struct NotJudged {
    std::string code;
    std::string title;  // the rule's title
    std::string reason; // which facts were missing, and how to get them
};
void to_json(nlohmann::json& j, const NotJudged& n);

// What a command judged about one subject: the findings and what it could not judge, shaped
// for the renderers (report/).
struct FindingsReport {
    std::string command;               // "check", "unit lint": named in JSON and SARIF
    std::string subject;               // what was judged: a binary, a unit file, a host
    std::vector<Finding> findings;     // in rule order; renderers sort by severity
    std::vector<NotJudged> not_judged; // rules the facts did not allow to run
    nlohmann::json extra =
        nlohmann::json::object(); // command-specific fields, e.g. an exposure score
};

// A code's catalogue entry: the rule's default severity, title and long explanation.
struct CodeInfo {
    const char* code;
    Severity severity; // default severity
    const char* title;
    const char* explain; // the long explanation: why it matters, how to fix it
};

// The worst severity present, or nullopt-like info when the list is empty.
bool has_at_least(const std::vector<Finding>& findings, Severity threshold);

} // namespace berth
