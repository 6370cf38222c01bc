#pragma once
// Shared by the unit integration tests: the per-check table of `systemd-analyze security
// --offline=true` and of `berth unit lint --json`, compared check by check.
#include "test_support.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace berth::test {

struct ExposureRow {
    std::string badness; // a number, or "n/a" for a check that does not apply
    std::string description;
    std::uint64_t weight = 0, range = 0;
    bool operator==(const ExposureRow&) const = default;
};

using ExposureTable = std::map<std::string, ExposureRow>; // by check name, e.g. "PrivateTmp="

// One table per analysed unit, in argument order. SYSTEMD_ANALYZE_DEBUG=1 adds the weight, badness
// and range columns to the JSON; a check without a text has a null description.
inline std::vector<ExposureTable> systemd_exposure_tables(const std::vector<std::string>& files) {
    std::vector<std::string> argv = {"env",      "SYSTEMD_ANALYZE_DEBUG=1", "systemd-analyze",
                                     "security", "--offline=true",          "--json=short"};
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = run(argv);
    std::vector<ExposureTable> tables;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] != '[') continue;
        ExposureTable t;
        for (const auto& c : nlohmann::json::parse(line)) {
            auto b = c["badness"].get<std::uint64_t>();
            t[c["name"]] = {b == UINT64_MAX ? "n/a" : std::to_string(b),
                            c["description"].is_string() ? c["description"].get<std::string>() : "",
                            c["weight"].get<std::uint64_t>(), c["range"].get<std::uint64_t>()};
        }
        tables.push_back(std::move(t));
    }
    return tables;
}

// The totals systemd prints ("Overall exposure level for X: 2.1 OK"), in argument order.
inline std::vector<std::string> systemd_exposure_scores(const std::vector<std::string>& files) {
    std::vector<std::string> argv = {"systemd-analyze", "security", "--offline=true", "--no-pager"};
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = run(argv);
    std::vector<std::string> scores;
    std::regex re("Overall exposure level for [^:]+: ([0-9]+\\.[0-9])");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), re), end; it != end; ++it)
        scores.push_back((*it)[1]);
    return scores;
}

// The "exposure" object of one `berth unit lint --json` result.
inline ExposureTable berth_exposure_table(const nlohmann::json& exposure) {
    ExposureTable t;
    for (const auto& c : exposure["checks"])
        t[c["name"]] = {c["badness"].is_null() ? "n/a" : std::to_string(c["badness"].get<int>()),
                        c["description"].is_string() ? c["description"].get<std::string>() : "",
                        c["weight"], c["range"]};
    return t;
}

// Both tables, one check a line, differing lines marked with "!".
inline std::string exposure_side_by_side(const ExposureTable& systemd, const ExposureTable& berth) {
    std::set<std::string> names;
    for (const auto& [n, c] : systemd) names.insert(n);
    for (const auto& [n, c] : berth) names.insert(n);
    auto cell = [](const ExposureTable& t, const std::string& n) {
        auto it = t.find(n);
        if (it == t.end()) return std::string("(none)");
        return it->second.badness + "/" + std::to_string(it->second.range) + " w" +
               std::to_string(it->second.weight) + ": " + it->second.description;
    };
    std::ostringstream out;
    out << "  check | systemd | berth\n";
    for (const auto& n : names) {
        auto a = systemd.find(n);
        auto b = berth.find(n);
        bool same = a != systemd.end() && b != berth.end() && a->second == b->second;
        out << (same ? "  " : "! ") << n << " | " << cell(systemd, n) << " | " << cell(berth, n)
            << "\n";
    }
    return out.str();
}

} // namespace berth::test
