#pragma once
// Bounds-checked reads of little- or big-endian integers from untrusted bytes. Every parser of
// file contents goes through this: an offset outside the data is an error, never a wild read.
#include "util/error.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace berth {

enum class Endian { little, big };

struct ByteReader {
    std::span<const std::byte> data;
    Endian endian = Endian::little;

    bool has(std::uint64_t offset, std::uint64_t len) const {
        return offset <= data.size() && len <= data.size() - offset;
    }

    std::uint64_t uint(std::uint64_t offset, unsigned width) const {
        if (width == 0 || width > 8) throw InputError("integer width out of range");
        if (!has(offset, width)) throw InputError("read past the end of the data");
        // Copy the bytes into the low end of a little-endian value, then swap when the data is
        // big-endian (the common widths compile to a load and maybe a bswap).
        std::uint64_t v = 0;
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(&v, data.data() + offset, width);
            if (endian == Endian::big) v = __builtin_bswap64(v) >> (64 - 8 * width);
        } else {
            for (unsigned i = 0; i < width; ++i) {
                unsigned shift = endian == Endian::little ? 8 * i : 8 * (width - 1 - i);
                v |= static_cast<std::uint64_t>(data[offset + i]) << shift;
            }
        }
        return v;
    }
    std::uint8_t u8(std::uint64_t off) const { return static_cast<std::uint8_t>(uint(off, 1)); }
    std::uint16_t u16(std::uint64_t off) const { return static_cast<std::uint16_t>(uint(off, 2)); }
    std::uint32_t u32(std::uint64_t off) const { return static_cast<std::uint32_t>(uint(off, 4)); }
    std::uint64_t u64(std::uint64_t off) const { return uint(off, 8); }

    std::span<const std::byte> slice(std::uint64_t offset, std::uint64_t len) const {
        if (!has(offset, len)) throw InputError("slice past the end of the data");
        return data.subspan(offset, len);
    }
    std::string_view text(std::uint64_t offset, std::uint64_t len) const {
        auto s = slice(offset, len);
        return {reinterpret_cast<const char*>(s.data()), s.size()};
    }
    // NUL-terminated string starting at offset (the terminator must lie inside the data).
    std::string_view cstring(std::uint64_t offset) const;
};

inline std::string_view as_text(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace berth
