// ld.so.cache parser: the real cache of this host and synthesized caches in every format,
// including damaged ones (which must give InputError, never a crash or a wild read).
#include "resolve/ld_cache.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace berth::resolve {
namespace {

std::span<const std::byte> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

void put32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void put64(std::string& s, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

struct Entry {
    std::string name, path;
    std::int32_t flags = 0x0303;
    std::uint64_t hwcap = 0;
};

// A new-format cache laid out as ldconfig does: header, entries, extension, strings.
std::string new_cache(const std::vector<Entry>& entries, const std::vector<std::string>& hwcaps) {
    const std::size_t header = 48, entry_size = 24;
    std::size_t ext = header + entries.size() * entry_size;
    std::size_t ext_size = hwcaps.empty() ? 0 : 8 + 16 + 4 * hwcaps.size();
    std::string strings;
    std::size_t strings_at = ext + ext_size;
    auto add_string = [&](const std::string& str) {
        auto off = strings_at + strings.size();
        strings += str;
        strings += '\0';
        return static_cast<std::uint32_t>(off);
    };
    std::string out(strings_at, '\0');
    std::memcpy(out.data(), "glibc-ld.so.cache1.1", 20);
    put32(out, 20, static_cast<std::uint32_t>(entries.size()));
    out[28] = 2; // little endian
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::size_t e = header + i * entry_size;
        put32(out, e, static_cast<std::uint32_t>(entries[i].flags));
        put32(out, e + 4, add_string(entries[i].name));
        put32(out, e + 8, add_string(entries[i].path));
        put64(out, e + 16, entries[i].hwcap);
    }
    if (!hwcaps.empty()) {
        put32(out, 32, static_cast<std::uint32_t>(ext));
        put32(out, ext, kCacheExtensionMagic);
        put32(out, ext + 4, 1);
        put32(out, ext + 8, 1); // tag: glibc-hwcaps
        put32(out, ext + 16, static_cast<std::uint32_t>(ext + 24));
        put32(out, ext + 20, static_cast<std::uint32_t>(4 * hwcaps.size()));
        for (std::size_t i = 0; i < hwcaps.size(); ++i)
            put32(out, ext + 24 + 4 * i, add_string(hwcaps[i]));
    }
    put32(out, 24, static_cast<std::uint32_t>(strings.size()));
    return out + strings;
}

// An old-format cache: offsets count from the end of the entry table.
std::string old_cache(const std::vector<Entry>& entries) {
    std::string out(16 + 12 * entries.size(), '\0');
    std::memcpy(out.data(), "ld.so-1.7.0", 11);
    put32(out, 12, static_cast<std::uint32_t>(entries.size()));
    std::string strings;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::size_t e = 16 + 12 * i;
        put32(out, e, static_cast<std::uint32_t>(entries[i].flags));
        put32(out, e + 4, static_cast<std::uint32_t>(strings.size()));
        strings += entries[i].name + '\0';
        put32(out, e + 8, static_cast<std::uint32_t>(strings.size()));
        strings += entries[i].path + '\0';
    }
    return out + strings;
}

const std::vector<std::int32_t> kX8664{0x0303};
const std::vector<std::string> kV4{"x86-64-v4", "x86-64-v3", "x86-64-v2"};
const std::vector<std::string> kV2{"x86-64-v2"};

std::vector<Entry> hwcaps_entries() {
    return {{"libz.so.1", "/usr/lib/glibc-hwcaps/x86-64-v3/libz.so.1", 0x0303,
             kCacheHwcapExtension | 1},
            {"libz.so.1", "/usr/lib/glibc-hwcaps/x86-64-v2/libz.so.1", 0x0303,
             kCacheHwcapExtension | 0},
            {"libz.so.1", "/usr/lib/libz.so.1", 0x0303, 0},
            {"libz.so.1", "/usr/lib32/libz.so.1", 0x0003, 0}};
}

TEST(LdCache, RealCacheHasLibc) {
    MappedFile file("/etc/ld.so.cache");
    LdCache cache = parse_ld_cache(file.bytes(), "/etc/ld.so.cache");
    EXPECT_NE(cache.format, LdCacheFormat::old_format);
    EXPECT_GT(cache.entries.size(), 10u);
    const LdCacheEntry* libc = lookup(cache, "libc.so.6", kX8664, kV4);
    ASSERT_NE(libc, nullptr);
    EXPECT_EQ(libc->path, "/lib/x86_64-linux-gnu/libc.so.6");
    EXPECT_EQ(lookup(cache, "libdoes-not-exist.so.9", kX8664, kV4), nullptr);
}

TEST(LdCache, NewFormatWithHwcapsExtension) {
    std::string bytes = new_cache(hwcaps_entries(), {"x86-64-v2", "x86-64-v3"});
    LdCache cache = parse_ld_cache(as_bytes(bytes));
    EXPECT_EQ(cache.format, LdCacheFormat::new_format);
    ASSERT_EQ(cache.entries.size(), 4u);
    ASSERT_EQ(cache.hwcaps_names, (std::vector<std::string>{"x86-64-v2", "x86-64-v3"}));
    EXPECT_EQ(cache.entries[0].hwcaps, "x86-64-v3");
    EXPECT_EQ(cache.entries[1].hwcaps, "x86-64-v2");
    EXPECT_FALSE(cache.entries[2].hwcaps.has_value());
    // The best subdirectory this CPU supports wins; without hwcaps support the plain entry.
    EXPECT_EQ(lookup(cache, "libz.so.1", kX8664, kV4)->path,
              "/usr/lib/glibc-hwcaps/x86-64-v3/libz.so.1");
    EXPECT_EQ(lookup(cache, "libz.so.1", kX8664, kV2)->path,
              "/usr/lib/glibc-hwcaps/x86-64-v2/libz.so.1");
    EXPECT_EQ(lookup(cache, "libz.so.1", kX8664, {})->path, "/usr/lib/libz.so.1");
    // Flags select the ABI: an i386 program gets the 32-bit entry.
    std::vector<std::int32_t> i386{0x0001, 0x0003};
    EXPECT_EQ(lookup(cache, "libz.so.1", i386, {})->path, "/usr/lib32/libz.so.1");
}

TEST(LdCache, OldFormat) {
    std::string bytes = old_cache({{"libfoo.so.1", "/lib/libfoo.so.1", 0x0303, 0},
                                   {"libbar.so.2", "/usr/lib/libbar.so.2", 0x0303, 0}});
    LdCache cache = parse_ld_cache(as_bytes(bytes));
    EXPECT_EQ(cache.format, LdCacheFormat::old_format);
    ASSERT_EQ(cache.entries.size(), 2u);
    EXPECT_EQ(cache.entries[1].name, "libbar.so.2");
    EXPECT_EQ(lookup(cache, "libbar.so.2", kX8664, kV4)->path, "/usr/lib/libbar.so.2");
}

TEST(LdCache, CombinedFormatUsesTheNewPart) {
    // ldconfig's combined layout: old header and entries, the new cache aligned to 8 bytes
    // right after them, the strings at the end (the old entries' strings are not needed here).
    std::string old_part = old_cache({{"libold.so.1", "/old/libold.so.1", 0x0303, 0}});
    old_part.resize(16 + 12);
    while (old_part.size() % 8) old_part += '\0';
    // The new part's string offsets count from its own header.
    std::string new_part = new_cache({{"libnew.so.1", "/new/libnew.so.1", 0x0303, 0}}, {});
    LdCache cache = parse_ld_cache(as_bytes(old_part + new_part));
    EXPECT_EQ(cache.format, LdCacheFormat::combined);
    ASSERT_EQ(cache.entries.size(), 1u);
    EXPECT_EQ(cache.entries[0].path, "/new/libnew.so.1");
}

TEST(LdCache, EveryTruncationIsAnInputErrorOrParses) {
    std::string bytes = new_cache(hwcaps_entries(), {"x86-64-v2", "x86-64-v3"});
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        std::string cut = bytes.substr(0, len);
        try {
            parse_ld_cache(as_bytes(cut));
        } catch (const InputError&) {
        }
    }
    // Cut inside the entry table: must fail, naming the problem.
    EXPECT_THROW(parse_ld_cache(as_bytes(bytes.substr(0, 60))), InputError);
    EXPECT_THROW(parse_ld_cache(as_bytes(bytes.substr(0, 10))), InputError);
    std::string old_bytes = old_cache({{"libfoo.so.1", "/lib/libfoo.so.1", 0x0303, 0}});
    EXPECT_THROW(parse_ld_cache(as_bytes(old_bytes.substr(0, 20))), InputError);
}

TEST(LdCache, GarbageOffsetsAreInputErrors) {
    std::string good = new_cache(hwcaps_entries(), {"x86-64-v2", "x86-64-v3"});
    auto damaged = [&](std::size_t at, std::uint32_t v) {
        std::string b = good;
        put32(b, at, v);
        return b;
    };
    EXPECT_THROW(parse_ld_cache(as_bytes(damaged(20, 0xffffffff))), InputError);     // nlibs
    EXPECT_THROW(parse_ld_cache(as_bytes(damaged(48 + 4, 0xfffffff0))), InputError); // key
    EXPECT_THROW(parse_ld_cache(as_bytes(damaged(48 + 8, 0x7fffffff))), InputError); // value
    EXPECT_THROW(parse_ld_cache(as_bytes(damaged(32, 0xfffffffc))), InputError);     // extension
    EXPECT_THROW(parse_ld_cache(as_bytes(damaged(32, 3))), InputError);              // misaligned
    // A hwcaps index past the extension's list.
    std::string b = good;
    put64(b, 48 + 16, kCacheHwcapExtension | 7);
    EXPECT_THROW(parse_ld_cache(as_bytes(b)), InputError);
    // Strings without a terminator at the end of the file.
    std::string unterminated = good.substr(0, good.size() - 1) + "x";
    EXPECT_THROW(parse_ld_cache(as_bytes(unterminated)), InputError);
    EXPECT_THROW(parse_ld_cache(as_bytes(std::string("not a cache at all, really"))), InputError);
}

} // namespace
} // namespace berth::resolve
