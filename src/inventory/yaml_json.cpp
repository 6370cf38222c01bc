// YAML 1.1's implicit scalar types, as PyYAML's resolver and SafeConstructor read them.
#include "inventory/yaml_json.hpp"

#include "config/yaml_file.hpp"
#include "util/error.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

namespace berth::inventory {

namespace {

bool all_of(std::string_view s, std::string_view chars) {
    return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

constexpr std::string_view kDigits = "0123456789";

// [-+]? then the rest.
std::string_view unsigned_part(std::string_view s, bool& minus) {
    minus = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    return s;
}

std::string without_underscores(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '_') out += c;
    return out;
}

// (?::[0-5]?[0-9])+ : the base-60 parts after the first.
bool sexagesimal_tail(std::string_view s) {
    if (s.empty()) return false;
    while (!s.empty()) {
        if (s[0] != ':') return false;
        s.remove_prefix(1);
        std::size_t n = 0;
        while (n < s.size() && n < 2 && s[n] >= '0' && s[n] <= '9') ++n;
        if (n == 0 || (n == 2 && s[0] > '5')) return false;
        s.remove_prefix(n);
    }
    return true;
}

std::optional<nlohmann::json> yaml_int(std::string_view text) {
    bool minus = false;
    std::string_view s = unsigned_part(text, minus);
    int base = 10;
    std::string digits;
    if (s.starts_with("0b") && all_of(s.substr(2), "01_")) {
        base = 2;
        digits = without_underscores(s.substr(2));
    } else if (s.starts_with("0x") && all_of(s.substr(2), "0123456789abcdefABCDEF_")) {
        base = 16;
        digits = without_underscores(s.substr(2));
    } else if (s.size() > 1 && s[0] == '0' && all_of(s.substr(1), "01234567_")) {
        base = 8;
        digits = without_underscores(s.substr(1));
    } else if (s == "0" || (!s.empty() && s[0] >= '1' && s[0] <= '9' &&
                            (s.size() == 1 || all_of(s.substr(1), "0123456789_")))) {
        digits = without_underscores(s);
    } else if (!s.empty() && s[0] >= '1' && s[0] <= '9') {
        // Base 60: 1:30 is 90.
        std::size_t colon = s.find(':');
        std::string_view head = s.substr(0, colon);
        if (colon == std::string_view::npos ||
            (head.size() > 1 && !all_of(head.substr(1), "0123456789_")) ||
            !sexagesimal_tail(s.substr(colon)))
            return std::nullopt;
        double value = 0;
        std::string h = without_underscores(head);
        value = std::strtod(h.c_str(), nullptr);
        std::string_view rest = s.substr(colon);
        while (!rest.empty()) {
            rest.remove_prefix(1);
            std::size_t next = rest.find(':');
            value = value * 60 + std::strtod(std::string(rest.substr(0, next)).c_str(), nullptr);
            rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
        }
        if (value < 9.0e18) {
            auto v = static_cast<std::int64_t>(value);
            return minus ? -v : v;
        }
        return minus ? -value : value;
    } else {
        return std::nullopt;
    }
    if (digits.empty()) digits = "0"; // "0b_", "0_"
    errno = 0;
    unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
    if (errno == 0 && v <= static_cast<unsigned long long>(INT64_MAX))
        return minus ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    if (errno == 0 && !minus) return static_cast<std::uint64_t>(v);
    if (errno == 0 && v == (1ull << 63)) return INT64_MIN;
    if (base == 10) return (minus ? -1 : 1) * std::strtod(digits.c_str(), nullptr);
    double x = 0;
    for (char c : digits) x = x * base + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    return minus ? -x : x;
}

std::optional<nlohmann::json> yaml_float(std::string_view text) {
    bool minus = false;
    std::string_view s = unsigned_part(text, minus);
    if (s == ".inf" || s == ".Inf" || s == ".INF")
        return minus ? -std::numeric_limits<double>::infinity()
                     : std::numeric_limits<double>::infinity();
    if (text == ".nan" || text == ".NaN" || text == ".NAN")
        return std::numeric_limits<double>::quiet_NaN();
    // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?   \.[0-9][0-9_]*([eE][-+][0-9]+)?
    // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    std::size_t dot = s.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = s.substr(dot + 1);
    std::string_view exp;
    if (std::size_t e = frac.find_first_of("eE"); e != std::string_view::npos) {
        exp = frac.substr(e + 1);
        frac = frac.substr(0, e);
        if (exp.size() < 2 || (exp[0] != '-' && exp[0] != '+') || !all_of(exp.substr(1), kDigits))
            return std::nullopt;
    }
    if (!frac.empty() && !all_of(frac, "0123456789_")) return std::nullopt;
    std::size_t colon = whole.find(':');
    std::string_view head = whole.substr(0, colon);
    if (whole.empty()) {
        if (text[0] != '.' || frac.empty() || frac[0] == '_') return std::nullopt;
    } else if (head.empty() || head[0] < '0' || head[0] > '9' ||
               (head.size() > 1 && !all_of(head.substr(1), "0123456789_"))) {
        return std::nullopt;
    } else if (colon != std::string_view::npos &&
               (!exp.empty() || !sexagesimal_tail(whole.substr(colon)))) {
        return std::nullopt;
    }
    std::string t = without_underscores(s);
    double v = 0;
    if (colon == std::string_view::npos) {
        v = std::strtod(t.c_str(), nullptr);
    } else { // base 60: 1:30.5 is 90.5
        std::size_t from = 0;
        while (true) {
            std::size_t next = t.find(':', from);
            v = v * 60 + std::strtod(t.substr(from, next - from).c_str(), nullptr);
            if (next == std::string::npos) break;
            from = next + 1;
        }
    }
    return minus ? -v : v;
}

} // namespace

nlohmann::json yaml11_scalar(const std::string& text) {
    static const char* const kTrue[] = {"yes",  "Yes", "YES", "true", "True",
                                        "TRUE", "on",  "On",  "ON"};
    static const char* const kFalse[] = {"no",    "No",  "NO",  "false", "False",
                                         "FALSE", "off", "Off", "OFF"};
    for (const char* t : kTrue)
        if (text == t) return true;
    for (const char* f : kFalse)
        if (text == f) return false;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return nullptr;
    // PyYAML tries the float pattern before the int one.
    if (auto f = yaml_float(text)) return *f;
    if (auto i = yaml_int(text)) return *i;
    return text;
}

namespace {

nlohmann::json convert(const YAML::Node& node, const std::string& path, std::size_t& budget,
                       int depth) {
    if (budget == 0)
        throw InputError(config::yaml_location(path, node) +
                         ": too many values (an alias used over and over?)");
    --budget;
    if (depth > 100) throw InputError(config::yaml_location(path, node) + ": nested too deeply");
    switch (node.Type()) {
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar:
        // "!" is yaml-cpp's tag for a quoted or block scalar: always a string.
        if (node.Tag() == "?") return yaml11_scalar(node.Scalar());
        return node.Scalar();
    case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(convert(item, path, budget, depth + 1));
        return out;
    }
    case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        nlohmann::json merged = nlohmann::json::object();
        for (const auto& kv : node) {
            nlohmann::json key = convert(kv.first, path, budget, depth + 1);
            if (kv.first.IsScalar() && kv.first.Tag() == "?" && kv.first.Scalar() == "<<") {
                // A merge key: a mapping, or a list of them; keys written here win.
                nlohmann::json from = convert(kv.second, path, budget, depth + 1);
                if (from.is_object()) from = nlohmann::json::array({from});
                if (!from.is_array())
                    throw InputError(config::yaml_location(path, kv.second) +
                                     ": '<<' must merge a mapping or a list of mappings");
                for (const auto& m : from) {
                    if (!m.is_object())
                        throw InputError(config::yaml_location(path, kv.second) +
                                         ": '<<' must merge a mapping or a list of mappings");
                    for (const auto& [k, v] : m.items())
                        if (!merged.contains(k)) merged[k] = v;
                }
                continue;
            }
            std::string k = key.is_string() ? key.get<std::string>() : key.dump();
            out[k] = convert(kv.second, path, budget, depth + 1);
        }
        for (const auto& [k, v] : merged.items())
            if (!out.contains(k)) out[k] = v;
        return out;
    }
    case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
}

} // namespace

nlohmann::json yaml_json(const YAML::Node& node, const std::string& path, std::size_t& budget) {
    return convert(node, path, budget, 0);
}

} // namespace berth::inventory
