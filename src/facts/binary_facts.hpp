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

namespace berth::facts {

struct InspectOptions {
    bool hash = false; // compute sha256 (reads every byte: not in the default report)
};

struct BinaryFacts {
    std::string path;
    elf::ElfFacts elf;
    // Why the file is a Go program, in this order: "build_info" (what `go version -m` reads),
    // "build_id" (the Go build ID), "function_table" (a valid Go function table),
    // "runtime_symbols" (runtime.main or runtime.goexit in a symbol table; looked for only when
    // none of the others is there). Empty: not Go.
    std::vector<std::string> go_evidence;
    // "present", "missing" (a Go program whose build info Go's own reader does not find: removed
    // after the build, or a layout Go 1.19 does not know), "unreadable" (Go reports an error:
    // see part_errors), "" (not a Go program).
    std::string go_build_info;
    std::optional<gobuild::BuildInfo> go; // the build info; nullopt unless "present"
    std::optional<std::string> go_build_id;
    std::optional<gobuild::ProgramFacts> program; // from the function table (Go only)
    std::size_t function_count = 0;
    std::vector<std::string> part_errors; // a damaged part (e.g. function table): the rest stands

    // A Go program, by any evidence. What needs the build info (settings, module versions, the
    // toolchain version) tests `go` instead.
    bool is_go() const { return !go_evidence.empty(); }
    // The value of a Go build setting ("" when absent or without build info).
    std::string go_setting(const std::string& key) const;
};

// Reads the file and derives its facts. Throws InputError (naming the file) when the file can't
// be read or is not a valid ELF file; a damaged optional part is recorded in part_errors.
BinaryFacts collect_binary_facts(const std::string& path, const InspectOptions& options);

void to_json(nlohmann::json& j, const BinaryFacts& f);

} // namespace berth::facts

// The inverse of to_json: `berth check` test fixtures and facts files carry binary facts as JSON.
// Every field to_json writes must be present (nlohmann throws json::exception naming what is
// missing); "resolver" and "function_count" inside "program" are derived or optional, and so are
// "is_go", "go_evidence" and "go_build_info" (derived from "go", "go_build_id" and "program").
namespace berth::facts {
void from_json(const nlohmann::json& j, BinaryFacts& f);
} // namespace berth::facts
namespace berth::elf {
void from_json(const nlohmann::json& j, ElfFacts& f);
} // namespace berth::elf
namespace berth::gobuild {
void from_json(const nlohmann::json& j, BuildInfo& info);
void from_json(const nlohmann::json& j, ProgramFacts& facts);
} // namespace berth::gobuild
