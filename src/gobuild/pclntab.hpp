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
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth::gobuild {

enum class PclntabVersion { go12, go116, go118, go120 };

struct FuncTable {
    PclntabVersion version = PclntabVersion::go12;
    Endian endian = Endian::little;
    unsigned quantum = 1;
    unsigned ptr_size = 8;
    std::uint64_t file_offset = 0;  // where the header lies in the file (0 for parse_pclntab)
    std::string located_by;         // "section .gopclntab", "moduledata in section .noptrdata",
                                    // "scan of segment at offset 0x..."
    std::size_t count = 0;          // functions in the table
    std::vector<std::string> names; // one per function, in table (entry address) order; empty
                                    // when the table was walked (walk_pclntab)
};

// Receives each function's name in table order. The view points into the file's bytes.
using NameVisitor = std::function<void(std::string_view)>;

// "1.2-1.15", "1.16-1.17", "1.18-1.19", "1.20+".
const char* version_range(PclntabVersion v);

// True when the 8 bytes at `offset` look like a table header (magic, 0, 0, quantum, ptrsize).
bool looks_like_header(std::span<const std::byte> data, std::uint64_t offset);

// Parses a function table that starts at the first byte of `table` (which may run past the end
// of the table). Every read is bounds-checked; a truncated or inconsistent table throws
// InputError. Memory is bounded by a small multiple of table.size().
FuncTable parse_pclntab(std::span<const std::byte> table);

// The same walk and checks, handing each name to `visit` instead of keeping it: what the program
// facts need, at no cost per name beyond reading it.
FuncTable walk_pclntab(std::span<const std::byte> table, const NameVisitor& visit);

// Where an ELF file's function table is, found without reading much else:
//   1. a section named .gopclntab (internal linking) or *.gopclntab (.data.rel.ro.gopclntab,
//      internally linked PIE);
//   2. the module data, whose first word is the table's address: section .go.module (Go 1.26+),
//      else runtime.firstmoduledata found by its shape in section .noptrdata (external linking,
//      where the table sits unnamed inside .data.rel.ro); on some targets the linker leaves that
//      word to a dynamic relocation and it reads 0 in the file;
//   3. with `scan`, the first valid header in the data of the non-executable PT_LOAD segments
//      (no section headers), read-only ones first.
// nullopt when not found; throws InputError when a section says where it is but it is damaged.
struct TableBytes {
    std::span<const std::byte> data; // from the header to the end of its section or segment
    std::uint64_t file_offset = 0;
    std::string located_by;
};
std::optional<TableBytes> locate_functions(const elf::ElfImage& image, bool scan);

// Finds (with scanning) and parses the function table of an ELF file. Throws InputError when
// there is no table or it is damaged.
FuncTable read_functions(const elf::ElfImage& image);

// Finds (with scanning) and walks it, as walk_pclntab. Throws InputError as read_functions.
FuncTable walk_functions(const elf::ElfImage& image, const NameVisitor& visit);

// The names sorted and de-duplicated, as `berth inspect --symbols` lists them.
std::vector<std::string> sorted_function_names(const FuncTable& table);

// {"version": "1.18-1.19", "endian": "little", "pointer_size": 8, "quantum": 1,
//  "located_by": "...", "functions": N}; with `with_names` also "names": [sorted].
nlohmann::json to_json(const FuncTable& table, bool with_names = false);

} // namespace berth::gobuild
