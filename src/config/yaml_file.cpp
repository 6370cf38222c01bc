#include "config/yaml_file.hpp"

#include "util/error.hpp"

#include <fstream>
#include <sstream>

namespace berth {

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

std::string read_config_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open the configuration file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace berth
