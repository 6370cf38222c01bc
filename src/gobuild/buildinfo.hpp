#pragma once
// The build information the Go linker embeds in every Go binary (what `go version -m` shows):
// toolchain version, main package, modules and build settings, read without running the binary.
//
// Layout (cmd/link, debug/buildinfo): a 32-byte header "\xff Go buildinf:" + pointer size (1 byte)
// + flags (1 byte: bit 0 big-endian, bit 1 inline strings), 16-byte aligned, in section
// .go.buildinfo or near the start of the writable data segment.
//   Go >= 1.18 (flag 0x2): the header is followed by two uvarint-length-prefixed strings, the Go
//   version and the module info.
//   Go 1.13-1.17: header bytes 16.. hold two pointers to Go string headers {data ptr, len}, which
//   point into the loaded segments.
// The module info text is framed by two 16-byte sentinels; inside, lines as runtime/debug writes.
//
// Found and read exactly as Go 1.19's debug/buildinfo (what `go version -m` uses) does, quirks
// included, so that berth says "Go build info" where Go does and nowhere else: only the first
// 64 KiB from DataStart (section .go.buildinfo, else the first writable non-executable PT_LOAD)
// are searched, with Go's alignment rule; a string that can't be read is empty; an empty version
// means no build info; module info without its sentinels is no module info.
#include "elf/elf_image.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth::gobuild {

struct ModuleRef {
    std::string path;
    std::string version;
    std::string sum;
};

struct Module {
    std::string path;
    std::string version;
    std::string sum;
    std::optional<ModuleRef> replace; // a `=>` line
};

struct BuildSetting {
    std::string key;
    std::string value;
};

struct BuildInfo {
    std::string go_version; // "go1.19.8"
    std::string path;       // main package path
    Module main;            // main module (all empty when absent)
    std::vector<Module> deps;
    std::vector<BuildSetting> settings; // in file order
};

// nullopt where Go finds no build info ("not a Go executable", or it can't read the data where
// the header would be). Throws InputError where Go reports an error: module info it can't parse.
std::optional<BuildInfo> read_buildinfo(const elf::ElfImage& image);

// Decodes a build info blob that starts with the header magic and runs to the end of the data Go
// would have read. `image` resolves the pointers of the pre-1.18 encoding; without one, that
// encoding is an InputError. nullopt where Go says "not a Go executable" (empty version).
std::optional<BuildInfo> decode_blob(std::span<const std::byte> blob, const elf::ElfImage* image);

// Parses the module info text (sentinels removed) as runtime/debug.ParseBuildInfo does, into
// `info` (go_version untouched). Throws InputError naming the line.
void parse_modinfo(std::string_view text, BuildInfo& info);

// The Go build ID: the .note.go.buildid note (name "Go", type 4), else the
// `\xff Go build ID: "..."\n \xff` string at the start of the text segment. nullopt when absent.
std::optional<std::string> read_go_build_id(const elf::ElfImage& image);

// True when a symbol table (.symtab or .dynsym) names the Go runtime's own functions
// (runtime.main, runtime.goexit): a Go program whose other marks were removed.
bool has_runtime_symbols(const elf::ElfImage& image);

nlohmann::json to_json(const BuildInfo& info);

} // namespace berth::gobuild
