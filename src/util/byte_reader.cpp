#include "util/byte_reader.hpp"

#include <cstring>

namespace berth {

std::string_view ByteReader::cstring(std::uint64_t offset) const {
    if (offset >= data.size()) throw InputError("string offset past the end of the data");
    const char* start = reinterpret_cast<const char*>(data.data()) + offset;
    const void* nul = std::memchr(start, 0, data.size() - offset);
    if (!nul) throw InputError("unterminated string");
    return {start, static_cast<std::size_t>(static_cast<const char*>(nul) - start)};
}

} // namespace berth
