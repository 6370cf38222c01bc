// libFuzzer target for the ld.so.cache parser and lookup: any bytes give a cache or an
// InputError, never a crash, a hang or a read outside the buffer.
#include "resolve/ld_cache.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    try {
        berth::resolve::LdCache cache = berth::resolve::parse_ld_cache(bytes, "fuzz");
        const std::vector<std::int32_t> flags{0x0303, 0x0003};
        const std::vector<std::string> hwcaps{"x86-64-v4", "x86-64-v3", "x86-64-v2"};
        for (const auto& e : cache.entries) berth::resolve::lookup(cache, e.name, flags, hwcaps);
        berth::resolve::lookup(cache, "libc.so.6", flags, hwcaps);
    } catch (const berth::InputError&) {
    }
    return 0;
}
