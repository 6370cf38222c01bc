#pragma once
// Go's string literal rules as `go version -m` applies them to build settings: strconv.Quote on
// output, strconv.Unquote / QuotedPrefix on input, with Go's UTF-8 decoding (invalid bytes decode
// as U+FFFD of width 1) and Go's notion of a printable rune.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace berth::gobuild {

struct DecodedRune {
    char32_t rune;
    std::size_t width; // bytes consumed; 1 with rune U+FFFD for an invalid sequence
};
// Decodes the first rune of a non-empty string as Go's utf8.DecodeRuneInString does.
DecodedRune go_decode_rune(std::string_view s);

// unicode.IsPrint of Go 1.19 (Unicode 13).
bool go_is_print(char32_t r);

// strconv.Quote: a double-quoted literal, escaping what is not printable.
std::string go_quote(std::string_view s);

// strconv.Unquote for "..." and `...` literals; nullopt when `s` is not exactly one valid literal.
std::optional<std::string> go_unquote(std::string_view s);

// strconv.QuotedPrefix: the length of the valid "..." or `...` literal at the start of `s`.
std::optional<std::size_t> go_quoted_prefix(std::string_view s);

// runtime/debug's rules for build settings: a key that is empty or holds '=', space, tab, CR,
// LF, '"' or '`', and a value that holds any of those but '=', are written Go-quoted.
bool build_key_needs_quotes(std::string_view key);
bool build_value_needs_quotes(std::string_view value);

} // namespace berth::gobuild
