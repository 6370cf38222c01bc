#pragma once
// The binary's needed libraries as the target host's loader would find them: collected on that
// host (`berth facts --binary B --libraries`, or `berth check` locally) with the resolver, and
// judged by the check rules B103 and B104.
#include "sysroot/sysroot.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::facts {

struct LibraryFacts {
    bool resolved = false; // false: not resolved on that host (then library rules stay silent)
    std::string interpreter;
    bool interpreter_found = true;
    std::vector<std::string> missing; // needed names not found, in tree order, each once
    // Symbol versions the loader would refuse ("GLIBC_2.34 from libc.so.6"), in its order.
    struct MissingVersion {
        std::string version;  // "GLIBC_2.34"
        std::string provider; // the library as mapped on that host
        std::string object;   // the object that needs it
        bool operator==(const MissingVersion&) const = default;
    };
    std::vector<MissingVersion> missing_versions;
};

// Resolves `binary` (a file of this machine) as the loader of the system at `root` would.
// Throws InputError when the binary can't be read.
LibraryFacts resolve_library_facts(const std::string& binary, const sysroot::Root& root);

void to_json(nlohmann::json& j, const LibraryFacts& l);
void from_json(const nlohmann::json& j, LibraryFacts& l);

} // namespace berth::facts
