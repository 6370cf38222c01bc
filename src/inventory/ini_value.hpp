#pragma once
// An INI inventory value as Ansible reads it: Python's ast.literal_eval when the text is a
// Python literal (2222, True, None, 'quoted', [1, 2], {"a": 1}, 1, 2), else the text itself.
#include <nlohmann/json.hpp>
#include <string_view>

namespace berth::inventory {

// Literals berth does not model (bytes, complex numbers, sets, f-strings, \N{...} escapes) stay
// text.
nlohmann::json ini_value(std::string_view text);

} // namespace berth::inventory
