#include "unit/unit_model.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace berth::unit {

std::optional<Assignment> Unit::last(const std::string& section, const std::string& key) const {
    for (auto it = assignments.rbegin(); it != assignments.rend(); ++it)
        if (it->section == section && it->key == key) return *it;
    return std::nullopt;
}

std::vector<Assignment> Unit::list(const std::string& section, const std::string& key) const {
    std::vector<Assignment> out;
    for (const auto& a : assignments) {
        if (a.section != section || a.key != key) continue;
        if (a.value.empty())
            out.clear();
        else
            out.push_back(a);
    }
    return out;
}

namespace {

std::string type_of(const std::string& name) {
    auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

// The drop-in directory names for a unit name, least specific first.
std::vector<std::string> dropin_dir_names(const std::string& name) {
    std::string type = type_of(name);
    std::string stem = name.substr(0, name.size() - type.size() - (type.empty() ? 0 : 1));
    std::vector<std::string> dirs;
    if (!type.empty()) dirs.push_back(type + ".d");
    // Dash prefixes: "a-b-c.service" gets "a-.service.d" and "a-b-.service.d" (systemd 246+).
    std::string prefix_source = stem;
    if (auto at = stem.find('@'); at != std::string::npos) prefix_source = stem.substr(0, at);
    for (std::size_t pos = prefix_source.find('-'); pos != std::string::npos;
         pos = prefix_source.find('-', pos + 1))
        dirs.push_back(prefix_source.substr(0, pos + 1) + "." + type + ".d");
    if (auto at = stem.find('@'); at != std::string::npos && at + 1 < stem.size())
        dirs.push_back(stem.substr(0, at + 1) + "." + type + ".d");
    dirs.push_back(name + ".d");
    return dirs;
}

} // namespace

std::vector<std::string> find_dropins(const std::string& unit_path) {
    fs::path p(unit_path);
    std::string name = p.filename().string();
    std::map<std::string, std::string> by_name; // sorted by file name; later dirs override
    std::error_code ec;
    for (const auto& dir_name : dropin_dir_names(name)) {
        fs::path dir = p.parent_path() / dir_name;
        if (!fs::is_directory(dir, ec)) continue;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            std::string file = entry.path().filename().string();
            if (file.size() < 6 || file.substr(file.size() - 5) != ".conf") continue;
            if (!entry.is_regular_file(ec)) continue; // also skips /dev/null masks
            by_name[file] = entry.path().string();
        }
    }
    std::vector<std::string> out;
    for (const auto& [file, path] : by_name) out.push_back(path);
    return out;
}

std::optional<DropinOwner> dropin_owner(const std::string& path) {
    static const char* const types[] = {"service", "socket", "device", "mount", "automount", "swap",
                                        "target",  "path",   "timer",  "slice", "scope"};
    fs::path p(path);
    std::string file = p.filename().string();
    std::string dir = p.parent_path().filename().string();
    if (file.size() < 6 || file.substr(file.size() - 5) != ".conf") return std::nullopt;
    if (dir.size() < 3 || dir.substr(dir.size() - 2) != ".d") return std::nullopt;
    std::string unit = dir.substr(0, dir.size() - 2);
    auto dot = unit.rfind('.');
    std::string type = dot == std::string::npos ? unit : unit.substr(dot + 1);
    for (const char* t : types)
        if (type == t) return DropinOwner{unit, type};
    return std::nullopt;
}

Unit make_unit(std::string name, std::vector<UnitFile> files) {
    Unit u;
    u.name = std::move(name);
    u.type = type_of(u.name);
    u.files = std::move(files);
    for (const auto& f : u.files)
        u.assignments.insert(u.assignments.end(), f.assignments.begin(), f.assignments.end());
    return u;
}

Unit load_unit(const std::string& path, bool with_dropins) {
    std::vector<UnitFile> files;
    files.push_back(load_unit_file(path));
    if (with_dropins)
        for (const auto& d : find_dropins(path)) files.push_back(load_unit_file(d));
    return make_unit(fs::path(path).filename().string(), std::move(files));
}

std::optional<bool> parse_bool(const std::string& value) {
    std::string v = value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    if (v == "1" || v == "yes" || v == "y" || v == "true" || v == "t" || v == "on") return true;
    if (v == "0" || v == "no" || v == "n" || v == "false" || v == "f" || v == "off") return false;
    return std::nullopt;
}

std::vector<std::string> split_words(const std::string& value) {
    std::vector<std::string> words;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (char c : value) {
        if (quote) {
            if (c == quote)
                quote = 0;
            else
                cur += c;
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(cur);
            cur.clear();
            in_word = false;
        } else {
            cur += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(cur);
    return words;
}

} // namespace berth::unit
