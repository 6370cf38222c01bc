#pragma once
// The layout of one ELF file, read with libelf from a mapped image: headers, sections, segments,
// dynamic entries and version needs as plain data. No judgement here (see elf_facts.hpp).
// Every offset and size is checked against the file before it is used: a corrupt file gives an
// InputError saying what is wrong, never a read outside the image.
#include "util/byte_reader.hpp"
#include "util/file_ranges.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth::elf {

struct Section {
    std::string name;
    std::uint32_t type = 0;
    std::uint64_t flags = 0;
    std::uint64_t addr = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint32_t link = 0;
    std::uint64_t entsize = 0;
};

struct Segment {
    std::uint32_t type = 0;
    std::uint32_t flags = 0;
    std::uint64_t offset = 0;
    std::uint64_t vaddr = 0;
    std::uint64_t filesz = 0;
    std::uint64_t memsz = 0;
};

struct DynamicEntry {
    std::int64_t tag = 0;
    std::uint64_t value = 0;
};

// One library's entry in .gnu.version_r: the file name and the version names needed from it.
struct VersionNeed {
    std::string file;
    std::vector<std::string> versions;
    std::vector<std::string> weak; // those of `versions` marked VER_FLG_WEAK (missing is no error)
};

struct ElfImage {
    std::span<const std::byte> bytes; // the whole file, owned by the caller (a MappedFile);
                                      // empty when read with read_layout()
    std::uint64_t file_size = 0;
    bool is64 = false;
    Endian endian = Endian::little;
    std::uint8_t osabi = 0;
    std::uint8_t abiversion = 0;
    std::uint16_t type = 0;    // ET_EXEC, ET_DYN, ...
    std::uint16_t machine = 0; // EM_X86_64, ...
    std::uint32_t flags = 0;   // e_flags (arm float ABI, riscv ABI, ...)
    std::uint64_t entry = 0;
    std::uint64_t shoff = 0; // e_shoff: where the section header table starts
    std::uint64_t shnum = 0; // e_shnum (or section 0's sh_size when it overflows)
    std::uint16_t shentsize = 0;
    std::vector<Section> sections;
    std::vector<Segment> segments;
    std::vector<DynamicEntry> dynamic;      // PT_DYNAMIC / .dynamic, without the DT_NULL end
    std::vector<std::string> needed;        // DT_NEEDED, in order
    std::optional<std::string> soname;      // DT_SONAME
    std::optional<std::string> rpath;       // DT_RPATH
    std::optional<std::string> runpath;     // DT_RUNPATH
    std::optional<std::string> interpreter; // PT_INTERP
    std::vector<VersionNeed> version_needs; // .gnu.version_r
    std::vector<std::string> version_defs;  // .gnu.version_d names (a library's own versions)
    std::vector<std::string> warnings;      // parts that were damaged but not fatal

    const Section* find_section(std::string_view name) const;
    const Segment* find_segment(std::uint32_t type) const;
    // The value of the first dynamic entry with this tag; 0 when there is none.
    std::uint64_t dynamic_value(std::int64_t tag) const;
    // Bytes of a section in the file (empty for SHT_NOBITS). Throws when it lies outside the file.
    std::span<const std::byte> contents(const Section& s) const;
    // The file bytes of a segment, cut off where the file ends (empty when it starts past it).
    std::span<const std::byte> file_data(const Segment& s) const;
    // `len` bytes at virtual address `addr`, read through the PT_LOAD segment that maps it.
    // Throws when no segment maps the whole range from file data.
    std::span<const std::byte> at_vaddr(std::uint64_t addr, std::uint64_t len) const;
    ByteReader reader(std::span<const std::byte> data) const { return {data, endian}; }
    unsigned pointer_size() const { return is64 ? 8 : 4; }
};

// Reads what the dynamic loader looks at: the ELF header, program headers, PT_INTERP, the
// dynamic segment with its strings, and the version needs and definitions. Reads only those
// ranges of the file. Throws InputError.
ElfImage read_layout(FileRanges& file);

// Parses the layout of a mapped ELF file: read_layout's part and the sections (with libelf). Throws
// InputError ("not an ELF file", "truncated ...").
ElfImage parse_image(std::span<const std::byte> bytes);

// True when the bytes start with the ELF magic.
bool is_elf(std::span<const std::byte> bytes);

} // namespace berth::elf
