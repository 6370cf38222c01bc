#include "config/yaml_file.hpp"

#include "util/error.hpp"

namespace berth::config {

std::string yaml_location(const std::string& path, const YAML::Node& node) {
    const auto& m = node.Mark();
    return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

YAML::Node parse_yaml_mapping(const std::string& text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
    }
    if (root && !root.IsNull() && !root.IsMap())
        throw InputError(yaml_location(path, root) + ": expected a mapping of keys");
    return root;
}

} // namespace berth::config
