#include "gobuild/go_quote.hpp"

namespace berth::gobuild {

namespace {

constexpr char32_t kRuneError = 0xFFFD;
constexpr char kHex[] = "0123456789abcdef";

bool in(unsigned char c, unsigned char lo, unsigned char hi) {
    return lo <= c && c <= hi;
}

bool valid_rune(char32_t r) {
    return r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF);
}

void append_utf8(std::string& out, char32_t r) {
    if (r < 0x80) {
        out += static_cast<char>(r);
    } else if (r < 0x800) {
        out += static_cast<char>(0xC0 | (r >> 6));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
        out += static_cast<char>(0xE0 | (r >> 12));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (r >> 18));
        out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    }
}

void append_hex(std::string& out, char32_t v, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xF];
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto d = go_decode_rune(s.substr(i));
        if (d.rune == kRuneError && d.width == 1) return false;
        i += d.width;
    }
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

struct Unquoted {
    std::string value;
    std::size_t length = 0; // bytes of the literal, quotes included
};

// One escape sequence after a backslash inside "...": appends its value and returns the bytes
// consumed after the backslash, or 0 when it is not valid Go.
std::size_t unescape(std::string_view s, std::string& out) {
    if (s.empty()) return 0;
    char c = s[0];
    switch (c) {
    case 'a':
        out += '\a';
        return 1;
    case 'b':
        out += '\b';
        return 1;
    case 'f':
        out += '\f';
        return 1;
    case 'n':
        out += '\n';
        return 1;
    case 'r':
        out += '\r';
        return 1;
    case 't':
        out += '\t';
        return 1;
    case 'v':
        out += '\v';
        return 1;
    case '\\':
        out += '\\';
        return 1;
    case '"':
        out += '"';
        return 1;
    case 'x':
    case 'u':
    case 'U': {
        std::size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        if (s.size() < 1 + n) return 0;
        char32_t v = 0;
        for (std::size_t j = 1; j <= n; ++j) {
            int h = hex_value(s[j]);
            if (h < 0) return 0;
            v = (v << 4) | static_cast<char32_t>(h);
        }
        if (c == 'x') {
            out += static_cast<char>(v); // a single byte, possibly not UTF-8
        } else {
            if (!valid_rune(v)) return 0;
            append_utf8(out, v);
        }
        return 1 + n;
    }
    default:
        if (c >= '0' && c <= '7') {
            if (s.size() < 3) return 0;
            unsigned v = static_cast<unsigned>(c - '0');
            for (std::size_t j = 1; j < 3; ++j) {
                if (s[j] < '0' || s[j] > '7') return 0;
                v = (v << 3) | static_cast<unsigned>(s[j] - '0');
            }
            if (v > 255) return 0;
            out += static_cast<char>(v);
            return 3;
        }
        return 0;
    }
}

// The literal at the start of `s`, as strconv's unquote reads it (double or back quotes only).
std::optional<Unquoted> unquote_prefix(std::string_view s) {
    if (s.size() < 2) return std::nullopt;
    char quote = s[0];
    auto end = s.find(quote, 1);
    if (end == std::string_view::npos) return std::nullopt;
    if (quote == '`') {
        Unquoted u;
        u.length = end + 1;
        for (char c : s.substr(1, end - 1))
            if (c != '\r') u.value += c; // raw literals drop carriage returns
        return u;
    }
    if (quote != '"') return std::nullopt;
    std::string_view body = s.substr(1, end - 1);
    if (body.find('\\') == std::string_view::npos && body.find('\n') == std::string_view::npos &&
        valid_utf8(body))
        return Unquoted{std::string(body), end + 1};
    // With escapes: walk character by character; invalid UTF-8 becomes U+FFFD.
    Unquoted u;
    std::size_t i = 1;
    while (i < s.size() && s[i] != quote) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\n') return std::nullopt;
        if (c >= 0x80) {
            auto d = go_decode_rune(s.substr(i));
            append_utf8(u.value, d.rune);
            i += d.width;
        } else if (c != '\\') {
            u.value += static_cast<char>(c);
            ++i;
        } else {
            std::size_t n = unescape(s.substr(i + 1), u.value);
            if (n == 0) return std::nullopt;
            i += 1 + n;
        }
    }
    if (i >= s.size()) return std::nullopt;
    u.length = i + 1;
    return u;
}

} // namespace

DecodedRune go_decode_rune(std::string_view s) {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c0 = b(0);
    if (c0 < 0x80) return {c0, 1};
    const DecodedRune bad{kRuneError, 1};
    // The accepted second-byte range depends on the lead byte (no overlongs, no surrogates).
    unsigned char lo = 0x80, hi = 0xBF;
    std::size_t width = 0;
    if (in(c0, 0xC2, 0xDF)) {
        width = 2;
    } else if (in(c0, 0xE0, 0xEF)) {
        width = 3;
        if (c0 == 0xE0) lo = 0xA0;
        if (c0 == 0xED) hi = 0x9F;
    } else if (in(c0, 0xF0, 0xF4)) {
        width = 4;
        if (c0 == 0xF0) lo = 0x90;
        if (c0 == 0xF4) hi = 0x8F;
    } else {
        return bad;
    }
    if (s.size() < width || !in(b(1), lo, hi)) return bad;
    for (std::size_t i = 2; i < width; ++i)
        if (!in(b(i), 0x80, 0xBF)) return bad;
    char32_t r = width == 2 ? (c0 & 0x1F) : width == 3 ? (c0 & 0x0F) : (c0 & 0x07);
    for (std::size_t i = 1; i < width; ++i) r = (r << 6) | (b(i) & 0x3F);
    return {r, width};
}

std::string go_quote(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        auto d = go_decode_rune(s.substr(i));
        char32_t r = d.rune;
        if (d.width == 1 && r == kRuneError) {
            out += "\\x";
            append_hex(out, static_cast<unsigned char>(s[i]), 2);
        } else if (r == '"' || r == '\\') {
            out += '\\';
            out += static_cast<char>(r);
        } else if (go_is_print(r)) {
            out.append(s.substr(i, d.width));
        } else {
            switch (r) {
            case '\a':
                out += "\\a";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\v':
                out += "\\v";
                break;
            default:
                if (r < ' ' || r == 0x7F) {
                    out += "\\x";
                    append_hex(out, r, 2);
                } else if (r < 0x10000) {
                    out += "\\u";
                    append_hex(out, r, 4);
                } else {
                    out += "\\U";
                    append_hex(out, r, 8);
                }
            }
        }
        i += d.width;
    }
    out += '"';
    return out;
}

std::optional<std::string> go_unquote(std::string_view s) {
    auto u = unquote_prefix(s);
    if (!u || u->length != s.size()) return std::nullopt;
    return std::move(u->value);
}

bool build_key_needs_quotes(std::string_view key) {
    return key.empty() || key.find_first_of(std::string_view("= \t\r\n\"`", 7)) != key.npos;
}

bool build_value_needs_quotes(std::string_view value) {
    return value.find_first_of(std::string_view(" \t\r\n\"`", 6)) != value.npos;
}

std::optional<std::size_t> go_quoted_prefix(std::string_view s) {
    auto u = unquote_prefix(s);
    if (!u) return std::nullopt;
    return u->length;
}

} // namespace berth::gobuild
