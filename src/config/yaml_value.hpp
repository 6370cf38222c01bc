#pragma once
// One value of a YAML document with its key and FILE:LINE:COLUMN, and the conversions berth.yaml's
// keys use. Each conversion either returns a checked value or throws InputError naming the spot,
// the key and what was expected.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace berth::config {

struct YamlValue {
    const YAML::Node& node;
    std::string path; // the file
    std::string key;  // for messages: "health.interval", "config_files[2].mode"

    std::string where() const;
    [[noreturn]] void fail(const std::string& what) const;

    std::string text() const;                                      // one line
    std::uint64_t whole(std::uint64_t lo, std::uint64_t hi) const; // plain decimal
    bool boolean() const;                                          // true/false/yes/no
    // "500ms", "5s", "2m", or a plain number of seconds; from `lo` to `hi`.
    std::chrono::milliseconds duration(std::chrono::milliseconds lo,
                                       std::chrono::milliseconds hi) const;
    std::vector<std::string> list() const; // of single values
    // Each item of a list, as a value named KEY[i].
    void each(const std::function<void(const YamlValue&)>& item) const;
    // A mapping whose keys must be among `known` (an unknown one is an error naming the closest
    // known key), each given at most once; `field` is called for each.
    void fields(const std::vector<std::string>& known,
                const std::function<void(const std::string&, const YamlValue&)>& field) const;
};

// The known key closest to a misspelt one, "" when none is close enough to be meant.
std::string closest(const std::string& key, const std::vector<std::string>& known);

} // namespace berth::config
