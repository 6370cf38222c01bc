#include "resolve/ld_cache.hpp"

#include "util/byte_reader.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cstring>

namespace berth::resolve {

namespace {

constexpr std::string_view kOldMagic = "ld.so-1.7.0";
constexpr std::string_view kNewMagic = "glibc-ld.so.cache";
constexpr std::string_view kNewVersion = "1.1";
constexpr std::uint64_t kOldHeaderSize = 16; // magic[11], padding, uint32 nlibs
constexpr std::uint64_t kOldEntrySize = 12;  // int32 flags, uint32 key, uint32 value
constexpr std::uint64_t kNewHeaderSize = 48;
constexpr std::uint64_t kNewEntrySize = 24; // + uint32 osversion, uint64 hwcap
constexpr std::uint32_t kExtensionTagGenerator = 0;
constexpr std::uint32_t kExtensionTagGlibcHwcaps = 1;

bool starts_with(std::span<const std::byte> bytes, std::uint64_t offset, std::string_view magic) {
    return offset <= bytes.size() && bytes.size() - offset >= magic.size() &&
           std::memcmp(bytes.data() + offset, magic.data(), magic.size()) == 0;
}

// Strings of the cache: NUL-terminated, at an offset from `base` that must stay inside the file.
std::string string_at(const ByteReader& r, std::uint64_t base, std::uint64_t offset,
                      const std::string& what) {
    if (offset > r.data.size() || base > r.data.size() - offset)
        throw InputError(what + ": string offset " + std::to_string(offset) +
                         " points past the end of the cache");
    try {
        return std::string(r.cstring(base + offset));
    } catch (const InputError&) {
        throw InputError(what + ": unterminated string at offset " + std::to_string(offset));
    }
}

void parse_extensions(const ByteReader& r, std::uint64_t base, std::uint32_t ext_offset,
                      LdCache& cache, const std::string& what) {
    if (ext_offset == 0) return;
    std::uint64_t at = ext_offset; // from the start of the file, even in the combined format
    if (ext_offset % 4 != 0 || !r.has(at, 8))
        throw InputError(what + ": extension offset " + std::to_string(ext_offset) +
                         " is misaligned or past the end");
    if (r.u32(at) != kCacheExtensionMagic)
        throw InputError(what + ": extension section has a bad magic number");
    std::uint32_t count = r.u32(at + 4);
    if (!r.has(at + 8, static_cast<std::uint64_t>(count) * 16))
        throw InputError(what + ": " + std::to_string(count) +
                         " extension sections do not fit in the file");
    for (std::uint32_t i = 0; i < count; ++i) {
        std::uint64_t s = at + 8 + static_cast<std::uint64_t>(i) * 16;
        std::uint32_t tag = r.u32(s), offset = r.u32(s + 8), size = r.u32(s + 12);
        if (!r.has(offset, size))
            throw InputError(what + ": extension section " + std::to_string(i) +
                             " lies outside the file");
        if (tag == kExtensionTagGenerator) {
            cache.generator = std::string(r.text(offset, size));
        } else if (tag == kExtensionTagGlibcHwcaps) {
            if (size % 4 != 0)
                throw InputError(what + ": glibc-hwcaps section size is not a multiple of 4");
            for (std::uint32_t k = 0; k < size / 4; ++k)
                cache.hwcaps_names.push_back(
                    string_at(r, base, r.u32(std::uint64_t{offset} + 4 * k), what));
        }
        // Unknown tags are skipped, as ld.so does.
    }
}

void parse_new(const ByteReader& r, std::uint64_t base, LdCache& cache, const std::string& what) {
    if (!r.has(base, kNewHeaderSize))
        throw InputError(what + ": truncated header (" + std::to_string(r.data.size()) + " bytes)");
    if (!starts_with(r.data, base + kNewMagic.size(), kNewVersion))
        throw InputError(what + ": unsupported cache version");
    std::uint8_t endian_flag = r.u8(base + 28);
    ByteReader rr = r;
    if (endian_flag == 3)
        rr.endian = Endian::big;
    else if (endian_flag == 2)
        rr.endian = Endian::little;
    else if (endian_flag == 1)
        throw InputError(what + ": cache is marked as invalid endianness");
    std::uint32_t nlibs = rr.u32(base + 20);
    std::uint32_t ext_offset = rr.u32(base + 32);
    if (!rr.has(base + kNewHeaderSize, static_cast<std::uint64_t>(nlibs) * kNewEntrySize))
        throw InputError(what + ": " + std::to_string(nlibs) + " entries do not fit in " +
                         std::to_string(r.data.size()) + " bytes");
    cache.entries.clear();
    cache.entries.reserve(nlibs);
    for (std::uint32_t i = 0; i < nlibs; ++i) {
        std::uint64_t e = base + kNewHeaderSize + static_cast<std::uint64_t>(i) * kNewEntrySize;
        LdCacheEntry entry;
        entry.flags = static_cast<std::int32_t>(rr.u32(e));
        entry.name = string_at(rr, base, rr.u32(e + 4), what);
        entry.path = string_at(rr, base, rr.u32(e + 8), what);
        entry.osversion = rr.u32(e + 12);
        entry.hwcap = rr.u64(e + 16);
        cache.entries.push_back(std::move(entry));
    }
    parse_extensions(rr, base, ext_offset, cache, what);
    for (auto& entry : cache.entries) {
        if ((entry.hwcap >> 32) != (kCacheHwcapExtension >> 32)) continue;
        auto index = static_cast<std::uint32_t>(entry.hwcap);
        if (index >= cache.hwcaps_names.size())
            throw InputError(what + ": entry " + entry.name + " names glibc-hwcaps index " +
                             std::to_string(index) + ", the cache has " +
                             std::to_string(cache.hwcaps_names.size()));
        entry.hwcaps = cache.hwcaps_names[index];
    }
}

void index_by_name(LdCache& cache) {
    for (std::size_t i = 0; i < cache.entries.size(); ++i)
        cache.by_name[cache.entries[i].name].push_back(i);
}

LdCache parse_entries(std::span<const std::byte> bytes, const std::string& what) {
    ByteReader r{bytes, Endian::little};
    LdCache cache;
    if (starts_with(bytes, 0, kNewMagic)) {
        cache.format = LdCacheFormat::new_format;
        parse_new(r, 0, cache, what);
        return cache;
    }
    if (!starts_with(bytes, 0, kOldMagic))
        throw InputError(what + ": not an ld.so cache (bad magic)");
    if (!r.has(0, kOldHeaderSize)) throw InputError(what + ": truncated header");
    std::uint32_t nlibs = r.u32(12);
    std::uint64_t strings = kOldHeaderSize + static_cast<std::uint64_t>(nlibs) * kOldEntrySize;
    if (strings > bytes.size())
        throw InputError(what + ": " + std::to_string(nlibs) + " entries do not fit in " +
                         std::to_string(bytes.size()) + " bytes");
    // The new format may follow, aligned to 8 bytes; ld.so then uses it instead.
    std::uint64_t new_at = (strings + 7) & ~std::uint64_t{7};
    if (starts_with(bytes, new_at, kNewMagic)) {
        cache.format = LdCacheFormat::combined;
        parse_new(r, new_at, cache, what);
        return cache;
    }
    cache.format = LdCacheFormat::old_format;
    cache.entries.reserve(nlibs);
    for (std::uint32_t i = 0; i < nlibs; ++i) {
        std::uint64_t e = kOldHeaderSize + static_cast<std::uint64_t>(i) * kOldEntrySize;
        LdCacheEntry entry;
        entry.flags = static_cast<std::int32_t>(r.u32(e));
        entry.name = string_at(r, strings, r.u32(e + 4), what);
        entry.path = string_at(r, strings, r.u32(e + 8), what);
        cache.entries.push_back(std::move(entry));
    }
    return cache;
}

} // namespace

LdCache parse_ld_cache(std::span<const std::byte> bytes, const std::string& what) {
    LdCache cache = parse_entries(bytes, what);
    index_by_name(cache);
    return cache;
}

const LdCacheEntry* lookup(const LdCache& cache, std::string_view name,
                           std::span<const std::int32_t> accepted_flags,
                           std::span<const std::string> hwcaps_preference) {
    const LdCacheEntry* best = nullptr;
    std::size_t best_rank = 0;
    auto found = cache.by_name.find(std::string(name));
    if (found == cache.by_name.end()) return nullptr;
    for (std::size_t index : found->second) {
        const LdCacheEntry& e = cache.entries[index];
        if (std::find(accepted_flags.begin(), accepted_flags.end(), e.flags) ==
            accepted_flags.end())
            continue;
        if (e.hwcaps) {
            auto it = std::find(hwcaps_preference.begin(), hwcaps_preference.end(), *e.hwcaps);
            if (it == hwcaps_preference.end()) continue; // not usable on this CPU
            auto rank = static_cast<std::size_t>(it - hwcaps_preference.begin());
            if (!best || rank < best_rank) {
                best = &e;
                best_rank = rank;
            }
            continue;
        }
        // A legacy entry: ld.so takes it only when no glibc-hwcaps entry matched before it.
        // x86-64 caches carry no legacy hwcap bits; an entry with some is for another CPU.
        if (e.hwcap != 0) continue;
        if (!best) best = &e;
        break;
    }
    return best;
}

} // namespace berth::resolve
