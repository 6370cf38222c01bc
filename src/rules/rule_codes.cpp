#include "rules/check_input.hpp"

namespace berth::rules {

namespace {

std::vector<CodeInfo> codes_of(const std::vector<Rule>& rules) {
    std::vector<CodeInfo> v;
    for (const auto& r : rules) v.push_back(r.info);
    return v;
}

} // namespace

// The catalogue entries of the check rules come from the rule tables themselves.
const std::vector<CodeInfo>& binary_codes() {
    static const std::vector<CodeInfo> codes = codes_of(binary_rules());
    return codes;
}

const std::vector<CodeInfo>& host_codes() {
    static const std::vector<CodeInfo> codes = codes_of(host_rules());
    return codes;
}

} // namespace berth::rules
