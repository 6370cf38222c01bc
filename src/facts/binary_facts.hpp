#pragma once
// Everything berth knows about one binary file, from its bytes alone: the ELF facts, the Go build
// info and the facts derived from its function table. `inspect` renders it; `check` judges it.
#include "elf/elf_facts.hpp"
#include "gobuild/buildinfo.hpp"
#include "gobuild/program_facts.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth {

struct InspectOptions {
    bool hash = false; // compute sha256 (reads every byte: not in the default report)
};

struct BinaryFacts {
    std::string path;
    elf::ElfFacts elf;
    std::optional<gobuild::BuildInfo> go; // nullopt: not a Go binary
    std::optional<std::string> go_build_id;
    std::optional<gobuild::ProgramFacts> program; // from the function table (Go only)
    std::size_t function_count = 0;
    std::vector<std::string> part_errors; // a damaged part (e.g. function table): the rest stands

    bool is_go() const { return go.has_value(); }
    // The value of a Go build setting ("" when absent or not a Go binary).
    std::string go_setting(const std::string& key) const;
};

// Reads the file and derives its facts. Throws InputError (naming the file) when the file can't
// be read or is not a valid ELF file; a damaged optional part is recorded in part_errors.
BinaryFacts collect_binary_facts(const std::string& path, const InspectOptions& options);

void to_json(nlohmann::json& j, const BinaryFacts& f);

} // namespace berth

// The inverse of to_json: `berth check` test fixtures and facts files carry binary facts as JSON.
// Every field to_json writes must be present (nlohmann throws json::exception naming what is
// missing); "resolver" and "function_count" inside "program" are derived or optional.
namespace berth {
void from_json(const nlohmann::json& j, BinaryFacts& f);
} // namespace berth
namespace berth::elf {
void from_json(const nlohmann::json& j, ElfFacts& f);
} // namespace berth::elf
namespace berth::gobuild {
void from_json(const nlohmann::json& j, BuildInfo& info);
void from_json(const nlohmann::json& j, ProgramFacts& facts);
} // namespace berth::gobuild
