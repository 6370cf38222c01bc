#pragma once
// The Go function table (.gopclntab): every Go binary keeps it, even after `-ldflags=-s -w`
// strips the ELF symbol table, because the runtime needs it for stack traces and the garbage
// collector. Only the function names are read here; the program facts derived from them are in
// program_facts.hpp.
//
// Four layouts, told apart by the magic number in the first 4 bytes (in the target's byte order),
// followed by 0, 0, the PC quantum (1, 2 or 4) and the pointer size (4 or 8):
//   0xfffffffb  Go 1.2-1.15  nfunc, then (entry pc, func offset) pairs of pointer size
//   0xfffffffa  Go 1.16-1.17 header of offsets to the name, file and pc tables and to the functab
//   0xfffffff0  Go 1.18-1.19 as 1.16 plus the text start; functab entries become 32-bit offsets
//   0xfffffff1  Go 1.20+     same header and functab as 1.18
// Names are NUL-terminated strings addressed by each function's _func record.
#include "elf/elf_image.hpp"
#include "util/byte_reader.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace berth::gobuild {

enum class PclntabVersion { go12, go116, go118, go120 };

struct FuncTable {
    PclntabVersion version = PclntabVersion::go12;
    Endian endian = Endian::little;
    unsigned quantum = 1;
    unsigned ptr_size = 8;
    std::uint64_t file_offset = 0;  // where the header lies in the file (0 for parse_pclntab)
    std::string located_by;         // "section .gopclntab" or "scan of segment at offset 0x..."
    std::vector<std::string> names; // one per function, in table (entry address) order
};

// "1.2-1.15", "1.16-1.17", "1.18-1.19", "1.20+".
const char* version_range(PclntabVersion v);

// True when the 8 bytes at `offset` look like a table header (magic, 0, 0, quantum, ptrsize).
bool looks_like_header(std::span<const std::byte> data, std::uint64_t offset);

// Parses a function table that starts at the first byte of `table` (which may run past the end
// of the table). Every read is bounds-checked; a truncated or inconsistent table throws
// InputError. Memory is bounded by a small multiple of table.size().
FuncTable parse_pclntab(std::span<const std::byte> table);

// Finds and parses the function table of an ELF file: the .gopclntab section when there is one,
// otherwise the first valid header found by scanning the data of the non-executable PT_LOAD
// segments (sections stripped, PIE where the table sits inside .data.rel.ro, external linking).
// Throws InputError when there is no table or it is damaged.
FuncTable read_functions(const elf::ElfImage& image);

// The names sorted and de-duplicated, as `berth inspect --symbols` lists them.
std::vector<std::string> sorted_function_names(const FuncTable& table);

// {"version": "1.18-1.19", "endian": "little", "pointer_size": 8, "quantum": 1,
//  "located_by": "...", "functions": N}; with `with_names` also "names": [sorted].
nlohmann::json to_json(const FuncTable& table, bool with_names = false);

} // namespace berth::gobuild
