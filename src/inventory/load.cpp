// An inventory file: its format from its name (and, without an extension, from its content).
#include "config/yaml_file.hpp"
#include "inventory/inventory.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"

#include <algorithm>
#include <filesystem>

namespace berth::inventory {

namespace {

constexpr std::size_t kMaxInventoryBytes = 16u << 20;

bool yaml_mapping(const std::string& text) {
    try {
        YAML::Node root = YAML::Load(text);
        return root.IsMap();
    } catch (const YAML::Exception&) {
        return false;
    }
}

} // namespace

Inventory load_inventory(const std::string& path) {
    std::string text = read_input_file(path, kMaxInventoryBytes, "an inventory");
    if (text.starts_with("#!"))
        throw InputError(path + ":1: a dynamic inventory script: berth reads static INI and YAML "
                                "inventories only, and never runs one (docs/inventory.md)");
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool yaml =
        ext == ".yml" || ext == ".yaml" || ext == ".json" || (ext.empty() && yaml_mapping(text));
    return yaml ? parse_yaml_inventory(text, path) : parse_ini_inventory(text, path);
}

const Host* find_host(const Inventory& inventory, const std::string& name) {
    for (const auto& h : inventory.hosts)
        if (h.name == name) return &h;
    return nullptr;
}

} // namespace berth::inventory
