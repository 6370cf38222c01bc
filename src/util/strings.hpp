#pragma once
// Small string helpers shared by the renderers and the rules.
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// The items with `sep` between them (an empty item adds no separator before the next).
inline std::string join(const std::vector<std::string>& items, std::string_view sep = " ") {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

} // namespace berth
