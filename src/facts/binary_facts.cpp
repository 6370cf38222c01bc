#include "facts/binary_facts.hpp"

#include "gobuild/pclntab.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"
#include "util/sha256.hpp"

namespace berth {

std::string BinaryFacts::go_setting(const std::string& key) const {
    if (!go) return {};
    for (const auto& s : go->settings)
        if (s.key == key) return s.value;
    return {};
}

BinaryFacts collect_binary_facts(const std::string& path, const InspectOptions& options) {
    MappedFile file(path);
    BinaryFacts facts;
    facts.path = path;
    elf::ElfImage image;
    try {
        image = elf::parse_image(file.bytes());
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }
    try {
        facts.go = gobuild::read_buildinfo(image);
    } catch (const InputError& e) {
        facts.part_errors.push_back(std::string("Go build info: ") + e.what());
    }
    try {
        facts.go_build_id = gobuild::read_go_build_id(image);
    } catch (const InputError& e) {
        facts.part_errors.push_back(std::string("Go build ID: ") + e.what());
    }
    const bool go_without_cgo = facts.go && facts.go_setting("CGO_ENABLED") == "0";
    facts.elf = elf::derive_elf_facts(image, go_without_cgo);
    if (options.hash) facts.elf.debug.sha256 = sha256_file(path);
    if (facts.go || facts.go_build_id) {
        try {
            // The facts need a dozen names: each is matched as the table is walked, none kept.
            gobuild::ProgramFactsScan scan;
            auto table = gobuild::walk_functions(
                image, [&](std::string_view name) { gobuild::add_function_name(scan, name); });
            facts.function_count = table.count;
            facts.program = gobuild::finish_program_facts(scan);
        } catch (const InputError& e) {
            facts.part_errors.push_back(std::string("Go function table: ") + e.what());
        }
    }
    return facts;
}

void to_json(nlohmann::json& j, const BinaryFacts& f) {
    j = {{"path", f.path}};
    nlohmann::json elf_json = f.elf;
    for (auto it = elf_json.begin(); it != elf_json.end(); ++it) j[it.key()] = *it;
    j["go"] = f.go ? gobuild::to_json(*f.go) : nlohmann::json(nullptr);
    j["go_build_id"] = f.go_build_id ? nlohmann::json(*f.go_build_id) : nlohmann::json(nullptr);
    if (f.program) {
        j["program"] = gobuild::to_json(*f.program);
        j["program"]["function_count"] = f.function_count;
    } else {
        j["program"] = nullptr;
    }
    j["errors"] = f.part_errors;
}

} // namespace berth
