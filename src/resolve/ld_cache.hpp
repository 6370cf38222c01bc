#pragma once
// /etc/ld.so.cache read in its binary format, as glibc's ld.so reads it: the current
// "glibc-ld.so.cache1.1" format with its extension sections (glibc-hwcaps subdirectory names),
// the old "ld.so-1.7.0" format, and the two combined (old first, new aligned after it).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace berth::resolve {

// An entry's hwcap word with only this bit in its upper half names a glibc-hwcaps subdirectory:
// its lower 32 bits index the cache's glibc-hwcaps extension section.
inline constexpr std::uint64_t kCacheHwcapExtension = 1ull << 62;
inline constexpr std::uint32_t kCacheExtensionMagic = 0xeaa42174;

struct LdCacheEntry {
    std::string name; // the key: a soname, e.g. libc.so.6
    std::string path; // where the library is
    std::int32_t flags = 0;
    std::uint32_t osversion = 0; // new format only
    std::uint64_t hwcap = 0;     // new format only
    // The glibc-hwcaps subdirectory (e.g. "x86-64-v3") for hwcaps extension entries.
    std::optional<std::string> hwcaps;
};

enum class LdCacheFormat { old_format, new_format, combined };

struct LdCache {
    LdCacheFormat format = LdCacheFormat::new_format;
    std::vector<LdCacheEntry> entries;     // in file order (ldconfig sorts them)
    std::vector<std::string> hwcaps_names; // the glibc-hwcaps extension section
    std::string generator;                 // the generator extension section, when present
    // Entry indexes by name, in file order: lookups are done thousands of times per run.
    std::unordered_map<std::string, std::vector<std::size_t>> by_name;
};

// Parses a cache image. Throws InputError (naming `what`) for anything that is not a well-formed
// cache: bad magic, counts or offsets past the end, unterminated strings.
LdCache parse_ld_cache(std::span<const std::byte> bytes, const std::string& what = "ld.so.cache");

// The lookup ld.so does for `name` (glibc 2.36 search_cache): among the entries with that name
// and acceptable flags, in file order, a glibc-hwcaps entry whose subdirectory is in
// `hwcaps_preference` (best first) wins by its rank; otherwise the first plain entry (legacy
// hwcap bits must be none). Returns nullptr when nothing matches.
const LdCacheEntry* lookup(const LdCache& cache, std::string_view name,
                           std::span<const std::int32_t> accepted_flags,
                           std::span<const std::string> hwcaps_preference);

} // namespace berth::resolve
