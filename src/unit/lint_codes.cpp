#include "rules/catalogue.hpp"

namespace berth {

const std::vector<CodeInfo>& unit_codes() {
    static const std::vector<CodeInfo> codes = {};
    return codes;
}

} // namespace berth
