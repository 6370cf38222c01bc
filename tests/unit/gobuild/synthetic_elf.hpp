#pragma once
// A tiny ELF writer for the build info tests: program headers, PT_LOAD/PT_NOTE segments holding
// given bytes and, optionally, section headers naming some of them. Enough for parse_image and
// for `go version -m`, so the encodings Go 1.19 can no longer produce (pointer-based Go 1.13-1.17
// build info, other word sizes and byte orders) are tested from the format's description.
// Header-only: shared by tests/unit/gobuild and tests/integration/gobuild_*_test.cpp.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace berth::test::synth {

constexpr std::uint32_t kPtLoad = 1, kPtNote = 4;
constexpr std::uint32_t kPfX = 1, kPfW = 2, kPfR = 4;
// Where go_like_elf loads its text and data: small page offsets keep the files small.
constexpr std::uint64_t kTextVaddr = 0x4000c0, kDataVaddr = 0x500100;

struct SegmentSpec {
    std::uint32_t type = kPtLoad;
    std::uint32_t flags = kPfR | kPfW;
    std::uint64_t vaddr = 0;
    std::string data;
    std::uint64_t extra_memsz = 0;           // bss beyond the file data
    std::optional<std::string> section_name; // also describe the data by a section header
};

struct ElfSpec {
    bool is64 = true;
    bool big_endian = false;
    std::uint16_t machine = 62; // EM_X86_64
    std::vector<SegmentSpec> segments;
};

// Appends an integer of `width` bytes in the spec's byte order.
inline void put(std::string& out, std::uint64_t v, unsigned width, bool big_endian) {
    for (unsigned i = 0; i < width; ++i) {
        unsigned shift = big_endian ? 8 * (width - 1 - i) : 8 * i;
        out += static_cast<char>((v >> shift) & 0xFF);
    }
}

inline void put_at(std::string& out, std::size_t off, std::uint64_t v, unsigned width,
                   bool big_endian) {
    std::string tmp;
    put(tmp, v, width, big_endian);
    out.replace(off, width, tmp);
}

inline std::string write_elf(const ElfSpec& spec) {
    const bool be = spec.big_endian;
    const unsigned w = spec.is64 ? 8 : 4;
    const std::size_t ehsize = spec.is64 ? 64 : 52, phentsize = spec.is64 ? 56 : 32,
                      shentsize = spec.is64 ? 64 : 40;
    const std::uint64_t page = 0x1000;

    // Lay out the segment data: each at a file offset congruent to its vaddr modulo the page.
    std::vector<std::uint64_t> offsets;
    std::uint64_t cursor = ehsize + phentsize * spec.segments.size();
    for (const auto& s : spec.segments) {
        std::uint64_t off = cursor;
        while (off % page != s.vaddr % page) ++off;
        offsets.push_back(off);
        cursor = off + s.data.size();
    }
    // Section headers: null, the named segments, then .shstrtab.
    std::string shstrtab(1, '\0');
    std::vector<std::pair<std::size_t, std::uint32_t>> named; // segment index, name offset
    for (std::size_t i = 0; i < spec.segments.size(); ++i) {
        if (!spec.segments[i].section_name) continue;
        named.emplace_back(i, static_cast<std::uint32_t>(shstrtab.size()));
        shstrtab += *spec.segments[i].section_name + '\0';
    }
    const std::uint32_t shstrtab_name = static_cast<std::uint32_t>(shstrtab.size());
    shstrtab += std::string(".shstrtab") + '\0';
    const bool with_sections = !named.empty();
    const std::uint64_t shstrtab_off = cursor;
    std::uint64_t shoff = 0;
    std::size_t shnum = 0;
    if (with_sections) {
        cursor += shstrtab.size();
        while (cursor % 8) ++cursor;
        shoff = cursor;
        shnum = named.size() + 2;
    }

    std::string out;
    out += "\x7f"
           "ELF";
    out += static_cast<char>(spec.is64 ? 2 : 1);
    out += static_cast<char>(be ? 2 : 1);
    out += '\x01'; // EI_VERSION
    out += std::string(9, '\0');
    put(out, 2, 2, be); // ET_EXEC
    put(out, spec.machine, 2, be);
    put(out, 1, 4, be);                                                  // e_version
    put(out, spec.segments.empty() ? 0 : spec.segments[0].vaddr, w, be); // e_entry
    put(out, ehsize, w, be);                                             // e_phoff
    put(out, shoff, w, be);                                              // e_shoff
    put(out, 0, 4, be);                                                  // e_flags
    put(out, ehsize, 2, be);
    put(out, phentsize, 2, be);
    put(out, spec.segments.size(), 2, be);
    put(out, shentsize, 2, be);
    put(out, shnum, 2, be);
    put(out, with_sections ? shnum - 1 : 0, 2, be); // e_shstrndx

    for (std::size_t i = 0; i < spec.segments.size(); ++i) {
        const auto& s = spec.segments[i];
        std::uint64_t filesz = s.data.size(), memsz = filesz + s.extra_memsz;
        put(out, s.type, 4, be);
        if (spec.is64) {
            put(out, s.flags, 4, be);
            put(out, offsets[i], 8, be);
            put(out, s.vaddr, 8, be);
            put(out, s.vaddr, 8, be); // p_paddr
            put(out, filesz, 8, be);
            put(out, memsz, 8, be);
            put(out, s.type == kPtLoad ? page : 4, 8, be);
        } else {
            put(out, offsets[i], 4, be);
            put(out, s.vaddr, 4, be);
            put(out, s.vaddr, 4, be);
            put(out, filesz, 4, be);
            put(out, memsz, 4, be);
            put(out, s.flags, 4, be);
            put(out, s.type == kPtLoad ? page : 4, 4, be);
        }
    }
    for (std::size_t i = 0; i < spec.segments.size(); ++i) {
        out.resize(offsets[i], '\0');
        out += spec.segments[i].data;
    }
    if (!with_sections) return out;

    out.resize(shstrtab_off, '\0');
    out += shstrtab;
    out.resize(shoff, '\0');
    auto section = [&](std::uint32_t name, std::uint32_t type, std::uint64_t flags,
                       std::uint64_t addr, std::uint64_t off, std::uint64_t size) {
        put(out, name, 4, be);
        put(out, type, 4, be);
        put(out, flags, w, be);
        put(out, addr, w, be);
        put(out, off, w, be);
        put(out, size, w, be);
        put(out, 0, 4, be); // sh_link
        put(out, 0, 4, be); // sh_info
        put(out, type == 1 ? 16 : 1, w, be);
        put(out, 0, w, be); // sh_entsize
    };
    section(0, 0, 0, 0, 0, 0);
    for (auto [i, name] : named) {
        const auto& s = spec.segments[i];
        std::uint32_t type = s.type == kPtNote ? 7 : 1; // SHT_NOTE or SHT_PROGBITS
        std::uint64_t flags = 2 | ((s.flags & kPfW) ? 1 : 0) | ((s.flags & kPfX) ? 4 : 0);
        section(name, type, flags, s.vaddr, offsets[i], s.data.size());
    }
    section(shstrtab_name, 3, 0, 0, shstrtab_off, shstrtab.size());
    return out;
}

// --- Go build info blobs ---

inline const std::string
    kInfoStart("\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16);
inline const std::string
    kInfoEnd("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2", 16);

// The module info as cmd/go embeds it: the text between its two sentinels.
inline std::string framed(const std::string& modinfo) {
    return kInfoStart + modinfo + kInfoEnd;
}

inline std::string uvarint(std::uint64_t v) {
    std::string out;
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
    return out;
}

inline std::string header(unsigned ptr_size, unsigned flags) {
    std::string h = "\xff Go buildinf:";
    h += static_cast<char>(ptr_size);
    h += static_cast<char>(flags);
    h.resize(32, '\0');
    return h;
}

// Go >= 1.18: header with flag 0x2, then the two varint-prefixed strings.
inline std::string inline_blob(const std::string& version, const std::string& mod,
                               unsigned ptr_size = 8, bool big_endian = false) {
    return header(ptr_size, 2 | (big_endian ? 1 : 0)) + uvarint(version.size()) + version +
           uvarint(mod.size()) + mod;
}

// Go 1.13-1.17: header whose two pointers lead to Go string headers {data, len}, laid out for a
// blob that will be loaded at `vaddr`: header, two string headers, then the string bytes.
inline std::string pointer_blob(std::uint64_t vaddr, const std::string& version,
                                const std::string& mod, unsigned ptr_size, bool big_endian) {
    std::string b = header(ptr_size, big_endian ? 1 : 0);
    const std::uint64_t vers_hdr = vaddr + 32, mod_hdr = vers_hdr + 2 * ptr_size,
                        vers_data = mod_hdr + 2 * ptr_size, mod_data = vers_data + version.size();
    put_at(b, 16, vers_hdr, ptr_size, big_endian);
    put_at(b, 16 + ptr_size, mod_hdr, ptr_size, big_endian);
    put(b, vers_data, ptr_size, big_endian);
    put(b, version.size(), ptr_size, big_endian);
    put(b, mod_data, ptr_size, big_endian);
    put(b, mod.size(), ptr_size, big_endian);
    return b + version + mod;
}

// A minimal executable: a text segment and a writable data segment holding `data`.
inline std::string go_like_elf(const std::string& data, bool is64 = true, bool big_endian = false,
                               std::optional<std::string> section = std::nullopt) {
    ElfSpec spec;
    spec.is64 = is64;
    spec.big_endian = big_endian;
    spec.machine = is64 ? (big_endian ? 22 : 62) : (big_endian ? 20 : 3); // s390, x86-64, ppc, 386
    spec.segments.push_back({kPtLoad, kPfR | kPfX, kTextVaddr, std::string(64, '\xcc'), 0, {}});
    spec.segments.push_back({kPtLoad, kPfR | kPfW, kDataVaddr, data, 0x100, section});
    return write_elf(spec);
}

} // namespace berth::test::synth
