#pragma once
// What an ELF file is and what it needs, derived from its layout (elf_image.hpp) alone:
// identity, linkage, symbol versions, debug info and hardening. Plain data with a JSON form.
#include "elf/elf_image.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::elf {

struct Identity {
    std::string elf_class;  // "ELF32" | "ELF64"
    std::string endianness; // "little" | "big"
    std::string machine;    // uname-style: x86_64, aarch64, arm, i386, riscv64, ppc64le, s390x ...
    std::string goarch;     // Go's name for it: amd64, arm64, arm, 386, ... ("" when Go has none)
    std::uint16_t machine_code = 0;
    std::string osabi; // "SYSV", "GNU/Linux", ...
    std::string type;  // "EXEC" | "DYN" | "REL" | "CORE"
    bool pie = false;  // position-independent executable (ET_DYN that is an executable)
    bool shared_library = false;
    std::uint64_t entry = 0;
    std::string float_abi; // arm only: "hard" | "soft"
};

struct Linkage {
    std::string kind; // "static" | "static-pie" | "dynamic"
    std::optional<std::string> interpreter;
    std::string libc; // "glibc" | "musl" | "none" | "unknown"
    std::vector<std::string> needed;
    std::optional<std::string> soname, rpath, runpath;
    std::vector<std::string> flags;   // DT_FLAGS names: ORIGIN, BIND_NOW, TEXTREL, ...
    std::vector<std::string> flags_1; // DT_FLAGS_1 names: NOW, PIE, NODELETE, ...
};

struct SymbolVersions {
    std::vector<VersionNeed> needs;         // per library, from .gnu.version_r
    std::optional<std::string> max_glibc;   // highest GLIBC_x.y needed, e.g. "2.34"
    std::optional<std::string> max_glibcxx; // highest GLIBCXX_x.y.z needed (libstdc++)
};

struct DebugInfo {
    bool stripped = true; // no .symtab
    bool dwarf = false;   // .debug_* or .zdebug_* present
    std::vector<std::string> dwarf_sections;
    std::uint64_t strippable_bytes = 0; // .symtab, .strtab and debug sections: what strip saves
    std::optional<std::string> gnu_build_id; // hex
    std::uint64_t file_size = 0;
    std::optional<std::string> sha256; // only when asked (--hash)
};

// Each value: "yes" | "no" | "n/a" | "unknown" (or for relro: "full" | "partial" | "none").
// Judged from structure; where the structure can't tell (static, stripped), "unknown".
struct Hardening {
    std::string pie, relro, nx, canary, fortify;
    std::vector<std::string> notes; // why a value is n/a or unknown
};

// What of the file is missing when it is shorter than its headers say (an interrupted copy):
// a loadable segment cut makes the program unable to run; a cut in what is not loaded (debug
// sections, the section header table) leaves a damaged but runnable copy.
struct Truncation {
    std::uint64_t file_size = 0;
    std::uint64_t expected_size = 0;     // where the furthest part the headers describe ends
    std::vector<std::string> cut_loaded; // e.g. "PT_LOAD segment 2 (file bytes 0x1000-0x1f000)"
    std::vector<std::string> cut_other;  // e.g. "section .debug_info", "section header table"
    bool truncated() const { return !cut_loaded.empty() || !cut_other.empty(); }
};

struct ElfFacts {
    Identity identity;
    Truncation truncation;
    Linkage linkage;
    SymbolVersions versions;
    DebugInfo debug;
    Hardening hardening;
    std::vector<std::string> warnings; // damaged but non-fatal parts
};

// `is_go_without_cgo`: the Go build info says CGO_ENABLED=0 (Go's own static binary: no libc,
// no canaries or FORTIFY since Go checks stack bounds and slices itself).
ElfFacts derive_elf_facts(const ElfImage& image, bool is_go_without_cgo);

// Highest version among names like GLIBC_2.2.5 for the given prefix ("GLIBC_"), or nullopt.
std::optional<std::string> highest_version(const std::vector<std::string>& names,
                                           const std::string& prefix);
// Compares dotted versions numerically: "2.34" > "2.4". Returns <0, 0, >0.
int compare_versions(const std::string& a, const std::string& b);

std::string machine_name(std::uint16_t machine, bool is64, Endian endian);
std::string goarch_name(std::uint16_t machine, bool is64, Endian endian);

// ELF notes (PT_NOTE segments, or SHT_NOTE sections when there are no segments).
struct Note {
    std::string name;
    std::uint32_t type = 0;
    std::span<const std::byte> desc;
};
std::vector<Note> read_notes(const ElfImage& image);

void to_json(nlohmann::json& j, const ElfFacts& f);

} // namespace berth::elf
