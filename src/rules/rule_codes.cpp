#include "rules/catalogue.hpp"
#include "rules/check_input.hpp"

namespace berth {

// The catalogue entries of the check rules come from the rule tables themselves.
const std::vector<CodeInfo>& binary_codes() {
    static const std::vector<CodeInfo> codes = [] {
        std::vector<CodeInfo> v;
        for (const auto& r : binary_rules()) v.push_back(r.info);
        return v;
    }();
    return codes;
}

const std::vector<CodeInfo>& host_codes() {
    static const std::vector<CodeInfo> codes = [] {
        std::vector<CodeInfo> v;
        for (const auto& r : host_rules()) v.push_back(r.info);
        return v;
    }();
    return codes;
}

} // namespace berth
