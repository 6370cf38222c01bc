#pragma once
// JSON documents as text. Strings read from untrusted files (library names, Go module paths) may
// not be valid UTF-8: they are written with U+FFFD in place of bad bytes instead of failing.
#include "util/strings.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace berth {

inline std::string json_text(const nlohmann::json& j, int indent = 2) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A file name in a JSON object under `key`. JSON strings are Unicode, and a Linux file name is any
// bytes: when it is not UTF-8, KEY_bytes beside it holds the exact bytes in base64 (KEY keeps the
// name with U+FFFD for each bad byte, for people and for readers that ignore KEY_bytes).
inline void set_path(nlohmann::json& obj, const std::string& key, const std::string& path) {
    obj[key] = path;
    if (!is_utf8(path)) obj[key + "_bytes"] = base64(path);
}

// The exact name set_path() wrote: KEY_bytes when there and valid, else KEY.
inline std::string get_path(const nlohmann::json& obj, const std::string& key) {
    if (auto it = obj.find(key + "_bytes"); it != obj.end() && it->is_string())
        if (auto bytes = base64_decode(it->get<std::string>())) return *bytes;
    return obj.at(key).get<std::string>();
}

} // namespace berth
