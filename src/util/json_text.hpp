#pragma once
// JSON documents as text. Strings read from untrusted files (library names, Go module paths) may
// not be valid UTF-8: they are written with U+FFFD in place of bad bytes instead of failing.
#include <nlohmann/json.hpp>
#include <string>

namespace berth {

inline std::string json_text(const nlohmann::json& j, int indent = 2) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace berth
