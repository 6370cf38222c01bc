#include "facts/binary_facts.hpp"

#include "gobuild/pclntab.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/mapped_file.hpp"
#include "util/sha256.hpp"

namespace berth::facts {

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
    bool build_info_error = false;
    try {
        facts.go = gobuild::read_buildinfo(image);
    } catch (const InputError& e) {
        build_info_error = true;
        facts.part_errors.push_back(std::string("Go build info: ") + e.what());
    }
    try {
        facts.go_build_id = gobuild::read_go_build_id(image);
    } catch (const InputError& e) {
        facts.part_errors.push_back(std::string("Go build ID: ") + e.what());
    }
    const bool go_without_cgo = facts.go && facts.go_setting("CGO_ENABLED") == "0";
    facts.elf = elf::derive_elf_facts(image, go_without_cgo);
    // The bytes mapped, not the path opened again (it may have changed since).
    if (options.hash) facts.elf.debug.sha256 = sha256_hex(file.bytes());

    // The function table: where a section or the module data says it is in any file; by
    // scanning the data segments (which reads them all) only when another mark says Go. The
    // runtime's symbols are looked for last, when nothing else did (a big .dynstr is costly).
    bool marks = facts.go || build_info_error || facts.go_build_id;
    bool table = false, runtime_symbols = false;
    try {
        auto where = gobuild::locate_functions(image, false);
        if (!where && !marks) {
            runtime_symbols = gobuild::has_runtime_symbols(image);
            marks = runtime_symbols;
        }
        if (!where && marks) where = gobuild::locate_functions(image, true);
        if (where) {
            // The facts need a dozen names: each is matched as the table is walked, none kept.
            gobuild::ProgramFactsScan scan;
            auto t = gobuild::walk_pclntab(where->data, [&](std::string_view name) {
                gobuild::add_function_name(scan, name);
            });
            facts.function_count = t.count;
            facts.program = gobuild::finish_program_facts(scan);
            table = true;
        } else if (marks) {
            facts.part_errors.push_back("Go function table: not found (no .gopclntab section and "
                                        "no valid header in the data segments)");
        }
    } catch (const InputError& e) {
        facts.part_errors.push_back(std::string("Go function table: ") + e.what());
    }

    if (facts.go) facts.go_evidence.push_back("build_info");
    if (facts.go_build_id) facts.go_evidence.push_back("build_id");
    if (table) facts.go_evidence.push_back("function_table");
    if (runtime_symbols) facts.go_evidence.push_back("runtime_symbols");
    if (facts.is_go())
        facts.go_build_info = facts.go ? "present" : build_info_error ? "unreadable" : "missing";
    return facts;
}

void to_json(nlohmann::json& j, const BinaryFacts& f) {
    j = nlohmann::json::object();
    set_path(j, "path", f.path);
    nlohmann::json elf_json = f.elf;
    for (auto it = elf_json.begin(); it != elf_json.end(); ++it) j[it.key()] = *it;
    j["is_go"] = f.is_go();
    j["go_evidence"] = f.go_evidence;
    j["go_build_info"] =
        f.go_build_info.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.go_build_info);
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

} // namespace berth::facts
