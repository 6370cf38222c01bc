#pragma once
// Small string helpers shared by the parsers, renderers and rules.
#include <cstddef>
#include <span>
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

// Lowercase hex of the bytes (build ids, digests).
inline std::string hex_bytes(std::span<const std::byte> bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::byte b : bytes) {
        out += digits[static_cast<unsigned>(b) >> 4];
        out += digits[static_cast<unsigned>(b) & 0xf];
    }
    return out;
}

} // namespace berth
