#pragma once
// `berth inspect --sbom cyclonedx|spdx`: a software bill of materials of one binary, from what
// berth read in it (the Go build info, the ELF's needed libraries). Both formats render the same
// component list (sbom_components), so they always agree; docs/inspect.md maps every field.
#include "facts/binary_facts.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::report {

// One DT_NEEDED library of the binary and where the loader would find it on this machine.
struct SbomLibrary {
    std::string name;                  // as written in DT_NEEDED
    std::string path;                  // the file found ("" when not found)
    std::string via;                   // how it was found (resolve::via_name), "not_found"
    std::string sha256;                // of the file found ("" when not found)
    std::vector<std::string> versions; // symbol versions the binary needs from it
};

struct SbomInput {
    const facts::BinaryFacts* facts = nullptr;
    std::string file_name; // the binary's base name
    std::string sha256;    // of the whole binary: the document's identity
    std::string timestamp; // "2024-01-02T03:04:05Z"
    std::vector<SbomLibrary> libraries;
};

enum class SbomKind { root, go_module, go_stdlib, library };

// A module a replace directive swapped out: what the component stands in for.
struct SbomOriginal {
    std::string name, version, purl;
};

struct SbomComponent {
    SbomKind kind = SbomKind::go_module;
    std::string ref; // unique in the document (CycloneDX bom-ref; SPDX ids derive from it)
    std::string name;
    std::string version; // "" when unknown
    std::string purl;    // "" when the component has none (a directory, a C library)
    std::string cpe;     // "" unless known (the Go toolchain)
    std::string sha256;  // hex: the binary (root), h1 digest (modules), library file
    std::optional<SbomOriginal> replaces;
    std::vector<std::pair<std::string, std::string>> properties; // "berth:..." names
};

// The root (the main module, or the file itself) first, then the modules in build info order,
// the Go toolchain, the needed libraries.
std::vector<SbomComponent> sbom_components(const SbomInput& in);

// A purl component percent-encoded as the purl specification asks: everything but
// A-Z a-z 0-9 . - _ ~ (and ':', which the specification leaves as it is).
std::string purl_encode(std::string_view s);
// pkg:golang/MODULE@VERSION#SUBPATH, each path segment encoded; no @ part for an empty version.
std::string golang_purl(std::string_view module, std::string_view version,
                        std::string_view subpath = {});
// A name-based UUID (RFC 4122 version 5, URL namespace): the same name gives the same UUID.
std::string name_uuid(std::string_view name);
// The SHA-256 in a Go checksum "h1:BASE64" as hex; "" for anything else.
std::string h1_hex(std::string_view sum);

std::string render_cyclonedx(const SbomInput& in);
std::string render_spdx(const SbomInput& in);

} // namespace berth::report
