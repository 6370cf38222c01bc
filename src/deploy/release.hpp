#pragma once
// A release: one build of the app, named VERSION-SHA12, installed immutable under
// INSTALL_DIR/releases/ID. Its version comes from berth.yaml, else from what the build info
// records (main module version, else VCS revision), else from its content.
#include "config/app_config.hpp"
#include "facts/binary_facts.hpp"

#include <cstdint>
#include <string>

namespace berth::deploy {

struct Release {
    std::string binary;  // the file on this machine
    std::string name;    // the app name: the program is releases/ID/bin/NAME
    std::string version; // "v1.4.2", "3f2a9c1d0e8b-dirty", ...
    std::string sha256;  // of the binary, hex
    std::uint64_t size = 0;
    std::string id;             // VERSION-SHA12
    std::string version_source; // "berth.yaml", "module", "vcs", "sha256"
};

// The version a binary announces: the main module's version unless "(devel)", else
// vcs.revision's first 12 characters (+ "-dirty" when vcs.modified), else "" (no build info).
// Characters a directory name should not hold become '_'.
std::string version_from_build_info(const facts::BinaryFacts& facts);

// Hashes the binary (reads it once) and names the release. Throws InputError.
Release make_release(const config::AppConfig& config, const facts::BinaryFacts& facts);

// An ID as deploy makes them (and as `rollback --to` accepts): letters, digits, "._+-".
bool valid_release_id(const std::string& id);

} // namespace berth::deploy
