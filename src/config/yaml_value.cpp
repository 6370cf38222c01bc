#include "config/yaml_value.hpp"

#include "config/yaml_file.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace berth::config {

std::string closest(const std::string& key, const std::vector<std::string>& known) {
    std::string best;
    std::size_t best_distance = SIZE_MAX;
    for (const auto& k : known) {
        // Levenshtein distance, one row at a time.
        std::vector<std::size_t> row(k.size() + 1);
        for (std::size_t j = 0; j <= k.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= key.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= k.size(); ++j) {
                std::size_t up = row[j];
                row[j] = std::min(
                    {row[j] + 1, row[j - 1] + 1, diagonal + (key[i - 1] == k[j - 1] ? 0 : 1)});
                diagonal = up;
            }
        }
        if (row[k.size()] < best_distance) {
            best_distance = row[k.size()];
            best = k;
        }
    }
    return best_distance <= std::max<std::size_t>(2, key.size() / 3) ? best : "";
}

std::string YamlValue::where() const {
    return yaml_location(path, node);
}

void YamlValue::fail(const std::string& what) const {
    throw InputError(where() + ": '" + key + "' " + what);
}

std::string YamlValue::text() const {
    if (!node.IsScalar()) fail("must be a single value, not a list or a mapping");
    if (node.Scalar().find_first_of("\n\r") != std::string::npos) fail("must be one line");
    return node.Scalar();
}

std::uint64_t YamlValue::whole(std::uint64_t lo, std::uint64_t hi) const {
    std::string t = text();
    auto v = parse_uint(t);
    // Digits only: YAML's own integers would read "010" as 8 and "0x10" as 16.
    if (!v || t.find_first_not_of("0123456789") != std::string::npos || *v < lo || *v > hi)
        fail("must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
             ", not '" + t + "'");
    return *v;
}

bool YamlValue::boolean() const {
    std::string t = text();
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
    fail("must be true or false, not '" + t + "'");
}

std::chrono::milliseconds YamlValue::duration(std::chrono::milliseconds lo,
                                              std::chrono::milliseconds hi) const {
    std::string t = text();
    std::size_t digits = t.find_first_not_of("0123456789");
    std::string unit = digits == std::string::npos ? "s" : t.substr(digits);
    auto n = parse_uint(t.substr(0, digits));
    std::uint64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : 0;
    auto show = [](std::chrono::milliseconds d) {
        return d.count() % 1000 ? std::to_string(d.count()) + "ms"
                                : std::to_string(d.count() / 1000) + "s";
    };
    if (!n || digits == 0 || scale == 0 || *n > (1ull << 40) ||
        std::chrono::milliseconds(*n * scale) < lo || std::chrono::milliseconds(*n * scale) > hi)
        fail("must be a duration from " + show(lo) + " to " + show(hi) +
             " such as 500ms, 5s or 2m, not '" + t + "'");
    return std::chrono::milliseconds(*n * scale);
}

std::vector<std::string> YamlValue::list() const {
    std::vector<std::string> out;
    each([&](const YamlValue& item) { out.push_back(item.text()); });
    return out;
}

void YamlValue::each(const std::function<void(const YamlValue&)>& item) const {
    if (!node.IsSequence()) fail("must be a list ([a, b] or one '- item' per line)");
    std::size_t i = 0;
    for (const auto& n : node) item(YamlValue{n, path, key + "[" + std::to_string(i++) + "]"});
}

void YamlValue::fields(
    const std::vector<std::string>& known,
    const std::function<void(const std::string&, const YamlValue&)>& field) const {
    if (!node.IsMap()) fail("must be a mapping of keys");
    std::vector<std::string> seen;
    for (const auto& kv : node) {
        const std::string at = yaml_location(path, kv.first);
        if (!kv.first.IsScalar()) throw InputError(at + ": a key must be a plain word");
        const std::string name = kv.first.Scalar();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string close = closest(name, known);
            throw InputError(at + ": unknown key '" + name + "' in '" + key + "'" +
                             (close.empty() ? "" : " (did you mean '" + close + "'?)"));
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            throw InputError(at + ": '" + key + "." + name + "' is given twice");
        seen.push_back(name);
        field(name, YamlValue{kv.second, path, key + "." + name});
    }
}

} // namespace berth::config
