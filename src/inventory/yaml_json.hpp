#pragma once
// YAML values as Ansible's loader (PyYAML, YAML 1.1) types them: a plain `yes` is true, `0777` is
// 511, `1:30` is 90, `~` is null; a quoted scalar is always a string.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <yaml-cpp/yaml.h>

namespace berth::inventory {

// A plain scalar's value by YAML 1.1's implicit types (bool, int, float, null; dates stay text).
nlohmann::json yaml11_scalar(const std::string& text);

// A node's value; mappings merge `<<` keys as PyYAML does. `budget` counts the nodes left to read
// (aliases can make a small file a huge value): InputError naming the node when it runs out, or
// when the nesting is deeper than 100.
nlohmann::json yaml_json(const YAML::Node& node, const std::string& path, std::size_t& budget);

} // namespace berth::inventory
