#pragma once
// Inside config/: how each berth.yaml key is read (config_keys.cpp holds one row per key: its
// documentation and its reader).
#include "config/app_config.hpp"
#include "config/yaml_value.hpp"

#include <string>
#include <vector>

namespace berth::config {

using KeyReader = void (*)(const YamlValue& value, AppConfig& config);

// The reader of a top-level key, nullptr when the key is unknown.
KeyReader find_key_reader(const std::string& key);
std::vector<std::string> key_names();

} // namespace berth::config
