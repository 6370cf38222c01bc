#pragma once
// Decompressing a small gzip file such as /proc/config.gz, with a bound on what it gives.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// The decompressed bytes of gzip data (all members); nullopt when it is not valid gzip, is cut
// short, or would decompress to more than `max_bytes`.
std::optional<std::string> gunzip(std::string_view data, std::size_t max_bytes);

} // namespace berth
