#pragma once
// YAML documents read by berth (berth.yaml, and inventories to come): parsing with every error
// naming FILE:LINE:COLUMN.
#include <string>
#include <yaml-cpp/yaml.h>

namespace berth::config {

// "FILE:LINE:COLUMN" of a node (1-based).
std::string yaml_location(const std::string& path, const YAML::Node& node);

// Parses YAML text that must be a mapping (or empty: a null node). Throws InputError naming
// FILE:LINE:COLUMN for invalid YAML or another top-level type.
YAML::Node parse_yaml_mapping(const std::string& text, const std::string& path);

} // namespace berth::config
