#include "rules/check_input.hpp"

namespace berth {

Finding finding(const CodeInfo& code, std::string title, std::string evidence, std::string fix) {
    Finding f;
    f.code = code.code;
    f.severity = code.severity;
    f.title = std::move(title);
    f.evidence = std::move(evidence);
    f.fix = std::move(fix);
    return f;
}

std::vector<Finding> run_check_rules(const CheckInput& in) {
    std::vector<Finding> out;
    for (const auto* table : {&binary_rules(), &host_rules()})
        for (const auto& rule : *table) rule.judge(in, rule.info, out);
    return out;
}

} // namespace berth
