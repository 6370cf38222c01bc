#include "rules/catalogue.hpp"

namespace berth {

const std::vector<CodeInfo>& binary_codes() {
    static const std::vector<CodeInfo> codes = {};
    return codes;
}

} // namespace berth
