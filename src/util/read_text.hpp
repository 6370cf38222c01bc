#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace berth {

// The whole contents of a file (also /proc and /sys files, whose size is not known in advance);
// nullopt when it cannot be opened or read (a directory, for one). Reads at most `max_bytes`.
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes = 64u << 20);

} // namespace berth
