#pragma once
// Small string helpers shared by the parsers, renderers and rules.
#include <cstddef>
#include <cstdint>
#include <optional>
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

// Without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);
// The words between runs of spaces and tabs.
std::vector<std::string> split_words(std::string_view s);
// The lines of a text, without their "\n" or "\r\n"; no empty last line for a final "\n".
std::vector<std::string> split_lines(std::string_view text);
// The non-empty items between `sep` characters ("a::b:" -> "a", "b").
std::vector<std::string> split_nonempty(std::string_view s, char sep);
// A whole decimal integer (spaces around it allowed); nullopt for anything else.
std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<std::uint64_t> parse_uint(std::string_view s);

// Length of the longest prefix that is valid UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF); s.size() when all of it is.
std::size_t utf8_valid_prefix(std::string_view s);
inline bool is_utf8(std::string_view s) {
    return utf8_valid_prefix(s) == s.size();
}
// Base64 (RFC 4648, with '=' padding) of the bytes.
std::string base64(std::string_view bytes);
// The bytes of base64 text; nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace berth
